"""Credentials never reach a message: URL userinfo, API keys and passwords are masked."""

from __future__ import annotations

import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import exceptions as es_exc

from arsip.es_client import describe_engine_error, make_client, redact, redact_url
from arsip.settings import Settings

API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
SEARCH_KEY = "c2VhcmNoLWtleS1pZDpzZWFyY2gtc2VjcmV0LXZhbHVl"
PASSWORD = "s3cr3t-Pa55word"


def _api_error(cls, status: int):
    meta = ApiResponseMeta(
        status=status,
        http_version="1.1",
        headers=HttpHeaders(),
        duration=0.01,
        node=NodeConfig("https", "es.example.org", 9200),
    )
    body = {"error": {"type": "security_exception", "reason": f"denied for api key {API_KEY}"}}
    return cls(message="security_exception", meta=meta, body=body)


def _errors() -> list[Exception]:
    return [
        es_exc.ConnectionError(f"cannot connect to https://elastic:{PASSWORD}@es.example.org:9200"),
        es_exc.ConnectionTimeout("timed out"),
        _api_error(es_exc.AuthenticationException, 401),
        _api_error(es_exc.AuthorizationException, 403),
        _api_error(es_exc.BadRequestError, 400),
        es_exc.TransportError("boom"),
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://elastic:pa55@es.example.org:9200", "https://***@es.example.org:9200"),
        ("https://token@es.example.org", "https://***@es.example.org"),
        ("http://127.0.0.1:9200", "http://127.0.0.1:9200"),
        ("https://a:b@h1:9200,https://c:d@h2:9200", "https://***@h1:9200,https://***@h2:9200"),
        ("https://user:p%40ss@host:9200/prefix", "https://***@host:9200/prefix"),
    ],
)
def test_redact_url_drops_userinfo(url, expected):
    assert redact_url(url) == expected


def test_redact_masks_every_configured_secret():
    settings = Settings(
        es_url=f"https://admin:{PASSWORD}@es.example.org:9200",
        es_api_key=API_KEY,
        es_search_api_key=SEARCH_KEY,
        es_search_password="another-secret",
    )
    text = f"key {API_KEY} search {SEARCH_KEY} pw {PASSWORD} other another-secret"
    cleaned = redact(text, settings)
    for secret in (API_KEY, SEARCH_KEY, PASSWORD, "another-secret"):
        assert secret not in cleaned
    assert cleaned.startswith("key *** search ***")


@pytest.mark.parametrize("exc", _errors(), ids=lambda e: type(e).__name__)
def test_describe_engine_error_never_shows_credentials(exc):
    settings = Settings(
        es_url=f"https://elastic:{PASSWORD}@es.example.org:9200",
        es_api_key=API_KEY,
        es_search_api_key=SEARCH_KEY,
        es_username="elastic",
        es_password=PASSWORD,
    )
    message = describe_engine_error(exc, settings)
    assert "es.example.org:9200" in message  # still says where
    for secret in (PASSWORD, API_KEY, SEARCH_KEY, f"elastic:{PASSWORD}"):
        assert secret not in message
    assert "@" not in message.replace("***@", "")


def test_describe_engine_error_messages_are_specific():
    settings = Settings(es_url="https://es.example.org:9200", es_api_key=API_KEY)
    auth = describe_engine_error(_api_error(es_exc.AuthenticationException, 401), settings)
    assert "rejected arsip's credentials" in auth and "ARSIP_ES_API_KEY" in auth
    denied = describe_engine_error(_api_error(es_exc.AuthorizationException, 403), settings)
    assert "not allowed" in denied


def test_settings_repr_hides_secrets():
    settings = Settings(
        es_api_key=API_KEY, es_password=PASSWORD, es_search_api_key=SEARCH_KEY, es_search_password="x" * 12
    )
    text = repr(settings)
    for secret in (API_KEY, PASSWORD, SEARCH_KEY, "x" * 12):
        assert secret not in text


def test_search_identity_is_used_only_for_search():
    settings = Settings(
        es_url="https://es.example.org:9200",
        es_api_key="aW5kZXhlcjprZXk=",
        es_search_api_key="c2VhcmNoOmtleQ==",
    )
    indexer = make_client(settings)
    search = make_client(settings, for_search=True)
    assert indexer._headers["authorization"] == "ApiKey aW5kZXhlcjprZXk="
    assert search._headers["authorization"] == "ApiKey c2VhcmNoOmtleQ=="
    fallback = make_client(
        Settings(es_url="https://es.example.org:9200", es_api_key="a2V5OmtleQ=="), for_search=True
    )
    assert fallback._headers["authorization"] == "ApiKey a2V5OmtleQ=="
    users = Settings(
        es_url="https://es.example.org:9200",
        es_username="arsip_indexer",
        es_password="pw-indexer",
        es_search_username="arsip_search",
        es_search_password="pw-search",
    )
    assert make_client(users, for_search=True)._headers["authorization"].startswith("Basic ")
    assert make_client(users, for_search=True)._headers != make_client(users)._headers
