"""Build the Elasticsearch client from settings and turn connection trouble into readable errors."""

from __future__ import annotations

from elasticsearch import Elasticsearch
from elasticsearch import exceptions as es_exc

try:  # orjson serialises the float vectors of a bulk request several times faster
    from elasticsearch import OrjsonSerializer
except ImportError:  # pragma: no cover - orjson is a declared dependency
    OrjsonSerializer = None

from arsip.settings import Settings


class EngineUnavailable(RuntimeError):
    """Elasticsearch cannot be reached or timed out; the message is safe to show to users."""


def make_client(settings: Settings, request_timeout: float | None = None) -> Elasticsearch:
    """A client for the configured cluster (or the local node), with TLS/API key/basic auth."""
    kwargs: dict = {
        "request_timeout": request_timeout or settings.es_request_timeout,
        "retry_on_timeout": True,
        "max_retries": 2,
    }
    if OrjsonSerializer is not None:
        kwargs["serializer"] = OrjsonSerializer()
    if settings.es_api_key:
        kwargs["api_key"] = settings.es_api_key
    elif settings.es_username:
        kwargs["basic_auth"] = (settings.es_username, settings.es_password or "")
    if settings.es_ca_certs:
        kwargs["ca_certs"] = settings.es_ca_certs
    return Elasticsearch(settings.effective_es_url, **kwargs)


def describe_engine_error(exc: Exception, settings: Settings) -> str:
    """One readable sentence about why Elasticsearch failed, never including credentials."""
    url = settings.effective_es_url
    if isinstance(exc, es_exc.ConnectionTimeout):
        return f"Elasticsearch at {url} did not answer in time; try again shortly."
    if isinstance(exc, es_exc.ConnectionError):
        hint = " Start the local node with `arsip es start`." if not settings.es_url else ""
        return f"Elasticsearch is not reachable at {url}.{hint}"
    if isinstance(exc, es_exc.AuthenticationException):
        return f"Elasticsearch at {url} rejected arsip's credentials (check ARSIP_ES_API_KEY / USERNAME)."
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
