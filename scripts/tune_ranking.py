#!/usr/bin/env python
"""Compare ranking settings on judged datasets, in one process so query embeddings are computed once.

For each dataset: keyword and semantic alone, then hybrid under each fusion setting (RRF with several k,
weighted min-max fusion with several keyword weights). Prints one table per dataset; ``--json`` writes all
figures. Used to choose the defaults in ``searchapp/service.py`` (see docs/evaluation.md).

    python scripts/tune_ranking.py ../shared/eval/facqa ../shared/eval/tydiqa_id \
        [--distractor-index arsip-news]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arsip.embedding import Embedder  # noqa: E402
from arsip.es_client import make_client  # noqa: E402
from arsip.evaluation import evaluate, load_dataset  # noqa: E402
from arsip.settings import Settings  # noqa: E402
from searchapp.service import RankingConfig  # noqa: E402

HYBRID_SETTINGS = [
    *(RankingConfig(fusion="rrf", rrf_k=k) for k in (10, 30, 60, 100)),
    *(
        RankingConfig(fusion="weighted", keyword_weight=w, semantic_weight=round(1 - w, 2))
        for w in (0.3, 0.5, 0.7)
    ),
]


def label(config: RankingConfig) -> str:
    if config.fusion == "rrf":
        return f"hybrid rrf k={config.rrf_k}"
    return f"hybrid weighted {config.keyword_weight}/{config.semantic_weight}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--distractor-index")
    parser.add_argument("--json", help="write all figures to this file")
    args = parser.parse_args()

    settings = Settings.from_env()
    es = make_client(settings, request_timeout=120)
    embedder = Embedder.from_settings(settings)
    everything = []
    for directory in args.datasets:
        dataset = load_dataset(Path(directory), limit=args.limit)
        common = {
            "es": es,
            "embedder": embedder,
            "show_progress": False,
            "distractor_index": args.distractor_index,
        }
        rows = []
        base = evaluate(settings, dataset, ["keyword", "semantic"], **common)
        rows += [(mode, figures) for mode, figures in base["modes"].items()]
        for config in HYBRID_SETTINGS:
            report = evaluate(settings, dataset, ["hybrid"], ranking=config, **common)
            rows.append((label(config), report["modes"]["hybrid"]))
            everything.append({"dataset": dataset.name, "ranking": asdict(config), **report})
        print(
            f"\n{dataset.name} · {len(dataset.queries)} queries"
            + (f" · distractors: {args.distractor_index}" if args.distractor_index else "")
        )
        columns = list(rows[0][1])
        print("| setting | " + " | ".join(columns) + " |")
        print("|---" * (len(columns) + 1) + "|")
        for name, figures in rows:
            print(f"| {name} | " + " | ".join(str(figures[c]) for c in columns) + " |")
        sys.stdout.flush()
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
