"""Which part of a search's set each shown or exported passage belongs to.

In hybrid mode the set is three parts, counted apart in the header: passages holding every word
(``all_words``), passages holding most of them (``some_words``: ``RankingConfig.partial_match``), and
passages related by meaning alone (``meaning``). Keyword mode holds only the first, semantic mode only
the last. In hybrid, the request that reads the shown passages names those matching each keyword query.
"""

from __future__ import annotations

from searchapp.search.values import SearchPlan


def part_queries(plan: SearchPlan) -> dict[str, dict]:
    """The queries that name, among shown passages, those in each keyword part (hybrid only): asked as
    named queries of the request that reads the passages (``result_rows.passages_body``)."""
    if plan.mode != "hybrid" or plan.all_words_query is None:
        return {}
    queries = {"all_words": plan.all_words_query, "some_words": plan.keyword_query}
    return {name: query for name, query in queries.items() if query is not None}


def read_parts(plan: SearchPlan, matched: dict[str, set[str]], passage_ids: list[str]) -> dict[str, str]:
    """Passage id → its part (``result_rows.PARTS``), from the names each passage matched
    (``result_rows.matched_names``)."""
    if plan.mode == "keyword":
        return dict.fromkeys(passage_ids, "all_words")
    if plan.mode == "semantic":
        return dict.fromkeys(passage_ids, "meaning")
    parts = {}
    for pid in passage_ids:
        names = matched.get(pid, set())
        if "all_words" in names:
            parts[pid] = "all_words"
        elif "some_words" in names:
            parts[pid] = "some_words"
        else:
            parts[pid] = "meaning"
    return parts
