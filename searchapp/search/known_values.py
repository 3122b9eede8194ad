"""The values each facet holds in the whole index, and what to say of a filter value none of them is.

``source:tempo`` used to find nothing without a word (the value is ``tempo.co``). A filter value that no
document has (compared as the filters compare: case-insensitively) now gets an ``unknown_filter_value``
warning naming the closest known values, and the search form offers the known values as suggestions.
The values come from one terms aggregation over the index, kept for ``TTL_S`` seconds, and are only
asked for when a search filters by a facet (or the form needs them).
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


class KnownValues:
    """The facets' values in the index, read at most once per ``TTL_S`` (shared by a service's threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, list[str]] | None = None
        self._read_at = 0.0

    def get(self, engine: Engine) -> dict[str, list[str]]:
        """Facet name → its values, most documents first."""
        with self._lock:
            if self._values is not None and time.monotonic() - self._read_at < TTL_S:
                return self._values
        aggs = {facet.name: {"terms": {"field": facet.field, "size": MAX_VALUES}} for facet in FACETS}
        answer = engine.msearch({"known": {"size": 0, "track_total_hits": False, "aggs": aggs}})["known"]
        values = {
            name: [bucket["key"] for bucket in agg.get("buckets", [])]
            for name, agg in (answer.get("aggregations") or {}).items()
        }
        with self._lock:
            self._values, self._read_at = values, time.monotonic()
        return values


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
