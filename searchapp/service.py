"""The search service: one code path for the API, the UI, the CLI and the evaluation.

URL arguments → ``SearchRequest`` (validated) → query builders → Elasticsearch (BM25 and kNN in one
``msearch`` round trip) → fusion in Python (the server's RRF is paid) → grouping → highlight pass →
the result envelope documented in ``searchapp/openapi.py``.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from elasticsearch import ConnectionTimeout, Elasticsearch, NotFoundError

from arsip import index_admin
from arsip.embedding import Embedder
from arsip.es_client import ENGINE_ERRORS, describe_engine_error, make_client
from arsip.settings import Settings
from arsip.stemming import stem
from searchapp.fusion import fusion_window, reciprocal_rank_fusion, weighted_score_fusion
from searchapp.query_builder import (
    build_facet_aggs,
    build_highlight,
    build_keyword_query,
    build_knn,
)
from searchapp.query_parser import ParsedQuery, QueryFilters, parse_query

log = logging.getLogger("arsip.search")
MODES = ("hybrid", "keyword", "semantic")
GROUPS = ("document", "passage")
FUSIONS = ("rrf", "weighted")
MAX_QUERY_CHARS = 1000
MAX_SIZE = 100
MAX_DEPTH = 1000  # page * size: deeper paging costs more than it is worth
MAX_ID_BYTES = 512  # Elasticsearch's limit on an _id: a longer id names nothing (and may not fit a URL)
PASSAGES_PER_DOCUMENT = 3
MODEL_CHECK_TTL_S = 10.0
# Pauses before retrying a search whose sub-search failed on the engine's side (a node leaving).
TRANSIENT_RETRY_PAUSES_S = (0.2, 1.0)
SOURCE_FIELDS = [
    "passage_id",
    "doc_id",
    "position",
    "n_passages",
    "text",
    "title",
    "source",
    "collection",
    "url",
    "language",
    "date",
    "date_source",
    "author",
]
DOC_FIELDS = ("doc_id", "title", "url", "source", "collection", "date", "language", "author")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SearchError(Exception):
    """An error with an HTTP status, a stable code and a message safe to show."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


def index_missing_error(index: str) -> SearchError:
    """503: nothing has been indexed under ``index`` yet (the same words as the index check's)."""
    return SearchError(503, "index_missing", str(index_admin.IndexMissing(index)))


def _root_reason(error: object) -> str:
    """The first root cause's reason of an Elasticsearch error body, shortened (safe to show)."""
    if not isinstance(error, dict):
        return ""
    causes = error.get("root_cause") or [error]
    reason = causes[0].get("reason") if isinstance(causes[0], dict) else None
    return str(reason or "")[:200]


# Failures of the engine, not of the query, whatever status Elasticsearch gives them: a node leaving
# cancels the shard requests it coordinates (``task_cancelled_exception`` answers 400) or holds.
TRANSIENT_ERROR_TYPES = frozenset(
    {
        "task_cancelled_exception",
        "node_closed_exception",
        "node_disconnected_exception",
        "node_not_connected_exception",
        "connect_transport_exception",
        "send_request_transport_exception",
        "receive_timeout_transport_exception",
        "no_shard_available_action_exception",
        "shard_not_found_exception",
        "illegal_index_shard_state_exception",
        "es_rejected_execution_exception",
        "circuit_breaking_exception",
        "search_context_missing_exception",  # the node holding a query phase's context closed it
    }
)


def _error_types(error: object, depth: int = 0) -> set[str]:
    """Every ``type`` in an Elasticsearch error body: root causes, ``caused_by``, failed shards."""
    if depth > 8:
        return set()
    if isinstance(error, list):
        return set().union(*(_error_types(e, depth + 1) for e in error))
    if not isinstance(error, dict):
        return set()
    found = {str(error["type"])} if "type" in error else set()
    return found.union(*(_error_types(v, depth + 1) for v in error.values() if isinstance(v, (dict, list))))


def subsearch_error(response: Mapping, index: str) -> tuple[bool, SearchError]:
    """The error for one failed msearch item, and whether trying again may help.

    A missing index is 503 and stays so. A 5xx or 429 item, or one caused by a node leaving (whatever
    its status), is the engine's: 503, worth trying again. Any other 4xx is the query's fault: 400.
    """
    error = response.get("error")
    kind = str(error.get("type") if isinstance(error, dict) else error)
    status = int(response.get("status") or 500)
    if kind == "index_not_found_exception":
        return False, index_missing_error(index)
    reason = _root_reason(error)
    detail = f"{kind}: {reason}" if reason else kind
    types = _error_types(error)
    if status < 500 and status != 429 and not types & TRANSIENT_ERROR_TYPES:
        log.warning("Elasticsearch rejected a sub-search (status %s, %s): %s", status, sorted(types), detail)
        return False, SearchError(400, "bad_query", f"Elasticsearch rejected the query ({detail}).")
    message = f"Elasticsearch could not answer the search ({detail}); try again in a moment."
    return True, SearchError(503, "engine_unavailable", message)


@dataclass(frozen=True)
class RankingConfig:
    """Ranking knobs; the defaults are the ones docs/evaluation.md measured best."""

    # Min-max weighted fusion 0.3/0.7: the best mean nDCG@10 over FacQA and TyDi-id, clean and with the
    # news distractors, and better than either side alone on both clean dev sets (docs/evaluation.md).
    fusion: str = "weighted"
    rrf_k: int = 60  # used when a request asks for fusion=rrf (the weights apply there too)
    keyword_weight: float = 0.3
    semantic_weight: float = 0.7
    num_candidates_factor: float = 2.0
    min_num_candidates: int = 100
    fields: Mapping[str, float] | None = None
    dfs: bool = False  # global term statistics: set when one search spans several indices
    minimum_should_match: str | None = "1"  # OR: measured best (docs/evaluation.md); None = AND
    keyword_analyzer: str | None = None  # None: the mapping's search analyzer (drops stop words)
    stemming: bool = True  # plain terms also match stemmed on text_stem/title_stem (if ARSIP_STEMMING)


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    mode: str = "hybrid"
    page: int = 1
    size: int = 10
    group: str = "document"
    filters: QueryFilters = field(default_factory=QueryFilters)
    fusion: str | None = None
    highlight: bool = True  # scripts that only need ids (evaluation, bulk look-ups) skip both passes
    facets: bool = True

    @classmethod
    def from_args(cls, args: Mapping) -> SearchRequest:
        """Validate URL-style arguments (values may be lists for repeated parameters)."""

        def one(name: str, default: str | None = None) -> str | None:
            value = args.get(name, default)
            if isinstance(value, (list, tuple)):
                value = value[0] if value else default
            return value

        def many(*names: str) -> list[str]:
            values: list[str] = []
            for name in names:
                raw = args.get(name)
                raw = raw if isinstance(raw, (list, tuple)) else ([raw] if raw else [])
                for item in raw:
                    values += [v.strip() for v in str(item).split(",") if v.strip()]
            return values

        q = one("q", "") or ""
        if len(q) > MAX_QUERY_CHARS:
            raise SearchError(
                400, "query_too_long", f"The query is longer than {MAX_QUERY_CHARS} characters."
            )
        if "\x00" in q:
            q = q.replace("\x00", " ")
        mode = (one("mode", "hybrid") or "hybrid").lower()
        if mode not in MODES:
            raise SearchError(400, "invalid_mode", f"mode must be one of {', '.join(MODES)}.")
        group = (one("group", "document") or "document").lower()
        if group not in GROUPS:
            raise SearchError(400, "invalid_group", f"group must be one of {', '.join(GROUPS)}.")
        fusion = one("fusion")
        if fusion is not None and fusion not in FUSIONS:
            raise SearchError(400, "invalid_fusion", f"fusion must be one of {', '.join(FUSIONS)}.")
        page = int_arg(one("page"), "page", 1, 1, MAX_DEPTH)
        size = int_arg(one("size"), "size", 10, 1, MAX_SIZE)
        if page * size > MAX_DEPTH:
            raise SearchError(
                400, "page_too_deep", f"page × size may not exceed {MAX_DEPTH}; refine the query."
            )
        date_from = _date_arg(one("date_from"), "date_from")
        date_to = _date_arg(one("date_to"), "date_to")
        if date_from and date_to and date_from > date_to:
            raise SearchError(400, "invalid_date_range", "date_from is after date_to.")
        filters = QueryFilters(
            sources=many("source"),
            collections=many("collection"),
            languages=many("lang", "language"),
            date_from=date_from,
            date_to=date_to,
        )
        return cls(
            q=q.strip(),
            mode=mode,
            page=page,
            size=size,
            group=group,
            filters=filters,
            fusion=fusion,
            highlight=_bool_arg(one("highlight"), "highlight"),
            facets=_bool_arg(one("facets"), "facets"),
        )


def _bool_arg(raw: str | None, name: str) -> bool:
    if raw in (None, ""):
        return True
    value = str(raw).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SearchError(400, f"invalid_{name}", f"{name} must be true or false.")


def int_arg(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise SearchError(400, f"invalid_{name}", f"{name} must be a whole number.") from None
    if not low <= value <= high:
        raise SearchError(400, f"invalid_{name}", f"{name} must be between {low} and {high}.")
    return value


def _date_arg(raw: str | None, name: str) -> str | None:
    if raw in (None, ""):
        return None
    raw = str(raw).strip()
    try:
        if not _DATE.match(raw):
            raise ValueError
        date.fromisoformat(raw)
    except ValueError:
        raise SearchError(400, f"invalid_{name}", f"{name} must be a date written YYYY-MM-DD.") from None
    return raw


class SearchService:
    """Runs searches, document look-ups, similar-passage look-ups and exports against the alias."""

    def __init__(
        self,
        settings: Settings,
        es: Elasticsearch | None = None,
        embedder: Embedder | None = None,
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
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder.from_settings(self.settings)
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

    # ----------------------------------------------------------------- search
    def search(self, request: SearchRequest) -> dict:
        started = time.perf_counter()
        parsed = parse_query(request.q)
        filters = request.filters.merge(parsed.filters)
        mode = request.mode
        if parsed.is_empty and mode != "keyword":
            mode = "keyword"  # filters only: nothing to embed, browse by filters
        window = fusion_window(
            request.page, request.size * (PASSAGES_PER_DOCUMENT if request.group == "document" else 1)
        )
        try:
            keyword_hits, semantic_hits, facets, total = self._retrieve(
                parsed, filters, mode, window, facets=request.facets
            )
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        ranked = self._fuse(mode, keyword_hits, semantic_hits, request.fusion)
        sources = {h["_id"]: h for h in keyword_hits + semantic_hits}
        start = (request.page - 1) * request.size
        if request.group == "document":
            groups = _group_by_document(ranked, sources)
            page_items = groups[start : start + request.size]
            total = max(total, len(groups)) if mode != "semantic" else len(groups)
        else:
            page_items = [(pid, score, [pid]) for pid, score in ranked[start : start + request.size]]
            total = max(total, len(ranked)) if mode != "semantic" else len(ranked)
        shown = [pid for _, _, pids in page_items for pid in pids]
        highlights = self._highlights(parsed, shown) if request.highlight else {}
        results = [_result(sources, pids, score, highlights) for _, score, pids in page_items]
        return {
            "query": request.q,
            "mode": mode,
            "page": request.page,
            "size": request.size,
            "group": request.group,
            "total": total,
            "took_ms": round((time.perf_counter() - started) * 1000, 1),
            "results": results,
            "facets": facets,
        }

    def _retrieve(
        self, parsed: ParsedQuery, filters: QueryFilters, mode: str, window: int, facets: bool = True
    ):
        """BM25 and/or kNN in one msearch; returns hits, facets and the number of matching documents.

        Facets and the document total describe what the mode matched: the BM25 matches, the kNN
        neighbours, or — in hybrid mode — their union (a size-0 search with both ``query`` and ``knn``
        aggregates over the union). The window searches themselves count nothing, so that BM25 can skip
        non-competitive documents (block-max WAND): counting every match made the keyword side ~1.5×
        slower on the news corpus (docs/benchmarks.md). Without facets the total is a lower bound.
        """
        searches: list[dict] = []
        query = None
        if mode in ("keyword", "hybrid"):
            query = self.keyword_query(parsed, filters)
            keyword_body = {
                "query": query,
                "size": window,
                "_source": SOURCE_FIELDS,
                "track_total_hits": False,
            }
            searches += [self._header(), keyword_body]
        if mode in ("semantic", "hybrid"):
            self.check_model()
            vector = self.embedder.encode_query(parsed.semantic_text).tolist()
            factor = self.ranking.num_candidates_factor
            num_candidates = min(10_000, max(self.ranking.min_num_candidates, int(window * factor)))
            knn = build_knn(vector, filters, window, num_candidates)
            searches += [self._header(), {"knn": knn, "size": window, "_source": SOURCE_FIELDS}]
            if mode == "hybrid" and facets:
                searches += [self._header(), {"query": query, "knn": knn, "size": 0}]
        if facets:
            searches[-1]["aggs"] = {"documents": {"cardinality": {"field": "doc_id"}}, **build_facet_aggs()}
        responses = self._msearch(searches)
        keyword_hits: list[dict] = []
        semantic_hits: list[dict] = []
        total = 0
        if mode in ("keyword", "hybrid"):
            keyword_hits = responses[0]["hits"]["hits"]
        if mode in ("semantic", "hybrid"):
            semantic_hits = responses[0 if mode == "semantic" else 1]["hits"]["hits"]
        if facets:
            total = responses[-1].get("aggregations", {}).get("documents", {}).get("value", 0)
        facet_counts = _facets(responses[-1].get("aggregations", {})) if facets else {}
        return keyword_hits, semantic_hits, facet_counts, total

    def _msearch(self, searches: list[dict]) -> list[dict]:
        """One msearch; retried briefly when a sub-search failed on the engine's side.

        msearch answers 200 even when a sub-search failed, so the transport's own retries never see
        such failures. A shard copy on a node that is leaving the cluster fails that way
        (``search_phase_execution_exception``, status 5xx, or 400 when it cancels the shard requests)
        until the cluster notices; another try a moment later reaches a live copy.
        """
        for pause in (*TRANSIENT_RETRY_PAUSES_S, None):
            responses = self.es.msearch(searches=searches)["responses"]
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

    def _header(self) -> dict:
        header = {"index": self.index}
        if self.ranking.dfs:
            header["search_type"] = "dfs_query_then_fetch"
        return header

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

    def _fuse(
        self, mode: str, keyword_hits: list[dict], semantic_hits: list[dict], fusion: str | None
    ) -> list[tuple[str, float]]:
        if mode == "keyword":
            return [(h["_id"], float(h["_score"] or 0.0)) for h in keyword_hits]
        if mode == "semantic":
            return [(h["_id"], float(h["_score"] or 0.0)) for h in semantic_hits]
        weights = (self.ranking.keyword_weight, self.ranking.semantic_weight)
        if (fusion or self.ranking.fusion) == "weighted":
            return weighted_score_fusion(
                [
                    [(h["_id"], float(h["_score"] or 0.0)) for h in hits]
                    for hits in (keyword_hits, semantic_hits)
                ],
                weights=weights,
            )
        return reciprocal_rank_fusion(
            [[h["_id"] for h in keyword_hits], [h["_id"] for h in semantic_hits]],
            k=self.ranking.rrf_k,
            weights=weights,
        )

    def _highlights(self, parsed: ParsedQuery, passage_ids: list[str]) -> dict[str, dict]:
        """One highlight pass over the shown passages, whatever mode found them."""
        if not passage_ids or not parsed.highlight_terms:
            return {}
        body = {
            "query": {"ids": {"values": passage_ids}},
            "size": len(passage_ids),
            "_source": False,
            "highlight": build_highlight(parsed),
        }
        try:
            hits = self.es.search(index=self.index, body=body)["hits"]["hits"]
        except ENGINE_ERRORS:
            return {}  # highlights are a nicety; the results stand without them
        return {h["_id"]: h.get("highlight", {}) for h in hits}

    # ----------------------------------------------------------------- documents
    def get_document(self, doc_id: str) -> dict:
        if len(doc_id.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES:
            raise SearchError(
                404, "not_found", f"No document with that id (ids are at most {MAX_ID_BYTES} bytes)."
            )
        try:
            response = self.es.search(
                index=self.index,
                query={"term": {"doc_id": doc_id}},
                sort=[{"position": "asc"}],
                size=10_000,
                _source=SOURCE_FIELDS,
            )
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        hits = response["hits"]["hits"]
        if not hits:
            raise SearchError(404, "not_found", f"No document with id {doc_id!r}.")
        first = hits[0]["_source"]
        document = {name: first.get(name) for name in DOC_FIELDS}
        document["passages"] = [
            {"passage_id": h["_id"], "position": h["_source"]["position"], "text": h["_source"]["text"]}
            for h in hits
        ]
        return document

    def similar(self, passage_id: str, size: int = 10) -> dict:
        """Passages close to a given passage by meaning, from other documents."""
        if not 1 <= size <= MAX_SIZE:
            raise SearchError(400, "invalid_size", f"size must be between 1 and {MAX_SIZE}.")
        if (
            len(passage_id.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES
        ):  # was a 500: the GET line was too long
            raise SearchError(
                404, "not_found", f"No passage with that id (ids are at most {MAX_ID_BYTES} bytes)."
            )
        try:
            source = self.es.get(index=self.index, id=passage_id, source=SOURCE_FIELDS)["_source"]
        except NotFoundError:
            raise SearchError(404, "not_found", f"No passage with id {passage_id!r}.") from None
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        self.check_model()
        vector = self.embedder.encode_passages([source["text"]])[0].tolist()
        knn = {
            "field": "vector",
            "query_vector": vector,
            "k": size,
            "num_candidates": max(100, size * 4),
            "filter": {"bool": {"must_not": {"term": {"doc_id": source["doc_id"]}}}},
        }
        try:
            hits = self.es.search(index=self.index, knn=knn, size=size, _source=SOURCE_FIELDS)["hits"]["hits"]
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        return {
            "passage_id": passage_id,
            "results": [_result({h["_id"]: h}, [h["_id"]], float(h["_score"]), {}) for h in hits],
        }

    # ----------------------------------------------------------------- export
    def export(self, request: SearchRequest, limit: int | None = None) -> Iterator[dict]:
        """Matching passages in rank order, up to ``limit`` (streamed page by page)."""
        limit = min(limit or self.settings.export_limit, self.settings.export_limit)
        if request.mode == "keyword" or parse_query(request.q).is_empty:
            yield from self._export_keyword(request, limit)
            return
        capped = replace(request, page=1, group="passage")
        parsed = parse_query(capped.q)
        filters = capped.filters.merge(parsed.filters)
        try:
            keyword_hits, semantic_hits, _, _ = self._retrieve(
                parsed, filters, capped.mode, min(limit, 10_000)
            )
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        sources = {h["_id"]: h for h in keyword_hits + semantic_hits}
        for pid, score in self._fuse(capped.mode, keyword_hits, semantic_hits, capped.fusion)[:limit]:
            yield _flat_passage(sources[pid], score)

    def _export_keyword(self, request: SearchRequest, limit: int) -> Iterator[dict]:
        parsed = parse_query(request.q)
        filters = request.filters.merge(parsed.filters)
        query = self.keyword_query(parsed, filters)
        search_after = None
        sent = 0
        while sent < limit:
            body = {
                "query": query,
                "size": min(500, limit - sent),
                "_source": SOURCE_FIELDS,
                "sort": [{"_score": "desc"}, {"passage_id": "asc"}],
            }
            if search_after:
                body["search_after"] = search_after
            try:
                hits = self.es.search(index=self.index, body=body)["hits"]["hits"]
            except ENGINE_ERRORS as exc:
                raise self._engine_error(exc) from None
            if not hits:
                return
            for hit in hits:
                yield _flat_passage(hit, float(hit["_score"] or 0.0))
                sent += 1
            search_after = hits[-1]["sort"]

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
            )
            checks["model"] = {"ok": matches, **identity}
            if not matches:
                checks["model"]["error"] = (
                    f"index was built with {stored.get('name')} ({stored.get('fingerprint')})"
                )
        return {"ready": all(c["ok"] for c in checks.values()), "checks": checks}


def _group_by_document(ranked: list[tuple[str, float]], sources: dict[str, dict]):
    """Documents in the order of their best passage, each with up to 3 passages in rank order."""
    groups: dict[str, tuple[str, float, list[str]]] = {}
    for pid, score in ranked:
        doc_id = sources[pid]["_source"]["doc_id"]
        if doc_id not in groups:
            groups[doc_id] = (doc_id, score, [pid])
        elif len(groups[doc_id][2]) < PASSAGES_PER_DOCUMENT:
            groups[doc_id][2].append(pid)
    return list(groups.values())


def _result(sources: dict[str, dict], pids: list[str], score: float, highlights: dict[str, dict]) -> dict:
    first = sources[pids[0]]["_source"]
    result = {name: first.get(name) for name in DOC_FIELDS}
    result["score"] = round(score, 6)
    result["passages"] = []
    for pid in pids:
        src = sources[pid]["_source"]
        marked = highlights.get(pid, {})
        result["passages"].append(
            {
                "passage_id": pid,
                "position": src.get("position"),
                "text": src.get("text"),
                "highlight": (marked.get("text") or [None])[0],
            }
        )
        if marked.get("title") and "title_highlight" not in result:
            result["title_highlight"] = marked["title"][0]
    return result


def _flat_passage(hit: dict, score: float) -> dict:
    src = hit["_source"]
    return {
        "passage_id": hit["_id"],
        "score": round(score, 6),
        **{name: src.get(name) for name in (*DOC_FIELDS, "position", "text")},
    }


def _facets(aggs: dict) -> dict:
    facets: dict[str, list[dict]] = {}
    for name, agg in aggs.items():
        if "buckets" not in agg:
            continue
        facets[name] = [
            {"value": b.get("key_as_string", b.get("key")), "count": b["doc_count"]}
            for b in agg["buckets"]
            if b["doc_count"] > 0
        ]
    return facets
