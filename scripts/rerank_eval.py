#!/usr/bin/env python
"""Measure a cross-encoder reranker over the search page's top documents (issue 25): a measurement only.

Each judged question goes through ``SearchService.search`` exactly as ``arsip eval`` sends it (the search
page's default, hybrid, the default encoder; ``arsip_cli.evaluation``'s dataset reader, eval index and
metrics). Then the top ``--top`` documents are reranked by the cross-encoder's score of each document's
best passage (the first of the result's passages, as the page shows it); the documents below stay in the
page's order. Three orders are measured on the same responses, side by side:

* ``page``: the search page's order (what ``arsip eval`` measures);
* ``reranked``: the top N by the reranker's score;
* ``blend``: the top N by reciprocal-rank fusion of the page's rank and the reranker's rank, equal
  weights (``1/(k + page rank) + 1/(k + reranker rank)``, k = ``--rrf-k``, ties to the page's order).

Latency: the reranker's own time per question (tokenising and scoring the N pairs in one float32 batch,
``torch.set_num_threads(--threads)``), p50 / p95, next to the search's own.

    export ARSIP_DATA_DIR=/work/main/.arsip
    flock /tmp/arsip-heavy.lock .venv/bin/python scripts/rerank_eval.py ../shared/eval/tydiqa_id \\
        --reranker $ARSIP_DATA_DIR/models/reranker-i25-facqa --limit 600
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from train_reranker import load_reranker  # noqa: E402

from arsip_cli.evaluation import ensure_eval_index, load_dataset, mrr_at_k, ndcg_at_k, recall_at_k  # noqa: E402

ORDERS = ("page", "reranked", "blend")


def rerank(doc_ids: list[str], scores: list[float], top: int) -> list[str]:
    """The first ``top`` documents by score (ties keep the page's order), then the rest as they were."""
    head = sorted(range(min(top, len(doc_ids))), key=lambda i: (-scores[i], i))
    return [doc_ids[i] for i in head] + doc_ids[top:]


def blend(doc_ids: list[str], scores: list[float], top: int, k: float) -> list[str]:
    """Reciprocal-rank fusion of the page's rank and the reranker's rank over the first ``top``."""
    n = min(top, len(doc_ids))
    by_score = sorted(range(n), key=lambda i: (-scores[i], i))
    reranker_rank = {i: rank for rank, i in enumerate(by_score, start=1)}
    fused = {i: 1 / (k + i + 1) + 1 / (k + reranker_rank[i]) for i in range(n)}
    head = sorted(range(n), key=lambda i: (-fused[i], i))
    return [doc_ids[i] for i in head] + doc_ids[top:]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, help="folder with corpus.jsonl, queries.jsonl, qrels.tsv")
    parser.add_argument("--reranker", type=Path, required=True, help="folder saved by train_reranker.py")
    parser.add_argument("--limit", type=int, help="the first N judged questions")
    parser.add_argument("--top", type=int, default=20, help="rerank the page's first N documents")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--rrf-k", type=float, default=60.0)
    parser.add_argument("--max-tokens", type=int, default=192)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-minutes", type=float, help="stop after this long; report the questions done")
    parser.add_argument("--details", type=Path, help="write each question's three orders here (JSON lines)")
    args = parser.parse_args(argv)

    import torch

    from arsip.es_client import make_client
    from arsip.model.loader import load_encoder
    from arsip.settings import Settings
    from searchapp.ranking import RankingConfig
    from searchapp.search_request import SearchRequest
    from searchapp.service import SearchService

    torch.set_num_threads(args.threads)
    settings = Settings.from_env()
    dataset = load_dataset(args.dataset, limit=args.limit)
    es = make_client(settings, request_timeout=120)
    embedder = load_encoder(settings)
    eval_settings = ensure_eval_index(settings, dataset, None, es, embedder)
    service = SearchService(replace_timeout(eval_settings), es=es, embedder=embedder, ranking=RankingConfig())
    reranker = load_reranker(args.reranker)
    reranker.score("pemanasan", ["pemanasan awal"], args.max_tokens)  # the first call pays for setup

    k = args.k
    sums = {order: {"ndcg": 0.0, "recall": 0.0, "mrr": 0.0} for order in ORDERS}
    search_ms, rerank_ms, moved = [], [], 0
    details: list[dict] = []
    started = time.perf_counter()
    done = 0
    for done, (qid, text) in enumerate(dataset.queries, start=1):
        if args.max_minutes and (time.perf_counter() - started) / 60 > args.max_minutes:
            done -= 1
            print(f"stopped by --max-minutes after {done} questions", file=sys.stderr)
            break
        search_started = time.perf_counter()
        response = service.search(
            SearchRequest(
                q=text[:1000],
                mode="hybrid",
                size=max(100, k),
                group="document",
                highlight=False,
                facets=False,
                dedupe=False,
                related="close",
            )
        )
        search_ms.append((time.perf_counter() - search_started) * 1000)
        results = response["results"]
        page = [hit["doc_id"] for hit in results]
        passages = [hit["passages"][0]["text"] for hit in results[: args.top]]
        rerank_started = time.perf_counter()
        scores = reranker.score(text[:1000], passages, args.max_tokens) if passages else []
        rerank_ms.append((time.perf_counter() - rerank_started) * 1000)
        orders = {
            "page": page,
            "reranked": rerank(page, scores, args.top),
            "blend": blend(page, scores, args.top, args.rrf_k),
        }
        moved += orders["reranked"][:k] != page[:k]
        relevant = dataset.qrels[qid]
        for order, ranked in orders.items():
            sums[order]["ndcg"] += ndcg_at_k(ranked, relevant, k)
            sums[order]["recall"] += recall_at_k(ranked, relevant, k)
            sums[order]["mrr"] += mrr_at_k(ranked, relevant, k)
        details.append({"qid": qid, "scores": scores, **{o: r[:k] for o, r in orders.items()}})
        if done % 50 == 0:
            ndcg = {o: round(sums[o]["ndcg"] / done, 4) for o in ORDERS}
            print(f"{done}/{len(dataset.queries)} ndcg@{k} {ndcg}", file=sys.stderr)
    if args.details:
        args.details.write_text("".join(json.dumps(row) + "\n" for row in details), encoding="utf-8")

    n = max(1, done)
    report = {
        "dataset": dataset.name,
        "questions": done,
        "index": eval_settings.index,
        "reranker": str(args.reranker),
        "top": args.top,
        "rrf_k": args.rrf_k,
        "orders": {
            order: {
                f"ndcg@{k}": round(sums[order]["ndcg"] / n, 4),
                f"recall@{k}": round(sums[order]["recall"] / n, 4),
                f"mrr@{k}": round(sums[order]["mrr"] / n, 4),
            }
            for order in ORDERS
        },
        "top_k_changed_by_reranker": moved,
        "search_ms": {
            "p50": round(statistics.median(search_ms), 1),
            "p95": round(percentile(search_ms, 0.95), 1),
        },
        "rerank_ms": {
            "p50": round(statistics.median(rerank_ms), 1),
            "p95": round(percentile(rerank_ms, 0.95), 1),
        },
        "threads": args.threads,
        "minutes": round((time.perf_counter() - started) / 60, 1),
    }
    print(json.dumps(report, indent=2))
    print(f"\n{dataset.name} · {done} questions · top {args.top} reranked")
    print(f"| order | ndcg@{k} | recall@{k} | mrr@{k} |\n|---|---|---|---|")
    for order, figures in report["orders"].items():
        print(f"| {order} | " + " | ".join(str(v) for v in figures.values()) + " |")
    return 0


def replace_timeout(settings):
    """The eval settings with ``evaluate()``'s search timeout."""
    from dataclasses import replace

    return replace(settings, search_timeout=60)


if __name__ == "__main__":
    sys.exit(main())
