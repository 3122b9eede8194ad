"""The related set's figures beside nDCG (issue 20): how the relevance floor trades recall for meaning.

For every floor margin of a grid (``searchapp.relatedness``: a passage is related when its similarity
stands the expected best of the index's unrelated passages plus the margin, in spreads, above the
query's similarities to the index's background sample), on both judged dev sets, all dev queries:

* floor recall: the share of judged documents whose best passage clears the floor for their question;
* nonsense: related documents for 200 random letter strings (median, 90th percentile);
* foreign questions: related documents for each judged set's questions run against the *other* set's
  corpus (median, 90th percentile), where nothing should be related.

Queries are parsed and embedded as the search page does (``parse_query(...).semantic_text``). The
indices are the evaluation's (``arsip eval`` builds them); ``--distractor-index arsip-news`` searches the
news corpus alongside each, as ``arsip eval --distractor-index`` does.

    python scripts/measure_related_set.py ../shared/eval/facqa ../shared/eval/tydiqa_id
    python scripts/measure_related_set.py ../shared/eval/facqa ../shared/eval/tydiqa_id \
        --distractor-index arsip-news
    ARSIP_ENCODER=torch ARSIP_MODEL=<tuned folder> python scripts/measure_related_set.py \
        ../shared/eval/facqa ../shared/eval/tydiqa_id --fold 1/2     # a k-fold model's held-out fold
"""

from __future__ import annotations

import argparse
import random
import string
import sys
from dataclasses import replace
from pathlib import Path
from statistics import median

import numpy as np
from tqdm import tqdm

from arsip.es_client import make_client
from arsip.model.loader import load_encoder
from arsip.settings import Settings
from arsip_cli.evaluation import Dataset, ensure_eval_index, load_dataset, parse_fold
from searchapp.query_parser import parse_query
from searchapp.relatedness import FLOOR_MARGIN, cosine_of
from searchapp.search.background import read_background
from searchapp.search.engine import Engine

GRID = (-1.0, -0.6, -0.4, -0.2, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2)  # margins
NEAREST = 1000  # passages read per query: more than any floor on the grid lets through on these corpora
NONSENSE = 200


def random_strings(count: int, seed: int = 20) -> list[str]:
    """``count`` random lower-case letter strings of 4 to 12 letters (one or two "words")."""
    rng = random.Random(seed)
    word = lambda: "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 12)))  # noqa: E731
    return [word() if rng.random() < 0.7 else f"{word()} {word()}" for _ in range(count)]


class Probe:
    """One searched index: its background, and per query the z of its nearest passages."""

    def __init__(self, engine: Engine, encoder) -> None:
        self.engine, self.encoder = engine, encoder
        self.background = read_background(engine)

    def vector(self, text: str) -> list[float]:
        return self.encoder.encode_query(parse_query(text).semantic_text or text).tolist()

    def scale(self, vector) -> tuple[float, float]:
        return self.background.scale(vector)

    def nearest_documents(self, vector) -> list[tuple[str, float]]:
        """Each document among the ``NEAREST`` nearest passages with its best z, best first."""
        mean, sd = self.scale(vector)
        knn = {"field": "vector", "query_vector": vector, "k": NEAREST, "num_candidates": NEAREST}
        body = {"knn": knn, "size": NEAREST, "_source": ["doc_id"]}
        hits = self.engine.msearch({"nearest": body})["nearest"]["hits"]["hits"]
        best: dict[str, float] = {}
        for h in hits:
            z = (cosine_of(float(h["_score"])) - mean) / sd
            best.setdefault(h["_source"]["doc_id"], z)
        return list(best.items())

    def gold_z(self, vector, documents: list[str]) -> list[float]:
        """The z of each judged document's best passage."""
        mean, sd = self.scale(vector)
        bodies = {
            doc: {
                "knn": {
                    "field": "vector",
                    "query_vector": vector,
                    "k": 1,
                    "num_candidates": 50,
                    "filter": {"term": {"doc_id": doc}},
                },
                "size": 1,
                "_source": False,
            }
            for doc in documents
        }
        found = []
        for response in self.engine.msearch(bodies).values():
            hits = response["hits"]["hits"]
            found.append((cosine_of(float(hits[0]["_score"])) - mean) / sd if hits else float("-inf"))
        return found


def related_counts(nearest: list[tuple[str, float]], probe: Probe) -> dict[float, int]:
    """Related documents at each margin of the grid."""
    return {m: sum(1 for _, best in nearest if best >= probe.background.floor_z(m)) for m in GRID}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "datasets", nargs=2, type=Path, help="two judged sets (each also the other's foreign set)"
    )
    parser.add_argument("--distractor-index", help="an indexed alias searched alongside, e.g. arsip-news")
    parser.add_argument("--limit", type=int, help="only the first N judged queries of each set")
    parser.add_argument(
        "--fold", metavar="K/N", help="only fold K of N of each set's questions (as arsip eval --fold)"
    )
    args = parser.parse_args()
    try:
        fold = parse_fold(args.fold) if args.fold else None
    except ValueError as error:
        parser.error(str(error))

    settings = Settings.from_env()
    es = make_client(settings, request_timeout=120)
    encoder = load_encoder(settings)
    datasets: list[Dataset] = [load_dataset(d, args.limit, fold) for d in args.datasets]
    probes = {}
    for dataset in datasets:
        index = ensure_eval_index(settings, dataset, None, es, encoder).index
        if args.distractor_index:
            index = f"{index},{args.distractor_index}"
        probes[dataset.name] = Probe(Engine(es, index, replace(settings, index=index)), encoder)

    rows = []
    strings = random_strings(NONSENSE)
    for dataset, other in (datasets, datasets[::-1]):
        probe, foreign = probes[dataset.name], probes[other.name]
        recall = {m: 0 for m in GRID}
        judged = 0
        foreign_counts: list[dict[float, int]] = []
        for qid, text in tqdm(dataset.queries, desc=dataset.name):
            vector = probe.vector(text)
            gold = [doc for doc, grade in dataset.qrels[qid].items() if grade > 0]
            zs = probe.gold_z(vector, gold)
            judged += len(zs)
            for m in GRID:
                recall[m] += sum(1 for g in zs if g >= probe.background.floor_z(m))
            foreign_counts.append(related_counts(foreign.nearest_documents(vector), foreign))
        nonsense = [
            related_counts(probe.nearest_documents(probe.vector(s)), probe)
            for s in tqdm(strings, desc="nonsense")
        ]
        for m in GRID:
            z = probe.background.floor_z(m)
            rows.append(
                (
                    dataset.name,
                    f"{m:+.1f} (z {z:.2f})",
                    recall[m] / max(1, judged),
                    median(c[m] for c in nonsense),
                    float(np.percentile([c[m] for c in nonsense], 90)),
                    median(c[m] for c in foreign_counts),
                    float(np.percentile([c[m] for c in foreign_counts], 90)),
                )
            )
    where = f" + {args.distractor_index}" if args.distractor_index else ""
    print(f"\nThe related set{where}; margins in use: {FLOOR_MARGIN}")
    print(
        "| judged set | margin (z in its index) | floor recall | nonsense docs median | p90 "
        "| foreign questions docs median | p90 |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, label, rec, n_med, n_p90, f_med, f_p90 in rows:
        print(f"| {name} | {label} | {rec:.3f} | {n_med:g} | {n_p90:g} | {f_med:g} | {f_p90:g} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
