"""The query syntax's ``key:value`` filters (``source:``, ``collection:``, ``lang:``, ``person:``,
``org:``, ``place:``, ``title:``, ``author:``, ``date:``, ``from:``, ``to:``): what each key means and how
its value fills ``QueryFilters``, or which warning says why it does not. Apart from the parser
(``query_parser``), which finds the ``key:value`` tokens and hands them here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from arsip.entities.names import normalise_name
from searchapp.facets import FACETS
from searchapp.query_model import (
    QueryFilters,
    earlier_date,
    later_date,
    normalize_language,
    parse_partial_date,
)
from searchapp.query_warnings import QueryWarning, make_warning

FILTER_KEYS = {
    "source": "source",
    "collection": "collection",
    "lang": "language",
    "language": "language",
    "date": "date",
    "from": "from",
    "to": "to",
    "person": "person",
    "org": "org",
    "place": "place",
    "title": "title",
    "author": "author",
}
"""Typed key (lower-cased) → the filter it sets."""

_FACETS = {facet.name: facet for facet in FACETS}
_HAS_WORD_CHAR = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class FilterToken:
    """A typed ``key:value``: the key as typed (lower-cased), the value, the text as typed, and whether a
    ``-`` (or ``NOT``) excludes it."""

    key: str
    text: str
    raw: str
    negated: bool


def apply_filter(tok: FilterToken, filters: QueryFilters, warnings: list[QueryWarning]) -> None:
    """Record a ``key:value`` filter, or warn why it is not applied."""
    key = FILTER_KEYS[tok.key]
    values = [v.strip() for v in tok.text.split(",") if v.strip()]
    if key == "title":  # words, not a list: "title:dana,desa" is the words dana and desa
        values = [" ".join(tok.text.split())] if _HAS_WORD_CHAR.search(tok.text) else []
    if not values:
        example = {
            "source": "source:tempo.co",
            "collection": "collection:berita",
            "language": f"{tok.key}:id",
            "title": "title:pilkada",
            "author": "author:humas",
            "person": 'person:"Muhammad Hudori"',
            "org": "org:Bawaslu",
            "place": "place:Bandung",
        }
        warnings.append(make_warning("empty_filter", tok.raw, example=example.get(key, f"{tok.key}:2020-12")))
        return
    if key in ("title", "author"):
        target = {
            ("title", False): filters.titles,
            ("title", True): filters.exclude_titles,
            ("author", False): filters.authors,
            ("author", True): filters.exclude_authors,
        }[(key, tok.negated)]
        target.extend(v for v in values if v not in target)
        return
    if key in _FACETS:
        if key == "language":
            values = [normalize_language(v) for v in values]
        if key in ("person", "org", "place"):  # spelled as the index stores names (arsip.entities.names)
            values = [name for name in map(normalise_name, values) if name]
        facet = _FACETS[key]
        target = getattr(filters, facet.excludes if tok.negated else facet.selects)
        target.extend(v for v in values if v not in target)
        return
    if tok.negated:
        warnings.append(make_warning("date_not_excludable", tok.raw))
        return
    bounds = parse_partial_date(values[0]) if len(values) == 1 else None
    if bounds is None:
        warnings.append(make_warning("invalid_date", tok.raw))
        return
    start, end = bounds
    if key in ("date", "from"):
        filters.date_from = later_date(filters.date_from, start)
    if key in ("date", "to"):
        filters.date_to = earlier_date(filters.date_to, end)


def check_date_range(typed: list[str], filters: QueryFilters, warnings: list[QueryWarning]) -> None:
    """The date filters typed (``typed``, as written) leave an empty range (``from:2021 to:2019``): say so,
    matching nothing."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        warnings.append(
            make_warning("date_range_reversed", " ".join(t for t in typed if not t.startswith("-")))
        )
