"""What the encoder measurements share (scripts/bench_encoder.py, scripts/encoder_gate.py and the word-table
decision's compare_encoder_builds.py): real inputs (deterministic samples) and the vector comparison.

Passages are cut from the news corpus (/work/shared/eval/news_clickid) to a target token length with the
model's own tokenizer; queries are the judged questions of the two dev sets.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from arsip.settings import REPO_ROOT

EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
NEWS = EVAL_DIR / "news_clickid" / "corpus.jsonl"
# The int8 calibration set (arsip/model/variants.py); kept out of every measurement.
CALIBRATION = REPO_ROOT / "samples" / "archive" / "news" / "news_clickid_sample.jsonl"


def calibration_ids() -> set[str]:
    with open(CALIBRATION, encoding="utf-8") as fh:
        return {json.loads(line)["id"] for line in fh if line.strip()}


def news_texts(limit: int, skip: int = 0) -> list[str]:
    """The first ``limit`` article bodies after ``skip`` (fixed order; calibration articles left out)."""
    texts: list[str] = []
    excluded = calibration_ids()
    with open(NEWS, encoding="utf-8") as fh:
        for number, line in enumerate(fh):
            if number < skip:
                continue
            record = json.loads(line)
            if record["id"] not in excluded:
                texts.append(record["text"])
            if len(texts) >= limit:
                break
    return texts


def passages_of_length(model_dir: Path, count: int, tokens: int, skip: int = 0, prompt: str = "passage: "):
    """``count`` news passages of about ``tokens`` model tokens (prompt and special tokens included).

    Each is the longest word prefix of one article that fits; articles too short are skipped.
    """
    tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tokenizer.no_truncation()
    out: list[str] = []
    for text in news_texts(count * 4, skip):
        words = text.split()
        lo, hi = 1, len(words)
        if len(tokenizer.encode(prompt + text).ids) < tokens:
            continue
        while lo < hi:  # the largest word count whose token count is <= tokens
            mid = (lo + hi + 1) // 2
            if len(tokenizer.encode(prompt + " ".join(words[:mid])).ids) <= tokens:
                lo = mid
            else:
                hi = mid - 1
        out.append(" ".join(words[:lo]))
        if len(out) >= count:
            break
    return out


def queries(limit: int, datasets: tuple[str, ...] = ("facqa", "tydiqa_id")) -> list[str]:
    """Judged questions, alternating between the dev sets, duplicates dropped."""
    lists = []
    for name in datasets:
        with open(EVAL_DIR / name / "queries.jsonl", encoding="utf-8") as fh:
            lists.append([json.loads(line)["text"] for line in fh])
    seen: dict[str, None] = {}
    for row in zip(*lists, strict=False):
        for q in row:
            seen.setdefault(q, None)
    return list(seen)[:limit]


def cosine_stats(reference: np.ndarray, other: np.ndarray) -> dict:
    """Cosine of each row pair (both L2-normalised): mean, 1st percentile, minimum, count."""
    cos = np.sum(reference * other, axis=1)  # both L2-normalised
    return {
        "mean": float(cos.mean()),
        "p1": float(np.percentile(cos, 1)),
        "min": float(cos.min()),
        "n": len(cos),
    }
