"""Does the current query parser read the evaluation questions exactly as an older one did?

``arsip eval`` sends natural-language questions through ``parse_query``; a syntax change (new wildcard,
fuzzy or proximity forms, warnings) must not change what those questions search for, or the nDCG@10
figures would move for reasons unrelated to ranking. This loads ``searchapp/query_parser.py`` as of a git
revision, parses every dev-set question with both, and prints how many differ (groups, exclusions,
semantic text, or any item that is no longer a plain term/phrase) and which warnings the questions get::

    .venv/bin/python docs/decisions/query-parser/compare_parser_eval.py --rev 21abf82
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from arsip.settings import REPO_ROOT
from searchapp.query_parser import parse_query

EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
DATASETS = ("facqa", "tydiqa_id")


def load_old_parser(rev: str):
    source = subprocess.run(
        ["git", "show", f"{rev}:searchapp/query_parser.py"], capture_output=True, text=True, check=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / "old_query_parser.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_query_parser", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_query_parser"] = module
    spec.loader.exec_module(module)
    return module


def shape(parsed) -> tuple:
    groups = [[(i.text, i.phrase) for i in g] for g in parsed.groups]
    excluded = [(i.text, i.phrase) for i in parsed.excluded]
    return groups, excluded, parsed.semantic_text


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--rev", required=True, help="git revision of the parser to compare with")
    args.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    opts = args.parse_args()
    old = load_old_parser(opts.rev)
    for name in DATASETS:
        with open(opts.eval_dir / name / "queries.jsonl", encoding="utf-8") as fh:
            texts = [json.loads(line)["text"][:1000] for line in fh]  # as arsip_cli.evaluation sends them
        differ, warned, codes = 0, 0, Counter()
        for text in texts:
            new = parse_query(text)
            kinds = {i.kind for g in new.groups for i in g} | {i.kind for i in new.excluded}
            if shape(old.parse_query(text)) != shape(new) or not kinds <= {"term", "phrase"}:
                differ += 1
                print(f"  differs: {text!r}")
            warned += bool(new.warnings)
            codes.update(w.code for w in new.warnings)
        print(f"{name}: {len(texts)} questions, {differ} parsed differently from {opts.rev}; "
              f"{warned} with warnings {dict(codes)}")  # fmt: skip


if __name__ == "__main__":
    main()
