"""Shared fixtures: the real Elasticsearch node, the real model, a real sample index, a live app.

Tests that need the node fail with a clear message when it is missing (never skip silently):
`make test` starts it; so does `arsip es start`.
"""

from __future__ import annotations

import json
import threading
import uuid
from contextlib import contextmanager
from dataclasses import replace

import pytest

from arsip.settings import REPO_ROOT, Settings

# One prefix per pytest session, so two sessions against the same node never delete each other's indices.
TEST_PREFIX = f"arsip-test-{uuid.uuid4().hex[:6]}"
SAMPLE_DIR = REPO_ROOT / "samples" / "archive"
NEWS_SAMPLE = SAMPLE_DIR / "news" / "news_clickid_sample.jsonl"
PRESS_RELEASE = SAMPLE_DIR / "humas" / "press-release-rakernas-2020.txt"


def make_test_settings(base: Settings, name: str, **changes) -> Settings:
    """Settings pointing at a fresh, uniquely named test alias."""
    unique = f"{TEST_PREFIX}-{name}-{uuid.uuid4().hex[:8]}"
    changes.setdefault("saved_searches_index", f"{unique}-saved")  # never the real saved searches
    return replace(base, index=unique, **changes)


def news_records(limit: int) -> list[dict]:
    with open(NEWS_SAMPLE, encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(limit), fh, strict=False)]


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="session")
def es(base_settings: Settings):
    from arsip.es_client import make_client, redact_url

    client = make_client(base_settings, request_timeout=120)
    try:
        client.cluster.health(timeout="5s")
    except Exception as exc:  # noqa: BLE001
        pytest.fail(
            f"Elasticsearch is not reachable at {redact_url(base_settings.effective_es_url)} "
            f"({type(exc).__name__}). "
            "Run the suite with `make test` (it starts the local node) or start it with `arsip es start`.",
            pytrace=False,
        )
    yield client
    for name in client.indices.get(index=f"{TEST_PREFIX}-*", expand_wildcards="all"):
        client.indices.delete(index=name)


@pytest.fixture(scope="session")
def embedder(base_settings: Settings):
    from arsip.model.errors import ModelNotInstalled
    from arsip.model.loader import load_encoder

    try:
        return load_encoder(base_settings)
    except ModelNotInstalled as exc:
        pytest.fail(f"{exc} (`make test` builds it)", pytrace=False)


@pytest.fixture(scope="session")
def torch_embedder(base_settings: Settings):
    """The sentence-transformers (torch fp32) encoder the fast encoders are measured against."""
    from dataclasses import replace

    from arsip.model.loader import load_encoder

    return load_encoder(replace(base_settings, encoder="torch"))


@pytest.fixture(scope="session")
def sample_settings(base_settings: Settings, es, embedder) -> Settings:
    """A real index holding the press release and 40 news articles, as the indexer writes them."""
    from indexer.orchestration import Indexer

    settings = make_test_settings(base_settings, "sample")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    first = indexer.index_paths([str(SAMPLE_DIR / "humas")], source="humas", collection="siaran-pers")
    second = indexer.index_documents(news_records(40), collection="berita")
    assert first.ok and second.ok, (first.render(), second.render())
    return settings


@pytest.fixture(scope="session")
def search_service(sample_settings: Settings, es, embedder):
    from searchapp.service import SearchService

    return SearchService(sample_settings, es=es, embedder=embedder)


@pytest.fixture(scope="session")
def live_server_url(sample_settings: Settings, search_service):
    """The real app, served by waitress on a free loopback port, over the sample index."""
    with served_app(sample_settings, search_service) as url:
        yield url


@contextmanager
def served_app(settings: Settings, service):
    """The real app over ``service``, served by waitress on a free loopback port; yields its base URL.
    The rate limit is off: tests may hammer it."""
    from waitress.server import create_server

    from searchapp.app import create_app

    app = create_app(replace(settings, rate_limit=0), service=service)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
