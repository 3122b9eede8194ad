"""Stage 5 of a search: round two, what the asked page shows.

One msearch: the counts over the candidate query (totals, facets under the other facets' selections,
the histogram, each shown near-duplicate group's size: ``searchapp.counting``; the names' facets apart,
so both cores count), the shown passages with their highlights and (hybrid) the part of the set each
is in (``search.parts``), and (semantic and hybrid) which query words each shown passage lacks
(``searchapp.missing_words``). ``read_page`` hands the page on to ``envelope.build_envelope``.
"""

from __future__ import annotations

from searchapp.counting import build_count_body, merge_counts, split_names_facets
from searchapp.missing_words import build_missing_body, read_missing
from searchapp.query_builder import build_highlight
from searchapp.search.engine import Engine
from searchapp.search.envelope import build_envelope
from searchapp.search.parts import part_queries, read_parts
from searchapp.search.result_rows import matched_names, passages_body
from searchapp.search.values import Page, RankedPage


def read_page(ranked: RankedPage, engine: Engine) -> dict:
    """Round two for the ranked page; returns its envelope."""
    candidates = ranked.candidates
    plan = candidates.plan
    request = plan.request
    shown = [h.passage_id for _, _, passages in ranked.results for h, _ in passages]
    leaders = [passages[0][0] for _, _, passages in ranked.results] if request.dedupe else []
    counts, names_facets = split_names_facets(
        build_count_body(
            candidates.query,
            plan.all_words_query,
            request.facets,
            [h.group for h in leaders if h.group],
            facet_scopes=candidates.facet_queries,
            selected=plan.selected,
            some_words_query=plan.keyword_query if plan.all_words_query is not None else None,
        )
    )
    bodies = {"counts": counts}
    if names_facets is not None:
        bodies["names facets"] = names_facets
    if shown:
        bodies["passages"] = passages_body(shown, part_queries(plan))
        if request.highlight and plan.parsed.highlight_terms:
            bodies["passages"]["highlight"] = build_highlight(plan.parsed)
    if plan.mode != "keyword" and shown:
        missing_body = build_missing_body(plan.parsed, shown, plan.unit_query)
        if missing_body is not None:
            bodies["missing"] = missing_body
    responses = engine.msearch(bodies)
    passages = responses["passages"]["hits"]["hits"] if shown else []
    return build_envelope(
        Page(
            ranked=ranked,
            counts=merge_counts(responses["counts"], responses.get("names facets")),
            sources={h["_id"]: h["_source"] for h in passages},
            highlights={h["_id"]: h.get("highlight", {}) for h in passages},
            missing=read_missing(plan.parsed, responses["missing"]) if "missing" in responses else None,
            parts=read_parts(plan, matched_names(responses["passages"]) if shown else {}, shown),
        )
    )
