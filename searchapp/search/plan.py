"""Stage 2 of a search: the request (``SearchRequest``) turned into a ``SearchPlan``.

The plan holds everything Elasticsearch will be asked, built before the search's own round trips: the
parsed query and its filters, the mode, the keyword queries (with the ranking's field boosts, term
matching and stemming; in hybrid every word and the partial matches), the kNN sections (the query
embedded once) with the query's relevance floor (from the index's background sample, read once and
kept: ``search.background``), the facet scopes, and how one query word is matched (for the words a
result lacks). The façade hands the plan to ``retrieve.retrieve_page``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from arsip.settings import Settings
from arsip.stemming import stem
from arsip.stop_words import stop_words
from searchapp.counting import UNDATED_SCOPE
from searchapp.facets import FACETS
from searchapp.query_builder import (
    DEFAULT_FIELDS,
    build_filter_clauses,
    build_keyword_query,
    build_knn,
    build_unit_query,
)
from searchapp.query_model import ParsedQuery, QueryFilters
from searchapp.query_parser import parse_query
from searchapp.query_warnings import make_warning
from searchapp.ranking import RankingConfig
from searchapp.relatedness import Background, floor_margin
from searchapp.search.candidates import ALL_WORDS
from searchapp.search.known_values import filters_by_facet, unknown_value_warnings
from searchapp.search.readiness import QueryModel
from searchapp.search.values import FacetScope, SearchPlan
from searchapp.search_request import SearchRequest
from searchapp.stop_word_queries import stop_words_searched_exactly


def plan_search(
    request: SearchRequest,
    ranking: RankingConfig,
    settings: Settings,
    model: QueryModel,
    known_values: Callable[[QueryFilters], dict[str, list[str]]] | None = None,
    background: Callable[[], Background] | None = None,
) -> SearchPlan:
    """The plan of ``request``; outside keyword mode the query is embedded here (``model``) and its
    relevance floor set against the index's ``background`` sample (``searchapp.relatedness``).

    ``known_values`` (the facets' values in the index, asked only when the search filters by one) adds a
    warning for each filter value no document has."""
    started = time.perf_counter()
    parsed = stop_words_searched_exactly(parse_query(request.q), stop_words(settings.stopwords))
    filters = request.filters.merge(parsed.filters)
    reversed_range = filters.date_from and filters.date_to and filters.date_from > filters.date_to
    if reversed_range and not any(w.code == "date_range_reversed" for w in parsed.warnings):
        # URL dates the wrong way round match nothing, said as typed ones are (not refused: issue 21)
        said = make_warning("date_range_reversed", f"{filters.date_from} … {filters.date_to}")
        parsed = replace(parsed, warnings=[*parsed.warnings, said])
    if known_values is not None and filters_by_facet(filters):
        unknown = unknown_value_warnings(filters, known_values(filters))
        parsed = replace(parsed, warnings=[*parsed.warnings, *unknown])
    mode = request.mode
    if parsed.is_empty and mode != "keyword":
        mode = "keyword"  # filters only: nothing to embed, browse by filters
    exact = request.exact
    keyword = all_words = partial_set_query = window_query = None
    keyword_ranking = ranking
    if mode == "hybrid" and ranking.minimum_should_match is None and ranking.partial_match:
        # hybrid also takes the best partial matches (``RankingConfig.partial_match``): read with the
        # words' BM25 query here, the partial set once round one knows the best score
        keyword_ranking = replace(ranking, minimum_should_match=ranking.partial_match)
    if mode != "semantic":
        all_words = keyword = keyword_query(parsed, filters, ranking, settings, exact)
        if keyword_ranking is not ranking:
            # scored by their words alone: a phrase bonus of the best match would lift the floor above
            # passages that hold one word of two
            keyword = keyword_query(parsed, filters, keyword_ranking, settings, exact, phrase_boost=0)
            partial_set_query = keyword_query(
                parsed, QueryFilters(), keyword_ranking, settings, exact, phrase_boost=0
            )
            window_query = named_all_words(keyword, all_words)
    knn = related_knn = floor = None
    if mode != "keyword":
        vector = model.query_vector(parsed.semantic_text)
        # the related set is the query's alone: no page, sort or filter changes it (filters narrow it
        # afterwards), so every count, facet and export describes the very set the list shows
        knn = build_knn(vector, None, ranking.semantic_k, ranking.num_candidates, parsed=parsed)
        floor = _floor(vector, request.related, background)
        related_knn = build_knn(vector, None, ranking.related_max, ranking.related_max, parsed=parsed)
        if floor is not None:
            related_knn["similarity"] = floor
    nothing_to_search = (
        bool(request.q.strip()) and parsed.is_empty and not parsed.excluded and filters.is_empty
    )
    return SearchPlan(
        request=request,
        parsed=parsed,
        filters=filters,
        mode=mode,
        ranking=ranking,
        keyword_query=keyword,
        all_words_query=all_words if mode == "hybrid" else None,
        partial_set_query=partial_set_query,
        window_query=window_query,
        knn=knn,
        related_knn=related_knn,
        floor=floor,
        filter_clauses=build_filter_clauses(filters),
        facet_scopes=_facet_scopes(
            request, parsed, filters, keyword is not None, keyword_ranking, settings, ranking
        ),
        selected={
            facet.name: list(getattr(filters, facet.selects))
            for facet in FACETS
            if getattr(filters, facet.selects)
        },
        unit_query=partial(
            build_unit_query,
            fields=ranking.fields or DEFAULT_FIELDS,
            stem=None if exact else _stemmer(ranking, settings),
        ),
        nothing_to_search=nothing_to_search,
        started=started,
        stemmer=None if exact or mode == "semantic" else _stemmer(ranking, settings),
    )


def keyword_query(
    parsed: ParsedQuery,
    filters: QueryFilters,
    ranking: RankingConfig,
    settings: Settings,
    exact: bool = False,
    phrase_boost: float | None = None,
) -> dict:
    """The BM25 query with the ranking's field boosts and term matching, stemmed where the ranking, the
    index and the request (``exact``: the typed forms only) all allow it; ``phrase_boost`` 0 leaves out
    the bonus for the words as a phrase."""
    extra: dict = {"minimum_should_match": ranking.minimum_should_match}
    if phrase_boost is not None:
        extra["phrase_boost"] = phrase_boost
    if ranking.fields:
        extra["fields"] = ranking.fields
    if ranking.keyword_analyzer:
        extra["analyzer"] = ranking.keyword_analyzer
    stemmer = None if exact else _stemmer(ranking, settings)
    if stemmer is not None and parsed.terms:
        extra["stemmed_terms"] = stemmer(" ".join(parsed.terms))
    return build_keyword_query(parsed, filters, **extra)


def named_all_words(partial: dict, all_words: dict) -> dict:
    """``partial``, scored as it is, with each hit that holds every word named ``ALL_WORDS`` (its
    ``matched_queries``): the BM25 window keeps those and the partial set (``candidates.partial_window``)."""
    named = {"constant_score": {"filter": all_words, "boost": 0, "_name": ALL_WORDS}}
    return {"bool": {"must": [partial], "should": [named]}}


def _stemmer(ranking: RankingConfig, settings: Settings) -> Callable[[str], str] | None:
    """The stemmer keyword search matches word roots with; None when the ranking or the index has none."""
    return stem if ranking.stemming and settings.stemming != "none" else None


def _floor(vector, related: str, background: Callable[[], Background] | None) -> float | None:
    """The query's relevance floor (a cosine similarity); None without a background (nothing is related
    in an index with no passages to compare with)."""
    if background is None:
        return None
    return background().floor(vector, floor_margin(related))


def _facet_scopes(
    request: SearchRequest,
    parsed: ParsedQuery,
    filters: QueryFilters,
    keyword: bool,
    ranking: RankingConfig,
    settings: Settings,
    all_words_ranking: RankingConfig,
) -> dict[str, FacetScope]:  # ``ranking``: the keyword side's (partial matches in hybrid)
    """Per facet with selected values: the same search without that facet's own selection; and, under a
    date range that leaves undated documents out, ``date``: the search without its range (counting finds
    there how many undated documents the range hides).

    The related set does not depend on filters, so a scope narrows the same set with fewer filters: a
    value's count is what selecting it gives, and another filter can only lower it.
    """
    if not request.facets:
        return {}
    widened = {
        facet.name: replace(filters, **{facet.selects: []})
        for facet in FACETS
        if getattr(filters, facet.selects)
    }
    if (filters.date_from or filters.date_to) and not filters.include_undated:
        widened[UNDATED_SCOPE] = replace(filters, date_from=None, date_to=None)
    scopes: dict[str, FacetScope] = {}
    for name, others in widened.items():
        scope_keyword = scope_all_words = None
        if keyword:
            partial = ranking is not all_words_ranking
            scope_keyword = keyword_query(
                parsed, others, ranking, settings, request.exact, phrase_boost=0 if partial else None
            )
            scope_all_words = keyword_query(parsed, others, all_words_ranking, settings, request.exact)
        scopes[name] = FacetScope(scope_keyword, build_filter_clauses(others), scope_all_words)
    return scopes
