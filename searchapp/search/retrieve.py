"""Stage 3 of a search: round one, the candidates of a ``SearchPlan``.

One msearch reads the BM25 window and the semantic set (ids and scores only), and for each facet scope
its own semantic set. The *candidate query* is every passage the mode matched: the BM25 matches, the
semantic set, or (hybrid) their union; it is what the counts count and the date order sorts.
``retrieve_page`` hands the candidates on to ``rank.rank_page``.
"""

from __future__ import annotations

from searchapp.ranking import PASSAGES_PER_DOCUMENT, Hit
from searchapp.search.candidates import hits, keyword_body, keyword_window, semantic_body
from searchapp.search.engine import Engine
from searchapp.search.rank import rank_page
from searchapp.search.values import Candidates, SearchPlan


def retrieve_page(plan: SearchPlan, engine: Engine) -> dict:
    """The candidates for the plan's page (enough BM25 passages to fill it), ranked by ``rank_page``;
    returns the page's envelope."""
    request = plan.request
    per_result = PASSAGES_PER_DOCUMENT if request.group == "document" else 1
    return rank_page(retrieve(plan, engine, request.page * request.size * per_result), engine)


def retrieve(plan: SearchPlan, engine: Engine, passages: int) -> Candidates:
    """Round one: at least ``passages`` best BM25 passages (``keyword_window``), the whole semantic
    set, and each facet scope's semantic set, in one msearch."""
    window = keyword_window(passages, plan.ranking)
    bodies: dict[str, dict] = {}
    if plan.keyword_query is not None:
        bodies["keyword"] = keyword_body(plan.keyword_query, window)
    if plan.knn is not None:
        bodies["semantic"] = semantic_body(plan.knn)
    for name, scope in plan.facet_scopes.items():
        if scope.knn is not None:
            bodies[f"facet {name}"] = semantic_body(scope.knn)
    responses = engine.msearch(bodies)
    semantic_hits = hits(responses["semantic"], "semantic") if "semantic" in responses else []
    facet_queries = {
        name: query_union(
            scope.keyword_query,
            hits(responses[f"facet {name}"], "semantic") if scope.knn is not None else None,
        )
        for name, scope in plan.facet_scopes.items()
    }
    return Candidates(
        plan=plan,
        keyword_hits=hits(responses["keyword"], "keyword") if "keyword" in responses else [],
        semantic_hits=semantic_hits,
        window=window,
        query=candidate_query(plan, semantic_hits),
        facet_queries=facet_queries,
    )


def candidate_query(plan: SearchPlan, semantic_hits: list[Hit]) -> dict:
    """The passages the mode matched: BM25 matches, the semantic set, or (hybrid) their union."""
    return query_union(plan.keyword_query, semantic_hits if plan.knn is not None else None)


def query_union(keyword_query: dict | None, semantic_hits: list[Hit] | None) -> dict:
    """A query for BM25 matches (``keyword_query``), a semantic set (``semantic_hits``), or either."""
    if semantic_hits is None:
        assert keyword_query is not None
        return keyword_query
    semantic = {
        "constant_score": {"filter": {"ids": {"values": [h.passage_id for h in semantic_hits]}}, "boost": 0}
    }
    if keyword_query is None:
        return semantic
    return {"bool": {"should": [keyword_query, semantic], "minimum_should_match": 1}}
