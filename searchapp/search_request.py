"""URL arguments → a validated ``SearchRequest`` (the first step of every search: API, UI, CLI, export).

Invalid parameters raise ``SearchError`` (400) with a message that names only what the user typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

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
                400, "query_too_long", f"The query is longer than {MAX_QUERY_CHARS} characters."
            )
        if "\x00" in q:
            q = q.replace("\x00", " ")
        mode = one("mode", "hybrid") or "hybrid"
        if mode not in MODES:
            raise SearchError(400, "invalid_mode", f"mode must be one of {', '.join(MODES)}.")
        group = one("group", "document") or "document"
        if group not in GROUPS:
            raise SearchError(400, "invalid_group", f"group must be one of {', '.join(GROUPS)}.")
        fusion = one("fusion") or None
        if fusion is not None and fusion not in FUSIONS:
            raise SearchError(400, "invalid_fusion", f"fusion must be one of {', '.join(FUSIONS)}.")
        sort = one("sort", "relevance") or "relevance"
        if sort not in SORTS:
            raise SearchError(400, "invalid_sort", f"sort must be one of {', '.join(SORTS)}.")
        page = int_arg(one("page"), "page", 1, 1, MAX_DEPTH)
        size = int_arg(one("size"), "size", DEFAULT_SIZE, 1, MAX_SIZE)
        if page * size > MAX_DEPTH:
            # Worded for both the API caller who set size and the UI user who only followed page links.
            raise SearchError(
                400,
                "page_too_deep",
                f"Only the first {MAX_DEPTH} results can be paged through: at {size} results a page, "
                f"page may be at most {MAX_DEPTH // size}. Refine the query to see later results.",
            )
        date_from = _date_arg(one("date_from"), "date_from")
        date_to = _date_arg(one("date_to"), "date_to")
        if date_from and date_to and date_from > date_to:
            raise SearchError(
                400, "invalid_date_range", "The start date (date_from) is after the end date (date_to)."
            )
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
        raise SearchError(400, "repeated_parameter", f"{name} was given more than once; give it once.")
    return values[0] if values else default


def _bool_arg(raw: str | None, name: str) -> bool:
    if raw in (None, ""):
        return True
    value = str(raw)
    if value in BOOLEAN_TRUE:
        return True
    if value in BOOLEAN_FALSE:
        return False
    raise SearchError(400, f"invalid_{name}", f"{name} must be true or false.")


def int_arg(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    """A whole number written in ASCII digits (``int()`` alone also takes " 5", "1_0" and "١٢")."""
    if raw in (None, ""):
        return default
    if not _INTEGER.fullmatch(str(raw)):
        raise SearchError(400, f"invalid_{name}", f"{name} must be a whole number.")
    value = int(str(raw)) if len(str(raw)) <= 20 else high + 1  # (int() refuses 4,301+ digits)
    if not low <= value <= high:
        raise SearchError(400, f"invalid_{name}", f"{name} must be between {low} and {high}.")
    return value


def _date_arg(raw: str | None, name: str) -> str | None:
    """YYYY-MM-DD, a real calendar date; empty (an HTML form's empty date field) means no bound."""
    if raw in (None, ""):
        return None
    raw = str(raw)
    words = "The start date" if name == "date_from" else "The end date"
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError
        date.fromisoformat(raw)
    except ValueError:
        raise SearchError(
            400, f"invalid_{name}", f"{words} ({name}) must be a real date written YYYY-MM-DD."
        ) from None
    return raw
