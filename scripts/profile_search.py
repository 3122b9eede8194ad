#!/usr/bin/env python
"""Where one search's time goes, in-process: embedding, Elasticsearch (`took` and wall), the app's own work.

Runs ``SearchService.search`` (the function behind ``/api/search``) for TyDi-id dev questions and prints
the medians of the envelope's ``took_ms`` and ``timing``: the query embedding, the round trips'
Elasticsearch ``took`` and the wall time the app waited for them (the difference is Elasticsearch's work
outside ``took`` plus HTTP), and what is left, the app's own Python. ``--cprofile`` adds a profile.

    python scripts/profile_search.py --index arsip-news --queries 150 [--mode hybrid] [--cprofile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
from dataclasses import replace

from arsip.settings import REPO_ROOT, Settings
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService

QUERIES = REPO_ROOT.parent / "shared" / "eval" / "tydiqa_id" / "queries.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="alias to search (default: ARSIP_INDEX)")
    parser.add_argument("--queries", type=int, default=150)
    parser.add_argument("--mode", default="hybrid", choices=["keyword", "semantic", "hybrid"])
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    settings = Settings.from_env()
    if args.index:
        settings = replace(settings, index=args.index)
    service = SearchService(settings)
    with open(QUERIES, encoding="utf-8") as fh:
        queries = [json.loads(line)["text"][:1000] for line in fh][: args.queries]
    service.search(SearchRequest(q="pemanasan", mode=args.mode))  # loads the model, warms the caches
    profile = cProfile.Profile() if args.cprofile else None
    rows = []
    for q in queries:
        if profile:
            profile.enable()
        envelope = service.search(SearchRequest(q=q, mode=args.mode))
        if profile:
            profile.disable()
        t = envelope["timing"]
        rows.append((envelope["took_ms"], t["embed_ms"], t["engine_took_ms"], t["engine_wall_ms"]))

    def median(values) -> float:
        return round(statistics.median(values), 1)

    print(f"{args.mode} · {len(rows)} queries · index {settings.index} (medians, ms)")
    print("| took_ms | embedding | engine took | engine wall | outside took | app's own |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {median(r[0] for r in rows)} | {median(r[1] for r in rows)} | {median(r[2] for r in rows)} | "
        f"{median(r[3] for r in rows)} | {median(r[3] - r[2] for r in rows)} | "
        f"{median(r[0] - r[1] - r[3] for r in rows)} |"
    )
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
