"""Citable results, on a corpus whose answers are known by construction (tests/citable_corpus.py)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from searchapp.app import create_app
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService
from tests.citable_corpus import BOTH, index_citable_corpus

pytestmark = pytest.mark.es


@pytest.fixture(scope="module")
def service(base_settings, es, embedder) -> SearchService:
    return SearchService(index_citable_corpus(base_settings, es, embedder), es=es, embedder=embedder)


@pytest.fixture(scope="module")
def client(service):
    return create_app(replace(service.settings, rate_limit=0), service=service).test_client()


def test_the_long_document_really_has_three_passages(service):
    document = service.get_document("both-2")
    assert len(document["passages"]) == 3


@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_totals_are_exact_and_the_same_on_every_page(service, mode):
    seen: list[str] = []
    for page in (1, 2, 3):
        envelope = service.search(SearchRequest(q="banjir jakarta", mode=mode, page=page, size=2))
        totals = envelope["totals"]
        assert totals["all_words_documents"] == 6
        if mode == "keyword":
            assert (totals["documents"], totals["passages"], envelope["total"]) == (6, 8, 6)
        else:
            # this small archive has no relevance floor: its 100 nearest passages, the whole corpus, are
            # the related set; in hybrid the 9 documents with one of the two words are partial matches
            related = 19 if mode == "semantic" else 10
            assert (totals["documents"], totals["related_documents"]) == (25, related)
        seen += [r["doc_id"] for r in envelope["results"]]
    if mode == "keyword":
        assert sorted(seen) == [d for d, *_ in BOTH]  # 3 pages of 2: each document once
    else:
        assert len(seen) == len(set(seen)) == 6


def test_keyword_mode_requires_every_word_and_or_is_explicit(service):
    def documents(q: str) -> int:
        return service.search(SearchRequest(q=q, mode="keyword"))["totals"]["documents"]

    assert documents("banjir jakarta") == 6
    assert documents("banjir OR jakarta") == 15
    assert documents("banjir") == 11
    assert documents("banjir -jakarta") == 5


def test_facets_count_documents_and_add_up(service):
    envelope = service.search(SearchRequest(q="banjir jakarta", mode="keyword"))
    source = envelope["facets"]["source"]
    assert source == {
        "buckets": [
            {"value": "alpha", "count": 4, "selected": False},
            {"value": "beta", "count": 2, "selected": False},
        ],
        "missing": 0,
    }
    assert sum(b["count"] for b in source["buckets"]) == envelope["totals"]["documents"]


def test_histogram_counts_documents_per_month_with_the_undated_apart(service):
    envelope = service.search(SearchRequest(q="banjir jakarta", mode="keyword"))
    histogram = envelope["histogram"]
    assert histogram["interval"] == "month"
    assert [(b["key"], b["from"], b["to"], b["documents"]) for b in histogram["buckets"]] == [
        ("2020-01", "2020-01-01", "2020-01-31", 3),
        ("2020-02", "2020-02-01", "2020-02-29", 0),
        ("2020-03", "2020-03-01", "2020-03-31", 2),
    ]
    assert histogram["undated_documents"] == envelope["totals"]["undated_documents"] == 1


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["both-5", "both-4", "both-3", "both-2", "both-1", "both-6"]),
        ("oldest", ["both-1", "both-2", "both-3", "both-4", "both-5", "both-6"]),
    ],
)
def test_sort_by_date_puts_undated_documents_last(service, sort, expected):
    ids = []
    for page in (1, 2):
        envelope = service.search(
            SearchRequest(q="banjir jakarta", mode="keyword", sort=sort, page=page, size=3)
        )
        assert envelope["totals"]["documents"] == 6
        ids += [r["doc_id"] for r in envelope["results"]]
    assert ids == expected


def test_hybrid_results_say_which_words_they_lack(service):
    envelope = service.search(SearchRequest(q="banjir jakarta", mode="hybrid", size=25))
    by_id = {r["doc_id"]: r for r in envelope["results"]}
    for doc_id, *_ in BOTH:
        assert by_id[doc_id]["missing"] == []
    for i in range(5):
        assert by_id[f"banjir-{i}"]["missing"] == ["jakarta"]
    for i in range(4):
        assert by_id[f"jakarta-{i}"]["missing"] == ["banjir"]
    for i in range(10):
        assert by_id[f"lain-{i}"]["missing"] == ["banjir", "jakarta"]
    # and which part of the set they are in (issue 20): one word of two scores about half the best
    # match, above the partial matches' floor (RankingConfig.partial_floor)
    assert {by_id[doc_id]["match"] for doc_id, *_ in BOTH} == {"all_words"}
    assert {by_id[f"banjir-{i}"]["match"] for i in range(5)} == {"some_words"}
    assert {by_id[f"jakarta-{i}"]["match"] for i in range(4)} == {"some_words"}
    assert {by_id[f"lain-{i}"]["match"] for i in range(10)} == {"meaning"}
    totals = envelope["totals"]
    assert (totals["all_words_documents"], totals["some_words_documents"], totals["related_documents"]) == (
        6,
        9,
        10,
    )


@pytest.mark.parametrize("mode", ["keyword", "hybrid", "semantic"])
@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_export_is_the_screen(client, mode, sort):
    query = f"q=banjir+jakarta&mode={mode}&sort={sort}&source=alpha"
    screen = client.get(f"/api/search?{query}&size=100").get_json()
    response = client.get(f"/api/export?{query}&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="arsip-banjir-jakarta-') and disposition.endswith(
        '.csv"'
    )
    raw = response.get_data(as_text=True)
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw[1:])))
    assert len(rows) == screen["totals"]["passages"] == int(response.headers["X-Arsip-Rows"])
    assert response.headers["X-Arsip-Capped"] == "false"
    # the documents in the screen's order, each with all its matching passages
    order = list(dict.fromkeys(row["doc_id"] for row in rows))
    assert order == [r["doc_id"] for r in screen["results"]]
    assert all(float(row["score"]) >= 0 for row in rows) and {row["source"] for row in rows} == {"alpha"}
    if mode != "semantic":
        assert any(float(row["score"]) > 0 for row in rows)
    jsonl = client.get(f"/api/export?{query}&format=jsonl")
    assert jsonl.headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = [json.loads(line) for line in jsonl.get_data(as_text=True).splitlines()]
    assert [line["passage_id"] for line in lines] == [row["passage_id"] for row in rows]


def test_export_states_the_cap_when_hit(service):
    small = SearchService(replace(service.settings, export_limit=3), es=service.es, embedder=service.embedder)
    response = (
        create_app(replace(small.settings, rate_limit=0), service=small)
        .test_client()
        .get("/api/export?q=banjir+jakarta&mode=keyword&format=jsonl")
    )
    assert response.headers["X-Arsip-Capped"] == "true"
    assert response.headers["X-Arsip-Passages"] == "8" and response.headers["X-Arsip-Rows"] == "3"
    assert len(response.get_data(as_text=True).splitlines()) == 3
