"""Search and the JSON API against the real node and model, over the sample archive."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from dataclasses import replace

import pytest

from arsip.stemming import stem
from arsip.stop_words import INDONESIAN
from searchapp.app import create_app
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService

pytestmark = pytest.mark.es

SEED_WORDS = "penerapan protokol kesehatan pada setiap tahapan Pilkada"


@pytest.fixture(scope="module")
def client(sample_settings, search_service):
    return create_app(sample_settings, service=search_service).test_client()


@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
def test_seed_paragraph_first(search_service, mode):
    result = search_service.search(SearchRequest(q="protokol kesehatan pilkada", mode=mode))
    top = result["results"][0]
    assert top["source"] == "humas"
    assert SEED_WORDS in top["passages"][0]["text"]


def test_keyword_mode_finds_the_press_release_first(search_service):
    # BM25 alone ranks the "solusi" paragraph (both terms twice) above the seed paragraph; both are
    # shown under the press release, the top document.
    result = search_service.search(SearchRequest(q="protokol kesehatan pilkada", mode="keyword"))
    top = result["results"][0]
    assert top["source"] == "humas"
    assert any(SEED_WORDS in passage["text"] for passage in top["passages"])


def test_stop_words_are_ignored_unless_quoted(search_service):
    def keyword(q: str) -> dict:
        return search_service.search(SearchRequest(q=q, mode="keyword", group="passage", size=100))

    # "yang" occurs in most Indonesian passages; beside real words it is a stop word (below), but a query
    # of stop words only is searched as written, with a warning naming them (it was a silent 0, issue 21)
    alone = keyword("yang dan di")
    assert alone["total"] > 0 and [w["code"] for w in alone["warnings"]] == ["stop_words_exact"]
    assert all(
        {"yang", "dan", "di"}
        <= set(re.findall(r"\w+", f"{hit['title']} {hit['passages'][0]['text']}".lower()))
        for hit in alone["results"]
    )
    # ... quoted, every word counts and the phrase is exact
    quoted = keyword('"yang dan di"')["results"] + keyword('"yang"')["results"]
    assert quoted
    assert all("yang" in f"{hit['title']} {hit['passages'][0]['text']}".lower() for hit in quoted)
    # a stop word next to real terms adds no matches (without the list, "yang" alone matched most)
    plain, padded = keyword("protokol kesehatan"), keyword("protokol yang kesehatan di")
    assert padded["total"] == plain["total"] > 0


@pytest.mark.parametrize("word", ["Tidak", "Sebagai", "Beberapa"])
def test_a_stop_word_alone_finds_its_documents_in_search_and_batch(search_service, word):
    found = search_service.search(SearchRequest(q=word, mode="keyword"))
    assert found["total"] > 0 and found["warnings"][0]["code"] == "stop_words_exact"
    assert found["totals"] == search_service.search(SearchRequest(q=f'"{word}"', mode="keyword"))["totals"]
    (row,) = search_service.count_many([SearchRequest(q=word, mode="keyword")])
    assert row["totals"]["documents"] == found["totals"]["documents"]
    assert row["warnings"][0]["code"] == "stop_words_exact"


def test_exact_word_forms_match_as_quoted_and_the_expansions_name_the_other_forms(search_service):
    """Issue 21: stemming inflated counts without a word (Kejadian 209 documents, "kejadian" 25)."""
    stemmed = search_service.search(SearchRequest(q="sehat", mode="keyword", size=100))
    exact = search_service.search(SearchRequest(q="sehat", mode="keyword", size=100, exact=True))
    quoted = search_service.search(SearchRequest(q='"sehat"', mode="keyword", size=100))
    assert exact["totals"] == quoted["totals"] and exact["exact"] is True and exact["expansions"] == []
    assert stemmed["totals"]["documents"] > exact["totals"]["documents"]
    (expanded,) = stemmed["expansions"]
    assert expanded["word"] == "sehat" and expanded["forms"]
    assert all(stem(form) == "sehat" != form for form in expanded["forms"])
    (row,) = search_service.count_many([SearchRequest(q="sehat", mode="keyword", exact=True)])
    assert row["totals"]["documents"] == exact["totals"]["documents"]


def test_keyword_search_also_matches_word_roots(search_service):
    def passages(stemming: bool) -> dict[str, str]:
        service = copy.copy(search_service)
        service.ranking = replace(service.ranking, stemming=stemming)
        response = service.search(SearchRequest(q="sehat", mode="keyword", group="passage", size=100))
        return {
            hit["passages"][0]["passage_id"]: f"{hit['title'] or ''} {hit['passages'][0]['text']}"
            for hit in response["results"]
        }

    plain, stemmed = passages(False), passages(True)
    assert set(plain) <= set(stemmed)
    by_root_only = [text for pid, text in stemmed.items() if pid not in plain]
    assert by_root_only, "passages saying 'kesehatan' should match 'sehat'"
    assert all("sehat" in stem(text).split() for text in by_root_only)


def test_api_search_envelope_highlights_and_facets(client):
    response = client.get("/api/search?q=protokol+kesehatan+pilkada")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) >= {"query", "mode", "page", "size", "total", "took_ms", "results", "facets"}
    assert body["mode"] == "hybrid" and body["total"] >= 1
    top = body["results"][0]
    assert set(top) >= {
        "doc_id",
        "title",
        "url",
        "source",
        "collection",
        "date",
        "language",
        "score",
        "passages",
    }
    assert "<mark>protokol</mark>" in top["passages"][0]["highlight"].lower()
    facet_values = {f["value"] for f in body["facets"]["collection"]["buckets"]}
    assert "siaran-pers" in facet_values


def test_envelope_reports_where_the_time_went(client):
    """Keyword mode embeds nothing; hybrid embeds once; both name their engine round trips."""
    keyword = client.get("/api/search?q=protokol+kesehatan&mode=keyword").get_json()["timing"]
    hybrid = client.get("/api/search?q=protokol+kesehatan&mode=hybrid").get_json()
    timing = hybrid["timing"]
    assert keyword["embed_ms"] == 0.0 and keyword["round_trips"] == 2  # candidates; counts + page
    assert timing["embed_ms"] > 0 and timing["round_trips"] == 2
    assert 0 <= timing["engine_took_ms"] <= timing["engine_wall_ms"] + 1  # took is counted in whole ms
    assert timing["embed_ms"] + timing["engine_wall_ms"] <= hybrid["took_ms"] + 0.2


def test_english_query_finds_the_indonesian_passage(search_service):
    result = search_service.search(
        SearchRequest(q="health protocols at every stage of regional elections", mode="semantic")
    )
    assert SEED_WORDS in result["results"][0]["passages"][0]["text"]


def test_filters_apply_to_both_sides(client):
    body = client.get("/api/search?q=protokol+kesehatan&collection=berita").get_json()
    assert all(r["collection"] == "berita" for r in body["results"])
    body = client.get("/api/search?q=protokol+kesehatan+source:humas&mode=semantic").get_json()
    assert body["results"] and all(r["source"] == "humas" for r in body["results"])


def test_group_passage_returns_plain_passages(client):
    body = client.get("/api/search?q=pilkada&group=passage&size=5").get_json()
    assert body["group"] == "passage"
    assert all(len(r["passages"]) == 1 for r in body["results"])


def test_paging_is_consistent(client):
    page1 = client.get("/api/search?q=pemerintah&size=3&page=1").get_json()["results"]
    page2 = client.get("/api/search?q=pemerintah&size=3&page=2").get_json()["results"]
    both = client.get("/api/search?q=pemerintah&size=6&page=1").get_json()["results"]
    assert [r["doc_id"] for r in page1 + page2] == [r["doc_id"] for r in both]


def test_document_and_similar(client):
    top = client.get("/api/search?q=protokol+kesehatan+pilkada").get_json()["results"][0]
    document = client.get(f"/api/documents/{top['doc_id']}").get_json()
    positions = [p["position"] for p in document["passages"]]
    assert positions == sorted(positions) and len(positions) >= 5
    assert "Posting Komentar" not in " ".join(p["text"] for p in document["passages"])
    similar = client.get(f"/api/passages/{top['passages'][0]['passage_id']}/similar?size=5").get_json()
    assert similar["results"] and all(r["doc_id"] != top["doc_id"] for r in similar["results"])


def test_export_csv_and_jsonl(client):
    response = client.get("/api/export?q=pilkada&format=csv&mode=keyword")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # a BOM, so spreadsheet programs read the text as UTF-8
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert rows and all("pilkada" in (row["text"] + row["title"]).lower() for row in rows)
    response = client.get("/api/export?q=protokol+kesehatan&format=jsonl")
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert lines and {"passage_id", "text", "score"} <= set(lines[0])


@pytest.mark.parametrize(
    "query, code",
    [
        ("mode=fuzzy&q=x", "invalid_mode"),
        ("size=0&q=x", "invalid_size"),
        ("size=1000&q=x", "invalid_size"),
        ("page=-1&q=x", "invalid_page"),
        ("page=200&size=10&q=x", "page_too_deep"),
        ("date_from=2020-13-01&q=x", "invalid_date_from"),
        ("group=cluster&q=x", "invalid_group"),
        ("q=" + "a" * 1001, "query_too_long"),
    ],
)
def test_bad_parameters_are_400_with_a_message(client, query, code):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]


def test_malformed_syntax_degrades_to_plain_text(client):
    for q in ['"unclosed protokol', "(((", "source:", "-", "OR OR", "a:b:c", "\\"]:
        response = client.get("/api/search", query_string={"q": q})
        assert response.status_code == 200, q


def test_unknown_document_is_404(client):
    response = client.get("/api/documents/does-not-exist")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_unreachable_engine_is_503_with_a_readable_message(sample_settings, embedder):
    from dataclasses import replace

    # (no CA: the client refuses TLS options for a plain-http URL, and the suite may run against TLS)
    dead = replace(sample_settings, es_url="http://127.0.0.1:9", es_ca_certs=None, search_timeout=1.0)
    app = create_app(dead, service=SearchService(dead, embedder=embedder))
    client = app.test_client()
    response = client.get("/api/search?q=pilkada")
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "engine_unavailable" and "not reachable" in error["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["checks"]["elasticsearch"]["ok"] is False


def test_health_ready_and_openapi(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["ready"] is True
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and "/api/search" in spec["paths"]


def test_highlight_and_facets_can_be_switched_off(client):
    body = client.get("/api/search?q=protokol+kesehatan+pilkada&highlight=false&facets=0").get_json()
    assert body["results"] and body["facets"] == {}
    assert all(p["highlight"] is None for r in body["results"] for p in r["passages"])
    assert client.get("/api/search?q=x&highlight=maybe").status_code == 400


def test_title_searches_the_document_titles(search_service):
    """Issue 21: ``title:pilkada`` warned and searched the word "title" (``author:``: the sample has no
    authors; test_query_syntax_es checks it)."""
    everything = search_service.search(SearchRequest(q="", mode="keyword", size=100, dedupe=False))["results"]

    def words(title: str | None) -> list[str]:
        return [
            t
            for t in re.findall(r"\w+", (title or "").lower())
            if t.isascii() and t.isalpha() and len(t) > 4 and t not in INDONESIAN
        ]

    titled = next(r for r in everything if words(r["title"]))
    word = words(titled["title"])[0]
    by_title = search_service.search(SearchRequest(q=f"title:{word}", mode="keyword", size=100, dedupe=False))
    assert by_title["warnings"] == [] and titled["doc_id"] in {r["doc_id"] for r in by_title["results"]}
    assert all(word in words(r["title"]) for r in by_title["results"])
    without = search_service.search(SearchRequest(q=f"-title:{word}", mode="keyword"))
    total = search_service.search(SearchRequest(q="", mode="keyword"))["totals"]["documents"]
    assert without["totals"]["documents"] + by_title["totals"]["documents"] == total


@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_a_date_range_says_how_many_undated_documents_it_leaves_out(search_service, mode):
    """Issue 21: the (undated) press release vanished under a date range without a word."""
    args = {"q": ["rakernas"], "mode": [mode], "date_from": ["2019-01-01"], "date_to": ["2021-12-31"]}
    ranged = search_service.search(SearchRequest.from_args(args))
    hidden = ranged["totals"]["undated_excluded"]
    assert hidden >= 1
    included = search_service.search(SearchRequest.from_args({**args, "undated": ["1"]}))
    if mode == "keyword":  # (hybrid's semantic set is the nearest passages within the filters: it moves)
        assert included["totals"]["documents"] == ranged["totals"]["documents"] + hidden
    assert "undated_excluded" not in included["totals"]
    assert any(result["date"] is None for result in included["results"])
