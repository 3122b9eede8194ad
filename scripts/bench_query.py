#!/usr/bin/env python
"""Query benchmark: API latency and throughput per mode and concurrency, against the floor.

Fires the dev queries of the judged datasets (each request a query not sent before, so the query-embedding
cache never helps) at ``/api/search`` for each mode at concurrency 1, 4 and 16, and prints p50/p95/p99
latency, throughput and errors. The floor is measured in the same run: the query-embedding time alone and
Elasticsearch's own ``took`` for the BM25 and kNN requests; ratio = API p50 / floor p50 at concurrency 1.
"API/own floor" is the median over requests of each request's wall time at the client against its own
floor, which the envelope's ``timing`` reports: its query embedding plus the ``took`` of every round trip
it made (facet counts, highlights and missing words too), i.e. how much the app adds to the model and
the engine.

    python scripts/bench_query.py --start-server --index arsip-news --requests 200
    python scripts/bench_query.py --url http://127.0.0.1:5000          # an already running server
                                                                       # (serve it with ARSIP_RATE_LIMIT=0)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from arsip.settings import REPO_ROOT, Settings

EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
MODES = ("keyword", "semantic", "hybrid")


def load_queries(limit: int) -> list[str]:
    queries: list[str] = []
    for name in ("facqa", "tydiqa_id"):
        path = EVAL_DIR / name / "queries.jsonl"
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                queries += [json.loads(line)["text"] for line in fh]
    if not queries:
        raise SystemExit(f"no queries found under {EVAL_DIR}")
    return queries[:limit]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class Client(threading.local):
    """One keep-alive HTTP connection per worker thread."""

    def __init__(self, host: str, port: int) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=30)

    def get(self, path: str) -> tuple[int, float, dict | None]:
        """Status, wall milliseconds, and the envelope's ``timing`` (embedding and engine time)."""
        started = time.perf_counter()
        payload = b""
        try:
            self.conn.request("GET", path)
            response = self.conn.getresponse()
            payload = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            status = 0
        elapsed = (time.perf_counter() - started) * 1000  # the response read, not yet parsed
        timing = json.loads(payload).get("timing") if status == 200 else None
        return status, elapsed, timing


def run_load(url: str, mode: str, queries: list[str], concurrency: int, facets: bool = True) -> dict:
    parsed = urllib.parse.urlparse(url)
    local = Client(parsed.hostname or "127.0.0.1", parsed.port or 80)
    extra = {} if facets else {"facets": "false"}

    def one(q: str) -> tuple[int, float, dict | None]:
        return local.get("/api/search?" + urllib.parse.urlencode({"q": q[:1000], "mode": mode, **extra}))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        outcomes = list(pool.map(one, queries))
    wall = time.perf_counter() - started
    latencies = [ms for status, ms, _ in outcomes if status == 200]
    # This request's own floor: its query embedding plus Elasticsearch's `took` of every round trip it
    # made (facet counts, highlights and missing words included), against its wall time at the client.
    own = [ms / max(0.1, t["embed_ms"] + t["engine_took_ms"]) for status, ms, t in outcomes if t]
    floors = [t["embed_ms"] + t["engine_took_ms"] for _, _, t in outcomes if t]
    return {
        "mode": mode if facets else f"{mode} (no facets)",
        "concurrency": concurrency,
        "requests": len(queries),
        "errors": sum(1 for status, _, _ in outcomes if status != 200),
        "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 1) if latencies else None,
        "throughput_rps": round(len(queries) / wall, 1),
        "own_floor_p50_ms": round(statistics.median(floors), 1) if floors else None,
        "api_over_own_floor_p50": round(statistics.median(own), 2) if own else None,
    }


def measure_floor(settings: Settings, queries: list[str]) -> dict:
    """Embedding time alone, and Elasticsearch's own `took` for the BM25 and kNN requests."""
    from arsip.es_client import make_client
    from arsip.model.loader import load_encoder
    from searchapp.query_builder import build_knn
    from searchapp.query_parser import parse_query
    from searchapp.search.plan import keyword_query
    from searchapp.service import SearchService

    embedder = load_encoder(settings)  # the encoder the server loads (ARSIP_ENCODER)
    es = make_client(settings, request_timeout=30)
    service = SearchService(settings, es=es, embedder=embedder)
    embed_ms, bm25_ms, knn_ms = [], [], []
    for q in queries:
        parsed = parse_query(q[:1000])
        started = time.perf_counter()
        vector = embedder._encode([parsed.semantic_text], embedder.prompts["query"])[0].tolist()
        embed_ms.append((time.perf_counter() - started) * 1000)
        query = keyword_query(parsed, parsed.filters, service.ranking, service.settings)
        body = {"query": query, "size": 150, "_source": ["doc_id"], "track_total_hits": False}
        bm25_ms.append(es.search(index=settings.index, body=body)["took"])
        knn = build_knn(vector, parsed.filters, 150, 300)
        knn_ms.append(es.search(index=settings.index, knn=knn, size=150, source=["doc_id"])["took"])
    med = statistics.median
    return {
        "embed_p50_ms": round(med(embed_ms), 1),
        "bm25_took_p50_ms": med(bm25_ms),
        "knn_took_p50_ms": med(knn_ms),
        "floor_p50_ms": {
            "keyword": med(bm25_ms),
            "semantic": round(med(embed_ms) + med(knn_ms), 1),
            "hybrid": round(med(embed_ms) + max(med(bm25_ms), med(knn_ms)), 1),
        },
        "es_heap_used_mib": _es_heap(es),
    }


def _es_heap(es) -> float:
    stats = es.nodes.stats(metric="jvm")["nodes"]
    return round(sum(n["jvm"]["mem"]["heap_used_in_bytes"] for n in stats.values()) / 2**20, 1)


def start_server(settings: Settings, port: int) -> subprocess.Popen:
    # One client firing at concurrency 16 is the point of the benchmark: no per-client rate limit.
    env = {**os.environ, "ARSIP_INDEX": settings.index, "ARSIP_RATE_LIMIT": "0"}
    command = [sys.executable, "-m", "arsip_cli", "serve", "--port", str(port), "--threads", "16"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(1)
    proc.kill()
    raise SystemExit("the server did not become ready within 120 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--start-server", action="store_true", help="start `arsip serve` for the run")
    parser.add_argument("--index", help="alias to search (default: ARSIP_INDEX)")
    parser.add_argument("--requests", type=int, default=200, help="requests per mode and concurrency")
    parser.add_argument("--concurrency", default="1,4,16")
    parser.add_argument(
        "--no-facets", action="store_true", help="ask for facets=false (scripts that need no facet counts)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    settings = Settings.from_env()
    if args.index:
        settings = replace(settings, index=args.index)
    levels = [int(c) for c in args.concurrency.split(",")]
    queries = load_queries(args.requests * len(levels) * len(MODES) + 100)
    server = None
    if args.start_server:
        port = urllib.parse.urlparse(args.url).port or 5000
        server = start_server(settings, port)
    try:
        floor = measure_floor(settings, queries[-100:])
        rows = []
        offset = 0
        for mode in MODES:
            for level in levels:
                batch = queries[offset : offset + args.requests]
                offset += args.requests
                rows.append(run_load(args.url, mode, batch, level, facets=not args.no_facets))
        app_rss = None
        if server is not None:
            import psutil

            app_rss = round(psutil.Process(server.pid).memory_info().rss / 2**20, 1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    for row in rows:
        if row["concurrency"] == 1 and row["p50_ms"]:
            base_mode = row["mode"].split()[0]
            row["api_over_floor"] = round(row["p50_ms"] / max(0.1, floor["floor_p50_ms"][base_mode]), 2)
    report = {"index": settings.index, "floor": floor, "app_rss_mib": app_rss, "load": rows}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"index {settings.index} · floor {json.dumps(floor)} · app RSS {app_rss} MiB")
    print(
        "| mode | conc. | requests | errors | p50 ms | p95 ms | p99 ms | req/s | API/floor "
        "| own floor p50 ms | API/own floor |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['mode']} | {r['concurrency']} | {r['requests']} | {r['errors']} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['p99_ms']} | {r['throughput_rps']} | {r.get('api_over_floor', '')} | "
            f"{r['own_floor_p50_ms']} | {r['api_over_own_floor_p50']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
