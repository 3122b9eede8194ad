#!/usr/bin/env python
"""1 vs N indexing workers, side by side on the same slice, into fresh indices on the real node.

Each configuration is a full ``arsip index --workers N`` run (``indexer.workers.index_with_workers``):
processes started, models loaded, the slice read, embedded and written, near-duplicates replayed,
the index refreshed. The encoder threads are shared out (``ARSIP_TORCH_THREADS``, 0 = one per core):
1 worker × all threads against N workers × threads/N. Prints wall time, passages/s, the speed-up over
1 worker, and that every configuration wrote the same passages.

    python scripts/bench_workers.py --limit 300 --workers 1,2 [--corpus news_clickid/corpus.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from arsip.es_client import make_client
from arsip.settings import REPO_ROOT, Settings
from indexer.workers import IndexJob, index_with_workers, threads_per_worker

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "eval" / "news_clickid" / "corpus.jsonl"


def write_slice(corpus: Path, limit: int, target: Path) -> None:
    with open(corpus, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as dst:
        for number, line in enumerate(src):
            if limit and number >= limit:
                break
            dst.write(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=300, help="articles from the start of the corpus")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare, e.g. 1,2")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    settings = Settings.from_env()
    es = make_client(settings, request_timeout=120)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        slice_path = Path(tmp) / "slice.jsonl"
        write_slice(args.corpus, args.limit, slice_path)
        for workers in (int(n) for n in args.workers.split(",")):
            run_settings = replace(settings, index=f"arsip-bench-workers-{workers}-{int(time.time())}")
            t0 = time.perf_counter()
            summary, regrouped = index_with_workers(
                run_settings, IndexJob(paths=[str(slice_path)]), workers, show_progress=False
            )
            wall = time.perf_counter() - t0
            count = es.count(index=run_settings.index)["count"]
            for name in es.indices.get_alias(name=run_settings.index):
                es.indices.delete(index=name)
            rows.append(
                {
                    "workers": workers,
                    "threads_each": threads_per_worker(settings, workers),
                    "documents": summary.indexed,
                    "passages": summary.passages_written,
                    "indexed_passages": count,
                    "wall_s": round(wall, 1),
                    "passages_per_s": round(summary.passages_written / wall, 2),
                    # without process start and model load: what more documents would run at
                    "workers_s": round(summary.worker_s, 1),
                    "steady_per_s": round(summary.passages_written / summary.worker_s, 2),
                    "regrouped_docs": regrouped.changed if regrouped else None,
                    "failed": summary.failed,
                    "fatal": summary.fatal,
                }
            )
    base, steady = rows[0]["passages_per_s"], rows[0]["steady_per_s"]
    for row in rows:
        row["speedup"] = round(row["passages_per_s"] / base, 2) if base else None
        row["steady_speedup"] = round(row["steady_per_s"] / steady, 2) if steady else None
    figures = {
        "articles": args.limit,
        "cpus": os.cpu_count(),
        "torch_threads_setting": settings.torch_threads,
        "peak_worker_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "same_passages_everywhere": len({(r["passages"], r["indexed_passages"]) for r in rows}) == 1,
        "runs": rows,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            if key != "runs":
                print(f"{key:26} {value}")
        columns = [
            "workers",
            "threads_each",
            "passages",
            "wall_s",
            "passages_per_s",
            "speedup",
            "workers_s",
            "steady_per_s",
            "steady_speedup",
        ]
        print("  ".join(f"{c:>8}" for c in columns))  # the rows below use the same widths
        for row in rows:
            print("  ".join(f"{row[c]!s:>{max(8, len(c))}}" for c in columns))
    return 0 if all(r["fatal"] is None and r["failed"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
