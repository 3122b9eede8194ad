"""Entities at index time on the real node: the press release's people and organisations are stored on
its passages and as the document's union, with offsets that point at the names; ``_meta`` records the
entity model, and an index made without entities gets them through the rebuild path."""

from __future__ import annotations

from dataclasses import replace

import pytest

from arsip import index_admin
from arsip.entities.model_file import MODEL_VERSION
from indexer.orchestration import Indexer
from tests.conftest import PRESS_RELEASE, make_test_settings

pytestmark = pytest.mark.es

FIELDS = ["doc_id", "text", "entities", "doc_entities", "entity_roles", "entity_mentions"]


def _passages(es, index: str) -> list[dict]:
    es.indices.refresh(index=index)
    hits = es.search(index=index, size=100, source=FIELDS, sort=["passage_id"])["hits"]["hits"]
    return [hit["_source"] for hit in hits]


def test_release_entities_are_stored_and_rebuild_adds_them(es, base_settings, embedder):
    settings = make_test_settings(base_settings, "entities", entities=False)
    assert (
        Indexer(settings, es=es, embedder=embedder, show_progress=False).index_paths([str(PRESS_RELEASE)]).ok
    )
    assert all("doc_entities" not in p for p in _passages(es, settings.index))
    assert index_admin.index_meta(es, settings.index)["entity_model"] is None

    settings = replace(settings, entities=True)
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    again = indexer.index_paths([str(PRESS_RELEASE)])
    assert again.ok and again.unchanged == 1  # unchanged documents keep what they have...
    assert any("entity model none" in note for note in again.notes)  # ...and the run says so
    assert indexer.index_paths([str(PRESS_RELEASE)], rebuild=True).ok
    assert index_admin.index_meta(es, settings.index)["entity_model"] == MODEL_VERSION

    passages = _passages(es, settings.index)
    union = passages[0]["doc_entities"]
    assert {"Muhammad Hudori", "Dwi Wahyu Atmaji"} <= set(union["person"])
    assert {"Kementerian Dalam Negeri", "Kemenpan-RB", "Bawaslu"} <= set(union["org"])
    assert all(p["doc_entities"] == union for p in passages)  # every passage carries the union
    per_passage = {name for p in passages for kind in (p.get("entities") or {}).values() for name in kind}
    assert per_passage == {name for names in union.values() for name in names}
    for p in passages:
        for kind, start, end, name in p.get("entity_mentions") or []:
            assert p["text"][start:end].lower().split() == name.lower().split()
            assert name in (p.get("entities") or {})[kind]
