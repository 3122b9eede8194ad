#!/usr/bin/env python
"""Check title/date/place extraction from bare text on a sample, and measure its speed.

The sample: the bundled humas release(s) (samples/archive/humas/*.txt) and news articles from the news
corpus, drawn at random per publisher (seeded) and stripped of their metadata: only the ``text`` field
is given to ``indexer.metadata.extract_metadata``, as if it were a bare .txt file.

Prints one line per document (what was extracted, the corpus's own date, the opening of the text), then:
- date against the corpus's date field: same day / within 3 days / other / none found;
- the hand judgments in docs/metadata-judged.tsv (title, date, place: right / wrong / missing / none,
  the last meaning the text holds no such thing to find), tallied per field;
- headline detection: the corpus title put back as the first line ("title\\n\\ntext"), is it found
  exactly, as a headline?
- ``--speed N``: extraction time per document over N articles (warm, after a first call that loads
  dateparser's language data).

    python scripts/check_metadata.py [--n 50] [--seed 12] [--speed 1000] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from arsip.settings import REPO_ROOT
from indexer.metadata import extract_metadata

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "eval" / "news_clickid" / "corpus.jsonl"
HUMAS = REPO_ROOT / "samples" / "archive" / "humas"
JUDGED = REPO_ROOT / "docs" / "metadata-judged.tsv"
VERDICTS = ("right", "wrong", "missing", "none")


def load_corpus(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def draw_sample(records: list[dict], n: int, seed: int) -> list[dict]:
    """``n`` articles, spread evenly over the publishers (round robin over shuffled per-publisher lists)."""
    rng = random.Random(seed)
    by_source: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_source[record["source"]].append(record)
    pools = [rng.sample(items, len(items)) for _, items in sorted(by_source.items())]
    sample: list[dict] = []
    while len(sample) < n:
        for pool in pools:
            if pool and len(sample) < n:
                sample.append(pool.pop())
    return sample


def date_check(found: str | None, expected: str | None) -> str:
    if not found:
        return "none found"
    if not expected:
        return "no corpus date"
    days = abs((date.fromisoformat(found) - date.fromisoformat(expected)).days)
    return "same day" if days == 0 else "within 3 days" if days <= 3 else "other"


def load_judgments(path: Path) -> dict[str, dict[str, str]]:
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return {row["id"]: row for row in rows}


def whole_corpus(records: list[dict]) -> None:
    """Date agreement with the corpus's date field per publisher and per date source, and every distinct
    place found with its count (short enough to read through: a wrong place shows at once)."""
    by: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    places: Counter[str] = Counter()
    for record in records:
        meta = extract_metadata(record["text"])
        by[(record["source"], meta.date_source or "-")][date_check(meta.date, record.get("date"))] += 1
        if meta.place:
            places[meta.place] += 1
    keys = ("same day", "within 3 days", "other", "none found")
    print(f"\nwhole corpus ({len(records)} articles): date vs the corpus's date field")
    print(f"  {'source':<20}{'found by':<10}" + "".join(f"{k:>15}" for k in keys))
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for (source, how), counts in sorted(by.items()):
        print(f"  {source:<20}{how:<10}" + "".join(f"{counts[k]:>15}" for k in keys))
        totals[how].update(counts)
    for how, counts in sorted(totals.items()):
        print(f"  {'all':<20}{how:<10}" + "".join(f"{counts[k]:>15}" for k in keys))
    print(f"\nplaces found: {sum(places.values())} articles, {len(places)} distinct")
    print("  " + ", ".join(f"{place} {n}" for place, n in places.most_common()))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--n", type=int, default=50, help="news articles in the sample (default 50)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--datelines",
        type=int,
        default=0,
        help="add this many articles whose first 60 characters hold a dash (dateline candidates)",
    )
    parser.add_argument(
        "--whole-corpus",
        action="store_true",
        help="also run on every article: date vs the corpus's date per source, and every place found",
    )
    parser.add_argument("--speed", type=int, default=0, help="time extraction on this many articles")
    parser.add_argument("--quiet", action="store_true", help="only the tables, not the per-document lines")
    args = parser.parse_args()

    records = load_corpus(args.corpus)
    docs = [
        {"id": f"humas/{p.name}", "text": p.read_text(encoding="utf-8"), "date": None, "title": None}
        for p in sorted(HUMAS.glob("*.txt"))
    ] + draw_sample(records, args.n, args.seed)
    if args.datelines:  # chosen by a loose test that does not use the extractor's own patterns
        taken = {doc["id"] for doc in docs}
        dashed = [r for r in records if r["id"] not in taken and any(c in r["text"][:60] for c in "-–—")]
        docs += random.Random(args.seed).sample(dashed, args.datelines)
    extract_metadata("Kupang, 12 Maret 2020 – pemanasan.")  # load dateparser before timing anything

    judged = load_judgments(JUDGED)
    dates: Counter[str] = Counter()
    tallies: dict[str, Counter[str]] = {field: Counter() for field in ("title", "date", "place")}
    headline_found = 0
    for doc in docs:
        meta = extract_metadata(doc["text"])
        check = date_check(meta.date, doc.get("date"))
        dates[check] += 1
        verdict = judged.get(doc["id"])
        if verdict:
            for field in tallies:
                tallies[field][verdict[field]] += 1
        if doc.get("title"):
            again = extract_metadata(doc["title"] + "\n\n" + doc["text"])
            headline_found += (again.title, again.title_source) == (doc["title"].strip(), "headline")
        if not args.quiet:
            opening = " ".join(doc["text"].split())[:110]
            print(f"{doc['id']}")
            print(f"  title  [{meta.title_source}] {meta.title[:110]}")
            print(f"  date   [{meta.date_source}] {meta.date}  corpus {doc.get('date')}  → {check}")
            print(f"  place  [{meta.place_source}] {meta.place}")
            print(f"  text   {opening}")
            if verdict:
                print(f"  judged title={verdict['title']} date={verdict['date']} place={verdict['place']}")
    news = sum(1 for doc in docs if doc.get("title"))
    humas = len(docs) - news
    print(f"\n{len(docs)} documents ({humas} humas release(s), {news} news articles, seed {args.seed})")
    print("\ndate vs the corpus's date field:")
    for key in ("same day", "within 3 days", "other", "none found", "no corpus date"):
        print(f"  {key:<16}{dates[key]:>4}")
    if judged:
        print(
            f"\nhand judgments ({JUDGED.relative_to(REPO_ROOT)}, {sum(tallies['title'].values())} documents):"
        )
        print(f"  {'field':<8}" + "".join(f"{v:>9}" for v in VERDICTS))
        for field, counts in tallies.items():
            print(f"  {field:<8}" + "".join(f"{counts[v]:>9}" for v in VERDICTS))
    print(f"\ncorpus title put back as the first line, found exactly as headline: {headline_found}/{news}")

    if args.whole_corpus:
        whole_corpus(records)
    if args.speed:
        texts = [record["text"] for record in records[: args.speed]]
        times = []
        for text in texts:
            start = time.perf_counter()
            extract_metadata(text)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(
            f"\nspeed on {len(texts)} articles (mean {statistics.mean(len(t) for t in texts):,.0f} chars): "
            f"mean {statistics.mean(times):.3f} ms, median {times[len(times) // 2]:.3f} ms, "
            f"p99 {times[int(len(times) * 0.99)]:.3f} ms, max {times[-1]:.3f} ms, "
            f"total {sum(times) / 1000:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
