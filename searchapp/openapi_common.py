"""Building blocks every part of the OpenAPI document uses: closed objects, JSON responses, and the error
responses each route lists (the guards in front of every route add 414 and 429, the engine 504)."""

from __future__ import annotations

from searchapp.errors import ErrorCode

ERROR_REF = {"$ref": "#/components/schemas/Error"}
COUNT = {"type": "integer", "minimum": 0}
GUARD_TEXTS = {
    400: "A query parameter this route does not list (code unknown_parameter)",
    413: "Request body too large (over the route's limit; /api/batch: a list of up to 1,000 terms fits)",
    414: "URL longer than 16 KB",
    429: "Too many requests from this address (ARSIP_RATE_LIMIT)",
    504: "Elasticsearch did not answer within ARSIP_SEARCH_TIMEOUT",
}
"""Errors every route shares, in the same words; each part of the document adds its routes' own."""


def object_schema(properties: dict, required: list[str] | None = None, closed: bool = True, **extra) -> dict:
    """An object schema; ``closed``: no other properties (so a new field must be documented here)."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    if closed:
        schema["additionalProperties"] = False
    return {**schema, **extra}


def json_response(schema: dict, description: str, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def header(schema: dict, description: str) -> dict:
    return {"required": True, "schema": schema, "description": description}


def responses(ok: dict, *errors: int, texts: dict[int, str], ok_status: int = 200) -> dict:
    """The success response and the error responses of a route (``texts``: what its errors mean).

    Every route answers 400 ``unknown_parameter`` to a query parameter it does not list."""
    out = {str(ok_status): ok}
    if 400 not in errors:
        errors = (400, *errors)
    if 503 in errors:
        errors = (*errors, 504)  # every route that talks to the engine can also time out
    for code in (*errors, 414, 429):  # guards in front of every route
        headers = None
        if code == 429:
            headers = {"Retry-After": header({"type": "integer", "minimum": 1}, "Seconds to wait.")}
        out[str(code)] = json_response(ERROR_REF, {**GUARD_TEXTS, **texts}[code], headers)
    return out


ERROR_SCHEMA = object_schema(
    {
        "error": object_schema(
            {
                "code": {
                    "type": "string",
                    "enum": [code.value for code in ErrorCode],
                    "description": "Stable, for programs.",
                },
                "message": {"type": "string", "description": "For people."},
                "parameter": {
                    "type": "string",
                    "description": "The URL parameter at fault, when one is (e.g. size).",
                },
            },
            required=["code", "message"],
        )
    }
)
