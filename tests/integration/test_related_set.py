"""Issue 20: the default search means something. "Related by meaning" is a set above the query's relevance
floor, the same whatever the page, sort and filters; hybrid adds the best partial keyword matches; the
header, each result and each export row say which part a document is in.

The index: the press release, 150 news articles of the sample (enough passages for a floor: more than
``relatedness.MIN_BACKGROUND``), and three made-up reports whose words no article holds, so which
documents hold them is known by construction.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from indexer.orchestration import Indexer
from searchapp.app import create_app
from searchapp.ranking import RankingConfig
from searchapp.relatedness import MIN_BACKGROUND
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService
from tests.conftest import SAMPLE_DIR, make_test_settings, news_records

pytestmark = [pytest.mark.es, pytest.mark.model]

MADE_UP = [  # gamelan, angklung and sasando: in no article of the sample
    {
        "id": "two-of-three",
        "title": "Pentas gamelan",
        "text": "Warga memainkan gamelan dan angklung di balai desa.",
    },
    {
        "id": "one-of-three",
        "title": "Catatan harian",
        "text": "Seorang pemuda belajar sasando di sanggar kecamatan.",
    },
    {
        "id": "none",
        "title": "Catatan pasar",
        "text": "Harga cabai naik menjelang akhir pekan di pasar induk.",
    },
]
THREE_WORDS = "gamelan angklung sasando"


@pytest.fixture(scope="module")
def service(base_settings, es, embedder):
    settings = make_test_settings(base_settings, "related")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    first = indexer.index_paths([str(SAMPLE_DIR / "humas")], source="humas", collection="siaran-pers")
    second = indexer.index_documents([*news_records(150), *MADE_UP], collection="berita")
    assert first.ok and second.ok, (first.render(), second.render())
    es.indices.refresh(index=settings.index)
    assert es.count(index=settings.index)["count"] >= MIN_BACKGROUND  # the floor applies
    return SearchService(settings, es=es, embedder=embedder)


@pytest.fixture(scope="module")
def client(service):
    return create_app(service.settings, service=service).test_client()


def _all_results(service, **request) -> list[dict]:
    return service.search(SearchRequest(size=100, facets=False, highlight=False, **request))["results"]


@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
def test_a_query_with_no_meaningful_neighbour_has_nothing_related(service, mode):
    result = service.search(SearchRequest(q="xqzvrt", mode=mode))
    assert result["totals"]["related_documents"] == 0
    assert result["total"] == 0 and result["results"] == []


def test_the_header_says_there_is_nothing(client):
    page = client.get("/?q=xqzvrt&ui=en").get_data(as_text=True)
    assert (
        "0 passages in 0 documents: 0 contain all words · 0 some of the words · 0 more related by meaning"
        in page
    )


def test_a_document_with_two_of_three_words_is_a_partial_match(service, client):
    result = service.search(SearchRequest(q=THREE_WORDS, mode="hybrid"))
    by_id = {r["record_id"] or r["doc_id"]: r for r in result["results"]}
    assert result["totals"]["all_words_documents"] == 0
    assert by_id["two-of-three"]["match"] == "some_words"
    assert result["results"][0]["record_id"] == "two-of-three"  # above every document without the words
    assert "none" not in by_id  # no word and no meaning: not in the set
    # the export says the same part for its rows
    rows = [json.loads(line) for line in _export_lines(client, THREE_WORDS)]
    assert {row["match"] for row in rows if row["record_id"] == "two-of-three"} == {"some_words"}
    assert {row["doc_id"] for row in rows} == {r["doc_id"] for r in result["results"]}


def _export_lines(client, q: str) -> list[str]:
    response = client.get(f"/api/export?q={q}&format=jsonl")
    assert response.status_code == 200
    return [line for line in response.get_data(as_text=True).splitlines() if line.strip()]


def test_the_parts_add_up_to_the_documents(service):
    totals = service.search(SearchRequest(q="protokol kesehatan pilkada", mode="hybrid"))["totals"]
    parts = totals["all_words_documents"] + totals["some_words_documents"] + totals["related_documents"]
    assert parts == totals["documents"] > 0


def test_each_result_says_which_part_it_is_in(service):
    results = _all_results(service, q="protokol kesehatan pilkada", mode="hybrid", dedupe=False)
    assert {r["match"] for r in results} <= {"all_words", "some_words", "meaning"}
    for r in results:
        text = " ".join([r.get("title") or "", *(p["text"] for p in r["passages"])]).lower()
        if r["match"] == "all_words":
            assert all(word in text for word in ("protokol", "kesehatan", "pilkada")), r["doc_id"]


def test_facet_counts_equal_the_totals_of_their_selections_and_never_rise(service):
    base = service.search(SearchRequest(q="pemerintah daerah", mode="hybrid", dedupe=False))
    buckets = base["facets"]["collection"]["buckets"]
    assert len(buckets) == 2  # siaran-pers and berita: both hold related or matching documents
    for bucket in buckets:
        selected = SearchRequest.from_args(
            {"q": "pemerintah daerah", "mode": "hybrid", "dedupe": "false", "collection": bucket["value"]}
        )
        assert service.search(selected)["total"] == bucket["count"], bucket
    # another filter narrows: no count rises
    narrowed = SearchRequest.from_args(
        {"q": "pemerintah daerah", "mode": "hybrid", "dedupe": "false", "source": "humas"}
    )
    narrower = service.search(narrowed)
    before = {b["value"]: b["count"] for b in base["facets"]["collection"]["buckets"]}
    for bucket in narrower["facets"]["collection"]["buckets"]:
        assert bucket["count"] <= before.get(bucket["value"], 0)
    assert narrower["total"] <= base["total"]


def test_the_related_set_does_not_depend_on_filters(service):
    everything = _all_results(service, q="pemerintah daerah", mode="semantic", dedupe=False)
    berita = _all_results(
        service,
        q="pemerintah daerah",
        mode="semantic",
        dedupe=False,
        filters=SearchRequest.from_args({"collection": "berita"}).filters,
    )
    assert {r["doc_id"] for r in berita} == {r["doc_id"] for r in everything if r["collection"] == "berita"}


@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
def test_sort_newest_lists_only_the_set(service, mode):
    by_relevance = _all_results(service, q="protokol kesehatan pilkada", mode=mode, dedupe=False)
    by_date = _all_results(service, q="protokol kesehatan pilkada", mode=mode, dedupe=False, sort="newest")
    assert by_relevance and {r["doc_id"] for r in by_date} == {r["doc_id"] for r in by_relevance}


def test_pilkada_documents_rank_above_those_without_any_of_the_words(service):
    results = _all_results(service, q="protokol kesehatan pilkada", mode="hybrid", dedupe=False)
    mentions = [
        i
        for i, r in enumerate(results)
        if "pilkada" in " ".join([r.get("title") or "", *(p["text"] for p in r["passages"])]).lower()
    ]
    meaning_only = [i for i, r in enumerate(results) if r["match"] == "meaning"]
    assert mentions, "the sample holds documents on the regional elections"
    assert not meaning_only or max(mentions) < min(meaning_only)


def test_loose_finds_at_least_what_close_finds(service):
    close = service.search(SearchRequest(q="pemerintah daerah", mode="semantic"))["totals"]["passages"]
    loose = service.search(SearchRequest(q="pemerintah daerah", mode="semantic", related="loose"))
    assert loose["totals"]["passages"] >= close > 0


def test_an_unknown_floor_is_refused_with_a_message(client):
    response = client.get("/api/search?q=banjir&related=wide")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_related" and "close or loose" in error["message"]


@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
def test_a_filtered_search_repeats_and_pages_as_one_list(service, mode):
    """Issue 24, point 4: the filter narrows the related set instead of steering the kNN, so a filtered
    search gives the same list every time, and its pages are slices of it."""
    filters = SearchRequest.from_args({"collection": "berita"}).filters
    once = [r["doc_id"] for r in _all_results(service, q="pemerintah daerah", mode=mode, filters=filters)]
    assert once
    for _ in range(4):
        again = _all_results(service, q="pemerintah daerah", mode=mode, filters=filters)
        assert [r["doc_id"] for r in again] == once
    paged = []
    for page in range(1, len(once) // 5 + 2):
        request = SearchRequest(
            q="pemerintah daerah",
            mode=mode,
            filters=filters,
            page=page,
            size=5,
            facets=False,
            highlight=False,
        )
        paged += [r["doc_id"] for r in service.search(request)["results"]]
    assert paged == once


def test_each_export_row_says_the_part_the_screen_says(service, client):
    """Passage by passage, the export's ``match`` is the screen's (the same plan, the same floors)."""
    q = "protokol kesehatan pilkada"
    shown = _all_results(service, q=q, mode="hybrid", dedupe=False, group="passage")
    screen = {r["passages"][0]["passage_id"]: r["passages"][0]["match"] for r in shown}
    rows = [json.loads(line) for line in _export_lines(client, q.replace(" ", "+") + "&dedupe=false")]
    exported = {row["passage_id"]: row["match"] for row in rows}
    assert set(screen) <= set(exported)  # the screen shows the first 100 passages, the export all
    assert {pid: exported[pid] for pid in screen} == screen
    assert {"all_words", "some_words"} <= set(exported.values())


def test_a_capped_partial_set_says_so_and_lists_what_it_counts(service, es, embedder):
    """The partial set holds at most ``partial_max`` passages, best first: with 1, only the document
    with two of the three words is a partial match ("sasando" alone scores lower), the header says
    "at least", and the list holds exactly the documents counted."""
    capped = SearchService(
        service.settings, es=es, embedder=embedder, ranking=replace(RankingConfig(), partial_max=1)
    )
    full = service.search(SearchRequest(q=THREE_WORDS, mode="hybrid", facets=False))["totals"]
    assert full["some_words_documents"] == 2 and full["partial_capped"] is False
    result = capped.search(SearchRequest(q=THREE_WORDS, mode="hybrid", size=100, dedupe=False))
    totals = result["totals"]
    assert totals["some_words_documents"] == 1 and totals["partial_capped"] is True
    by_id = {r["record_id"] or r["doc_id"]: r for r in result["results"]}
    assert by_id["two-of-three"]["match"] == "some_words"
    assert by_id.get("one-of-three", {}).get("match") != "some_words"
    assert len(result["results"]) == totals["documents"]


def test_a_saved_hybrid_search_matches_the_passages_the_search_counts(service, es):
    """Alerts and feeds count a saved search with ``matching_query``: the same partial set and related
    set as the search, so the same passages."""
    for q in (THREE_WORDS, "protokol kesehatan pilkada", "pemerintah daerah"):
        request = SearchRequest(q=q, mode="hybrid", dedupe=False, facets=False)
        counted = service.search(request)["totals"]["passages"]
        query = service.matching_query(request)
        assert es.count(index=service.settings.index, query=query)["count"] == counted, q
