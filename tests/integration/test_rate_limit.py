"""Abuse protection on the real app served by waitress (with arsip serve's limits) over the sample index:
a burst over the per-client rate gets 429 + Retry-After while another client address is still served;
over-long URLs get 414, over-long headers 431."""

from __future__ import annotations

import http.client
import json
import threading
from contextlib import contextmanager
from dataclasses import replace

import pytest

from searchapp.app import create_app
from searchapp.server import waitress_limits

pytestmark = [pytest.mark.es, pytest.mark.model]


@contextmanager
def serve(settings, service):
    from waitress.server import create_server

    server = create_server(
        create_app(settings, service=service),
        host="127.0.0.1",
        port=0,
        threads=4,
        **waitress_limits(settings),
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        server.task_dispatcher.shutdown()  # let the worker threads finish their last responses first
        server.close()
        thread.join(timeout=10)


def get(port: int, path: str, source: str = "127.0.0.1", headers: dict | None = None):
    """(status, headers, body) of one GET from the given loopback source address."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_burst_over_the_limit_is_429_while_others_are_served(sample_settings, search_service):
    settings = replace(sample_settings, rate_limit=0.05, rate_burst=5, trust_proxy=False)
    with serve(settings, search_service) as port:
        statuses = []
        for _ in range(12):
            status, headers, body = get(port, "/api/search?q=pilkada&mode=keyword&facets=0")
            statuses.append(status)
            if status == 429:
                limited = (headers, body)
        assert statuses[:5] == [200] * 5, statuses
        assert statuses.count(429) >= 6, statuses  # one token per 20 s: at most one more gets through
        headers, body = limited
        assert int(headers["Retry-After"]) >= 1
        assert headers["Content-Type"].startswith("application/json")
        error = json.loads(body)["error"]
        assert error["code"] == "rate_limited" and "retry in" in error["message"]

        # Another client address is still served; health checks are never limited.
        assert get(port, "/api/search?q=pilkada&mode=keyword", source="127.0.0.2")[0] == 200
        assert get(port, "/healthz")[0] == 200 and get(port, "/readyz")[0] == 200
        # X-Forwarded-For is not trusted by default: a spoofed header does not escape the limit.
        assert get(port, "/api/search?q=x", headers={"X-Forwarded-For": "198.51.100.9"})[0] == 429
        # The UI gets a friendly page, in its language.
        status, headers, body = get(port, "/?q=pilkada", headers={"Accept-Language": "id"})
        assert status == 429 and headers["Content-Type"].startswith("text/html")
        assert "Terlalu banyak permintaan" in body.decode() and int(headers["Retry-After"]) >= 1


def test_forwarded_for_is_the_client_behind_a_trusted_proxy(sample_settings, search_service):
    settings = replace(sample_settings, rate_limit=0.01, rate_burst=2, trust_proxy=True)
    with serve(settings, search_service) as port:

        def status(client: str) -> int:
            return get(port, "/api/search?q=x&mode=keyword", headers={"X-Forwarded-For": client})[0]

        assert [status("203.0.113.1") for _ in range(3)] == [200, 200, 429]
        assert status("203.0.113.2") == 200
        # A client that prepends its own X-Forwarded-For entry is still keyed by what the proxy saw.
        assert status("6.6.6.6, 203.0.113.1") == 429


def test_default_limits_do_not_throttle_normal_use(sample_settings, search_service):
    assert sample_settings.rate_limit >= 50 and sample_settings.rate_burst >= 100
    with serve(sample_settings, search_service) as port:
        statuses = [get(port, "/api/search?q=pilkada&mode=keyword&facets=0")[0] for _ in range(60)]
    assert statuses == [200] * 60


def test_long_urls_are_414_and_long_headers_431(sample_settings, search_service):
    with serve(replace(sample_settings, rate_limit=0), search_service) as port:
        status, headers, body = get(port, "/api/search?q=" + "x" * 20_000)
        assert status == 414 and json.loads(body)["error"]["code"] == "uri_too_long"
        assert get(port, "/api/search?mode=keyword&q=" + "%C3%BC" * 1000)[0] == 200  # longest valid query
        assert get(port, "/api/search?q=x", headers={"X-Padding": "y" * 40_000})[0] == 431
