"""The index body built from mappings/passages.json: model size, replicas and the stop-word list."""

from __future__ import annotations

import pytest

from arsip.index_admin import MAPPING_VERSION, IndexOptions, load_index_body, stopword_setting
from arsip.model.identity import ModelIdentity
from arsip.settings import Settings

IDENTITY = ModelIdentity(name="test-model", dimension=768, fingerprint="abc123")


def test_body_is_sized_for_the_model_and_records_it() -> None:
    body = load_index_body(IDENTITY, IndexOptions(replicas=1))
    assert body["settings"]["number_of_replicas"] == 1
    assert body["mappings"]["properties"]["vector"]["dims"] == 768
    assert body["mappings"]["_meta"]["model"]["fingerprint"] == "abc123"
    assert body["mappings"]["_meta"]["mapping_version"] == MAPPING_VERSION


def test_text_fields_index_every_word_but_search_without_stop_words() -> None:
    body = load_index_body(IDENTITY)
    analyzers = body["settings"]["analysis"]["analyzer"]
    assert "stopwords" not in analyzers["arsip_text"]
    assert analyzers["arsip_text_search"]["stopwords"] == "_indonesian_"
    for name in ("text", "title"):
        field = body["mappings"]["properties"][name]
        assert field["analyzer"] == "arsip_text"
        assert field["search_analyzer"] == "arsip_text_search"
        assert field["search_quote_analyzer"] == "arsip_text"  # quoted phrases stay exact


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("_indonesian_", "_indonesian_"),
        (" _english_ ", "_english_"),
        ("_none_", "_none_"),
        ("yang, Dan ,di", ["yang", "dan", "di"]),
        (" , ", "_none_"),
    ],
)
def test_stopword_setting(configured: str, expected: object) -> None:
    assert stopword_setting(configured) == expected
    body = load_index_body(IDENTITY, IndexOptions(stopwords=configured))
    assert body["settings"]["analysis"]["analyzer"]["arsip_text_search"]["stopwords"] == expected


def test_options_come_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARSIP_ES_REPLICAS", "1")
    monkeypatch.setenv("ARSIP_STOPWORDS", "_english_")
    assert IndexOptions.from_settings(Settings.from_env()) == IndexOptions(1, "_english_")
    monkeypatch.delenv("ARSIP_STOPWORDS")
    assert IndexOptions.from_settings(Settings.from_env()).stopwords == "_indonesian_"


def test_stemmed_twins_are_mapped_and_the_stemmer_recorded() -> None:
    body = load_index_body(IDENTITY, IndexOptions(stemming="none"))
    properties = body["mappings"]["properties"]
    for field in ("text_stem", "title_stem"):
        assert properties[field]["type"] == "text"
        assert properties[field]["search_analyzer"] == properties["text"]["search_analyzer"]
    assert body["mappings"]["_meta"]["stemming"] == "none"


def test_cleaning_version_is_recorded_in_meta() -> None:
    assert (
        load_index_body(IDENTITY, IndexOptions(cleaning_version=7))["mappings"]["_meta"]["cleaning_version"]
        == 7
    )
    assert load_index_body(IDENTITY)["mappings"]["_meta"]["cleaning_version"] is None


def test_meta_records_the_entity_model_and_the_entity_fields_exist():
    body = load_index_body(IDENTITY, IndexOptions(entity_model="crf-1"))
    assert body["mappings"]["_meta"]["entity_model"] == "crf-1"
    assert load_index_body(IDENTITY)["mappings"]["_meta"]["entity_model"] is None
    fields = body["mappings"]["properties"]
    for group in ("entities", "doc_entities"):
        assert set(fields[group]["properties"]) == {"person", "org", "place"}
    assert fields["entity_mentions"]["enabled"] is False
