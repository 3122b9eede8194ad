"""The real indexer (``arsip index`` as a subprocess, real node, real model) on a hostile corpus.

Every bad file must end up in the report with a readable reason, every good file in the index, the
process must end with exit status 1 ("some inputs failed") instead of crashing, and its memory must stay
bounded (peak RSS measured by the kernel: ``ru_maxrss`` of a wrapper's only child).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import PRESS_RELEASE, make_test_settings
from tests.unit.test_readers import minimal_pdf

pytestmark = [pytest.mark.es, pytest.mark.model]

MAX_PEAK_RSS = 3 * 1024**3
MB = 1024 * 1024
# Runs a command and writes the peak RSS (bytes) of that child, and only that child, to argv[1].
MEASURE = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024))\n"
    "sys.exit(rc)\n"
)


def run_indexer(corpus: Path, index: str, report: Path, tmp_path: Path, **env: str) -> dict:
    peak_file = tmp_path / "peak_rss"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(peak_file), sys.executable, "-m", "arsip_cli", "index"]
        + [str(corpus), "--report", str(report), "--no-progress"],
        capture_output=True,
        text=True,
        env={**os.environ, "ARSIP_INDEX": index, **env},
        timeout=900,
    )
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    return {
        "rc": proc.returncode,
        "stderr": proc.stderr,
        "stdout": proc.stdout,
        "report": lines,
        "peak_rss": int(peak_file.read_text()),
        "seconds": time.monotonic() - started,
    }


def entries(run: dict, name: str) -> list[dict]:
    return [line for line in run["report"] if line["path"] and Path(line["path"]).name == name]


def only_entry(run: dict, name: str) -> dict:
    found = entries(run, name)
    assert len(found) == 1, (name, found)
    return found[0]


def passages_with(es, index: str, phrase: str) -> list[dict]:
    hits = es.search(index=index, query={"match_phrase": {"text": phrase}}, size=50)["hits"]["hits"]
    return [hit["_source"] for hit in hits]


def check_process(run: dict, label: str) -> None:
    print(f"\n[{label}] exit {run['rc']}, {run['seconds']:.1f}s, peak RSS {run['peak_rss'] / MB:,.0f} MiB")
    assert run["rc"] == 1, run["stderr"][-3000:]  # 1 = some inputs failed (not a crash, not fatal)
    assert "Traceback" not in run["stderr"] + run["stdout"], run["stderr"][-3000:]
    assert "STOPPED" not in run["stderr"]
    assert 0 < run["peak_rss"] < MAX_PEAK_RSS, f"peak RSS {run['peak_rss'] / MB:,.0f} MiB"
    for line in run["report"]:
        if line["status"] in ("failed", "skipped"):
            assert isinstance(line["reason"], str) and len(line["reason"]) >= 10, line
            assert "Traceback" not in line["reason"] and "unexpected error" not in line["reason"], line


# --- the corpus ----------------------------------------------------------------------------------

GOOD_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Lumbung pangan desa</title></head>
<body><article><h1>Lumbung pangan desa</h1>
<p>Pemerintah kabupaten meresmikan lumbung pangan desa mandiri untuk menjaga cadangan beras warga
selama musim paceklik. Setiap desa mengelola lumbungnya sendiri bersama kelompok tani setempat.</p>
<p>Kepala dinas pertanian menyampaikan bahwa lumbung pangan desa mandiri diawasi secara berkala.</p>
</article></body></html>"""
GOOD_JSONL_TEXT = "Festival layang-layang pantai selatan menarik ribuan pengunjung dari berbagai daerah."
GOOD_CSV_TEXT = "Perpustakaan keliling kecamatan kini melayani dua belas sekolah dasar setiap pekan."
GOOD_PDF_TEXT = "Laporan pemeliharaan jembatan gantung desa disusun oleh dinas pekerjaan umum."
DEEP_TEXT = "Teks yang tersembunyi sangat dalam di dalam seratus ribu elemen bersarang."
ZIPPED_TEXT = "Kalimat rahasia di dalam arsip zip yang tidak boleh pernah diindeks."


def build_corpus(root: Path) -> dict[str, str | None]:
    """The hostile corpus; returns file name → expected failure reason substring (None: indexed)."""
    rng = random.Random(20201209)
    root.mkdir()
    expected: dict[str, str | None] = {}

    def put(name: str, data: bytes, reason: str | None) -> None:
        (root / name).write_bytes(data)
        expected[name] = reason

    for name in ("noise.txt", "noise.html", "noise.pdf"):
        junk = bytes(rng.randrange(256) for _ in range(64 * 1024))
        put(name, junk, "not a PDF" if name.endswith(".pdf") else "binary data")
    put("invalid-utf8.txt", bytes(rng.randrange(128, 256) for _ in range(20_000)), "not valid UTF-8")
    put("invalid-utf8.html", b"<html><body><p>" + bytes(rng.randrange(128, 256) for _ in range(20_000))
        + b"</p></body></html>", "not valid UTF-8")  # fmt: skip
    put("one-byte.txt", b"x", "too short")
    put("empty.txt", b"", "empty file")
    put("empty.html", b"", "empty file")
    put("empty.pdf", b"", "empty file")
    put("empty.jsonl", b"", "empty file")
    put("empty.csv", b"", "empty file")
    put("whitespace.txt", b" \n\t\r\n  \n", "whitespace")
    put("nul-bytes.txt", b"\x00" * 5000, "binary data")
    pdf = minimal_pdf([[GOOD_PDF_TEXT]], title="Pemeliharaan jembatan")
    put("good.pdf", pdf, None)
    put("truncated.pdf", pdf[: len(pdf) // 2], "invalid PDF")
    put("header-only.pdf", b"%PDF-1.7\n", "invalid PDF")
    put("good.txt", PRESS_RELEASE.read_bytes(), None)
    put("good.html", GOOD_HTML.encode(), None)
    put("deep.html", ("<html><body>" + "<div>" * 100_000 + DEEP_TEXT + "</div>" * 100_000
                      + "</body></html>").encode(), None)  # fmt: skip
    put("unclosed.html", ("<html><body>" + "<div><p><span>" * 20_000).encode(), "no text found")
    # JSONL: broken lines and wrong types; the reasons are checked per line below.
    records = [
        '[{"text": "Sebuah larik di tingkat atas, bukan objek."}]',
        '{"id": "n1", "text": 12345}',
        '{"id": "n2", "text": ["daftar", "bukan", "teks"]}',
        '{"id": "n3", "title": "Tanpa teks"}',
        '{"id": "n4", "text": "Kurung kurawal tidak ditutup"',
        '"hanya sebuah string"',
        "null",
        '{"id": "n5", "text": "Judul yang salah jenis.", "title": {"bukan": "teks"}}',
        "[" * 100_000,
        json.dumps({"id": "good-jsonl", "text": GOOD_JSONL_TEXT, "title": "Festival layang-layang"}),
    ]
    data = "\n".join(records).encode("utf-8") + b"\n\xff\xfe\xc3\x28 bukan teks \x00\x01\x02\x03\n"
    put("records.jsonl", data, "per line")
    put("array.json", json.dumps([1, "dua", {"text": None}, [{"text": "x"}]]).encode(), "per line")
    put("ragged.csv", (
        "id,title,text\n"
        f"good-csv,Perpustakaan keliling,{GOOD_CSV_TEXT}\n"
        "c2,Terlalu sedikit\n"
        "c3,Terlalu,banyak,kolom,di sini\n"
        "c4,,\n"
        'c5,"Kutipan tidak ditutup,Teks yang hilang\n'
    ).encode(), "per line")  # fmt: skip
    buffer = root / "archive.zip"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inside.txt", ZIPPED_TEXT)
    expected["archive.zip"] = "skipped"
    return expected


JSONL_REASONS = {
    1: "record is a JSON array, expected an object",
    2: "'text' is a JSON number, expected a string",
    3: "'text' is a JSON array",
    4: "no 'text' field",
    5: "invalid JSON",
    6: "record is a JSON string",
    7: "record is a JSON null",
    8: "'title' is a JSON object",
    9: "invalid JSON",
    11: "not valid UTF-8",
}
JSON_ARRAY_REASONS = {1: "JSON number", 2: "JSON string", 3: "no 'text' field", 4: "JSON array"}
CSV_REASONS = {3: "row has 2 fields", 4: "row has 5 fields", 5: "'text' is empty", 6: "row has 2 fields"}


def test_hostile_corpus_is_reported_and_good_files_indexed(es, base_settings, tmp_path):
    settings = make_test_settings(base_settings, "hostile")
    expected = build_corpus(tmp_path / "corpus")
    run = run_indexer(tmp_path / "corpus", settings.index, tmp_path / "report.jsonl", tmp_path)
    check_process(run, "hostile corpus")

    for name, reason in expected.items():
        found = entries(run, name)
        assert found, f"{name} is not in the report"
        if reason is None:
            assert [line["status"] for line in found] == ["indexed"], found
        elif reason == "skipped":
            assert [line["status"] for line in found] == ["skipped"], found
            assert (
                "unsupported file type '.zip'" in found[0]["reason"] and "not unpacked" in found[0]["reason"]
            )
        elif reason != "per line":
            assert len(found) == 1 and found[0]["status"] == "failed", found
            assert reason in found[0]["reason"], (name, found[0]["reason"])

    for name, reasons, good in (
        ("records.jsonl", JSONL_REASONS, 1),
        ("array.json", JSON_ARRAY_REASONS, 0),
        ("ragged.csv", CSV_REASONS, 1),
    ):
        found = entries(run, name)
        failed = {int(line["reason"].split(":")[0].removeprefix("line ")): line for line in found
                  if line["status"] == "failed"}  # fmt: skip
        assert sorted(failed) == sorted(reasons), (name, found)
        for number, reason in reasons.items():
            assert reason in failed[number]["reason"], (name, number, failed[number]["reason"])
        assert sum(line["status"] == "indexed" for line in found) == good, (name, found)

    # Good content is searchable; what was inside the zip never is.
    for phrase in (
        "lumbung pangan desa mandiri",
        "festival layang-layang pantai selatan",
        "perpustakaan keliling kecamatan",
        "pemeliharaan jembatan gantung",
        "seratus ribu elemen bersarang",
        "protokol kesehatan",
    ):
        assert passages_with(es, settings.index, phrase), f"{phrase!r} is not in the index"
    assert not passages_with(es, settings.index, "arsip zip yang tidak boleh")
    indexed = [line for line in run["report"] if line["status"] == "indexed"]
    assert len(indexed) == 6  # 4 good files, 1 good JSONL record, 1 good CSV row
    assert es.count(index=settings.index)["count"] == sum(line["passages"] for line in indexed)
    assert "files skipped:    1" in run["stderr"]


def write_text_file(path: Path, size: int) -> None:
    """A real text file of ``size`` bytes (Indonesian-looking lines), written in 1 MB blocks."""
    line = "Pemerintah daerah menyampaikan laporan kegiatan pembangunan desa tahun ini.\n"
    block = (line * (MB // len(line) + 1))[:MB].encode()
    with path.open("wb") as fh:
        for _ in range(size // MB):
            fh.write(block)


@pytest.mark.slow
def test_huge_files_are_refused_without_reading_or_embedding_them(es, base_settings, tmp_path):
    settings = make_test_settings(base_settings, "huge")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_text_file(corpus / "huge.txt", 200 * MB)
    for name in ("huge.html", "huge.pdf"):  # sparse: as big on paper; refused from their size alone
        with (corpus / name).open("wb") as fh:
            fh.truncate(200 * MB)
    with (corpus / "huge-record.jsonl").open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "small", "text": GOOD_JSONL_TEXT}) + "\n")
        fh.write('{"id": "big", "text": "' + "kata " * (60 * MB // 5) + '"}\n')
        fh.write(json.dumps({"id": "after", "text": GOOD_CSV_TEXT}) + "\n")
    (corpus / "good.txt").write_bytes(PRESS_RELEASE.read_bytes())
    run = run_indexer(corpus, settings.index, tmp_path / "report.jsonl", tmp_path)
    check_process(run, "200 MB files")

    for name in ("huge.txt", "huge.html", "huge.pdf"):
        line = only_entry(run, name)
        assert line["status"] == "failed"
        assert line["reason"] == "file too large (200 MB > 50 MB limit; raise ARSIP_MAX_FILE_MB)"
    records = entries(run, "huge-record.jsonl")
    assert sorted((line["status"], line["doc_id"]) for line in records) == [
        ("failed", None),
        ("indexed", "after"),
        ("indexed", "small"),
    ]
    big = next(line for line in records if line["status"] == "failed")
    assert big["reason"].startswith("line 2: record too large") and "ARSIP_MAX_FILE_MB" in big["reason"]
    assert only_entry(run, "good.txt")["status"] == "indexed"
    assert passages_with(es, settings.index, "protokol kesehatan")
    assert run["seconds"] < 300  # embedding 200 MB would take hours

    # Raising the limit is honoured (the sparse .html is then read and found to be binary zeros).
    run = run_indexer(
        corpus / "huge.html", settings.index, tmp_path / "again.jsonl", tmp_path, ARSIP_MAX_FILE_MB="300"
    )
    assert run["rc"] == 1 and only_entry(run, "huge.html")["reason"] == "binary data, not text"
    print(f"[200 MB html read with ARSIP_MAX_FILE_MB=300] peak RSS {run['peak_rss'] / MB:,.0f} MiB")
