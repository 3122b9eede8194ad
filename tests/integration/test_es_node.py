"""The engine is a real, healthy Elasticsearch node of the version the project pins."""

from __future__ import annotations

import pytest

from arsip.es_node import LocalNode

pytestmark = pytest.mark.es


def test_node_is_healthy_and_real(es, base_settings):
    health = es.cluster.health()
    assert health["status"] in ("green", "yellow")
    nodes = es.nodes.info(metric="process")["nodes"]
    versions = {node["version"] for node in nodes.values()}
    if not base_settings.es_url:  # the local node managed by `arsip es`
        assert versions == {base_settings.es_version}


def test_status_reports_health_and_version(base_settings):
    if base_settings.es_url:
        pytest.skip("ARSIP_ES_URL points at an external cluster; `arsip es status` is for the local node")
    status = LocalNode(base_settings).status()
    assert status["running"] is True
    assert status["status"] in ("green", "yellow")
    assert status["version"] == base_settings.es_version


def test_start_twice_is_harmless(base_settings):
    if base_settings.es_url:
        pytest.skip("ARSIP_ES_URL points at an external cluster")
    node = LocalNode(base_settings)
    pid = node.pid()
    assert node.start() == base_settings.local_es_url
    assert node.pid() == pid
