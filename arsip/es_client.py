"""Build the Elasticsearch client from settings and turn connection trouble into readable errors."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from elasticsearch import Elasticsearch
from elasticsearch import exceptions as es_exc

try:  # orjson serialises the float vectors of a bulk request several times faster
    from elasticsearch import OrjsonSerializer
except ImportError:  # pragma: no cover - orjson is a declared dependency
    OrjsonSerializer = None

from arsip.settings import Settings


def make_client(
    settings: Settings,
    request_timeout: float | None = None,
    retry_on_timeout: bool = True,
    for_search: bool = False,
) -> Elasticsearch:
    """A client for the configured cluster (or the local node), with TLS/API key/basic auth.

    ``ARSIP_ES_URL`` may list several nodes, comma-separated: the client spreads requests over them and
    moves to another node when one is down. Interactive callers pass ``retry_on_timeout=False``: against
    a stalled cluster a retry only makes the user wait twice as long. ``for_search`` (the search app)
    uses the read-only identity ``ARSIP_ES_SEARCH_API_KEY`` / ``_USERNAME`` where one is configured.
    """
    kwargs: dict = {
        "request_timeout": request_timeout or settings.es_request_timeout,
        "retry_on_timeout": retry_on_timeout,
        "max_retries": 2,
    }
    if OrjsonSerializer is not None:
        kwargs["serializer"] = OrjsonSerializer()
    api_key, username, password = settings.es_api_key, settings.es_username, settings.es_password
    if for_search and (settings.es_search_api_key or settings.es_search_username):
        api_key = settings.es_search_api_key
        username, password = settings.es_search_username, settings.es_search_password
    if api_key:
        kwargs["api_key"] = api_key
    elif username:
        kwargs["basic_auth"] = (username, password or "")
    if settings.es_ca_certs:
        kwargs["ca_certs"] = settings.es_ca_certs
    hosts = [url.strip() for url in settings.effective_es_url.split(",") if url.strip()]
    return Elasticsearch(hosts, **kwargs)


def redact_url(url: str) -> str:
    """The URL(s) without ``user:password@`` (comma-separated lists too): safe to print."""
    parts = []
    for part in url.split(","):
        try:
            split = urlsplit(part.strip())
            netloc = split.netloc
        except ValueError:
            parts.append("<unparseable URL>")
            continue
        if "@" in netloc:
            split = split._replace(netloc="***@" + netloc.rsplit("@", 1)[1])
        parts.append(urlunsplit(split))
    return ",".join(parts)


def redact(text: str, settings: Settings) -> str:
    """``text`` with every configured secret (API keys, passwords, URL userinfo) masked."""
    secrets = [
        settings.es_api_key,
        settings.es_password,
        settings.es_search_api_key,
        settings.es_search_password,
    ]
    for url in (settings.es_url or "").split(","):
        try:
            split = urlsplit(url.strip())
        except ValueError:
            continue
        if "@" in split.netloc:
            userinfo = split.netloc.rsplit("@", 1)[0]
            secrets += [userinfo, *userinfo.split(":", 1)[1:]]
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        if len(secret) >= 4:  # masking a 1-3 character "secret" would garble ordinary words
            text = text.replace(secret, "***")
    return text


def describe_engine_error(exc: Exception, settings: Settings) -> str:
    """One readable sentence about why Elasticsearch failed, never including credentials."""
    return redact(_describe(exc, settings), settings)


def _describe(exc: Exception, settings: Settings) -> str:
    url = redact_url(settings.effective_es_url)
    if isinstance(exc, es_exc.ConnectionTimeout):
        return f"Elasticsearch at {url} did not answer in time; try again shortly."
    if isinstance(exc, es_exc.ConnectionError):
        hint = " Start the local node with `arsip es start`." if not settings.es_url else ""
        return f"Elasticsearch is not reachable at {url}.{hint}"
    if isinstance(exc, es_exc.AuthenticationException):
        return (
            f"Elasticsearch at {url} rejected arsip's credentials (check ARSIP_ES_API_KEY or "
            "ARSIP_ES_USERNAME / ARSIP_ES_PASSWORD; the search app: ARSIP_ES_SEARCH_*)."
        )
    if isinstance(exc, es_exc.AuthorizationException):
        return f"arsip's Elasticsearch identity is not allowed to do this on {url}."
    return f"Elasticsearch at {url} failed: {type(exc).__name__}."


ENGINE_ERRORS = (
    es_exc.ConnectionError,
    es_exc.ConnectionTimeout,
    es_exc.AuthenticationException,
    es_exc.AuthorizationException,
    es_exc.TransportError,
)
