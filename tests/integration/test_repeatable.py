"""Issue 24, point 4: the same filtered semantic or hybrid request gives the same list and totals on every
call and on every page (filtered semantic sets are searched exactly: ``candidates.semantic_body``)."""

from __future__ import annotations

import pytest

from searchapp.app import create_app
from searchapp.search.candidates import semantic_body

pytestmark = pytest.mark.es

FILTERED = [
    "q=pemerintah+daerah&source=fimela.com",
    "q=kesehatan+anak&source=fimela.com&source=kapanlagi.com",
    "q=acara+keluarga+-artis&collection=berita",
]


@pytest.fixture(scope="module")
def client(sample_settings, search_service):
    return create_app(sample_settings, service=search_service).test_client()


def _ids(answer: dict) -> list[str]:
    return [row["doc_id"] for row in answer["results"]]


@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
@pytest.mark.parametrize("query", FILTERED)
def test_filtered_searches_repeat_and_their_pages_add_up(client, mode, query):
    url = f"/api/search?{query}&mode={mode}&dedupe=false"
    whole = client.get(f"{url}&size=100").json
    assert whole["results"], url
    for _ in range(10):
        again = client.get(f"{url}&size=100").json
        assert (_ids(again), again["totals"]) == (_ids(whole), whole["totals"])
    walked: list[str] = []
    for page in range(1, len(whole["results"]) // 5 + 2):
        answer = client.get(f"{url}&size=5&page={page}").json
        assert answer["totals"] == whole["totals"], (url, page)
        walked += _ids(answer)
    assert walked == _ids(whole)


def test_a_filtered_knn_is_searched_exactly_an_unfiltered_one_approximately():
    knn = {"field": "vector", "query_vector": [0.6, 0.8], "k": 7, "num_candidates": 100}
    assert semantic_body(knn) == {"knn": knn, "size": 7, "_source": ["doc_id", "dup_group"]}
    filtered = {**knn, "filter": {"bool": {"filter": [{"term": {"source": "a"}}]}}, "similarity": 0.5}
    body = semantic_body(filtered)
    assert "knn" not in body and body["size"] == 7
    exact = body["query"]["script_score"]
    assert exact["query"] == filtered["filter"] and exact["min_score"] == 0.75  # (1 + 0.5) / 2
    assert "cosineSimilarity(params.query_vector, 'vector')" in exact["script"]["source"]
