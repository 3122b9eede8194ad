"""schemathesis hooks for ``test_api_contract.py`` (loaded through ``SCHEMATHESIS_HOOKS``).

OpenAPI describes each query parameter on its own, so a documented rule that joins parameters cannot be
written into the schema: ``page × size ≤ MAX_DEPTH``. A request that keeps every parameter's schema but
breaks it is still refused (400) by the server, as the document's descriptions say (dates the wrong way
round are answered, with a warning and nothing found). Only that exact case is excused: a
``positive_data_acceptance`` failure whose answer is the rule's own error code *and* whose query really
breaks the rule. Likewise a ``cursor`` (``/api/passages``) is an opaque token that only the server's own
``next_cursor`` can be: any other string fits the schema and is refused (``invalid_cursor``, or
``cursor_expired`` for one that was the server's), so that refusal is excused when the request sent a
cursor. A schema-violating request whose URL is too long is refused by the app's URL guard before any
parameter is read (414, documented on every route): a refusal, though not one of the statuses
schemathesis expects, so it is excused for schema-violating requests only. A schema-violating query
that reaches the wire as a valid one (an empty array sent as ``size=``, which means the default; the
boolean ``false`` sent as the text ``false``, a valid value of a text parameter) is no violation: an
accepted negative request is excused only when the query the server received, read back from the URL
sent, fits every parameter's schema (``sent_query_fits``). Every other finding stands.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import jsonschema_rs
import schemathesis
from schemathesis.core import NotSet

from searchapp.search_params import DEFAULT_SIZE, MAX_DEPTH

CROSS_PARAMETER_CODES = {"page_too_deep"}
CURSOR_CODES = {"invalid_cursor", "cursor_expired"}


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def breaks_cross_parameter_rule(query: dict) -> str | None:
    """The error code the server must answer for ``query``'s parameters taken together, if any."""
    page, size = _first(query.get("page")), _first(query.get("size"))
    page = int(page) if page not in (None, "") else 1
    size = int(size) if size not in (None, "") else DEFAULT_SIZE
    if page * size > MAX_DEPTH:
        return "page_too_deep"
    return None


def _text_fits(text: str, schema: dict) -> bool:
    """Whether a query value (text on the wire) fits ``schema``, read as the text or the number or
    boolean it spells."""
    readings: list = [text]
    if re.fullmatch(r"-?\d+", text):
        readings.append(int(text))
    if text in ("true", "false"):
        readings.append(text == "true")
    return any(jsonschema_rs.is_valid(schema, reading) for reading in readings)


def sent_query_fits(parameters: dict[str, dict], url: str) -> bool:
    """Whether the query string of ``url`` (what the server received) fits ``parameters`` (name → the
    OpenAPI parameter): each declared value fits its schema, a single-valued parameter is given once,
    and the required ones are there. A schema with a ``$ref`` is not read (no fit)."""
    sent = parse_qs(urlsplit(url).query, keep_blank_values=True)
    for name, definition in parameters.items():
        schema = definition.get("schema", {})
        if "$ref" in json.dumps(schema):
            return False
        values = sent.get(name)
        if values is None:
            if definition.get("required"):
                return False
            continue
        if schema.get("type") == "array":
            items = schema.get("items", {})
            if not all(_text_fits(value, items) for value in values):
                return False
            if not jsonschema_rs.is_valid({k: v for k, v in schema.items() if k != "items"}, values):
                return False
        elif len(values) != 1 or not _text_fits(values[0], schema):
            return False
    return True


def _only_the_query_is_negated(case) -> bool:
    """Whether the case's schema violation, if any, is in its query alone (no body, path or header)."""
    components = getattr(case.meta, "components", None) or {}
    return (case.body is None or isinstance(case.body, NotSet)) and all(
        getattr(location, "value", str(location)) == "query" or not component.mode.is_negative
        for location, component in components.items()
    )


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """Keep every failure but a positive request refused for a cross-parameter rule it really breaks (or
    with a cursor the server did not give out), a negative one refused as a too-long URL, and a negative
    one whose query reached the server as a valid one."""
    if type(failure).__name__ == "AcceptedNegativeData":
        if response.status_code == 414:
            return False
        if _only_the_query_is_negated(case):
            parameters = {p.name: p.definition for p in case.operation.query}
            return not sent_query_fits(parameters, response.request.url)
        return True
    if type(failure).__name__ != "RejectedPositiveData" or response.status_code != 400:
        return True
    try:
        code = json.loads(response.content)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return True
    if code in CURSOR_CODES and (case.query or {}).get("cursor") not in (None, "", []):
        return False
    body = case.body if isinstance(case.body, dict) else {}
    search = body.get("search") if isinstance(body.get("search"), dict) else None  # a saved search's
    try:
        expected = breaks_cross_parameter_rule(search if search is not None else (case.query or {}))
        filters = body.get("filters") if isinstance(body.get("filters"), dict) else {}
        expected = expected or (breaks_cross_parameter_rule(filters) if filters else None)  # POST /api/batch
    except (TypeError, ValueError):
        return True
    return not (code in CROSS_PARAMETER_CODES and code == expected)
