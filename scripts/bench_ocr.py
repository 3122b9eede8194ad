"""OCR's accuracy and speed on scans of known Indonesian text (issue 22; figures in docs/ocr.md).

Pages of the press release and of news articles (cleaned, as the index holds them) are drawn at 200 and
300 dpi (arsip_cli/ocr_measurement.py), clean and noisy + rotated, saved as image-only PDFs and read
back through the
indexer's own path (pypdfium2 render + Tesseract, ``indexer.scanning``). Prints:

- the character error rate (CER) against the drawn text, per kind of page (goal: ≤ 2 % clean, ≤ 5 % noisy);
- pages per minute with ``--jobs`` pages at a time, and Tesseract's mean confidence;
- with ``--index`` (needs Elasticsearch and the model): OCR's share of indexing time, i.e. how much longer
  indexing the scanned PDFs takes than indexing the same texts as .txt files.

    ARSIP_DATA_DIR=... python scripts/bench_ocr.py [--pages 8] [--jobs 2] [--index]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

from arsip.settings import REPO_ROOT, Settings
from arsip_cli.ocr_measurement import char_error_rate, press_release_pages, save_pdf, scanned_page
from indexer.cleaning import clean_text
from indexer.readers import OcrOptions, read_file
from indexer.scanning import Scanner

NEWS = REPO_ROOT / "samples" / "archive" / "news" / "news_clickid_sample.jsonl"
PRESS_RELEASE = REPO_ROOT / "tests" / "data" / "press-release-rakernas-2020.txt"
PAGE_CHARS = 1800  # about what an A4 page at 11 pt holds with the margins of ocr_measurement
KINDS = {  # name: (dpi, noise, angle)
    "clean 300 dpi": (300, 0.0, 0.0),
    "clean 200 dpi": (200, 0.0, 0.0),
    "noisy+rotated 300 dpi": (300, 0.02, 1.0),
    "noisy+rotated 200 dpi": (200, 0.02, 1.0),
}


def page_texts(count: int) -> list[list[str]]:
    """``count`` pages of paragraphs: the press release's two, then news articles cut into pages."""
    pages = [*press_release_pages(PRESS_RELEASE.read_text(encoding="utf-8"))]
    with open(NEWS, encoding="utf-8") as fh:
        for line in fh:
            if len(pages) >= count:
                break
            current: list[str] = []
            for paragraph in clean_text(json.loads(line)["text"]).split("\n\n"):
                if sum(map(len, current)) + len(paragraph) > PAGE_CHARS and current:
                    pages.append(current)
                    current = []
                current.append(paragraph[:PAGE_CHARS])
            if current and sum(map(len, current)) > PAGE_CHARS / 2:
                pages.append(current)
    return pages[:count]


def measure(pages: list[list[str]], kind: str, jobs: int, folder: Path) -> dict:
    dpi, noise, angle = KINDS[kind]
    images = [scanned_page(p, dpi=dpi, noise=noise, angle=angle, seed=i) for i, p in enumerate(pages)]
    pdf = save_pdf(images, folder / f"{kind.replace(' ', '-')}.pdf", dpi=dpi)
    [doc] = read_file(pdf, ocr=OcrOptions("always", dpi=300))
    scanner = Scanner(jobs)
    started = time.monotonic()
    [(done, failure)] = scanner.read([doc])
    wall = time.monotonic() - started
    scanner.close()
    assert failure is None, failure
    read = {page.number: page for page in done.pages}
    cers = [char_error_rate("\n".join(p), read[i].text if i in read else "") for i, p in enumerate(pages, 1)]
    return {
        "kind": kind,
        "pages": len(pages),
        "cer_mean": statistics.mean(cers),
        "cer_max": max(cers),
        "pages_per_min": len(pages) / wall * 60,
        "s_per_page_one_job": done.ocr["seconds"] / len(pages),
        "confidence": done.ocr["confidence"],
    }


def index_share(pages: list[list[str]], jobs: int, folder: Path) -> dict:
    """Index the pages as scanned PDFs (one document of two pages each) and as .txt files: the time OCR
    adds, as a share of the scanned run's indexing time."""
    from indexer.orchestration import Indexer

    scans, texts = folder / "scans", folder / "texts"
    scans.mkdir()
    texts.mkdir()
    for n in range(0, len(pages) - 1, 2):
        pair = pages[n : n + 2]
        save_pdf([scanned_page(p, dpi=300) for p in pair], scans / f"doc{n:03d}.pdf")
        (texts / f"doc{n:03d}.txt").write_text("\n\n".join(sum(pair, [])), encoding="utf-8")
    base = Settings.from_env()
    indexer = None
    figures = {}
    for name, path in (("txt", texts), ("scanned pdf", scans)):
        settings = replace(base, index=f"arsip-bench-ocr-{uuid.uuid4().hex[:8]}", ocr_jobs=jobs)
        indexer = Indexer(settings, embedder=indexer.embedder if indexer else None, show_progress=False)
        summary = indexer.index_paths([str(path)], rebuild=True)
        assert summary.ok, summary.render()
        figures[name] = (summary.elapsed_s, summary.passages_written, summary.ocr_seconds)
        for index in indexer.es.indices.get(index=f"{settings.index}*"):
            indexer.es.indices.delete(index=index)
    (text_s, _, _), (scan_s, passages, ocr_s) = figures["txt"], figures["scanned pdf"]
    return {
        "documents": len(pages) // 2,
        "passages": passages,
        "txt_s": text_s,
        "scanned_s": scan_s,
        "ocr_share": (scan_s - text_s) / scan_s,
        "ocr_page_seconds": ocr_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="pages read at once")
    parser.add_argument("--index", action="store_true", help="also measure OCR's share of indexing time")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated, of: " + ", ".join(KINDS))
    args = parser.parse_args()
    pages = page_texts(args.pages)
    print(f"{len(pages)} pages, {sum(len(''.join(p)) for p in pages):,} characters, jobs {args.jobs}")
    with tempfile.TemporaryDirectory(prefix="arsip-bench-ocr-") as tmp:
        for kind in args.kinds.split(","):
            r = measure(pages, kind.strip(), args.jobs, Path(tmp))
            print(
                f"{r['kind']:24} CER mean {r['cer_mean']:.2%} max {r['cer_max']:.2%}  "
                f"{r['pages_per_min']:.1f} pages/min ({r['s_per_page_one_job']:.2f} s a page each)  "
                f"confidence {r['confidence']}",
                flush=True,
            )
        if args.index:
            r = index_share(pages, args.jobs, Path(tmp))
            print(
                f"indexing {r['documents']} two-page documents ({r['passages']} passages): as .txt "
                f"{r['txt_s']:.1f} s, as scanned PDFs {r['scanned_s']:.1f} s: OCR {r['ocr_share']:.0%} of "
                f"indexing time ({r['ocr_page_seconds']:.1f} page-seconds of OCR)"
            )


if __name__ == "__main__":
    main()
