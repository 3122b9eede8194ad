#!/usr/bin/env python
"""Where the search app's memory goes: RSS (anonymous / file-backed) after each stage of start-up.

The app's RSS goal is 1.2 GiB (issue 5); this shows which part is ours to shrink. Stages: the bare
interpreter, ``import torch``, ``import sentence_transformers``, the Flask app and Elasticsearch client,
the model loaded, and the model after N query embeddings from 16 threads (what a server does).

    python scripts/memory_profile.py [--queries 400]
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def memory_mib() -> dict[str, int]:
    """VmRSS, RssAnon and RssFile of this process in MiB (Linux /proc)."""
    figures = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile"):
            figures[key] = int(value.split()[0]) // 1024
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=400, help="query embeddings after loading")
    parser.add_argument(
        "--queries-file", default=str(ROOT.parent / "shared/eval/facqa/queries.jsonl"), help="JSONL, text"
    )
    args = parser.parse_args()

    stages: list[tuple[str, dict[str, int]]] = [("python", memory_mib())]
    import torch  # noqa: F401

    stages.append(("+ import torch", memory_mib()))
    import sentence_transformers  # noqa: F401

    stages.append(("+ import sentence_transformers", memory_mib()))
    from arsip.settings import Settings
    from searchapp.app import create_app

    settings = Settings.from_env()
    create_app(settings)
    stages.append(("+ Flask app, Elasticsearch client", memory_mib()))
    from arsip.embedding import Embedder

    embedder = Embedder.from_settings(settings)
    stages.append(("+ model loaded", memory_mib()))
    queries = []
    with open(args.queries_file, encoding="utf-8") as fh:
        for line in fh:
            queries.append(json.loads(line)["text"])
            if len(queries) >= args.queries:
                break
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(embedder.encode_query, queries))
    stages.append((f"+ {len(queries)} query embeddings (16 threads)", memory_mib()))

    print("| stage | RSS MiB | anonymous | file-backed |")
    print("|---|---|---|---|")
    for name, m in stages:
        print(f"| {name} | {m['VmRSS']:,} | {m['RssAnon']:,} | {m['RssFile']:,} |")
    params = sum(p.numel() * p.element_size() for p in embedder.model.parameters()) / 2**20
    print(f"\nmodel parameters: {params:,.0f} MiB ({next(embedder.model.parameters()).dtype})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
