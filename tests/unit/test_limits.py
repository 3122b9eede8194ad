"""The per-client token bucket, the client key and the rate settings (no server, no sleeping)."""

from __future__ import annotations

import threading

import pytest
from flask import Flask

from arsip.settings import Settings, parse_rate
from searchapp.limits import TokenBucketLimiter, client_key, is_limited_path, retry_after


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refused_then_refilled_at_the_rate() -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(rate=2.0, burst=3, clock=clock)
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.acquire("a")
    assert wait == pytest.approx(0.5)  # one token per 0.5 s at 2/s
    assert retry_after(wait) == 1
    clock.now += 0.25
    assert limiter.acquire("a") == pytest.approx(0.25)  # refused requests do not take tokens
    clock.now += 0.25
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") > 0
    clock.now += 100  # a long pause refills to the burst, never beyond it
    assert [limiter.acquire("a") for _ in range(4)][-1] > 0


def test_clients_have_separate_buckets() -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(rate=1.0, burst=2, clock=clock)
    assert limiter.acquire("a") == limiter.acquire("a") == 0.0
    assert limiter.acquire("a") > 0
    assert limiter.acquire("b") == 0.0


def test_zero_rate_disables() -> None:
    limiter = TokenBucketLimiter(rate=0, burst=0, clock=FakeClock())
    assert not limiter.enabled
    assert all(limiter.acquire("a") == 0.0 for _ in range(10_000))
    assert len(limiter) == 0


def test_burst_below_one_still_allows_one_request() -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(rate=10.0, burst=0, clock=clock)
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") == pytest.approx(0.1)


def test_memory_is_bounded() -> None:
    clock = FakeClock()
    limiter = TokenBucketLimiter(rate=1.0, burst=5, clock=clock, max_clients=100)
    for i in range(1000):
        limiter.acquire(f"10.0.{i // 256}.{i % 256}")
        clock.now += 0.001
    assert len(limiter) <= 100
    assert limiter.acquire("10.0.3.231") == 0.0  # the most recent clients are kept
    for _ in range(4):
        limiter.acquire("10.0.3.231")
    assert limiter.acquire("10.0.3.231") > 0


def test_thread_safe_no_lost_or_extra_tokens() -> None:
    limiter = TokenBucketLimiter(rate=1e-9, burst=500, clock=FakeClock())  # no refill during the test
    allowed: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        n = sum(1 for _ in range(100) if limiter.acquire("shared") == 0.0)
        with lock:
            allowed.append(n)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(allowed) == 500


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
    settings = Settings.from_env()
    assert (settings.rate_limit, settings.rate_burst, settings.trust_proxy) == (30.0, 60, True)
    monkeypatch.setenv("ARSIP_RATE_LIMIT", "very")
    with pytest.raises(ValueError, match="ARSIP_RATE_LIMIT"):
        Settings.from_env()
