#!/usr/bin/env python
"""Encoder speed side by side: torch fp32 and each ONNX variant on the same inputs, in one run.

Per encoder: passages/s on short (~60 tokens) and long (~200 tokens) news passages at each batch size,
and single-query latency p50/p95 (distinct judged questions, cache bypassed). Ratios are to torch.
Run it under the shared lock (it loads every model):

    flock /tmp/arsip-heavy.lock python scripts/bench_encoder.py [--encoders torch,onnx,onnx-int8]
        [--batches 8,32] [--short 256] [--long 128] [--queries 200]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from arsip.model.loader import load_encoder
from arsip.settings import ENCODERS, Settings
from arsip_cli.encoder_measurement import passages_of_length, queries


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def rate(embedder, texts: list[str], batch: int) -> float:
    embedder.batch_size = batch
    embedder.encode_passages(texts[: batch * 2])  # warm-up (allocations, kernels for these shapes)
    started = time.perf_counter()
    embedder.encode_passages(texts)
    return len(texts) / (time.perf_counter() - started)


def query_latency(embedder, texts: list[str]) -> tuple[float, float]:
    prompt = embedder.prompts["query"]
    for q in texts[:10]:
        embedder._encode([q], prompt)
    times = []
    for q in texts:
        started = time.perf_counter()
        embedder._encode([q], prompt)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoders", default=",".join(ENCODERS))
    parser.add_argument("--batches", default="8,32")
    parser.add_argument("--short", type=int, default=256, help="short passages (~60 tokens)")
    parser.add_argument("--long", type=int, default=128, help="long passages (~200 tokens)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    settings = Settings.from_env()
    model_dir = Path(settings.model_path)
    short = passages_of_length(model_dir, args.short, 60)
    long = passages_of_length(model_dir, args.long, 200, skip=5000)
    qs = queries(args.queries)
    batches = [int(b) for b in args.batches.split(",")]
    rows = []
    for name in args.encoders.split(","):
        embedder = load_encoder(replace(settings, encoder=name))
        row: dict = {"encoder": name}
        for batch in batches:
            row[f"short_b{batch}"] = rate(embedder, short, batch)
            row[f"long_b{batch}"] = rate(embedder, long, batch)
        row["query_p50_ms"], row["query_p95_ms"] = query_latency(embedder, qs)
        rows.append(row)
        print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}), flush=True)
        del embedder
        gc.collect()
    base = next((r for r in rows if r["encoder"] == "torch"), None)
    print(
        f"\ninputs: {len(short)} short (~60 tokens), {len(long)} long (~200 tokens) news passages, "
        f"{len(qs)} distinct queries; threads {settings.torch_threads or 'all cores'}"
    )
    columns = [f"{kind}_b{b}" for b in batches for kind in ("short", "long")]
    header = " | ".join(f"{c.replace('_b', ' b')} p/s" for c in columns)
    print(f"| encoder | {header} | query p50 ms | query p95 ms |")
    print("|---" * (len(columns) + 3) + "|")
    for r in rows:
        cells = []
        for c in columns:
            ratio = f" ({r[c] / base[c]:.2f}×)" if base and r is not base else ""
            cells.append(f"{r[c]:.1f}{ratio}")
        print(f"| {r['encoder']} | {' | '.join(cells)} | {r['query_p50_ms']:.1f} | {r['query_p95_ms']:.1f} |")
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
