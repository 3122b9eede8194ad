"""What Flask-Limiter costs per request and per client (issue 15 item 8: measure before replacing the
hand-written token bucket).

Prints: the time of one limit check (the app makes one per request) next to a home page request for
scale, and the memory the default ``memory://`` storage holds per client. No Elasticsearch needed.

    python scripts/bench_rate_limit.py [--requests 50000] [--clients 100000]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc

from arsip.settings import Settings
from searchapp.app import create_app
from searchapp.limits import limit_for

NO_SERVICE = object()  # the home page without a query asks the service nothing: no Elasticsearch needed


def _strategy():
    app = create_app(Settings(rate_limit=50, rate_burst=100), service=NO_SERVICE)
    limiter = app.extensions["arsip_limiter"]
    return limiter.limiter, next(iter(limiter.limit_manager.application_limits)).limit


def check_us(clients: int, checks: int) -> float:
    """µs per limit check (what the app does once per request), spread over ``clients`` addresses."""
    strategy, item = _strategy()
    keys = [f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}" for i in range(clients)]
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for i in range(checks):
            strategy.hit(item, keys[i % clients])
        runs.append((time.perf_counter() - start) / checks * 1e6)
    return statistics.median(runs)


def page_us(requests: int) -> float:
    """µs per home page through the Flask test client (limiter on), for scale."""
    client = create_app(Settings(), service=NO_SERVICE).test_client()
    client.get("/")
    start = time.perf_counter()
    for _ in range(requests):
        client.get("/")
    return (time.perf_counter() - start) / requests * 1e6


def bytes_per_client(clients: int) -> float:
    strategy, item = _strategy()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(clients):
        strategy.hit(item, f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}")
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used / clients


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args()
    print(f"limit: {limit_for(50, 100)} (the defaults 50/s, burst 100), strategy sliding-window-counter")
    check = check_us(1000, args.requests)
    print(f"limit check: {check:.1f} µs (median of 5 × {args.requests:,} checks over 1,000 clients)")
    print(f"home page for scale: {page_us(500):.0f} µs/request (Flask test client, no search)")
    print(
        f"memory:// storage: {bytes_per_client(args.clients):.0f} bytes per client ({args.clients:,} clients)"
    )


if __name__ == "__main__":
    main()
