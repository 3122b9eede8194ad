"""Near-duplicate groups of a JSONL corpus, computed by the indexer's own grouping code (no embedding).

Reads records ``{"id", "title", "text", ...}``, cleans the text as the indexer does
(``indexer.cleaning.clean_text``), groups them in batches of 64 like ``arsip index`` does, and prints:
groups, documents in groups of two or more, the size distribution, time per document, memory of the
run's in-memory LSH, and a random sample (fixed seed) of grouped pairs side by side — each document
with the member of its group it is most similar to — with the estimated and the exact Jaccard, to be
checked by hand.

    python scripts/near_duplicates_report.py ../shared/eval/news_clickid/corpus.jsonl --sample 50
    python scripts/near_duplicates_report.py CORPUS --threshold 0.3 --between 0.3 0.5 --sample 30
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter, defaultdict
from pathlib import Path

import psutil
from tqdm import tqdm

from indexer.cleaning import clean_text
from indexer.near_duplicates import (
    DEFAULT_THRESHOLD,
    SHINGLE_WORDS,
    NearDuplicateGrouper,
    shingles,
)

BATCH = 64  # the indexer's LOOKUP_BATCH


def read_corpus(path: Path, limit: int | None) -> list[dict]:
    records = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                records.append({**record, "text": clean_text(record.get("text") or "")})
            if limit and len(records) >= limit:
                break
    return [r for r in records if r["text"].strip()]


def exact_jaccard(a: str, b: str, size: int) -> float:
    sa, sb = shingles(a, size), shingles(b, size)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def one_line(text: str, width: int) -> str:
    return " ".join(text.split())[:width]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--shingle", type=int, default=SHINGLE_WORDS, help="words per shingle")
    parser.add_argument("--limit", type=int, help="read only the first N records")
    parser.add_argument("--sample", type=int, default=50, help="grouped pairs to print")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--between",
        type=float,
        nargs=2,
        metavar=("LO", "HI"),
        help="only sample pairs whose estimated Jaccard is in [LO, HI)",
    )
    parser.add_argument("--chars", type=int, default=200, help="characters of text shown per document")
    parser.add_argument(
        "--es",
        action="store_true",
        help="also store the first half's fields in a scratch index on the configured Elasticsearch and "
        "group the second half as a later run would (one terms look-up per batch): time and agreement",
    )
    args = parser.parse_args()

    records = read_corpus(args.corpus, args.limit)
    by_id = {r["id"]: r for r in records}
    grouper = NearDuplicateGrouper(threshold=args.threshold, shingle_words=args.shingle)
    joined: dict[str, float] = {}  # doc_id → estimated Jaccard with the document it joined
    groups: dict[str, list[str]] = defaultdict(list)
    rss_before = psutil.Process().memory_info().rss
    started = time.perf_counter()
    for start in tqdm(range(0, len(records), BATCH), desc="grouping", unit="batch"):
        batch = records[start : start + BATCH]
        for doc_id, fields in grouper.assign((r["id"], r["text"]) for r in batch).items():
            groups[fields.group].append(doc_id)
            if fields.similarity is not None:
                joined[doc_id] = fields.similarity
    elapsed = time.perf_counter() - started
    rss_growth = psutil.Process().memory_info().rss - rss_before  # the run's LSH and signatures, mostly

    sizes = Counter(len(members) for members in groups.values())
    grouped_docs = sum(len(m) for m in groups.values() if len(m) > 1)
    print(f"\ncorpus: {args.corpus} ({len(records)} documents with text after cleaning)")
    print(f"parameters: shingle={args.shingle} words, threshold={args.threshold}")
    print(
        f"groups: {len(groups)}  (documents in groups of >= 2: {grouped_docs}, "
        f"{grouped_docs / len(records):.1%}; groups of >= 2: {sum(1 for m in groups.values() if len(m) > 1)})"
    )
    print(
        "group size distribution: " + ", ".join(f"{size}: {count}" for size, count in sorted(sizes.items()))
    )
    print(
        f"time: {elapsed:.1f}s, {elapsed / len(records) * 1000:.2f} ms per document "
        f"(process memory grew {rss_growth / 2**20:.0f} MiB)"
    )
    sims = sorted(joined.values())
    if sims:
        bins = Counter(min(int(s * 10), 9) / 10 for s in sims)
        print(
            "estimated Jaccard of joins: "
            + ", ".join(f"[{b:.1f},{b + 0.1:.1f}): {n}" for b, n in sorted(bins.items()))
        )
    same_source = sum(
        1 for d in joined if by_id[d].get("source") == by_id[groups_of(groups)[d]].get("source")
    )
    print(f"joins within one source: {same_source} of {len(joined)}")

    if args.es:
        cross_run_check(records, groups_of(groups), args.threshold, args.shingle)

    # sample: a joined document and the member of its group closest to it (exact Jaccard)
    candidates = sorted(
        d for d, s in joined.items() if not args.between or args.between[0] <= s < args.between[1]
    )
    rng = random.Random(args.seed)
    sample = rng.sample(candidates, min(args.sample, len(candidates)))
    member_group = groups_of(groups)
    for number, doc_id in enumerate(sample, start=1):
        doc = by_id[doc_id]
        mates = [m for m in groups[member_group[doc_id]] if m != doc_id]
        mate_id = max(mates, key=lambda m: (exact_jaccard(doc["text"], by_id[m]["text"], args.shingle), m))
        mate = by_id[mate_id]
        exact = exact_jaccard(doc["text"], mate["text"], args.shingle)
        print(
            f"\n#{number} est. {joined[doc_id]:.2f}  exact {exact:.2f}  group {member_group[doc_id]} "
            f"({len(groups[member_group[doc_id]])} docs)"
        )
        for side in (doc, mate):
            title = one_line(side.get("title") or "", 100)
            print(f"  [{side['id']}] {side.get('source')} {side.get('date')} | {title}")
            print(f"      {one_line(side['text'], args.chars)}")


def cross_run_check(records: list[dict], single_run: dict[str, str], threshold: float, shingle: int) -> None:
    """First half indexed "last month", second half "today": do the groups match one single run?"""
    import uuid

    from elasticsearch import helpers

    from arsip.es_client import make_client
    from arsip.settings import MAPPINGS_DIR, Settings
    from indexer.near_duplicates import ElasticsearchLookup

    settings = Settings.from_env()
    es = make_client(settings, request_timeout=120)
    index = f"arsip-neardup-measure-{uuid.uuid4().hex[:8]}"
    body = json.loads((MAPPINGS_DIR / "passages.json").read_text(encoding="utf-8"))
    es.indices.create(index=index, settings=body["settings"], mappings=body["mappings"])
    try:
        half = len(records) // 2
        earlier = NearDuplicateGrouper(threshold=threshold, shingle_words=shingle)
        actions = []
        for start in range(0, half, BATCH):
            batch = records[start : min(start + BATCH, half)]
            for doc_id, fields in earlier.assign((r["id"], r["text"]) for r in batch).items():
                source = {"doc_id": doc_id, "position": 0, **fields.passage_fields(0)}
                actions.append({"_index": index, "_id": f"{doc_id}:0", "_source": source})
        helpers.bulk(es, actions, chunk_size=1000)
        es.indices.refresh(index=index)
        lookup = ElasticsearchLookup(es, index)
        timings: list[float] = []

        def timed(keys: list[str], batch_ids: set[str]):
            started = time.perf_counter()
            found = lookup(keys, batch_ids)
            timings.append(time.perf_counter() - started)
            return found

        later = NearDuplicateGrouper(threshold=threshold, shingle_words=shingle, lookup=timed)
        second: dict[str, str] = {}
        for start in range(half, len(records), BATCH):
            batch = records[start : start + BATCH]
            second.update({d: f.group for d, f in later.assign((r["id"], r["text"]) for r in batch).items()})
    finally:
        es.indices.delete(index=index)
    same = sum(1 for doc_id, group in second.items() if group == single_run[doc_id])
    joined_stored = sum(1 for doc_id, group in second.items() if group in {r["id"] for r in records[:half]})
    timings.sort()
    print(
        f"cross-run check: {half} documents stored first, {len(second)} grouped later through "
        f"{len(timings)} look-ups (median {timings[len(timings) // 2] * 1000:.1f} ms, "
        f"max {timings[-1] * 1000:.1f} ms per batch of {BATCH}); "
        f"{joined_stored} joined a stored document's group; "
        f"same group as the single run: {same} of {len(second)}"
    )


def groups_of(groups: dict[str, list[str]]) -> dict[str, str]:
    return {member: group for group, members in groups.items() for member in members}


if __name__ == "__main__":
    main()
