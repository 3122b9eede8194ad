#!/usr/bin/env python
"""Quality gate for the fast encoders: does each variant keep torch fp32's vectors and ranking?

1. Vectors: cosine of each variant's vector to torch fp32's, on real news passages (the indexer's own
   splitting of news_clickid articles) and on query-length strings (the dev sets' questions): mean,
   1st percentile, minimum. Gate: mean >= 0.995. Token ids are compared too (must be identical).
2. Ranking: `arsip eval` nDCG@10 on FacQA and TyDi-id in every mode, each encoder embedding its own
   eval index and its queries. Gate: loss to torch <= 0.005 in every mode.
Prints a table per part and PASS/FAIL per variant; exit status 1 if a variant fails.

    flock /tmp/arsip-heavy.lock python scripts/encoder_gate.py [--variants onnx,onnx-int8]
        [--articles 150] [--queries 400] [--skip-eval] [--eval-limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace

import numpy as np

from arsip.model.loader import load_encoder
from arsip.settings import Settings
from arsip_cli.encoder_measurement import EVAL_DIR, cosine_stats, news_texts, queries
from indexer.splitting import split_passages

MIN_MEAN_COSINE = 0.995
MAX_NDCG_LOSS = 0.005
DATASETS = ("facqa", "tydiqa_id")
MODES = ("keyword", "semantic", "hybrid")


def torch_token_ids(embedder, texts: list[str], prompt: str) -> list[list[int]]:
    batch = embedder.tokenizer(
        [prompt + t for t in texts], truncation=True, max_length=embedder.max_seq_length, verbose=False
    )
    return [list(ids) for ids in batch["input_ids"]]


def run_eval(settings: Settings, encoder_name: str, embedder, limit: int | None) -> dict:
    from arsip.es_client import make_client
    from arsip_cli.evaluation import evaluate, load_dataset

    es = make_client(settings, request_timeout=120)
    out = {}
    for name in DATASETS:
        dataset = load_dataset(EVAL_DIR / name, limit=limit)
        report = evaluate(
            replace(settings, encoder=encoder_name),
            dataset,
            MODES,
            es=es,
            embedder=embedder,
            show_progress=False,
        )
        out[name] = {mode: figures["ndcg@10"] for mode, figures in report["modes"].items()}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="onnx,onnx-int8")
    parser.add_argument("--articles", type=int, default=150, help="news articles split into passages")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--skip-eval", action="store_true", help="vectors only (no Elasticsearch)")
    parser.add_argument("--eval-limit", type=int, default=None, help="first N judged queries per dev set")
    args = parser.parse_args()

    settings = Settings.from_env()
    reference = load_encoder(replace(settings, encoder="torch"))
    passages = [
        p.text
        for number, text in enumerate(news_texts(args.articles, skip=1000))
        for p in split_passages(
            f"n{number}", text, reference.count_tokens, max_tokens=settings.max_passage_tokens
        )
    ]
    qs = queries(args.queries)
    ref_passages = reference.encode_passages(passages)
    ref_queries = np.stack([reference._encode([q], reference.prompts["query"])[0] for q in qs])
    ref_ids = {
        "passage": torch_token_ids(reference, passages, reference.prompts["passage"]),
        "query": torch_token_ids(reference, qs, reference.prompts["query"]),
    }
    ndcg = {} if args.skip_eval else {"torch": run_eval(settings, "torch", reference, args.eval_limit)}
    del reference

    vectors: dict[str, dict] = {}
    for variant in args.variants.split(","):
        embedder = load_encoder(replace(settings, encoder=variant))
        same_ids = embedder.token_ids(passages, embedder.prompts["passage"]) == ref_ids["passage"] and (
            embedder.token_ids(qs, embedder.prompts["query"]) == ref_ids["query"]
        )
        mine_queries = np.stack([embedder._encode([q], embedder.prompts["query"])[0] for q in qs])
        vectors[variant] = {
            "token_ids_identical": same_ids,
            "passages": cosine_stats(ref_passages, embedder.encode_passages(passages)),
            "queries": cosine_stats(ref_queries, mine_queries),
        }
        if not args.skip_eval:
            ndcg[variant] = run_eval(settings, variant, embedder, args.eval_limit)
        del embedder

    print(
        f"\n{len(passages)} news passages ({args.articles} articles), {len(qs)} queries; cosine to torch fp32"
    )
    print("| variant | token ids | passages mean | p1 | min | queries mean | p1 | min |")
    print("|---|---|---|---|---|---|---|---|")
    for variant, v in vectors.items():
        p, q = v["passages"], v["queries"]
        print(
            f"| {variant} | {'identical' if v['token_ids_identical'] else 'DIFFER'} | {p['mean']:.4f} | "
            f"{p['p1']:.4f} | {p['min']:.4f} | {q['mean']:.4f} | {q['p1']:.4f} | {q['min']:.4f} |"
        )
    verdicts = {}
    for variant, v in vectors.items():
        verdicts[variant] = (
            v["token_ids_identical"]
            and v["passages"]["mean"] >= MIN_MEAN_COSINE
            and v["queries"]["mean"] >= MIN_MEAN_COSINE
        )
    if ndcg:
        limit = f"first {args.eval_limit} queries" if args.eval_limit else "all judged queries"
        print(f"\nnDCG@10 ({limit}; loss = torch − variant)")
        print("| encoder | " + " | ".join(f"{d} {m}" for d in DATASETS for m in MODES) + " |")
        print("|---" * (1 + len(DATASETS) * len(MODES)) + "|")
        for name, figures in ndcg.items():
            cells = []
            for d in DATASETS:
                for m in MODES:
                    value = figures[d][m]
                    if name == "torch":
                        cells.append(f"{value:.4f}")
                        continue
                    loss = ndcg["torch"][d][m] - value
                    cells.append(f"{value:.4f} ({-loss:+.4f})")
                    if loss > MAX_NDCG_LOSS:
                        verdicts[name] = False
            print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    for variant, ok in verdicts.items():
        print(f"{variant}: {'PASS' if ok else 'FAIL'}")
    print(json.dumps({"vectors": vectors, "ndcg": ndcg}))
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
