"""The values each facet holds in the whole index, and what to say of a filter value none of them is.

``source:tempo`` used to find nothing without a word (the value is ``tempo.co``). A filter value that no
document has (compared as the filters compare: case-insensitively) now gets an ``unknown_filter_value``
warning naming the closest known values, and each facet's typed filter on the search and batch pages
offers the known values (a ``<datalist>`` of the ``SUGGESTED`` most frequent, ``suggestions``).
The values come from one terms aggregation over the index, kept for ``TTL_S`` seconds, and are only
asked for when a search filters by a facet (or the form needs them). A facet with more than
``MAX_VALUES`` values (the people, organisations and places) is not known whole that way: a filter value
outside its most frequent ones is looked up in the index itself before it is called unknown.
"""

from __future__ import annotations

import difflib
import threading
import time

from searchapp.facets import FACETS
from searchapp.query_model import QueryFilters
from searchapp.query_warnings import QueryWarning, make_warning
from searchapp.search.engine import Engine

TTL_S = 60.0
"""How long the known values are reused: a new source appears in the warnings at most this late."""
MAX_VALUES = 1000
"""Values read per facet (the suggestions and the comparison see the most frequent ones)."""
SHOWN = 3
"""Closest known values a warning names."""
SUGGESTED = 200
"""Values a facet's typed filter offers: the most frequent ones (a longer list helps no one pick)."""


class KnownValues:
    """The facets' values in the index, read at most once per ``TTL_S`` (shared by a service's threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, list[str]] | None = None
        self._cut: set[str] = set()  # facets with more values than MAX_VALUES
        self._read_at = 0.0

    def get(self, engine: Engine, filters: QueryFilters | None = None) -> dict[str, list[str]]:
        """Facet name → its values, most documents first; with ``filters``, plus those of their values
        that the index holds beyond a facet's ``MAX_VALUES`` most frequent ones."""
        values, cut = self._most_frequent(engine)
        if filters is None:
            return values
        asked = {
            facet.name: [v for v in (*getattr(filters, facet.selects), *getattr(filters, facet.excludes))]
            for facet in FACETS
            if facet.name in cut
        }
        found = _held(engine, {name: vs for name, vs in asked.items() if vs})
        return {name: [*known, *found.get(name, [])] for name, known in values.items()}

    def _most_frequent(self, engine: Engine) -> tuple[dict[str, list[str]], set[str]]:
        """Each facet's ``MAX_VALUES`` most frequent values, and the facets that have more."""
        with self._lock:
            if self._values is not None and time.monotonic() - self._read_at < TTL_S:
                return self._values, self._cut
        aggs = {facet.name: {"terms": {"field": facet.field, "size": MAX_VALUES}} for facet in FACETS}
        answer = engine.msearch({"known": {"size": 0, "track_total_hits": False, "aggs": aggs}})["known"]
        aggregations = answer.get("aggregations") or {}
        values = {
            name: [bucket["key"] for bucket in agg.get("buckets", [])] for name, agg in aggregations.items()
        }
        cut = {name for name, agg in aggregations.items() if agg.get("sum_other_doc_count")}
        with self._lock:
            self._values, self._cut, self._read_at = values, cut, time.monotonic()
        return values, cut


def suggestions(known: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each facet's ``SUGGESTED`` most frequent values in alphabetical order (what its filter offers)."""
    return {
        name: sorted(values[:SUGGESTED], key=lambda v: (v.casefold(), v)) for name, values in known.items()
    }


def _held(engine: Engine, asked: dict[str, list[str]]) -> dict[str, list[str]]:
    """Of the ``asked`` values per facet, those some document holds (compared case-insensitively, as the
    filters compare): one msearch, one size-0 count per value."""
    fields = {facet.name: facet.field for facet in FACETS}
    bodies = {
        f"{name} {i}": {
            "size": 0,
            "track_total_hits": 1,
            "query": {"term": {fields[name]: {"value": value, "case_insensitive": True}}},
        }
        for name, values in asked.items()
        for i, value in enumerate(values)
    }
    if not bodies:
        return {}
    answers = engine.msearch(bodies)
    return {
        name: [v for i, v in enumerate(values) if answers[f"{name} {i}"]["hits"]["total"]["value"] > 0]
        for name, values in asked.items()
    }


def filters_by_facet(filters: QueryFilters) -> bool:
    """Whether ``filters`` name any facet value (only then are the known values worth asking for)."""
    return any(getattr(filters, f.selects) or getattr(filters, f.excludes) for f in FACETS)


def unknown_value_warnings(filters: QueryFilters, known: dict[str, list[str]]) -> list[QueryWarning]:
    """One warning per selected or excluded facet value that no document has."""
    warnings = []
    for facet in FACETS:
        values = known.get(facet.name, [])
        folded = {value.casefold() for value in values}
        for value in [*getattr(filters, facet.selects), *getattr(filters, facet.excludes)]:
            if value.casefold() in folded:
                continue
            close = closest(value, values)
            if close:
                warnings.append(
                    make_warning(
                        "unknown_filter_value", value, facet=facet.parameter, closest=", ".join(close)
                    )
                )
            else:
                warnings.append(
                    make_warning(
                        "unknown_filter_value_far",
                        value,
                        facet=facet.parameter,
                        known=", ".join(values[: SHOWN + 2]) or "—",
                    )
                )
    return warnings


def closest(value: str, values: list[str]) -> list[str]:
    """The known values most like ``value``: those containing it or contained in it first (``tempo`` →
    ``tempo.co``), then the most similar spellings."""
    needle = value.casefold()
    containing = [v for v in values if needle in v.casefold() or v.casefold() in needle]
    similar = difflib.get_close_matches(needle, [v.casefold() for v in values], n=SHOWN, cutoff=0.6)
    by_folded = {v.casefold(): v for v in values}
    out = list(dict.fromkeys([*containing, *(by_folded[s] for s in similar)]))
    return out[:SHOWN]
