"""Which part of a search's set each shown or exported passage belongs to.

In hybrid mode the set is three parts, counted apart in the header: passages holding every word
(``all_words``), passages holding most of them (``some_words``: ``RankingConfig.partial_match``), and
passages related by meaning alone (``meaning``). Keyword mode holds only the first, semantic mode only
the last. Two small requests (shown passages ∩ each keyword query) say it for hybrid.
"""

from __future__ import annotations

from searchapp.search.values import SearchPlan


def parts_bodies(plan: SearchPlan, passage_ids: list[str]) -> dict[str, dict]:
    """The requests that find, among ``passage_ids``, those in each keyword part (hybrid only)."""
    if plan.mode != "hybrid" or not passage_ids or plan.all_words_query is None:
        return {}
    queries = {"all_words": plan.all_words_query, "some_words": plan.keyword_query}
    return {
        f"part {name}": {
            "query": {"bool": {"filter": [{"ids": {"values": passage_ids}}], "must": [query]}},
            "size": len(passage_ids),
            "_source": False,
            "track_total_hits": False,
        }
        for name, query in queries.items()
        if query is not None
    }


def read_parts(plan: SearchPlan, responses: dict[str, dict], passage_ids: list[str]) -> dict[str, str]:
    """Passage id → its part (``result_rows.PARTS``), from the answers to ``parts_bodies``."""
    if plan.mode == "keyword":
        return dict.fromkeys(passage_ids, "all_words")
    if plan.mode == "semantic":
        return dict.fromkeys(passage_ids, "meaning")
    found = {
        name: {h["_id"] for h in responses[f"part {name}"]["hits"]["hits"]}
        for name in ("all_words", "some_words")
        if f"part {name}" in responses
    }
    parts = {}
    for pid in passage_ids:
        if pid in found.get("all_words", ()):
            parts[pid] = "all_words"
        elif pid in found.get("some_words", ()):
            parts[pid] = "some_words"
        else:
            parts[pid] = "meaning"
    return parts
