#!/usr/bin/env python
"""Vectors of the configured encoder against an older build of it whose graph takes token ids.

The word embeddings left the graph (issue 13: the runtime held the 250k-row table in memory); this
checks that the rebuilt variant gives the old build's vectors. Both graphs get exactly the same padded
batches (the embedder's own tokenisation and batching), so only the graphs differ. Inputs: the gate's
news passages (scripts/encoder_gate.py, the indexer's splitting) and dev-set questions one at a time.

    flock /tmp/arsip-heavy.lock python docs/decisions/encoder-word-table/compare_encoder_builds.py \
        --old ~/.arsip/models/multilingual-e5-small/encoders/openvino-int8 [--articles 150] [--queries 400]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from arsip.model.fast_encoders import mean_pool_normalise
from arsip.model.files import ONNX_FILE, OPENVINO_FILE
from arsip.model.loader import load_encoder
from arsip.settings import Settings
from arsip_cli.encoder_measurement import cosine_stats, news_texts, queries
from indexer.splitting import split_passages


def old_runner(folder: Path):
    """A function (ids, mask) → last_hidden_state running the old build's token-id graph."""
    if (folder / OPENVINO_FILE).exists():
        import openvino as ov

        config = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "f32"}
        request = ov.Core().compile_model(str(folder / OPENVINO_FILE), "CPU", config).create_infer_request()
        return lambda ids, mask: request.infer({"input_ids": ids, "attention_mask": mask})[0].copy()
    import onnxruntime as ort

    session = ort.InferenceSession(str(folder / ONNX_FILE), providers=["CPUExecutionProvider"])
    return lambda ids, mask: session.run(None, {"input_ids": ids, "attention_mask": mask})[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, type=Path, help="the older build's variant folder")
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()

    settings = Settings.from_env()
    embedder = load_encoder(settings)
    run_old = old_runner(args.old)
    passages = [
        p.text
        for number, text in enumerate(news_texts(args.articles, skip=1000))
        for p in split_passages(
            f"n{number}", text, embedder.count_tokens, max_tokens=settings.max_passage_tokens
        )
    ]
    batches = {
        "passages": [
            [embedder.prompts["passage"] + t for t in passages[i : i + embedder.batch_size]]
            for i in range(0, len(passages), embedder.batch_size)
        ],
        "queries": [[embedder.prompts["query"] + q] for q in queries(args.queries)],
    }
    print(f"{settings.encoder} (word vectors looked up outside the graph) against {args.old} (token ids)")
    print("| inputs | n | mean cosine | p1 | min | max abs difference |")
    print("|---|---|---|---|---|---|")
    for kind, chunks in batches.items():
        new, old = [], []
        for chunk in chunks:
            ids, mask = embedder._batch(chunk)
            new.append(mean_pool_normalise(embedder._run(ids, mask), mask))
            old.append(mean_pool_normalise(run_old(ids, mask), mask))
        new_vectors, old_vectors = np.concatenate(new), np.concatenate(old)
        s = cosine_stats(old_vectors, new_vectors)
        print(
            f"| {kind} | {s['n']} | {s['mean']:.6f} | {s['p1']:.6f} | {s['min']:.6f} | "
            f"{float(np.abs(new_vectors - old_vectors).max()):.2e} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
