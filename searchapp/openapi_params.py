"""The search's parameters as the OpenAPI document states them, each derived from its ``SEARCH_PARAMS``
entry: the query parameters of /api/search and /api/export, a saved search's ``search`` object, and the
batch filters. ``tests/unit/test_openapi.py`` checks value by value that the server accepts exactly what
these schemas allow.
"""

from __future__ import annotations

from searchapp.openapi_common import object_schema
from searchapp.search_params import (
    BATCH_FILTERS,
    BOOLEAN_FALSE,
    BOOLEAN_TRUE,
    DATE_PATTERN,
    PARAMS,
    SEARCH_PARAMS,
    SearchParam,
)

EMPTY = {"type": "string", "maxLength": 0}
"""An empty value (``date_to=``, as an HTML form sends an empty field) means the parameter's default."""
DATE = {"anyOf": [{"type": "string", "format": "date", "pattern": DATE_PATTERN}, EMPTY]}
STRINGS = {"type": "array", "items": {"type": "string"}}
MAX_BATCH_FILTER_VALUES = 100
ONCE = " Give it at most once (a repeated parameter is refused)."
"""Said of every parameter that takes one value."""


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


BOOLEAN_PATTERN = "^(" + "|".join(_any_case(w) for w in (*BOOLEAN_TRUE, *BOOLEAN_FALSE)) + ")?$"
"""A boolean parameter's values in any case (``false``, ``False``, ``FALSE``, ``0``), or empty."""


def parameter(
    name: str, schema: dict, description: str, required: bool = False, where: str = "query"
) -> dict:
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


def number_or_empty(low: int, high: int, default: int) -> dict:
    """A whole number from ``low`` to ``high``, or an empty value meaning ``default``."""
    return {"anyOf": [{"type": "integer", "minimum": low, "maximum": high}, EMPTY], "default": default}


def _query_schema(param: SearchParam) -> dict:
    """What a URL may carry for ``param`` (a query value is text; an empty one means the default)."""
    if param.kind == "text":
        return {
            "type": "string",
            "maxLength": param.high,
            "examples": ["banjir jakarta", '"rapat kerja" -covid'],
        }
    if param.kind == "choice":
        schema: dict = {"type": "string", "enum": [*param.choices, ""]}
        if param.default is not None:
            schema["default"] = param.default
        return schema
    if param.kind == "int":
        return number_or_empty(param.low, param.high, param.default)
    if param.kind == "bool":
        default = "false" if param.default is False else "true"
        return {"type": "string", "pattern": BOOLEAN_PATTERN, "default": default}
    if param.kind == "date":
        return DATE
    return STRINGS


def query_parameter(param: SearchParam) -> dict:
    """``param`` as an OpenAPI query parameter."""
    out = parameter(param.name, _query_schema(param), param.api + (ONCE if param.kind != "list" else ""))
    if param.kind == "list":
        out |= {"style": "form", "explode": True}
    if param.deprecated:
        out["deprecated"] = True
    return out


SEARCH_PARAMETERS = [query_parameter(param) for param in SEARCH_PARAMS]
"""The query parameters of /api/search (and, with ``format``, of /api/export)."""


def search_object_schema(names: tuple[str, ...], stored: bool) -> dict:
    """A saved search's ``search``: the search page's URL arguments ``names`` as an object.

    ``stored``: as the server answers it, in canonical form (the defaults are left out, but q, mode and
    sort are always there); otherwise as a client sends it (empty values mean the defaults).
    """
    properties = {}
    for param in (PARAMS[name] for name in names):
        if param.kind == "text":
            schema = {"type": "string", "maxLength": param.high}
        elif param.kind == "choice" and stored:
            schema = {"type": "string", "enum": list(param.choices)}
        elif param.kind == "choice":
            schema = {"type": "string", "enum": [*param.choices, ""]}
        elif param.kind == "date" and stored:
            schema = {"type": "string", "format": "date"}
        elif param.kind == "date":
            schema = dict(DATE)
        elif param.kind == "bool":
            schema = {"type": "boolean"}
        else:
            schema = dict(STRINGS)
        description = param.saved
        if param.kind == "choice":
            description = None if stored else f"{param.saved} (empty: the default)."
        elif param.kind == "date" and stored:
            description = None
        if description:
            schema["description"] = description
        properties[param.name] = schema
    if stored:
        return object_schema(properties, required=["q", "mode", "sort"])
    return object_schema(
        properties,
        required=[],
        description="The search page's arguments (as /api/search takes them); page and size are not kept.",
    )


def batch_filters_schema() -> dict:
    """The filters a batch request may send (the same for every term)."""
    properties = {}
    for param in BATCH_FILTERS:
        if param.kind == "date":
            properties[param.name] = {**DATE, "description": param.batch}
        elif param.kind == "bool":
            properties[param.name] = {"type": "boolean", "description": param.batch}
        else:
            properties[param.name] = {
                **STRINGS,
                "maxItems": MAX_BATCH_FILTER_VALUES,
                "description": param.batch,
            }
    return object_schema(
        properties, required=[], description="The same filters for every term, as on the search page."
    )


def batch_filters_answer_schema() -> dict:
    """The filters as a batch answer repeats them (every one present; a date may be null)."""
    return object_schema(
        {
            param.name: {"type": ["string", "null"]}
            if param.kind == "date"
            else ({"type": "boolean"} if param.kind == "bool" else dict(STRINGS))
            for param in BATCH_FILTERS
        }
    )
