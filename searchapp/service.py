"""The search service: one object for the API, the UI, the CLI, the export, the alerts and the evaluation.

A thin façade over ``searchapp.search`` (its stages and the modules beside them): it holds the settings,
the Elasticsearch client, the ranking and the query model, and hands each call to the module whose job it
is. Round trips for a page: (1) one msearch for the BM25 passages and the nearest passages (then, only
where needed, the related set above the floor and its part under the filters); (2) one msearch for the
counts, the shown passages with their highlights, which query words each lacks and which part of the set
it is in. A date-sorted page adds one request: the candidates sorted by date. Totals never depend on the
page.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from elasticsearch import Elasticsearch

from arsip.es_client import make_client
from arsip.model.encoder import Encoder
from arsip.settings import Settings
from searchapp.ranking import RankingConfig
from searchapp.search import counts, cursor, documents, entities
from searchapp.search.background import BackgroundCache
from searchapp.search.engine import Engine
from searchapp.search.envelope import nothing_found
from searchapp.search.export import export
from searchapp.search.known_values import KnownValues
from searchapp.search.plan import plan_search
from searchapp.search.readiness import QueryModel, readiness
from searchapp.search.retrieve import retrieve_page
from searchapp.search_request import SearchRequest
from searchapp.timing import timed_request


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
        self.ranking = ranking or RankingConfig()  # scripts swap it between searches
        self.model = QueryModel(settings, Engine(self.es, self.index, settings), embedder)
        self.known = KnownValues()
        self.backgrounds = BackgroundCache()

    @property
    def engine(self) -> Engine:
        """The engine as the current ranking asks it (``dfs``)."""
        return Engine(self.es, self.index, self.settings, dfs=self.ranking.dfs)

    @property
    def embedder(self) -> Encoder:
        return self.model.embedder

    def check_model(self) -> None:
        """Refuse semantic search with a model other than the one that built the index (``SearchError``)."""
        self.model.check()

    def search(self, request: SearchRequest) -> dict:
        """The envelope of ``request``'s page, with the request's ``timing``."""
        with timed_request() as timing:
            known = partial(self.known.get, self.engine)  # (not a method here: the plan stays one visit)
            background = partial(self.backgrounds.get, self.engine)
            plan = plan_search(request, self.ranking, self.settings, self.model, known, background)
            envelope = nothing_found(plan) if plan.nothing_to_search else retrieve_page(plan, self.engine)
        envelope["timing"] = timing.as_dict()
        return envelope

    def known_values(self) -> dict[str, list[str]]:
        """Each facet's values in the index, most frequent first: the ones the ``unknown_filter_value``
        warnings compare with, read at most once a minute (``search.known_values``)."""
        return self.known.get(self.engine)

    def export(self, request: SearchRequest, limit: int | None = None) -> tuple[dict, Iterator[dict]]:
        """The screen's result list as rows: a summary, then the rows as they stream (``search.export``)."""
        background = partial(self.backgrounds.get, self.engine)
        return export(request, limit, self.engine, self.ranking, self.settings, self.model, background)

    def walk(self, request: SearchRequest, size: int, after: str | None = None) -> dict:
        """Every passage ``request`` matches, ``size`` a call, from the cursor ``after`` (search.cursor)."""
        return cursor.walk(self.engine, self.matching_query(request), request.sort, size, after)

    def get_document(self, doc_id: str, q: str = "") -> dict:
        """A document with all its passages, highlighted for ``q`` (``search.documents``)."""
        return documents.get_document(self.engine, doc_id, q)

    def entity(self, kind: str, name: str) -> dict:
        """One person / organisation / place across the archive (``search.entities``)."""
        return entities.entity_profile(self.engine, kind, name)

    def page_image(self, doc_id: str, page: int) -> bytes:
        """The small PNG picture of an OCR'd page (``search.documents``)."""
        return documents.page_image(self.engine, doc_id, page)

    def similar(self, passage_id: str, size: int = 10) -> dict:
        """Documents close in meaning to a passage (``search.documents``)."""
        return documents.similar(self.engine, self.model, passage_id, size)

    def count_many(self, requests: list[SearchRequest], chunk: int = 200) -> list[dict]:
        """The totals ``search()`` reports for each keyword request (``search.counts``)."""
        return counts.count_many(
            requests,
            self.engine,
            self.ranking,
            self.settings,
            self.model,
            chunk,
            partial(self.known.get, self.engine),
        )

    def matching_query(self, request: SearchRequest) -> dict | None:
        """The query for every passage ``request`` matches (the page's candidates, which its counts
        describe), for counting and listing them another way (saved searches' alerts and feeds);
        None when the typed text left nothing to search."""
        return self.matching_queries([request])[0]

    def matching_queries(self, requests: list[SearchRequest]) -> list[dict | None]:
        """``matching_query`` for several searches, their nearest passages read in one msearch."""
        background = partial(self.backgrounds.get, self.engine)
        return counts.matching_queries(
            requests, self.engine, self.ranking, self.settings, self.model, background
        )

    def run_searches(self, bodies: list[dict]) -> list[dict]:
        """Search bodies over the index in one msearch, with the engine's failures as ``SearchError``."""
        return list(self.engine.msearch(dict(enumerate(bodies))).values())

    def readiness(self) -> dict:
        """What /readyz reports: engine reachable, index present, model loaded and matching."""
        return readiness(self.engine, self.model)
