"""OCR with the real Tesseract, on scans made from known text (arsip_cli/ocr_measurement.py): read back
within the character error rates the issue sets, a page past the time limit skipped, a missing language
named, and the scanned press release indexed, found by `protokol kesehatan pilkada` and cited to its page."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from arsip_cli.ocr_measurement import char_error_rate, press_release_pages, save_pdf, save_tiff, scanned_page
from indexer.orchestration import Indexer
from indexer.readers import OcrOptions, read_file
from indexer.scanning import Scanner
from searchapp.app import create_app
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService
from tests.conftest import make_test_settings

DATA = Path(__file__).resolve().parent.parent / "data"
PRESS_RELEASE = (DATA / "press-release-rakernas-2020.txt").read_text(encoding="utf-8")
FIRST, SECOND = press_release_pages(PRESS_RELEASE)
QUERY = "protokol kesehatan pilkada"


@pytest.fixture(scope="module")
def press_release_scan(tmp_path_factory) -> Path:
    """The press release as a two-page scan: page 1 clean at 200 dpi, page 2 noisy, rotated 1° at 300."""
    folder = tmp_path_factory.mktemp("scans")
    return save_pdf(
        [scanned_page(FIRST, dpi=200), scanned_page(SECOND, dpi=200, noise=0.02, angle=1.0, seed=3)],
        folder / "siaran-pers-pindai.pdf",
        dpi=200,
    )


def test_known_text_is_read_back_page_by_page(press_release_scan: Path) -> None:
    [doc] = read_file(press_release_scan, ocr=OcrOptions("auto"))
    [(done, failure)] = Scanner(jobs=2).read([doc])
    assert failure is None
    assert [(p.number, p.ocr) for p in done.pages] == [(1, True), (2, True)]
    clean, noisy = (
        char_error_rate("\n".join(ref), page.text)
        for ref, page in zip((FIRST, SECOND), done.pages, strict=True)
    )
    assert clean <= 0.02, clean
    assert noisy <= 0.05, noisy
    assert done.pages[0].confidence > done.pages[1].confidence > 80
    assert done.ocr["pages"] == [1, 2] and done.ocr["skipped"] == [] and done.ocr["seconds"] > 0
    assert done.doc_id == doc.doc_id and done.title.startswith("Adapun tema")
    assert all(p.image.startswith(b"\x89PNG") and len(p.image) < 60_000 for p in done.pages)  # kept small


def test_a_slow_page_is_skipped_and_a_missing_language_named(tmp_path: Path) -> None:
    image = save_tiff([scanned_page(FIRST[:1], dpi=200)], tmp_path / "lambat.tif", dpi=200)
    [doc] = read_file(image, ocr=OcrOptions("auto", timeout_s=0.05))  # not even time to start Tesseract
    [(_, failure)] = Scanner().read([doc])
    assert "timed out after 0.05 s" in failure
    [doc] = read_file(image, ocr=OcrOptions("auto", lang="ind+xyz"))
    [(done, failure)] = Scanner().read([doc])
    assert "install tesseract-ocr-xyz, or index with --ocr never" in failure
    assert done.ocr["skipped"] == [{"page": 1, "reason": failure}]


@pytest.mark.es
def test_scanned_press_release_is_found_and_cited_to_its_page(
    es, base_settings, embedder, press_release_scan: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "arsip"
    archive.mkdir()
    (archive / press_release_scan.name).write_bytes(press_release_scan.read_bytes())
    save_tiff([scanned_page(["Surat undangan rapat koordinasi banjir di Kupang."], dpi=200)],
              archive / "undangan.tif", dpi=200)  # fmt: skip
    settings = make_test_settings(base_settings, "ocr", ocr="auto", ocr_jobs=2)
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    report = tmp_path / "report.jsonl"
    summary = indexer.index_paths([str(archive)], collection="humas", report_path=str(report))
    assert summary.ok and summary.indexed == 2, summary.render()
    assert summary.ocr_documents == 2 and summary.ocr_pages == 3 and summary.ocr_pages_skipped == 0
    assert "OCR:" in summary.render()
    entries = {Path(e["path"]).name: e for e in map(json.loads, report.read_text().splitlines())}
    scan = entries[press_release_scan.name]["ocr"]
    assert scan["pages"] == [1, 2] and scan["confidence"] > 80 and scan["seconds"] > 0

    service = SearchService(settings, es=es, embedder=embedder)
    envelope = service.search(SearchRequest(q=QUERY, mode="keyword"))
    top = envelope["results"][0]["passages"][0]
    cited = es.get(index=settings.index, id=top["passage_id"])["_source"]
    assert cited["path"].endswith(press_release_scan.name)
    assert "protokol kesehatan" in cited["text"].lower()
    assert (cited["page"], cited["page_ocr"]) == (2, True) and cited["ocr_confidence"] > 80
    es.indices.refresh(index=settings.index)
    hits = es.search(index=settings.index, size=100, query={"term": {"path": cited["path"]}})["hits"]["hits"]
    assert {h["_source"]["page"] for h in hits} == {1, 2}
    pictured = sorted(h["_source"]["page"] for h in hits if "page_image" in h["_source"])
    assert pictured == [1, 2]  # one picture a page, on its first passage

    # The page everywhere a passage is shown: the API's results, document and similar passages, the
    # export, the result list, the document view with the page's picture, and that picture itself.
    client = create_app(replace(settings, rate_limit=0), service=service).test_client()
    found = client.get("/api/search", query_string={"q": QUERY, "mode": "keyword"}).get_json()
    best = found["results"][0]["passages"][0]
    assert (best["page"], best["page_ocr"]) == (2, True) and best["ocr_confidence"] > 80
    doc_id = found["results"][0]["doc_id"]
    document = client.get(f"/api/documents/{doc_id}").get_json()
    assert [p["page"] for p in document["passages"]] == sorted(p["page"] for p in document["passages"])
    assert {p["page"] for p in document["passages"]} == {1, 2}
    picture = client.get(f"/api/documents/{doc_id}/pages/2/image")
    assert picture.status_code == 200 and picture.mimetype == "image/png"
    assert picture.data.startswith(b"\x89PNG") and len(picture.data) < 60_000
    assert client.get(f"/api/documents/{doc_id}/pages/3/image").status_code == 404
    exported = client.get("/api/export", query_string={"q": QUERY, "mode": "keyword"}).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert {row["passage_id"]: row["page"] for row in rows}[best["passage_id"]] == "2"
    similar = client.get(f"/api/passages/{best['passage_id']}/similar").get_json()
    assert similar["passage"]["page"] == 2
    assert all("page" in p for r in similar["results"] for p in r["passages"])
    results_page = client.get("/", query_string={"q": QUERY, "mode": "keyword"}).get_data(as_text=True)
    assert "p. 2" in results_page
    view = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert view.count('class="page-image"') == 2 and f"/api/documents/{doc_id}/pages/2/image" in view

    again = indexer.index_paths([str(archive)], collection="humas")  # unchanged: nothing read again
    assert again.ok and again.unchanged == 2 and again.ocr_pages == 0

    never = Indexer(replace(settings, ocr="never"), es=es, embedder=embedder, show_progress=False)
    skipped = never.index_paths([str(archive / "undangan.tif")], collection="humas")
    assert skipped.ok and skipped.skipped == 1
