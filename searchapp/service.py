"""The search service: one search function for the API, the UI, the CLI, the export and the evaluation.

A search is four small steps, each its own module (the shape of Aleph's ``aleph/search/``):
URL arguments → ``SearchRequest`` (``search_request``) → parsed query with warnings (``query_parser``) →
Elasticsearch requests (``query_builder``, ``counting``, ``missing_words``) → one ranking
(``ranking``) → the result envelope (``envelope``, documented in ``openapi``).

Round trips for a page: (1) one msearch for the BM25 passages and the semantic set (the ``semantic_k``
nearest passages above the similarity floor); (2) one msearch for the counts over the candidates, the
shown passages with their highlights, and which query words each shown passage lacks. A date-sorted
page adds one request: the candidates sorted by date. Totals never depend on the page (``counting``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

from elasticsearch import ConnectionTimeout, Elasticsearch, NotFoundError
from flask_babel import lazy_gettext as _l

from arsip import index_admin
from arsip.es_client import ENGINE_ERRORS, describe_engine_error, make_client
from arsip.model.encoder import Encoder
from arsip.model.loader import load_encoder
from arsip.settings import Settings
from arsip.stemming import stem
from searchapp.counting import build_count_body, read_facets, read_histogram, read_totals, read_versions
from searchapp.envelope import DOC_FIELDS, SOURCE_FIELDS, export_row, result
from searchapp.errors import SearchError, index_missing_error, subsearch_error
from searchapp.missing_words import build_missing_body, missing_for, read_missing
from searchapp.query_builder import (
    DEFAULT_FIELDS,
    MAX_NUM_CANDIDATES,
    build_highlight,
    build_keyword_query,
    build_knn,
    build_unit_query,
)
from searchapp.query_parser import ParsedQuery, QueryFilters, Unit, parse_query
from searchapp.ranking import (
    PASSAGES_PER_DOCUMENT,
    Hit,
    RankingConfig,
    collapse_versions,
    group_by_document,
    rank_passages,
)
from searchapp.search_request import MAX_SIZE, SearchRequest, range_message
from searchapp.timing import embedding, engine_round_trip, timed_request

log = logging.getLogger("arsip.search")
SIMILAR_OVERFETCH = 5
"""Nearest passages read per similar document asked for: a document's passages often sit together."""
MAX_ID_BYTES = 512  # Elasticsearch's limit on an _id: a longer id names nothing (and may not fit a URL)
MAX_WINDOW = 10_000  # Elasticsearch's index.max_result_window: the most passages one ranking reads
EXPORT_BATCH = 500  # passages fetched per request while an export streams
MODEL_CHECK_TTL_S = 10.0
# Pauses before retrying a search whose sub-search failed on the engine's side (a node leaving).
TRANSIENT_RETRY_PAUSES_S = (0.2, 1.0)
DATE_ORDER = {"newest": "desc", "oldest": "asc"}
RANKING_FIELDS = ["doc_id", "dup_group"]  # what ranking reads of each candidate (text comes later)
NOTHING_TOTALS = {  # the totals of a query that left nothing to search (search() reports the same)
    "documents": 0,
    "groups": 0,
    "passages": 0,
    "exact": True,
    "all_words_documents": 0,
    "related_documents": 0,
}
FACET_FILTERS = {"source": "sources", "collection": "collections", "language": "languages"}
"""Facet name → the ``QueryFilters`` list that selects its values (OR within, AND across facets)."""


@dataclass(frozen=True)
class _Plan:
    """A request turned into what Elasticsearch is asked: the keyword query and the kNN section."""

    request: SearchRequest
    parsed: ParsedQuery
    filters: QueryFilters
    mode: str
    keyword_query: dict | None
    knn: dict | None

    @property
    def nothing_to_search(self) -> bool:
        """Typed text that left no term, phrase, exclusion or filter (e.g. a lone ``-``)."""
        return (
            bool(self.request.q.strip())
            and self.parsed.is_empty
            and not self.parsed.excluded
            and self.filters.is_empty
        )


def _candidate_query(plan: _Plan, semantic_hits: list[Hit]) -> dict:
    """The passages the mode matched: BM25 matches, the semantic set, or (hybrid) their union."""
    return _union(plan.keyword_query, semantic_hits if plan.knn is not None else None)


def _union(keyword_query: dict | None, semantic_hits: list[Hit] | None) -> dict:
    """BM25 matches (``keyword_query``), a semantic set (``semantic_hits``), or their union."""
    if semantic_hits is None:
        assert keyword_query is not None
        return keyword_query
    semantic = {
        "constant_score": {"filter": {"ids": {"values": [h.passage_id for h in semantic_hits]}}, "boost": 0}
    }
    if keyword_query is None:
        return semantic
    return {"bool": {"should": [keyword_query, semantic], "minimum_should_match": 1}}


def _warnings(parsed: ParsedQuery) -> list[dict]:
    """The parser's warnings as the envelope carries them (code, the text as typed, en + id messages)."""
    return [
        {"code": w.code, "text": w.text, "message": {"en": w.message_en, "id": w.message_id}}
        for w in parsed.warnings
    ]


class SearchService:
    """Runs searches, document look-ups, similar-passage look-ups and exports against the alias."""

    def __init__(
        self,
        settings: Settings,
        es: Elasticsearch | None = None,
        embedder: Encoder | None = None,
        ranking: RankingConfig | None = None,
    ) -> None:
        self.settings = settings
        self.index = settings.index
        self.es = es or make_client(
            settings, request_timeout=settings.search_timeout, retry_on_timeout=False, for_search=True
        )
        self._embedder = embedder
        self.ranking = ranking or RankingConfig()
        self._model_checked_until = 0.0

    # ----------------------------------------------------------------- helpers
    @property
    def embedder(self) -> Encoder:
        if self._embedder is None:
            self._embedder = load_encoder(self.settings)
        return self._embedder

    def _engine_error(self, exc: Exception) -> SearchError:
        """The user-facing error for an engine failure, logged as one line (no traceback, no secrets)."""
        error = self._describe_engine_error(exc)
        log.warning("search failed: %s (%s)", error.message, error.code)
        return error

    def _describe_engine_error(self, exc: Exception) -> SearchError:
        if isinstance(exc, NotFoundError):
            return index_missing_error(self.index)
        if isinstance(exc, ConnectionTimeout):  # a stalled or overloaded cluster: the gateway timed out
            return SearchError(504, "engine_timeout", describe_engine_error(exc, self.settings))
        return SearchError(503, "engine_unavailable", describe_engine_error(exc, self.settings))

    def check_model(self) -> None:
        """Refuse to run semantic search with a model other than the one that built the index.

        A successful check is trusted for ``MODEL_CHECK_TTL_S`` (one mapping request less per search);
        a rebuilt index with another model is noticed within that time.
        """
        if time.monotonic() < self._model_checked_until:
            return
        try:
            index_admin.check_model(self.es, self.index, self.embedder.identity)
            self._model_checked_until = time.monotonic() + MODEL_CHECK_TTL_S
        except index_admin.ModelMismatch as exc:
            raise SearchError(409, "model_mismatch", str(exc)) from None
        except index_admin.IndexMissing as exc:
            raise SearchError(503, "index_missing", str(exc)) from None
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None

    def keyword_query(self, parsed: ParsedQuery, filters: QueryFilters) -> dict:
        """The BM25 query with this service's field boosts and term matching."""
        extra: dict = {"minimum_should_match": self.ranking.minimum_should_match}
        if self.ranking.fields:
            extra["fields"] = self.ranking.fields
        if self.ranking.keyword_analyzer:
            extra["analyzer"] = self.ranking.keyword_analyzer
        if self.ranking.stemming and self.settings.stemming != "none" and parsed.terms:
            extra["stemmed_terms"] = stem(" ".join(parsed.terms))
        return build_keyword_query(parsed, filters, **extra)

    def unit_query(self, unit: Unit) -> dict:
        """What one query word (or phrase, or OR group) matches, the way keyword search matches it."""
        stemmer = stem if self.ranking.stemming and self.settings.stemming != "none" else None
        return build_unit_query(unit, self.ranking.fields or DEFAULT_FIELDS, stem=stemmer)

    def _plan(self, request: SearchRequest) -> _Plan:
        parsed = parse_query(request.q)
        filters = request.filters.merge(parsed.filters)
        mode = request.mode
        if parsed.is_empty and mode != "keyword":
            mode = "keyword"  # filters only: nothing to embed, browse by filters
        keyword_query = self.keyword_query(parsed, filters) if mode != "semantic" else None
        knn = None
        if mode != "keyword":
            self.check_model()
            with embedding():
                vector = self.embedder.encode_query(parsed.semantic_text).tolist()
            config = self.ranking
            knn = build_knn(vector, filters, config.semantic_k, config.num_candidates, parsed=parsed)
            if config.semantic_floor is not None:
                knn["similarity"] = config.semantic_floor
        return _Plan(request, parsed, filters, mode, keyword_query, knn)

    def _header(self) -> dict:
        header = {"index": self.index}
        if self.ranking.dfs:
            header["search_type"] = "dfs_query_then_fetch"
        return header

    def _msearch(self, bodies: list[dict]) -> list[dict]:
        """One msearch; retried briefly when a sub-search failed on the engine's side.

        msearch answers 200 even when a sub-search failed, so the transport's own retries never see
        such failures. A shard copy on a node that is leaving the cluster fails that way
        (``search_phase_execution_exception``, status 5xx, or 400 when it cancels the shard requests)
        until the cluster notices; another try a moment later reaches a live copy.
        """
        searches: list[dict] = []
        for body in bodies:
            searches += [self._header(), body]
        for pause in (*TRANSIENT_RETRY_PAUSES_S, None):
            started = time.perf_counter()
            answer = self.es.msearch(searches=searches)
            engine_round_trip(answer.get("took", 0), (time.perf_counter() - started) * 1000)
            responses = answer["responses"]
            failed = next((r for r in responses if "error" in r), None)
            if failed is None:
                return responses
            transient, error = subsearch_error(failed, self.index)
            if not transient:
                raise error
            if pause is not None:
                log.info("sub-search failed (%s); retrying in %.1f s", error.message, pause)
                time.sleep(pause)
        log.warning("search failed: %s (%s)", error.message, error.code)
        raise error

    # ----------------------------------------------------------------- candidates and order
    def _keyword_body(self, plan: _Plan, size: int) -> dict:
        return {
            "query": plan.keyword_query,
            "size": size,
            "_source": RANKING_FIELDS,
            "track_total_hits": False,
        }

    def _window(self, passages: int) -> int:
        """BM25 passages to read: at least the reference window, at most what Elasticsearch pages."""
        return min(MAX_WINDOW, max(passages, self.ranking.reference_window))

    def _candidates(self, plan: _Plan, window: int) -> tuple[list[Hit], list[Hit]]:
        """Round 1: the ``window`` best BM25 passages and the whole semantic set (ids and scores)."""
        keyword_hits, semantic_hits, _ = self._round_one(plan, window, [])
        return keyword_hits, semantic_hits

    def _round_one(
        self, plan: _Plan, window: int, facet_knns: list[dict]
    ) -> tuple[list[Hit], list[Hit], list[list[Hit]]]:
        """``_candidates``, plus the semantic set of each of ``facet_knns`` in the same msearch."""
        bodies = []
        if plan.keyword_query is not None:
            bodies.append(self._keyword_body(plan, self._window(window)))
        if plan.knn is not None:
            bodies.append({"knn": plan.knn, "size": plan.knn["k"], "_source": RANKING_FIELDS})
        bodies += [{"knn": knn, "size": knn["k"], "_source": RANKING_FIELDS} for knn in facet_knns]
        responses = iter(self._msearch(bodies))
        keyword_hits = _hits(next(responses), "keyword") if plan.keyword_query is not None else []
        semantic_hits = _hits(next(responses), "semantic") if plan.knn is not None else []
        facet_hits = [_hits(next(responses), "semantic") for _ in facet_knns]
        return keyword_hits, semantic_hits, facet_hits

    def _facet_scopes(self, plan: _Plan) -> dict[str, tuple[dict | None, dict | None]]:
        """Per facet with selected values: the keyword query and kNN section of the same search without
        that facet's own selection (``counting`` counts the facet over those: the post-filter pattern).

        The kNN runs again because the semantic set is the nearest passages *that pass the filters*:
        without one facet's selection it holds other passages, not a subset.
        """
        scopes: dict[str, tuple[dict | None, dict | None]] = {}
        if not plan.request.facets:
            return scopes
        for name, attr in FACET_FILTERS.items():
            if not getattr(plan.filters, attr):
                continue
            filters = replace(plan.filters, **{attr: []})
            keyword = self.keyword_query(plan.parsed, filters) if plan.keyword_query is not None else None
            knn = None
            if plan.knn is not None:
                config = self.ranking
                knn = build_knn(
                    plan.knn["query_vector"],
                    filters,
                    config.semantic_k,
                    config.num_candidates,
                    parsed=plan.parsed,
                )
                if "similarity" in plan.knn:
                    knn["similarity"] = plan.knn["similarity"]
            scopes[name] = (keyword, knn)
        return scopes

    def candidates(
        self, parsed: ParsedQuery, filters: QueryFilters, mode: str, window: int
    ) -> tuple[list[Hit], list[Hit]]:
        """The BM25 passages and the semantic set for a parsed query (for the tuning scripts)."""
        request = SearchRequest(q=parsed.raw, mode=mode)
        plan = self._plan(request)
        plan = _Plan(request, parsed, filters, mode, plan.keyword_query, plan.knn)
        try:
            return self._candidates(plan, window)
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None

    def _ordered(
        self,
        plan: _Plan,
        keyword_hits: list[Hit],
        semantic_hits: list[Hit],
        needed: int,
        per_document: int | None,
        window: int,
    ) -> list[tuple[str, float, list[tuple[Hit, float]]]]:
        """Results in final order (documents, or single passages), at least ``needed`` where they exist.

        Relevance: ``rank_passages`` over the candidates; newest/oldest: the candidates sorted by date,
        each with its relevance score. While the list is short of ``needed`` and more candidates exist,
        twice as many are read: that only appends to the list's tail (``searchapp/ranking.py``).
        """
        request = plan.request
        window = self._window(window)
        by_date = request.sort in DATE_ORDER
        if by_date:
            ranked = rank_passages(plan.mode, keyword_hits, semantic_hits, self.ranking, request.fusion)
            scores = {hit.passage_id: score for hit, score in ranked}
        while True:
            if by_date:
                ranked, read = self._by_date(plan, semantic_hits, scores, window)
            else:
                ranked = rank_passages(plan.mode, keyword_hits, semantic_hits, self.ranking, request.fusion)
                read = len(keyword_hits) if plan.keyword_query is not None else 0
            units = _units(ranked, request, per_document)
            if len(units) >= needed or read < window or window >= MAX_WINDOW:
                return units
            window = min(MAX_WINDOW, window * 2)
            if not by_date:
                keyword_hits = _hits(self._msearch([self._keyword_body(plan, window)])[0], "keyword")

    def _by_date(
        self, plan: _Plan, semantic_hits: list[Hit], scores: dict[str, float], window: int
    ) -> tuple[list[tuple[Hit, float]], int]:
        """The first ``window`` candidates by document date (undated last), each document's passages by
        relevance; and how many were read."""
        body = {
            "query": _candidate_query(plan, semantic_hits),
            "size": window,
            "_source": RANKING_FIELDS,
            "track_total_hits": False,
            "track_scores": True,
            "sort": [
                {"date": {"order": DATE_ORDER[plan.request.sort], "missing": "_last"}},
                {"doc_id": "asc"},
                {"_score": "desc"},
                {"position": "asc"},
            ],
        }
        hits = self._msearch([body])[0]["hits"]["hits"]
        ranked = []
        for h in hits:
            # BM25 passages past the reference have no fused score; in keyword mode BM25 is the score
            keyword = float(h["_score"] or 0.0) if plan.mode == "keyword" else 0.0
            ranked.append((_hit(h), scores.get(h["_id"], keyword)))
        return ranked, len(hits)

    # ----------------------------------------------------------------- search
    def search(self, request: SearchRequest) -> dict:
        with timed_request() as timing:
            envelope = self._search(request)
        envelope["timing"] = timing.as_dict()
        return envelope

    def _search(self, request: SearchRequest) -> dict:
        started = time.perf_counter()
        plan = self._plan(request)
        envelope = {
            "query": request.q,
            "mode": plan.mode,
            "sort": request.sort,
            "page": request.page,
            "size": request.size,
            "group": request.group,
            "dedupe": request.dedupe,
            "warnings": _warnings(plan.parsed),
        }
        if plan.nothing_to_search:
            totals = {"documents": 0, "groups": 0, "passages": 0, "exact": True, "all_words_documents": 0}
            totals["related_documents"] = 0
            envelope.update(total=0, totals=totals, results=[], facets={}, histogram=None)
            envelope["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
            return envelope
        needed = request.page * request.size
        per_page = PASSAGES_PER_DOCUMENT if request.group == "document" else 1
        try:
            window = needed * per_page
            scopes = self._facet_scopes(plan)
            facet_knns = [knn for _, knn in scopes.values() if knn is not None]
            keyword_hits, semantic_hits, facet_hits = self._round_one(plan, window, facet_knns)
            semantic_sets = iter(facet_hits)
            facet_scopes = {
                name: _union(keyword, next(semantic_sets) if knn is not None else None)
                for name, (keyword, knn) in scopes.items()
            }
            units = self._ordered(plan, keyword_hits, semantic_hits, needed, PASSAGES_PER_DOCUMENT, window)
            page_units = units[(request.page - 1) * request.size : needed]
            shown = [hit.passage_id for _, _, passages in page_units for hit, _ in passages]
            keyword_for_counts = plan.keyword_query if plan.mode == "hybrid" else None
            leaders = [passages[0][0] for _, _, passages in page_units] if request.dedupe else []
            shown_groups = [hit.group for hit in leaders if hit.group]
            count_body = build_count_body(
                _candidate_query(plan, semantic_hits),
                keyword_for_counts,
                request.facets,
                shown_groups,
                facet_scopes=facet_scopes,
                selected=_selected_values(plan.filters),
            )
            bodies = [count_body]
            if shown:
                page_body = _passages_body(shown)
                if request.highlight and plan.parsed.highlight_terms:
                    page_body["highlight"] = build_highlight(plan.parsed)
                bodies.append(page_body)
            missing_body = None
            if plan.mode != "keyword" and shown:
                missing_body = build_missing_body(plan.parsed, shown, self.unit_query)
            if missing_body is not None:
                bodies.append(missing_body)
            responses = self._msearch(bodies)
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        counts = responses[0]
        sources: dict[str, dict] = {}
        highlights: dict[str, dict] = {}
        if shown:
            for hit in responses[1]["hits"]["hits"]:
                sources[hit["_id"]] = hit["_source"]
                highlights[hit["_id"]] = hit.get("highlight", {})
        missing = read_missing(plan.parsed, responses[2]) if missing_body is not None else None
        versions = read_versions(counts)
        results = []
        for _, score, passages in page_units:
            present = [
                (hit.passage_id, sources[hit.passage_id], s)
                for hit, s in passages
                if hit.passage_id in sources
            ]
            if not present:
                continue  # deleted between the two requests
            lacking = (
                missing_for([p for p, _, _ in present], missing, plan.parsed) if missing is not None else None
            )
            found = result(present, score, highlights, lacking)
            if request.dedupe and request.group == "document":
                group = passages[0][0].group_key
                found["dup_group"] = group
                found["similar_versions"] = max(0, versions.get(group, 1) - 1)
            results.append(found)
        totals = read_totals(counts, plan.mode)
        if request.group == "passage":
            total = totals["passages"]
        else:
            total = totals["groups"] if request.dedupe else totals["documents"]
        envelope.update(
            total=total,
            totals=totals,
            results=results,
            facets=read_facets(counts, _selected_values(plan.filters)) if request.facets else {},
            histogram=read_histogram(counts) if request.facets else None,
        )
        envelope["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return envelope

    # ----------------------------------------------------------------- batch counts
    def count_many(self, requests: list[SearchRequest], chunk: int = 200) -> list[dict]:
        """The totals ``search()`` reports for each keyword request, in ``len/chunk`` msearch calls.

        Each request is planned (``_plan``) and counted (``build_count_body`` over the candidate query)
        exactly as ``search()`` counts it, without ranking or fetching a page; ``chunk`` count requests
        go in one msearch. Returns, per request: ``{"totals", "warnings", "error"}``; a term the engine
        rejects gets its error (the others still count), an engine failure fails the whole call.
        """
        if any(r.mode != "keyword" for r in requests):
            raise ValueError("count_many counts keyword searches (semantic ones need a model call each)")
        plans = [self._plan(r) for r in requests]
        rows: list[dict] = [{"totals": None, "warnings": _warnings(p.parsed), "error": None} for p in plans]
        pending: list[tuple[int, dict]] = []
        for i, plan in enumerate(plans):
            if plan.nothing_to_search:
                rows[i]["totals"] = dict(NOTHING_TOTALS)
            else:
                pending.append((i, build_count_body(_candidate_query(plan, []), None, facets=False)))
        try:
            for start in range(0, len(pending), max(1, chunk)):
                part = pending[start : start + max(1, chunk)]
                for (i, _), response in zip(part, self._msearch_items([b for _, b in part]), strict=True):
                    if isinstance(response, SearchError):
                        rows[i]["error"] = {"code": response.code, "message": response.message}
                    else:
                        rows[i]["totals"] = read_totals(response, plans[i].mode)
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        return rows

    def _msearch_items(self, bodies: list[dict]) -> list[dict | SearchError]:
        """``_msearch`` for independent searches: a sub-search rejected for its query becomes that item's
        error instead of failing them all; engine-side failures are retried (the failed items only) and,
        if they persist, raised like ``_msearch`` raises them."""
        results: list[dict | SearchError | None] = [None] * len(bodies)
        todo = list(range(len(bodies)))
        for pause in (*TRANSIENT_RETRY_PAUSES_S, None):
            searches: list[dict] = []
            for i in todo:
                searches += [self._header(), bodies[i]]
            responses = self.es.msearch(searches=searches)["responses"] if todo else []
            retry = []
            for i, response in zip(todo, responses, strict=True):
                if "error" not in response:
                    results[i] = response
                    continue
                transient, error = subsearch_error(response, self.index)
                if error.code == "index_missing":
                    raise error
                results[i] = error
                if transient:
                    retry.append(i)
            if not retry:
                return results  # type: ignore[return-value]
            if pause is None:
                error = results[retry[0]]
                log.warning("search failed: %s (%s)", error.message, error.code)  # type: ignore[union-attr]
                raise error  # type: ignore[misc]
            log.info("%d sub-searches failed; retrying in %.1f s", len(retry), pause)
            time.sleep(pause)
            todo = retry
        return results  # type: ignore[return-value]

    def matching_query(self, request: SearchRequest) -> dict | None:
        """The query for every passage ``request`` matches (the page's candidates, which its counts
        describe), for counting and listing them another way (saved searches' alerts and feeds);
        None when the typed text left nothing to search."""
        return self.matching_queries([request])[0]

    def matching_queries(self, requests: list[SearchRequest]) -> list[dict | None]:
        """``matching_query`` for several searches, their semantic sets read in one msearch."""
        plans = [self._plan(request) for request in requests]
        live = [plan for plan in plans if not plan.nothing_to_search]
        bodies = [
            {"knn": plan.knn, "size": plan.knn["k"], "_source": RANKING_FIELDS}
            for plan in live
            if plan.knn is not None
        ]
        try:
            responses = iter(self._msearch(bodies) if bodies else [])
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        queries: list[dict | None] = []
        for plan in plans:
            if plan.nothing_to_search:
                queries.append(None)
                continue
            semantic_hits = _hits(next(responses), "semantic") if plan.knn is not None else []
            queries.append(_candidate_query(plan, semantic_hits))
        return queries

    def run_searches(self, bodies: list[dict]) -> list[dict]:
        """Search bodies over the index in one msearch, with the engine's failures as ``SearchError``."""
        if not bodies:
            return []
        try:
            return self._msearch(bodies)
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None

    # ----------------------------------------------------------------- documents
    def get_document(self, doc_id: str, q: str = "") -> dict:
        """A document's metadata and all its passages in order; given a query ``q``, each passage carries
        its ``highlight`` (the search's highlighting: ``query_builder.build_highlight``, so the words the
        result list marked are marked here too), null where nothing matches."""
        if len(doc_id.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES:
            message = _l(
                "There is no document with that id (ids are at most %(limit)d bytes).", limit=MAX_ID_BYTES
            )
            raise SearchError(404, "not_found", message)
        q = SearchRequest.from_args({"q": q}).q  # the search's checks (length) and clean-up
        parsed = parse_query(q) if q else None
        extra: dict = {}
        if parsed is not None and parsed.highlight_terms:
            extra["highlight"] = build_highlight(parsed)
        try:
            response = self.es.search(
                index=self.index,
                query={"term": {"doc_id": doc_id}},
                sort=[{"position": "asc"}],
                size=10_000,
                _source=SOURCE_FIELDS,
                **extra,
            )
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        hits = response["hits"]["hits"]
        if not hits:
            message = _l("There is no document with the id “%(id)s” in the archive.", id=doc_id)
            raise SearchError(404, "not_found", message)
        first = hits[0]["_source"]
        document = {name: first.get(name) for name in DOC_FIELDS}
        document["query"] = q
        document["passages"] = [
            {
                "passage_id": h["_id"],
                "position": h["_source"]["position"],
                "text": h["_source"]["text"],
                "highlight": ((h.get("highlight") or {}).get("text") or [None])[0],
            }
            for h in hits
        ]
        title = next(
            (h["highlight"]["title"][0] for h in hits if (h.get("highlight") or {}).get("title")), None
        )
        if title:
            document["title_highlight"] = title
        return document

    def similar(self, passage_id: str, size: int = 10) -> dict:
        """Documents close in meaning to a passage: one result per document, best passage first.

        Never the passage's own document nor a near-duplicate version of it (its ``dup_group``), and one
        result per near-duplicate group among the rest. Each result has its ``rank``, its cosine
        ``similarity`` (the ``score``) and a ``relative_score`` (min-max over the list: 1 the closest,
        0 the farthest shown), since nearest neighbours' raw similarities are often a few hundredths apart.
        """
        if not 1 <= size <= MAX_SIZE:
            raise SearchError(400, "invalid_size", range_message("size", 1, MAX_SIZE), parameter="size")
        if (
            len(passage_id.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES
        ):  # was a 500: the GET line was too long
            message = _l(
                "There is no passage with that id (ids are at most %(limit)d bytes).", limit=MAX_ID_BYTES
            )
            raise SearchError(404, "not_found", message)
        try:
            source = self.es.get(index=self.index, id=passage_id, source=SOURCE_FIELDS)["_source"]
        except NotFoundError:
            message = _l("There is no passage with the id “%(id)s” in the archive.", id=passage_id)
            raise SearchError(404, "not_found", message) from None
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        self.check_model()
        vector = self.embedder.encode_passages([source["text"]])[0].tolist()
        own = [{"term": {"doc_id": source["doc_id"]}}]
        if source.get("dup_group"):
            own.append({"term": {"dup_group": source["dup_group"]}})
        k = min(MAX_NUM_CANDIDATES, size * SIMILAR_OVERFETCH)
        while True:
            knn = {
                "field": "vector",
                "query_vector": vector,
                "k": k,
                "num_candidates": min(MAX_NUM_CANDIDATES, max(100, k * 2)),
                "filter": {"bool": {"must_not": own}},
            }
            try:
                hits = self.es.search(index=self.index, knn=knn, size=k, _source=SOURCE_FIELDS)["hits"][
                    "hits"
                ]
            except ENGINE_ERRORS as exc:
                raise self._engine_error(exc) from None
            picked = distinct_documents(hits, size)
            if len(picked) == size or len(hits) < k or k >= MAX_NUM_CANDIDATES:
                break
            k = min(MAX_NUM_CANDIDATES, k * 4)  # a few documents filled the window: read further
        similarities = [cosine_from_score(float(h["_score"])) for h in picked]
        results = []
        for rank, (h, similarity) in enumerate(zip(picked, similarities, strict=True), 1):
            found = result([(h["_id"], h["_source"], similarity)], similarity)
            found.update(rank=rank, relative_score=relative_score(similarity, similarities))
            results.append(found)
        passage = {name: source.get(name) for name in DOC_FIELDS}
        passage.update(passage_id=passage_id, position=source.get("position"), text=source.get("text"))
        return {"passage_id": passage_id, "passage": passage, "results": results}

    # ----------------------------------------------------------------- export
    def export(self, request: SearchRequest, limit: int | None = None) -> tuple[dict, Iterator[dict]]:
        """The screen's result list as rows: one per matching passage, in the screen's order.

        Documents come in the order the screen shows them (``rank``), each with all its matching
        passages, best first, up to ``limit`` rows (``ARSIP_EXPORT_LIMIT``, at most 10,000). Returns a
        summary first (passages and documents found, rows written, whether the cap cut the list) so the
        response can state it, then the rows, read ``EXPORT_BATCH`` at a time while they stream.
        """
        limit = max(1, min(limit or self.settings.export_limit, self.settings.export_limit, MAX_WINDOW))
        # Every matching document, similar versions included (each row names its dup_group).
        plan = self._plan(replace(request, page=1, dedupe=False))
        summary = {"passages": 0, "documents": 0, "rows": 0, "capped": False, "limit": limit}
        if plan.nothing_to_search:
            return summary, iter(())
        try:
            keyword_hits, semantic_hits = self._candidates(plan, limit)
            units = self._ordered(plan, keyword_hits, semantic_hits, 0, None, limit)
            counts = self._msearch([build_count_body(_candidate_query(plan, semantic_hits), None, False)])[0]
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        rows = [
            (rank, hit.passage_id, score)
            for rank, (_, _, passages) in enumerate(units, 1)
            for hit, score in passages
        ]
        rows = rows[:limit]
        totals = read_totals(counts, plan.mode)
        summary.update(
            passages=totals["passages"],
            documents=totals["documents"],
            rows=len(rows),
            capped=len(rows) < totals["passages"],
        )
        return summary, self._export_rows(rows)

    def _export_rows(self, rows: list[tuple[int, str, float]]) -> Iterator[dict]:
        for start in range(0, len(rows), EXPORT_BATCH):
            batch = rows[start : start + EXPORT_BATCH]
            body = _passages_body([pid for _, pid, _ in batch])
            try:
                hits = self.es.search(index=self.index, body=body)["hits"]["hits"]
            except ENGINE_ERRORS as exc:
                raise self._engine_error(exc) from None
            sources = {h["_id"]: h["_source"] for h in hits}
            for rank, pid, score in batch:
                if pid in sources:  # a passage deleted since the ranking was read is left out
                    yield export_row(rank, pid, sources[pid], score)

    # ----------------------------------------------------------------- health
    def readiness(self) -> dict:
        """What /readyz reports: engine reachable, index present, model loaded and matching."""
        checks: dict[str, dict] = {}
        try:
            health = self.es.cluster.health(timeout="2s")
            checks["elasticsearch"] = {
                "ok": health["status"] in ("green", "yellow"),
                "status": health["status"],
            }
        except ENGINE_ERRORS as exc:
            checks["elasticsearch"] = {"ok": False, "error": describe_engine_error(exc, self.settings)}
            return {"ready": False, "checks": checks}
        try:
            stored = index_admin.index_model(self.es, self.index)
        except ENGINE_ERRORS as exc:
            stored = None
            checks["index"] = {"ok": False, "error": describe_engine_error(exc, self.settings)}
        if "index" not in checks:
            checks["index"] = (
                {"ok": True, "name": self.index}
                if stored is not None
                else {"ok": False, "error": f"index {self.index!r} does not exist"}
            )
        if self._embedder is None:
            checks["model"] = {"ok": False, "error": "model not loaded yet"}
        else:
            identity = self._embedder.identity.as_dict()
            matches = stored is None or (
                stored.get("fingerprint") == identity["fingerprint"]
                and stored.get("dimension") == identity["dimension"]
                and index_admin.encoders_compatible(stored.get("encoder", "torch"), identity["encoder"])
            )
            checks["model"] = {"ok": matches, **identity}
            if not matches:
                checks["model"]["error"] = (
                    f"index was built with {stored.get('name')} ({stored.get('fingerprint')})"
                )
        return {"ready": all(c["ok"] for c in checks.values()), "checks": checks}


def distinct_documents(hits: list[dict], size: int) -> list[dict]:
    """The first ``size`` hits of distinct documents and distinct near-duplicate groups, in order."""
    seen: set[str] = set()
    picked: list[dict] = []
    for h in hits:
        keys = {h["_source"]["doc_id"], h["_source"].get("dup_group") or h["_source"]["doc_id"]}
        if keys & seen:
            continue
        seen |= keys
        picked.append(h)
        if len(picked) == size:
            break
    return picked


def cosine_from_score(score: float) -> float:
    """Elasticsearch scores a ``cosine`` kNN hit ``(1 + cosine) / 2``; the cosine itself spreads wider."""
    return round(2.0 * score - 1.0, 6)


def relative_score(value: float, values: list[float]) -> float:
    """``value`` min-max scaled over ``values``: 1 the highest, 0 the lowest (1 when all are equal)."""
    low, high = min(values), max(values)
    return 1.0 if high <= low else round((value - low) / (high - low), 4)


def _selected_values(filters: QueryFilters) -> dict[str, list[str]]:
    """The selected values of each facet (from the URL and from the query's ``source:`` etc.)."""
    return {
        name: list(getattr(filters, attr)) for name, attr in FACET_FILTERS.items() if getattr(filters, attr)
    }


def _passages_body(passage_ids: list[str]) -> dict:
    """The stored fields of these passages (what a page shows and an export writes)."""
    return {"query": {"ids": {"values": passage_ids}}, "size": len(passage_ids), "_source": SOURCE_FIELDS}


def _hit(h: dict, side: str | None = None) -> Hit:
    """A candidate from a search hit, with ``side``'s score."""
    scores = {side: float(h["_score"] or 0.0)} if side else {}
    return Hit(h["_id"], h["_source"]["doc_id"], group=h["_source"].get("dup_group"), **scores)


def _hits(response: dict, side: str) -> list[Hit]:
    """Candidates from one side's response, with that side's score."""
    return [_hit(h, side) for h in response["hits"]["hits"]]


def _units(ranked: list[tuple[Hit, float]], request: SearchRequest, per_document: int | None):
    """The result list: documents (with their passages), each near-duplicate group's best one when
    ``dedupe``, or, for ``group=passage``, single passages."""
    if request.group == "passage":
        return [(hit.passage_id, score, [(hit, score)]) for hit, score in ranked]
    documents = group_by_document(ranked, per_document)
    return collapse_versions(documents) if request.dedupe else documents
