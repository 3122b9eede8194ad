"""Which part of a search's set each shown or exported passage belongs to.

In hybrid mode the set is three parts, counted apart in the header: passages holding every word
(``all_words``), the partial set (``some_words``: the best passages holding most of them,
``RankingConfig.partial_match`` / ``partial_max`` / ``partial_floor``), and
passages related by meaning alone (``meaning``). Keyword mode holds only the first, semantic mode only
the last. In hybrid, the request that reads the shown passages names those matching each keyword query.
"""

from __future__ import annotations

from searchapp.search.result_rows import PARTS
from searchapp.search.values import SearchPlan

ALL_WORDS, SOME_WORDS, MEANING = PARTS


def part_queries(plan: SearchPlan) -> dict[str, dict]:
    """The queries that name, among shown passages, those in each keyword part (hybrid only): asked as
    named queries of the request that reads the passages (``result_rows.passages_body``)."""
    if plan.mode != "hybrid" or plan.all_words_query is None:
        return {}
    queries = {ALL_WORDS: plan.all_words_query, SOME_WORDS: plan.keyword_query}
    return {name: query for name, query in queries.items() if query is not None}


def read_parts(plan: SearchPlan, matched: dict[str, set[str]], passage_ids: list[str]) -> dict[str, str]:
    """Passage id → its part (``result_rows.PARTS``), from the names each passage matched
    (``result_rows.matched_names``)."""
    if plan.mode == "keyword":
        return dict.fromkeys(passage_ids, ALL_WORDS)
    if plan.mode == "semantic":
        return dict.fromkeys(passage_ids, MEANING)
    parts = {}
    for pid in passage_ids:
        names = matched.get(pid, set())
        parts[pid] = ALL_WORDS if ALL_WORDS in names else SOME_WORDS if SOME_WORDS in names else MEANING
    return parts
