"""Totals, facets, histogram and export files: request shapes and how responses are read."""

from __future__ import annotations

import csv
import io
from datetime import date

from searchapp.counting import (
    EXACT_DOCUMENTS,
    FACET_SIZE,
    MANY_VALUES_READ,
    PRECISION_THRESHOLD,
    bucket_span,
    build_count_body,
    read_facets,
    read_histogram,
    read_totals,
    read_versions,
)
from searchapp.export_format import csv_lines, export_filename, jsonl_lines
from searchapp.missing_words import build_missing_body, missing_for, read_missing
from searchapp.query_model import unit_label
from searchapp.query_parser import parse_query

KEYWORD = {"match": {"text": "banjir"}}


def _docs(n: int, estimate: int | None = None) -> dict:
    """Count aggregations for ``n`` documents counted exactly (or, given ``estimate``, past the bound)."""
    if estimate is not None:
        return {"documents": {"value": estimate}, "document_ids": {"sum_other_doc_count": 7}}
    return {
        "documents": {"value": n},
        "document_ids": {"sum_other_doc_count": 0},
        "document_count": {"count": n},
    }


def test_count_body_counts_documents_exactly_and_all_words_only_in_hybrid():
    body = build_count_body({"ids": {"values": ["a"]}}, KEYWORD, facets=False)
    assert body["size"] == 0 and body["track_total_hits"] is True
    assert body["aggs"]["documents"] == {
        "cardinality": {"field": "doc_id", "precision_threshold": PRECISION_THRESHOLD}
    }
    assert body["aggs"]["document_ids"] == {"terms": {"field": "doc_id", "size": EXACT_DOCUMENTS}}
    assert body["aggs"]["document_count"] == {"stats_bucket": {"buckets_path": "document_ids>_count"}}
    assert body["aggs"]["all_words"]["filter"] == KEYWORD
    assert set(body["aggs"]["all_words"]["aggs"]) == {"documents", "document_ids", "document_count"}
    assert set(body["aggs"]) == {
        "documents",
        "document_ids",
        "document_count",
        "all_words",
        "groups",
        "ungrouped",
    }
    with_facets = build_count_body(KEYWORD, None, facets=True)["aggs"]
    assert with_facets["source"]["terms"]["order"] == {"documents": "desc"}
    assert with_facets["month"]["date_histogram"]["min_doc_count"] == 0
    assert "all_words" not in with_facets


def test_totals_per_mode():
    aggs = {
        **_docs(25),
        "all_words": _docs(6),
        "some_words": _docs(10),  # the partial matches hold the 6 with every word
        "groups": {"value": 20},
        "ungrouped": _docs(2),
    }
    response = {"hits": {"total": {"value": 8}}, "aggregations": aggs}
    assert read_totals(response, "hybrid") == {
        "documents": 25,
        "groups": 22,  # 20 near-duplicate groups and 2 documents indexed without one
        "passages": 8,
        "exact": True,
        "all_words_documents": 6,
        "some_words_documents": 4,
        "related_documents": 15,
    }
    keyword = read_totals({"hits": {"total": {"value": 8}}, "aggregations": _docs(6)}, "keyword")
    assert (keyword["all_words_documents"], keyword["related_documents"]) == (6, 0)
    semantic = read_totals({"hits": {"total": {"value": 50}}, "aggregations": _docs(41)}, "semantic")
    assert (semantic["all_words_documents"], semantic["related_documents"]) == (None, 41)
    big = read_totals({"hits": {"total": {"value": 10**6}}, "aggregations": _docs(0, 52_000)}, "keyword")
    assert (big["documents"], big["exact"]) == (52_000, False)


def test_an_estimate_is_never_marked_exact_nor_reported_below_the_bound():
    # the terms aggregation left values over: more than EXACT_DOCUMENTS documents, whatever the estimate
    low = read_totals({"hits": {"total": {"value": 10**5}}, "aggregations": _docs(0, 9_990)}, "keyword")
    assert (low["documents"], low["exact"]) == (EXACT_DOCUMENTS + 1, False)
    # exact below the bound even where the estimate is one short (hash collisions)
    exact = {
        "documents": {"value": 1_761},
        "document_ids": {"sum_other_doc_count": 0},
        "document_count": {"count": 1_762},
    }
    totals = read_totals({"hits": {"total": {"value": 4_000}}, "aggregations": exact}, "keyword")
    assert (totals["documents"], totals["exact"]) == (1_762, True)
    # no exact count in the response (an older body): an estimate, not marked exact
    assert (
        read_totals(
            {"hits": {"total": {"value": 3}}, "aggregations": {"documents": {"value": 3}}}, "keyword"
        )["exact"]
        is False
    )


def test_facets_are_documents_with_the_missing_count():
    aggs = {
        "source": {
            "buckets": [
                {"key": "alpha", "doc_count": 9, **_docs(4)},
                {"key": "beta", "doc_count": 2, **_docs(2)},
            ]
        },
        "source_missing": {"doc_count": 3, **_docs(1)},
    }
    assert read_facets({"aggregations": aggs}) == {
        "source": {
            "buckets": [
                {"value": "alpha", "count": 4, "selected": False},
                {"value": "beta", "count": 2, "selected": False},
            ],
            "missing": 1,
        }
    }


def test_a_facet_of_many_names_is_read_breadth_first_by_passages_and_ordered_by_documents():
    # ordering thousands of names by their documents sub-aggregation tripped the request breaker
    aggs = build_count_body({"match_all": {}}, None)["aggs"]
    assert aggs["source"]["terms"]["order"] == {"documents": "desc"}
    person = aggs["person"]["terms"]
    assert person["order"] == {"_count": "desc"} and person["collect_mode"] == "breadth_first"
    assert person["size"] == MANY_VALUES_READ > FACET_SIZE
    many = [{"key": f"n{i:03d}", "doc_count": 100 - i, **_docs(i)} for i in range(FACET_SIZE + 5)]
    facets = read_facets({"aggregations": {"person": {"buckets": many}}})
    counts = [b["count"] for b in facets["person"]["buckets"]]
    assert counts == list(range(FACET_SIZE + 4, 4, -1))  # the most documents first, cut at FACET_SIZE


SCOPE = {"bool": {"filter": [{"term": {"collection": "x"}}]}}


def test_a_facet_with_a_selection_is_counted_without_its_own_selection():
    # the post_filter pattern: source has a selection, so it is counted over the search's candidates
    # without it (a global aggregation, then the scope); collection and language count the search as is
    aggs = build_count_body(KEYWORD, None, facet_scopes={"source": SCOPE}, selected={"source": ["Alpha"]})[
        "aggs"
    ]
    assert set(aggs["source"]) == {"global", "aggs"} and aggs["source"]["global"] == {}
    scope = aggs["source"]["aggs"]["scope"]
    assert scope["filter"] == SCOPE
    assert scope["aggs"]["values"]["terms"] == {"field": "source", "size": 20, "order": {"documents": "desc"}}
    assert scope["aggs"]["missing"]["missing"] == {"field": "source"}
    assert scope["aggs"]["chosen"]["filters"]["filters"] == {
        "Alpha": {"term": {"source": {"value": "Alpha", "case_insensitive": True}}}
    }
    assert "source_missing" not in aggs and "terms" in aggs["collection"] and "collection_missing" in aggs
    assert "global" not in aggs["collection"] and "collection_chosen" not in aggs
    # the totals and the histogram still count the search itself (all filters)
    assert aggs["documents"]["cardinality"]["field"] == "doc_id" and "date_histogram" in aggs["month"]


def test_selected_values_are_flagged_and_kept_when_not_among_the_largest():
    values = {"buckets": [{"key": "alpha", **_docs(3)}, {"key": "beta", **_docs(2)}]}
    chosen = {"buckets": {"ALPHA": _docs(3), "zeta": _docs(1), "nowhere": _docs(0)}}
    response = {
        "aggregations": {
            "source": {"doc_count": 99, "scope": {"values": values, "missing": _docs(1), "chosen": chosen}},
            "language": {"buckets": [{"key": "id", **_docs(5)}]},
            "language_missing": _docs(0),
        }
    }
    facets = read_facets(response, {"source": ["ALPHA", "zeta", "nowhere"]})
    assert facets == {
        "source": {
            "buckets": [
                {"value": "alpha", "count": 3, "selected": True},  # matched case-insensitively
                {"value": "beta", "count": 2, "selected": False},
                {"value": "zeta", "count": 1, "selected": True},
                {"value": "nowhere", "count": 0, "selected": True},
            ],
            "missing": 1,
        },
        "language": {"buckets": [{"value": "id", "count": 5, "selected": False}], "missing": 0},
    }


def _month(key: str, n: int) -> dict:
    return {"key_as_string": key, "doc_count": n * 2, **_docs(n)}


def test_histogram_months_or_years_with_inclusive_ranges():
    aggs = {
        "month": {"buckets": [_month("2020-01", 3), _month("2020-02", 0)]},
        "year": {"buckets": [_month("2020", 3)]},
        "undated": {"doc_count": 1, **_docs(1)},
    }
    assert read_histogram({"aggregations": aggs}) == {
        "interval": "month",
        "buckets": [
            {"key": "2020-01", "from": "2020-01-01", "to": "2020-01-31", "documents": 3},
            {"key": "2020-02", "from": "2020-02-01", "to": "2020-02-29", "documents": 0},
        ],
        "undated_documents": 1,
    }
    long = {
        "month": {"buckets": [_month(f"{2000 + i // 12}-{i % 12 + 1:02d}", 1) for i in range(37)]},
        "year": {"buckets": [_month("2000", 12), _month("2001", 12), _month("2002", 12), _month("2003", 1)]},
    }
    histogram = read_histogram({"aggregations": long})
    assert histogram["interval"] == "year" and histogram["buckets"][0]["to"] == "2000-12-31"
    assert bucket_span("2021-02") == ("2021-02-01", "2021-02-28")


def test_export_file_name_bom_and_rows():
    assert (
        export_filename("banjir jakarta", "csv", date(2026, 12, 1)) == "arsip-banjir-jakarta-2026-12-01.csv"
    )
    assert (
        export_filename('"Pemilu" -hoaks é!', "jsonl", date(2026, 12, 1))
        == "arsip-pemilu-hoaks-e-2026-12-01.jsonl"
    )
    assert export_filename("", "csv", date(2026, 12, 1)) == "arsip-search-2026-12-01.csv"
    rows = [{"rank": 1, "doc_id": "d", "passage_id": "d:0", "text": "Kepala Dinas “Kesehatan”"}]
    text = "".join(csv_lines(rows))
    assert text.startswith("\ufeffrank,doc_id,record_id,passage_id")
    assert list(csv.DictReader(io.StringIO(text[1:])))[0]["text"] == "Kepala Dinas “Kesehatan”"
    assert (
        "".join(jsonl_lines(rows))
        == '{"rank": 1, "doc_id": "d", "passage_id": "d:0", "text": "Kepala Dinas “Kesehatan”"}\n'
    )


def test_missing_words_per_result():
    parsed = parse_query('banjir "tanah longsor" jakarta OR bekasi')
    body = build_missing_body(parsed, ["a:0", "a:1", "b:0"], lambda unit: {"unit": unit_label(unit)})
    assert body["query"] == {"ids": {"values": ["a:0", "a:1", "b:0"]}}
    units = body["aggs"]["passages"]["aggs"]
    assert units == {
        "u0": {"filter": {"unit": "banjir"}},
        "u1": {"filter": {"unit": '"tanah longsor"'}},
        "u2": {"filter": {"unit": "jakarta OR bekasi"}},
    }
    buckets = [
        {"key": "a:0", "u0": {"doc_count": 1}, "u1": {"doc_count": 0}, "u2": {"doc_count": 0}},
        {"key": "a:1", "u0": {"doc_count": 0}, "u1": {"doc_count": 1}, "u2": {"doc_count": 0}},
        {"key": "b:0", "u0": {"doc_count": 0}, "u1": {"doc_count": 0}, "u2": {"doc_count": 0}},
    ]
    missing = read_missing(parsed, {"aggregations": {"passages": {"buckets": buckets}}})
    assert missing_for(["a:0", "a:1"], missing, parsed) == [
        "jakarta OR bekasi"
    ]  # a word in either passage counts
    assert missing_for(["b:0"], missing, parsed) == ["banjir", '"tanah longsor"', "jakarta OR bekasi"]


def test_versions_per_shown_group():
    body = build_count_body(KEYWORD, None, facets=False, shown_groups=["g1", "d7"])
    assert body["aggs"]["versions"]["filter"] == {"terms": {"dup_group": ["g1", "d7"]}}
    buckets = [{"key": "g1", "doc_count": 9, **_docs(3)}, {"key": "d7", "doc_count": 1, **_docs(1)}]
    response = {"aggregations": {"versions": {"doc_count": 10, "groups": {"buckets": buckets}}}}
    assert read_versions(response) == {"g1": 3, "d7": 1}


def test_similar_documents_are_distinct_documents_and_groups_with_a_relative_score():
    from searchapp.search.documents import cosine_from_score, distinct_documents, relative_score

    def hit(pid: str, doc: str, group: str | None = None) -> dict:
        return {"_id": pid, "_source": {"doc_id": doc, "dup_group": group}}

    hits = [
        hit("a:0", "a", "g1"),
        hit("a:1", "a", "g1"),  # another passage of a
        hit("b:0", "b", "g1"),  # a near-duplicate version of a
        hit("c:3", "c"),
        hit("d:0", "d", "c"),  # a version of c (a group is named by a doc_id of its own)
        hit("e:0", "e", "g2"),
    ]
    assert [h["_id"] for h in distinct_documents(hits, 10)] == ["a:0", "c:3", "e:0"]
    assert [h["_id"] for h in distinct_documents(hits, 2)] == ["a:0", "c:3"]
    assert cosine_from_score(0.95) == 0.9 and cosine_from_score(0.5) == 0.0
    scores = [0.9, 0.88, 0.86]
    assert [relative_score(s, scores) for s in scores] == [1.0, 0.5, 0.0]
    assert relative_score(0.7, [0.7]) == 1.0


def test_the_export_file_name_says_the_filters_mode_and_order():
    """Issue 21: a filtered, newest-first export was named like the bare query."""
    from searchapp.export_format import name_details
    from searchapp.search_request import SearchRequest

    request = SearchRequest.from_args(
        {"q": ["pilkada"], "source": ["tempo.co"], "sort": ["newest"], "date_from": ["2019-10-01"]}
    )
    name = export_filename(request.q, "csv", date(2026, 12, 7), name_details(request))
    assert name == "arsip-pilkada-source-tempo-co-from-2019-10-01-newest-2026-12-07.csv"
    plain = SearchRequest.from_args({"q": ["pilkada"]})
    assert (
        export_filename(plain.q, "csv", date(2026, 12, 7), name_details(plain))
        == "arsip-pilkada-2026-12-07.csv"
    )
    keyword = SearchRequest.from_args({"mode": ["keyword"], "exact": ["1"]})
    assert export_filename("", "jsonl", date(2026, 12, 7), name_details(keyword)) == (
        "arsip-search-keyword-exact-2026-12-07.jsonl"
    )


def test_the_csv_export_carries_date_source_like_the_jsonl():
    from searchapp.search.result_rows import EXPORT_COLUMNS, export_row

    row = export_row(1, "d:0", {"doc_id": "d", "date": "2020-01-02", "date_source": "text"}, 1.0)
    assert "date_source" in EXPORT_COLUMNS and row["date_source"] == "text"
    header, line = "".join(csv_lines([row])).lstrip("\ufeff").splitlines()
    assert header.split(",") == EXPORT_COLUMNS and ",text," in line


def test_one_paragraph_number_on_screen_in_links_in_the_api_and_in_exports():
    """Issue 21: the page showed ¶ 9 for the passage at position 8 (#p-8, position 8 in CSV and API)."""
    from searchapp.search.result_rows import EXPORT_COLUMNS, export_row, paragraph_number, result_row

    source = {"doc_id": "d", "position": 8, "text": "x"}
    assert paragraph_number(8) == 9 and paragraph_number(None) is None
    assert result_row([("d:8", source, 1.0)], 1.0)["passages"][0]["paragraph"] == 9
    row = export_row(1, "d:8", source, 1.0)
    assert row["paragraph"] == 9 and "position" not in row
    assert "paragraph" in EXPORT_COLUMNS and "position" not in EXPORT_COLUMNS


def test_a_short_span_is_shown_per_day_with_the_empty_days_between():
    """Issue 21: one month was one full-width bar labelled 'September 2019 … September 2019'."""
    from searchapp.counting import read_histogram

    def bucket(key, n):
        return {"key_as_string": key, "documents": {"value": n}}

    response = {
        "aggregations": {
            "month": {"buckets": [bucket("2019-09", 3)]},
            "year": {"buckets": [bucket("2019", 3)]},
            "day": {"buckets": [bucket("2019-09-05", 2), bucket("2019-09-08", 1)]},
            "undated": {"documents": {"value": 0}},
        }
    }
    histogram = read_histogram(response)
    assert histogram["interval"] == "day"
    assert [(b["key"], b["documents"]) for b in histogram["buckets"]] == [
        ("2019-09-05", 2),
        ("2019-09-06", 0),
        ("2019-09-07", 0),
        ("2019-09-08", 1),
    ]
    assert histogram["buckets"][1]["from"] == histogram["buckets"][1]["to"] == "2019-09-06"
    response["aggregations"]["month"]["buckets"] = [bucket(f"2019-{m:02}", 1) for m in range(1, 5)]
    assert read_histogram(response)["interval"] == "month"
