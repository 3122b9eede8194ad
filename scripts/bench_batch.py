#!/usr/bin/env python
"""Batch search benchmark: 1,000 terms counted one search at a time vs the batch path, in one run.

The terms are real names and words of the indexed archive: the most frequent capitalised word sequences
of its passages (multi-word names quoted, as phrases), topped up with its most frequent longer words.
Three ways to get each term's matching documents, over the same index and filters, are timed:

* ``search()`` one by one as the search page runs it (keyword mode, page 1, facets and highlights);
* ``search()`` one by one, lean (facets=false, highlight=false, size=1): the least a script would ask;
* the batch path (``searchapp.batch.run_batch``: one plan and count request per term, 200 per msearch).

Every term's document count must be the same in all three (checked; a mismatch fails the run).

    flock /tmp/arsip-heavy.lock python scripts/bench_batch.py --index arsip-passages --terms 1000
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from dataclasses import replace

from tqdm import tqdm

from arsip.settings import Settings
from searchapp import batch
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService

NAME = re.compile(r"\b[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,}){0,2}\b")
WORD = re.compile(r"\b[a-z]{6,}\b")


def corpus_terms(service: SearchService, limit: int) -> list[str]:
    """The ``limit`` most frequent names (then words) of the index's passages."""
    names: Counter[str] = Counter()
    words: Counter[str] = Counter()
    response = service.es.search(index=service.index, size=1000, scroll="1m", _source=["text"])
    scroll_id = response["_scroll_id"]
    try:
        while hits := response["hits"]["hits"]:
            for hit in hits:
                text = hit["_source"].get("text") or ""
                names.update(NAME.findall(text))
                words.update(WORD.findall(text))
            response = service.es.scroll(scroll_id=scroll_id, scroll="1m")
    finally:
        service.es.clear_scroll(scroll_id=scroll_id)
    terms = [f'"{name}"' if " " in name else name for name, _ in names.most_common()]
    seen = {t.strip('"').lower() for t in terms}
    terms += [word for word, _ in words.most_common() if word not in seen]
    return terms[:limit]


def timed(label: str, run) -> tuple[float, list[int]]:
    started = time.perf_counter()
    counts = run()
    elapsed = time.perf_counter() - started
    print(f"  {label:<48} {elapsed:8.2f} s", flush=True)
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="index or alias (default: ARSIP_INDEX)")
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=batch.MSEARCH_CHUNK, help="count requests per msearch")
    args = parser.parse_args()
    settings = Settings.from_env()
    if args.index:
        settings = replace(settings, index=args.index)
    service = SearchService(settings)
    terms = corpus_terms(service, args.terms)
    term_list = batch.term_list(terms)
    print(
        f"{len(term_list.terms)} terms from {settings.index} "
        f"({sum(t.startswith(chr(34)) for t in terms)} quoted names), e.g. {', '.join(terms[:5])}"
    )
    base = SearchRequest(mode="keyword")
    lean = replace(base, facets=False, highlight=False, size=1)
    batch.run_batch(service, batch.term_list(terms[:20]), {})  # warm-up: connections, caches, stemmer

    def one_by_one(request: SearchRequest, label: str):
        def run() -> list[int]:
            return [
                service.search(replace(request, q=term))["totals"]["documents"]
                for term in tqdm(term_list.terms, desc=label, leave=False)
            ]

        return run

    def batch_path() -> list[int]:
        envelope = batch.run_batch(service, term_list, {}, chunk=args.chunk)
        return [row["documents"] for row in envelope["rows"]]

    print(f"time to count {len(term_list.terms)} terms (keyword mode, no filters):")
    page_s, page_counts = timed("search() one by one, as the search page", one_by_one(base, "page"))
    lean_s, lean_counts = timed("search() one by one, lean (no facets/highlights)", one_by_one(lean, "lean"))
    calls = -(-len(term_list.terms) // args.chunk)
    batch_s, batch_counts = timed(f"batch path ({calls} msearch calls of ≤{args.chunk})", batch_path)
    if not page_counts == lean_counts == batch_counts:
        wrong = [t for t, a, b in zip(term_list.terms, page_counts, batch_counts, strict=True) if a != b]
        raise SystemExit(f"document counts differ for {len(wrong)} terms, e.g. {wrong[:5]}")
    matched = sum(1 for c in batch_counts if c)
    print(
        f"summary: counts identical for all {len(batch_counts)} terms ({matched} match ≥1 document); "
        f"batch {page_s / batch_s:.1f}× faster than the search page loop, {lean_s / batch_s:.1f}× faster "
        f"than the lean loop; {batch_s / len(batch_counts) * 1000:.2f} ms per term"
    )


if __name__ == "__main__":
    main()
