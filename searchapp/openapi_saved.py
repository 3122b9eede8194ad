"""The saved searches' part of the OpenAPI document (``openapi.py`` merges ``SAVED_PATHS`` and
``SAVED_SCHEMAS``): closed schemas for what ``saved_api`` accepts and answers, and the links the
contract test's stateful phase follows from a created saved search to its other routes.
"""

from __future__ import annotations

from searchapp.openapi_common import json_response, object_schema, responses
from searchapp.openapi_params import EMPTY, search_object_schema
from searchapp.saved_searches import (
    DEFAULT_LIST_SIZE,
    MAX_LIST_SIZE,
    MAX_NAME_CHARS,
    NAME_PATTERN,
    SAVED_PARAMS,
)

_REF = {"$ref": "#/components/schemas/SavedSearch"}
TEXTS = {
    400: "Invalid body or parameters (the message says what to change)",
    403: "Sent by a browser for another site's page (cross-site request), refused",
    404: "No such saved search (or not yours)",
    409: "Changed by another request meanwhile; try again",
    503: "Elasticsearch unreachable, or the passage index missing",
}

_NAME = {
    "type": "string",
    "maxLength": MAX_NAME_CHARS,
    "pattern": NAME_PATTERN,
    "description": f"At most {MAX_NAME_CHARS} characters, not only spaces or line breaks.",
}
_STAMP = {"type": "string", "format": "date-time"}

SAVED_SCHEMAS: dict = {
    "SavedSearchInput": object_schema(
        {"name": _NAME, "search": search_object_schema(SAVED_PARAMS, stored=False)}
    ),
    "SavedSearchRename": object_schema({"name": _NAME}),
    "SavedSearch": object_schema(
        {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "owner": {
                "type": "string",
                "description": 'Who it belongs to ("local" until there are accounts).',
            },
            "search": search_object_schema(SAVED_PARAMS, stored=True),
            "created_at": _STAMP,
            "updated_at": _STAMP,
            "last_opened_at": {**_STAMP, "description": "When it was last opened (or saved)."},
            "new_documents": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "Matching documents indexed since it was last opened (null: it cannot run "
                "any more, e.g. the model changed).",
            },
            "links": object_schema(
                {
                    "search": {"type": "string", "description": "The search page with this search."},
                    "api_search": {"type": "string", "description": "/api/search with this search."},
                    "open": {"type": "string", "description": "POST here when the user opened it."},
                    "atom": {"type": "string", "description": "Atom feed of the newest matches."},
                    "json_feed": {"type": "string", "description": "JSON Feed 1.1 of the newest matches."},
                }
            ),
        }
    ),
    "SavedSearchList": object_schema(
        {
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "size": {"type": "integer", "minimum": 1, "maximum": MAX_LIST_SIZE},
            "saved": {"type": "array", "items": _REF, "description": "Most recently saved first."},
        }
    ),
    "JsonFeed": {
        "type": "object",
        "required": ["version", "title", "items"],
        "properties": {
            "version": {"type": "string", "const": "https://jsonfeed.org/version/1.1"},
            "title": {"type": "string"},
            "home_page_url": {"type": "string"},
            "feed_url": {"type": "string"},
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "url", "title", "date_modified"],
                    "properties": {"id": {"type": "string"}, "url": {"type": "string"}},
                },
            },
        },
        "description": "JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): newest first.",
    },
}

_ID = {
    "name": "saved_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
    "description": "The saved search's id.",
}
_LINKS = {
    "TheSavedSearch": {"operationId": "getSaved", "parameters": {"saved_id": "$response.body#/id"}},
    "RenameIt": {"operationId": "renameSaved", "parameters": {"saved_id": "$response.body#/id"}},
    "OpenIt": {"operationId": "openSaved", "parameters": {"saved_id": "$response.body#/id"}},
    "ItsAtomFeed": {"operationId": "savedAtomFeed", "parameters": {"saved_id": "$response.body#/id"}},
    "ItsJsonFeed": {"operationId": "savedJsonFeed", "parameters": {"saved_id": "$response.body#/id"}},
    "DeleteIt": {"operationId": "deleteSaved", "parameters": {"saved_id": "$response.body#/id"}},
}


def _body(schema: str) -> dict:
    return {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


SAVED_PATHS: dict = {
    "/api/saved": {
        "get": {
            "operationId": "listSaved",
            "summary": "Saved searches, each with the documents new since it was last opened",
            "parameters": [
                {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "schema": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 1000}, EMPTY]},
                    "description": "Page, 1 to 1000. Give it at most once.",
                },
                {
                    "name": "size",
                    "in": "query",
                    "required": False,
                    "schema": {
                        "anyOf": [
                            {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": MAX_LIST_SIZE,
                                "default": DEFAULT_LIST_SIZE,
                            },
                            EMPTY,
                        ]
                    },
                    "description": f"Saved searches per page, 1 to {MAX_LIST_SIZE}. Give it at most once.",
                },
            ],
            "responses": responses(
                json_response({"$ref": "#/components/schemas/SavedSearchList"}, "The list"),
                400,
                503,
                texts=TEXTS,
            ),
        },
        "post": {
            "operationId": "createSaved",
            "summary": "Save a search under a name",
            "requestBody": _body("SavedSearchInput"),
            "responses": responses(
                {**json_response(_REF, "Saved (Location: its URL)"), "links": _LINKS},
                400,
                403,
                413,
                503,
                texts=TEXTS,
                ok_status=201,
            ),
        },
    },
    "/api/saved/{saved_id}": {
        "get": {
            "operationId": "getSaved",
            "summary": "One saved search, with the documents new since it was last opened",
            "parameters": [_ID],
            "responses": responses(json_response(_REF, "The saved search"), 404, 503, texts=TEXTS),
        },
        "patch": {
            "operationId": "renameSaved",
            "summary": "Rename a saved search",
            "parameters": [_ID],
            "requestBody": _body("SavedSearchRename"),
            "responses": responses(json_response(_REF, "Renamed"), 400, 403, 404, 409, 413, 503, texts=TEXTS),
        },
        "delete": {
            "operationId": "deleteSaved",
            "summary": "Delete a saved search",
            "parameters": [_ID],
            "responses": responses(
                {"description": "Deleted"}, 403, 404, 409, 503, texts=TEXTS, ok_status=204
            ),
        },
    },
    "/api/saved/{saved_id}/open": {
        "post": {
            "operationId": "openSaved",
            "summary": "Mark a saved search opened (as running it on the page does): nothing is new any more",
            "parameters": [_ID],
            "responses": responses(json_response(_REF, "Marked opened"), 403, 404, 409, 503, texts=TEXTS),
        }
    },
    "/api/saved/{saved_id}/feed.atom": {
        "get": {
            "operationId": "savedAtomFeed",
            "summary": "Atom feed of the saved search's newest matching documents (by indexing time)",
            "parameters": [_ID],
            "responses": responses(
                {
                    "description": "Atom 1.0",
                    "content": {"application/atom+xml": {"schema": {"type": "string"}}},
                },
                404,
                503,
                texts=TEXTS,
            ),
        }
    },
    "/api/saved/{saved_id}/feed.json": {
        "get": {
            "operationId": "savedJsonFeed",
            "summary": "JSON Feed 1.1 of the saved search's newest matching documents (by indexing time)",
            "parameters": [_ID],
            "responses": responses(
                {
                    "description": "JSON Feed 1.1",
                    "content": {
                        "application/feed+json": {"schema": {"$ref": "#/components/schemas/JsonFeed"}}
                    },
                },
                404,
                503,
                texts=TEXTS,
            ),
        }
    },
}
