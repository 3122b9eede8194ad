"""Faults against real processes: the engine down at start, killed mid-bulk, frozen under the app.

Each test drives its own local node (``fault_node``, port 9290) and the app as a real waitress server
process, so the faults are real: a refused connection, a SIGKILLed JVM, a SIGSTOPped JVM.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from arsip.es_client import make_client
from indexer.orchestration import Indexer
from tests.conftest import TEST_PREFIX, news_records

pytestmark = [pytest.mark.es, pytest.mark.model, pytest.mark.slow]


def _settings(base_settings, node, name: str):
    return replace(base_settings, es_url=node.spec.url, index=f"{TEST_PREFIX}-fault-{name}")


def _passage_ids(es, index: str) -> list[str]:
    es.indices.refresh(index=index)
    hits = es.search(index=index, size=10_000, _source=False, query={"match_all": {}})["hits"]["hits"]
    return sorted(hit["_id"] for hit in hits)


def test_app_starts_without_the_engine_and_recovers_without_a_restart(
    fault_node, app_server, base_settings, embedder
):
    fault_node.stop()
    settings = _settings(base_settings, fault_node, "recover")
    server = app_server({"ARSIP_ES_URL": fault_node.spec.url, "ARSIP_INDEX": settings.index})

    status, body, _ = server.get("/readyz")
    assert status == 503 and body["ready"] is False
    assert "not reachable" in body["checks"]["elasticsearch"]["error"]
    status, body, _ = server.get("/api/search?q=banjir")
    assert status == 503 and body["error"]["code"] == "engine_unavailable"
    assert fault_node.spec.url in body["error"]["message"]
    status, html, _ = server.get("/?q=banjir")
    assert status == 503 and "search engine is not available" in html and "Traceback" not in html

    fault_node.start()  # the engine comes back; the app is not restarted
    indexed = Indexer(settings, embedder=embedder, show_progress=False).index_documents(
        news_records(10), collection="berita"
    )
    assert indexed.ok
    status, body, _ = server.get("/readyz")
    assert status == 200, body
    status, body, _ = server.get("/api/search?q=banjir&mode=hybrid")
    assert status == 200 and body["results"]
    status, html, _ = server.get("/?q=banjir")
    assert status == 200 and "search engine is not available" not in html
    assert "Traceback" not in server.log()


def test_engine_killed_mid_bulk_then_a_rerun_holds_exactly_the_uninterrupted_passages(
    fault_node, base_settings, embedder, tmp_path
):
    fault_node.start()
    corpus = tmp_path / "corpus.jsonl"
    # All 306 sample articles (~1,200 passages): the indexer bulk-writes 500 actions at a time, so the
    # engine can be killed after the first bulk and well before the last.
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in news_records(400)))
    es = make_client(replace(base_settings, es_url=fault_node.spec.url), request_timeout=60)
    reference = _settings(base_settings, fault_node, "reference")
    assert Indexer(reference, es=es, embedder=embedder, show_progress=False).index_paths([str(corpus)]).ok
    expected = _passage_ids(es, reference.index)

    target = _settings(base_settings, fault_node, "killed")
    proc = subprocess.Popen(
        [sys.executable, "-m", "arsip_cli", "index", str(corpus), "--no-progress"],
        env={**os.environ, "ARSIP_ES_URL": fault_node.spec.url, "ARSIP_INDEX": target.index},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    written = 0
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.3)
        try:
            es.indices.refresh(index=target.index)
            written = es.count(index=target.index)["count"]
        except Exception:  # noqa: BLE001 - the index may not exist yet
            continue
        if written > 0:
            break
    assert proc.poll() is None and 0 < written < len(expected), "the run must be caught mid-way"
    os.kill(fault_node.pid(), signal.SIGKILL)  # the engine dies in the middle of the bulk run
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 2, (out, err)  # 2 = stopped by an engine error
    assert "STOPPED" in err and "Elasticsearch is not reachable" in err and "Traceback" not in err

    fault_node.start()
    rerun = Indexer(target, es=es, embedder=embedder, show_progress=False).index_paths([str(corpus)])
    assert rerun.ok, rerun.render()
    ids = _passage_ids(es, target.index)
    assert ids == expected  # no gaps
    assert es.count(index=target.index)["count"] == len(expected)  # no duplicates


def test_a_frozen_engine_times_out_without_exhausting_the_workers(
    fault_node, app_server, base_settings, embedder
):
    fault_node.start()
    settings = _settings(base_settings, fault_node, "frozen")
    assert (
        Indexer(settings, embedder=embedder, show_progress=False)
        .index_documents(news_records(10), collection="berita")
        .ok
    )
    timeout, threads, requests = 2.0, 4, 12
    server = app_server(
        {"ARSIP_ES_URL": fault_node.spec.url, "ARSIP_INDEX": settings.index, "ARSIP_SEARCH_TIMEOUT": "2"},
        threads=threads,
    )
    assert server.get("/api/search?q=banjir")[0] == 200

    pid = fault_node.pid()
    os.kill(pid, signal.SIGSTOP)  # the JVM stops answering; connections hang, nothing is refused
    try:
        with ThreadPoolExecutor(requests + 1) as pool:
            searches = [
                pool.submit(server.get, f"/api/search?q=banjir+{i}&mode=keyword") for i in range(requests)
            ]
            time.sleep(0.5)
            health = pool.submit(server.get, "/healthz").result()
            answers = [f.result() for f in searches]
        ready_status, ready, _ = server.get("/readyz")
        ui_status, html, _ = server.get("/?q=banjir")
    finally:
        os.kill(pid, signal.SIGCONT)

    waves = -(-requests // threads)
    for status, body, elapsed in answers:
        assert status == 504 and body["error"]["code"] == "engine_timeout", body
        assert "did not answer in time" in body["error"]["message"]
        assert elapsed < waves * timeout + 5  # each request is bounded by the search timeout
    # The pool drains: a request queued behind a full pool is served after one timeout, not never.
    assert health[0] == 200 and health[2] < 2 * timeout + 3
    assert ready_status == 503 and ready["ready"] is False
    assert ui_status == 504 and "search engine is not available" in html

    deadline = time.monotonic() + 30
    while server.get("/api/search?q=banjir")[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    status, body, _ = server.get("/api/search?q=banjir&mode=hybrid")
    assert status == 200 and body["results"]
    assert "Traceback" not in server.log()
