"""Reading the pages a reader left for OCR (``SourceDocument.scan``): render, Tesseract, put together.

Done by the run, not the reader, and only for documents it indexes (a split run's own share; not the
unchanged ones), on the admission thread beside the encoder. Pages are read ``jobs`` at a time (each a
single-threaded Tesseract process; ``indexer.ocr``); PDF pages are rendered by pypdfium2, one at a time
(PDFium is not thread-safe; 0.1 s a page against Tesseract's ~1 s). A page past the time limit or that
Tesseract fails on is skipped and reported; a missing Tesseract or language fails only the documents
that need it, with what to install.
"""

from __future__ import annotations

import io
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from indexer.documents import Page, ScanJob, SourceDocument
from indexer.ocr import OcrPageError, OcrUnavailable, PageText, check_tesseract, read_page
from indexer.readers.paged import paged_document

_RENDER_LOCK = threading.Lock()
# The page picture kept for the document view: 800 px wide (~100 dpi for A4), a 3×3 median against scan
# noise, 4 grey levels as a 2-bit PNG: ~20–25 KB for a full text page and still readable (greyscale WebP
# was 100–180 KB, a 1-bit PNG ~25–30 KB but broke the letters of a noisy scan apart; docs/ocr.md).
PAGE_IMAGE_WIDTH = 800
# Grey levels: ink, two shades, and paper; everything lighter than 200 is paper (scan noise goes with it).
_LEVELS = [0 if v < 64 else 85 if v < 128 else 170 if v <= 200 else 255 for v in range(256)]


def page_image(job: ScanJob, number: int):
    """The page ``number`` (1-based) of the job's file as a PIL image: a PDF page rendered at the
    job's resolution (grayscale), or a frame of an image."""
    if job.kind == "pdf":
        import pypdfium2

        with _RENDER_LOCK:
            pdf = pypdfium2.PdfDocument(str(job.path))
            try:
                return pdf[number - 1].render(scale=job.dpi / 72, grayscale=True).to_pil()
            finally:
                pdf.close()
    from PIL import Image

    with Image.open(job.path) as image:
        image.seek(number - 1)
        return image.convert("L") if image.mode not in ("L", "RGB") else image.copy()


def small_page_image(image) -> bytes:
    """The page as the document view shows it (PAGE_IMAGE_WIDTH wide, 4 grey levels, a 2-bit PNG)."""
    from PIL import Image, ImageFilter

    grey = image.convert("L")
    if grey.width > PAGE_IMAGE_WIDTH:
        height = max(1, round(grey.height * PAGE_IMAGE_WIDTH / grey.width))
        grey = grey.resize((PAGE_IMAGE_WIDTH, height), Image.Resampling.LANCZOS)
    levels = grey.filter(ImageFilter.MedianFilter(3)).point(_LEVELS).quantize(4, dither=Image.Dither.NONE)
    out = io.BytesIO()
    levels.save(out, "PNG", optimize=True, bits=2)
    return out.getvalue()


def _read(job: ScanJob, number: int) -> tuple[PageText, bytes]:
    started = time.monotonic()
    try:
        image = page_image(job, number)
    except Exception as exc:  # noqa: BLE001 - a page that cannot be rendered is skipped, not the run
        raise OcrPageError(f"cannot render the page: {type(exc).__name__}: {exc}"[:200]) from exc
    result = read_page(image, job.lang, job.timeout_s)
    picture = small_page_image(image)
    return replace(result, seconds=time.monotonic() - started), picture


class Scanner:
    """Reads the scanned pages of documents, ``jobs`` pages at a time."""

    def __init__(self, jobs: int = 1) -> None:
        self.pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="arsip-ocr")

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)

    def read(self, docs: list[SourceDocument]) -> list[tuple[SourceDocument, str | None]]:
        """Each document with its scanned pages read (its text, pages, title, date and place made from
        all its pages), and a failure reason when it has no text at all."""
        submitted: list[tuple[SourceDocument, dict[int, Future] | str]] = []
        for doc in docs:
            job = doc.scan
            assert job is not None
            try:
                check_tesseract(job.lang)
            except OcrUnavailable as exc:
                submitted.append((doc, str(exc)))
                continue
            submitted.append((doc, {n: self.pool.submit(_read, job, n) for n in job.ocr_pages}))
        return [self._assemble(doc, futures) for doc, futures in submitted]

    def _assemble(
        self, doc: SourceDocument, futures: dict[int, Future] | str
    ) -> tuple[SourceDocument, str | None]:
        job = doc.scan
        assert job is not None
        pages = list(job.text_pages)
        skipped: list[dict] = []
        seconds = 0.0
        if isinstance(futures, str):  # OCR unavailable: the text layer only, if any
            skipped = [{"page": n, "reason": futures} for n in job.ocr_pages]
        else:
            for number, future in futures.items():
                try:
                    result, picture = future.result()
                except (OcrPageError, OcrUnavailable) as exc:
                    skipped.append({"page": number, "reason": str(exc)})
                    continue
                seconds += result.seconds
                if result.text.strip():
                    pages.append(Page(number, result.text, True, result.confidence, picture))
        pages.sort(key=lambda page: page.number)
        read = [page for page in pages if page.ocr]
        confidences = [page.confidence for page in read if page.confidence is not None]
        report = {
            "pages": [page.number for page in read],
            "seconds": round(seconds, 2),
            "confidence": round(sum(confidences) / len(confidences), 1) if confidences else None,
            "skipped": skipped,
        }
        done = paged_document(doc.path or "", doc.collection, doc.source, pages, job.meta_title, doc.doc_id)
        done.scan, done.ocr = job, report
        if not done.pages:
            if skipped and all(s["reason"] == skipped[0]["reason"] for s in skipped):
                return done, skipped[0]["reason"]
            return done, f"OCR found no text on {len(job.ocr_pages)} page(s)"
        return done, None
