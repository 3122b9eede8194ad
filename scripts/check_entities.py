#!/usr/bin/env python
"""Check the entity tagger by hand on real passages from samples/, and tally the judgments.

The sample: passages of the bundled archive (samples/archive: the humas release and the news sample),
repaired, cleaned and split as the indexer does (splitting counts tokens with the model's tokenizer), drawn at
random (seeded). ``--show`` prints each passage with what the tagger found, for judging; the judgments
live in docs/entities-judged.tsv, one row per entity:

    passage_id  kind  name  verdict  note

verdict: ``right`` (a real person / organisation / place of that kind, name complete), ``wrong`` (not an
entity, the wrong kind, or the name cut or run on), ``missed`` (in the passage, not found: a row the
judge adds). Precision = right / (right + wrong); recall = right / (right + missed). Rules: docs/entities.md.

    python scripts/check_entities.py --show [--n 50] [--seed 23]     # passages and found entities
    python scripts/check_entities.py                                  # tally docs/entities-judged.tsv
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import Counter
from pathlib import Path

from arsip.entities.tagger import EntityTagger
from arsip.settings import REPO_ROOT, Settings

SAMPLES = REPO_ROOT / "samples" / "archive"
JUDGED = REPO_ROOT / "docs" / "entities-judged.tsv"


def sample_passages(n: int, seed: int) -> list[tuple[str, str]]:
    """(passage_id, text) of ``n`` passages drawn from the sample archive, as the indexer cuts them."""
    from arsip.model.tokenizer import ModelTokenizer
    from indexer.cleaning import clean_text
    from indexer.mojibake import repair_document
    from indexer.readers import ReadError, read_file
    from indexer.splitting import split_passages

    settings = Settings.from_env()
    tokenizer = ModelTokenizer.from_folder(Path(settings.model_path))
    passages: list[tuple[str, str]] = []
    for path in sorted(p for p in SAMPLES.rglob("*") if p.is_file()):
        for doc in read_file(path):
            if isinstance(doc, ReadError):
                continue
            repair_document(doc)  # what admission does before cleaning
            text = clean_text(doc.text)
            for p in split_passages(doc.doc_id, text, lambda t: len(tokenizer.encode(t))):
                passages.append((f"{path.name}:{doc.doc_id[-12:]}:{p.position}", p.text))
    return random.Random(seed).sample(passages, n)


def tally(path: Path) -> None:
    rows = list(
        csv.DictReader(
            (line for line in path.open(encoding="utf-8") if not line.startswith("#")), delimiter="\t"
        )
    )
    by_kind: dict[str, Counter] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], Counter())[row["verdict"]] += 1
        by_kind.setdefault("all", Counter())[row["verdict"]] += 1
    print(f"{'kind':8} right wrong missed precision recall")
    for kind in ("person", "org", "place", "all"):
        c = by_kind.get(kind, Counter())
        precision = c["right"] / max(1, c["right"] + c["wrong"])
        recall = c["right"] / max(1, c["right"] + c["missed"])
        print(f"{kind:8} {c['right']:5} {c['wrong']:5} {c['missed']:6} {precision:9.3f} {recall:6.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print the sample with the entities found")
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--judged", type=Path, default=JUDGED)
    args = parser.parse_args()
    if not args.show:
        tally(args.judged)
        return 0
    tagger = EntityTagger()
    for passage_id, text in sample_passages(args.n, args.seed):
        print(f"=== {passage_id}\n{text}\n")
        for m in tagger.mentions(text):
            role = f"  [{m.role}]" if m.role else ""
            print(f"{passage_id}\t{m.kind}\t{m.name}{role}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
