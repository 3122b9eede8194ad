"""Text repair end to end: mojibake never reaches the index, the report says what was repaired, new
cleaning rules re-index what they change, and a run never reads its own report."""

from __future__ import annotations

import json
import threading

import pytest

import indexer.admission
from arsip import index_admin
from indexer.cleaning import CLEANING_VERSION
from indexer.orchestration import Indexer
from tests.conftest import make_test_settings, news_records

pytestmark = pytest.mark.es

GARBLED = {
    "id": "mojibake-1",
    "title": "Indosiar gelar ‚ÄúAKSI 2019‚Äù",
    "text": "Kompetisi dakwah persembahan Indosiar ‚ÄúAKSI 2019‚Äù kian menarik untuk diikuti.,,Baca juga:,,"
    "Sebelumnya, KPK telah ‚Äémenetapkan lima tersangka di Jakarta.",
    "source": "uji",
}


def _stored(es, settings) -> dict:
    """The one document of the test index: its title and its passages' text, in order."""
    es.indices.refresh(index=settings.index)
    hits = es.search(index=settings.index, query={"match_all": {}}, size=50, sort=["position"])["hits"][
        "hits"
    ]
    assert len({h["_source"]["doc_id"] for h in hits}) == 1
    return {
        "title": hits[0]["_source"]["title"],
        "text": " ".join(" ".join(h["_source"]["text"] for h in hits).split()),
    }


def test_new_cleaning_rules_reindex_what_they_change(es, base_settings, embedder, tmp_path, monkeypatch):
    settings = make_test_settings(base_settings, "cleaning")
    indexer_ = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    # the index as the previous cleaning version (no encoding repair) left it
    with monkeypatch.context() as patch:
        patch.setattr(indexer.admission, "repair_document", lambda doc: [])
        old = indexer_.index_documents([dict(GARBLED)])
    assert old.ok and old.indexed == 1
    assert "‚Äú" in _stored(es, settings)["title"]

    report = tmp_path / "report.jsonl"
    new = indexer_.index_documents([dict(GARBLED)], report_path=str(report))
    assert new.ok and new.indexed == 1 and new.unchanged == 0 and new.repaired == 1
    assert json.loads(report.read_text(encoding="utf-8"))["repaired"] == ["encoding"]
    stored = _stored(es, settings)
    assert stored["title"] == "Indosiar gelar “AKSI 2019”"
    assert stored["text"] == (
        "Kompetisi dakwah persembahan Indosiar “AKSI 2019” kian menarik untuk diikuti. "
        "Sebelumnya, KPK telah menetapkan lima tersangka di Jakarta."
    )

    again = indexer_.index_documents([dict(GARBLED)])
    assert again.ok and again.unchanged == 1 and again.passages_written == 0
    assert index_admin.index_meta(es, settings.index)["cleaning_version"] == CLEANING_VERSION
    assert again.notes == []

    # an index made before cleaning versions existed: the run says how to bring all of it up to date
    target = index_admin.alias_targets(es, settings.index)[0]
    meta = index_admin.index_meta(es, target)
    es.indices.put_mapping(index=target, meta={**meta, "cleaning_version": None})
    older = indexer_.index_documents([dict(GARBLED)])
    assert older.ok and older.unchanged == 1
    assert older.notes and f"cleaning version 1, this run cleans with {CLEANING_VERSION}" in older.render()
    assert "--rebuild" in older.notes[0]


def test_report_inside_the_indexed_folder_is_not_read(es, base_settings, embedder, tmp_path):
    settings = make_test_settings(base_settings, "ownreport")
    folder = tmp_path / "archive"
    folder.mkdir()
    records = news_records(3)
    (folder / "news.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    report = folder / "report.jsonl"
    report.write_text(json.dumps({"id": "old", "text": "laporan lama yang tidak boleh terbaca"}) + "\n")
    result = {}

    def run() -> None:  # before the fix this never ended: the report grew while it was read
        result["summary"] = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_paths(
            [str(folder)], report_path=str(report)
        )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=300)
    assert not thread.is_alive(), "the run reads its own report"
    summary = result["summary"]
    assert summary.ok and summary.indexed == 3 and summary.documents_seen == 3 and summary.skipped == 1
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4
    assert [line["reason"] for line in lines if line["status"] == "skipped"] == [
        "this run's own --report file: not read"
    ]
    es.indices.refresh(index=settings.index)
    assert es.count(index=settings.index, query={"match_phrase": {"text": "laporan lama"}})["count"] == 0
    assert {hit["_source"]["title"] for hit in es.search(index=settings.index, size=100)["hits"]["hits"]} == {
        r["title"] for r in records
    }
