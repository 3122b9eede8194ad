"""Which query words a shown result lacks (semantic and hybrid results may match by meaning alone).

A *unit* is one requirement of the keyword semantics (``ParsedQuery.required_units``): a word, a
phrase, a wildcard or fuzzy word, or an ``a OR b`` group. A result lacks a unit when none of its shown
passages (text or title) matches it the way keyword search would (``query_builder.build_unit_query``:
stemmed forms count; stop words never count as missing). One size-0 request answers it for a page.
"""

from __future__ import annotations

from collections.abc import Callable

from searchapp.query_model import ParsedQuery, Unit, unit_label


def build_missing_body(
    parsed: ParsedQuery, passage_ids: list[str], unit_query: Callable[[Unit], dict]
) -> dict | None:
    """A size-0 request: for each shown passage, which units match (None when there is nothing to ask)."""
    units = parsed.required_units
    if not passage_ids or not units:
        return None
    filters = {f"u{i}": {"filter": unit_query(unit)} for i, unit in enumerate(units)}
    return {
        "query": {"ids": {"values": passage_ids}},
        "size": 0,
        "aggs": {"passages": {"terms": {"field": "passage_id", "size": len(passage_ids)}, "aggs": filters}},
    }


def read_missing(parsed: ParsedQuery, response: dict) -> dict[str, set[str]]:
    """Passage id → the labels of the units it does not match."""
    units = parsed.required_units
    out: dict[str, set[str]] = {}
    for bucket in response.get("aggregations", {}).get("passages", {}).get("buckets", []):
        out[bucket["key"]] = {
            unit_label(unit) for i, unit in enumerate(units) if bucket[f"u{i}"]["doc_count"] == 0
        }
    return out


def missing_for(passage_ids: list[str], missing: dict[str, set[str]], parsed: ParsedQuery) -> list[str]:
    """Units that none of a result's passages match, in query order."""
    if not passage_ids:
        return []
    lacking = set.intersection(*(missing.get(pid, set()) for pid in passage_ids))
    return [label for label in map(unit_label, parsed.required_units) if label in lacking]
