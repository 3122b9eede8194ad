"""The records the indexer moves around: a source document (with its pages, for PDFs and images, and the
pages still to be read by OCR) and one of its passages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from indexer.cleaning import CLEANING_VERSION


@dataclass
class Page:
    """One page of a PDF or image: its text, and whether OCR read it (with Tesseract's mean word
    confidence, 0–100) rather than the PDF's text layer. ``number`` is 1-based, as a reader cites it."""

    number: int
    text: str
    ocr: bool = False
    confidence: float | None = None
    image: bytes | None = None  # OCR'd pages: a small picture of the page (PNG), for the document view


@dataclass
class ScanJob:
    """Pages of a file that only OCR can read, left for the run to read (``indexer.scanning``).

    The reader does not OCR: every worker of a split run reads every file (to find its share) and a
    re-run must know an unchanged scan without reading it again, so the document id and the
    "unchanged" hash come from what the reader sees cheaply (the text layer, else the file's bytes,
    and the OCR settings); OCR happens once, for the documents the run indexes.
    """

    path: Path
    kind: str  # "pdf" or "image"
    ocr_pages: list[int]  # 1-based page numbers to OCR
    text_pages: list[Page]  # pages read from the text layer (auto mode)
    input_hash: str  # the file's bytes, its text layer, the OCR settings
    lang: str
    dpi: int
    timeout_s: float
    meta_title: str = ""
    size: int = 0  # bytes when read: the file is read up to this size again


@dataclass
class SourceDocument:
    """One document as read from an archive, before cleaning and splitting.

    ``date`` is ISO ``YYYY-MM-DD`` (or None). ``title_source``, ``date_source`` and ``place_source`` say
    how each was found, so researchers can judge it: "metadata" (the input named it; always wins),
    else read from the text: title "headline" | "first_sentence", date "dateline" | "text", place
    "dateline" (see ``indexer.metadata``).
    """

    doc_id: str
    text: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    collection: str | None = None
    date: str | None = None
    date_source: str | None = None
    date_precision: str | None = (
        None  # "month" | "year" for a record that gave only that (date YYYY-MM | YYYY)
    )
    place: str | None = None
    place_source: str | None = None
    title_source: str | None = None
    language: str | None = None
    author: str | None = None
    path: str | None = None
    record_id: str | None = None  # the record's own id as given; ``doc_id`` is made from it (readers.ids)
    line: int | None = None  # the record's line (JSONL, CSV) or number (a list of records) in ``path``
    extra: dict = field(default_factory=dict)
    pages: list[Page] | None = None  # PDFs and images: the text page by page (``text`` is their join)
    scan: ScanJob | None = None  # pages left to OCR (the text is incomplete until they are read)
    ocr: dict | None = None  # what OCR did: pages, seconds, mean confidence, skipped pages (the report)
    ignored: list[dict] = field(default_factory=list)  # values read but not used: {field, value, reason}

    def content_hash(self) -> str:
        """Hash of everything that ends up in the index, so unchanged documents can be skipped.

        A document with OCR'd pages is hashed by its input (``ScanJob.input_hash``: the file, its text
        layer, the OCR settings, the text rules), so a re-run finds it unchanged without OCR'ing it
        again; one with a page OCR skipped (a time-out) never matches, so the next run tries again.
        """
        digest = hashlib.sha256()
        if self.scan is not None:
            complete = self.ocr is None or not self.ocr.get("skipped")
            for part in (self.scan.input_hash, str(CLEANING_VERSION), "complete" if complete else "partial"):
                digest.update(part.encode("utf-8") + b"\x1f")
            return digest.hexdigest()[:32]
        for part in (
            self.title,
            self.text,
            self.url,
            self.source,
            self.collection,
            self.date,
            self.date_source,
            self.date_precision,
            self.place,
            self.place_source,
            self.title_source,
            self.language,
            self.author,
        ):
            digest.update((part or "").encode("utf-8"))
            digest.update(b"\x1f")
        for page in self.pages or ():  # where each page starts: passages are cited by page
            digest.update(f"{page.number}:{len(page.text)}:{int(page.ocr)}\x1f".encode())
        return digest.hexdigest()[:32]


@dataclass
class Passage:
    """A paragraph-sized piece of a document: the unit we embed, index and return."""

    doc_id: str
    position: int
    text: str
    page: Page | None = None  # the page it lies on (PDFs, images): a passage never crosses pages

    @property
    def passage_id(self) -> str:
        return f"{self.doc_id}:{self.position}"
