"""The index's background sample (``searchapp.relatedness``): read once, kept for ``TTL_S``.

A fixed seed picks the same passages every time the index is unchanged, so the floor of a query does
not move between two requests (a page and its export, a saved search and its feed).
"""

from __future__ import annotations

import threading
import time

from searchapp.relatedness import BACKGROUND_SIZE, Background
from searchapp.search.engine import Engine

TTL_S = 600.0
"""Seconds a sample is kept: an index that grows or is rebuilt gets a new one within this time."""
SEED = 20201209  # the day of the 2020 regional elections: any fixed number keeps the sample fixed


def background_body(size: int = BACKGROUND_SIZE) -> dict:
    """A fixed pseudo-random sample of ``size`` passages with their vectors (no scripting needed)."""
    return {
        "size": size,
        "query": {"function_score": {"random_score": {"seed": SEED, "field": "_seq_no"}}},
        "sort": [{"_score": "desc"}, {"doc_id": "asc"}, {"position": "asc"}],  # ties in a fixed order
        "_source": False,
        "docvalue_fields": ["vector"],
        "track_total_hits": True,
    }


def read_background(engine: Engine, size: int = BACKGROUND_SIZE) -> Background:
    """The sample of ``engine``'s index (all of it when it holds fewer passages)."""
    found = engine.msearch({"background": background_body(size)})["background"]["hits"]
    vectors = [h["fields"]["vector"] for h in found["hits"] if h.get("fields", {}).get("vector")]
    return Background.of(vectors, passages=int(found["total"]["value"]))


class BackgroundCache:
    """The background of each index searched, read at most once per ``TTL_S`` (shared by threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[float, Background]] = {}

    def get(self, engine: Engine) -> Background:
        with self._lock:
            kept = self._kept.get(engine.index)
            if kept is not None and time.monotonic() - kept[0] < TTL_S:
                return kept[1]
        background = read_background(engine)
        with self._lock:
            self._kept[engine.index] = (time.monotonic(), background)
        return background
