#!/usr/bin/env python
"""Token ids of the sentencepiece tokenizer (arsip.model.tokenizer) against tokenizers' on real texts.

The serving tokenizer must give exactly the ids ``tokenizers.Tokenizer.from_file(tokenizer.json)`` gives:
every index and the encoders' quality gate were built with those. Compares, with the prompts the model
sees: every query and passage of facqa and tydiqa_id, and the titles, paragraphs (the scraper's ".,"
breaks) and whole texts of news_clickid. Prints the number compared per source and every mismatch; exits 1
on any mismatch.

    python docs/decisions/tokenizer/compare_tokenizers.py [--eval-dir ../shared/eval] [--model-dir DIR] \
        [--limit N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from arsip.model.identity import PROMPTS
from arsip.model.tokenizer import ModelTokenizer, write_sentencepiece_model
from arsip.settings import REPO_ROOT, Settings


def read_jsonl(path: Path, limit: int | None) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return rows[:limit]


def samples(eval_dir: Path, limit: int | None) -> dict[str, list[str]]:
    """Source name → the prompted strings the model would see."""
    query, passage = PROMPTS["query"], PROMPTS["passage"]
    out: dict[str, list[str]] = {}
    for name in ("facqa", "tydiqa_id"):
        out[f"{name} queries"] = [
            query + r["text"] for r in read_jsonl(eval_dir / name / "queries.jsonl", limit)
        ]
        out[f"{name} passages"] = [
            passage + r["text"] for r in read_jsonl(eval_dir / name / "corpus.jsonl", limit)
        ]
    news = read_jsonl(eval_dir / "news_clickid" / "corpus.jsonl", limit)
    out["news titles"] = [query + r["title"] for r in news if r.get("title")]
    out["news paragraphs"] = [passage + p for r in news for p in r["text"].split(".,") if p.strip()]
    out["news whole texts"] = [passage + r["text"] for r in news]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    parser.add_argument(
        "--model-dir", type=Path, default=None, help="default: ARSIP_MODEL / the installed model"
    )
    parser.add_argument("--limit", type=int, default=None, help="first N rows of each file (quick runs)")
    args = parser.parse_args()
    from tokenizers import Tokenizer

    folder = args.model_dir or Path(Settings.from_env().model_path)
    reference = Tokenizer.from_file(str(folder / "tokenizer.json"))
    # A fresh build from this tokenizer.json, whatever the folder holds.
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "tokenizer.json").symlink_to((folder / "tokenizer.json").resolve())
        candidate = ModelTokenizer(write_sentencepiece_model(Path(tmp)))  # reads both files now

    total = mismatched = 0
    seconds = {"tokenizers": 0.0, "sentencepiece": 0.0}
    print(f"{'source':<22} {'strings':>9} {'tokens':>11} {'mismatches':>10}")
    for source, texts in samples(args.eval_dir, args.limit).items():
        started = time.perf_counter()
        expected = [e.ids for e in reference.encode_batch(texts)]
        seconds["tokenizers"] += time.perf_counter() - started
        started = time.perf_counter()
        got = candidate.encode_batch(texts)
        seconds["sentencepiece"] += time.perf_counter() - started
        bad = [n for n, (a, b) in enumerate(zip(expected, got, strict=True)) if a != b]
        for n in bad[:5]:
            at = next((i for i, (a, b) in enumerate(zip(expected[n], got[n], strict=False)) if a != b), 0)
            print(
                f"  MISMATCH {source} #{n}: {texts[n][:80]!r}\n    from token {at}: tokenizers "
                f"{reference.decode(expected[n][at : at + 4])!r} {expected[n][at : at + 4]}, "
                f"ours {reference.decode(got[n][at : at + 4])!r} {got[n][at : at + 4]}"
            )
        print(f"{source:<22} {len(texts):>9,} {sum(map(len, expected)):>11,} {len(bad):>10,}")
        total += len(texts)
        mismatched += len(bad)
    print(f"{'total':<22} {total:>9,} {'':>11} {mismatched:>10,}")
    print(
        f"batch encode time over all strings: tokenizers {seconds['tokenizers']:.1f} s, "
        f"sentencepiece {seconds['sentencepiece']:.1f} s"
    )
    return 1 if mismatched else 0


if __name__ == "__main__":
    raise SystemExit(main())
