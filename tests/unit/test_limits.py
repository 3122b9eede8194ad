"""The per-client rate limit (Flask-Limiter in the real app), the client key and the rate settings
(no server, no sleeping: the limiter's clock is faked)."""

from __future__ import annotations

import time

import pytest
from flask import Flask

from arsip.settings import Settings, parse_rate
from searchapp.app import create_app
from searchapp.limits import client_key, is_limited_path, limit_for
from tests.unit.test_ui import FakeService


class FakeClock:
    """Stands in for ``time.time`` (what the ``limits`` storage reads) so that no test sleeps."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(time, "time", fake)
    return fake


def _client(rate: float, burst: int):
    return create_app(Settings(rate_limit=rate, rate_burst=burst), service=FakeService()).test_client()


def _get(client, path: str = "/", addr: str = "10.0.0.1", **headers):
    return client.get(path, headers=headers, environ_base={"REMOTE_ADDR": addr})


@pytest.mark.parametrize(
    ("rate", "burst", "limit"),
    [
        (50.0, 100, "100 per 2 second"),  # the defaults: a burst of 100, then 50/s
        (0.05, 5, "5 per 100 second"),
        (10.0, 100, "100 per 10 second"),  # 600/min
        (30.0, 100, "90 per 3 second"),  # the window is whole seconds; the rate stays exact
        (10.0, 0, "10 per 1 second"),  # a burst below one second's worth: one second's worth
        (0.0, 100, None),
    ],
)
def test_limit_for(rate: float, burst: int, limit: str | None) -> None:
    assert limit_for(rate, burst) == limit


def test_burst_then_refused_then_refilled_at_the_rate(clock: FakeClock) -> None:
    client = _client(rate=1.0, burst=3)
    assert [_get(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = _get(client, "/api/search?q=x")
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 3
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert "retry in" in refused.get_json()["error"]["message"]
    clock.now += 6  # two windows later everything has slid out
    assert [_get(client).status_code for _ in range(3)] == [200, 200, 200]
    assert _get(client).status_code == 429


def test_clients_have_separate_limits_and_the_ui_page_is_in_their_language(clock: FakeClock) -> None:
    client = _client(rate=1.0, burst=2)
    assert [_get(client).status_code for _ in range(2)] == [200, 200]
    page = _get(client, "/?q=banjir", **{"Accept-Language": "id"})
    assert page.status_code == 429 and page.mimetype == "text/html" and int(page.headers["Retry-After"]) >= 1
    text = page.get_data(as_text=True)
    assert "Terlalu banyak permintaan" in text and "coba lagi" in text
    assert _get(client, addr="10.0.0.2").status_code == 200


def test_health_and_static_are_never_limited_and_unknown_urls_count(clock: FakeClock) -> None:
    client = _client(rate=1.0, burst=2)
    assert [_get(client, "/nope").status_code for _ in range(2)] == [404, 404]
    assert _get(client, "/nope").status_code == 429  # a scanner of unknown URLs is limited too
    assert all(_get(client, "/static/arsip.css").status_code == 200 for _ in range(10))
    assert all(_get(client, "/healthz").status_code != 429 for _ in range(10))


def test_zero_rate_disables(clock: FakeClock) -> None:
    client = _client(rate=0, burst=0)
    assert all(_get(client).status_code == 200 for _ in range(300))


def test_client_key_trusts_forwarded_for_only_when_told() -> None:
    app = Flask(__name__)
    headers = {"X-Forwarded-For": "6.6.6.6, 203.0.113.7"}
    with app.test_request_context("/api/search", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"}):
        from flask import request

        assert client_key(request) == "10.0.0.1"
        assert client_key(request, trust_proxy=True) == "203.0.113.7"  # what the proxy saw, not the claim
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "10.0.0.2"}):
        from flask import request

        assert client_key(request, trust_proxy=True) == "10.0.0.2"  # no header: the peer


def test_limited_paths() -> None:
    assert is_limited_path("/api/search") and is_limited_path("/") and is_limited_path("/documents/x")
    assert not is_limited_path("/healthz") and not is_limited_path("/readyz")
    assert not is_limited_path("/static/style.css")


@pytest.mark.parametrize(
    ("raw", "per_second"),
    [("30/s", 30.0), ("30", 30.0), ("600/min", 10.0), ("3600/h", 1.0), ("0", 0.0), (" 2.5 / sec ", 2.5)],
)
def test_parse_rate(raw: str, per_second: float) -> None:
    assert parse_rate(raw) == pytest.approx(per_second)


@pytest.mark.parametrize("raw", ["fast", "-1/s", "10/fortnight", "nan", "inf"])
def test_parse_rate_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_rate(raw)


def test_rate_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    defaults = Settings()
    assert defaults.rate_limit >= 50 and defaults.rate_burst >= 100 and not defaults.trust_proxy
    monkeypatch.setenv("ARSIP_RATE_LIMIT", "30/s")
    monkeypatch.setenv("ARSIP_RATE_BURST", "60")
    monkeypatch.setenv("ARSIP_TRUST_PROXY", "1")
    monkeypatch.setenv("ARSIP_RATE_LIMIT_STORAGE", "redis://cache:6379")
    settings = Settings.from_env()
    assert (settings.rate_limit, settings.rate_burst, settings.trust_proxy) == (30.0, 60, True)
    assert settings.rate_limit_storage == "redis://cache:6379" and defaults.rate_limit_storage == "memory://"
    monkeypatch.setenv("ARSIP_RATE_LIMIT", "very")
    with pytest.raises(ValueError, match="ARSIP_RATE_LIMIT"):
        Settings.from_env()


def test_every_limited_response_says_where_the_client_stands(clock: FakeClock) -> None:
    client = _client(rate=1.0, burst=3)  # 3 per 3 seconds
    answers = [
        _get(client, path) for path in ("/", "/api/openapi.json", "/api/v1/openapi.json", "/api/search")
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    for answer in answers:
        assert answer.headers["RateLimit-Limit"] == "3" and answer.headers["RateLimit-Policy"] == "3;w=3"
        assert 0 <= int(answer.headers["RateLimit-Reset"]) <= 3
    assert "RateLimit-Limit" not in _get(client, "/healthz").headers  # never limited
    assert "RateLimit-Limit" not in _get(_client(rate=0, burst=3)).headers  # the limit is off


def test_api_v1_is_the_stable_prefix_and_api_stays_an_alias(clock: FakeClock) -> None:
    client = _client(rate=0, burst=1)
    stable, alias = _get(client, "/api/v1/openapi.json"), _get(client, "/api/openapi.json")
    assert stable.status_code == alias.status_code == 200 and stable.get_json() == alias.get_json()
    assert _get(client, "/api/v1/no-such-route").get_json()["error"]["code"] == "not_found"
    assert _get(client, "/api/v1").status_code == 404  # the prefix alone names nothing
