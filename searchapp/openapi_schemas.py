"""The shapes the JSON API answers with (``components.schemas`` of the OpenAPI document): closed objects,
so a field the server adds must be documented here first (the contract test checks every answer).
"""

from __future__ import annotations

from searchapp.batch import CSV_COLUMNS as BATCH_CSV_COLUMNS
from searchapp.batch import MAX_TERMS
from searchapp.openapi_common import COUNT, ERROR_SCHEMA, object_schema
from searchapp.openapi_params import batch_filters_answer_schema, batch_filters_schema
from searchapp.search_params import GROUPS, MAX_PAGE, MAX_QUERY_CHARS, MAX_SIZE, MODES, SORTS

_NULLABLE_STRING = {"type": ["string", "null"]}
_DOCUMENT_FIELDS = {
    "doc_id": {"type": "string", "description": "The internal id (README, Indexing: the id rule)."},
    "record_id": {
        "type": ["string", "null"],
        "description": "The record's own id as the input gave it (null for files, and for documents indexed "
        "before it was stored); /api/documents/{doc_id} also finds a document by it.",
    },
    "title": _NULLABLE_STRING,
    "url": _NULLABLE_STRING,
    "source": _NULLABLE_STRING,
    "collection": _NULLABLE_STRING,
    "date": {
        "type": ["string", "null"],
        "description": "Publication date, YYYY-MM-DD; YYYY-MM or YYYY when the input gave only that.",
    },
    "date_precision": {
        "type": ["string", "null"],
        "enum": ["month", "year", None],
        "description": "month or year for a partial date (it counts as its first day in date filters and "
        "in that month or year in the histogram); null for a full date.",
    },
    "language": _NULLABLE_STRING,
    "author": _NULLABLE_STRING,
    "date_source": {
        "type": ["string", "null"],
        "description": "How the date was found: metadata, dateline or text.",
    },
    "place": {"type": ["string", "null"], "description": "The place a dateline names."},
}
_PAGE_FIELDS = {
    "page": {
        "type": ["integer", "null"],
        "minimum": 1,
        "description": "The page of a PDF or image the passage lies on (a passage never crosses pages); "
        "null for other formats and for PDFs indexed before pages were kept.",
    },
    "page_ocr": {
        "type": ["boolean", "null"],
        "description": "Whether OCR (Tesseract) read that page; its picture is then at "
        "/api/documents/{doc_id}/pages/{page}/image.",
    },
    "ocr_confidence": {
        "type": ["number", "null"],
        "minimum": 0,
        "maximum": 100,
        "description": "Tesseract's mean word confidence for the page, 0–100 (OCR'd pages only).",
    },
}
_PASSAGE_REQUIRED = (
    "passage_id",
    "position",
    "paragraph",
    "score",
    "text",
    "highlight",
    *_PAGE_FIELDS,
)
"""A passage's fields, all but ``match`` (a search's passages have it; similar passages do not)."""
SCHEMAS: dict = {
    "Error": ERROR_SCHEMA,
    "Passage": object_schema(
        {
            "passage_id": {"type": "string", "description": "doc_id:position"},
            "position": {"type": "integer", "minimum": 0},
            "paragraph": {
                "type": "integer",
                "minimum": 1,
                "description": "The number people see and cite: ¶ N on the page, #p-N and ?p=N in its links, "
                "the export's paragraph column (position + 1).",
            },
            "score": {"type": "number", "description": "The passage's score in the mode's ranking."},
            "match": {
                "type": "string",
                "enum": ["all_words", "some_words", "meaning"],
                "description": "The part of the set it belongs to: it holds every query word, some of them "
                "(hybrid only: a partial match), or is related by meaning alone. Not on similar passages.",
            },
            "text": {"type": "string"},
            "highlight": {
                "type": ["string", "null"],
                "description": "HTML-escaped text with <mark> tags; null without a match to mark.",
            },
            **_PAGE_FIELDS,
        },
        required=[*_PASSAGE_REQUIRED],
    ),
    "Result": object_schema(
        {
            **_DOCUMENT_FIELDS,
            "score": {"type": "number"},
            "match": {
                "type": "string",
                "enum": ["all_words", "some_words", "meaning"],
                "description": "The part of the set its best passage belongs to: it holds every query "
                "word, some of them (hybrid only: a partial match), or is related by meaning alone.",
            },
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
                **COUNT,
                "description": "Other matching documents of the same group, folded into this result.",
            },
            "passages": {"type": "array", "items": {"$ref": "#/components/schemas/Passage"}},
        },
        required=[*_DOCUMENT_FIELDS, "score", "passages"],
        description="A document with its best matching passages (one passage with group=passage).",
    ),
    "SimilarResult": object_schema(
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
    "Totals": object_schema(
        {
            "documents": {**COUNT, "description": "Matching documents; the same on every page."},
            "groups": {
                **COUNT,
                "description": "Near-duplicate groups among them (a document indexed without one is its "
                "own); `total` counts these while dedupe is on.",
            },
            "passages": {**COUNT, "description": "Matching passages; the same on every page."},
            "all_words_documents": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "Documents containing all query words (null in semantic mode).",
            },
            "some_words_documents": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "Hybrid: further documents holding some of the query words, among the "
                "archive's best partial matches (BM25 at least 0.1 of the best one's, at most 1,000 "
                "passages); 0 in keyword mode, null in semantic mode.",
            },
            "related_documents": {
                **COUNT,
                "description": "Further documents related by meaning only: a passage clears the query's "
                "relevance floor (`related`). 0 when nothing in the archive is related.",
            },
            "related_capped": {
                "type": "boolean",
                "description": "true when the related set reached its bound (1,000 passages): there may be "
                "more related passages than counted.",
            },
            "partial_capped": {
                "type": "boolean",
                "description": "Hybrid: true when the partial matches reached their bound (1,000 "
                "passages): more passages hold some of the words than counted.",
            },
            "undated_documents": {**COUNT, "description": "Matching documents without a date (facets)."},
            "undated_excluded": {
                **COUNT,
                "description": "Under a date range (without undated=true): the documents without a date "
                "that would match without the range, which it leaves out (facets).",
            },
            "exact": {
                "type": "boolean",
                "description": "true when `documents` (and `all_words_documents`) are exact counts of "
                "distinct documents, as they are up to 10,000; false above that bound, where `documents` "
                "is an estimate (within about 1 %, never below 10,001).",
            },
        },
        required=["documents", "groups", "passages", "all_words_documents", "related_documents", "exact"],
    ),
    "Warning": object_schema(
        {
            "code": {"type": "string", "description": "Stable, for programs."},
            "text": {"type": "string", "description": "The part of the query as typed."},
            "message": object_schema({"en": {"type": "string"}, "id": {"type": "string"}}),
        },
        closed=False,
        description="A part of the query that was not used as written.",
    ),
    "Facet": object_schema(
        {
            "buckets": {
                "type": "array",
                "items": object_schema(
                    {
                        "value": {"type": "string"},
                        "count": COUNT,
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
            "missing": {**COUNT, "description": "Matching documents without a value."},
        }
    ),
    "Histogram": object_schema(
        {
            "interval": {"type": "string", "enum": ["day", "month", "year"]},
            "buckets": {
                "type": "array",
                "items": object_schema(
                    {
                        "key": {"type": "string", "description": "YYYY or YYYY-MM"},
                        "from": {"type": "string", "format": "date"},
                        "to": {"type": "string", "format": "date", "description": "Inclusive."},
                        "documents": COUNT,
                    }
                ),
            },
            "undated_documents": COUNT,
        },
        description="Matching documents per month (per year when that would be over 36 months).",
    ),
    "SearchResponse": object_schema(
        {
            "query": {"type": "string"},
            "mode": {"type": "string", "enum": list(MODES), "description": "The mode that ran."},
            "sort": {"type": "string", "enum": list(SORTS)},
            "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            "size": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE},
            "group": {"type": "string", "enum": list(GROUPS)},
            "total": {
                **COUNT,
                "description": "The pager's unit: totals.groups (dedupe, the default), totals.documents "
                "(dedupe=false), or totals.passages with group=passage.",
            },
            "dedupe": {"type": "boolean", "description": "Whether near-duplicate versions were folded."},
            "exact": {
                "type": "boolean",
                "description": "Whether unquoted words matched only in their typed forms (the `exact` "
                "parameter).",
            },
            "expansions": {
                "type": "array",
                "description": "Per unquoted query word, when words also match other forms of their root "
                "(exact=false, keyword or hybrid): the root and the other forms the shown results hold, "
                "most frequent first (at most 12). Empty otherwise.",
                "items": object_schema(
                    {
                        "word": {"type": "string"},
                        "root": {"type": "string"},
                        "forms": {"type": "array", "items": {"type": "string"}, "maxItems": 12},
                    }
                ),
            },
            "totals": {"$ref": "#/components/schemas/Totals"},
            "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Warning"}},
            "took_ms": {"type": "number", "minimum": 0},
            "timing": object_schema(
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
                **object_schema(
                    {
                        name: {"$ref": "#/components/schemas/Facet"}
                        for name in ("source", "collection", "language", "person", "org", "place")
                    },
                    required=[],
                ),
                "description": "Counts in documents; empty with facets=false. person, org and place: the "
                "people, organisations and places the documents name (normalised names).",
            },
            "histogram": {
                "anyOf": [{"$ref": "#/components/schemas/Histogram"}, {"type": "null"}],
                "description": "null with facets=false.",
            },
        }
    ),
    "Document": object_schema(
        {
            **_DOCUMENT_FIELDS,
            "query": {"type": "string", "description": "The `q` whose words are marked (empty: none)."},
            "title_highlight": {"type": "string", "description": "The title with <mark> tags."},
            "passages": {
                "type": "array",
                "items": object_schema(
                    {
                        "passage_id": {"type": "string"},
                        "position": {"type": "integer", "minimum": 0},
                        "paragraph": {"type": "integer", "minimum": 1, "description": "position + 1: ¶ N."},
                        "text": {"type": "string"},
                        "highlight": {
                            "type": ["string", "null"],
                            "description": "The whole passage, HTML-escaped, with <mark> around the query's "
                            "words; null without `q` or without a match in this passage.",
                        },
                        "mentions": {
                            "type": "array",
                            "items": object_schema(
                                {
                                    "kind": {"type": "string", "enum": ["person", "org", "place"]},
                                    "name": {"type": "string", "description": "The normalised name."},
                                    "start": {"type": "integer", "minimum": 0},
                                    "end": {"type": "integer", "minimum": 0},
                                },
                                required=["kind", "name", "start", "end"],
                            ),
                            "description": "People, organisations and places named in `text`, with their "
                            "character offsets in it (empty for passages indexed without entities).",
                        },
                        **_PAGE_FIELDS,
                    }
                ),
            },
            "entities": object_schema(
                {kind: {"type": "array", "items": {"type": "string"}} for kind in ("person", "org", "place")},
                required=[],
                description="The people, organisations and places the document names (normalised).",
            ),
        },
        required=[*_DOCUMENT_FIELDS, "query", "passages"],
    ),
    "PassageWalk": object_schema(
        {
            "passages": {
                "type": "array",
                "items": object_schema(
                    {
                        **_DOCUMENT_FIELDS,
                        "passage_id": {"type": "string"},
                        "paragraph": {
                            "type": ["integer", "null"],
                            "minimum": 1,
                            "description": "position + 1.",
                        },
                        "page": _PAGE_FIELDS["page"],
                        "score": {
                            "type": "number",
                            "description": "The keyword score (0: matched by meaning).",
                        },
                        "dup_group": {"type": ["string", "null"]},
                        **{
                            column: {
                                "type": "string",
                                "description": f"The {column} the passage names, `; ` between (empty: none).",
                            }
                            for column in ("people", "organisations", "places")
                        },
                        "text": {"type": ["string", "null"]},
                    },
                    description="A passage as an export row has it (without `rank`: the walk's order is not "
                    "the screen's ranking).",
                ),
            },
            "next_cursor": {
                "type": ["string", "null"],
                "description": "Send it as `cursor`, with the same search parameters, for the next passages; "
                "null on the last call. Valid 1 minute after each call.",
            },
        }
    ),
    "Similar": object_schema(
        {
            "passage_id": {"type": "string"},
            "passage": object_schema(
                {
                    **_DOCUMENT_FIELDS,
                    "passage_id": {"type": "string"},
                    "position": {"type": ["integer", "null"], "minimum": 0},
                    "paragraph": {"type": ["integer", "null"], "minimum": 1, "description": "position + 1."},
                    "text": {"type": ["string", "null"]},
                    **_PAGE_FIELDS,
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

_COUNTED = {
    "type": "array",
    "items": object_schema({"value": {"type": "string"}, "count": COUNT}),
}
SCHEMAS["Entity"] = object_schema(
    {
        "kind": {"type": "string", "enum": ["person", "org", "place"]},
        "name": {"type": "string", "description": "The name as the index stores it (normalised)."},
        "documents": {**COUNT, "description": "Documents naming it."},
        "histogram": {
            "anyOf": [{"$ref": "#/components/schemas/Histogram"}, {"type": "null"}],
            "description": "Its documents per month (per year over long spans).",
        },
        "sources": {**_COUNTED, "description": "Sources of its documents, most documents first."},
        "related": object_schema(
            {kind: _COUNTED for kind in ("person", "org", "place")},
            description="The entities most often named in its documents, by kind, most documents first.",
        ),
        "roles": {
            **_COUNTED,
            "description": "A person's roles written with the name (Gubernur, Sekda…), most documents first.",
        },
        "latest": {
            "type": "array",
            "items": object_schema(
                {
                    "doc_id": {"type": "string"},
                    "title": _NULLABLE_STRING,
                    "date": _NULLABLE_STRING,
                    "source": _NULLABLE_STRING,
                    "url": _NULLABLE_STRING,
                }
            ),
            "description": "Its newest documents (undated last).",
        },
    }
)

SCHEMAS["BatchRequest"] = object_schema(
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
        "filters": batch_filters_schema(),
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
SCHEMAS["BatchRow"] = object_schema(
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
SCHEMAS["BatchResponse"] = object_schema(
    {
        "mode": {"type": "string", "enum": ["keyword"], "description": "Batch search is keyword search."},
        "filters": batch_filters_answer_schema(),
        "terms": {**COUNT, "description": "Distinct terms searched (one row each)."},
        "blank_lines": {**COUNT, "description": "Blank terms skipped."},
        "duplicates": {
            "type": "array",
            "items": object_schema(
                {
                    "term": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "first_line": {"type": "integer", "minimum": 1},
                }
            ),
            "description": "Repeats of an earlier term (searched once, at its first line).",
        },
        "ignored_columns": {**COUNT, "description": "CSV rows whose further columns were ignored."},
        "took_ms": {"type": "number", "minimum": 0},
        "rows": {"type": "array", "items": {"$ref": "#/components/schemas/BatchRow"}},
    }
)
