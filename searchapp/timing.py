"""Where one search request's time goes: the query embedding, and Elasticsearch's own work.

A search makes one to three round trips to Elasticsearch and, outside keyword mode, embeds the query
once. ``SearchTiming`` adds these up for the request in progress (a context variable, so concurrent
requests on the server's threads never mix), and the envelope reports them next to ``took_ms``: an API
client or a benchmark sees how much of a request was the model, how much the engine's ``took``, and how
much the app itself (parsing, fusion, the HTTP and JSON around each round trip).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class SearchTiming:
    embed_ms: float = 0.0
    engine_took_ms: float = 0.0  # the sum of Elasticsearch's own ``took`` over the round trips
    engine_wall_ms: float = 0.0  # the same round trips as the app waited for them (transport, JSON)
    round_trips: int = 0

    def as_dict(self) -> dict:
        return {
            "embed_ms": round(self.embed_ms, 1),
            "engine_took_ms": round(self.engine_took_ms, 1),
            "engine_wall_ms": round(self.engine_wall_ms, 1),
            "round_trips": self.round_trips,
        }


_current: ContextVar[SearchTiming | None] = ContextVar("search_timing", default=None)


@contextmanager
def timed_request():
    """Account the embedding and engine time of the code inside to one fresh ``SearchTiming``."""
    timing = SearchTiming()
    token = _current.set(timing)
    try:
        yield timing
    finally:
        _current.reset(token)


@contextmanager
def embedding():
    """Time a query embedding (counted only inside ``timed_request``)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timing = _current.get()
        if timing is not None:
            timing.embed_ms += (time.perf_counter() - started) * 1000


def engine_round_trip(took_ms: float, wall_ms: float) -> None:
    """Record one Elasticsearch round trip: its own ``took`` and the wall time the app waited."""
    timing = _current.get()
    if timing is not None:
        timing.engine_took_ms += float(took_ms)
        timing.engine_wall_ms += wall_ms
        timing.round_trips += 1
