"""Abuse protection for the app: a per-client rate limit (Flask-Limiter) and a bound on the URL length.

Each client address may send ``burst`` requests at once and ``rate`` requests per second after that; a
request over the limit is answered 429 with a ``Retry-After`` header. Flask-Limiter (on the ``limits``
library) keeps the counters, so they can live in a storage shared by every app process
(``ARSIP_RATE_LIMIT_STORAGE``: ``memory://`` per process by default, ``redis://host:6379`` across
processes and hosts, with the ``redis`` package installed). Every limited response carries
``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` and ``RateLimit-Policy``
(``rate_limit_headers``), so scripts can pace themselves before they are refused. The
strategy is ``sliding-window-counter``: two counters per client (memory bounded, unlike a list of
timestamps per client), a burst of ``burst`` requests, then requests again at ``rate`` as the window
slides. ``burst / rate`` is the window, in whole seconds (``limit_for``).

The client address is the connection's peer address. Only behind a reverse proxy that sets
``X-Forwarded-For`` (``ARSIP_TRUST_PROXY=1``) is that header used, and then its last entry: the address
the proxy itself saw (earlier entries are whatever the client chose to send).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import Flask, Request, Response, request
from flask_limiter import Limiter, RequestLimit

MAX_URL_BYTES = 16 * 1024  # path + query string; the longest valid query (1,000 characters) fits encoded
UNLIMITED_PATHS = ("/healthz", "/readyz", "/static/")
STRATEGY = "sliding-window-counter"


def limit_for(rate: float, burst: int) -> str | None:
    """The Flask-Limiter limit for ``rate`` requests/s after a burst of ``burst``; None when off.

    ``burst`` requests per ``burst / rate`` seconds: the same long-run rate and the same burst. The window
    is rounded to whole seconds (at least 1) and the count follows it, so e.g. 30/s with a burst of 100
    becomes 90 per 3 s, and a burst smaller than one second's worth becomes one second's worth.
    """
    if not rate > 0:
        return None
    window = max(1, round(max(1, burst) / rate))
    amount = max(1, round(rate * window))
    return f"{amount} per {window} second"


def create_limiter(
    app: Flask,
    rate: float,
    burst: int,
    storage_uri: str,
    trust_proxy: bool,
    on_breach: Callable[[RequestLimit], Response | None],
) -> Limiter:
    """One limit per client across every route (health checks and static files exempt).

    Registered as a ``before_request`` hook, so create it after the app's own request guards. A storage
    that stops answering falls back to per-process memory (logged) instead of failing requests.
    """
    limit = limit_for(rate, burst)
    return Limiter(
        key_func=lambda: client_key(request, trust_proxy),
        app=app,
        application_limits=[limit] if limit else [],
        application_limits_exempt_when=lambda: not is_limited_path(request.path),
        request_identifier=lambda: request.endpoint or "unrouted",  # unknown URLs count as well
        strategy=STRATEGY,
        storage_uri=storage_uri,
        in_memory_fallback_enabled=True,
        headers_enabled=False,  # Retry-After is set on the 429 itself (on_breach)
        on_breach=on_breach,
        key_prefix="arsip",
        enabled=limit is not None,
    )


def seconds_until(reset_at: float) -> int:
    """Whole seconds for the Retry-After header until ``reset_at`` (epoch seconds), at least 1."""
    return retry_after(reset_at - time.time())


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


def rate_limit_headers(limit: RequestLimit | None) -> dict[str, str]:
    """The ``RateLimit-*`` headers (IETF draft) for the limit a request was counted against: the
    requests a window allows, those left in it, whole seconds until it resets, and the policy
    (``amount;w=seconds``). None (a health check, the limit off): no headers."""
    if limit is None:
        return {}
    amount = limit.limit.amount
    window = limit.limit.get_expiry()
    return {
        "RateLimit-Limit": str(amount),
        "RateLimit-Remaining": str(max(0, limit.remaining)),
        "RateLimit-Reset": str(min(window, max(0, math.ceil(limit.reset_at - time.time())))),
        "RateLimit-Policy": f"{amount};w={window}",
    }


def url_bytes(request: Request) -> int:
    """Length of the request target: the path (WSGI strings are one character per byte) plus the query
    string as sent (still percent-encoded)."""
    environ = request.environ
    return len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", ""))


def retry_after(wait_s: float) -> int:
    """Whole seconds for the Retry-After header (at least 1)."""
    return max(1, math.ceil(wait_s))
