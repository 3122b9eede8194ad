"""The saved searches' part of the OpenAPI document (``openapi.py`` merges ``SAVED_PATHS`` and
``SAVED_SCHEMAS``): closed schemas for what ``saved_api`` accepts and answers, and the links the
contract test's stateful phase follows from a created saved search to its other routes.
"""

from __future__ import annotations

from searchapp.saved_searches import MAX_LIST_SIZE, MAX_NAME_CHARS, NAME_PATTERN
from searchapp.search_request import FUSIONS, GROUPS, MAX_QUERY_CHARS, MODES, SORTS

_ERROR = {"$ref": "#/components/schemas/Error"}
_REF = {"$ref": "#/components/schemas/SavedSearch"}
_DATE_PATTERN = r"^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})-[0-9]{2}-[0-9]{2}$"
_TEXTS = {
    400: "Invalid body or parameters (the message says what to change)",
    403: "Sent by a browser for another site's page (cross-site request), refused",
    404: "No such saved search (or not yours)",
    409: "Changed by another request meanwhile; try again",
    414: "URL longer than 16 KB",
    429: "Too many requests from this address (ARSIP_RATE_LIMIT)",
    503: "Elasticsearch unreachable, or the passage index missing",
    504: "Elasticsearch did not answer within ARSIP_SEARCH_TIMEOUT",
}
LIST_DEFAULT_SIZE = 20


def _object(properties: dict, required: list[str] | None = None, **extra) -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }
    return {**schema, **extra}


def _choice(values: tuple[str, ...], what: str) -> dict:
    return {"type": "string", "enum": [*values, ""], "description": f"{what} (empty: the default)."}


def _search_schema(response: bool) -> dict:
    """The search a saved search keeps: the search page's URL arguments, as an object."""
    date = {
        "anyOf": [
            {"type": "string", "format": "date", "pattern": _DATE_PATTERN},
            {"type": "string", "maxLength": 0},
        ]
    }
    properties = {
        "q": {"type": "string", "maxLength": MAX_QUERY_CHARS, "description": "The query, as on /api/search."},
        "mode": _choice(MODES, "Ranking mode"),
        "sort": _choice(SORTS, "Order"),
        "fusion": _choice(FUSIONS, "Hybrid fusion"),
        "group": _choice(GROUPS, "Grouping"),
        "date_from": date,
        "date_to": {**date, "description": "Inclusive; not before date_from."},
        "source": {"type": "array", "items": {"type": "string"}, "description": "Any of these sources."},
        "collection": {"type": "array", "items": {"type": "string"}, "description": "Any of these."},
        "lang": {"type": "array", "items": {"type": "string"}, "description": "Any of these languages."},
        "dedupe": {"type": "boolean", "description": "Fold near-duplicate versions (default true)."},
    }
    if response:  # stored in canonical form: the defaults are left out, but q, mode and sort are always there
        for name, values in (("mode", MODES), ("sort", SORTS), ("fusion", FUSIONS), ("group", GROUPS)):
            properties[name] = {"type": "string", "enum": list(values)}
        properties["date_from"] = properties["date_to"] = {"type": "string", "format": "date"}
        return _object(properties, required=["q", "mode", "sort"])
    return _object(
        properties,
        required=[],
        description="The search page's arguments (as /api/search takes them); page and size are not kept.",
    )


_NAME = {
    "type": "string",
    "maxLength": MAX_NAME_CHARS,
    "pattern": NAME_PATTERN,
    "description": f"At most {MAX_NAME_CHARS} characters, not only spaces or line breaks.",
}
_STAMP = {"type": "string", "format": "date-time"}

SAVED_SCHEMAS: dict = {
    "SavedSearchInput": _object({"name": _NAME, "search": _search_schema(False)}),
    "SavedSearchRename": _object({"name": _NAME}),
    "SavedSearch": _object(
        {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "owner": {
                "type": "string",
                "description": 'Who it belongs to ("local" until there are accounts).',
            },
            "search": _search_schema(True),
            "created_at": _STAMP,
            "updated_at": _STAMP,
            "last_opened_at": {**_STAMP, "description": "When it was last opened (or saved)."},
            "new_documents": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "Matching documents indexed since it was last opened (null: it cannot run "
                "any more, e.g. the model changed).",
            },
            "links": _object(
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
    "SavedSearchList": _object(
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


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _responses(ok_status: int, ok: dict, *errors: int) -> dict:
    responses = {str(ok_status): ok}
    for code in (*errors, 414, 429):
        response = _json(_ERROR, _TEXTS[code])
        if code == 429:
            response["headers"] = {
                "Retry-After": {"required": True, "schema": {"type": "integer", "minimum": 1}}
            }
        responses[str(code)] = response
    return responses


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
                    "schema": {
                        "anyOf": [
                            {"type": "integer", "minimum": 1, "maximum": 1000},
                            {"type": "string", "maxLength": 0},
                        ]
                    },
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
                                "default": LIST_DEFAULT_SIZE,
                            },
                            {"type": "string", "maxLength": 0},
                        ]
                    },
                    "description": f"Saved searches per page, 1 to {MAX_LIST_SIZE}. Give it at most once.",
                },
            ],
            "responses": _responses(
                200, _json({"$ref": "#/components/schemas/SavedSearchList"}, "The list"), 400, 503, 504
            ),
        },
        "post": {
            "operationId": "createSaved",
            "summary": "Save a search under a name",
            "requestBody": _body("SavedSearchInput"),
            "responses": _responses(
                201,
                {**_json(_REF, "Saved (Location: its URL)"), "links": _LINKS},
                400,
                403,
                503,
                504,
            ),
        },
    },
    "/api/saved/{saved_id}": {
        "get": {
            "operationId": "getSaved",
            "summary": "One saved search, with the documents new since it was last opened",
            "parameters": [_ID],
            "responses": _responses(200, _json(_REF, "The saved search"), 404, 503, 504),
        },
        "patch": {
            "operationId": "renameSaved",
            "summary": "Rename a saved search",
            "parameters": [_ID],
            "requestBody": _body("SavedSearchRename"),
            "responses": _responses(200, _json(_REF, "Renamed"), 400, 403, 404, 409, 503, 504),
        },
        "delete": {
            "operationId": "deleteSaved",
            "summary": "Delete a saved search",
            "parameters": [_ID],
            "responses": _responses(204, {"description": "Deleted"}, 403, 404, 409, 503, 504),
        },
    },
    "/api/saved/{saved_id}/open": {
        "post": {
            "operationId": "openSaved",
            "summary": "Mark a saved search opened (as running it on the page does): nothing is new any more",
            "parameters": [_ID],
            "responses": _responses(200, _json(_REF, "Marked opened"), 403, 404, 409, 503, 504),
        }
    },
    "/api/saved/{saved_id}/feed.atom": {
        "get": {
            "operationId": "savedAtomFeed",
            "summary": "Atom feed of the saved search's newest matching documents (by indexing time)",
            "parameters": [_ID],
            "responses": _responses(
                200,
                {
                    "description": "Atom 1.0",
                    "content": {"application/atom+xml": {"schema": {"type": "string"}}},
                },
                404,
                503,
                504,
            ),
        }
    },
    "/api/saved/{saved_id}/feed.json": {
        "get": {
            "operationId": "savedJsonFeed",
            "summary": "JSON Feed 1.1 of the saved search's newest matching documents (by indexing time)",
            "parameters": [_ID],
            "responses": _responses(
                200,
                {
                    "description": "JSON Feed 1.1",
                    "content": {
                        "application/feed+json": {"schema": {"$ref": "#/components/schemas/JsonFeed"}}
                    },
                },
                404,
                503,
                504,
            ),
        }
    },
}
