"""Many searches at once without a page: the batch search's totals per term and the saved searches'
matching queries (their alerts and feeds count and list the same passages the search shows).

Each request is planned like a search (``plan.plan_search``) and its candidate query is
``retrieve.candidate_query``, so the figures are the ones ``search()`` reports.
"""

from __future__ import annotations

from collections.abc import Callable

from arsip.settings import Settings
from searchapp.counting import build_count_body, read_totals
from searchapp.errors import SearchError
from searchapp.query_model import QueryFilters
from searchapp.ranking import RankingConfig
from searchapp.relatedness import Background
from searchapp.search.engine import Engine
from searchapp.search.envelope import NOTHING_TOTALS, warnings_of
from searchapp.search.plan import plan_search
from searchapp.search.readiness import QueryModel
from searchapp.search.retrieve import candidate_query, round_one_bodies, settle
from searchapp.search_request import SearchRequest


def count_many(
    requests: list[SearchRequest],
    engine: Engine,
    ranking: RankingConfig,
    settings: Settings,
    model: QueryModel,
    chunk: int = 200,
    known_values: Callable[[QueryFilters], dict[str, list[str]]] | None = None,
) -> list[dict]:
    """The totals ``search()`` reports for each keyword request, in ``len/chunk`` msearch calls.

    Each request is counted (``build_count_body`` over the candidate query) exactly as ``search()``
    counts it, without ranking or fetching a page; ``chunk`` count requests go in one msearch. Returns,
    per request: ``{"totals", "warnings", "error"}``; a term the engine rejects gets its error (the
    others still count), an engine failure fails the whole call.
    """
    if any(r.mode != "keyword" for r in requests):
        raise ValueError("count_many counts keyword searches (semantic ones need a model call each)")
    plans = [plan_search(r, ranking, settings, model, known_values) for r in requests]
    rows: list[dict] = [{"totals": None, "warnings": warnings_of(p.parsed), "error": None} for p in plans]
    pending: dict[int, dict] = {}
    for i, plan in enumerate(plans):
        if plan.nothing_to_search:
            rows[i]["totals"] = dict(NOTHING_TOTALS)
        else:
            pending[i] = build_count_body(candidate_query(plan, []), None, facets=False)
    todo = list(pending)
    for start in range(0, len(todo), max(1, chunk)):
        part = {i: pending[i] for i in todo[start : start + max(1, chunk)]}
        for i, response in engine.msearch(part, item_errors=True).items():
            if isinstance(response, SearchError):
                rows[i]["error"] = {"code": response.code, "message": response.message}
            else:
                rows[i]["totals"] = read_totals(response, plans[i].mode)
    return rows


def matching_queries(
    requests: list[SearchRequest],
    engine: Engine,
    ranking: RankingConfig,
    settings: Settings,
    model: QueryModel,
    background: Callable[[], Background] | None = None,
) -> list[dict | None]:
    """The query for every passage each request matches (the page's candidates, which its counts
    describe), their semantic and partial sets read in one msearch; None where the typed text left
    nothing to search."""
    plans = [plan_search(request, ranking, settings, model, background=background) for request in requests]
    bodies = {
        (i, name): body
        for i, plan in enumerate(plans)
        if not plan.nothing_to_search
        for name, body in round_one_bodies(plan).items()
    }
    answers: dict[int, dict[str, dict]] = {i: {} for i in range(len(plans))}
    for (i, name), response in engine.msearch(bodies).items():
        answers[i][name] = response
    return [
        None if plan.nothing_to_search else settle(plan, answers[i], engine).query
        for i, plan in enumerate(plans)
    ]
