"""Admission: which documents a run has to (re)index — read, repaired, cleaned, and checked for "unchanged".

A thread of its own beside the encoder, so that reading files and asking the index what it holds overlap
with the model call. It hands batches of admitted documents over a bounded queue (back-pressure: it stops
reading while ``ADMISSION_QUEUE`` batches wait); an error travels with the batches to the encoding thread.

A document is *unchanged* when its first and last stored passages carry its current content hash; it is
then skipped without embedding. A document with scanned pages is checked before they are read, and read
by OCR (``indexer.scanning``) only when it is not unchanged.

Duplicate ids: within a run **the first record with an id wins**, whatever the distance between the
records. Every later record with that id is reported ``duplicate`` (its file and line, and where the
kept one is) and not indexed, so the same record is stored on every run, and an unchanged re-run
re-embeds nothing. A duplicate makes the run's exit status 1, like a failure. A split run decides by
the document id's hash which shard takes a record, so all records with one id meet in one shard, in
input order, and the rule holds there too.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator

from elasticsearch import Elasticsearch
from tqdm import tqdm

from indexer.cleaning import clean_text
from indexer.documents import SourceDocument
from indexer.language import detect_language
from indexer.mojibake import repair_document
from indexer.pages import clean_pages, text_with_breaks
from indexer.readers import ReadError
from indexer.report import IndexSummary, RunReport
from indexer.scanning import Scanner

LOOKUP_BATCH = 64  # documents checked for "unchanged" per mget round trip
ADMISSION_QUEUE = 2  # admitted batches waiting for the encoder (bounded: memory stays flat)

# An admitted document: (document, content hash, what was repaired, passage count stored so far).
Admitted = tuple[SourceDocument, str, list[str], int]


class Admission(threading.Thread):
    """Reads, repairs, cleans and checks documents for "unchanged" while the encoder works."""

    def __init__(
        self,
        es: Elasticsearch,
        items: Iterable[SourceDocument | ReadError],
        target: str,
        report: RunReport,
        summary: IndexSummary,
        progress: tqdm,
        progress_hook: Callable[[IndexSummary], None] | None = None,
        scanner: Scanner | None = None,
    ) -> None:
        super().__init__(name="arsip-admission", daemon=True)
        self.es = es
        self.items = items
        self.target = target
        self.report = report
        self.summary = summary
        self.progress = progress
        self.progress_hook = progress_hook
        self.scanner = scanner or Scanner()
        self.queue: queue.Queue = queue.Queue(maxsize=ADMISSION_QUEUE)
        self.stopped = threading.Event()
        self.first_seen: dict[str, str] = {}  # doc_id → where the run's first record with it is

    def run(self) -> None:
        try:
            pending: list[SourceDocument] = []
            for item in self.items:
                if self.stopped.is_set():
                    return
                if self.progress_hook is not None:
                    self.progress_hook(self.summary)
                if isinstance(item, ReadError) and item.skipped:
                    self.report.record("skipped", item.path, None, item.reason)
                    continue
                self.summary.documents_seen += 1
                self.progress.update(1)
                if isinstance(item, ReadError):
                    where = f"line {item.record}: " if item.record is not None else ""
                    self.report.record("failed", item.path, None, where + item.reason, line=item.record)
                    continue
                if self._is_duplicate(item):
                    continue
                pending.append(item)
                if len(pending) >= LOOKUP_BATCH:
                    self._hand_over(self._admit(pending))
                    pending = []
            self._hand_over(self._admit(pending) if pending else [])
            self._hand_over(None)
        except BaseException as exc:  # noqa: BLE001 - raised again on the encoding thread
            self._hand_over(exc)

    def _admit(self, docs: list[SourceDocument]) -> list[Admitted]:
        return admit(self.es, docs, self.target, self.report, self.scanner)

    def _is_duplicate(self, doc: SourceDocument) -> bool:
        """True (and reported) when an earlier record of the run has this document's id."""
        first = self.first_seen.get(doc.doc_id)
        if first is None:
            self.first_seen[doc.doc_id] = _where(doc)
            return False
        reason = f"duplicate id: the first record with it ({first}) is kept, this one is not indexed"
        self.report.record("duplicate", doc.path, doc.doc_id, reason, line=doc.line)
        return True

    def _hand_over(self, batch) -> None:
        while not self.stopped.is_set():
            try:
                self.queue.put(batch, timeout=0.5)
                return
            except queue.Full:
                continue

    def batches(self) -> Iterator[list[Admitted]]:
        """The admitted batches in input order; an error on the admission thread is raised here."""
        while True:
            batch = self.queue.get()
            if batch is None:
                return
            if isinstance(batch, BaseException):
                raise batch
            yield batch

    def stop(self) -> None:
        self.stopped.set()
        self.scanner.close()


def _where(doc: SourceDocument) -> str:
    return f"{doc.path} line {doc.line}" if doc.line is not None else str(doc.path)


def admit(
    es: Elasticsearch,
    docs: list[SourceDocument],
    target: str,
    report: RunReport,
    scanner: Scanner | None = None,
) -> list[Admitted]:
    """Read scanned pages, repair, clean, hash, skip unchanged: the documents of ``docs`` that must be
    indexed.

    The content hash is taken from the repaired and cleaned document, i.e. from what is stored: when new
    repair/cleaning rules (``CLEANING_VERSION``) change a document's text, its hash changes and it is
    indexed again; a document they leave as it was is rightly "unchanged". A paged document is cleaned
    as one text (``indexer.pages``) and keeps its pages.
    """
    docs = read_scans(es, docs, target, report, scanner or Scanner())
    cleaned: list[tuple[SourceDocument, str, list[str]]] = []
    for doc in docs:
        if doc.pages is not None:
            doc.text = text_with_breaks(doc.pages)
        repaired = ["encoding"] if repair_document(doc) else []
        if doc.pages is not None:
            clean_pages(doc, clean_text)
        else:
            doc.text = clean_text(doc.text)
        if not doc.text.strip():
            report.record(
                "failed",
                doc.path,
                doc.doc_id,
                "no text left after cleaning",
                repaired=repaired,
                ocr=doc.ocr,
                line=doc.line,
            )
            continue
        if not doc.language:
            doc.language = detect_language(doc.text)
        cleaned.append((doc, doc.content_hash(), repaired))
    if not cleaned:
        return []
    stored = stored_state(es, target, [(d.doc_id, h) for d, h, _ in cleaned])
    admitted = []
    for doc, content_hash, repaired in cleaned:  # ids are unique here: Admission._is_duplicate
        old_n, unchanged = stored.get(doc.doc_id, (0, False))
        if unchanged:
            report.record(
                "unchanged", doc.path, doc.doc_id, repaired=repaired, line=doc.line, ignored=doc.ignored
            )
            continue
        admitted.append((doc, content_hash, repaired, old_n))
    return admitted


def read_scans(
    es: Elasticsearch, docs: list[SourceDocument], target: str, report: RunReport, scanner: Scanner
) -> list[SourceDocument]:
    """``docs`` with the scanned pages of each read by OCR; scans found unchanged (by their input hash,
    before any OCR) are reported and left out, and so are those OCR found no text in."""
    scans = [doc for doc in docs if doc.scan is not None and doc.ocr is None]
    if not scans:
        return docs
    stored = stored_state(es, target, [(doc.doc_id, doc.content_hash()) for doc in scans])
    unchanged = {id(doc) for doc in scans if stored.get(doc.doc_id, (0, False))[1]}
    to_read = [doc for doc in scans if id(doc) not in unchanged]
    results = dict(zip(map(id, to_read), scanner.read(to_read), strict=True))
    kept = []
    for doc in docs:
        if id(doc) in unchanged:
            report.record("unchanged", doc.path, doc.doc_id)
        elif id(doc) in results:
            done, failure = results[id(doc)]
            if failure:
                report.record("failed", doc.path, doc.doc_id, failure, ocr=done.ocr)
            else:
                kept.append(done)
        else:
            kept.append(doc)
    return kept


def stored_state(es: Elasticsearch, target: str, docs: list[tuple[str, str]]) -> dict[str, tuple[int, bool]]:
    """doc_id → (stored passage count, unchanged?) from each document's first and last passage."""
    first = es.mget(
        index=target, ids=[f"{doc_id}:0" for doc_id, _ in docs], source=["content_hash", "n_passages"]
    )["docs"]
    result: dict[str, tuple[int, bool]] = {}
    last_ids: list[str] = []
    expected: dict[str, str] = {}
    for (doc_id, content_hash), hit in zip(docs, first, strict=True):
        if not hit.get("found"):
            continue
        n = int(hit["_source"].get("n_passages") or 0)
        result[doc_id] = (n, False)
        if hit["_source"].get("content_hash") == content_hash and n > 0:
            last_ids.append(f"{doc_id}:{n - 1}")
            expected[doc_id] = content_hash
    if last_ids:
        for hit in es.mget(index=target, ids=last_ids, source=["content_hash"])["docs"]:
            doc_id = hit["_id"].rsplit(":", 1)[0]
            if hit.get("found") and hit["_source"].get("content_hash") == expected[doc_id]:
                result[doc_id] = (result[doc_id][0], True)
    return result
