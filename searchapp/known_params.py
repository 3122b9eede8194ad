"""Refuse query parameters an API route does not know (400 ``unknown_parameter``, naming them).

A misspelt filter (``sources=`` for ``source=``, ``from=`` for ``date_from=``) used to be ignored, and the
caller got unfiltered results that looked filtered. What a route knows is what the OpenAPI document lists
for it, so the document and the server cannot disagree about it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache

from searchapp.errors import ErrorCode, SearchError
from searchapp.openapi import openapi_document

_RULE_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@cache
def _known() -> dict[tuple[str, str], frozenset[str]]:
    """(OpenAPI path, method) → the query parameters the document lists for that operation."""
    known = {}
    for path, operations in openapi_document()["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            known[(path, method.upper())] = frozenset(names)
    return known


def unknown_parameter_error(rule: str, method: str, names: Iterable[str]) -> SearchError | None:
    """The 400 for the first of ``names`` (a request's query parameters) that the operation at Flask
    ``rule`` does not document, or None (also outside /api/: probes may add cache-busting parameters to
    /healthz and /readyz, and the pages ignore what they do not use)."""
    if not rule.startswith("/api/"):
        return None
    path = _RULE_VARIABLE.sub(r"{\1}", rule)
    method = "GET" if method == "HEAD" else method
    known = _known().get((path, method))
    if known is None:
        return None
    unknown = [name for name in dict.fromkeys(names) if name not in known]
    if not unknown:
        return None
    first = unknown[0]
    message = f"Unknown parameter: {', '.join(unknown)}."
    close = difflib.get_close_matches(first, sorted(known), n=3, cutoff=0.5)
    if close:
        message += f" Did you mean {' or '.join(close)}?"
    if known:
        message += f" This route takes: {', '.join(sorted(known))}."
    else:
        message += " This route takes no query parameters."
    return SearchError(400, ErrorCode.UNKNOWN_PARAMETER, message, parameter=first)
