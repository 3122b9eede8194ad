"""Issue 24: an archive that stays in sync — duplicate ids, pruning and deleting, against the real node."""

from __future__ import annotations

import json

import pytest

from indexer.orchestration import Indexer
from tests.conftest import make_test_settings

pytestmark = pytest.mark.es

OTHERS = 70  # more than one admission batch (64) lies between the two "flip" records


def _record(doc_id: str, text: str) -> str:
    return json.dumps({"id": doc_id, "title": doc_id, "text": text, "source": "uji"}) + "\n"


def _stored_text(es, settings, doc_id: str) -> str:
    return es.get(index=settings.index, id=f"{doc_id}:0")["_source"]["text"]


def test_the_first_record_with_an_id_wins_on_every_run(es, base_settings, embedder, tmp_path):
    settings = make_test_settings(base_settings, "dupes")
    path = tmp_path / "flip.jsonl"
    lines = [_record("flip", "Catatan pertama tentang banjir di kota, versi flip A.")]
    lines += [
        _record(f"r{i}", f"Catatan nomor {i} tentang pasar dan harga beras hari ini.") for i in range(OTHERS)
    ]
    lines += [_record("flip", "Catatan kedua tentang banjir di kota, versi flip B.")]  # line 72
    lines += [_record("pair", "Pasangan pertama yang disimpan."), _record("pair", "Pasangan kedua, dibuang.")]
    path.write_text("".join(lines), encoding="utf-8")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    for run in (1, 2, 3):
        report = tmp_path / f"report{run}.jsonl"
        summary = indexer.index_paths([str(path)], report_path=str(report))
        assert "flip A" in _stored_text(es, settings, "flip") and "pertama" in _stored_text(
            es, settings, "pair"
        )
        assert summary.duplicates == 2 and summary.failed == 0 and not summary.ok  # exit status 1
        assert (summary.indexed, summary.unchanged) == ((OTHERS + 2, 0) if run == 1 else (0, OTHERS + 2))
        entries = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
        assert len(entries) == len(lines)  # one report line per record
        duplicates = [(e["doc_id"], e["line"]) for e in entries if e["status"] == "duplicate"]
        assert duplicates == [("flip", OTHERS + 2), ("pair", OTHERS + 4)]
        reasons = [e["reason"] for e in entries if e["status"] == "duplicate"]
        assert f"{path} line 1" in reasons[0] and f"{path} line {OTHERS + 3}" in reasons[1]
        assert all(e["line"] is not None for e in entries)
        assert "DUPLICATE" in summary.render() and f"line {OTHERS + 2}" in summary.render()


TOPICS = ["banjir", "pasar", "sekolah", "jalan", "pajak"]


def _topic_record(i: int) -> str:
    topic = TOPICS[i % len(TOPICS)]
    return _record(f"doc-{i:03d}", f"Laporan {i} tentang {topic} di kecamatan nomor {i}, disusun oleh warga.")


def test_prune_removes_what_the_input_lost_and_nothing_else(es, base_settings, embedder, tmp_path):
    from searchapp.errors import SearchError
    from searchapp.search_request import SearchRequest
    from searchapp.service import SearchService

    settings = make_test_settings(base_settings, "prune")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    other = tmp_path / "other.jsonl"  # another input of the same index: outside the pruned scope
    other.write_text(
        _record("elsewhere", "Catatan dari berkas lain tentang banjir dan pasar."), encoding="utf-8"
    )
    assert indexer.index_paths([str(other)]).ok
    path = tmp_path / "sync.jsonl"
    path.write_text("".join(_topic_record(i) for i in range(30)), encoding="utf-8")
    assert indexer.index_paths([str(path)]).indexed == 30
    gone = {3, 10, 11, 20, 29}  # five lines deleted from the file
    path.write_text("".join(_topic_record(i) for i in range(30) if i not in gone), encoding="utf-8")
    report = tmp_path / "report.jsonl"
    summary = indexer.index_paths([str(path)], prune=True, report_path=str(report))
    assert summary.ok and (summary.unchanged, summary.indexed, summary.removed) == (25, 0, 5)
    assert summary.passages_deleted == 5 and "documents removed: 5" in summary.render()
    removed = {json.loads(line)["doc_id"] for line in report.read_text().splitlines() if '"removed"' in line}
    assert removed == {f"doc-{i:03d}" for i in gone}
    service = SearchService(settings, es=es, embedder=embedder)
    totals = service.search(SearchRequest(q="laporan", mode="keyword"))["totals"]
    assert totals["documents"] == 25
    for doc_id in ("doc-003", "doc-029"):
        with pytest.raises(SearchError) as error:
            service.get_document(doc_id)
        assert error.value.status == 404
    similar = service.similar("doc-000:0", 50)
    assert not {hit["doc_id"] for hit in similar["results"]} & removed
    assert service.get_document("elsewhere")  # another file's document stays
    # a run with a failed record prunes nothing (the record may be one whose line broke)
    path.write_text(_topic_record(0) + "{not json}\n", encoding="utf-8")
    broken = indexer.index_paths([str(path)], prune=True)
    assert broken.failed == 1 and broken.removed == 0 and "nothing pruned" in broken.render()


def test_delete_by_id_source_collection_and_query(es, base_settings, embedder, tmp_path):
    import os
    import subprocess
    import sys

    settings = make_test_settings(base_settings, "delete")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    records = [json.loads(_topic_record(i)) for i in range(20)]
    for record in records[10:]:
        record["source"] = "lain"
    assert indexer.index_documents(records).indexed == 20

    def delete(*options: str) -> dict:
        env = {**os.environ, "ARSIP_INDEX": settings.index}
        command = [sys.executable, "-m", "arsip_cli", "delete", *options]
        proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    def held() -> set[str]:
        es.indices.refresh(index=settings.index)
        answer = es.search(index=settings.index, size=100, source=["doc_id"], query={"match_all": {}})
        return {hit["_source"]["doc_id"] for hit in answer["hits"]["hits"]}

    dry = delete("--query", "banjir", "--dry-run")  # documents 0, 5, 10, 15 mention banjir
    assert (dry["documents"], dry["dry_run"]) == (4, True) and len(held()) == 20
    assert delete("--id", "doc-001", "--id", "doc-002")["documents"] == 2
    assert delete("--query", "banjir", "--source", "uji")["doc_ids"] == ["doc-000", "doc-005"]
    assert delete("--source", "lain")["documents"] == 10
    assert held() == {f"doc-{i:03d}" for i in (3, 4, 6, 7, 8, 9)}
    proc = subprocess.run([sys.executable, "-m", "arsip_cli", "delete"], capture_output=True, text=True)
    assert proc.returncode == 2 and "name the documents" in proc.stderr


def test_the_records_own_id_is_kept_returned_and_found(es, base_settings, embedder, tmp_path):
    from urllib.parse import quote

    from indexer.readers.ids import make_doc_id
    from searchapp.app import create_app
    from searchapp.service import SearchService

    settings = make_test_settings(base_settings, "record-id")
    path = tmp_path / "humas.jsonl"
    record_id = "humas/2020:000"
    path.write_text(
        _record("plain", "Rapat kerja daerah membahas anggaran.")
        + _record(record_id, "Siaran pers rakernas.")
    )
    report = tmp_path / "report.jsonl"
    assert (
        Indexer(settings, es=es, embedder=embedder, show_progress=False)
        .index_paths([str(path)], report_path=str(report))
        .ok
    )
    internal = make_doc_id(record_id)
    assert internal.startswith("humas_2020_000-") and internal != record_id
    entries = [json.loads(line) for line in report.read_text().splitlines()]
    assert sorted((e["line"], e["doc_id"], e["path"]) for e in entries) == [
        (1, "plain", str(path)),
        (2, internal, str(path)),
    ]
    client = create_app(settings, service=SearchService(settings, es=es, embedder=embedder)).test_client()
    result = client.get("/api/search?q=rakernas&mode=keyword").json["results"][0]
    assert (result["doc_id"], result["record_id"]) == (internal, record_id)
    by_record = client.get(f"/api/documents/{quote(record_id, safe='')}")
    assert by_record.status_code == 200 and by_record.json["doc_id"] == internal
    assert by_record.json["record_id"] == record_id
    assert client.get(f"/api/documents/{internal}").json["record_id"] == record_id
    rows = client.get("/api/export?q=rakernas&mode=keyword&format=jsonl").get_data(as_text=True).splitlines()
    assert json.loads(rows[0])["record_id"] == record_id
    page = client.get(f"/documents/{quote(record_id, safe='')}").get_data(as_text=True)
    assert f"<code>{record_id}</code>" in page


def test_partial_dates_filter_and_count_with_their_precision(es, base_settings, embedder):
    from searchapp.app import create_app
    from searchapp.service import SearchService

    settings = make_test_settings(base_settings, "partial-dates")
    text = "Rapat warga membahas saluran air di kampung."
    records = [
        {"id": "month", "text": text, "date": "2020-06"},
        {"id": "year", "text": text, "date": "2020"},
        {"id": "day", "text": text, "date": "2020-06-15"},
        {"id": "none", "text": text, "date": "kemarin"},
    ]
    summary = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_documents(records)
    assert summary.indexed == 4 and summary.with_ignored == 1
    client = create_app(settings, service=SearchService(settings, es=es, embedder=embedder)).test_client()
    june = client.get(
        "/api/search?q=saluran&mode=keyword&dedupe=false&date_from=2020-06-01&date_to=2020-06-30"
    ).json
    assert sorted(r["doc_id"] for r in june["results"]) == ["day", "month"]
    precision = {r["doc_id"]: (r["date"], r["date_precision"]) for r in june["results"]}
    assert precision == {"day": ("2020-06-15", None), "month": ("2020-06", "month")}
    answer = client.get("/api/search?q=saluran&mode=keyword").json
    months = {b["key"]: b["documents"] for b in answer["histogram"]["buckets"] if b["documents"]}
    assert months == {"2020-01": 1, "2020-06": 2} and answer["histogram"]["undated_documents"] == 1
