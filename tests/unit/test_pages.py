"""Pages of PDFs and images without Tesseract: what readers leave for OCR, pages through cleaning and
splitting, the OCR text's tidying, confidences and the "unchanged" hash of scans."""

from __future__ import annotations

from pathlib import Path

import pytest

from arsip_cli.ocr_measurement import save_pdf, save_tiff, scanned_page
from indexer.cleaning import clean_text
from indexer.documents import Page, SourceDocument
from indexer.ocr import mean_confidence, tidy_text
from indexer.pages import PAGE_BREAK, clean_pages, split_document, text_with_breaks
from indexer.readers import OcrOptions, read_file
from indexer.readers.base import ReadError
from tests.unit.test_readers import minimal_pdf

AUTO = OcrOptions("auto")


def words(text: str) -> int:
    return len(text.split())


def test_cleaning_keeps_each_page_apart() -> None:
    pages = [
        Page(1, "Rapat kerja daerah\nmembahas anggaran.\n\nFoto: Humas"),
        Page(2, "Bagikan"),  # boilerplate only: the page leaves
        Page(3, "Protokol kesehatan\ndijalankan ketat.", ocr=True, confidence=91.5),
    ]
    doc = SourceDocument(doc_id="d", text=text_with_breaks(pages), pages=pages)
    clean_pages(doc, clean_text)
    assert [(p.number, p.text, p.ocr, p.confidence) for p in doc.pages] == [
        (1, "Rapat kerja daerah membahas anggaran.", False, None),
        (3, "Protokol kesehatan dijalankan ketat.", True, 91.5),
    ]
    assert doc.text == "Rapat kerja daerah membahas anggaran.\n\nProtokol kesehatan dijalankan ketat."
    assert PAGE_BREAK not in doc.text
    # Cleaning the joined pages gives the same paragraphs as cleaning the plain text did before pages.
    assert doc.text == clean_text("Rapat kerja daerah\nmembahas anggaran.\n\nFoto: Humas\n\nBagikan\n\n"
                                  "Protokol kesehatan\ndijalankan ketat.")  # fmt: skip


def test_passages_never_cross_pages_and_number_on() -> None:
    long = " ".join(f"kata{i}." for i in range(30))
    pages = [Page(2, long), Page(3, "Pendek sekali."), Page(5, long)]
    doc = SourceDocument(doc_id="d", text="\n\n".join(p.text for p in pages), pages=pages)
    passages = split_document(doc, words, max_tokens=20)
    assert [p.position for p in passages] == list(range(len(passages)))
    assert [p.page.number for p in passages] == [2, 2, 3, 5, 5]
    assert " ".join(p.text for p in passages).split() == doc.text.split()  # nothing lost
    plain = SourceDocument(doc_id="d", text=long)
    assert all(p.page is None for p in split_document(plain, words, max_tokens=20))


def test_text_pdf_keeps_its_pages_and_id(tmp_path: Path) -> None:
    path = tmp_path / "dua.pdf"
    path.write_bytes(minimal_pdf([["Surat Edaran Bupati", "Isi halaman satu tentang anggaran."], []]
                                 + [["Halaman tiga: protokol kesehatan di sekolah."]]))  # fmt: skip
    [never] = read_file(path)
    assert never.scan is None
    assert [(p.number, p.text) for p in never.pages] == [
        (1, "Isi halaman satu tentang anggaran."),  # the headline line became the title
        (3, "Halaman tiga: protokol kesehatan di sekolah."),
    ]
    assert never.title == "Surat Edaran Bupati"
    [auto] = read_file(path, ocr=AUTO)  # the empty page 2 is left for OCR; the id stays the text's
    assert auto.scan is not None and auto.scan.ocr_pages == [2] and auto.doc_id == never.doc_id
    assert [p.number for p in auto.pages] == [1, 3]
    [always] = read_file(path, ocr=OcrOptions("always"))
    assert always.scan.ocr_pages == [1, 2, 3] and always.doc_id == never.doc_id


def test_scans_wait_for_ocr_with_a_stable_id(tmp_path: Path) -> None:
    page = scanned_page(["Halaman hasil pindai."], dpi=100)
    pdf = save_pdf([page, page], tmp_path / "pindai.pdf", dpi=100)
    [error] = read_file(pdf)
    assert isinstance(error, ReadError) and "--ocr auto" in error.reason
    [doc] = read_file(pdf, ocr=AUTO)
    assert doc.scan.kind == "pdf" and doc.scan.ocr_pages == [1, 2] and doc.text == ""
    [again] = read_file(pdf, ocr=AUTO)
    assert again.doc_id == doc.doc_id and again.content_hash() == doc.content_hash()
    [other_lang] = read_file(pdf, ocr=OcrOptions("auto", lang="ind"))
    assert other_lang.doc_id == doc.doc_id and other_lang.content_hash() != doc.content_hash()
    doc.ocr = {"pages": [1], "seconds": 1.0, "confidence": 90.0, "skipped": [{"page": 2, "reason": "x"}]}
    assert doc.content_hash() != again.content_hash()  # a page skipped: the next run reads it again

    tif = save_tiff([page, page, page], tmp_path / "surat.tif", dpi=100)
    [image] = read_file(tif, ocr=AUTO)
    assert image.scan.kind == "image" and image.scan.ocr_pages == [1, 2, 3]
    [skipped] = read_file(tif)
    assert isinstance(skipped, ReadError) and skipped.skipped and "--ocr never" in skipped.reason
    (tmp_path / "rusak.png").write_bytes(b"\x89PNG\r\n\x1a\nrusak")
    [broken] = read_file(tmp_path / "rusak.png", ocr=AUTO)
    assert isinstance(broken, ReadError) and "not a readable image" in broken.reason


@pytest.mark.parametrize(
    ("raw", "tidy"),
    [
        ("pelaksa-\nnaan Pilkada\n\f", "pelaksa-naan Pilkada"),
        ("perundang-\nundangan", "perundang-undangan"),
        ("Covid-\n19 dan", "Covid-19 dan"),
        ("daerah -\nSelain itu", "daerah - Selain itu"),  # a dash, not a broken word
        (
            "SIARAN PERS\n\nAdapun tema\nyang diangkat\n\nHadir",
            "SIARAN PERS\n\nAdapun tema yang diangkat\n\nHadir",
        ),
    ],
)
def test_tidy_text_joins_lines_and_words_broken_at_line_ends(raw: str, tidy: str) -> None:
    assert tidy_text(raw) == tidy


def test_mean_confidence_of_words() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = ["1\t1\t0\t0\t0\t0\t0\t0\t10\t10\t-1\t", "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t96.5\tRapat",
            "5\t1\t1\t1\t1\t2\t0\t0\t5\t5\t83.5\t\"kerja", "5\t1\t1\t1\t1\t3\t0\t0\t5\t5\t-1\t "]  # fmt: skip
    assert mean_confidence("\n".join([header, *rows])) == 90.0
    assert mean_confidence(header) is None


def test_result_rows_and_export_carry_the_page() -> None:
    from searchapp.search.result_rows import EXPORT_COLUMNS, export_row, result_row

    scanned = {"doc_id": "d", "position": 3, "text": "t", "page": 2, "page_ocr": True, "ocr_confidence": 91.5}
    [passage] = result_row([("d:3", scanned, 1.0)], 1.0)["passages"]
    assert (passage["page"], passage["page_ocr"], passage["ocr_confidence"]) == (2, True, 91.5)
    [plain] = result_row([("e:0", {"doc_id": "e", "position": 0, "text": "t"}, 1.0)], 1.0)["passages"]
    assert (plain["page"], plain["page_ocr"], plain["ocr_confidence"]) == (None, None, None)
    assert export_row(1, "d:3", scanned, 1.0)["page"] == 2 and "page" in EXPORT_COLUMNS


def test_the_summary_and_report_count_ocr(tmp_path: Path) -> None:
    import json

    from indexer.report import IndexSummary, RunReport

    summary = IndexSummary()
    report = RunReport(summary, str(tmp_path / "report.jsonl"))
    skipped = [{"page": 3, "reason": "timed out after 60 s (ARSIP_OCR_PAGE_TIMEOUT)"}]
    ocr = {"pages": [1, 2], "seconds": 3.0, "confidence": 90.0, "skipped": skipped}
    report.record("indexed", "a.pdf", "a", passages=4, ocr=ocr)
    report.record("indexed", "b.txt", "b", passages=1)
    report.close()
    assert (summary.ocr_documents, summary.ocr_pages, summary.ocr_pages_skipped) == (1, 2, 1)
    assert (
        "OCR:              2 pages in 1 documents, 3.0s (1.5s a page), mean confidence 90" in summary.render()
    )
    first, second = (json.loads(line) for line in (tmp_path / "report.jsonl").read_text().splitlines())
    assert first["ocr"]["skipped"] == skipped and "ocr" not in second  # other formats: as before
