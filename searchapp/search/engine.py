"""Every request the search app sends to Elasticsearch goes through ``Engine``.

One msearch with one retry loop serves the search rounds, the export, the batch counts (which keep a
failed item's error instead of failing the whole call), the saved searches' alerts and
``SearchService.run_searches``. Bodies go in and responses come out under the caller's names, never
by position. The engine also translates a failure into the ``SearchError`` the user sees (logged as one
line, no traceback, no secrets) and reports each round trip to ``searchapp.timing``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from elasticsearch import ConnectionTimeout, Elasticsearch, NotFoundError

from arsip.es_client import ENGINE_ERRORS, describe_engine_error
from arsip.settings import Settings
from searchapp.counting import RESPONSE_FILTER
from searchapp.errors import ErrorCode, SearchError, index_missing_error, subsearch_error
from searchapp.timing import engine_round_trip

log = logging.getLogger("arsip.search")
TRANSIENT_RETRY_PAUSES_S = (0.2, 1.0)
"""Pauses before retrying a search whose sub-search failed on the engine's side (a node leaving)."""

Name = TypeVar("Name", bound=Hashable)


@dataclass(frozen=True)
class Engine:
    """The search alias on one client; ``dfs`` asks for ``dfs_query_then_fetch`` (``RankingConfig.dfs``)."""

    es: Elasticsearch
    index: str
    settings: Settings
    dfs: bool = False

    def error(self, exc: Exception) -> SearchError:
        """The user-facing error for an engine failure, logged as one line (no traceback, no secrets)."""
        if isinstance(exc, NotFoundError):
            error = index_missing_error(self.index)
        elif isinstance(exc, ConnectionTimeout):  # a stalled or overloaded cluster: the gateway timed out
            error = SearchError(504, ErrorCode.ENGINE_TIMEOUT, describe_engine_error(exc, self.settings))
        else:
            error = SearchError(503, ErrorCode.ENGINE_UNAVAILABLE, describe_engine_error(exc, self.settings))
        log.warning("search failed: %s (%s)", error.message, error.code)
        return error

    def search(self, **request) -> dict:
        """One search over the alias (``es.search``'s arguments), its failure as ``SearchError``."""
        try:
            return self.es.search(index=self.index, **request)
        except ENGINE_ERRORS as exc:
            raise self.error(exc) from None

    def msearch(
        self, bodies: Mapping[Name, dict], *, item_errors: bool = False
    ) -> dict[Name, dict | SearchError]:
        """The response to each named body, from one msearch; retried briefly when a sub-search failed
        on the engine's side.

        msearch answers 200 even when a sub-search failed, so the transport's own retries never see
        such failures. A shard copy on a node that is leaving the cluster fails that way
        (``search_phase_execution_exception``, status 5xx, or 400 when it cancels the shard requests)
        until the cluster notices; another try a moment later reaches a live copy.

        By default the bodies are one search: the first failure decides (a rejected query is raised at
        once, an engine-side one sends every body again). With ``item_errors`` they are independent
        searches: a body rejected for its query gets its ``SearchError`` as its response while the
        others count, and only the engine-side failures are sent again. Either way a missing index, or
        engine-side failures that outlast the retries, are raised.
        """
        names = list(bodies)
        responses: dict[Name, dict | SearchError] = {}
        todo = names
        for pause in (*TRANSIENT_RETRY_PAUSES_S, None):
            retry: list[Name] = []
            for name, response in zip(todo, self._round_trip([bodies[n] for n in todo]), strict=True):
                if "error" not in response:
                    responses[name] = response
                    continue
                transient, error = subsearch_error(response, self.index)
                # independent searches: only a missing index fails them all; one search: its first
                # failure decides (a rejected query at once, an engine-side failure after the retries)
                fatal = (error.code == ErrorCode.INDEX_MISSING) if item_errors else not (transient or retry)
                if fatal:
                    raise error
                responses[name] = error
                if transient or not item_errors:
                    retry.append(name)
            if not retry:
                return {name: responses[name] for name in names}
            first = responses[retry[0]]
            assert isinstance(first, SearchError)
            if pause is None:
                log.warning("search failed: %s (%s)", first.message, first.code)
                raise first
            log.info("%d sub-searches failed (%s); retrying in %.1f s", len(retry), first.message, pause)
            time.sleep(pause)
            todo = retry if item_errors else names
        raise AssertionError("the last pass returns or raises")

    def _round_trip(self, bodies: list[dict]) -> list[dict]:
        """One msearch call (none for no bodies), timed, its transport failure as ``SearchError``; the
        exact counts' buckets are left out of the answer (``counting.RESPONSE_FILTER``)."""
        if not bodies:
            return []
        header = {"index": self.index}
        if self.dfs:
            header["search_type"] = "dfs_query_then_fetch"
        searches: list[dict] = []
        for body in bodies:
            searches += [header, body]
        started = time.perf_counter()
        try:
            answer = self.es.msearch(searches=searches, filter_path=RESPONSE_FILTER)
        except ENGINE_ERRORS as exc:
            raise self.error(exc) from None
        engine_round_trip(answer.get("took", 0), (time.perf_counter() - started) * 1000)
        return answer["responses"]
