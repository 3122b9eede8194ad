#!/usr/bin/env python
"""Filtered semantic search: is the approximate (HNSW) kNN repeatable, and what does exact search cost?

Builds a scratch index (the passage mapping) of ``--passages`` passages with seeded random unit vectors;
passage ``i`` has source ``s{i % 10}``, so a one-source filter keeps 10 % of the index, five sources 50 %.
For a few query vectors and each filter it sends the same request ``--repeat`` times, both ways:

* ``knn`` with the filter inside (k 100, num_candidates 200: the product's defaults before issue 24);
* exact: ``searchapp.search.candidates.semantic_body``'s ``script_score`` over the filtered passages.

and prints how many different result lists (ids in order) each gave, the median time, and how many of the
exact top 100 the approximate search found (recall).

    flock /tmp/arsip-heavy.lock python scripts/bench_filtered_knn.py --passages 50000
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

import numpy as np
from elasticsearch import helpers

from arsip.es_client import make_client
from arsip.index_admin import load_index_body
from arsip.model.identity import ModelIdentity
from arsip.settings import Settings
from searchapp.search.candidates import semantic_body

DIMS = 384


def actions(passages: int, rng: np.random.Generator):
    for start in range(0, passages, 1_000):
        block = rng.standard_normal((min(1_000, passages - start), DIMS)).astype(np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        for offset, vector in enumerate(block):
            i = start + offset
            yield {
                "_id": f"p{i}:0",
                "_source": {
                    "passage_id": f"p{i}:0",
                    "doc_id": f"p{i}",
                    "position": 0,
                    "n_passages": 1,
                    "text": f"passage {i}",
                    "source": f"s{i % 10}",
                    "vector": vector.tolist(),
                },
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    es = make_client(Settings.from_env(), request_timeout=300)
    rng = np.random.default_rng(24)
    index = f"arsip-bench-knn-{uuid.uuid4().hex[:6]}"
    es.indices.create(index=index, body=load_index_body(ModelIdentity("none", DIMS, "none")))
    try:
        helpers.bulk(es, actions(args.passages, rng), index=index, chunk_size=500, request_timeout=300)
        es.indices.refresh(index=index)
        segments = len(es.indices.segments(index=index)["indices"][index]["shards"]["0"][0]["segments"])
        print(
            f"{args.passages} passages in {segments} segments; {args.queries} queries × {args.repeat} calls"
        )
        print(f"{'filter':>10} | {'knn lists':>9} {'ms':>6} {'recall':>6} | {'exact lists':>11} {'ms':>6}")
        queries = rng.standard_normal((args.queries, DIMS)).astype(np.float32)
        for label, sources in (("10 %", ["s0"]), ("50 %", ["s0", "s1", "s2", "s3", "s4"]), ("none", [])):
            knn_lists, exact_lists, knn_ms, exact_ms, recall = 0, 0, [], [], []
            for vector in queries:
                knn = {"field": "vector", "query_vector": vector.tolist(), "k": 100, "num_candidates": 200}
                if sources:
                    knn["filter"] = {"bool": {"filter": [{"terms": {"source": sources}}]}}
                bodies = {"knn": {"knn": knn, "size": 100, "_source": False}, "exact": semantic_body(knn)}
                seen: dict[str, set] = {"knn": set(), "exact": set()}
                for name, body in bodies.items():
                    for _ in range(args.repeat):
                        started = time.perf_counter()
                        hits = es.search(index=index, body=body)["hits"]["hits"]
                        (knn_ms if name == "knn" else exact_ms).append((time.perf_counter() - started) * 1000)
                        seen[name].add(tuple(h["_id"] for h in hits))
                knn_lists += len(seen["knn"])
                exact_lists += len(seen["exact"])
                truth = set(next(iter(seen["exact"])))
                recall.append(statistics.mean(len(truth & set(ids)) / len(truth) for ids in seen["knn"]))
            print(
                f"{label:>10} | {knn_lists:>9} {statistics.median(knn_ms):>6.1f} "
                f"{statistics.mean(recall):>6.3f} | {exact_lists:>11} {statistics.median(exact_ms):>6.1f}"
            )
        print(f"(lists: different result lists over {args.queries} queries; one per query is repeatable)")
    finally:
        es.indices.delete(index=index)


if __name__ == "__main__":
    main()
