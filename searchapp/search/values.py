"""The values a search hands from stage to stage: request → plan → candidates → ranked page → page.

Plain frozen records, read by the next stage and never asked to compute anything (no properties), so
each stage is a function of the previous one's value and the engine (``searchapp/search/__init__.py``).
They live apart from the stages because each stage module imports the next one to hand its value on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from searchapp.query_model import ParsedQuery, QueryFilters, Unit
from searchapp.ranking import Hit, RankingConfig
from searchapp.search_request import SearchRequest

Result = tuple[str, float, list[tuple[Hit, float]]]
"""One result in final order: its key (doc_id, or passage_id), its score, its passages (best first)."""


@dataclass(frozen=True)
class FacetScope:
    """A facet with selected values: the keyword query and the filters of the same search without that
    facet's own selection (``counting`` counts the facet over them: the post-filter pattern)."""

    keyword_query: dict | None
    filter_clauses: list[dict]  # what narrows the related set in this scope
    all_words_query: dict | None = None  # hybrid: its passages holding every word


@dataclass(frozen=True)
class SearchPlan:
    """A request turned into what Elasticsearch is asked (``plan.plan_search``)."""

    request: SearchRequest
    parsed: ParsedQuery
    filters: QueryFilters  # the request's and the query's (``source:`` etc.)
    mode: str  # the request's, or keyword when the query has nothing to embed
    ranking: RankingConfig
    keyword_query: dict | None  # None in semantic mode; in hybrid it takes partial matches too
    all_words_query: dict | None  # hybrid: the passages holding every word (the header's first part)
    partial_set_query: dict | None  # hybrid: the partial matches without filters (read as the partial set)
    knn: dict | None  # None in keyword mode: the nearest passages, unfiltered (the semantic scale)
    related_knn: dict | None  # the related set when it is larger than ``knn`` holds: above ``floor``
    floor: float | None  # the query's relevance floor, a cosine similarity (None: nothing is related)
    filter_clauses: list[dict]  # the filters, which narrow the related set
    facet_scopes: dict[str, FacetScope]  # per facet with selected values, when the request counts facets
    selected: dict[str, list[str]]  # the selected values of each facet
    unit_query: Callable[[Unit], dict]  # what one query word matches, as keyword search matches it
    nothing_to_search: bool  # typed text that left no term, phrase, exclusion or filter (a lone ``-``)
    started: float  # ``time.perf_counter()`` when planning began (the envelope's ``took_ms``)
    stemmer: Callable[[str], str] | None = None  # what keyword search stems words with (None: exact forms)
    window_query: dict | None = None  # hybrid: what the BM25 window is read (and scored) with
    partial_ids: frozenset[str] | None = None  # hybrid after round one: the partial set (``retrieve``)
    partial_capped: bool = False  # the partial set reached ``RankingConfig.partial_max`` (it may hold more)


@dataclass(frozen=True)
class Candidates:
    """Round one's answer (``retrieve.retrieve``): the passages the mode matched."""

    plan: SearchPlan
    keyword_hits: list[Hit]  # the BM25 window, best first
    semantic_hits: list[Hit]  # the related set under the filters, closest first
    nearest: list[Hit]  # the nearest passages, unfiltered, whatever the floor (the semantic side's scale)
    related: list[Hit]  # the related set without filters (facet scopes narrow it their own way)
    related_capped: bool  # the related set reached ``RankingConfig.related_max`` (it may hold more)
    window: int  # BM25 passages asked for
    keyword_read: int  # BM25 passages the window held (before hybrid kept its keyword set's)
    query: dict  # the candidate query: every passage the mode matched (counted, sorted by date)
    facet_queries: dict[str, dict]  # per facet scope: the candidate query without the facet's selection


@dataclass(frozen=True)
class RankedPage:
    """The results of the asked page in final order (``rank.rank_page``)."""

    candidates: Candidates
    results: list[Result]


@dataclass(frozen=True)
class Page:
    """Round two's answer (``page.read_page``): what the envelope is made of."""

    ranked: RankedPage
    counts: dict  # the count response (``counting``)
    sources: dict[str, dict]  # passage id → stored fields, for the shown passages
    highlights: dict[str, dict]  # passage id → its highlight fragments
    missing: dict[str, set[str]] | None  # passage id → query words it lacks; None in keyword mode
    parts: dict[str, str]  # passage id → the part of the set it belongs to (``search.parts``)
