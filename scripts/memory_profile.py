#!/usr/bin/env python
"""Where the search app's memory goes: RSS (anonymous / file-backed) after each stage of start-up.

The app's RSS goal is 0.6 GiB (issue 13); this shows which part is ours to shrink. Stages: the bare
interpreter, (torch encoder only: ``import torch``, ``import sentence_transformers``), the Flask app and
Elasticsearch client, the model loaded (the ARSIP_ENCODER variant), and the model after N query
embeddings from 16 threads (what a server does). Ends with whether torch was imported at all.

    python scripts/memory_profile.py [--queries 400]          # ARSIP_ENCODER=torch for the old path
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository (arsip is imported lazily: it is measured)


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
        "--queries-file",
        default=str(ROOT.parent / "shared/eval/facqa/queries.jsonl"),
        help="JSONL, text",
    )
    args = parser.parse_args()

    stages: list[tuple[str, dict[str, int]]] = [("python", memory_mib())]
    from arsip.settings import Settings

    settings = Settings.from_env()
    if settings.encoder == "torch":
        import torch  # noqa: F401

        stages.append(("+ import torch", memory_mib()))
        import sentence_transformers  # noqa: F401

        stages.append(("+ import sentence_transformers", memory_mib()))
    from searchapp.app import create_app

    create_app(settings)
    stages.append(("+ Flask app, Elasticsearch client", memory_mib()))
    from arsip.model.loader import load_encoder

    embedder = load_encoder(settings)
    stages.append((f"+ model loaded ({settings.encoder})", memory_mib()))
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
    if settings.encoder == "torch":
        params = sum(p.numel() * p.element_size() for p in embedder.model.parameters()) / 2**20
        print(f"\nmodel parameters: {params:,.0f} MiB ({next(embedder.model.parameters()).dtype})")
    print(f"\nencoder {settings.encoder}; torch imported: {'torch' in sys.modules}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
