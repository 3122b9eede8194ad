#!/usr/bin/env python
"""RSS and speed of the model's tokenizer: tokenizers (tokenizer.json) against arsip.model.tokenizer.

Each tokenizer is loaded in its own fresh interpreter; printed side by side: RSS of the bare process,
after loading, after encoding 1,000 queries and 1,000 passages (with their prompts), and the encode times
(first pass, then the same texts again: the sentencepiece side caches segmented words).

    python docs/decisions/tokenizer/measure_tokenizers.py [--model-dir DIR] [--eval-dir ../shared/eval]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # the repository (arsip is imported lazily: it is measured)

KINDS = {"tokenizers": "tokenizers (tokenizer.json)", "sentencepiece": "arsip.model.tokenizer"}


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def texts(eval_dir: Path) -> dict[str, list[str]]:
    from arsip.model.identity import PROMPTS

    def first(path: Path, n: int = 1000) -> list[str]:
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line)["text"] for _, line in zip(range(n), fh, strict=False)]

    return {
        "queries": [PROMPTS["query"] + t for t in first(eval_dir / "facqa" / "queries.jsonl")],
        "passages": [PROMPTS["passage"] + t for t in first(eval_dir / "tydiqa_id" / "corpus.jsonl")],
    }


def child(kind: str, folder: Path, eval_dir: Path) -> dict:
    """Runs in the fresh interpreter: load one tokenizer, encode, report."""
    inputs = texts(eval_dir)
    out: dict = {"bare": rss_mib()}
    started = time.perf_counter()
    if kind == "tokenizers":
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))

        def encode(batch: list[str]) -> list[list[int]]:
            return [e.ids for e in tokenizer.encode_batch(batch)]
    else:
        from arsip.model.tokenizer import ModelTokenizer

        encode = ModelTokenizer.from_folder(folder).encode_batch
    out["load_s"] = time.perf_counter() - started
    out["loaded"] = rss_mib()
    for name, batch in inputs.items():
        for run in ("first", "again"):
            started = time.perf_counter()
            ids = [row for start in range(0, len(batch), 8) for row in encode(batch[start : start + 8])]
            out[f"{name}_{run}_ms"] = (time.perf_counter() - started) * 1000
        out[f"{name}_tokens"] = sum(map(len, ids))
    out["encoded"] = rss_mib()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=None, help="default: the installed model")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--child", choices=list(KINDS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.model_dir is None:
        from arsip.settings import Settings

        args.model_dir = Path(Settings.from_env().model_path)
    if args.child:
        print(json.dumps(child(args.child, args.model_dir, args.eval_dir)))
        return 0
    results = {}
    for kind in KINDS:
        command = [sys.executable, __file__, "--child", kind, "--model-dir", str(args.model_dir)]
        done = subprocess.run([*command, "--eval-dir", str(args.eval_dir)], capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"{kind} failed:\n{done.stderr}")
        results[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    rows = [
        ("RSS bare interpreter + texts (MiB)", "bare", "{:.0f}"),
        ("RSS after loading (MiB)", "loaded", "{:.0f}"),
        ("  the tokenizer's own (MiB)", None, "{:.0f}"),
        ("RSS after encoding (MiB)", "encoded", "{:.0f}"),
        ("load time (s)", "load_s", "{:.2f}"),
        ("1,000 queries, batches of 8 (ms)", "queries_first_ms", "{:.0f}"),
        ("  the same again (ms)", "queries_again_ms", "{:.0f}"),
        ("1,000 passages, batches of 8 (ms)", "passages_first_ms", "{:.0f}"),
        ("  the same again (ms)", "passages_again_ms", "{:.0f}"),
        ("tokens (queries / passages)", None, "{}"),
    ]
    print(f"{'':<36} " + " ".join(f"{KINDS[k]:>28}" for k in KINDS))
    for label, key, fmt in rows:
        cells = []
        for kind in KINDS:
            r = results[kind]
            if key:
                value = fmt.format(r[key])
            elif label.startswith("tokens"):
                value = f"{r['queries_tokens']:,} / {r['passages_tokens']:,}"
            else:
                value = fmt.format(r["loaded"] - r["bare"])
            cells.append(f"{value:>28}")
        print(f"{label:<36} " + " ".join(cells))
    same = all(
        results["tokenizers"][f"{n}_tokens"] == results["sentencepiece"][f"{n}_tokens"] for n in texts_names()
    )
    print(f"same token counts: {same}")
    return 0


def texts_names() -> tuple[str, str]:
    return ("queries", "passages")


if __name__ == "__main__":
    raise SystemExit(main())
