"""Issue 24, point 3: ``totals.documents`` is exact where ``exact`` says so, checked against the export's
distinct ``doc_id``s over a corpus with thousands of matching documents (``tests/counts_corpus.py``)."""

from __future__ import annotations

import json

import pytest

from searchapp import counting
from searchapp.app import create_app
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService
from tests.conftest import make_test_settings
from tests.counts_corpus import DOCUMENTS, matching, write_corpus

pytestmark = pytest.mark.es


@pytest.fixture(scope="module")
def service(base_settings, es, embedder):
    settings = make_test_settings(base_settings, "counts")
    write_corpus(es, settings.index, embedder.identity)
    return SearchService(settings, es=es, embedder=embedder)


@pytest.mark.parametrize("sources, documents", [(["s0"], 1_000), (["s0", "s1"], 2_000), ([], DOCUMENTS)])
def test_document_counts_equal_the_exports_distinct_ids(service, sources, documents):
    client = create_app(service.settings, service=service).test_client()
    query = "q=kpk&mode=keyword&dedupe=false" + "".join(f"&source={s}" for s in sources)
    totals = client.get(f"/api/search?{query}").json["totals"]
    assert (totals["documents"], totals["exact"]) == (matching(documents), True)
    export = client.get(f"/api/export?{query}&format=jsonl")
    ids = {json.loads(line)["doc_id"] for line in export.get_data(as_text=True).splitlines()}
    assert export.headers["X-Arsip-Capped"] == "false"
    assert len(ids) == matching(documents) == int(export.headers["X-Arsip-Documents"])


def test_beyond_the_bound_the_count_says_it_is_an_estimate(service, monkeypatch):
    monkeypatch.setattr(counting, "EXACT_DOCUMENTS", 1_000)
    totals = service.search(SearchRequest(q="kpk", mode="keyword", dedupe=False))["totals"]
    assert totals["exact"] is False
    assert totals["documents"] > 1_000
    assert abs(totals["documents"] - matching(DOCUMENTS)) <= matching(DOCUMENTS) // 100  # within about 1 %


def test_a_cursor_walks_every_matching_passage_past_the_page_and_export_limits(service):
    """Issue 24, point 7: /api/v1/passages with ``cursor`` (search_after in a point in time)."""
    from dataclasses import replace

    capped = SearchService(
        replace(service.settings, export_limit=1_000), es=service.es, embedder=service.embedder
    )
    client = create_app(capped.settings, service=capped).test_client()
    expected = sum(1 + i % 3 for i in range(DOCUMENTS) if i % 7 != 3)  # kpk passages, by construction
    export = client.get("/api/export?q=kpk&mode=keyword&format=jsonl")
    assert export.headers["X-Arsip-Capped"] == "true" and int(export.headers["X-Arsip-Rows"]) == 1_000
    seen: list[str] = []
    cursor = None
    for _ in range(20):
        url = "/api/v1/passages?q=kpk&mode=keyword&size=1000" + (f"&cursor={cursor}" if cursor else "")
        answer = client.get(url)
        assert answer.status_code == 200, answer.json
        seen += [row["passage_id"] for row in answer.json["passages"]]
        cursor = answer.json["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == expected > 5_000
    refused = client.get("/api/v1/passages?q=kpk&cursor=bm90LWEtY3Vyc29y")
    assert refused.status_code == 400 and refused.json["error"]["code"] == "invalid_cursor"
