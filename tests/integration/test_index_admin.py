"""The index is created from mappings/ behind an alias, records its model, and refuses another one."""

from __future__ import annotations

import json

import pytest

from arsip import index_admin
from arsip.model.identity import ModelIdentity
from arsip.settings import MAPPINGS_DIR
from tests.conftest import make_test_settings

pytestmark = pytest.mark.es


def test_alias_mapping_and_meta(es, base_settings, embedder):
    settings = make_test_settings(base_settings, "admin")
    physical = index_admin.ensure_index(es, settings.index, embedder.identity)
    assert index_admin.alias_targets(es, settings.index) == [physical]
    mapping = es.indices.get_mapping(index=settings.index)[physical]["mappings"]
    declared = json.loads((MAPPINGS_DIR / "passages.json").read_text())["mappings"]["properties"]
    assert set(mapping["properties"]) == set(declared)
    vector = mapping["properties"]["vector"]
    assert vector["dims"] == 384 and vector["similarity"] == "cosine"
    assert vector["index_options"]["type"] == "int8_hnsw"
    assert mapping["_meta"]["model"] == embedder.identity.as_dict()
    # a second call finds the same index instead of creating another
    assert index_admin.ensure_index(es, settings.index, embedder.identity) == physical


def test_other_model_is_a_clear_error(es, base_settings, embedder):
    settings = make_test_settings(base_settings, "mismatch")
    index_admin.ensure_index(es, settings.index, embedder.identity)
    other = ModelIdentity("someone/other-model", 384, "0123456789abcdef")
    with pytest.raises(index_admin.ModelMismatch, match="other-model"):
        index_admin.check_model(es, settings.index, other)


def test_swap_alias_is_atomic_and_returns_the_old_index(es, base_settings, embedder):
    settings = make_test_settings(base_settings, "swap")
    first = index_admin.ensure_index(es, settings.index, embedder.identity)
    second = index_admin.create_physical_index(es, settings.index, embedder.identity)
    assert index_admin.swap_alias(es, settings.index, second) == [first]
    assert index_admin.alias_targets(es, settings.index) == [second]


def test_an_index_made_before_the_stemmed_fields_gets_them_and_accepts_new_passages(
    es, base_settings, embedder
):
    settings = make_test_settings(base_settings, "older")
    body = index_admin.load_index_body(embedder.identity)
    for field in ("text_stem", "title_stem"):
        del body["mappings"]["properties"][field]  # what a mapping-2 index looks like
    physical = f"{settings.index}-v2"
    es.indices.create(
        index=physical, settings=body["settings"], mappings=body["mappings"], aliases={settings.index: {}}
    )
    assert index_admin.ensure_index(es, settings.index, embedder.identity) == physical
    properties = es.indices.get_mapping(index=physical)[physical]["mappings"]["properties"]
    assert {"text_stem", "title_stem"} <= set(properties)
    es.index(index=settings.index, id="p1", document={"text": "x", "text_stem": "x"}, refresh=True)
    assert index_admin.add_missing_fields(es, physical, embedder.identity) == []
