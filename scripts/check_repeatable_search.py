#!/usr/bin/env python
"""Is a filtered semantic or hybrid search the same list every time, and are its pages slices of it?

Issue 24 (point 4) found ``/api/search?q=pemerintah+daerah&mode=semantic&source=tempo.co&size=100`` giving
two different lists over 20 calls, page walks that disagreed with the single call, and hybrid totals
of 202 or 203 from page to page, on the whole news corpus. Since issue 20 the related set is read
without filters and the filters narrow it. This sends, through the search page's own code
(``SearchService.search``, the defaults of the page), each search ``--repeat`` times with 100 results,
walks it in pages of 10, and prints how many different lists and totals it saw and whether the walk
equals the single call.

    ARSIP_INDEX=arsip-news python scripts/check_repeatable_search.py --source tempo.co
"""

from __future__ import annotations

import argparse
import statistics

from arsip.settings import Settings
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--q", default="pemerintah daerah")
    parser.add_argument("--source", default="tempo.co")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    service = SearchService(Settings.from_env())
    print("| mode | calls | different lists | different totals | pages of 10 = one call | median took_ms |")
    print("|---|---|---|---|---|---|")
    for mode in ("semantic", "hybrid"):
        base = {"q": args.q, "mode": mode, "source": args.source, "facets": "false", "highlight": "false"}
        lists, totals, took = set(), set(), []
        for _ in range(args.repeat):
            result = service.search(SearchRequest.from_args({**base, "size": "100"}))
            lists.add(tuple(r["doc_id"] for r in result["results"]))
            totals.add(result["total"])
            took.append(result["took_ms"])
        once = next(iter(lists))
        walked: list[str] = []
        for page in range(1, 11):
            found = service.search(SearchRequest.from_args({**base, "size": "10", "page": str(page)}))
            walked += [r["doc_id"] for r in found["results"]]
            totals.add(found["total"])
        median = statistics.median(took[1:] or took)  # the first call loads the model and the background
        print(
            f"| {mode} | {args.repeat} | {len(lists)} | {len(totals)} | {tuple(walked) == once} | {median} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
