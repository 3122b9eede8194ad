"""Evidence for docs/query_syntax.md: should luqum (a Lucene query parser on PyPI) replace our parser?

Runs luqum 1.0.0 and ``searchapp.query_parser.parse_query`` on the same inputs and prints, per input set,
how many inputs each one rejects with an exception, how luqum reads the natural-language questions of
the evaluation sets (which we must search as plain words), and the time per query. luqum is not a
dependency of arsip; install it aside and put it on the path only for this script::

    .venv/bin/pip install --target /tmp/luqum-judge luqum==1.0.0
    PYTHONPATH=/tmp/luqum-judge .venv/bin/python docs/decisions/query-parser/judge_luqum.py
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter

from arsip.settings import REPO_ROOT
from searchapp.query_parser import parse_query

try:
    from luqum import tree
    from luqum.parser import parser
except ImportError:
    sys.exit("luqum is not installed: see this script's docstring")

EVAL_DIR = REPO_ROOT.parent / "shared" / "eval"
MALFORMED = [  # the inputs tests/unit/test_query_parser.py uses for degraded and warned syntax
    '"banjir jakarta', 'banjir " jakarta', '"', "-", "banjir -", "- banjir", "(banjir) +jakarta!",
    "banjir~2 jakarta^3 bogor* depok?", "&& || ! ( ) { } [ ] ^ ~ * ? : \\ /", "covid-19", "http://x",
    "10:30", "foo:bar", "source:", "banjir OR", "OR banjir", "OR", "a OR OR b", "a AND OR b", "a OR -b",
    '-"berita palsu', "date:2019-13", "from:kemarin", "to:xyz", "from:2021 to:2019", "ba*", "*banjir",
    "korupsi~5", '"dana desa"~30', "banjir ... 🙂 jakarta", "x" * 2100,
]  # fmt: skip
PIECES = ['"', "-", "OR", "AND", "(", ")", "+", "&&", "||", "!", "{", "}", "[", "]", "^", "~", "*", "?",
          ":", "\\", "/", "source:", "date:", "from:", "to:", "lang:", 'source:"', "date:2020-12", "banjir",
          "\x00", "\u200b", "\u201c", " ", '-"', "http://x", "pemilu*", "korupsi~",
          '"dana desa"~3']  # fmt: skip


def hostile(n: int, seed: int = 11) -> list[str]:
    """Random concatenations of syntax pieces, like the parser's property test."""
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12))) for _ in range(n)]


def questions(name: str) -> list[str]:
    with open(EVAL_DIR / name / "queries.jsonl", encoding="utf-8") as fh:
        return [json.loads(line)["text"][:1000] for line in fh]


def luqum_outcome(q: str) -> tuple[str, tree.Item | None]:
    try:
        return "ok", parser.parse(q)
    except Exception as exc:  # noqa: BLE001 - counting every way it fails is the point
        return type(exc).__name__, None


def reinterpreted(node: tree.Item) -> set[str]:
    """What luqum would make of a natural-language question beyond plain words."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, tree.SearchField):
            found.add("field")
        elif isinstance(item, tree.Group | tree.FieldGroup):
            found.add("group")
        elif isinstance(item, tree.Fuzzy | tree.Proximity | tree.Boost):
            found.add(type(item).__name__.lower())
        elif isinstance(item, tree.Word) and ("?" in item.value or "*" in item.value):
            found.add("wildcard")
        elif isinstance(item, tree.Regex):
            found.add("regex")
        stack.extend(item.children)
    return found


def main() -> None:
    sets = {
        "malformed (unit-test inputs)": MALFORMED,
        "hostile (1,000 random)": hostile(1000),
        "facqa questions": questions("facqa"),
        "tydiqa_id questions": questions("tydiqa_id"),
    }
    for name, inputs in sets.items():
        failures: Counter[str] = Counter()
        changed: Counter[str] = Counter()
        started = time.perf_counter()
        outcomes = [luqum_outcome(q) for q in inputs]
        luqum_ms = (time.perf_counter() - started) * 1000 / len(inputs)
        started = time.perf_counter()
        ours_raised = 0
        for q in inputs:
            try:
                parse_query(q)
            except Exception:  # noqa: BLE001
                ours_raised += 1
        ours_ms = (time.perf_counter() - started) * 1000 / len(inputs)
        for status, node in outcomes:
            if status != "ok":
                failures[status] += 1
            elif node is not None:
                changed.update(reinterpreted(node))
        raised = sum(failures.values())
        print(f"{name}: {len(inputs)} inputs")
        print(f"  luqum raises on {raised} ({100 * raised / len(inputs):.1f}%): {dict(failures)}")
        print(f"  parse_query raises on {ours_raised}")
        print(f"  luqum reads as syntax (not plain words): {dict(changed)}")
        print(f"  time per query: luqum {luqum_ms:.3f} ms, parse_query {ours_ms:.3f} ms")
    precedence = parser.parse("banjir AND jakarta OR bogor")
    print(f"precedence: 'banjir AND jakarta OR bogor' -> {precedence!r}")
    print("  (ours, as documented: banjir AND (jakarta OR bogor))")


if __name__ == "__main__":
    main()
