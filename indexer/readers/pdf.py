"""PDF files: the text of every page by pypdf; the title from the PDF's metadata, else like
plain text (a headline line or the first sentence); date and place from the text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.documents import SourceDocument
from indexer.metadata import extract_metadata
from indexer.readers.base import ReadError, ReadRequest, _normalize_newlines, _read_bytes, _too_short
from indexer.readers.txt import _plain_document

_JUNK_PDF_TITLE_RE = re.compile(r"^(?:untitled|microsoft word\b.*|.*\.(?:docx?|odt|pdf|rtf))$", re.I)


def _read_pdf(
    path: Path, name: str, collection: str | None, source: str | None, limit: int | None = None
) -> Iterator[Any]:
    data = _read_bytes(path, name, limit)
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
        for page in reader.pages:
            try:
                page_text = page.extract_text() or ""
            except Exception:  # noqa: BLE001 - one broken page must not lose the others
                continue
            page_text = _normalize_newlines(page_text).strip()
            if page_text:
                pages.append(page_text)
        try:
            meta_title = str((reader.metadata or {}).get("/Title") or "").strip()
        except Exception:  # noqa: BLE001
            meta_title = ""
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        yield ReadError(name, None, f"invalid PDF: {type(exc).__name__}: {exc}"[:300])
        return
    text = "\n\n".join(pages)
    if _too_short(text):
        yield ReadError(name, None, "PDF has no extractable text (scanned images?)")
        return
    meta = extract_metadata(text)
    if meta_title and not _JUNK_PDF_TITLE_RE.match(meta_title):
        meta.body = text  # the title comes from the PDF's metadata: every line stays in the text
        yield _plain_document(name, text, meta, collection, source, title=meta_title)
    else:
        yield _plain_document(name, text, meta, collection, source)


def read(r: ReadRequest) -> Iterator[SourceDocument | ReadError]:
    """The pdf reader behind ``read_file``."""
    yield from _read_pdf(r.path, r.name, r.collection, r.source, r.limit)
