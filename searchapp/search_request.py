"""URL arguments → a validated ``SearchRequest`` (the first step of every search: API, UI, CLI, export).

Invalid parameters raise ``SearchError`` (400) with a message in the user's words (each parameter's
``label`` in ``search_params``: "results per page", never ``size``) in English and Indonesian;
``parameter`` names the URL parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from searchapp.errors import ErrorCode, SearchError
from searchapp.query_model import QueryFilters
from searchapp.search_params import BOOLEAN_FALSE, BOOLEAN_TRUE, MAX_DEPTH, PARAMS, SEARCH_PARAMS, SearchParam

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only (``\d`` also takes "١")
_INTEGER = re.compile(r"-?[0-9]+")
_LABELS = {param.name: param.label for param in SEARCH_PARAMS if param.label is not None}
_LABELS["format"] = _l("the export format")
_VALIDATION_ORDER = ("q", "mode", "group", "fusion", "sort", "related", "page", "size")
"""The order single-valued parameters are checked in before paging depth and dates (the first error wins)."""


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    mode: str = "hybrid"
    page: int = 1
    size: int = 10
    group: str = "document"
    filters: QueryFilters = field(default_factory=QueryFilters)
    fusion: str | None = None
    sort: str = "relevance"  # newest / oldest: by document date, undated documents last
    highlight: bool = True  # scripts that only need ids (evaluation, bulk look-ups) skip both passes
    facets: bool = True
    dedupe: bool = True  # one result per near-duplicate group ("+N similar versions"); False: every copy
    exact: bool = False  # unquoted words in their typed forms only (no stemmed twin)
    related: str = "close"  # the relevance floor (``searchapp.relatedness.FLOORS``)

    @classmethod
    def from_args(cls, args: Mapping) -> SearchRequest:
        """Validate URL-style arguments (values may be lists for repeated parameters), each with its entry
        in ``SEARCH_PARAMS``."""

        def checked(*names: str) -> dict:
            values = {}
            for name in names:
                raw = args.get(name)
                if isinstance(raw, (list, tuple)):
                    raw = single(raw, name)
                values[name] = _value(PARAMS[name], raw)
            return values

        values = checked(*_VALIDATION_ORDER)
        page, size = values["page"], values["size"]
        if page * size > MAX_DEPTH:
            # Worded for both the API caller who set size and the UI user who only followed page links.
            message = _l(
                "Only the first %(depth)d results can be paged through: at %(size)d results a page, "
                "the last page is %(last)d. Refine the query to see later results.",
                depth=MAX_DEPTH,
                size=size,
                last=MAX_DEPTH // size,
            )
            raise SearchError(400, ErrorCode.PAGE_TOO_DEEP, message, parameter="page")
        values |= checked("date_from", "date_to")  # reversed: nothing matches, the plan warns (not a 400)
        values |= checked("highlight", "facets", "dedupe", "exact", "undated")
        filters: dict[str, list[str] | str | bool | None] = {
            "date_from": values["date_from"],
            "date_to": values["date_to"],
            "include_undated": values.pop("undated"),
        }
        for param in SEARCH_PARAMS:
            if param.kind == "list":
                filters[param.field] = filters.get(param.field, []) + _listed(args.get(param.name))
        return cls(
            filters=QueryFilters(**filters),
            **{name: value for name, value in values.items() if name not in filters},
        )


def _value(param: SearchParam, raw: str | None):
    """One parameter's value, checked against its entry: the default when absent or empty."""
    if param.kind == "text":
        text = str(raw or "")
        if len(text) > param.high:
            message = _l("The query is longer than %(limit)d characters.", limit=param.high)
            raise SearchError(400, param.code, message, parameter=param.name)
        return text.replace("\x00", " ").strip()
    if param.kind == "choice":
        value = raw or param.default
        if value is not None and value not in param.choices:
            raise SearchError(400, param.code, param.refused, parameter=param.name)
        return value
    if param.kind == "int":
        return int_arg(raw, param.name, param.default, param.low, param.high)
    if param.kind == "bool":
        return _bool_arg(raw, param.name, True if param.default is None else bool(param.default))
    if param.kind == "date":
        return _date_arg(raw, param)
    raise ValueError(f"{param.name} takes several values")


def _listed(raw) -> list[str]:
    """A list parameter's values: repeated, comma-separated, or both (blanks dropped)."""
    raw = raw if isinstance(raw, (list, tuple)) else ([raw] if raw else [])
    return [v.strip() for item in raw for v in str(item).split(",") if v.strip()]


def single(values: list | tuple, name: str, default: str | None = None) -> str | None:
    """The one value of a parameter that takes one: given twice, it is refused, not half-read."""
    if len(values) > 1:
        message = _l(
            "The value for %(setting)s was given more than once; give it once.", setting=_label(name)
        )
        raise SearchError(400, ErrorCode.REPEATED_PARAMETER, message, parameter=name)
    return values[0] if values else default


def _bool_arg(raw: str | None, name: str, default: bool = True) -> bool:
    if raw in (None, ""):
        return default
    value = str(raw).lower()  # false, False and FALSE alike
    if value in BOOLEAN_TRUE:
        return True
    if value in BOOLEAN_FALSE:
        return False
    message = _l("The value for %(setting)s must be true or false.", setting=_label(name))
    raise SearchError(400, ErrorCode(f"invalid_{name}"), message, parameter=name)


def int_arg(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    """A whole number written in ASCII digits (``int()`` alone also takes " 5", "1_0" and "١٢")."""
    if raw in (None, ""):
        return default
    if not _INTEGER.fullmatch(str(raw)):
        message = _l("The value for %(setting)s must be a whole number.", setting=_label(name))
        raise SearchError(400, ErrorCode(f"invalid_{name}"), message, parameter=name)
    value = int(str(raw)) if len(str(raw)) <= 20 else high + 1  # (int() refuses 4,301+ digits)
    if not low <= value <= high:
        raise SearchError(400, ErrorCode(f"invalid_{name}"), range_message(name, low, high), parameter=name)
    return value


def _date_arg(raw: str | None, param: SearchParam) -> str | None:
    """YYYY-MM-DD, a real calendar date; empty (an HTML form's empty date field) means no bound."""
    if raw in (None, ""):
        return None
    raw = str(raw)
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError
        date.fromisoformat(raw)
    except ValueError:
        raise SearchError(400, param.code, param.refused, parameter=param.name) from None
    return raw


def _label(name: str):
    return _LABELS.get(name, name)


def range_message(name: str, low: int, high: int):
    """The message for a number out of its range, naming the parameter in words."""
    return _l(
        "The value for %(setting)s must be between %(low)d and %(high)d.",
        setting=_label(name),
        low=low,
        high=high,
    )
