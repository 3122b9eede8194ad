"""The screen's result list as export rows: the search's plan, candidates and order, without a page.

Every matching passage, similar versions included (each row names its ``dup_group``), in the order the
screen shows the documents; the rows' text is read ``EXPORT_BATCH`` passages at a time while the
response streams.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from arsip.settings import Settings
from searchapp.counting import build_count_body, read_totals
from searchapp.ranking import RankingConfig
from searchapp.relatedness import Background
from searchapp.search.candidates import MAX_WINDOW
from searchapp.search.engine import Engine
from searchapp.search.parts import part_queries, read_parts
from searchapp.search.plan import plan_search
from searchapp.search.rank import order
from searchapp.search.readiness import QueryModel
from searchapp.search.result_rows import export_row, matched_names, passages_body
from searchapp.search.retrieve import retrieve
from searchapp.search.values import SearchPlan
from searchapp.search_request import SearchRequest

EXPORT_BATCH = 500  # passages fetched per request while an export streams


def export(
    request: SearchRequest,
    limit: int | None,
    engine: Engine,
    ranking: RankingConfig,
    settings: Settings,
    model: QueryModel,
    background: Callable[[], Background] | None = None,
) -> tuple[dict, Iterator[dict]]:
    """A summary (passages and documents found, rows written, whether the cap cut the list), then the
    rows: one per matching passage, documents in the screen's order (``rank``), each with all its
    matching passages, best first, up to ``limit`` rows (``ARSIP_EXPORT_LIMIT``, at most 10,000)."""
    limit = max(1, min(limit or settings.export_limit, settings.export_limit, MAX_WINDOW))
    # Every matching document, similar versions included; no facet counts, so no facet scopes.
    plan = plan_search(
        replace(request, page=1, dedupe=False, facets=False), ranking, settings, model, background=background
    )
    summary = {"passages": 0, "documents": 0, "rows": 0, "capped": False, "limit": limit}
    if plan.nothing_to_search:
        return summary, iter(())
    candidates = retrieve(plan, engine, limit)
    results = order(candidates, engine, 0, None)
    counts = engine.msearch({"counts": build_count_body(candidates.query, None, False)})["counts"]
    rows = [
        (rank, h.passage_id, score)
        for rank, (_, _, passages) in enumerate(results, 1)
        for h, score in passages
    ]
    rows = rows[:limit]
    totals = read_totals(counts, plan.mode)
    summary.update(
        passages=totals["passages"],
        documents=totals["documents"],
        rows=len(rows),
        capped=len(rows) < totals["passages"],
    )
    return summary, _rows(engine, candidates.plan, rows)  # the plan with the partial matches' floor


def _rows(engine: Engine, plan: SearchPlan, rows: list[tuple[int, str, float]]) -> Iterator[dict]:
    """The export rows of ``(rank, passage_id, score)``, their stored fields and parts of the set read a
    batch at a time."""
    for start in range(0, len(rows), EXPORT_BATCH):
        batch = rows[start : start + EXPORT_BATCH]
        ids = [pid for _, pid, _ in batch]
        responses = engine.msearch({"passages": passages_body(ids, part_queries(plan))})
        sources = {h["_id"]: h["_source"] for h in responses["passages"]["hits"]["hits"]}
        parts = read_parts(plan, matched_names(responses["passages"]), ids)
        for rank, pid, score in batch:
            if pid in sources:  # a passage deleted since the ranking was read is left out
                yield export_row(rank, pid, sources[pid], score, parts[pid])
