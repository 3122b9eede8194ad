"""A three-node cluster on loopback: one node stops while queries run, and nothing is lost.

The index gets one replica, so every shard has a copy on a second node; the client knows all three
URLs (ARSIP_ES_URL may list several) and moves on when the node it talked to is gone.
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import replace

import pytest

from arsip.es_client import make_client
from arsip.es_cluster import LocalCluster
from indexer.orchestration import Indexer
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService
from tests.conftest import TEST_PREFIX, news_records

pytestmark = [pytest.mark.es, pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster(base_settings):
    cluster = LocalCluster(base_settings, size=3, base_port=9281)
    cluster.stop()
    for node in cluster.nodes:  # a fresh cluster every run (cluster state from an old run would block)
        shutil.rmtree(node.node_dir / "data", ignore_errors=True)
    cluster.start()
    yield cluster
    cluster.stop()


def _results(service: SearchService, query: str, mode: str) -> list[str]:
    envelope = service.search(SearchRequest(q=query, mode=mode, size=10, highlight=False, facets=False))
    return [hit["doc_id"] for hit in envelope["results"]]


def test_searches_keep_answering_when_a_node_stops(cluster, base_settings, embedder):
    settings = replace(
        base_settings, es_url=cluster.es_url, es_replicas=1, index=f"{TEST_PREFIX}-cluster", search_timeout=10
    )
    es = make_client(settings, request_timeout=60)
    health = es.cluster.health(wait_for_nodes="3", timeout="60s")
    assert health["number_of_nodes"] == 3
    summary = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_documents(
        news_records(40), collection="berita"
    )
    assert summary.ok
    assert (
        es.cluster.health(index=settings.index, wait_for_status="green", timeout="60s")["status"] == "green"
    )
    target = es.indices.get_alias(name=settings.index).popitem()[0]
    shards = es.cat.shards(index=target, format="json")
    assert {s["prirep"] for s in shards} == {"p", "r"} and {s["state"] for s in shards} == {"STARTED"}

    service = SearchService(settings, es=make_client(settings, request_timeout=10), embedder=embedder)
    queries = [record["title"] for record in news_records(40)[::8]]
    expected = {(q, m): _results(service, q, m) for q in queries for m in ("keyword", "hybrid")}
    assert all(expected.values())

    # Stop the node holding the primary, while a thread keeps searching through all three URLs.
    primary_node = next(s["node"] for s in shards if s["prirep"] == "p")
    victim = next(n for n in cluster.nodes if n.spec.name == primary_node)
    outcomes: list[tuple[tuple[str, str], list[str] | Exception]] = []
    done = threading.Event()

    def search_continuously() -> None:
        while not done.is_set():
            for key in expected:
                try:
                    outcomes.append((key, _results(service, *key)))
                except Exception as exc:  # noqa: BLE001 - recorded and asserted below
                    outcomes.append((key, exc))

    searcher = threading.Thread(target=search_continuously)
    searcher.start()
    try:
        time.sleep(1.0)
        before = len(outcomes)
        assert victim.stop()
        time.sleep(5.0)
    finally:
        done.set()
        searcher.join(timeout=120)
    after_stop = outcomes[before:]
    assert after_stop, "searches must have run after the node stopped"
    errors = [result for _, result in outcomes if isinstance(result, Exception)]
    assert not errors, [repr(e) for e in errors[:3]]
    # BM25 is exact: the replica answers exactly as the primary did. kNN is approximate, and each copy
    # of a shard builds its own HNSW graph and int8 quantiles, so hybrid lists may differ in the tail.
    changed = [key for key, result in outcomes if key[1] == "keyword" and result != expected[key]]
    assert not changed, f"keyword results changed for {changed[:3]}"
    for key, result in outcomes:
        if key[1] == "hybrid":
            overlap = len(set(result) & set(expected[key])) / len(expected[key])
            assert len(result) == len(expected[key]) and overlap >= 0.8, (key, overlap)

    health = es.cluster.health()
    assert health["number_of_nodes"] == 2 and health["status"] in ("yellow", "green")
    assert es.count(index=settings.index)["count"] == summary.passages_written
