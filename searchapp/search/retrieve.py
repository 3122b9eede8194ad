"""Stage 3 of a search: round one, the candidates of a ``SearchPlan``.

One msearch reads the BM25 window, the partial set (hybrid) and the nearest passages (ids and scores
only); ``settle`` turns the answers into the plan's sets, for the search and the saved searches alike.
The *related set* is the nearest passages above the query's relevance floor
(``searchapp.relatedness``), read again with the floor as the kNN's ``similarity`` when all of the
nearest clear it; filters narrow it afterwards (one request), so it never depends on them. The
*candidate query* is every passage the mode matched: the BM25 matches (in hybrid: every word, or the
partial set — the best passages holding most of them), the related set under the filters, or (hybrid)
their union; it is what the counts count and the date order sorts. ``retrieve_page`` hands the
candidates on to ``rank.rank_page``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from searchapp.ranking import PASSAGES_PER_DOCUMENT, Hit
from searchapp.relatedness import knn_score
from searchapp.search.candidates import (
    hits,
    keyword_body,
    keyword_window,
    partial_set_body,
    passage_id,
    read_window,
    semantic_body,
)
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
    """Round one: at least ``passages`` best BM25 passages (``keyword_window``) and the nearest
    passages in one msearch (``round_one_bodies``); then ``settle`` and the related set's part under the
    filters."""
    window = keyword_window(passages, plan.ranking)
    responses = engine.msearch(round_one_bodies(plan, window))
    settled = settle(plan, responses, engine)
    plan = settled.plan
    keyword_hits, keyword_read = read_window(responses.get("keyword"), plan.partial_ids)
    return Candidates(
        plan=plan,
        keyword_hits=keyword_hits,
        semantic_hits=under_filters(settled.related, plan.filter_clauses, engine),
        nearest=settled.nearest,
        related=settled.related,
        related_capped=settled.related_capped,
        window=window,
        keyword_read=keyword_read,
        query=settled.query,
        facet_queries={
            name: query_union(
                scope.keyword_query, settled.related if plan.knn is not None else None, scope.filter_clauses
            )
            for name, scope in plan.facet_scopes.items()
        },
    )


def round_one_bodies(plan: SearchPlan, window: int | None = None) -> dict[str, dict]:
    """Round one's requests for a plan: the partial set (hybrid), the nearest passages (with a model)
    and, given a ``window``, the BM25 window. Without a window they are what ``settle`` needs to know
    every passage the plan matches (the saved searches' ``counts.matching_queries``)."""
    bodies: dict[str, dict] = {}
    if window is not None and plan.keyword_query is not None:
        bodies["keyword"] = keyword_body(plan.window_query or plan.keyword_query, window)
    if plan.partial_set_query is not None:
        bodies["partial set"] = partial_set_body(plan.partial_set_query, plan.ranking.partial_max)
    if plan.knn is not None:
        bodies["semantic"] = semantic_body(plan.knn)
    return bodies


@dataclass(frozen=True)
class RoundOne:
    """What round one settles for a plan: the plan with its partial set, the nearest passages, the
    related set (and whether it reached its bound) and the candidate query."""

    plan: SearchPlan
    nearest: list[Hit]
    related: list[Hit]
    related_capped: bool
    query: dict


def settle(plan: SearchPlan, responses: dict[str, dict], engine: Engine) -> RoundOne:
    """Round one's answers (``responses`` to ``round_one_bodies``) for a plan: the search and the saved
    searches both settle a plan here, so they match the same passages."""
    if "partial set" in responses:
        plan = with_partial_set(plan, responses["partial set"])
    nearest = hits(responses["semantic"], "semantic") if "semantic" in responses else []
    related, capped = related_set(plan, engine, nearest)
    return RoundOne(plan, nearest, related, capped, candidate_query(plan, related))


def related_set(plan: SearchPlan, engine: Engine, nearest: list[Hit]) -> tuple[list[Hit], bool]:
    """The passages above the plan's floor, closest first, without filters; and whether there may be
    more than ``RankingConfig.related_max`` of them. ``nearest`` are the plan's ``knn`` hits; without a
    floor (an index too small to measure one against: ``relatedness.MIN_BACKGROUND``) they are the set."""
    if plan.knn is None or plan.related_knn is None:
        return [], False
    if plan.floor is None:
        return nearest, False
    threshold = knn_score(plan.floor)
    above = [h for h in nearest if (h.semantic or 0.0) >= threshold]
    if len(above) < plan.knn["k"]:  # the floor cut the nearest (or the index holds fewer passages)
        return above, False
    found = hits(engine.msearch({"related": semantic_body(plan.related_knn)})["related"], "semantic")
    found = [h for h in found if (h.semantic or 0.0) >= threshold]
    return found, len(found) >= plan.related_knn["k"]


def under_filters(related: list[Hit], filter_clauses: list[dict], engine: Engine) -> list[Hit]:
    """The part of the related set that passes the filters (one request when there are filters)."""
    if not related or not filter_clauses:
        return related
    body = {
        "query": {
            "bool": {"filter": [{"ids": {"values": [h.passage_id for h in related]}}, *filter_clauses]}
        },
        "size": len(related),
        "_source": False,
        "track_total_hits": False,
    }
    kept = {h["_id"] for h in engine.msearch({"filtered": body})["filtered"]["hits"]["hits"]}
    return [h for h in related if h.passage_id in kept]


def candidate_query(plan: SearchPlan, related: list[Hit]) -> dict:
    """The passages the mode matched: BM25 matches, the related set under the filters, or (hybrid)
    their union."""
    return query_union(plan.keyword_query, related if plan.knn is not None else None, plan.filter_clauses)


def query_union(
    keyword_query: dict | None, related: list[Hit] | None, filter_clauses: list[dict] | None = None
) -> dict:
    """A query for BM25 matches (``keyword_query``), a related set under ``filter_clauses``
    (``related``), or either."""
    if related is None:
        assert keyword_query is not None
        return keyword_query
    semantic = ids_under_filters([h.passage_id for h in related], filter_clauses or [])
    if keyword_query is None:
        return semantic
    return {"bool": {"should": [keyword_query, semantic], "minimum_should_match": 1}}


def with_partial_set(plan: SearchPlan, response: dict) -> SearchPlan:
    """The hybrid plan once its partial set is read (``response``: the best partial matches without
    filters, best first): the set is those scoring at least ``RankingConfig.partial_floor`` of the best
    one's BM25 score, at most ``partial_max``; the keyword side becomes every passage holding all words
    ∪ the set under the filters, in the search and in each facet scope. Like the related set, it is the
    query's alone, so a facet value's count is what selecting it gives."""
    if plan.partial_set_query is None or plan.all_words_query is None:
        return plan
    found = [(passage_id(h), float(h["_score"] or 0.0)) for h in response["hits"]["hits"]]
    floor = (found[0][1] if found else 0.0) * plan.ranking.partial_floor
    ids = frozenset(pid for pid, score in found if score >= floor)
    scopes = {
        name: replace(scope, keyword_query=keyword_union(scope.all_words_query, ids, scope.filter_clauses))
        for name, scope in plan.facet_scopes.items()
        if scope.keyword_query is not None and scope.all_words_query is not None
    }
    return replace(
        plan,
        keyword_query=keyword_union(plan.all_words_query, ids, plan.filter_clauses),
        facet_scopes={**plan.facet_scopes, **scopes},
        partial_set_query=None,
        partial_ids=ids,
        partial_capped=len(found) >= plan.ranking.partial_max and found[-1][1] >= floor,
    )


def keyword_union(all_words: dict, partial_ids: frozenset[str], filter_clauses: list[dict]) -> dict:
    """Passages holding every word (``all_words``, filters included), or in the partial set under the
    filters."""
    partial = ids_under_filters(sorted(partial_ids), filter_clauses)
    return {"bool": {"should": [all_words, partial], "minimum_should_match": 1}}


def ids_under_filters(passage_ids: list[str], filter_clauses: list[dict]) -> dict:
    """The passages ``passage_ids`` that pass the filters (no score of their own)."""
    ids = {"ids": {"values": passage_ids}}
    return {"constant_score": {"filter": {"bool": {"filter": [ids, *filter_clauses]}}, "boost": 0}}
