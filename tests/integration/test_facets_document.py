"""Facets that work (post-filter counts, OR within a facet, AND across), the document view with the
query marked, and similar documents that are distinct documents — on tests/facets_corpus.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from searchapp.app import create_app
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService
from tests.facets_corpus import FARTHER, SIMILAR_ORDER, index_facets_corpus

pytestmark = pytest.mark.es


@pytest.fixture(scope="module")
def service(base_settings, es, embedder) -> SearchService:
    return SearchService(index_facets_corpus(base_settings, es, embedder), es=es, embedder=embedder)


@pytest.fixture(scope="module")
def client(service):
    return create_app(replace(service.settings, rate_limit=0), service=service).test_client()


def _facet(envelope: dict, name: str) -> list[tuple[str, int, bool]]:
    return [(b["value"], b["count"], b["selected"]) for b in envelope["facets"][name]["buckets"]]


def _search(service: SearchService, mode: str = "keyword", **filters) -> dict:
    args = {"q": ["vaksin"], "mode": [mode], **{k: list(v) for k, v in filters.items()}}
    return service.search(SearchRequest.from_args(args))


def test_facets_without_selection(service):
    envelope = _search(service)
    assert envelope["totals"]["documents"] == 6
    assert _facet(envelope, "source") == [("A", 3, False), ("B", 2, False), ("C", 1, False)]
    assert _facet(envelope, "collection") == [("x", 3, False), ("y", 3, False)]


def test_selecting_a_value_keeps_the_other_values_of_its_facet(service):
    envelope = _search(service, source=["A"])
    assert envelope["totals"]["documents"] == 3
    assert {r["doc_id"] for r in envelope["results"]} == {"a-1", "a-2", "a-3"}
    # the source facet is counted without its own selection: B and C stay, with their counts
    assert _facet(envelope, "source") == [("A", 3, True), ("B", 2, False), ("C", 1, False)]
    # the other facets count what the search shows (source A)
    assert _facet(envelope, "collection") == [("x", 2, False), ("y", 1, False)]


def test_values_of_one_facet_are_or_and_facets_are_and(service):
    both = _search(service, source=["A", "B"])
    assert both["totals"]["documents"] == 5
    assert _facet(both, "source") == [("A", 3, True), ("B", 2, True), ("C", 1, False)]
    narrowed = _search(service, source=["A", "B"], collection=["x"])
    assert narrowed["totals"]["documents"] == 3
    assert {r["doc_id"] for r in narrowed["results"]} == {"a-1", "a-2", "b-1"}
    # source counted within collection x (C has none there); collection counted within sources A or B
    assert _facet(narrowed, "source") == [("A", 2, True), ("B", 1, True)]
    assert _facet(narrowed, "collection") == [("x", 3, True), ("y", 2, False)]


def test_a_selected_value_without_matches_is_still_listed(service):
    envelope = _search(service, source=["D"])  # D's only document does not mention vaksin
    assert envelope["totals"]["documents"] == 0
    assert _facet(envelope, "source") == [("A", 3, False), ("B", 2, False), ("C", 1, False), ("D", 0, True)]


@pytest.mark.parametrize("mode", ["hybrid", "semantic"])
def test_post_filter_counts_in_the_modes_that_use_meaning(service, mode):
    # the semantic set is the nearest passages that pass the filters: counted again without the facet's
    # own selection, selecting one more value adds exactly its count
    alone = _search(service, mode, source=["A"])
    counts = {value: count for value, count, _ in _facet(alone, "source")}
    assert counts["A"] == alone["totals"]["documents"]
    both = _search(service, mode, source=["A", "B"])
    assert both["totals"]["documents"] == counts["A"] + counts["B"]
    everything = _search(service, mode)
    assert {v: c for v, c, _ in _facet(everything, "source")} == counts


def test_the_api_facets_carry_the_same_numbers(client):
    body = client.get("/api/search?q=vaksin&mode=keyword&source=A&source=B&collection=x").get_json()
    assert body["facets"]["source"]["buckets"] == [
        {"value": "A", "count": 2, "selected": True},
        {"value": "B", "count": 1, "selected": True},
    ]
    assert body["totals"]["documents"] == 3


def test_the_document_marks_the_query_words_in_its_passages(service, client):
    document = service.get_document("flood-0", q="relawan")
    assert len(document["passages"]) == 2 and document["query"] == "relawan"
    for passage in document["passages"]:
        assert passage["highlight"].count("<mark>relawan</mark>") == passage["text"].count("relawan") > 0
    plain = service.get_document("flood-0")
    assert [p["highlight"] for p in plain["passages"]] == [None, None]
    marked = client.get("/api/documents/flood-0?q=diare").get_json()
    assert [p["highlight"] is not None for p in marked["passages"]] == [False, True]
    assert "<mark>diare</mark>" in marked["passages"][1]["highlight"]


def test_similar_documents_are_distinct_ranked_and_never_the_same_document(service, client):
    envelope = service.similar("flood-0:0", size=10)
    ids = [r["doc_id"] for r in envelope["results"]]
    assert "flood-0" not in ids and "flood-copy" not in ids  # self, its other passage, its copy
    assert len(ids) == len(set(ids))
    assert ids[:2] == SIMILAR_ORDER
    assert all(ids.index(far) > 1 for far in FARTHER)
    assert [r["rank"] for r in envelope["results"]] == list(range(1, len(ids) + 1))
    scores = [r["score"] for r in envelope["results"]]
    assert scores == sorted(scores, reverse=True)
    relative = [r["relative_score"] for r in envelope["results"]]
    assert relative[0] == 1.0 and relative[-1] == 0.0 and relative == sorted(relative, reverse=True)
    assert envelope["passage"]["doc_id"] == "flood-0" and envelope["passage"]["title"] == "Banjir Cilincing"
    body = client.get("/api/passages/flood-0:0/similar?size=3").get_json()
    assert [r["doc_id"] for r in body["results"]] == ids[:3]


def test_the_batch_page_offers_the_known_values_and_takes_a_typed_one(service, client):
    """Issue 21: the batch filters offer the index's values (sources A–D and S, collections x–z) and take a
    typed one as a checkbox would: ``vaksin`` from B 2 documents, from B or C 3 (an empty field is no
    filter); a typed value no document has is said, per row, with the closest known value."""
    import re

    assert service.known_values()["source"][:1] == ["S"]  # the most frequent first (S has the most)
    page = client.get("/batch").get_data(as_text=True)
    for facet, values in (("source", ["A", "B", "C", "D", "S"]), ("collection", ["x", "y", "z"])):
        offered = re.search(rf'<datalist id="b-other-{facet}-values">(.*?)</datalist>', page, re.S).group(1)
        assert re.findall(r'<option value="([^"]+)"', offered) == values

    def counted(**fields) -> tuple[str, str]:
        page = client.post("/batch", data={"terms": "vaksin", **fields}).get_data(as_text=True)
        row = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
        cells = re.findall(r'<td class="number">([^<]*)</td>', row)
        return cells[0].strip(), re.findall(r"<td>(.*?)</td>", row, re.S)[-1].strip()

    assert counted(source=["B", ""], collection="") == ("2", "")
    assert counted(source=["B", "C"]) == ("3", "")
    documents, notes = counted(collection="xx")
    assert documents == "0" and "did you mean x?" in notes
