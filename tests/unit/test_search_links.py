"""Facet toggles, filter chips and the carried search state: pure link rules (searchapp/search_links.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from searchapp.search_links import facet_groups, filter_chips, search_state, toggled, values, without

PAIRS = [("q", "banjir"), ("source", "A,b"), ("language", "id"), ("page", "3"), ("mode", "keyword")]


def _link(pairs) -> str:
    return "/?" + urlencode(pairs)


def test_values_read_repeats_commas_and_aliases():
    assert values(PAIRS, "source") == ["A", "b"]
    assert values(PAIRS + [("lang", "en"), ("source", "a")], "lang") == ["id", "en"]
    assert values(PAIRS + [("source", "a")], "source") == ["A", "b"]  # case-insensitive, first spelling


def test_toggle_adds_or_removes_one_value_and_goes_back_to_page_one():
    assert toggled(PAIRS, "source", "C") == [
        ("q", "banjir"),
        ("language", "id"),
        ("mode", "keyword"),
        ("source", "A"),
        ("source", "b"),
        ("source", "C"),
    ]
    assert toggled(PAIRS, "source", "B") == [
        ("q", "banjir"),
        ("language", "id"),
        ("mode", "keyword"),
        ("source", "A"),
    ]
    assert toggled(PAIRS, "lang", "id") == [("q", "banjir"), ("source", "A,b"), ("mode", "keyword")]
    assert without(PAIRS, "source", "lang") == [("q", "banjir"), ("mode", "keyword")]


def test_search_state_keeps_what_makes_the_results_page():
    pairs = [("q", "x"), ("p", "4"), ("ui", "id"), ("page", "2"), ("source", "A"), ("date_to", "")]
    assert search_state(pairs) == [("q", "x"), ("page", "2"), ("source", "A")]
    # the names' filters too: "back to results" and the export link keep them
    names = [("person", "Joko Widodo"), ("org", "KPU"), ("place", "Medan"), ("exclude", "x")]
    assert search_state(names) == names[:3]


def test_facet_groups_are_toggle_links_with_counts():
    facets = {
        "source": {
            "buckets": [
                {"value": "A", "count": 3, "selected": True},
                {"value": "C", "count": 1, "selected": False},
            ],
            "missing": 0,
        },
        "collection": {"buckets": [], "missing": 0},
    }
    groups = facet_groups(facets, PAIRS, _link, lambda facet, value: f"{facet}:{value}")
    assert [g["name"] for g in groups] == ["source", "language"]
    source = groups[0]["items"]
    assert [(i["value"], i["count"], i["selected"], i["label"]) for i in source] == [
        ("A", 3, True, "source:A"),
        ("C", 1, False, "source:C"),
        ("b", None, True, "source:b"),  # selected in the URL, not listed by the envelope
    ]
    assert source[0]["url"] == "/?q=banjir&language=id&mode=keyword&source=b"
    assert source[1]["url"] == "/?q=banjir&language=id&mode=keyword&source=A&source=b&source=C"
    assert groups[1]["items"][0]["url"] == "/?q=banjir&source=A%2Cb&mode=keyword"


def test_each_chip_removes_one_filter():
    pairs = PAIRS + [("date_from", "2020-01-01"), ("date_to", "2020-12-31")]
    chips = filter_chips(pairs, _link, lambda kind, value: f"{kind}={value}")
    assert [c["label"] for c in chips] == [
        "source=A",
        "source=b",
        "language=id",
        "date_from=2020-01-01",
        "date_to=2020-12-31",
    ]
    urls = {c["label"]: c["url"] for c in chips}
    assert urls["source=A"] == (
        "/?q=banjir&language=id&mode=keyword&date_from=2020-01-01&date_to=2020-12-31&source=b"
    )
    assert urls["date_from=2020-01-01"] == (
        "/?q=banjir&source=A%2Cb&language=id&mode=keyword&date_to=2020-12-31"
    )
