"""The OpenAPI 3.1 description of the JSON API (served at /api/openapi.json)."""

from __future__ import annotations

from searchapp.search_request import FUSIONS, GROUPS, MAX_DEPTH, MAX_QUERY_CHARS, MAX_SIZE, MODES

_ERROR = {"$ref": "#/components/schemas/Error"}


def _param(name: str, schema: dict, description: str, required: bool = False, where: str = "query") -> dict:
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


SEARCH_PARAMS = [
    _param(
        "q",
        {"type": "string", "maxLength": MAX_QUERY_CHARS},
        'Query. Syntax: "phrase", -exclude, a OR b, source:x, collection:x, lang:id, date:2020-12, '
        "from:YYYY-MM-DD, to:YYYY-MM-DD. Malformed syntax is searched as plain text.",
    ),
    _param("mode", {"type": "string", "enum": list(MODES), "default": "hybrid"}, "Ranking mode."),
    _param("page", {"type": "integer", "minimum": 1, "default": 1}, f"Page number; page×size ≤ {MAX_DEPTH}."),
    _param(
        "size", {"type": "integer", "minimum": 1, "maximum": MAX_SIZE, "default": 10}, "Results per page."
    ),
    _param(
        "group",
        {"type": "string", "enum": list(GROUPS), "default": "document"},
        "document: documents with their best passages; passage: plain passages.",
    ),
    _param(
        "fusion",
        {"type": "string", "enum": list(FUSIONS)},
        "Hybrid fusion method (default: weighted, keyword 0.3 / semantic 0.7).",
    ),
    _param("highlight", {"type": "boolean", "default": True}, "Mark matched terms (false: faster)."),
    _param("facets", {"type": "boolean", "default": True}, "Facet counts (false: faster)."),
    _param("source", {"type": "string"}, "Filter by source (repeatable or comma-separated)."),
    _param("collection", {"type": "string"}, "Filter by collection (repeatable or comma-separated)."),
    _param("lang", {"type": "string"}, "Filter by language code, e.g. id, en."),
    _param("date_from", {"type": "string", "format": "date"}, "Earliest publication date (YYYY-MM-DD)."),
    _param("date_to", {"type": "string", "format": "date"}, "Latest publication date (YYYY-MM-DD)."),
]

_PASSAGE = {
    "type": "object",
    "properties": {
        "passage_id": {"type": "string"},
        "position": {"type": "integer"},
        "text": {"type": "string"},
        "highlight": {"type": ["string", "null"], "description": "HTML-escaped text with <mark> tags."},
    },
}
_DOCUMENT_FIELDS = {
    "doc_id": {"type": "string"},
    "title": {"type": ["string", "null"]},
    "url": {"type": ["string", "null"]},
    "source": {"type": ["string", "null"]},
    "collection": {"type": ["string", "null"]},
    "date": {"type": ["string", "null"]},
    "language": {"type": ["string", "null"]},
    "author": {"type": ["string", "null"]},
}


def _responses(ok: dict, *errors: int) -> dict:
    responses = {"200": ok}
    texts = {
        400: "Invalid parameters",
        404: "Not found",
        409: "Model does not match the index",
        503: "Elasticsearch unreachable, or index missing",
        504: "Elasticsearch did not answer within ARSIP_SEARCH_TIMEOUT",
        414: "URL longer than 16 KB",
        429: "Too many requests from this address (ARSIP_RATE_LIMIT); see the Retry-After header",
    }
    if 503 in errors:
        errors = (*errors, 504)  # every route that talks to the engine can also time out
    errors = (*errors, 414, 429)  # guards in front of every route
    for code in errors:
        responses[str(code)] = {
            "description": texts[code],
            "content": {"application/json": {"schema": _ERROR}},
        }
    return responses


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "arsip search API",
            "version": "1.0.0",
            "description": "Keyword, semantic and hybrid search over an archive of passages.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search passages, grouped by document or not",
                    "parameters": SEARCH_PARAMS,
                    "responses": _responses(
                        {
                            "description": "Results",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SearchResponse"}
                                }
                            },
                        },
                        400,
                        409,
                        503,
                    ),
                }
            },
            "/api/documents/{doc_id}": {
                "get": {
                    "summary": "A document's metadata and all its passages in order",
                    "parameters": [_param("doc_id", {"type": "string"}, "Document id.", True, "path")],
                    "responses": _responses(
                        {
                            "description": "The document",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            **_DOCUMENT_FIELDS,
                                            "passages": {"type": "array", "items": _PASSAGE},
                                        },
                                    }
                                }
                            },
                        },
                        404,
                        503,
                    ),
                }
            },
            "/api/passages/{passage_id}/similar": {
                "get": {
                    "summary": "Passages similar in meaning, from other documents",
                    "parameters": [
                        _param(
                            "passage_id", {"type": "string"}, "Passage id (doc_id:position).", True, "path"
                        ),
                        _param(
                            "size",
                            {"type": "integer", "minimum": 1, "maximum": MAX_SIZE, "default": 10},
                            "How many.",
                        ),
                    ],
                    "responses": _responses(
                        {
                            "description": "Similar passages",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        400,
                        404,
                        409,
                        503,
                    ),
                }
            },
            "/api/export": {
                "get": {
                    "summary": "Download matching passages (CSV or JSONL), capped by ARSIP_EXPORT_LIMIT",
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
                            "description": "The file",
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
            "/healthz": {
                "get": {"summary": "The process is alive", "responses": {"200": {"description": "alive"}}}
            },
            "/readyz": {
                "get": {
                    "summary": "Elasticsearch reachable, index present, model matching",
                    "responses": {
                        "200": {"description": "ready"},
                        "503": {"description": "not ready; the body says why"},
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                        }
                    },
                },
                "SearchResponse": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "mode": {"type": "string"},
                        "page": {"type": "integer"},
                        "size": {"type": "integer"},
                        "total": {"type": "integer"},
                        "took_ms": {"type": "number"},
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    **_DOCUMENT_FIELDS,
                                    "score": {"type": "number"},
                                    "passages": {"type": "array", "items": _PASSAGE},
                                },
                            },
                        },
                        "facets": {
                            "type": "object",
                            "additionalProperties": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {"value": {"type": "string"}, "count": {"type": "integer"}},
                                },
                            },
                        },
                    },
                },
            }
        },
    }
