#!/usr/bin/env python
"""Compare fusion settings on judged datasets, retrieving each query's two hit lists only once.

For every query the search's own retrieval (``searchapp.search.retrieve.retrieve``: the BM25 and kNN
requests of a hybrid search, one msearch) runs once; then every fusion setting is applied to the same
lists with the service's own ``_fuse`` and document grouping, so a grid of 23 settings costs one pass over
the queries instead of twenty. Keyword and semantic alone are the two lists grouped on their own (the same
as those modes, which ask for the same window). Prints one table per dataset and a summary ranked by the
worst margin of hybrid over the better single side; ``--json`` writes all figures. Confirm the winner with
``arsip eval`` (the full search path) before making it the default in ``searchapp/ranking.py``.

    python scripts/tune_ranking.py ../shared/eval/facqa ../shared/eval/tydiqa_id \
        [--distractor-index arsip-news] [--limit 500]
    python scripts/tune_ranking.py ../shared/eval/facqa ../shared/eval/tydiqa_id --variants --limit 1000
    python scripts/tune_ranking.py ../shared/eval/facqa ../shared/eval/tydiqa_id --variants \
        --only "stop words"
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from tqdm import tqdm

from arsip.es_client import make_client
from arsip.model.loader import load_encoder
from arsip.settings import Settings
from arsip_cli.evaluation import ensure_eval_index, load_dataset, mrr_at_k, ndcg_at_k, recall_at_k
from searchapp.fusion import fusion_window
from searchapp.query_parser import parse_query
from searchapp.ranking import (
    PASSAGES_PER_DOCUMENT,
    QUESTION_RANKING,
    RankingConfig,
    group_by_document,
    rank_passages,
)
from searchapp.search.plan import plan_search
from searchapp.search.retrieve import retrieve
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService

DEPTH = 100  # documents ranked per query, as in `arsip eval`
K = 10


def hybrid_settings() -> dict[str, RankingConfig]:
    grid: dict[str, RankingConfig] = {}
    for k in (10, 30, 60, 100):
        for semantic_weight in (1.0, 2.0, 3.0, 4.0):
            name = f"rrf k={k} w=1/{semantic_weight:g}"
            grid[name] = replace(
                QUESTION_RANKING, fusion="rrf", rrf_k=k, keyword_weight=1.0, semantic_weight=semantic_weight
            )
    for keyword_weight in (0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        semantic_weight = round(1 - keyword_weight, 2)
        grid[f"weighted {keyword_weight:g}/{semantic_weight:g}"] = replace(
            QUESTION_RANKING,
            fusion="weighted",
            keyword_weight=keyword_weight,
            semantic_weight=semantic_weight,
        )
    return grid


def metrics(ranked: list[str], relevant: dict[str, int]) -> dict[str, float]:
    return {
        f"ndcg@{K}": ndcg_at_k(ranked, relevant, K),
        f"recall@{K}": recall_at_k(ranked, relevant, K),
        "recall@100": recall_at_k(ranked, relevant, 100),
        f"mrr@{K}": mrr_at_k(ranked, relevant, K),
    }


def doc_ranking(ranked) -> list[str]:
    return [doc_id for doc_id, _, _ in group_by_document(ranked)][:DEPTH]


def tune_dataset(settings, es, embedder, directory: Path, limit, distractor_index) -> dict[str, dict]:
    dataset = load_dataset(directory, limit=limit)
    eval_settings = ensure_eval_index(settings, dataset, None, es, embedder)
    index = eval_settings.index + (f",{distractor_index}" if distractor_index else "")
    base = replace(QUESTION_RANKING, dfs=bool(distractor_index))
    service = SearchService(replace(eval_settings, index=index, search_timeout=60), es=es, embedder=embedder)
    services = {"keyword": service, "semantic": service}
    for name, config in hybrid_settings().items():
        services[name] = SearchService(service.settings, es=es, embedder=embedder, ranking=config)
    for svc in services.values():
        svc.ranking = replace(svc.ranking, dfs=base.dfs)
    window = fusion_window(1, DEPTH * PASSAGES_PER_DOCUMENT)
    sums: dict[str, dict[str, float]] = {}
    for qid, text in tqdm(dataset.queries, desc=dataset.name):
        parsed = parse_query(text[:1000])
        request = SearchRequest(q=parsed.raw, mode="hybrid", facets=False)
        plan = plan_search(request, service.ranking, service.settings, service.model)
        found = retrieve(plan, service.engine, window)
        keyword_hits, semantic_hits = found.keyword_hits, found.semantic_hits
        relevant = dataset.qrels[qid]
        for name, svc in services.items():
            mode = name if name in ("keyword", "semantic") else "hybrid"
            ranked = rank_passages(mode, keyword_hits, semantic_hits, svc.ranking)
            figures = metrics(doc_ranking(ranked), relevant)
            row = sums.setdefault(name, dict.fromkeys(figures, 0.0))
            for key, value in figures.items():
                row[key] += value
    n = max(1, len(dataset.queries))
    table = {name: {key: round(value / n, 4) for key, value in row.items()} for name, row in sums.items()}
    print(
        f"\n{dataset.name} · {len(dataset.queries)} queries"
        + (f" · distractors: {distractor_index}" if distractor_index else "")
    )
    columns = list(next(iter(table.values())))
    print("| setting | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name, figures in table.items():
        print(f"| {name} | " + " | ".join(f"{figures[c]:.4f}" for c in columns) + " |")
    sys.stdout.flush()
    return table


def retrieval_variants() -> dict[str, RankingConfig]:
    """BM25 fields/boosts, stop words, stemming and kNN candidate counts, each with the default fusion."""
    default = QUESTION_RANKING
    return {
        "default (text 1, title 0.5; candidates 2x window)": default,
        "BM25 fields: text only": replace(default, fields={"text": 1.0}),
        "BM25 fields: text 1, title 1": replace(default, fields={"text": 1.0, "title": 1.0}),
        "BM25 fields: text 1, title 2": replace(default, fields={"text": 1.0, "title": 2.0}),
        "kNN candidates = window": replace(default, num_candidates_factor=1.0),
        "kNN candidates = 5x window": replace(default, num_candidates_factor=5.0),
        "stop words kept (analyzer arsip_text)": replace(default, keyword_analyzer="arsip_text"),
        "no stemming (plain fields only)": replace(default, stemming=False),
        "semantic set 100, BM25 reference 100": replace(default, semantic_k=100, reference_window=100),
        "semantic set 300, BM25 reference 300": replace(default, semantic_k=300, reference_window=300),
        "semantic set 50, BM25 reference 300": replace(default, reference_window=300),
    }


def compare_variants(
    settings, es, embedder, directory: Path, limit, distractor_index, only: str | None = None
) -> None:
    """nDCG@10 of keyword, semantic and hybrid (default fusion) under each retrieval variant.

    ``only`` keeps the default and the variants whose name contains it (each variant costs a full pass).
    """
    dataset = load_dataset(directory, limit=limit)
    eval_settings = ensure_eval_index(settings, dataset, None, es, embedder)
    index = eval_settings.index + (f",{distractor_index}" if distractor_index else "")
    search_settings = replace(eval_settings, index=index, search_timeout=60)
    window = fusion_window(1, DEPTH * PASSAGES_PER_DOCUMENT)
    metric = f"ndcg@{K}"
    rows = []
    for name, config in retrieval_variants().items():
        if only and only not in name and config != QUESTION_RANKING:
            continue
        config = replace(config, dfs=bool(distractor_index))
        service = SearchService(search_settings, es=es, embedder=embedder, ranking=config)
        sums = {"keyword": 0.0, "semantic": 0.0, "hybrid": 0.0}
        for qid, text in tqdm(dataset.queries, desc=f"{dataset.name} · {name}"):
            parsed = parse_query(text[:1000])
            request = SearchRequest(q=parsed.raw, mode="hybrid", facets=False)
            plan = plan_search(request, service.ranking, service.settings, service.model)
            found = retrieve(plan, service.engine, window)
            keyword_hits, semantic_hits = found.keyword_hits, found.semantic_hits
            for mode in sums:
                ranked = rank_passages(mode, keyword_hits, semantic_hits, service.ranking)
                sums[mode] += metrics(doc_ranking(ranked), dataset.qrels[qid])[metric]
        n = max(1, len(dataset.queries))
        rows.append((name, {mode: round(total / n, 4) for mode, total in sums.items()}))
    print(f"\n{dataset.name} · {len(dataset.queries)} queries · retrieval variants ({metric})")
    print("| variant | keyword | semantic | hybrid |")
    print("|---|---|---|---|")
    for name, figures in rows:
        print(f"| {name} | {figures['keyword']:.4f} | {figures['semantic']:.4f} | {figures['hybrid']:.4f} |")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--distractor-index")
    parser.add_argument("--json", help="write all figures to this file")
    parser.add_argument(
        "--variants",
        action="store_true",
        help="compare BM25 fields, stop words and kNN candidates instead of fusions",
    )
    parser.add_argument("--only", help="with --variants: the default and the variants whose name has this")
    args = parser.parse_args()

    settings = Settings.from_env()
    es = make_client(settings, request_timeout=120)
    embedder = load_encoder(settings)
    if args.variants:
        for directory in args.datasets:
            compare_variants(
                settings, es, embedder, Path(directory), args.limit, args.distractor_index, args.only
            )
        return 0
    tables = {
        Path(d).name: tune_dataset(settings, es, embedder, Path(d), args.limit, args.distractor_index)
        for d in args.datasets
    }
    metric = f"ndcg@{K}"
    print(f"\nSummary ({metric}): margin = hybrid − the better single side, worst over datasets")
    names = [name for name in next(iter(tables.values())) if name not in ("keyword", "semantic")]
    rows = []
    for name in names:
        margins = [
            t[name][metric] - max(t["keyword"][metric], t["semantic"][metric]) for t in tables.values()
        ]
        rows.append((min(margins), name, [t[name][metric] for t in tables.values()]))
    print("| setting | " + " | ".join(tables) + " | worst margin |")
    print("|---" * (len(tables) + 2) + "|")
    for worst, name, values in sorted(rows, reverse=True):
        print(f"| {name} | " + " | ".join(f"{v:.4f}" for v in values) + f" | {worst:+.4f} |")
    if args.json:
        Path(args.json).write_text(json.dumps(tables, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
