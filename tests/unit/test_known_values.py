"""Filter values no document has are said, naming the closest known values (issue 21: ``source:tempo``
found nothing without a word; the value is ``tempo.co``)."""

from __future__ import annotations

from searchapp.query_model import QueryFilters
from searchapp.search.known_values import (
    SUGGESTED,
    KnownValues,
    closest,
    filters_by_facet,
    suggestions,
    unknown_value_warnings,
)

KNOWN = {
    "source": ["tempo.co", "Kompas.com", "humas", "okezone.com"],
    "collection": ["berita", "siaran-pers"],
    "language": ["id", "en"],
}


def test_the_closest_known_values_contain_the_typed_one_or_are_spelled_like_it():
    assert closest("tempo", KNOWN["source"]) == ["tempo.co"]
    assert closest("kompas", KNOWN["source"]) == ["Kompas.com"]
    assert closest("humass", KNOWN["source"]) == ["humas"]
    assert closest("zzz", KNOWN["source"]) == []


def test_known_values_compare_as_the_filters_do_case_insensitively():
    assert unknown_value_warnings(QueryFilters(sources=["TEMPO.CO"], languages=["id"]), KNOWN) == []


def test_each_unknown_selected_or_excluded_value_gets_one_warning():
    filters = QueryFilters(sources=["tempo"], collections=["humas"], exclude_sources=["zzz"])
    warnings = unknown_value_warnings(filters, KNOWN)
    assert [(w.code, w.text) for w in warnings] == [
        ("unknown_filter_value", "tempo"),
        ("unknown_filter_value_far", "zzz"),
        ("unknown_filter_value_far", "humas"),
    ]
    assert "tempo.co" in warnings[0].message_en and "tempo.co" in warnings[0].message_id
    assert "source" in warnings[0].message_en
    assert "berita" in warnings[2].message_en  # no close value: the archive's own values as examples


def test_known_values_are_asked_for_only_when_a_facet_is_filtered_and_then_kept():
    assert not filters_by_facet(QueryFilters(date_from="2020-01-01"))
    assert filters_by_facet(QueryFilters(exclude_languages=["en"]))

    class Engine:
        calls = 0

        def msearch(self, bodies):
            Engine.calls += 1
            buckets = {name: {"buckets": [{"key": v} for v in values]} for name, values in KNOWN.items()}
            return {"known": {"aggregations": buckets}}

    known = KnownValues()
    assert known.get(Engine()) == KNOWN and known.get(Engine()) == KNOWN
    assert Engine.calls == 1


def test_the_filters_offer_the_most_frequent_known_values_in_alphabetical_order():
    assert suggestions(KNOWN)["source"] == ["humas", "Kompas.com", "okezone.com", "tempo.co"]
    many = {"person": [f"Nama {i:04d}" for i in range(SUGGESTED + 50, 0, -1)]}  # most frequent first
    offered = suggestions(many)["person"]
    assert len(offered) == SUGGESTED == 200
    assert offered == sorted(many["person"][:SUGGESTED])  # the 200 most frequent, not the first 200 A–Z
    assert offered[0] == "Nama 0051"
