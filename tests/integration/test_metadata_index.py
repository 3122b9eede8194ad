"""A bare press release (.txt, no metadata) indexed into the real node: the title, date and place read
from its text, and how each was found, are stored on every passage; a record's own fields win."""

from __future__ import annotations

import pytest

from indexer.orchestration import Indexer
from tests.conftest import make_test_settings

pytestmark = pytest.mark.es

RELEASE = (
    "Gubernur Buka Rakor Percepatan Vaksinasi di Kupang\n\n"
    "Kupang, 12 Maret 2020 – Gubernur Nusa Tenggara Timur membuka rapat koordinasi percepatan vaksinasi "
    "bersama para bupati dan wali kota se-NTT di aula kantor gubernur.\n\n"
    "Rapat membahas ketersediaan vaksin, tenaga kesehatan dan jadwal vaksinasi di setiap kabupaten.\n"
)

FIELDS = ["title", "title_source", "date", "date_source", "place", "place_source"]


def _sources(es, index: str) -> list[dict]:
    es.indices.refresh(index=index)
    hits = es.search(index=index, size=100, source=["doc_id", *FIELDS], sort=["passage_id"])["hits"]["hits"]
    return [hit["_source"] for hit in hits]


def test_bare_release_title_date_place_are_stored_with_their_sources(es, base_settings, embedder, tmp_path):
    settings = make_test_settings(base_settings, "metadata")
    (tmp_path / "rilis.txt").write_text(RELEASE, encoding="utf-8")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    summary = indexer.index_paths([str(tmp_path / "rilis.txt")])
    assert summary.ok and summary.indexed == 1
    record = {
        "id": "rec-1",
        "title": "Judul Arsip",
        "date": "2020-03-01",
        "text": RELEASE.split("\n\n", 1)[1],
    }
    assert indexer.index_documents([record]).ok

    by_doc: dict[str, list[dict]] = {}
    for source in _sources(es, settings.index):
        by_doc.setdefault(source.pop("doc_id"), []).append(source)
    release = [values for doc_id, values in by_doc.items() if doc_id != "rec-1"]
    assert len(release) == 1 and len(release[0]) >= 1
    expected = {
        "title": "Gubernur Buka Rakor Percepatan Vaksinasi di Kupang",
        "title_source": "headline",
        "date": "2020-03-12",
        "date_source": "dateline",
        "place": "Kupang",
        "place_source": "dateline",
    }
    assert all(passage == expected for passage in release[0])  # every passage carries them
    assert by_doc["rec-1"][0] == {
        "title": "Judul Arsip",
        "title_source": "metadata",
        "date": "2020-03-01",  # the record's date wins over the dateline's 12 March
        "date_source": "metadata",
        "place": "Kupang",  # the record names no place: the dateline gives it
        "place_source": "dateline",
    }
    # The place is a keyword: filterable like source or collection.
    found = es.count(index=settings.index, query={"term": {"place": "Kupang"}})["count"]
    assert found == sum(len(values) for values in by_doc.values())
