"""Candidates: the passages a search ranks, read as ids and scores before any text.

The bodies that read them (the BM25 window and the semantic set, with only the fields ranking needs),
how large the BM25 window is, and the ``ranking.Hit`` made of each search hit. Round one
(``retrieve``), the growing window and the date order (``rank``) and the alerts' semantic sets
(``counts``) all read candidates this way.
"""

from __future__ import annotations

from searchapp.ranking import Hit, RankingConfig

MAX_WINDOW = 10_000  # Elasticsearch's index.max_result_window: the most passages one ranking reads
RANKING_FIELDS = ["doc_id", "dup_group"]  # what ranking reads of each candidate (text comes later)


def keyword_window(passages: int, ranking: RankingConfig) -> int:
    """BM25 passages to read: at least the reference window, at most what Elasticsearch pages."""
    return min(MAX_WINDOW, max(passages, ranking.reference_window))


def keyword_body(keyword_query: dict, size: int) -> dict:
    """The ``size`` best BM25 passages (ids and scores)."""
    return {"query": keyword_query, "size": size, "_source": RANKING_FIELDS, "track_total_hits": False}


def semantic_body(knn: dict) -> dict:
    """The whole semantic set of a kNN section (ids and similarities)."""
    return {"knn": knn, "size": knn["k"], "_source": RANKING_FIELDS}


def hit(h: dict, side: str | None = None) -> Hit:
    """A candidate from a search hit, with ``side``'s score."""
    scores = {side: float(h["_score"] or 0.0)} if side else {}
    return Hit(h["_id"], h["_source"]["doc_id"], group=h["_source"].get("dup_group"), **scores)


def hits(response: dict, side: str) -> list[Hit]:
    """Candidates from one side's response, with that side's score."""
    return [hit(h, side) for h in response["hits"]["hits"]]


def above(keyword_hits: list[Hit], floor: float | None) -> list[Hit]:
    """A BM25 window's passages at or above ``floor`` (hybrid's partial matches; None: all of them). The
    window is in score order, so the cut keeps a prefix."""
    if floor is None:
        return keyword_hits
    return [h for h in keyword_hits if (h.keyword or 0.0) >= floor]
