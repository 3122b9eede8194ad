"""Stage 6 of a search: the result envelope (documented in ``searchapp/openapi.py``).

The request as understood (mode, sort, page, warnings), the totals and the result list, the facets and
the histogram, and ``took_ms`` since planning began; ``SearchService.search`` adds ``timing``.
"""

from __future__ import annotations

import time

from searchapp.counting import read_facets, read_histogram, read_totals, read_versions
from searchapp.missing_words import missing_for
from searchapp.query_model import ParsedQuery
from searchapp.search.expansions import expansions
from searchapp.search.result_rows import result_row
from searchapp.search.values import Page, SearchPlan

NOTHING_TOTALS = {  # the totals of a query that left nothing to search (``count_many`` reports the same)
    "documents": 0,
    "groups": 0,
    "passages": 0,
    "exact": True,
    "all_words_documents": 0,
    "some_words_documents": 0,
    "related_documents": 0,
    "related_capped": False,
    "partial_capped": False,
}


def build_envelope(page: Page) -> dict:
    """The envelope of a read page; results whose passages were deleted since round one are left out."""
    plan = page.ranked.candidates.plan
    request = plan.request
    versions = read_versions(page.counts)
    results = []
    for _, score, passages in page.ranked.results:
        present = [
            (h.passage_id, page.sources[h.passage_id], s) for h, s in passages if h.passage_id in page.sources
        ]
        if not present:
            continue  # deleted between the two requests
        lacking = (
            missing_for([p for p, _, _ in present], page.missing, plan.parsed)
            if page.missing is not None
            else None
        )
        found = result_row(present, score, page.highlights, lacking, page.parts)
        if request.dedupe and request.group == "document":
            group = passages[0][0].group_key
            found["dup_group"] = group
            found["similar_versions"] = max(0, versions.get(group, 1) - 1)
        results.append(found)
    totals = read_totals(page.counts, plan.mode)
    totals["related_capped"] = page.ranked.candidates.related_capped
    totals["partial_capped"] = plan.partial_capped
    if request.group == "passage":
        total = totals["passages"]
    else:
        total = totals["groups"] if request.dedupe else totals["documents"]
    envelope = _header(plan)
    shown = [row.get("title") or "" for row in results]
    shown += [passage.get("text") or "" for row in results for passage in row.get("passages", [])]
    envelope.update(
        expansions=expansions(plan.parsed, shown, plan.stemmer),
        total=total,
        totals=totals,
        results=results,
        facets=read_facets(page.counts, plan.selected) if request.facets else {},
        histogram=read_histogram(page.counts) if request.facets else None,
    )
    envelope["took_ms"] = round((time.perf_counter() - plan.started) * 1000, 1)
    return envelope


def nothing_found(plan: SearchPlan) -> dict:
    """The envelope of a query that left nothing to search (no round trip)."""
    envelope = _header(plan)
    envelope.update(total=0, totals=dict(NOTHING_TOTALS), results=[], facets={}, histogram=None)
    envelope["took_ms"] = round((time.perf_counter() - plan.started) * 1000, 1)
    return envelope


def warnings_of(parsed: ParsedQuery) -> list[dict]:
    """The parser's warnings as the envelope carries them (code, the text as typed, en + id messages)."""
    return [
        {"code": w.code, "text": w.text, "message": {"en": w.message_en, "id": w.message_id}}
        for w in parsed.warnings
    ]


def _header(plan: SearchPlan) -> dict:
    request = plan.request
    return {
        "query": request.q,
        "mode": plan.mode,
        "sort": request.sort,
        "page": request.page,
        "size": request.size,
        "group": request.group,
        "dedupe": request.dedupe,
        "exact": request.exact,
        "expansions": [],
        "warnings": warnings_of(plan.parsed),
    }
