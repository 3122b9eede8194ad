"""The OpenAPI 3.1 description of the JSON API (served at /api/openapi.json): its routes.

It describes exactly what the server accepts and answers, both ways: every parameter comes from the
table ``search_params`` validates with (``openapi_params``), the answers' shapes are ``openapi_schemas``,
and ``tests/integration/test_api_contract.py`` runs schemathesis (all checks) against the served app over
a real index, so the document and the server cannot drift apart. One rule OpenAPI cannot express per
parameter is stated in the descriptions (and that test excuses its refusal): ``page × size ≤ MAX_DEPTH``.
Dates the wrong way round are not refused: nothing matches and a ``date_range_reversed`` warning says so.
"""

from __future__ import annotations

import jsonschema_rs

from searchapp.openapi_common import (
    COUNT,
    ERROR_REF,
    GUARD_TEXTS,
    header,
    json_response,
    object_schema,
    responses,
)
from searchapp.openapi_params import ONCE, SEARCH_PARAMETERS, number_or_empty, parameter
from searchapp.openapi_saved import SAVED_PATHS, SAVED_SCHEMAS
from searchapp.openapi_schemas import SCHEMAS
from searchapp.search.cursor import MAX_CURSOR_CHARS, MAX_CURSOR_SIZE
from searchapp.search.documents import MAX_PAGE_NUMBER
from searchapp.search.result_rows import EXPORT_COLUMNS
from searchapp.search_params import DEFAULT_SIZE, MAX_PAGE, MAX_QUERY_CHARS, PARAMS

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

TEXTS = {
    400: "Invalid parameters (the message names the parameter)",
    404: "Not found",
    409: "Model does not match the index",
    503: "Elasticsearch unreachable, or index missing",
}


_EXPORT_HEADERS = {
    "Content-Disposition": header(
        {
            "type": "string",
            "pattern": r'^attachment; filename="arsip-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.(csv|jsonl)"$',
        },
        'attachment; filename="arsip-<query words>-<filters, mode, order>-<YYYY-MM-DD>.<csv|jsonl>" '
        "('search' without words; e.g. arsip-pilkada-source-tempo-co-newest-2026-12-07.csv).",
    ),
    "X-Arsip-Passages": header(COUNT, "Matching passages (the search's totals.passages)."),
    "X-Arsip-Documents": header(COUNT, "Matching documents (the search's totals.documents)."),
    "X-Arsip-Rows": header(COUNT, "Rows in this file (at most X-Arsip-Export-Limit)."),
    "X-Arsip-Export-Limit": header(
        {"type": "integer", "minimum": 1, "maximum": 10_000}, "The cap (ARSIP_EXPORT_LIMIT, at most 10,000)."
    ),
    "X-Arsip-Capped": header(
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
    return object_schema(
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
            "parameter at fault, when one is). A query parameter a route does not list is refused (400, "
            "code unknown_parameter, naming it), never ignored. Stable prefix: every /api/… path below is "
            "also served as /api/v1/… (e.g. /api/v1/search), which scripts should use; the /api/… paths stay "
            "as aliases. Rate-limited responses carry RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset "
            "(seconds) and RateLimit-Policy headers.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search passages, grouped by document or not",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": responses(
                        {
                            **json_response({"$ref": "#/components/schemas/SearchResponse"}, "Results"),
                            "links": SEARCH_LINKS,
                        },
                        400,
                        409,
                        503,
                        texts=TEXTS,
                    ),
                }
            },
            "/api/passages": {
                "get": {
                    "operationId": "walkPassages",
                    "summary": "Every passage a search matches, walked with a cursor",
                    "description": "The search's parameters select the passages (those its counts count); "
                    "`size` passages come back per call, in a fixed order (the keyword score, then "
                    "passage_id; with sort=newest/oldest the date, undated last), read inside a point in "
                    "time, so no passage is skipped or repeated while the index changes. `page` is checked "
                    f"(1–{MAX_PAGE:,}), then not used (no page × size rule here).",
                    "parameters": [
                        *[p for p in SEARCH_PARAMETERS if p["name"] != "size"],
                        parameter(
                            "size",
                            number_or_empty(1, MAX_CURSOR_SIZE, DEFAULT_SIZE),
                            f"Passages per call (1–{MAX_CURSOR_SIZE:,}).",
                        ),
                        parameter(
                            "cursor",
                            {"type": "string", "maxLength": MAX_CURSOR_CHARS},
                            "The `next_cursor` of the previous call; absent: the first passages. Any other "
                            "string is refused (400 `invalid_cursor`), and so is an expired one (400 "
                            "`cursor_expired`).",
                        ),
                    ],
                    "responses": responses(
                        json_response({"$ref": "#/components/schemas/PassageWalk"}, "Passages"),
                        400,
                        409,
                        503,
                        texts=TEXTS,
                    ),
                }
            },
            "/api/documents/{doc_id}": {
                "get": {
                    "operationId": "getDocument",
                    "summary": "A document's metadata and all its passages in order",
                    "parameters": [
                        parameter("doc_id", {"type": "string"}, "Document id.", True, "path"),
                        parameter(
                            "q",
                            {"type": "string", "maxLength": MAX_QUERY_CHARS},
                            "A search query whose words are marked in the passages (`highlight`), as the "
                            "search marks them." + ONCE,
                        ),
                    ],
                    "responses": responses(
                        json_response({"$ref": "#/components/schemas/Document"}, "The document"),
                        400,
                        404,
                        503,
                        texts=TEXTS,
                    ),
                }
            },
            "/api/entities/{kind}/{name}": {
                "get": {
                    "operationId": "getEntity",
                    "summary": "A person, organisation or place across the archive",
                    "description": "Its documents over time, its sources, the entities most often named "
                    "in the same documents and its latest documents; counts are documents. The name is "
                    "matched as the index stores it (normalised, case-insensitive).",
                    "parameters": [
                        parameter(
                            "kind",
                            {"type": "string", "enum": ["person", "org", "place"]},
                            "What the name names.",
                            True,
                            "path",
                        ),
                        parameter(
                            "name", {"type": "string"}, "The name, e.g. Muhammad Hudori.", True, "path"
                        ),
                    ],
                    "responses": responses(
                        json_response({"$ref": "#/components/schemas/Entity"}, "The entity"),
                        404,
                        503,
                        texts=TEXTS,
                    ),
                }
            },
            "/api/documents/{doc_id}/pages/{page}/image": {
                "get": {
                    "operationId": "getPageImage",
                    "summary": "The picture of a page OCR read (a small PNG), to check a passage against",
                    "description": "Pages read by OCR keep a picture when indexed: 800 px wide, 4 grey "
                    "levels (~20–25 KB for a page of text). A passage's `page` and `page_ocr` say which "
                    "pages have one; other pages, and documents of other formats, answer 404.",
                    "parameters": [
                        parameter("doc_id", {"type": "string"}, "Document id.", True, "path"),
                        parameter(
                            "page",
                            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_NUMBER},
                            "Page number (1-based).",
                            True,
                            "path",
                        ),
                    ],
                    "responses": responses(
                        {
                            "description": "The page's picture",
                            "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}},
                        },
                        404,
                        503,
                        texts=TEXTS,
                    ),
                }
            },
            "/api/passages/{passage_id}/similar": {
                "get": {
                    "operationId": "similarPassages",
                    "summary": "Documents similar in meaning to a passage, ranked, one per document",
                    "parameters": [
                        parameter(
                            "passage_id", {"type": "string"}, "Passage id (doc_id:position).", True, "path"
                        ),
                        parameter(
                            "size",
                            number_or_empty(PARAMS["size"].low, PARAMS["size"].high, PARAMS["size"].default),
                            f"How many, 1 to {PARAMS['size'].high}." + ONCE,
                        ),
                    ],
                    "responses": responses(
                        json_response({"$ref": "#/components/schemas/Similar"}, "Similar passages"),
                        400,
                        404,
                        409,
                        503,
                        texts=TEXTS,
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
                        *SEARCH_PARAMETERS,
                        parameter(
                            "format",
                            {"type": "string", "enum": ["csv", "jsonl"], "default": "csv"},
                            "File format.",
                        ),
                    ],
                    "responses": responses(
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
                        texts=TEXTS,
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
                    "responses": responses(
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
                        413,
                        503,
                        texts=TEXTS,
                    ),
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "healthz",
                    "summary": "The process is alive",
                    "responses": {
                        "200": json_response(
                            object_schema({"status": {"type": "string", "enum": ["ok"]}}), "alive"
                        ),
                        "414": json_response(ERROR_REF, GUARD_TEXTS[414]),
                    },
                }
            },
            "/readyz": {
                "get": {
                    "operationId": "readyz",
                    "summary": "Elasticsearch reachable, index present, model matching",
                    "responses": {
                        "200": json_response(_ready_schema(), "ready"),
                        "503": json_response(_ready_schema(), "not ready; the checks say why"),
                        "414": json_response(ERROR_REF, GUARD_TEXTS[414]),
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
