"""Candidates: the passages a search ranks, read as ids and scores before any text.

The bodies that read them (the BM25 window and the semantic set, with only the fields ranking needs),
how large the BM25 window is, and the ``ranking.Hit`` made of each search hit. Round one
(``retrieve``), the growing window and the date order (``rank``) and the alerts' semantic sets
(``counts``) all read candidates this way.
"""

from __future__ import annotations

from searchapp.ranking import Hit, RankingConfig

MAX_WINDOW = 10_000  # Elasticsearch's index.max_result_window: the most passages one ranking reads
# What ranking reads of each candidate (text comes later), from doc values: no stored field or _source
# is loaded, so a set of 1,000 passages is fetched in ~3 ms, not ~18 (the news corpus, 40 questions).
RANKING_FIELDS = {
    "_source": False,
    "stored_fields": "_none_",
    "docvalue_fields": ["passage_id", "doc_id", "dup_group"],
}
ALL_WORDS = "all_words"  # the name a hybrid window gives its passages that hold every word


def keyword_window(passages: int, ranking: RankingConfig) -> int:
    """BM25 passages to read: at least the reference window, at most what Elasticsearch pages."""
    return min(MAX_WINDOW, max(passages, ranking.reference_window))


def keyword_body(keyword_query: dict, size: int) -> dict:
    """The ``size`` best BM25 passages (ids and scores)."""
    return {"query": keyword_query, "size": size, **RANKING_FIELDS, "track_total_hits": False}


def semantic_body(knn: dict) -> dict:
    """The whole semantic set of a kNN section (ids and similarities)."""
    return {"knn": knn, "size": knn["k"], **RANKING_FIELDS}


def hit(h: dict, side: str | None = None) -> Hit:
    """A candidate from a search hit, with ``side``'s score."""
    scores = {side: float(h["_score"] or 0.0)} if side else {}
    fields = h["fields"]
    return Hit(passage_id(h), fields["doc_id"][0], group=(fields.get("dup_group") or [None])[0], **scores)


def passage_id(h: dict) -> str:
    """A candidate's passage id (read from doc values: ``RANKING_FIELDS``)."""
    return h["fields"]["passage_id"][0]


def hits(response: dict, side: str) -> list[Hit]:
    """Candidates from one side's response, with that side's score."""
    return [hit(h, side) for h in response["hits"]["hits"]]


def partial_set_body(partial_query: dict, size: int) -> dict:
    """The ``size`` best partial matches (ids and BM25 scores only: the partial set is a list of ids)."""
    fields = {**RANKING_FIELDS, "docvalue_fields": ["passage_id"]}
    return {"query": partial_query, "size": size, **fields, "track_total_hits": False}


def partial_window(window_hits: list[dict], partial_ids: frozenset[str] | None) -> list[Hit]:
    """A BM25 window's search hits that are in the search's keyword set, as candidates: in hybrid those
    holding every word (named ``ALL_WORDS`` by ``plan.named_all_words``) and the partial set's; otherwise
    (``partial_ids`` None) all of them. The window is in score order and so is what it keeps."""
    if partial_ids is not None:
        window_hits = [
            h
            for h in window_hits
            if passage_id(h) in partial_ids or ALL_WORDS in (h.get("matched_queries") or ())
        ]
    return [hit(h, "keyword") for h in window_hits]


def read_window(response: dict | None, partial_ids: frozenset[str] | None) -> tuple[list[Hit], int]:
    """A BM25 window's candidates (``partial_window``) and how many hits it read: when that is the
    window's size, a wider window may find more (``response`` None: no keyword side)."""
    window_hits = response["hits"]["hits"] if response is not None else []
    return partial_window(window_hits, partial_ids), len(window_hits)
