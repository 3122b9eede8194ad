"""URL arguments → a validated ``SearchRequest`` (the first step of every search: API, UI, CLI, export).

Invalid parameters raise ``SearchError`` (400) with a message in the user's words (``PARAMETER_LABELS``:
"results per page", never ``size``) in English and Indonesian; ``parameter`` names the URL parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from searchapp.errors import SearchError
from searchapp.query_parser import QueryFilters

MODES = ("hybrid", "keyword", "semantic")
GROUPS = ("document", "passage")
FUSIONS = ("rrf", "weighted")
SORTS = ("relevance", "newest", "oldest")
MAX_QUERY_CHARS = 1000
MAX_SIZE = 100
DEFAULT_SIZE = 10
MAX_DEPTH = 1000  # page * size: deeper paging costs more than it is worth
BOOLEAN_TRUE = ("1", "true", "yes", "on")
BOOLEAN_FALSE = ("0", "false", "no", "off")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only (``\d`` also takes "١")
_INTEGER = re.compile(r"-?[0-9]+")
PARAMETER_LABELS = {
    "q": _l("the query"),
    "mode": _l("the search mode"),
    "group": _l("grouping"),
    "fusion": _l("combining keyword and meaning results"),
    "sort": _l("the sort order"),
    "page": _l("the page number"),
    "size": _l("results per page"),
    "highlight": _l("highlighting"),
    "facets": _l("filter counts"),
    "dedupe": _l("grouping similar versions"),
    "format": _l("the export format"),
}
"""How messages name a URL parameter (lower case, to go inside a sentence)."""


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

    @classmethod
    def from_args(cls, args: Mapping) -> SearchRequest:
        """Validate URL-style arguments (values may be lists for repeated parameters)."""

        def one(name: str, default: str | None = None) -> str | None:
            value = args.get(name, default)
            if isinstance(value, (list, tuple)):
                return single(value, name, default)
            return value

        def many(*names: str) -> list[str]:
            values: list[str] = []
            for name in names:
                raw = args.get(name)
                raw = raw if isinstance(raw, (list, tuple)) else ([raw] if raw else [])
                for item in raw:
                    values += [v.strip() for v in str(item).split(",") if v.strip()]
            return values

        q = one("q", "") or ""
        if len(q) > MAX_QUERY_CHARS:
            raise SearchError(
                400,
                "query_too_long",
                _l("The query is longer than %(limit)d characters.", limit=MAX_QUERY_CHARS),
                parameter="q",
            )
        if "\x00" in q:
            q = q.replace("\x00", " ")
        mode = one("mode", "hybrid") or "hybrid"
        if mode not in MODES:
            message = _l("Unknown search mode: choose hybrid, keyword or semantic.")
            raise SearchError(400, "invalid_mode", message, parameter="mode")
        group = one("group", "document") or "document"
        if group not in GROUPS:
            message = _l("Unknown grouping: group the results by document or by passage.")
            raise SearchError(400, "invalid_group", message, parameter="group")
        fusion = one("fusion") or None
        if fusion is not None and fusion not in FUSIONS:
            message = _l("Unknown way of combining keyword and meaning results: use rrf or weighted.")
            raise SearchError(400, "invalid_fusion", message, parameter="fusion")
        sort = one("sort", "relevance") or "relevance"
        if sort not in SORTS:
            message = _l("Unknown sort order: sort by relevance, newest or oldest.")
            raise SearchError(400, "invalid_sort", message, parameter="sort")
        page = int_arg(one("page"), "page", 1, 1, MAX_DEPTH)
        size = int_arg(one("size"), "size", DEFAULT_SIZE, 1, MAX_SIZE)
        if page * size > MAX_DEPTH:
            # Worded for both the API caller who set size and the UI user who only followed page links.
            message = _l(
                "Only the first %(depth)d results can be paged through: at %(size)d results a page, "
                "the last page is %(last)d. Refine the query to see later results.",
                depth=MAX_DEPTH,
                size=size,
                last=MAX_DEPTH // size,
            )
            raise SearchError(400, "page_too_deep", message, parameter="page")
        date_from = _date_arg(one("date_from"), "date_from")
        date_to = _date_arg(one("date_to"), "date_to")
        if date_from and date_to and date_from > date_to:
            message = _l("The start date is after the end date.")
            raise SearchError(400, "invalid_date_range", message, parameter="date_from")
        filters = QueryFilters(
            sources=many("source"),
            collections=many("collection"),
            languages=many("lang", "language"),
            date_from=date_from,
            date_to=date_to,
            dup_groups=many("versions_of"),
        )
        return cls(
            q=q.strip(),
            mode=mode,
            page=page,
            size=size,
            group=group,
            filters=filters,
            fusion=fusion,
            sort=sort,
            highlight=_bool_arg(one("highlight"), "highlight"),
            facets=_bool_arg(one("facets"), "facets"),
            dedupe=_bool_arg(one("dedupe"), "dedupe"),
        )


def single(values: list | tuple, name: str, default: str | None = None) -> str | None:
    """The one value of a parameter that takes one: given twice, it is refused, not half-read."""
    if len(values) > 1:
        message = _l(
            "The value for %(setting)s was given more than once; give it once.", setting=_label(name)
        )
        raise SearchError(400, "repeated_parameter", message, parameter=name)
    return values[0] if values else default


def _bool_arg(raw: str | None, name: str) -> bool:
    if raw in (None, ""):
        return True
    value = str(raw)
    if value in BOOLEAN_TRUE:
        return True
    if value in BOOLEAN_FALSE:
        return False
    message = _l("The value for %(setting)s must be true or false.", setting=_label(name))
    raise SearchError(400, f"invalid_{name}", message, parameter=name)


def int_arg(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    """A whole number written in ASCII digits (``int()`` alone also takes " 5", "1_0" and "١٢")."""
    if raw in (None, ""):
        return default
    if not _INTEGER.fullmatch(str(raw)):
        message = _l("The value for %(setting)s must be a whole number.", setting=_label(name))
        raise SearchError(400, f"invalid_{name}", message, parameter=name)
    value = int(str(raw)) if len(str(raw)) <= 20 else high + 1  # (int() refuses 4,301+ digits)
    if not low <= value <= high:
        raise SearchError(400, f"invalid_{name}", range_message(name, low, high), parameter=name)
    return value


def _date_arg(raw: str | None, name: str) -> str | None:
    """YYYY-MM-DD, a real calendar date; empty (an HTML form's empty date field) means no bound."""
    if raw in (None, ""):
        return None
    raw = str(raw)
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError
        date.fromisoformat(raw)
    except ValueError:
        if name == "date_from":
            message = _l("The start date must be a real date written YYYY-MM-DD.")
        else:
            message = _l("The end date must be a real date written YYYY-MM-DD.")
        raise SearchError(400, f"invalid_{name}", message, parameter=name) from None
    return raw


def _label(name: str):
    return PARAMETER_LABELS.get(name, name)


def range_message(name: str, low: int, high: int):
    """The message for a number out of its range, naming the parameter in words."""
    return _l(
        "The value for %(setting)s must be between %(low)d and %(high)d.",
        setting=_label(name),
        low=low,
        high=high,
    )
