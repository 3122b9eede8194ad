#!/usr/bin/env python
"""Measure the ranking levers of issue 14 on the judged dev sets, clean and with the news distractors.

Each query's candidates are retrieved once per condition and cached (``--cache``): the BM25 reference
window and the semantic set exactly as the search page asks for them
(``searchapp.search.plan.keyword_query``, ``build_knn``), the semantic set again with Elasticsearch's
float rescoring of the int8 candidates (``rescore_vector``), and, for the first ``--exact-limit`` queries,
the exact float nearest passages (``num_candidates`` 10,000 with the top 1,000 rescored in float: this
node has no scripting, and on the judged indices that is every passage) to measure the kNN side's
recall@100. Every lever is then applied to the same cached lists, so the rows of one table differ only by
the lever.

    python docs/decisions/ranking-levers/rank_levers.py ../shared/eval/facqa ../shared/eval/tydiqa_id
    python docs/decisions/ranking-levers/rank_levers.py ../shared/eval/facqa ../shared/eval/tydiqa_id \
        --distractor-index arsip-news
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

from tqdm import tqdm

from arsip.es_client import make_client
from arsip.model.loader import load_encoder
from arsip.settings import Settings
from arsip_cli.evaluation import ensure_eval_index, load_dataset, ndcg_at_k
from searchapp.query_builder import build_knn
from searchapp.query_parser import parse_query
from searchapp.ranking import QUESTION_RANKING, Hit, group_by_document, rank_passages
from searchapp.search.plan import keyword_query
from searchapp.service import SearchService

SOURCE = ["doc_id", "dup_group"]
DEPTH = 100  # documents ranked per query, as in `arsip eval`
K = 10


@dataclass
class Candidates:
    """One query's cached retrievals: (passage id, doc id, score, "") per list (the last field is empty:
    kept so that caches written before stay readable)."""

    qid: str
    query: str
    keyword: list[tuple[str, str, float, str]]
    semantic: list[tuple[str, str, float, str]]
    semantic_rescored: list[tuple[str, str, float, str]]
    exact: list[str] | None = None


def _rows(response: dict) -> list[tuple[str, str, float, str]]:
    return [
        (h["_id"], h["_source"]["doc_id"], float(h["_score"] or 0.0), "") for h in response["hits"]["hits"]
    ]


def retrieve(service: SearchService, dataset, exact_limit: int, oversample: float) -> list[Candidates]:
    config = service.ranking
    header = {"index": service.index, **({"search_type": "dfs_query_then_fetch"} if config.dfs else {})}
    out = []
    for n, (qid, text) in enumerate(tqdm(dataset.queries, desc=dataset.name)):
        parsed = parse_query(text[:1000])
        keyword = keyword_query(parsed, parsed.filters, config, service.settings)
        vector = service.embedder.encode_query(parsed.semantic_text).tolist()
        knn = build_knn(vector, parsed.filters, config.semantic_k, config.num_candidates, parsed=parsed)
        rescored = {**knn, "rescore_vector": {"oversample": oversample}}
        bodies = [
            {"query": keyword, "size": config.reference_window, "_source": SOURCE},
            {"knn": knn, "size": knn["k"], "_source": SOURCE},
            {"knn": rescored, "size": knn["k"], "_source": SOURCE},
        ]
        if n < exact_limit:  # the reference: every passage a candidate, top 1,000 rescored in float
            exhaustive = {**knn, "num_candidates": 10_000, "rescore_vector": {"oversample": 10.0}}
            bodies.append({"knn": exhaustive, "size": knn["k"], "_source": False})
        searches = []
        for body in bodies:
            searches += [header, body]
        responses = service.es.msearch(searches=searches)["responses"]
        for r in responses:
            if "error" in r:
                raise RuntimeError(json.dumps(r["error"])[:500])
        out.append(
            Candidates(
                qid,
                text,
                _rows(responses[0]),
                _rows(responses[1]),
                _rows(responses[2]),
                [h["_id"] for h in responses[3]["hits"]["hits"]] if n < exact_limit else None,
            )
        )
    return out


def cached_candidates(settings, es, embedder, directory: Path, args) -> tuple[object, list[Candidates]]:
    dataset = load_dataset(directory, limit=args.limit)
    eval_settings = ensure_eval_index(settings, dataset, None, es, embedder)
    index = eval_settings.index + (f",{args.distractor_index}" if args.distractor_index else "")
    key = hashlib.sha1(
        f"{index}|{args.limit}|{args.exact_limit}|{args.oversample}|{embedder.identity}".encode()
    ).hexdigest()[:12]
    path = Path(args.cache) / f"{dataset.name}-{'news' if args.distractor_index else 'clean'}-{key}.pkl"
    if path.exists():
        return dataset, pickle.loads(path.read_bytes())
    config = replace(QUESTION_RANKING, dfs=bool(args.distractor_index))
    service = SearchService(replace(eval_settings, index=index, search_timeout=120), es=es, embedder=embedder)
    service.ranking = config
    candidates = retrieve(service, dataset, args.exact_limit, args.oversample)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(candidates))
    return dataset, candidates


def _hits(rows, side: str) -> list[Hit]:
    return [Hit(pid, doc, **{side: score}) for pid, doc, score, _ in rows]


def _documents(ranked) -> list[str]:
    return [doc_id for doc_id, _, _ in group_by_document(ranked)][:DEPTH]


def _with_evidence(ranked, weight: float) -> list[str]:
    """Documents by best passage + ``weight`` × second best: several matching passages as evidence."""
    scores: dict[str, list[float]] = {}
    for hit, score in ranked:
        scores.setdefault(hit.doc_id, []).append(score)
    fused = {doc: s[0] + weight * (s[1] if len(s) > 1 else 0.0) for doc, s in scores.items()}
    return sorted(fused, key=lambda doc: -fused[doc])[:DEPTH]


def levers() -> dict[str, tuple[str, str, object]]:
    """Row name → (mode, semantic list, ranking config or a document scorer)."""
    rows: dict[str, tuple[str, str, object]] = {
        "keyword": ("keyword", "semantic", QUESTION_RANKING),
        "semantic": ("semantic", "semantic", QUESTION_RANKING),
        "hybrid (default)": ("hybrid", "semantic", QUESTION_RANKING),
        "semantic, float-rescored kNN": ("semantic", "semantic_rescored", QUESTION_RANKING),
        "hybrid, float-rescored kNN": ("hybrid", "semantic_rescored", QUESTION_RANKING),
    }
    for normalization in ("minmax", "zscore"):
        for keyword_weight in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
            config = replace(
                QUESTION_RANKING,
                normalization=normalization,
                adaptive_slope=0.0,
                keyword_weight=keyword_weight,
                semantic_weight=round(1 - keyword_weight, 2),
            )
            name = f"hybrid {normalization} {keyword_weight:g}/{1 - keyword_weight:g}"
            rows[
                name
                + (" (the previous default)" if (normalization, keyword_weight) == ("minmax", 0.3) else "")
            ] = (
                "hybrid",
                "semantic",
                config,
            )
    for slope in (0.03, 0.06, 0.1):
        config = replace(QUESTION_RANKING, adaptive_slope=slope)
        default = " (default)" if slope == QUESTION_RANKING.adaptive_slope else ""
        rows[f"hybrid zscore 0.3/0.7, adaptive slope {slope:g}{default}"] = ("hybrid", "semantic", config)
    rows["hybrid + document evidence (best + 0.5 × second)"] = ("hybrid", "semantic", 0.5)
    return rows


def lever_table(dataset, candidates: list[Candidates]) -> dict[str, float]:
    table: dict[str, float] = {}
    for name, (mode, side, config) in levers().items():
        total = 0.0
        for c in candidates:
            ranking = config if not isinstance(config, float) else QUESTION_RANKING
            ranked = rank_passages(
                mode, _hits(c.keyword, "keyword"), _hits(getattr(c, side), "semantic"), ranking
            )
            documents = _with_evidence(ranked, config) if isinstance(config, float) else _documents(ranked)
            total += ndcg_at_k(documents, dataset.qrels[c.qid], K)
        table[name] = total / max(1, len(candidates))
    exact = [c for c in candidates if c.exact]
    for name, side in (
        ("kNN recall@100 (int8 HNSW)", "semantic"),
        ("kNN recall@100 (float-rescored)", "semantic_rescored"),
    ):
        table[name] = sum(
            len({pid for pid, *_ in getattr(c, side)} & set(c.exact)) / max(1, len(c.exact)) for c in exact
        ) / max(1, len(exact))
    return table


def halves_table(dataset, candidates: list[Candidates]) -> list[tuple[int, int, dict[str, float]]]:
    """Per half of the queries (crc32 of the id, mod 2): the single modes, the previous default and the
    default, as a stand-in for queries not seen while choosing."""
    previous = replace(QUESTION_RANKING, normalization="minmax", adaptive_slope=0.0)
    rows = []
    for half in (0, 1):
        subset = [c for c in candidates if zlib.crc32(c.qid.encode()) % 2 == half]
        figures = {}
        for name, mode, config in (
            ("keyword", "keyword", QUESTION_RANKING),
            ("semantic", "semantic", QUESTION_RANKING),
            ("previous default", "hybrid", previous),
            ("default", "hybrid", QUESTION_RANKING),
        ):
            total = 0.0
            for c in subset:
                keyword, semantic = _hits(c.keyword, "keyword"), _hits(c.semantic, "semantic")
                documents = _documents(rank_passages(mode, keyword, semantic, config))
                total += ndcg_at_k(documents, dataset.qrels[c.qid], K)
            figures[name] = total / max(1, len(subset))
        rows.append((half, len(subset), figures))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--distractor-index")
    parser.add_argument("--exact-limit", type=int, default=500, help="queries with an exhaustive kNN")
    parser.add_argument("--oversample", type=float, default=3.0)
    parser.add_argument("--cache", default=".arsip/rank-levers")
    parser.add_argument("--json", help="write the tables to this file")
    parser.add_argument("--halves", action="store_true", help="also the default per half of the queries")
    args = parser.parse_args()
    settings = Settings.from_env()
    es = make_client(settings, request_timeout=300)
    embedder = load_encoder(settings)
    tables = {}
    for directory in args.datasets:
        dataset, candidates = cached_candidates(settings, es, embedder, Path(directory), args)
        tables[dataset.name] = lever_table(dataset, candidates)
    condition = f"with {args.distractor_index} as distractors" if args.distractor_index else "clean"
    print(f"\nnDCG@{K} per lever, {condition} (kNN recall on the first {args.exact_limit} queries)")
    print("| lever | " + " | ".join(tables) + " |")
    print("|---" * (len(tables) + 1) + "|")
    for name in next(iter(tables.values())):
        print(f"| {name} | " + " | ".join(f"{t[name]:.4f}" for t in tables.values()) + " |")
    if args.halves:
        print(
            "\n| dataset | half | queries | keyword | semantic | previous default | default | change "
            "| margin |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for directory in args.datasets:
            dataset, candidates = cached_candidates(settings, es, embedder, Path(directory), args)
            for half, n, f in halves_table(dataset, candidates):
                change = f["default"] - f["previous default"]
                margin = f["default"] - max(f["keyword"], f["semantic"])
                print(
                    f"| {dataset.name} | {half} | {n} | {f['keyword']:.4f} | {f['semantic']:.4f} | "
                    f"{f['previous default']:.4f} | {f['default']:.4f} | {change:+.4f} | {margin:+.4f} |"
                )
    if args.json:
        Path(args.json).write_text(json.dumps(tables, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
