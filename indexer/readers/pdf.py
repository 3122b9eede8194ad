"""PDF files: the text layer of every page by pypdf, kept page by page; pages without (enough) text layer
are left for OCR (``--ocr``, ``indexer.scanning``). The title from the PDF's metadata, else like plain text
(a headline line or the first sentence); date and place from the text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from indexer.documents import Page, SourceDocument
from indexer.readers.base import ReadError, ReadRequest, _normalize_newlines, _read_bytes, _too_short
from indexer.readers.paged import MIN_TEXT_LAYER_CHARS, paged_document, scan_document, text_layer_chars

_JUNK_PDF_TITLE_RE = re.compile(r"^(?:untitled|microsoft word\b.*|.*\.(?:docx?|odt|pdf|rtf))$", re.I)


def _pages_to_ocr(pages: list[Page], mode: str) -> list[int]:
    if mode == "never":
        return []
    if mode == "always":
        return [page.number for page in pages]
    return [page.number for page in pages if text_layer_chars(page.text) < MIN_TEXT_LAYER_CHARS]


def read(r: ReadRequest) -> Iterator[SourceDocument | ReadError]:
    """The pdf reader behind ``read_file``."""
    name = r.name
    data = _read_bytes(r.path, name, r.limit)
    if isinstance(data, ReadError):
        yield data
        return
    if b"%PDF-" not in data[:1024]:
        yield ReadError(name, None, "not a PDF (no %PDF header)")
        return
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are "encrypted" with an empty password
            except Exception:  # noqa: BLE001 - unsupported algorithm, missing crypto library
                opened = 0
            if not opened:
                yield ReadError(name, None, "encrypted PDF (a password is needed)")
                return
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            try:
                page_text = page.extract_text() or ""
            except Exception:  # noqa: BLE001 - one broken page must not lose the others
                page_text = ""
            pages.append(Page(number, _normalize_newlines(page_text).strip()))
        try:
            meta_title = str((reader.metadata or {}).get("/Title") or "").strip()
        except Exception:  # noqa: BLE001
            meta_title = ""
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        yield ReadError(name, None, f"invalid PDF: {type(exc).__name__}: {exc}"[:300])
        return
    if _JUNK_PDF_TITLE_RE.match(meta_title):
        meta_title = ""
    ocr_pages = _pages_to_ocr(pages, r.ocr.mode)
    if ocr_pages:
        yield scan_document(r, data, "pdf", ocr_pages, pages, meta_title)
        return
    if _too_short("".join(page.text for page in pages)):
        reason = "PDF has no extractable text (scanned images?)"
        if r.ocr.mode == "never":
            reason += "; index with --ocr auto to read scanned pages"
        yield ReadError(name, None, reason)
        return
    yield paged_document(name, r.collection, r.source, pages, meta_title)
