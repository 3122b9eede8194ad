"""Readers: every format, and every kind of broken input yields ReadErrors instead of raising."""

from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path

import pytest
from pypdf import PdfWriter

from indexer import readers
from indexer.documents import SourceDocument
from indexer.readers import (
    ReadError,
    UnsupportedFormat,
    detect_format,
    document_from_record,
    iter_paths,
    make_doc_id,
    read_file,
    read_stream,
)

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "press-release-rakernas-2020.txt"


def docs_and_errors(items) -> tuple[list[SourceDocument], list[ReadError]]:
    items = list(items)
    docs = [item for item in items if isinstance(item, SourceDocument)]
    errors = [item for item in items if isinstance(item, ReadError)]
    assert len(docs) + len(errors) == len(items)
    return docs, errors


def only_error(path: Path, **kwargs) -> ReadError:
    items = list(read_file(path, **kwargs))
    assert len(items) == 1 and isinstance(items[0], ReadError), items
    assert items[0].record is None
    return items[0]


def only_doc(path: Path, **kwargs) -> SourceDocument:
    items = list(read_file(path, **kwargs))
    assert len(items) == 1 and isinstance(items[0], SourceDocument), items
    return items[0]


def random_bytes(n: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


def minimal_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A valid PDF built by hand: one Helvetica text line per string, one page per list."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    kids = []
    for i, lines in enumerate(pages):
        page_no, content_no = 4 + 2 * i, 5 + 2 * i
        kids.append(f"{page_no} 0 R")
        stream = (
            "BT /F1 12 Tf 14 TL 72 720 Td " + " ".join(f"({esc(x)}) Tj T*" for x in lines) + " ET"
        ).encode("cp1252")
        objects[page_no] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_no} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>"
        ).encode()
        objects[content_no] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    info_no = 4 + 2 * len(pages)
    if title is not None:
        objects[info_no] = f"<< /Title ({esc(title)}) >>".encode("cp1252")
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for no in sorted(objects):
        offsets[no] = len(out)
        out += b"%d 0 obj\n" % no + objects[no] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for no in range(1, size):
        out += b"%010d 00000 n \n" % offsets[no] if no in offsets else b"0000000000 65535 f \n"
    info = b" /Info %d 0 R" % info_no if title is not None else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, info, xref)
    return bytes(out)


# --- formats and paths ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "txt"), ("a.text", "txt"), ("README.md", "txt"), ("a.HTML", "html"), ("a.htm", "html"),
        ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.json", "jsonl"), ("a.csv", "csv"), ("a.PDF", "pdf"),
    ],
)  # fmt: skip
def test_detect_format(name: str, fmt: str) -> None:
    assert detect_format(name) == fmt


@pytest.mark.parametrize("name", ["a.docx", "a.gif", "Makefile", "archive.tar.gz"])
def test_detect_format_rejects_unknown_types(name: str) -> None:
    with pytest.raises(UnsupportedFormat):
        detect_format(name)


def test_iter_paths_walks_sorted_and_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    for rel in ["b/z.txt", "b/a.html", "a.jsonl", "c/d/e.pdf", ".git/config.txt", "b/.hidden.txt", "x.gif"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_paths([str(tmp_path)])]
    assert found == ["a.jsonl", "b/a.html", "b/z.txt", "c/d/e.pdf"]
    assert list(iter_paths([str(tmp_path)])) == list(iter_paths([str(tmp_path)]))
    # Explicit paths are passed through so that read_file can report them.
    missing = tmp_path / "missing.txt"
    assert list(iter_paths([str(missing), "-", str(tmp_path / "x.gif")])) == [
        missing,
        Path("-"),
        tmp_path / "x.gif",
    ]
    assert tmp_path / "x.gif" in list(iter_paths([str(tmp_path)], only_supported=False))


def test_missing_and_unsupported_files_are_read_errors(tmp_path: Path) -> None:
    assert "no such file" in only_error(tmp_path / "nope.txt").reason
    (tmp_path / "photo.gif").write_bytes(b"\xff\xd8\xff")
    assert "unsupported" in only_error(tmp_path / "photo.gif").reason
    (tmp_path / "dir.txt").mkdir()
    assert "not a regular file" in only_error(tmp_path / "dir.txt").reason


# --- txt -----------------------------------------------------------------------------------------


def test_sample_press_release(tmp_path: Path) -> None:
    doc = only_doc(SAMPLE, collection="humas", source="pemkot")
    # The caption is not the title; there is no headline, so the title is the first paragraph's first
    # sentence, whole (not cut mid-phrase), and the paragraph stays in the text.
    assert doc.title == (
        "Adapun tema yang diangkat dalam kegiatan Rakernas tersebut adalah “Peningkatan Kualitas dan "
        "Percepatan Pelayanan Publik Untuk Mewujudkan Indonesia Maju”"
    )
    assert doc.title_source == "first_sentence"
    assert (doc.place, doc.place_source) == (None, None)  # the release names no place in a dateline
    assert "Adapun tema yang diangkat" in doc.text
    assert "Dwi juga menjelaskan beberapa permasalahan" in doc.text
    assert doc.date is None and doc.date_source is None  # "digelar 09 Desember 2020" is not a dateline
    assert (doc.collection, doc.source, doc.path) == ("humas", "pemkot", str(SAMPLE))
    assert doc.doc_id.startswith("humas~sha-")
    # The id is a content hash: the same file elsewhere keeps it.
    moved = tmp_path / "elsewhere" / "renamed.txt"
    moved.parent.mkdir()
    moved.write_bytes(SAMPLE.read_bytes())
    assert only_doc(moved, collection="humas").doc_id == doc.doc_id


def test_txt_heading_title_and_dateline(tmp_path: Path) -> None:
    path = tmp_path / "berita.md"
    path.write_text(
        "# Bupati Tinjau Banjir\n\nBOGOR, 3 Nopember 2020 - Bupati meninjau banjir di tiga desa.\n"
        "Warga diminta waspada.\n",
        encoding="utf-8",
    )
    doc = only_doc(path)
    assert doc.title == "Bupati Tinjau Banjir"
    assert doc.text.startswith("BOGOR, 3 Nopember 2020 - Bupati")
    assert "Bupati Tinjau Banjir" not in doc.text
    assert (doc.date, doc.date_source) == ("2020-11-03", "dateline")


def test_cp1252_text_is_decoded_correctly(tmp_path: Path) -> None:
    text = "Judul Berita\r\nPemerintah “menekankan” protokol kesehatan – kata Sekda. Café ditutup.\r\n"
    path = tmp_path / "lama.txt"
    path.write_bytes(text.encode("cp1252"))
    doc = only_doc(path)
    assert doc.title == "Judul Berita"
    assert doc.text == "Pemerintah “menekankan” protokol kesehatan – kata Sekda. Café ditutup."


def test_utf8_bom_and_utf16_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes("\ufeffJudul\nIsi berita pertama.".encode())
    doc = only_doc(tmp_path / "bom.txt")
    assert (doc.title, doc.text) == ("Judul", "Isi berita pertama.")
    (tmp_path / "u16.txt").write_bytes("Judul\nIsi “berita” kedua.".encode("utf-16"))
    assert only_doc(tmp_path / "u16.txt").text == "Isi “berita” kedua."


def test_mostly_utf8_with_a_broken_byte_is_not_read_as_mojibake(tmp_path: Path) -> None:
    good = "Pemerintah daerah – “kutipan” café. ".encode() * 20
    (tmp_path / "broken.txt").write_bytes(good + b"\xff" + b"Akhir berita.")
    doc = only_doc(tmp_path / "broken.txt")
    assert "“kutipan” café" in doc.text
    assert "Ã" not in doc.text


@pytest.mark.parametrize("suffix", [".txt", ".html", ".pdf"])
def test_random_bytes_give_one_error(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"junk{suffix}"
    path.write_bytes(random_bytes(4000))
    error = only_error(path)
    assert error.path == str(path)
    assert error.reason


def test_high_bytes_without_a_plausible_encoding(tmp_path: Path) -> None:
    rng = random.Random(3)
    (tmp_path / "high.txt").write_bytes(bytes(rng.randrange(128, 256) for _ in range(3000)))
    assert "encoding" in only_error(tmp_path / "high.txt").reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty file"), (b"x", "too short"), (b"\n", "whitespace"), (b"  \r\n\t\n ", "whitespace")],
)
def test_empty_tiny_and_blank_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(content)
    assert reason in only_error(path).reason


def test_files_over_the_size_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers.base, "MAX_FILE_BYTES", 100)
    for suffix in (".txt", ".html", ".pdf"):
        path = tmp_path / f"big{suffix}"
        path.write_text("kata " * 100)
        assert "limit" in only_error(path).reason


@pytest.mark.parametrize("suffix", [".txt", ".html", ".pdf"])
def test_max_bytes_refuses_big_files_before_reading_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    path = tmp_path / f"besar{suffix}"
    with path.open("wb") as fh:  # sparse: 3 MB on paper, nothing on disk
        fh.truncate(3 * 1024 * 1024)

    def no_reading(self: Path) -> bytes:
        raise AssertionError(f"{self} was read although it is over the limit")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    reason = only_error(path, max_bytes=2 * 1024 * 1024).reason
    assert reason == "file too large (3 MB > 2 MB limit; raise ARSIP_MAX_FILE_MB)"


def test_max_bytes_default_and_files_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "pas.txt"
    path.write_text("Kata pertama dan kata kedua.\n" * 10)
    size = path.stat().st_size
    assert only_doc(path, max_bytes=size).text  # exactly at the limit: read
    assert "file too large" in only_error(path, max_bytes=size - 1).reason
    assert only_doc(path).text  # the module default (50 MB) applies when max_bytes is not given
    assert readers.MAX_FILE_BYTES == 50 * 1024 * 1024


def test_max_bytes_caps_one_jsonl_line_and_one_csv_row(tmp_path: Path) -> None:
    jsonl = tmp_path / "rekaman.jsonl"
    jsonl.write_text(
        "\n".join(
            json.dumps({"id": i, "text": text}) for i, text in enumerate(["Pendek.", "x " * 600, "Lagi."])
        )
    )
    docs, errors = docs_and_errors(read_file(jsonl, max_bytes=1000))
    assert [d.doc_id for d in docs] == ["0", "2"]
    assert [e.record for e in errors] == [2]
    assert "record too large" in errors[0].reason and "ARSIP_MAX_FILE_MB" in errors[0].reason
    table = tmp_path / "tabel.csv"
    table.write_text("id,text\n1,Baris pertama.\n2," + "y " * 600 + "\n3,Baris ketiga.\n")
    docs, errors = docs_and_errors(read_file(table, max_bytes=1000))
    assert [d.doc_id for d in docs] == ["1", "3"]
    assert len(errors) == 1 and errors[0].record == 3
    stream = io.BytesIO(jsonl.read_bytes())
    docs, errors = docs_and_errors(read_stream(stream, max_bytes=1000))
    assert len(docs) == 2 and [e.record for e in errors] == [2]


def test_max_file_mb_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from arsip.settings import Settings

    assert Settings().max_file_mb == 50
    monkeypatch.setenv("ARSIP_MAX_FILE_MB", "0.5")
    assert Settings.from_env().max_file_mb == 0.5
    monkeypatch.setenv("ARSIP_MAX_FILE_MB", "lots")
    with pytest.raises(ValueError, match="ARSIP_MAX_FILE_MB"):
        Settings.from_env()


def test_unsupported_files_in_folders_are_skipped_not_failed(tmp_path: Path) -> None:
    error = readers.unsupported_in_folder(tmp_path / "arsip.zip")
    assert error.skipped and error.record is None
    assert "'.zip'" in error.reason and "not unpacked" in error.reason
    assert "not unpacked" not in readers.unsupported_in_folder(tmp_path / "foto.gif").reason
    assert only_error(tmp_path / "arsip.zip").skipped is False  # named explicitly: a failure


# --- html ----------------------------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Rapat Kerja | Humas Kota</title>
<link rel="canonical" href="https://humas.example.go.id/berita/rakernas-2020">
<meta name="author" content="Tim Humas">
<meta property="article:published_time" content="2020-12-09T10:00:00+07:00">
<meta property="og:site_name" content="Humas Kota"></head>
<body><nav><a href="/">Beranda</a> | <a href="/berita">Berita</a></nav>
<article><h1>Rapat Kerja Nasional 2020</h1>
<p>Pemerintah daerah mengikuti rapat kerja nasional yang membahas peningkatan kualitas pelayanan publik.</p>
<p>Sekretaris daerah menekankan pentingnya protokol kesehatan dalam setiap tahapan pilkada serentak.</p>
</article><footer>Hak cipta 2020 Humas Kota</footer></body></html>"""


def test_html_article_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "rakernas.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    doc = only_doc(path)
    assert doc.title == "Rapat Kerja Nasional 2020"
    assert doc.text.startswith("Pemerintah daerah mengikuti rapat kerja nasional")
    assert "protokol kesehatan" in doc.text
    assert "Hak cipta" not in doc.text and "Beranda" not in doc.text
    assert (doc.date, doc.date_source) == ("2020-12-09", "metadata")
    assert doc.url == "https://humas.example.go.id/berita/rakernas-2020"
    assert (doc.author, doc.source) == ("Tim Humas", "Humas Kota")
    # The id comes from the canonical URL; a guessed site name does not namespace it, a collection does.
    assert doc.doc_id == make_doc_id(url="https://humas.example.go.id/berita/rakernas-2020")
    assert only_doc(path, collection="humas").doc_id == "humas~" + doc.doc_id
    assert only_doc(path, source="humas").source == "humas"  # an explicit source wins


def test_html_declared_legacy_charset(tmp_path: Path) -> None:
    markup = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>'
        "<body><p>Pemerintah “menekankan” protokol kesehatan. Café ditutup sementara.</p></body></html>"
    )
    (tmp_path / "lama.htm").write_bytes(markup.encode("cp1252"))
    doc = only_doc(tmp_path / "lama.htm")
    assert "“menekankan”" in doc.text and "Café" in doc.text


def test_deeply_nested_html_does_not_crash(tmp_path: Path) -> None:
    sentence = "Teks yang sangat dalam di dalam banyak div bersarang untuk pengujian pembaca."
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><body>" + "<div>" * 5000 + f"<p>{sentence}</p>" + "</div>" * 5000 + "</body></html>"
    )
    doc = only_doc(path)
    assert sentence in doc.text


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "kosong.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body><img src=x></body></html>")
    assert "no text" in only_error(path).reason


# --- jsonl / json --------------------------------------------------------------------------------


def test_jsonl_keeps_good_records_and_reports_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "title": "Satu", "text": "Teks pertama.", "date": "2020-12-09T08:00:00Z",
                    "url": "https://x.id/1", "author": "Ani", "language": "ID", "category": "daerah"}),
        '{"id": "a2", "text": "tidak ditutup"',
        "",
        json.dumps({"id": "a3", "text": 12345}),
        json.dumps({"id": "a4", "text": ["p1", "p2"]}),
        json.dumps({"id": "a5", "title": "Tanpa teks"}),
        json.dumps(["bukan", "objek"]),
        json.dumps({"id": "a6", "title": {"x": 1}, "text": "Judul salah tipe."}),
        json.dumps({"id": 7, "text": "Id angka dan tanggal aneh.", "date": "kemarin sore"}),
        json.dumps({"text": "   "}),
    ]  # fmt: skip
    path = tmp_path / "arsip.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode())
    docs, errors = docs_and_errors(read_file(path))
    assert [d.doc_id for d in docs] == ["a1", "7"]
    first = docs[0]
    assert (first.title, first.text, first.url, first.author) == (
        "Satu",
        "Teks pertama.",
        "https://x.id/1",
        "Ani",
    )
    assert (first.date, first.date_source, first.language) == ("2020-12-09", "metadata", "id")
    assert first.extra == {"category": "daerah"}
    assert first.path == str(path)
    assert docs[1].date is None and docs[1].extra == {"raw_date": "kemarin sore"}
    by_line = {e.record: e.reason for e in errors}
    assert sorted(by_line) == [2, 4, 5, 6, 7, 8, 10]
    assert "invalid JSON" in by_line[2]
    assert "'text' is a JSON number" in by_line[4]
    assert "'text' is a JSON array" in by_line[5]
    assert "no 'text'" in by_line[6]
    assert "expected an object" in by_line[7]
    assert "'title' is a JSON object" in by_line[8]
    assert "empty" in by_line[10]


def test_field_map_and_namespaced_ids(tmp_path: Path) -> None:
    path = tmp_path / "lain.ndjson"
    record = {"ID": "10", "headline": "Judul", "body": "Isi berita.", "Source": "koran"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    doc = only_doc(path, field_map={"body": "text", "headline": "title"})
    # Only the collection the caller names namespaces ids; sources (the record's or the caller's) do not.
    assert (doc.doc_id, doc.title, doc.text, doc.source) == ("10", "Judul", "Isi berita.", "koran")
    assert only_doc(path, field_map={"body": "text"}, collection="arsip-a").doc_id == "arsip-a~10"
    overridden = only_doc(path, field_map={"body": "text"}, source="majalah")
    assert (overridden.doc_id, overridden.source) == ("10", "majalah")
    assert "no 'text'" in list(read_file(path))[0].reason  # without the map there is no text


def test_real_news_sample(tmp_path: Path) -> None:
    docs, errors = docs_and_errors(read_file(DATA / "news_sample.jsonl", collection="news"))
    assert errors == [] and len(docs) == 5
    with open(DATA / "news_sample.jsonl", encoding="utf-8") as fh:
        originals = [json.loads(line) for line in fh]
    for doc, original in zip(docs, originals, strict=True):
        assert doc.doc_id == f"news~{original['id']}"
        assert (doc.title, doc.text, doc.url) == (original["title"], original["text"], original["url"])
        assert (doc.date, doc.date_source, doc.source) == (original["date"], "metadata", original["source"])
        assert doc.extra == {"category": original["category"], "sub_category": original["sub_category"]}


def test_json_array_single_object_and_jsonl_named_json(tmp_path: Path) -> None:
    (tmp_path / "array.json").write_text(json.dumps([{"id": "1", "text": "Satu."}, {"id": "2", "text": 3}]))
    docs, errors = docs_and_errors(read_file(tmp_path / "array.json"))
    assert [d.doc_id for d in docs] == ["1"] and [e.record for e in errors] == [2]
    (tmp_path / "one.json").write_text(json.dumps({"id": "x", "text": "Satu objek."}, indent=2))
    assert only_doc(tmp_path / "one.json").text == "Satu objek."
    (tmp_path / "lines.json").write_text('{"id": "a", "text": "Baris satu."}\n{"id": "b", "text": "Dua."}\n')
    docs, errors = docs_and_errors(read_file(tmp_path / "lines.json"))
    assert [d.doc_id for d in docs] == ["a", "b"] and errors == []
    (tmp_path / "bad.json").write_text('[{"id": "a", "text": "tidak lengkap"')
    assert "invalid JSON" in only_error(tmp_path / "bad.json").reason


def test_jsonl_with_binary_or_non_utf8_lines(tmp_path: Path) -> None:
    path = tmp_path / "campur.jsonl"
    path.write_bytes(
        b'{"id": "1", "text": "Baik."}\n' + random_bytes(300).replace(b"\n", b" ") + b"\n"
        b'{"id": "2", "text": "Juga baik."}\n'
    )
    docs, errors = docs_and_errors(read_file(path))
    assert [d.doc_id for d in docs] == ["1", "2"]
    assert [e.record for e in errors] == [2]


def test_overlong_jsonl_line_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers.base, "MAX_RECORD_BYTES", 200)
    path = tmp_path / "panjang.jsonl"
    long_record = json.dumps({"id": "long", "text": "kata " * 500})
    path.write_text(json.dumps({"id": "1", "text": "Pendek."}) + "\n" + long_record + "\n"
                    + json.dumps({"id": "3", "text": "Setelahnya."}) + "\n")  # fmt: skip
    docs, errors = docs_and_errors(read_file(path))
    assert [d.doc_id for d in docs] == ["1", "3"]
    assert [(e.record, "longer than" in e.reason) for e in errors] == [(2, True)]


def test_read_stream_binary_and_text_and_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = '{"id": "s1", "text": "Dari stdin."}\nrusak\n{"id": "s2", "text": "Kedua."}\n'
    for stream in (io.BytesIO(data.encode()), io.StringIO(data)):
        docs, errors = docs_and_errors(read_stream(stream, collection="c"))
        assert [d.doc_id for d in docs] == ["c~s1", "c~s2"]
        assert [(e.path, e.record) for e in errors] == [("<stdin>", 2)]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode()), encoding="utf-8"))
    docs, errors = docs_and_errors(read_file("-"))
    assert [d.doc_id for d in docs] == ["s1", "s2"] and len(errors) == 1


def test_document_from_record_directly() -> None:
    doc = document_from_record({"id": "r", "text": "Isi.", "date": 1568073600}, path="<record 1>")
    assert isinstance(doc, SourceDocument)
    assert (doc.doc_id, doc.date, doc.path) == ("r", "2019-09-10", "<record 1>")
    error = document_from_record({"text": None}, path="<record 2>")
    assert isinstance(error, ReadError) and "no 'text'" in error.reason


# --- csv -----------------------------------------------------------------------------------------


def test_csv_rows_ragged_rows_and_multiline_fields(tmp_path: Path) -> None:
    path = tmp_path / "arsip.csv"
    path.write_text(
        'id,Title,text,date,kategori\n'
        '1,Satu,"Teks satu, dengan koma.",09/12/2020,daerah\n'
        '2,Dua,"Baris pertama\nbaris kedua",2020-12-10,nasional\n'
        '3,Tiga,kolom kurang\n'
        ',,,,\n'
        '4,Empat,"",2020-12-11,x\n'
        '5,Lima,Teks lima.,bukan tanggal,y,kolom lebih\n'
        '6,Enam,Teks enam.,,z\n',
        encoding="utf-8",
    )  # fmt: skip
    docs, errors = docs_and_errors(read_file(path))
    assert [d.doc_id for d in docs] == ["1", "2", "6"]
    assert (docs[0].title, docs[0].text, docs[0].date) == ("Satu", "Teks satu, dengan koma.", "2020-12-09")
    assert docs[1].text == "Baris pertama\nbaris kedua"
    assert docs[0].extra == {"kategori": "daerah"}
    assert docs[2].date is None and "raw_date" not in docs[2].extra
    reasons = {e.record: e.reason for e in errors}
    assert sorted(reasons) == [5, 7, 8]
    assert "3 fields" in reasons[5] and "6 fields" in reasons[8]
    assert "empty" in reasons[7]


def test_csv_semicolons_cp1252_and_huge_fields(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("judul;teks\nCafé;“Kutipan” dari Sekda – penting.\n".encode("cp1252"))
    doc = only_doc(path, field_map={"judul": "title", "teks": "text"})
    assert (doc.title, doc.text) == ("Café", "“Kutipan” dari Sekda – penting.")
    big = tmp_path / "besar.csv"
    big_text = "kata " * 60_000  # 300,000 characters: over the csv module's default field limit
    big.write_text(f'id,text\n1,"{big_text}"\n2,kecil saja\n', encoding="utf-8")
    docs, errors = docs_and_errors(read_file(big))
    assert [len(d.text) for d in docs] == [len(big_text), len("kecil saja")] and errors == []


def test_csv_overlong_line_loses_only_its_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers.base, "MAX_RECORD_BYTES", 1000)
    path = tmp_path / "batas.csv"
    path.write_text("id,text\n1,pendek\n2," + "x" * 5000 + "\n3,juga pendek\n", encoding="utf-8")
    docs, errors = docs_and_errors(read_file(path))
    assert [d.doc_id for d in docs] == ["1", "3"]
    assert [(e.record, "too long" in e.reason) for e in errors] == [(3, True)]


def test_csv_field_over_the_limit_stops_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A quoted field that grows past the limit (typically an unbalanced quote) cannot be resynchronised:
    the rest of the file is skipped with one error instead of yielding garbage rows."""
    import csv

    old_limit = csv.field_size_limit()
    monkeypatch.setattr(readers.base, "MAX_RECORD_BYTES", 1000)
    csv.field_size_limit(1000)
    try:
        path = tmp_path / "kutip.csv"
        path.write_text(
            'id,text\n1,pendek\n2,"' + ("x" * 50 + "\n") * 100 + "akhir\n3,lagi\n", encoding="utf-8"
        )
        docs, errors = docs_and_errors(read_file(path))
    finally:
        csv.field_size_limit(old_limit)
    assert [d.doc_id for d in docs] == ["1"]
    assert len(errors) == 1 and "field" in errors[0].reason and "rest of the file" in errors[0].reason


def test_csv_random_bytes_and_empty(tmp_path: Path) -> None:
    (tmp_path / "kosong.csv").write_bytes(b"")
    assert "empty" in only_error(tmp_path / "kosong.csv").reason
    (tmp_path / "junk.csv").write_bytes(random_bytes(3000))
    items = list(read_file(tmp_path / "junk.csv"))
    assert items and all(isinstance(item, ReadError) for item in items)


# --- pdf -----------------------------------------------------------------------------------------


def test_pdf_text_pages_title_and_dateline(tmp_path: Path) -> None:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(
        minimal_pdf(
            [
                [
                    "Laporan Tahunan Dinas",
                    "Jakarta, 9 Desember 2020",
                    "Pemerintah menyampaikan laporan (tahunan).",
                ],
                ["Halaman kedua: protokol kesehatan di café."],
            ],
            title="Laporan Tahunan 2020",
        )
    )
    doc = only_doc(path)
    assert doc.title == "Laporan Tahunan 2020"
    assert doc.text == (
        "Laporan Tahunan Dinas\nJakarta, 9 Desember 2020\nPemerintah menyampaikan laporan (tahunan)."
        "\n\nHalaman kedua: protokol kesehatan di café."
    )
    assert (doc.date, doc.date_source) == ("2020-12-09", "dateline")
    assert doc.doc_id.startswith("sha-")


def test_pdf_title_falls_back_to_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "tanpa-judul.pdf"
    path.write_bytes(minimal_pdf([["Surat Edaran Bupati", "Isi surat edaran tentang protokol kesehatan."]]))
    assert only_doc(path).title == "Surat Edaran Bupati"
    path.write_bytes(minimal_pdf([["Surat Edaran Bupati", "Isi surat."]], title="Microsoft Word - se.docx"))
    assert only_doc(path).title == "Surat Edaran Bupati"


def test_encrypted_truncated_and_empty_pdfs(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=io.BytesIO(minimal_pdf([["Rahasia negara."]])))
    writer.encrypt("sandi-rahasia", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    (tmp_path / "terkunci.pdf").write_bytes(encrypted.getvalue())
    assert "encrypted" in only_error(tmp_path / "terkunci.pdf").reason

    whole = minimal_pdf([["Dokumen yang terpotong di tengah jalan."]])
    (tmp_path / "potong.pdf").write_bytes(whole[:60])
    assert only_error(tmp_path / "potong.pdf").reason

    (tmp_path / "kosong.pdf").write_bytes(minimal_pdf([[]]))
    assert "no extractable text" in only_error(tmp_path / "kosong.pdf").reason

    (tmp_path / "palsu.pdf").write_text("ini bukan PDF sama sekali")
    assert "not a PDF" in only_error(tmp_path / "palsu.pdf").reason


# --- ids -----------------------------------------------------------------------------------------


def test_make_doc_id_is_safe_stable_and_distinct() -> None:
    assert make_doc_id("abc-1") == "abc-1"
    assert make_doc_id("abc-1", namespace="humas") == "humas~abc-1"
    colon, slash = make_doc_id("a:b"), make_doc_id("a/b")
    assert ":" not in colon and "/" not in slash and colon != slash
    assert make_doc_id("a:b") == colon  # stable
    long_id = make_doc_id("x" * 1000, namespace="n" * 300)
    assert len(long_id.encode()) <= 200 and long_id != make_doc_id("x" * 999, namespace="n" * 300)
    by_url = make_doc_id(url="https://x.id/berita?id=1#atas")
    assert by_url.startswith("url-") and ":" not in by_url
    assert make_doc_id(url="https://x.id/a", text="t1") == make_doc_id(url="https://x.id/a", text="t2")
    by_text = make_doc_id(text="Isi dokumen.")
    assert by_text.startswith("sha-") and by_text == make_doc_id(text="  Isi dokumen.\n")
    assert make_doc_id("", url=None, text="Isi dokumen.") == by_text  # an empty id is no id
    assert make_doc_id("Berita Ünïcode") != make_doc_id("Berita Unicode")


# --- metadata from the text, and explicit fields winning ---------------------------------------------


def test_txt_release_gets_title_date_and_place_with_their_sources(tmp_path: Path) -> None:
    path = tmp_path / "rilis.txt"
    path.write_text(
        "Gubernur Buka Rakor Percepatan Vaksinasi\n\n"
        "KUPANG – Gubernur NTT membuka rapat koordinasi, Senin (12/3/2020). Hadir para bupati.\n"
        "Rapat membahas percepatan vaksinasi.\n",
        encoding="utf-8",
    )
    doc = only_doc(path)
    assert (doc.title, doc.title_source) == ("Gubernur Buka Rakor Percepatan Vaksinasi", "headline")
    assert (doc.date, doc.date_source, doc.place, doc.place_source) == (
        "2020-03-12",
        "text",
        "Kupang",
        "dateline",
    )
    assert doc.text.startswith("KUPANG – Gubernur")


def test_record_fields_win_and_missing_ones_come_from_the_text(tmp_path: Path) -> None:
    dateline = "Kupang, 12 Maret 2020 – Gubernur membuka rapat."
    records = [
        {"id": "a", "title": "Judul Sendiri", "date": "2020-03-01", "place": "Ende", "text": dateline},
        {"id": "b", "title": "Judul Sendiri", "date": "2020-03-01", "text": dateline},
        {"id": "c", "text": dateline},
    ]
    path = tmp_path / "arsip.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    docs, errors = docs_and_errors(read_file(path))
    assert errors == []
    got = [(d.doc_id, d.title, d.title_source, d.date, d.date_source, d.place, d.place_source) for d in docs]
    assert got == [
        ("a", "Judul Sendiri", "metadata", "2020-03-01", "metadata", "Ende", "metadata"),
        ("b", "Judul Sendiri", "metadata", "2020-03-01", "metadata", "Kupang", "dateline"),
        ("c", "", None, "2020-03-12", "dateline", "Kupang", "dateline"),  # a record's title is never guessed
    ]
    assert all("place" not in d.extra for d in docs)


def test_html_without_title_or_date_gets_them_from_its_text(tmp_path: Path) -> None:
    path = tmp_path / "rilis.html"
    path.write_text(
        '<html><head><meta charset="utf-8"></head><body><div><p>KUPANG – Gubernur Nusa Tenggara Timur '
        "membuka rapat koordinasi percepatan vaksinasi bersama para bupati, Senin (12/3/2020). Rapat "
        "digelar di aula kantor gubernur.</p><p>Rapat membahas ketersediaan vaksin, tenaga kesehatan dan "
        "jadwal vaksinasi di setiap kabupaten dan kota.</p></div></body></html>",
        encoding="utf-8",
    )
    doc = only_doc(path)
    assert (doc.title, doc.title_source) == (
        "Gubernur Nusa Tenggara Timur membuka rapat koordinasi percepatan vaksinasi bersama para bupati, "
        "Senin (12/3/2020)",
        "first_sentence",
    )
    assert (doc.date, doc.date_source, doc.place, doc.place_source) == (
        "2020-03-12",
        "text",
        "Kupang",
        "dateline",
    )


def test_html_title_from_the_markup_wins(tmp_path: Path) -> None:
    path = tmp_path / "berita.html"
    path.write_text(
        "<html><head><title>Rakor Vaksinasi NTT</title></head><body><article><p>KUPANG – Gubernur membuka "
        "rapat koordinasi percepatan vaksinasi bersama para bupati dan wali kota se-NTT di aula kantor "
        "gubernur.</p><p>Rapat membahas ketersediaan vaksin dan jadwal vaksinasi.</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    doc = only_doc(path)
    assert (doc.title, doc.title_source, doc.place) == ("Rakor Vaksinasi NTT", "metadata", "Kupang")
