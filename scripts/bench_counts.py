#!/usr/bin/env python
"""Distinct-document counts: the cardinality estimate against exact counts, and what each costs.

Builds a scratch index (the passage mapping, no vectors) with ``--documents`` documents of one to three
passages each; document ``i`` holds the word ``kpk`` when ``i % 7 != 3``, so the true number of matching
documents is known by construction. For growing subsets (``doc_id`` ranges) it times and checks:

* ``cardinality`` (``precision_threshold`` 40,000: what counted documents before issue 24);
* ``terms`` on ``doc_id`` sized to the bound, its buckets counted by a ``stats_bucket`` and left out of
  the response (``filter_path``): what ``searchapp.counting`` asks now;
* ``composite`` paging over ``doc_id`` (exact at any size, one round trip per 10,000 documents).

    flock /tmp/arsip-heavy.lock python scripts/bench_counts.py --documents 20000
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

from elasticsearch import helpers

from arsip.es_client import make_client
from arsip.index_admin import load_index_body
from arsip.model.identity import ModelIdentity
from arsip.settings import Settings

WORDS = ["banjir", "jalan", "warga", "kota", "rumah", "sekolah", "pasar", "harga", "hujan", "dinas"]


def passages(documents: int):
    for i in range(documents):
        doc_id = f"doc-{i:06d}"
        word = "kpk" if i % 7 != 3 else "polisi"
        for position in range(1 + i % 3):
            yield {
                "_id": f"{doc_id}-{position}",
                "_source": {
                    "passage_id": f"{doc_id}-{position}",
                    "doc_id": doc_id,
                    "position": position,
                    "n_passages": 1 + i % 3,
                    "text": f"{word} {WORDS[i % len(WORDS)]} {WORDS[(i + position) % len(WORDS)]} {i}",
                },
            }


def expected(upto: int) -> int:
    return sum(1 for i in range(upto) if i % 7 != 3)


def query(upto: int) -> dict:
    return {
        "bool": {
            "must": [{"match": {"text": "kpk"}}],
            "filter": [{"range": {"doc_id": {"lt": f"doc-{upto:06d}"}}}],
        }
    }


def timed(run, repeat: int) -> tuple[float, int]:
    times, value = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        value = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--bound", type=int, default=10_000, help="the terms aggregation's size")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings.from_env()
    es = make_client(settings, request_timeout=120)
    index = f"arsip-bench-counts-{uuid.uuid4().hex[:6]}"
    identity = ModelIdentity(name="none", dimension=4, fingerprint="none")
    es.indices.create(index=index, body=load_index_body(identity))
    try:
        helpers.bulk(es, passages(args.documents), index=index, chunk_size=2000, refresh="wait_for")
        print(f"{args.documents} documents; bound {args.bound}; median of {args.repeat} ms")
        print(
            f"{'subset':>8} {'true':>7} | {'cardinality':>11} {'ms':>6} | {'terms':>7} {'ms':>6} | "
            f"{'composite':>9} {'ms':>6}"
        )
        for upto in (1_000, 2_000, 5_000, 10_000, 15_000, args.documents):
            if upto > args.documents:
                continue
            q = query(upto)

            def cardinality(q: dict = q) -> int:
                body = {"cardinality": {"field": "doc_id", "precision_threshold": 40_000}}
                r = es.search(index=index, size=0, query=q, aggs={"d": body})
                return int(r["aggregations"]["d"]["value"])

            def terms(q: dict = q) -> int:
                aggs = {
                    "ids": {"terms": {"field": "doc_id", "size": args.bound}},
                    "n": {"stats_bucket": {"buckets_path": "ids>_count"}},
                }
                r = es.search(
                    index=index,
                    size=0,
                    query=q,
                    aggs=aggs,
                    filter_path=["aggregations.n.count", "aggregations.ids.sum_other_doc_count"],
                )
                other = r["aggregations"]["ids"]["sum_other_doc_count"]
                return int(r["aggregations"]["n"]["count"]) if other == 0 else -1

            def composite(q: dict = q) -> int:
                total, after = 0, None
                while True:
                    source = {"size": 10_000, "sources": [{"d": {"terms": {"field": "doc_id"}}}]}
                    if after:
                        source["after"] = after
                    r = es.search(index=index, size=0, query=q, aggs={"c": {"composite": source}})
                    buckets = r["aggregations"]["c"]["buckets"]
                    total += len(buckets)
                    after = r["aggregations"]["c"].get("after_key")
                    if len(buckets) < 10_000:
                        return total

            rows = [timed(run, args.repeat) for run in (cardinality, terms, composite)]
            cells = " | ".join(
                f"{value:>{w}} {ms:>6.1f}" for (ms, value), w in zip(rows, (11, 7, 9), strict=True)
            )
            print(f"{upto:>8} {expected(upto):>7} | {cells}")
    finally:
        es.indices.delete(index=index)


if __name__ == "__main__":
    main()
