"""Links that carry a search's state: facet values that toggle, filter chips that remove, and the way from a
document (or its similar documents) back to the results.

Pure functions over the query string as ``(name, value)`` pairs, so the UI works without JavaScript (every
change is a plain GET link) and each rule is unit-tested. Values of one filter parameter are OR, filters are
AND (``SearchRequest.from_args``); a parameter may be repeated or hold comma-separated values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from searchapp.facets import FACETS

FILTER_PARAMS = {facet.name: facet.parameter for facet in FACETS}
"""Facet name → the URL parameter that selects its values."""
ALIASES = {"lang": ("lang", "language")}
"""Parameters that ``SearchRequest.from_args`` reads under several names."""
SEARCH_STATE = (
    "q",
    "mode",
    "sort",
    "page",
    "size",
    "group",
    "fusion",
    "dedupe",
    "exact",
    "related",
    "undated",
    *FILTER_PARAMS.values(),  # every facet's, the people, organisations and places too
    "language",
    "date_from",
    "date_to",
    "versions_of",
)
"""What a results page is made of: carried to a document and back, so "back to results" is that page."""

Pairs = list[tuple[str, str]]


def search_state(pairs: Iterable[tuple[str, str]]) -> Pairs:
    """Only the parameters that make a results page (not ``p``, ``ui`` or a document's own)."""
    return [(k, v) for k, v in pairs if k in SEARCH_STATE and v != ""]


def values(pairs: Pairs, param: str) -> list[str]:
    """The values of a filter parameter (and its aliases), split at commas, first spelling of each kept."""
    out: list[str] = []
    for key, raw in pairs:
        if key in ALIASES.get(param, (param,)):
            for value in (v.strip() for v in raw.split(",")):
                if value and value.lower() not in {o.lower() for o in out}:
                    out.append(value)
    return out


def with_values(pairs: Pairs, param: str, new: list[str]) -> Pairs:
    """``pairs`` with ``param`` (and its aliases) replaced by ``new``, one pair per value, from page 1."""
    names = ALIASES.get(param, (param,))
    kept = [(k, v) for k, v in pairs if k not in names and k != "page"]
    return kept + [(param, value) for value in new]


def toggled(pairs: Pairs, param: str, value: str) -> Pairs:
    """Select ``value`` if it is not selected (OR with the others), else deselect it (case-insensitive)."""
    current = values(pairs, param)
    if value.lower() in {v.lower() for v in current}:
        return with_values(pairs, param, [v for v in current if v.lower() != value.lower()])
    return with_values(pairs, param, [*current, value])


def without(pairs: Pairs, *params: str) -> Pairs:
    """``pairs`` without these parameters (and their aliases), from page 1."""
    names = {name for param in params for name in ALIASES.get(param, (param,))}
    return [(k, v) for k, v in pairs if k not in names and k != "page"]


def facet_groups(
    facets: dict, pairs: Pairs, link: Callable[[Pairs], str], label: Callable[[str, str], str]
) -> list[dict]:
    """The facets as lists of toggle links: each value with its count (documents), selected or not.

    ``facets`` is the envelope's (``counting.read_facets``: counts without the facet's own selection, so
    every value stays listed); ``link`` turns pairs into a URL; ``label(facet, value)`` names a value.
    A value selected in the URL that the envelope does not list is shown too, without a count.
    """
    groups = []
    for name, param in FILTER_PARAMS.items():
        buckets = [
            b for b in (facets.get(name) or {}).get("buckets") or [] if b.get("value") not in (None, "")
        ]
        chosen = values(pairs, param)
        listed = {str(b["value"]).lower() for b in buckets}
        items = [
            {"value": str(b["value"]), "count": b.get("count"), "selected": bool(b.get("selected"))}
            for b in buckets
        ]
        items += [{"value": v, "count": None, "selected": True} for v in chosen if v.lower() not in listed]
        if not items:
            continue
        for item in items:
            item["label"] = label(name, item["value"])
            item["url"] = link(toggled(pairs, param, item["value"]))
        groups.append({"name": name, "param": param, "items": items})
    return groups


def filter_chips(pairs: Pairs, link: Callable[[Pairs], str], label: Callable[[str, str], str]) -> list[dict]:
    """One chip per active filter value of the URL (each removes only itself), dates and versions too.

    ``label(kind, value)`` names a chip's value: ``kind`` is a facet name, ``date_from``, ``date_to`` or
    ``versions_of``.
    """
    chips = []
    for name, param in FILTER_PARAMS.items():
        for value in values(pairs, param):
            chips.append(
                {
                    "kind": name,
                    "value": value,
                    "label": label(name, value),
                    "url": link(toggled(pairs, param, value)),
                }
            )
    for param in ("date_from", "date_to", "versions_of"):
        for value in values(pairs, param):
            remaining = [v for v in values(pairs, param) if v != value]
            chips.append(
                {
                    "kind": param,
                    "value": value,
                    "label": label(param, value),
                    "url": link(with_values(pairs, param, remaining)),
                }
            )
    return chips
