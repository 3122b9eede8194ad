"""Abuse protection for the app: a per-client token bucket and a bound on the URL length.

Each client address has a bucket of ``burst`` tokens that refills at ``rate`` tokens per second; a request
takes one token, and a request that finds the bucket empty is answered 429 with a ``Retry-After`` header.
Memory stays bounded: at most ``max_clients`` buckets are kept (full, idle buckets are forgotten first,
then the least recently used ones).

The client address is the connection's peer address. Only behind a reverse proxy that sets
``X-Forwarded-For`` (``ARSIP_TRUST_PROXY=1``) is that header used, and then its last entry: the address
the proxy itself saw (earlier entries are whatever the client chose to send).

In-process state: with several app processes each keeps its own buckets (the limit is per process);
rate-limit at the reverse proxy as well when that matters.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import Request

MAX_URL_BYTES = 16 * 1024  # path + query string; the longest valid query (1,000 characters) fits encoded
MAX_CLIENTS = 100_000
UNLIMITED_PATHS = ("/healthz", "/readyz", "/static/")


class TokenBucketLimiter:
    """Thread-safe token buckets keyed by client; ``rate`` ≤ 0 disables limiting.

    ``clock`` (seconds, monotonic) is injectable so that tests need no sleeping.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        self.rate = float(rate)
        self.burst = max(1.0, float(burst))
        self.clock = clock
        self.max_clients = max(1, max_clients)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key → (tokens, updated)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def acquire(self, key: str) -> float:
        """Take one token for ``key``: 0.0 when the request may go ahead, else the seconds to wait."""
        if not self.enabled:
            return 0.0
        with self._lock:
            now = self.clock()
            tokens, updated = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + max(0.0, now - updated) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            self._buckets.move_to_end(key)
            if len(self._buckets) > self.max_clients:
                self._prune(now)
            return wait

    def _prune(self, now: float) -> None:
        """Forget buckets that have refilled (forgetting them changes nothing), then the least recent."""
        refill_s = self.burst / self.rate
        for key in [k for k, (_, updated) in self._buckets.items() if now - updated >= refill_s]:
            del self._buckets[key]
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._buckets)


def client_key(request: Request, trust_proxy: bool = False) -> str:
    """The address a request is counted against (see the module docstring)."""
    if trust_proxy:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-1][:100]
    return request.remote_addr or "unknown"


def is_limited_path(path: str) -> bool:
    """Every route is limited but the health checks and static files."""
    return not path.startswith(UNLIMITED_PATHS)


def url_bytes(request: Request) -> int:
    """Length of the request target: the path (WSGI strings are one character per byte) plus the query
    string as sent (still percent-encoded)."""
    environ = request.environ
    return len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", ""))


def retry_after(wait_s: float) -> int:
    """Whole seconds for the Retry-After header (at least 1)."""
    return max(1, math.ceil(wait_s))
