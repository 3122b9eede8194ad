"""What PDFs and images share: a document made of pages, and one whose pages OCR still has to read.

Title, date and place are read from the pages' joined text as for plain text; a headline line that
becomes the title leaves its page too, so the pages and the text stay the same words.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from indexer.documents import Page, ScanJob, SourceDocument
from indexer.metadata import extract_metadata
from indexer.readers.base import ReadRequest, _too_short
from indexer.readers.ids import _namespace, make_doc_id
from indexer.readers.txt import _plain_document
from indexer.splitting import PASSAGE_JOINER

# A PDF page with fewer non-space characters than this in its text layer is read by OCR (--ocr auto):
# a scan has none, or a stamp, a page number or a few words a scanner's own OCR left.
MIN_TEXT_LAYER_CHARS = 32


def text_layer_chars(text: str) -> int:
    return len("".join(text.split()))


def joined_text(pages: list[Page]) -> str:
    return PASSAGE_JOINER.join(page.text for page in pages if page.text.strip())


def paged_document(
    name: str,
    collection: str | None,
    source: str | None,
    pages: list[Page],
    meta_title: str = "",
    doc_id: str | None = None,
) -> SourceDocument:
    """A document of ``pages`` (those with text), id from their text unless ``doc_id`` is given."""
    pages = [page for page in pages if page.text.strip()]
    text = joined_text(pages)
    meta = extract_metadata(text)
    if meta_title:
        meta.body = text  # the title comes from the file's metadata: every line stays in the text
        doc = _plain_document(name, text, meta, collection, source, title=meta_title)
    else:
        doc = _plain_document(name, text, meta, collection, source)
        if meta.title_source == "headline":
            pages = _without_headline(pages, meta.title)
    if doc_id is not None:
        doc.doc_id = doc_id
    doc.pages = pages
    return doc


def _without_headline(pages: list[Page], title: str) -> list[Page]:
    """``pages`` without the headline line that became the title (on the first page holding it)."""
    for i, page in enumerate(pages):
        lines = page.text.split("\n")
        for j, line in enumerate(lines):
            if line.strip().lstrip("#").strip() == title:
                rest = "\n".join(lines[:j] + lines[j + 1 :]).strip("\n")
                changed = [replace(page, text=rest)] if rest.strip() else []
                return pages[:i] + changed + pages[i + 1 :]
    return pages


def scan_document(
    r: ReadRequest,
    data: bytes,
    kind: str,
    ocr_pages: list[int],
    layer: list[Page],
    meta_title: str = "",
) -> SourceDocument:
    """A document whose ``ocr_pages`` the run reads by OCR (``indexer.scanning``); its text is the text
    layer of its other pages until then. Its id is the one its whole text layer (``layer``) gives, as
    with ``--ocr never``, else the file's bytes; its "unchanged" hash covers the file and everything
    OCR is asked to do."""
    text_pages = [page for page in layer if page.text and page.number not in ocr_pages]
    whole_layer = joined_text(layer)
    file_hash = hashlib.sha256(data).hexdigest()
    key = whole_layer if not _too_short(whole_layer) else f"file-sha256:{file_hash}"
    doc_id = make_doc_id(text=key, namespace=_namespace(r.collection, r.source))
    options = r.ocr
    parts = (file_hash, kind, options.lang, str(options.dpi), ",".join(map(str, ocr_pages)), r.source or "")
    input_hash = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    doc = paged_document(r.name, r.collection, r.source, text_pages, meta_title, doc_id=doc_id)
    doc.scan = ScanJob(
        path=r.path,
        kind=kind,
        ocr_pages=ocr_pages,
        text_pages=text_pages,
        input_hash=input_hash,
        lang=options.lang,
        dpi=options.dpi,
        timeout_s=options.timeout_s,
        meta_title=meta_title,
        size=len(data),
    )
    return doc
