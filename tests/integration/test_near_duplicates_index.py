"""Near-duplicate groups in the real index: across runs, on every passage, in a rebuild, switched off."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexer.near_duplicates import BANDS_FIELD, GROUP_FIELD, SIGNATURE_FIELD, decode_signature
from indexer.orchestration import Indexer
from tests.conftest import make_test_settings, news_records

pytestmark = pytest.mark.es


def _wire_copy(record: dict, new_id: str) -> dict:
    """Another outlet's copy of the story: own id, title and dateline, a few words changed, end cut."""
    text = "JAKARTA, KOMPAS.com - " + record["text"].replace(" yang ", " yg ", 2).rsplit(".", 2)[0] + "."
    return {
        **record,
        "id": new_id,
        "text": text,
        "title": "Salinan: " + record["title"],
        "url": None,
        "source": "kantor-berita",
    }


def _doc_id(record_id: str) -> str:
    return f"berita~{record_id}"  # the collection namespaces the record's id


def _passages(es, settings) -> dict[str, dict]:
    es.indices.refresh(index=settings.index)
    hits = es.search(index=settings.index, size=1000, query={"match_all": {}})["hits"]["hits"]
    return {hit["_id"]: hit["_source"] for hit in hits}


def _groups(passages: dict[str, dict]) -> dict[str, set[str | None]]:
    """doc_id → the set of dup_group values on its passages (one value when every passage has it)."""
    groups: dict[str, set[str | None]] = {}
    for source in passages.values():
        groups.setdefault(source["doc_id"], set()).add(source.get(GROUP_FIELD))
    return groups


def test_a_copy_indexed_in_a_later_run_joins_the_first_runs_group(es, base_settings, embedder):
    settings = make_test_settings(base_settings, "neardup")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    records = news_records(4)
    first = indexer.index_documents(records[:3], collection="berita")
    assert first.ok and first.indexed == 3

    original = records[1]
    second = indexer.index_documents([_wire_copy(original, "wire-copy"), records[3]], collection="berita")
    assert second.ok and second.indexed == 2

    passages = _passages(es, settings)
    groups = _groups(passages)
    ids = [_doc_id(r["id"]) for r in records]
    copy_id, original_id = _doc_id("wire-copy"), _doc_id(original["id"])
    assert groups == {
        ids[0]: {ids[0]},
        original_id: {original_id},
        ids[2]: {ids[2]},
        copy_id: {original_id},  # on every passage of the copy
        ids[3]: {ids[3]},
    }
    copy_passages = [s for s in passages.values() if s["doc_id"] == copy_id]
    assert len(copy_passages) >= 2  # "every passage" means more than the first here

    # bands and signature on the first passage only; the bands are searchable, the signature readable
    with_bands = es.search(
        index=settings.index,
        size=100,
        source=["doc_id", "position"],
        query={"exists": {"field": BANDS_FIELD}},
    )["hits"]["hits"]
    assert sorted((h["_source"]["doc_id"], h["_source"]["position"]) for h in with_bands) == sorted(
        (doc_id, 0) for doc_id in groups
    )
    first_passage = passages[f"{copy_id}:0"]
    assert BANDS_FIELD not in first_passage  # left out of _source: recomputed from the signature
    assert decode_signature(first_passage[SIGNATURE_FIELD]) is not None
    assert all(SIGNATURE_FIELD not in s for s in passages.values() if s["position"] > 0)

    # re-running changes nothing: unchanged documents are skipped and keep their group
    again = indexer.index_documents([_wire_copy(original, "wire-copy")], collection="berita")
    assert again.ok and again.unchanged == 1
    assert _groups(_passages(es, settings))[copy_id] == {original_id}


def test_rebuild_groups_copies_of_the_same_run(es, base_settings, embedder):
    settings = make_test_settings(base_settings, "neardup-rebuild")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    records = news_records(3)
    batch = [records[0], _wire_copy(records[0], "copy-a"), records[1], _wire_copy(records[0], "copy-b")]
    summary = indexer.index_documents(batch, collection="berita", rebuild=True)
    assert summary.ok and summary.indexed == 4
    groups = _groups(_passages(es, settings))
    leader = _doc_id(records[0]["id"])
    assert groups == {
        leader: {leader},
        _doc_id("copy-a"): {leader},
        _doc_id("copy-b"): {leader},
        _doc_id(records[1]["id"]): {_doc_id(records[1]["id"])},
    }
    hit = es.search(
        index=settings.index,
        size=10,
        query={"term": {GROUP_FIELD: leader}},
        collapse={"field": "doc_id"},
    )["hits"]["hits"]
    assert sorted(h["_source"]["doc_id"] for h in hit) == sorted(
        [leader, _doc_id("copy-a"), _doc_id("copy-b")]
    )


def test_grouping_switched_off_writes_no_fields(es, base_settings, embedder):
    settings = make_test_settings(base_settings, "neardup-off", near_dup=False)
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    record = news_records(1)[0]
    summary = indexer.index_documents([record, _wire_copy(record, "copy")], collection="berita")
    assert summary.ok and summary.indexed == 2
    passages = _passages(es, settings)
    assert passages and all(GROUP_FIELD not in s and SIGNATURE_FIELD not in s for s in passages.values())


def test_an_index_made_before_mapping_4_gets_the_fields_and_its_old_documents_no_group(
    es, base_settings, embedder
):
    """Old passages stay without a group (and are not candidates) until a rebuild groups everything."""
    from arsip import index_admin

    settings = make_test_settings(base_settings, "neardup-older")
    body = index_admin.load_index_body(embedder.identity)
    for field in (GROUP_FIELD, BANDS_FIELD, SIGNATURE_FIELD):
        del body["mappings"]["properties"][field]  # what a mapping-3 index looks like
    physical = f"{settings.index}-v3"
    es.indices.create(
        index=physical, settings=body["settings"], mappings=body["mappings"], aliases={settings.index: {}}
    )
    record = news_records(1)[0]
    old = Indexer(
        replace(settings, near_dup=False),
        es=es,
        embedder=embedder,
        show_progress=False,
    )
    assert old.index_documents([record], collection="berita").ok  # written without group fields

    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    summary = indexer.index_documents([_wire_copy(record, "wire-copy")], collection="berita")
    assert summary.ok and summary.indexed == 1  # the new fields were added to the old index
    properties = es.indices.get_mapping(index=physical)[physical]["mappings"]["properties"]
    assert {GROUP_FIELD, BANDS_FIELD, SIGNATURE_FIELD} <= set(properties)
    original_id, copy_id = _doc_id(record["id"]), _doc_id("wire-copy")
    assert _groups(_passages(es, settings)) == {original_id: {None}, copy_id: {copy_id}}

    rebuilt = indexer.index_documents(
        [record, _wire_copy(record, "wire-copy")], collection="berita", rebuild=True
    )
    assert rebuilt.ok and rebuilt.indexed == 2
    assert _groups(_passages(es, settings)) == {original_id: {original_id}, copy_id: {original_id}}
