#!/usr/bin/env python
"""Semantic search (kNN), filtered or not: is the same request answered with the same list every time,
and what does a larger ``num_candidates`` buy and cost?

Builds a scratch index (the passage mapping) of ``--passages`` passages with seeded random unit vectors;
passage ``i`` has source ``s{i % 10}``, so a one-source filter keeps 10 % of the index, five sources 50 %.
For a few query vectors and each filter it sends the same ``knn`` request (k 100, the filter inside)
``--repeat`` times with each ``num_candidates`` (200 is the product's default) and prints how many
different result lists (ids in order) it got over the queries (one per query is repeatable) and the
median time. Exact search (``script_score`` with ``cosineSimilarity``) is not an option: the
Elasticsearch distribution arsip runs has no painless module (``script_lang not supported``).

    flock /tmp/arsip-heavy.lock env PYTHONPATH=. python scripts/bench_filtered_knn.py --passages 50000
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
        helpers.bulk(es, actions(args.passages, rng), index=index, chunk_size=500)
        es.indices.refresh(index=index)
        segments = len(es.indices.segments(index=index)["indices"][index]["shards"]["0"][0]["segments"])
        print(
            f"{args.passages} passages in {segments} segments; {args.queries} queries × {args.repeat} calls"
        )
        candidates = (200, 1_000, 10_000)
        print(f"{'filter':>10} | " + " | ".join(f"nc {n:>6}: lists     ms" for n in candidates))
        queries = rng.standard_normal((args.queries, DIMS)).astype(np.float32)
        for label, sources in (("10 %", ["s0"]), ("50 %", ["s0", "s1", "s2", "s3", "s4"]), ("none", [])):
            cells = []
            for num_candidates in candidates:
                lists, times = 0, []
                for vector in queries:
                    knn = {"field": "vector", "query_vector": vector.tolist(), "k": 100}
                    knn["num_candidates"] = num_candidates
                    if sources:
                        knn["filter"] = {"bool": {"filter": [{"terms": {"source": sources}}]}}
                    seen = set()
                    for _ in range(args.repeat):
                        started = time.perf_counter()
                        hits = es.search(index=index, knn=knn, size=100, source=False)["hits"]["hits"]
                        times.append((time.perf_counter() - started) * 1000)
                        seen.add(tuple(h["_id"] for h in hits))
                    lists += len(seen)
                cells.append(f"{'':>10}{lists:>6} {statistics.median(times):>6.1f}")
            print(f"{label:>10} | " + " | ".join(cells))
        print(f"(lists: different result lists over {args.queries} queries; {args.queries} is repeatable)")
    finally:
        es.indices.delete(index=index)


if __name__ == "__main__":
    main()
