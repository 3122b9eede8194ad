"""arsip against a secured Elasticsearch: a real node with TLS, a superuser password and two identities.

The module starts its own node (`arsip es start --secure` in code) on port 9400 and stops it at the end;
the suite's usual node is not touched. The indexer identity writes the sample documents through the real
indexer; the search identity (read only) serves the real app; wrong or missing credentials end in
readable errors that never contain a secret.
"""

from __future__ import annotations

import base64
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import replace

import pytest
from elasticsearch import Elasticsearch
from elasticsearch import exceptions as es_exc

from arsip.es_client import describe_engine_error, make_client
from arsip.es_node import LocalNode, NodeSpec
from arsip.es_security import PASSWORD_FILE, SECRET_VARS, read_env_file
from arsip.settings import REPO_ROOT, Settings
from searchapp.app import create_app
from searchapp.errors import SearchError
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService
from tests.conftest import SAMPLE_DIR, make_test_settings, news_records

pytestmark = [pytest.mark.es, pytest.mark.slow]

SECURE_PORT = 9400
# A well-formed but unknown API key (base64 of "id:secret"): what a typo or a revoked key looks like.
WRONG_KEY = base64.b64encode(b"arsipWrongKeyId1:definitely-not-the-right-secret-0123").decode()
QUERY = "protokol kesehatan pilkada"


@pytest.fixture(scope="module")
def secure_node(base_settings: Settings):
    """The secured node on 9400: reused when one already runs there, else started (and stopped) here."""
    settings = replace(base_settings, es_port=SECURE_PORT, es_heap="512m")
    node = LocalNode(settings, NodeSpec(http_port=SECURE_PORT, transport_port=SECURE_PORT + 100, secure=True))
    started_here = node.pid() is None
    if started_here:
        shutil.rmtree(node.node_dir / "data", ignore_errors=True)  # an empty node every run
    node.start()
    yield node
    if started_here:
        node.stop()


@pytest.fixture(scope="module")
def creds(secure_node) -> dict[str, str]:
    return read_env_file(secure_node.secure_env_file)


def _identity(base: Settings, creds: dict[str, str], search: bool) -> Settings:
    """Settings as `set -a; . secure.env` gives them: the indexer identity, plus the search one if asked."""
    settings = replace(
        base,
        es_url=creds["ARSIP_ES_URL"],
        es_ca_certs=creds["ARSIP_ES_CA_CERTS"],
        es_api_key=creds.get("ARSIP_ES_API_KEY"),
        es_username=creds.get("ARSIP_ES_USERNAME"),
        es_password=creds.get("ARSIP_ES_PASSWORD"),
        es_search_api_key=None,
        es_search_username=None,
        es_search_password=None,
    )
    if search:
        settings = replace(
            settings,
            es_search_api_key=creds.get("ARSIP_ES_SEARCH_API_KEY"),
            es_search_username=creds.get("ARSIP_ES_SEARCH_USERNAME"),
            es_search_password=creds.get("ARSIP_ES_SEARCH_PASSWORD"),
        )
    return settings


def _secrets(creds: dict[str, str], node: LocalNode) -> list[str]:
    password = (node.node_dir / PASSWORD_FILE).read_text().strip()
    return [password, WRONG_KEY, *(creds[k] for k in SECRET_VARS if creds.get(k))]


@pytest.fixture(scope="module")
def indexer_settings(base_settings, creds) -> Settings:
    return make_test_settings(_identity(base_settings, creds, search=False), "secure")


@pytest.fixture(scope="module")
def indexed(indexer_settings, embedder) -> Settings:
    """The press release and 10 news articles, written by the real indexer with the indexer identity."""
    from indexer.orchestration import Indexer

    indexer = Indexer(indexer_settings, embedder=embedder, show_progress=False)
    first = indexer.index_paths([str(SAMPLE_DIR / "humas")], source="humas", collection="siaran-pers")
    second = indexer.index_documents(news_records(10), collection="berita")
    assert first.ok and second.ok, (first.render(), second.render())
    yield indexer_settings
    indexer.es.indices.delete(index=first.index)


@pytest.fixture(scope="module")
def search_settings(indexed, creds) -> Settings:
    """The search app's settings: same index, the read-only identity for its client."""
    return replace(
        indexed,
        es_search_api_key=creds.get("ARSIP_ES_SEARCH_API_KEY"),
        es_search_username=creds.get("ARSIP_ES_SEARCH_USERNAME"),
        es_search_password=creds.get("ARSIP_ES_SEARCH_PASSWORD"),
    )


@pytest.fixture(scope="module")
def search_client(search_settings) -> Elasticsearch:
    return make_client(search_settings, request_timeout=30, for_search=True)


# ----------------------------------------------------------------------------- the node
def test_credentials_are_private_files_and_never_printed(secure_node, creds):
    for path in (secure_node.secure_env_file, secure_node.node_dir / PASSWORD_FILE):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert creds["ARSIP_ES_URL"] == f"https://127.0.0.1:{SECURE_PORT}"
    assert os.path.exists(creds["ARSIP_ES_CA_CERTS"])
    status = secure_node.status()
    assert status["running"] and status["secure"] and status["status"] in ("green", "yellow")
    proc = subprocess.run(
        [sys.executable, "-m", "arsip_cli", "es", "status", "--port", str(SECURE_PORT)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"secure": true' in proc.stdout
    for secret in _secrets(creds, secure_node):
        assert secret not in proc.stdout + proc.stderr + repr(status) + repr(secure_node.credentials())


def test_plain_http_is_refused(secure_node, base_settings):
    settings = replace(base_settings, es_url=f"http://127.0.0.1:{SECURE_PORT}")
    client = make_client(settings, request_timeout=10)
    with pytest.raises(es_exc.ConnectionError) as caught:
        client.info()
    assert describe_engine_error(caught.value, settings) == (
        f"Elasticsearch is not reachable at http://127.0.0.1:{SECURE_PORT}."
    )


def test_no_credentials_is_a_readable_401(secure_node, creds, base_settings):
    anonymous = replace(base_settings, es_url=creds["ARSIP_ES_URL"], es_ca_certs=creds["ARSIP_ES_CA_CERTS"])
    client = make_client(anonymous, request_timeout=10)
    with pytest.raises(es_exc.AuthenticationException) as caught:
        client.info()
    assert caught.value.meta.status == 401
    message = describe_engine_error(caught.value, anonymous)
    assert message.startswith(
        f"Elasticsearch at https://127.0.0.1:{SECURE_PORT} rejected arsip's credentials"
    )
    for secret in _secrets(creds, secure_node):
        assert secret not in message


def test_tls_is_verified_against_the_ca(secure_node, creds, base_settings):
    """Without the node's CA the client refuses the certificate rather than trusting anything."""
    settings = _identity(base_settings, creds, search=False)
    client = make_client(replace(settings, es_ca_certs=None), request_timeout=10)
    with pytest.raises(es_exc.ConnectionError):  # TlsError: certificate verify failed
        client.cluster.health()
    nodes = make_client(settings, request_timeout=10).nodes.info(metric="process")["nodes"]
    assert {node["version"] for node in nodes.values()} == {settings.es_version}  # (the zip has no GET /)


# ----------------------------------------------------------------------------- the indexer identity
def test_indexer_identity_indexes_the_samples(indexed, embedder):
    client = make_client(indexed, request_timeout=30)
    client.indices.refresh(index=indexed.index)
    docs = client.search(index=indexed.index, size=0, aggs={"d": {"cardinality": {"field": "doc_id"}}})
    assert docs["aggregations"]["d"]["value"] == 11  # the press release + 10 news articles


def test_indexer_identity_is_limited_to_arsip_indices(indexed):
    client = make_client(indexed, request_timeout=30)
    with pytest.raises(es_exc.AuthorizationException):
        client.indices.create(index="not-arsip-probe")
    with pytest.raises(es_exc.AuthorizationException):
        client.cluster.put_settings(persistent={"cluster.routing.allocation.enable": "all"})


# ----------------------------------------------------------------------------- the search identity
def test_search_identity_searches_through_service_and_api(search_settings, embedder):
    service = SearchService(search_settings, embedder=embedder)
    result = service.search(SearchRequest(q=QUERY, mode="hybrid"))
    assert result["total"] >= 1 and result["results"][0]["source"] == "humas"
    app = create_app(search_settings, service=service)
    response = app.test_client().get(f"/api/search?q={QUERY.replace(' ', '+')}&mode=keyword")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["results"]


def test_search_identity_cannot_write_delete_or_create(search_settings, search_client):
    index = search_settings.index
    attempts = {
        "index a document": lambda: search_client.index(index=index, document={"text": "x"}),
        "delete a document": lambda: search_client.delete(index=index, id="anything"),
        "update a document": lambda: search_client.update(index=index, id="anything", doc={"text": "x"}),
        "create an index": lambda: search_client.indices.create(index=f"{index}-evil"),
        "delete the index": lambda: search_client.indices.delete(index=index),
        "move the alias": lambda: search_client.indices.put_alias(index=index, name="arsip-evil"),
    }
    for what, attempt in attempts.items():
        with pytest.raises(es_exc.AuthorizationException) as caught:
            attempt()
        assert caught.value.meta.status == 403, what
        assert "not allowed" in describe_engine_error(caught.value, search_settings), what
    assert search_client.count(index=index)["count"] > 0  # and the index is still there


@pytest.mark.parametrize("wrong", ["api_key", "password"])
def test_api_answers_503_without_secrets_on_wrong_credentials(search_settings, embedder, creds, wrong):
    bad = (
        replace(search_settings, es_search_api_key=WRONG_KEY)
        if wrong == "api_key"
        else replace(
            search_settings,
            es_search_api_key=None,
            es_search_username="arsip_search",
            es_search_password=WRONG_KEY,
        )
    )
    app = create_app(bad, service=SearchService(bad, embedder=embedder))
    response = app.test_client().get("/api/search?q=pilkada&mode=keyword")
    text = response.get_data(as_text=True)
    assert response.status_code == 503, text
    error = response.get_json()["error"]
    assert error["code"] == "engine_unavailable"
    assert "rejected arsip's credentials" in error["message"]
    assert "Traceback" not in text and "security_exception" not in text
    for secret in (WRONG_KEY, *(creds[k] for k in SECRET_VARS if creds.get(k))):
        assert secret not in text
    with pytest.raises(SearchError):  # the same from Python
        SearchService(bad, embedder=embedder).search(SearchRequest(q="pilkada", mode="keyword"))


def test_cli_index_with_a_wrong_key_fails_without_showing_it(indexed, creds, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARSIP_ES_") or k == "ARSIP_ES_VERSION"}
    env.update(
        ARSIP_ES_URL=creds["ARSIP_ES_URL"],
        ARSIP_ES_CA_CERTS=creds["ARSIP_ES_CA_CERTS"],
        ARSIP_ES_API_KEY=WRONG_KEY,
        ARSIP_INDEX=f"{indexed.index}-cli",
        ARSIP_TORCH_THREADS="1",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "arsip_cli",
            "index",
            str(SAMPLE_DIR / "humas"),
            "--no-progress",
            "--report",
            str(tmp_path / "report.jsonl"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "rejected arsip's credentials" in output
    assert "Traceback" not in output
    report = (tmp_path / "report.jsonl").read_text() if (tmp_path / "report.jsonl").exists() else ""
    for secret in (WRONG_KEY, WRONG_KEY.split("=")[0], *(creds[k] for k in SECRET_VARS if creds.get(k))):
        assert secret not in output
        assert secret not in report
