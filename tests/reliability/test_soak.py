"""Soak: the API under concurrency 16 for minutes while an indexing run adds documents.

Real processes: the app under waitress, `arsip index` in a subprocess, the suite's node. Every response
must be a 200; the app's memory, threads and Elasticsearch connections are sampled every few seconds
and must stay flat. The figures are printed and written to test-artifacts/soak.json.

ARSIP_SOAK_SECONDS (default 150) sets the duration; ARSIP_NEWS_CORPUS the JSONL news corpus (default:
../shared/eval/news_clickid/corpus.jsonl next to the repo, else the committed 306-article sample).
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import replace
from pathlib import Path

import psutil
import pytest

from arsip.settings import REPO_ROOT
from indexer.orchestration import Indexer
from tests.conftest import NEWS_SAMPLE, TEST_PREFIX

pytestmark = [pytest.mark.es, pytest.mark.model, pytest.mark.slow]
CONCURRENCY = 16
SAMPLE_EVERY_S = 5.0


def _corpus() -> Path:
    configured = os.environ.get("ARSIP_NEWS_CORPUS")
    shared = REPO_ROOT.parent / "shared" / "eval" / "news_clickid" / "corpus.jsonl"
    return Path(configured) if configured else (shared if shared.exists() else NEWS_SAMPLE)


def _records(start: int, count: int) -> list[dict]:
    with open(_corpus(), encoding="utf-8") as fh:
        return [json.loads(line) for line in itertools.islice(fh, start, start + count)]


def _sample(proc: psutil.Process, es_port: int) -> dict:
    connections = [
        c
        for c in proc.net_connections(kind="tcp")
        if c.raddr and c.raddr.port == es_port and c.status == "ESTABLISHED"
    ]
    return {
        "rss_mib": round(proc.memory_info().rss / 2**20, 1),
        "threads": proc.num_threads(),
        "es_connections": len(connections),
        "open_fds": proc.num_fds(),
    }


def test_soak_search_under_load_while_indexing(base_settings, es, embedder, app_server, tmp_path):
    duration = float(os.environ.get("ARSIP_SOAK_SECONDS", "150"))
    base = _records(0, 200)
    extra = _records(200, 120)
    settings = replace(base_settings, index=f"{TEST_PREFIX}-soak")
    assert Indexer(settings, es=es, embedder=embedder, show_progress=False).index_documents(base).ok
    queries = [r["title"] for r in base if r.get("title")][:60] + ["banjir", "harga beras", "pilkada"]
    server = app_server({"ARSIP_INDEX": settings.index, "ARSIP_RATE_LIMIT": "0"}, threads=8)
    app = psutil.Process(server.proc.pid)
    es_port = urllib.parse.urlsplit(settings.effective_es_url.split(",")[0]).port or 9200

    extra_file = tmp_path / "extra.jsonl"
    extra_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in extra))
    indexing = subprocess.Popen(
        [sys.executable, "-m", "arsip_cli", "index", str(extra_file), "--no-progress"],
        env={**os.environ, "ARSIP_INDEX": settings.index},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    statuses: dict[int, int] = {}
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration
    modes = itertools.cycle(["hybrid", "keyword", "semantic", "hybrid"])

    def client(worker: int) -> None:
        for n in itertools.count():
            if time.monotonic() >= stop_at:
                return
            # A number makes every query new, so each request runs the model (no embedding-cache hits).
            q = urllib.parse.quote(f"{queries[(worker * 7 + n) % len(queries)]} {worker * 100_000 + n}")
            status, _, elapsed = server.get(f"/api/search?q={q}&mode={next(modes)}", timeout=60)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(elapsed)

    samples = [{"t_s": 0.0, **_sample(app, es_port)}]
    started = time.monotonic()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(CONCURRENCY)]
    for worker in workers:
        worker.start()
    while any(w.is_alive() for w in workers):
        time.sleep(SAMPLE_EVERY_S)
        samples.append({"t_s": round(time.monotonic() - started, 1), **_sample(app, es_port)})
    for worker in workers:
        worker.join()
    index_out, index_err = indexing.communicate(timeout=600)
    time.sleep(2.0)
    samples.append({"t_s": round(time.monotonic() - started, 1), **_sample(app, es_port)})

    total = sum(statuses.values())
    latencies.sort()
    report = {
        "duration_s": duration,
        "concurrency": CONCURRENCY,
        "requests": total,
        "throughput_rps": round(total / duration, 1),
        "statuses": statuses,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
        "indexer_exit": indexing.returncode,
        "samples": samples,
    }
    artifacts = REPO_ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "soak.json").write_text(json.dumps(report, indent=2))
    print("\nsoak:", json.dumps({k: v for k, v in report.items() if k != "samples"}))
    for row in samples:
        print("  ", row)

    assert indexing.returncode == 0, index_err
    assert statuses == {200: total} and total > CONCURRENCY, statuses
    es.indices.refresh(index=settings.index)
    indexed_docs = {r["id"] for r in base + extra}
    found = es.search(index=settings.index, size=0, aggs={"d": {"cardinality": {"field": "doc_id"}}})
    assert found["aggregations"]["d"]["value"] == len(indexed_docs)
    warm = samples[1:]  # after the first requests: the model's working memory is allocated by then
    first_half, second_half = warm[: len(warm) // 2], warm[len(warm) // 2 :]
    assert max(s["rss_mib"] for s in second_half) <= max(s["rss_mib"] for s in first_half) * 1.10 + 64
    assert max(s["threads"] for s in second_half) <= max(s["threads"] for s in first_half) + 2
    assert samples[-1]["es_connections"] <= CONCURRENCY  # the client's pool, not one per request
    assert samples[-1]["open_fds"] <= samples[1]["open_fds"] + 8
