"""Stage 4 of a search: the candidates in final order, grouped into results.

Relevance: ``searchapp.ranking.rank_passages`` over the candidates; newest/oldest: the candidate query
sorted by date, each passage with its relevance score. Results are documents (their best passages),
one per near-duplicate group when ``dedupe``, or single passages (``group=passage``). While the list is
short of what the page needs and more candidates exist, the BM25 window doubles: that only appends to
the list's tail. ``rank_page`` hands the asked page on to ``page.read_page``.
"""

from __future__ import annotations

from searchapp.ranking import PASSAGES_PER_DOCUMENT, Hit, collapse_versions, group_by_document, rank_passages
from searchapp.search.candidates import MAX_WINDOW, RANKING_FIELDS, hit, keyword_body, read_window
from searchapp.search.engine import Engine
from searchapp.search.page import read_page
from searchapp.search.values import Candidates, RankedPage, Result
from searchapp.search_request import SearchRequest

DATE_ORDER = {"newest": "desc", "oldest": "asc"}


def rank_page(candidates: Candidates, engine: Engine) -> dict:
    """The results of the asked page, read by ``read_page``; returns the page's envelope."""
    request = candidates.plan.request
    needed = request.page * request.size
    results = order(candidates, engine, needed, PASSAGES_PER_DOCUMENT)
    return read_page(RankedPage(candidates, results[(request.page - 1) * request.size : needed]), engine)


def order(candidates: Candidates, engine: Engine, needed: int, per_document: int | None) -> list[Result]:
    """Results in final order, at least ``needed`` where they exist (each document with up to
    ``per_document`` passages; None: all of them)."""
    plan = candidates.plan
    request = plan.request
    keyword_hits, semantic_hits, window = candidates.keyword_hits, candidates.semantic_hits, candidates.window
    keyword_read = candidates.keyword_read
    by_date = request.sort in DATE_ORDER
    if by_date:
        ranked = rank_passages(
            plan.mode, keyword_hits, semantic_hits, plan.ranking, request.fusion, candidates.nearest
        )
        scores = {h.passage_id: score for h, score in ranked}
    while True:
        if by_date:
            ranked, read = _by_date(candidates, scores, window, engine)
        else:
            ranked = rank_passages(
                plan.mode,
                keyword_hits,
                semantic_hits,
                plan.ranking,
                request.fusion,
                candidates.nearest,
            )
            read = keyword_read if plan.keyword_query is not None else 0
        results = group_results(ranked, request, per_document)
        if len(results) >= needed or read < window or window >= MAX_WINDOW:
            return results
        window = min(MAX_WINDOW, window * 2)
        if not by_date:
            assert plan.keyword_query is not None
            # read and kept as round one read them (hybrid: the partial set and the passages holding
            # every word)
            body = keyword_body(plan.window_query or plan.keyword_query, window)
            response = engine.msearch({"keyword": body})["keyword"]
            keyword_hits, keyword_read = read_window(response, plan.partial_ids)


def _by_date(
    candidates: Candidates, scores: dict[str, float], window: int, engine: Engine
) -> tuple[list[tuple[Hit, float]], int]:
    """The first ``window`` candidates by document date (undated last), each document's passages by
    relevance; and how many were read."""
    plan = candidates.plan
    body = {
        "query": candidates.query,
        "size": window,
        **RANKING_FIELDS,
        "track_total_hits": False,
        "track_scores": True,
        "sort": [
            {"date": {"order": DATE_ORDER[plan.request.sort], "missing": "_last"}},
            {"doc_id": "asc"},
            {"_score": "desc"},
            {"position": "asc"},
        ],
    }
    found = engine.msearch({"by date": body})["by date"]["hits"]["hits"]
    ranked = []
    for h in found:
        # BM25 passages past the reference have no fused score; in keyword mode BM25 is the score
        keyword = float(h["_score"] or 0.0) if plan.mode == "keyword" else 0.0
        candidate = hit(h)
        ranked.append((candidate, scores.get(candidate.passage_id, keyword)))
    return ranked, len(found)


def group_results(
    ranked: list[tuple[Hit, float]], request: SearchRequest, per_document: int | None
) -> list[Result]:
    """The result list: documents (with their passages), each near-duplicate group's best one when
    ``dedupe``, or, for ``group=passage``, single passages."""
    if request.group == "passage":
        return [(h.passage_id, score, [(h, score)]) for h, score in ranked]
    documents = group_by_document(ranked, per_document)
    return collapse_versions(documents) if request.dedupe else documents
