"""The OpenAPI 3.1 description of the JSON API (served at /api/openapi.json).

It describes exactly what the server accepts and answers, both ways: every limit comes from the constants
``search_request`` validates with, and ``tests/integration/test_api_contract.py`` runs schemathesis (all
checks) against the served app over a real index, so the document and the server cannot drift apart.
Two rules OpenAPI cannot express per parameter are stated in the descriptions (and that test generates
only requests that keep them when it expects acceptance): ``page × size ≤ MAX_DEPTH`` and
``date_from ≤ date_to``.
"""

from __future__ import annotations

import jsonschema_rs

from searchapp.batch import CSV_COLUMNS as BATCH_CSV_COLUMNS
from searchapp.batch import MAX_TERMS
from searchapp.openapi_saved import SAVED_PATHS, SAVED_SCHEMAS
from searchapp.search.result_rows import EXPORT_COLUMNS
from searchapp.search_request import (
    BOOLEAN_FALSE,
    BOOLEAN_TRUE,
    DEFAULT_SIZE,
    FUSIONS,
    GROUPS,
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    MAX_SIZE,
    MODES,
    SORTS,
)

_ERROR = {"$ref": "#/components/schemas/Error"}
# YYYY-MM-DD in ASCII digits, year 0001 or later (Python's dates, which the server checks with, start there);
# ``format: date`` adds that month and day exist.
DATE_PATTERN = r"^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})-[0-9]{2}-[0-9]{2}$"
MAX_PAGE = MAX_DEPTH  # page 1000 is reachable with size 1
EMPTY = {"type": "string", "maxLength": 0}
"""An empty value (``date_to=``, as an HTML form sends an empty field) means the parameter's default."""
ONCE = " Give it at most once (a repeated parameter is refused)."


def _param(name: str, schema: dict, description: str, required: bool = False, where: str = "query") -> dict:
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


def _or_empty(schema: dict) -> dict:
    """``schema``, or an empty value meaning the default."""
    default = schema.pop("default", None)
    out: dict = {"anyOf": [schema, EMPTY]}
    if default is not None:
        out["default"] = default
    return out


def _choice(values: tuple[str, ...], default: str | None = None) -> dict:
    schema: dict = {"type": "string", "enum": [*values, ""]}
    if default is not None:
        schema["default"] = default
    return schema


def _filter(name: str, what: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "style": "form",
        "explode": True,
        "schema": {"type": "array", "items": {"type": "string"}},
        "description": f"Filter by {what}: repeat the parameter or separate values with commas "
        "(a document matches any of them).",
    }


_DATE = _or_empty({"type": "string", "format": "date", "pattern": DATE_PATTERN})
_BOOLEAN = {
    "type": "string",
    "enum": [*BOOLEAN_TRUE, *BOOLEAN_FALSE, ""],
    "default": "true",
}

SEARCH_PARAMS = [
    _param(
        "q",
        {
            "type": "string",
            "maxLength": MAX_QUERY_CHARS,
            "examples": ["banjir jakarta", '"rapat kerja" -covid'],
        },
        f"Query, at most {MAX_QUERY_CHARS} characters. Keyword mode requires every word unless OR is "
        'used. Syntax: "phrase", -exclude, a OR b, pemilu* and kor?psi (wildcards), korupsi~ (fuzzy), '
        '"dana desa"~3 (proximity), source:x, collection:x, lang:id, date:2020-12, from:YYYY-MM-DD, '
        "to:YYYY-MM-DD (every form: /syntax). Parts that cannot be used are searched as plain text or "
        "dropped, and each is reported in `warnings`." + ONCE,
    ),
    _param(
        "mode",
        _choice(MODES, "hybrid"),
        "Ranking mode (empty means hybrid). Without query words (filters only) the "
        "search runs as keyword." + ONCE,
    ),
    _param(
        "sort",
        _choice(SORTS, "relevance"),
        "Order: relevance, or by document date (newest / oldest first; documents without a date come "
        "last). Empty means relevance." + ONCE,
    ),
    _param(
        "page",
        _or_empty({"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
        f"Page number, 1 to {MAX_PAGE}, and page × size may not exceed {MAX_DEPTH} (only the first "
        f"{MAX_DEPTH} results can be paged through)." + ONCE,
    ),
    _param(
        "size",
        _or_empty({"type": "integer", "minimum": 1, "maximum": MAX_SIZE, "default": DEFAULT_SIZE}),
        f"Results per page, 1 to {MAX_SIZE} (documents, or passages with group=passage)." + ONCE,
    ),
    _param(
        "group",
        _choice(GROUPS, "document"),
        "document: documents with their best passages; passage: plain passages (then `total` counts "
        "passages)." + ONCE,
    ),
    _param(
        "fusion",
        _choice(FUSIONS),
        "Hybrid fusion method (empty or absent: weighted, keyword 0.3 / semantic 0.7)." + ONCE,
    ),
    _param(
        "highlight",
        _BOOLEAN,
        "Mark matched terms (false: faster). Empty means true." + ONCE,
    ),
    _param(
        "facets",
        _BOOLEAN,
        "Facet counts and the date histogram (false: faster). Empty means true." + ONCE,
    ),
    _param(
        "dedupe",
        _BOOLEAN,
        "One result per near-duplicate group (its best version, with `similar_versions`); false: every "
        "version, and `total` counts documents. Empty means true. The export always lists every version."
        + ONCE,
    ),
    {
        **_filter("versions_of", "near-duplicate group (a result's `dup_group`)"),
        "description": "Only the versions of these near-duplicate groups (use with dedupe=false to list "
        "them all).",
    },
    _filter("source", "source"),
    _filter("collection", "collection"),
    _filter("lang", "language code (e.g. id, en)"),
    {**_filter("language", "language code"), "deprecated": True, "description": "Alias of lang."},
    _param(
        "date_from",
        _DATE,
        "Earliest publication date, YYYY-MM-DD (a real calendar date); empty means no bound. "
        "Must not be after date_to." + ONCE,
    ),
    _param(
        "date_to",
        _DATE,
        "Latest publication date, YYYY-MM-DD (a real calendar date); empty means no bound." + ONCE,
    ),
]

_NULLABLE_STRING = {"type": ["string", "null"]}
_DOCUMENT_FIELDS = {
    "doc_id": {"type": "string"},
    "title": _NULLABLE_STRING,
    "url": _NULLABLE_STRING,
    "source": _NULLABLE_STRING,
    "collection": _NULLABLE_STRING,
    "date": {"type": ["string", "null"], "description": "Publication date, YYYY-MM-DD."},
    "language": _NULLABLE_STRING,
    "author": _NULLABLE_STRING,
    "date_source": {
        "type": ["string", "null"],
        "description": "How the date was found: metadata, dateline or text.",
    },
    "place": {"type": ["string", "null"], "description": "The place a dateline names."},
}
_COUNT = {"type": "integer", "minimum": 0}


def _object(properties: dict, required: list[str] | None = None, closed: bool = True, **extra) -> dict:
    """An object schema; ``closed``: no other properties (so a new field must be documented here)."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    if closed:
        schema["additionalProperties"] = False
    return {**schema, **extra}


SCHEMAS: dict = {
    "Error": _object(
        {
            "error": _object(
                {
                    "code": {"type": "string", "description": "Stable, for programs."},
                    "message": {"type": "string", "description": "For people."},
                    "parameter": {
                        "type": "string",
                        "description": "The URL parameter at fault, when one is (e.g. size).",
                    },
                },
                required=["code", "message"],
            )
        }
    ),
    "Passage": _object(
        {
            "passage_id": {"type": "string", "description": "doc_id:position"},
            "position": {"type": "integer", "minimum": 0},
            "score": {"type": "number", "description": "The passage's score in the mode's ranking."},
            "text": {"type": "string"},
            "highlight": {
                "type": ["string", "null"],
                "description": "HTML-escaped text with <mark> tags; null without a match to mark.",
            },
        }
    ),
    "Result": _object(
        {
            **_DOCUMENT_FIELDS,
            "score": {"type": "number"},
            "missing": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Query words (or phrases) this result lacks; semantic and hybrid modes only.",
            },
            "title_highlight": {"type": "string", "description": "The title with <mark> tags."},
            "dup_group": {
                "type": "string",
                "description": "The result's near-duplicate group (with dedupe, the default).",
            },
            "similar_versions": {
                **_COUNT,
                "description": "Other matching documents of the same group, folded into this result.",
            },
            "passages": {"type": "array", "items": {"$ref": "#/components/schemas/Passage"}},
        },
        required=[*_DOCUMENT_FIELDS, "score", "passages"],
        description="A document with its best matching passages (one passage with group=passage).",
    ),
    "SimilarResult": _object(
        {
            **_DOCUMENT_FIELDS,
            "rank": {"type": "integer", "minimum": 1},
            "score": {"type": "number", "description": "Cosine similarity of the best passage, -1 to 1."},
            "relative_score": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "description": "The score min-max scaled over this list: 1 the closest, 0 the farthest.",
            },
            "passages": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Passage"},
                "description": "The document's closest passage.",
            },
        },
        description="A document close in meaning, by its closest passage.",
    ),
    "Totals": _object(
        {
            "documents": {**_COUNT, "description": "Matching documents; the same on every page."},
            "groups": {
                **_COUNT,
                "description": "Near-duplicate groups among them (a document indexed without one is its "
                "own); `total` counts these while dedupe is on.",
            },
            "passages": {**_COUNT, "description": "Matching passages; the same on every page."},
            "all_words_documents": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "Documents containing all query words (null in semantic mode).",
            },
            "related_documents": {**_COUNT, "description": "Further documents matched by meaning only."},
            "undated_documents": {**_COUNT, "description": "Matching documents without a date (facets)."},
            "exact": {
                "type": "boolean",
                "description": "false when `documents` is an estimate (above 40,000, within about 1 %).",
            },
        },
        required=["documents", "groups", "passages", "all_words_documents", "related_documents", "exact"],
    ),
    "Warning": _object(
        {
            "code": {"type": "string", "description": "Stable, for programs."},
            "text": {"type": "string", "description": "The part of the query as typed."},
            "message": _object({"en": {"type": "string"}, "id": {"type": "string"}}),
        },
        closed=False,
        description="A part of the query that was not used as written.",
    ),
    "Facet": _object(
        {
            "buckets": {
                "type": "array",
                "items": _object(
                    {
                        "value": {"type": "string"},
                        "count": _COUNT,
                        "selected": {
                            "type": "boolean",
                            "description": "Whether the search filters by this value.",
                        },
                    }
                ),
                "description": "Documents per value, most first (a selected value outside the largest "
                "ones comes last). A facet with selected values is counted without its own selection "
                "but with every other filter, so its other values keep their counts: selecting one more "
                "adds its count (values of one facet are OR, facets are AND).",
            },
            "missing": {**_COUNT, "description": "Matching documents without a value."},
        }
    ),
    "Histogram": _object(
        {
            "interval": {"type": "string", "enum": ["month", "year"]},
            "buckets": {
                "type": "array",
                "items": _object(
                    {
                        "key": {"type": "string", "description": "YYYY or YYYY-MM"},
                        "from": {"type": "string", "format": "date"},
                        "to": {"type": "string", "format": "date", "description": "Inclusive."},
                        "documents": _COUNT,
                    }
                ),
            },
            "undated_documents": _COUNT,
        },
        description="Matching documents per month (per year when that would be over 36 months).",
    ),
    "SearchResponse": _object(
        {
            "query": {"type": "string"},
            "mode": {"type": "string", "enum": list(MODES), "description": "The mode that ran."},
            "sort": {"type": "string", "enum": list(SORTS)},
            "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            "size": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE},
            "group": {"type": "string", "enum": list(GROUPS)},
            "total": {
                **_COUNT,
                "description": "The pager's unit: totals.groups (dedupe, the default), totals.documents "
                "(dedupe=false), or totals.passages with group=passage.",
            },
            "dedupe": {"type": "boolean", "description": "Whether near-duplicate versions were folded."},
            "totals": {"$ref": "#/components/schemas/Totals"},
            "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Warning"}},
            "took_ms": {"type": "number", "minimum": 0},
            "timing": _object(
                {
                    "embed_ms": {
                        "type": "number",
                        "minimum": 0,
                        "description": "Embedding the query (0 in keyword mode).",
                    },
                    "engine_took_ms": {
                        "type": "number",
                        "minimum": 0,
                        "description": "Elasticsearch's own `took`, summed over the round trips.",
                    },
                    "engine_wall_ms": {
                        "type": "number",
                        "minimum": 0,
                        "description": "The same round trips as the app waited for them.",
                    },
                    "round_trips": {"type": "integer", "minimum": 0},
                },
                description="Where took_ms went; the rest is the app's own work.",
            ),
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}},
            "facets": {
                **_object(
                    {
                        name: {"$ref": "#/components/schemas/Facet"}
                        for name in ("source", "collection", "language")
                    },
                    required=[],
                ),
                "description": "Counts in documents; empty with facets=false.",
            },
            "histogram": {
                "anyOf": [{"$ref": "#/components/schemas/Histogram"}, {"type": "null"}],
                "description": "null with facets=false.",
            },
        }
    ),
    "Document": _object(
        {
            **_DOCUMENT_FIELDS,
            "query": {"type": "string", "description": "The `q` whose words are marked (empty: none)."},
            "title_highlight": {"type": "string", "description": "The title with <mark> tags."},
            "passages": {
                "type": "array",
                "items": _object(
                    {
                        "passage_id": {"type": "string"},
                        "position": {"type": "integer", "minimum": 0},
                        "text": {"type": "string"},
                        "highlight": {
                            "type": ["string", "null"],
                            "description": "The whole passage, HTML-escaped, with <mark> around the query's "
                            "words; null without `q` or without a match in this passage.",
                        },
                    }
                ),
            },
        },
        required=[*_DOCUMENT_FIELDS, "query", "passages"],
    ),
    "Similar": _object(
        {
            "passage_id": {"type": "string"},
            "passage": _object(
                {
                    **_DOCUMENT_FIELDS,
                    "passage_id": {"type": "string"},
                    "position": {"type": ["integer", "null"], "minimum": 0},
                    "text": {"type": ["string", "null"]},
                },
                description="The passage the results are similar to, with its document's metadata.",
            ),
            "results": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/SimilarResult"},
                "description": "Distinct documents, closest first: never the passage's own document or a "
                "near-duplicate version of it, one per near-duplicate group.",
            },
        }
    ),
}

_BATCH_FILTER = {"type": "array", "items": {"type": "string"}, "maxItems": 100}
SCHEMAS["BatchRequest"] = _object(
    {
        "terms": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_TERMS,
            "items": {"type": "string", "maxLength": MAX_QUERY_CHARS},
            "description": f"Up to {MAX_TERMS:,} terms or names, each a query as typed on the search page "
            f'(at most {MAX_QUERY_CHARS:,} characters; "Joko Widodo" is a phrase). Surrounding spaces are '
            "trimmed, blank terms skipped and a repeated term searched once (each reported).",
            "examples": [["banjir", '"protokol kesehatan"', "pilkada"]],
        },
        "filters": _object(
            {
                "source": {**_BATCH_FILTER, "description": "Only these sources (any of them)."},
                "collection": {**_BATCH_FILTER, "description": "Only these collections (any of them)."},
                "lang": {**_BATCH_FILTER, "description": "Only these language codes (e.g. id, en)."},
                "date_from": {**_DATE, "description": "Earliest date, YYYY-MM-DD; not after date_to."},
                "date_to": {**_DATE, "description": "Latest date, YYYY-MM-DD."},
            },
            required=[],
            description="The same filters for every term, as on the search page.",
        ),
        "format": {
            "type": "string",
            "enum": ["json", "csv"],
            "default": "json",
            "description": "json: the table as JSON; csv: the same rows as a CSV file (UTF-8 with a byte "
            f"order mark; columns {', '.join(BATCH_CSV_COLUMNS)}).",
        },
    },
    required=["terms"],
)
SCHEMAS["BatchRow"] = _object(
    {
        "line": {"type": "integer", "minimum": 1, "description": "The term's (first) line in the list."},
        "term": {"type": "string"},
        "documents": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "Matching documents: the term's search's totals.documents (null on error).",
        },
        "groups": {"type": ["integer", "null"], "minimum": 0, "description": "Its totals.groups."},
        "passages": {"type": ["integer", "null"], "minimum": 0, "description": "Its totals.passages."},
        "exact": {"type": ["boolean", "null"], "description": "false when documents is an estimate."},
        "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Warning"}},
        "error": {
            "anyOf": [SCHEMAS["Error"]["properties"]["error"], {"type": "null"}],
            "description": "Why this term could not be counted (the other terms still are).",
        },
        "search_url": {"type": "string", "description": "The term's search page, same filters."},
    }
)
SCHEMAS["BatchResponse"] = _object(
    {
        "mode": {"type": "string", "enum": ["keyword"], "description": "Batch search is keyword search."},
        "filters": _object(
            {
                "source": {"type": "array", "items": {"type": "string"}},
                "collection": {"type": "array", "items": {"type": "string"}},
                "lang": {"type": "array", "items": {"type": "string"}},
                "date_from": {"type": ["string", "null"]},
                "date_to": {"type": ["string", "null"]},
            }
        ),
        "terms": {**_COUNT, "description": "Distinct terms searched (one row each)."},
        "blank_lines": {**_COUNT, "description": "Blank terms skipped."},
        "duplicates": {
            "type": "array",
            "items": _object(
                {
                    "term": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "first_line": {"type": "integer", "minimum": 1},
                }
            ),
            "description": "Repeats of an earlier term (searched once, at its first line).",
        },
        "ignored_columns": {**_COUNT, "description": "CSV rows whose further columns were ignored."},
        "took_ms": {"type": "number", "minimum": 0},
        "rows": {"type": "array", "items": {"$ref": "#/components/schemas/BatchRow"}},
    }
)

SEARCH_LINKS = {
    "TheFirstDocument": {
        "operationId": "getDocument",
        "parameters": {"doc_id": "$response.body#/results/0/doc_id"},
        "description": "The first result's whole document.",
    },
    "PassagesLikeTheFirst": {
        "operationId": "similarPassages",
        "parameters": {"passage_id": "$response.body#/results/0/passages/0/passage_id"},
        "description": "Passages similar to the first result's best passage.",
    },
}
"""How a result leads to the other routes (schemathesis' stateful phase follows these to real ids)."""

_TEXTS = {
    400: "Invalid parameters (the message names the parameter)",
    404: "Not found",
    409: "Model does not match the index",
    503: "Elasticsearch unreachable, or index missing",
    504: "Elasticsearch did not answer within ARSIP_SEARCH_TIMEOUT",
    414: "URL longer than 16 KB",
    429: "Too many requests from this address (ARSIP_RATE_LIMIT)",
}


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _header(schema: dict, description: str) -> dict:
    return {"required": True, "schema": schema, "description": description}


def _responses(ok: dict, *errors: int) -> dict:
    responses = {"200": ok}
    if 503 in errors:
        errors = (*errors, 504)  # every route that talks to the engine can also time out
    errors = (*errors, 414, 429)  # guards in front of every route
    for code in errors:
        headers = None
        if code == 429:
            headers = {"Retry-After": _header({"type": "integer", "minimum": 1}, "Seconds to wait.")}
        responses[str(code)] = _json(_ERROR, _TEXTS[code], headers)
    return responses


_EXPORT_HEADERS = {
    "Content-Disposition": _header(
        {
            "type": "string",
            "pattern": r'^attachment; filename="arsip-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.(csv|jsonl)"$',
        },
        "attachment; filename=\"arsip-<query words>-<YYYY-MM-DD>.<csv|jsonl>\" ('search' without words).",
    ),
    "X-Arsip-Passages": _header(_COUNT, "Matching passages (the search's totals.passages)."),
    "X-Arsip-Documents": _header(_COUNT, "Matching documents (the search's totals.documents)."),
    "X-Arsip-Rows": _header(_COUNT, "Rows in this file (at most X-Arsip-Export-Limit)."),
    "X-Arsip-Export-Limit": _header(
        {"type": "integer", "minimum": 1, "maximum": 10_000}, "The cap (ARSIP_EXPORT_LIMIT, at most 10,000)."
    ),
    "X-Arsip-Capped": _header(
        {"type": "string", "enum": ["true", "false"]}, "true when the cap left matching passages out."
    ),
}
_EXPORT_DESCRIPTION = (
    "One row per matching passage, in the order the search shows them: documents by rank (the `rank` "
    "column), each with all its matching passages, best first, with their real scores in every mode; "
    "up to the cap. CSV: `text/csv; charset=utf-8`, starting with a UTF-8 byte order mark, a header row "
    f"with the columns {', '.join(EXPORT_COLUMNS)}. JSONL: `application/x-ndjson; charset=utf-8`, one "
    "JSON object per line with the same keys."
)


def _ready_schema() -> dict:
    return _object(
        {
            "ready": {"type": "boolean"},
            "checks": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "required": ["ok"],
                    "properties": {"ok": {"type": "boolean"}},
                },
            },
        }
    )


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "arsip search API",
            "version": "1.1.0",
            "description": "Keyword, semantic and hybrid search over an archive of passages. Every route "
            "answers GET only, but /api/batch (POST) and the saved searches' writes (405 with an Allow "
            'header otherwise). Errors are JSON: {"error": {"code", "message"}} (and "parameter", the URL '
            "parameter at fault, when one is).",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search passages, grouped by document or not",
                    "parameters": SEARCH_PARAMS,
                    "responses": _responses(
                        {
                            **_json({"$ref": "#/components/schemas/SearchResponse"}, "Results"),
                            "links": SEARCH_LINKS,
                        },
                        400,
                        409,
                        503,
                    ),
                }
            },
            "/api/documents/{doc_id}": {
                "get": {
                    "operationId": "getDocument",
                    "summary": "A document's metadata and all its passages in order",
                    "parameters": [
                        _param("doc_id", {"type": "string"}, "Document id.", True, "path"),
                        _param(
                            "q",
                            {"type": "string", "maxLength": MAX_QUERY_CHARS},
                            "A search query whose words are marked in the passages (`highlight`), as the "
                            "search marks them." + ONCE,
                        ),
                    ],
                    "responses": _responses(
                        _json({"$ref": "#/components/schemas/Document"}, "The document"), 400, 404, 503
                    ),
                }
            },
            "/api/passages/{passage_id}/similar": {
                "get": {
                    "operationId": "similarPassages",
                    "summary": "Documents similar in meaning to a passage, ranked, one per document",
                    "parameters": [
                        _param(
                            "passage_id", {"type": "string"}, "Passage id (doc_id:position).", True, "path"
                        ),
                        _param(
                            "size",
                            _or_empty(
                                {
                                    "type": "integer",
                                    "minimum": 1,
                                    "maximum": MAX_SIZE,
                                    "default": DEFAULT_SIZE,
                                }
                            ),
                            f"How many, 1 to {MAX_SIZE}." + ONCE,
                        ),
                    ],
                    "responses": _responses(
                        _json({"$ref": "#/components/schemas/Similar"}, "Similar passages"),
                        400,
                        404,
                        409,
                        503,
                    ),
                }
            },
            "/api/export": {
                "get": {
                    "operationId": "export",
                    "summary": "Download what a search found (CSV or JSONL), capped by ARSIP_EXPORT_LIMIT",
                    "description": _EXPORT_DESCRIPTION + " The parameters are those of /api/search, "
                    "validated the same way; the file always starts at the first result (`page` is checked, "
                    "then not used).",
                    "parameters": [
                        *SEARCH_PARAMS,
                        _param(
                            "format",
                            {"type": "string", "enum": ["csv", "jsonl"], "default": "csv"},
                            "File format.",
                        ),
                    ],
                    "responses": _responses(
                        {
                            "description": "The file, streamed",
                            "headers": _EXPORT_HEADERS,
                            "content": {
                                "text/csv": {"schema": {"type": "string"}},
                                "application/x-ndjson": {"schema": {"type": "string"}},
                            },
                        },
                        400,
                        409,
                        503,
                    ),
                }
            },
            "/api/batch": {
                "post": {
                    "operationId": "batchSearch",
                    "summary": "Matching documents per term for a list of terms or names",
                    "description": "Each term is searched in keyword mode with the same filters, and counted "
                    "exactly as /api/search counts it (a row's documents and passages are that search's "
                    "totals); the terms go to Elasticsearch a few hundred per request. A term the engine "
                    "rejects gets an `error`; the others are still counted.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/BatchRequest"}}
                        },
                    },
                    "responses": _responses(
                        {
                            "description": "The table (JSON), or the same rows as CSV with format=csv",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/BatchResponse"}
                                },
                                "text/csv": {"schema": {"type": "string"}},
                            },
                        },
                        400,
                        503,
                    ),
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "healthz",
                    "summary": "The process is alive",
                    "responses": {
                        "200": _json(_object({"status": {"type": "string", "enum": ["ok"]}}), "alive"),
                        "414": _json(_ERROR, _TEXTS[414]),
                    },
                }
            },
            "/readyz": {
                "get": {
                    "operationId": "readyz",
                    "summary": "Elasticsearch reachable, index present, model matching",
                    "responses": {
                        "200": _json(_ready_schema(), "ready"),
                        "503": _json(_ready_schema(), "not ready; the checks say why"),
                        "414": _json(_ERROR, _TEXTS[414]),
                    },
                }
            },
            **SAVED_PATHS,
        },
        "components": {"schemas": {**SCHEMAS, **SAVED_SCHEMAS}},
    }


def batch_body_errors(body: object) -> list[str]:
    """Where a batch request body breaks ``BatchRequest`` (empty when it keeps it): the server accepts
    exactly what the document describes."""
    errors = []
    for error in _BATCH_VALIDATOR.iter_errors(body):
        where = "/".join(str(part) for part in error.instance_path)
        errors.append(f"{where}: {error.message}" if where else error.message)
    return errors


_BATCH_VALIDATOR = jsonschema_rs.validator_for(
    {**SCHEMAS["BatchRequest"], "components": {"schemas": SCHEMAS}}, validate_formats=True
)
