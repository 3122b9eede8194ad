"""The indexer against the real node: idempotent, replaces changed documents, resumes, reports failures."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from indexer.orchestration import Indexer
from tests.conftest import PRESS_RELEASE, make_test_settings, news_records

pytestmark = pytest.mark.es


def _count(es, settings) -> int:
    es.indices.refresh(index=settings.index)
    return es.count(index=settings.index)["count"]


def _passage_ids(es, settings) -> set[str]:
    es.indices.refresh(index=settings.index)
    hits = es.search(index=settings.index, size=10_000, source=False, query={"match_all": {}})["hits"]["hits"]
    return {hit["_id"] for hit in hits}


def test_rerun_is_unchanged_and_writes_nothing(es, base_settings, embedder):
    settings = make_test_settings(base_settings, "rerun")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    records = news_records(8)
    first = indexer.index_documents(records, collection="berita")
    assert first.ok and first.indexed == 8 and first.passages_written > 8
    count = _count(es, settings)
    assert count == first.passages_written
    second = indexer.index_documents(records, collection="berita")
    assert second.ok and second.unchanged == 8 and second.indexed == 0
    assert second.passages_written == 0
    assert _count(es, settings) == count


def test_changed_document_replaces_all_its_passages(es, base_settings, embedder):
    settings = make_test_settings(base_settings, "changed")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    long_text = "\n\n".join(
        f"Paragraf nomor {i} membahas anggaran daerah tahun {2000 + i} secara rinci "
        f"dengan banyak angka dan nama pejabat yang berbeda-beda setiap tahunnya. " * 3
        for i in range(8)
    )
    doc = {"id": "doc-1", "title": "Anggaran", "text": long_text, "source": "uji"}
    first = indexer.index_documents([doc])
    assert first.ok
    before = _passage_ids(es, settings)
    assert len(before) >= 3
    doc["text"] = "Dokumen ini sekarang hanya berisi satu paragraf pendek tentang anggaran daerah."
    second = indexer.index_documents([doc])
    assert second.ok and second.indexed == 1
    after = _passage_ids(es, settings)
    assert after == {"doc-1:0"}  # no orphans of the longer version
    assert second.passages_deleted == len(before) - 1
    text = es.get(index=settings.index, id="doc-1:0")["_source"]["text"]
    assert text.startswith("Dokumen ini sekarang")


def test_broken_inputs_are_reported_and_good_ones_indexed(es, base_settings, embedder, tmp_path):
    settings = make_test_settings(base_settings, "broken")
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "good.txt").write_text(PRESS_RELEASE.read_text(encoding="utf-8"), encoding="utf-8")
    (archive / "junk.txt").write_bytes(os.urandom(4096))
    (archive / "empty.html").write_text("", encoding="utf-8")
    good_record = news_records(1)[0]
    (archive / "mixed.jsonl").write_text(
        json.dumps(good_record, ensure_ascii=False)
        + "\n{not json}\n"
        + json.dumps({"id": "x", "text": 42})
        + "\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.jsonl"
    summary = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_paths(
        [str(archive)], report_path=str(report)
    )
    assert summary.indexed == 2
    assert summary.failed == 4
    assert not summary.ok
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    failed = [line for line in lines if line["status"] == "failed"]
    assert len(failed) == 4 and all(line["reason"] for line in failed)
    jsonl_failures = sorted(line["reason"] for line in failed if line["path"].endswith("mixed.jsonl"))
    assert [reason.split(":")[0] for reason in jsonl_failures] == ["line 2", "line 3"]
    assert {line["status"] for line in lines} == {"indexed", "failed"}


def test_cli_exit_status_and_summary(base_settings, tmp_path):
    settings = make_test_settings(base_settings, "cli")
    (tmp_path / "junk.pdf").write_bytes(b"\x00\x01 not a pdf")
    env = {**os.environ, "ARSIP_INDEX": settings.index}
    proc = subprocess.run(
        [sys.executable, "-m", "arsip_cli", "index", str(tmp_path), "--no-progress"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "failed:         1" in proc.stderr and "junk.pdf" in proc.stderr


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_passage_count(es, base_settings, embedder, tmp_path):
    """SIGKILL the indexer halfway; a rerun ends with exactly the passages of an uninterrupted run."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in news_records(400)), encoding="utf-8"
    )
    reference = make_test_settings(base_settings, "reference")
    full = Indexer(reference, es=es, embedder=embedder, show_progress=False).index_paths([str(corpus)])
    assert full.ok
    expected = _passage_ids(es, reference)

    settings = make_test_settings(base_settings, "killed")
    env = {**os.environ, "ARSIP_INDEX": settings.index}
    proc = subprocess.Popen(
        [sys.executable, "-m", "arsip_cli", "index", str(corpus), "--no-progress"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:  # wait until some, but not all, passages are in
        time.sleep(0.5)
        try:
            es.indices.refresh(index=settings.index)
            if es.count(index=settings.index)["count"] >= len(expected) // 4:
                break
        except Exception:  # noqa: BLE001 - the index may not exist yet
            continue
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    partial = _passage_ids(es, settings)
    assert 0 < len(partial) < len(expected)

    rerun = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_paths([str(corpus)])
    assert rerun.ok
    assert rerun.unchanged > 0
    assert _passage_ids(es, settings) == expected


def test_rebuild_swaps_the_alias_without_downtime(es, base_settings, embedder):
    from arsip.index_admin import alias_targets
    from searchapp.search_request import SearchRequest
    from searchapp.service import SearchService

    settings = make_test_settings(base_settings, "rebuild")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    assert indexer.index_documents(news_records(6), collection="berita").ok
    old = alias_targets(es, settings.index)
    service = SearchService(settings, es=es, embedder=embedder)
    outcomes: list[int] = []
    done = threading.Event()

    def search_continuously() -> None:
        while not done.is_set():
            result = service.search(SearchRequest(q="anak", mode="keyword"))
            outcomes.append(len(result["results"]))

    searcher = threading.Thread(target=search_continuously)
    searcher.start()
    try:
        summary = indexer.index_documents(news_records(12), collection="berita", rebuild=True)
    finally:
        done.set()
        searcher.join()
    assert summary.ok and summary.indexed == 12
    new = alias_targets(es, settings.index)
    assert len(new) == 1 and new != old
    assert not es.indices.exists(index=old[0])  # the old physical index is cleaned up
    assert outcomes and min(outcomes) > 0  # every search during the rebuild found results
    assert es.count(index=settings.index)["count"] == summary.passages_written
