"""The bulk-writer thread: builds the index actions of embedded passages and streams them to Elasticsearch.

A thread of its own so that building the actions (stemming) and writing overlap with embedding the next
batch; its queue is bounded, so a slow engine slows the run instead of filling memory. It also counts
each document's bulk results and records the document once all of them came back.
"""

from __future__ import annotations

import base64
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from elasticsearch import Elasticsearch, helpers

from arsip.entities.tagger import EntityTagger
from arsip.settings import Settings
from arsip.stemming import STEM_FIELDS, stem
from indexer.documents import Passage, SourceDocument
from indexer.entities import extract
from indexer.near_duplicates import NearDuplicateFields
from indexer.report import IndexSummary, RunReport


@dataclass
class DocumentState:
    """One document on its way to the index: what its passages carry, and how many came back written."""

    doc: SourceDocument
    content_hash: str
    n_passages: int
    repaired: list[str] = field(default_factory=list)  # what the text steps repaired ("encoding")
    done: int = 0  # bulk results received (written or rejected)
    error: str | None = None
    near_dup: NearDuplicateFields | None = None  # the near-duplicate group (None: grouping is off)


class BulkWriter(threading.Thread):
    """Consumes action batches from a bounded queue and streams them to Elasticsearch."""

    def __init__(
        self, es: Elasticsearch, index: str, report: RunReport, summary: IndexSummary, settings: Settings
    ) -> None:
        super().__init__(name="arsip-bulk-writer", daemon=True)
        self.es = es
        self.index = index
        self.report = report
        self.summary = summary
        self.settings = settings
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.states: dict[str, DocumentState] = {}
        self.states_lock = threading.Lock()
        self.error: Exception | None = None

    def register(self, state: DocumentState) -> None:
        with self.states_lock:
            self.states[state.doc.doc_id] = state

    def put(self, actions: list[dict] | Callable[[], list[dict]]) -> None:
        """Hand a batch over (or what makes it, run here); waits while the queue is full, but never
        past a writer failure."""
        while True:
            if self.error is not None:
                raise self.error
            try:
                self.queue.put(actions, timeout=0.5)
                return
            except queue.Full:
                continue

    def close(self) -> None:
        if self.is_alive():
            self.queue.put(None)
            self.join()

    def _actions(self) -> Iterator[dict]:
        while True:
            batch = self.queue.get()
            if batch is None:
                return
            yield from batch() if callable(batch) else batch

    def run(self) -> None:
        try:
            for ok, item in helpers.streaming_bulk(
                self.es,
                self._actions(),
                index=self.index,
                chunk_size=500,
                max_chunk_bytes=20 * 1024 * 1024,
                max_retries=6,
                initial_backoff=1,
                max_backoff=30,
                raise_on_error=False,
                raise_on_exception=True,
                yield_ok=True,
            ):
                self._handle(ok, item)
        except Exception as exc:  # noqa: BLE001 - surfaced to the main thread and the summary
            self.error = exc
            while True:  # unblock a producer waiting on a full queue
                try:
                    self.queue.get_nowait()
                except queue.Empty:
                    break

    def _handle(self, ok: bool, item: dict) -> None:
        op, result = next(iter(item.items()))
        doc_id = str(result.get("_id", "")).rsplit(":", 1)[0]
        with self.states_lock:
            state = self.states.get(doc_id)
        if op == "delete":  # removing positions a changed document no longer has
            if ok:
                self.summary.passages_deleted += 1
            elif result.get("status") != 404 and state is not None and state.error is None:
                state.error = f"could not remove an old passage ({result.get('status')})"
            return
        if state is None:
            return
        state.done += 1
        if ok:
            self.summary.passages_written += 1
        elif state.error is None:
            error = result.get("error") or {}
            state.error = f"bulk {op} rejected ({result.get('status')}): {error.get('type', error)}"
        if state.done >= state.n_passages:
            self._finish(state)

    def _finish(self, state: DocumentState) -> None:
        with self.states_lock:
            if self.states.pop(state.doc.doc_id, None) is None:
                return
        if state.error:
            doc = state.doc
            self.report.record(
                "failed",
                doc.path,
                doc.doc_id,
                state.error,
                repaired=state.repaired,
                ocr=doc.ocr,
                line=doc.line,
                ignored=doc.ignored,
            )
        else:
            self.report.record(
                "indexed",
                state.doc.path,
                state.doc.doc_id,
                passages=state.n_passages,
                repaired=state.repaired,
                ocr=state.doc.ocr,
                line=state.doc.line,
                ignored=state.doc.ignored,
            )

    def unfinished(self) -> list[DocumentState]:
        with self.states_lock:
            return list(self.states.values())


def passage_actions(
    buffer: list[tuple[DocumentState, list[Passage]]],
    vectors,
    stemmed: bool,
    tagger: EntityTagger | None = None,
) -> list[dict]:
    """The bulk index actions of embedded passages: every stored field of each passage (entities when a
    ``tagger`` is given: each passage's own and its document's union)."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds")  # "new since" compares it (saved searches)
    actions: list[dict] = []
    row = 0
    for state, passages in buffer:
        doc = state.doc
        title_stem = stem(doc.title) if stemmed and doc.title else None  # once per document
        entities, doc_entities = extract(tagger, [p.text for p in passages]) if tagger else ([], None)
        pictured: set[int] = set()
        for n, passage in enumerate(passages):
            source = {
                "passage_id": passage.passage_id,
                "doc_id": doc.doc_id,
                "record_id": doc.record_id,
                "position": passage.position,
                "n_passages": state.n_passages,
                "text": passage.text,
                "title": doc.title or None,
                "title_source": doc.title_source if doc.title else None,
                "source": doc.source,
                "collection": doc.collection,
                "url": doc.url,
                "language": doc.language,
                "date": doc.date,
                "date_source": doc.date_source,
                "date_precision": doc.date_precision,
                "place": doc.place,
                "place_source": doc.place_source,
                "author": doc.author,
                "path": doc.path,
                "content_hash": state.content_hash,
                "indexed_at": now,
                "vector": vectors[row],
            }
            if stemmed:
                source[STEM_FIELDS["text"]] = stem(passage.text)
                source[STEM_FIELDS["title"]] = title_stem
            if passage.page is not None:  # PDFs and images: the page it is cited by
                source["page"] = passage.page.number
                source["page_ocr"] = passage.page.ocr
                if passage.page.confidence is not None:
                    source["ocr_confidence"] = passage.page.confidence
                if passage.page.image and passage.page.number not in pictured:  # on its first passage
                    source["page_image"] = base64.b64encode(passage.page.image).decode("ascii")
                    pictured.add(passage.page.number)
            if state.near_dup is not None:
                source.update(state.near_dup.passage_fields(passage.position))
            if tagger is not None:
                source.update(entities[n], doc_entities=doc_entities)
            actions.append({"_op_type": "index", "_id": passage.passage_id, "_source": source})
            row += 1
    return actions
