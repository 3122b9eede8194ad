"""Whether the search can answer: the embedding model, loaded on first use and checked against the
model that built the index (``arsip.index_admin``'s comparison), and what ``/readyz`` reports."""

from __future__ import annotations

import time

from arsip import index_admin
from arsip.es_client import ENGINE_ERRORS, describe_engine_error
from arsip.model.encoder import Encoder
from arsip.model.loader import load_encoder
from arsip.settings import Settings
from searchapp.errors import ErrorCode, SearchError
from searchapp.search.engine import Engine
from searchapp.timing import embedding

MODEL_CHECK_TTL_S = 10.0
"""A successful model check is trusted this long (one mapping request less per search)."""


class QueryModel:
    """The model that embeds queries and passages for search, refused when the index was built with
    another one."""

    def __init__(self, settings: Settings, engine: Engine, embedder: Encoder | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.loaded = embedder  # None until the first semantic search (or the server's warm-up)
        self._checked_until = 0.0

    @property
    def embedder(self) -> Encoder:
        if self.loaded is None:
            self.loaded = load_encoder(self.settings)
        return self.loaded

    def check(self) -> None:
        """Refuse to run semantic search with a model other than the one that built the index.

        A successful check is trusted for ``MODEL_CHECK_TTL_S``; a rebuilt index with another model is
        noticed within that time.
        """
        if time.monotonic() < self._checked_until:
            return
        try:
            index_admin.check_model(self.engine.es, self.engine.index, self.embedder.identity)
            self._checked_until = time.monotonic() + MODEL_CHECK_TTL_S
        except index_admin.ModelMismatch as exc:
            raise SearchError(409, ErrorCode.MODEL_MISMATCH, str(exc)) from None
        except index_admin.IndexMissing as exc:
            raise SearchError(503, ErrorCode.INDEX_MISSING, str(exc)) from None
        except ENGINE_ERRORS as exc:
            raise self.engine.error(exc) from None

    def query_vector(self, text: str) -> list[float]:
        """``text`` embedded as a query (timed as the request's embedding), after the model check."""
        self.check()
        with embedding():
            return self.embedder.encode_query(text).tolist()


def readiness(engine: Engine, model: QueryModel) -> dict:
    """What /readyz reports: engine reachable, index present, model loaded and matching."""
    checks: dict[str, dict] = {}
    try:
        health = engine.es.cluster.health(timeout="2s")
        checks["elasticsearch"] = {"ok": health["status"] in ("green", "yellow"), "status": health["status"]}
    except ENGINE_ERRORS as exc:
        checks["elasticsearch"] = {"ok": False, "error": describe_engine_error(exc, engine.settings)}
        return {"ready": False, "checks": checks}
    try:
        stored = index_admin.index_model(engine.es, engine.index)
    except ENGINE_ERRORS as exc:
        stored = None
        checks["index"] = {"ok": False, "error": describe_engine_error(exc, engine.settings)}
    if "index" not in checks:
        checks["index"] = (
            {"ok": True, "name": engine.index}
            if stored is not None
            else {"ok": False, "error": f"index {engine.index!r} does not exist"}
        )
    if model.loaded is None:
        checks["model"] = {"ok": False, "error": "model not loaded yet"}
    else:
        identity = model.loaded.identity
        matches = stored is None or index_admin.model_mismatch(engine.index, stored, identity) is None
        checks["model"] = {"ok": matches, **identity.as_dict()}
        if not matches:
            checks["model"]["error"] = (
                f"index was built with {stored.get('name')} ({stored.get('fingerprint')})"
            )
    return {"ready": all(c["ok"] for c in checks.values()), "checks": checks}
