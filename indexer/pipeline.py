"""The indexing pipeline: read → clean → split → embed → bulk-write, streaming and idempotent.

Why it is shaped this way:
- Documents stream from the readers; passages are embedded in batches of a few hundred (sorted by
  length inside the model call). Three threads overlap: an admission thread reads, repairs, cleans and
  checks for "unchanged"; the encoding thread splits, groups near-duplicates (in input order) and
  embeds; a writer thread builds the bulk actions (stemming) and writes while the next batch is
  embedded. Bounded queues between them keep memory flat (docs/benchmarks.md).
- A run can be one shard of a split job (``--shard i/N``, ``--workers N``: indexer.sharding,
  indexer.workers); such runs write into an index another process prepared and finishes.
- Idempotent and resumable: passage ids are ``doc_id:position`` and every passage carries its
  document's content hash and passage count. A document is *unchanged* when its first and last
  passages carry the current hash; then it is skipped without embedding. A changed document first
  deletes the positions it no longer has, then overwrites the rest, so a run killed at any point
  leaves a state that the next run repairs (no orphans, no duplicates).
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from elasticsearch import Elasticsearch, helpers
from tqdm import tqdm

from arsip import index_admin
from arsip.es_client import ENGINE_ERRORS, describe_engine_error, make_client
from arsip.model.encoder import Encoder
from arsip.model.loader import load_encoder
from arsip.settings import Settings
from arsip.stemming import STEM_FIELDS, stem
from indexer.cleaning import CLEANING_VERSION, clean_text
from indexer.documents import Passage, SourceDocument
from indexer.encoding import repair_document
from indexer.language import detect_language
from indexer.near_duplicates import NearDuplicateFields, NearDuplicateGrouper, grouper_for_run
from indexer.readers import (
    FORMAT_BY_SUFFIX,
    ReadError,
    document_from_record,
    iter_paths,
    read_file,
    read_stream,
    unsupported_in_folder,
)
from indexer.sharding import Shard, select
from indexer.splitting import split_passages

LOOKUP_BATCH = 64  # documents checked for "unchanged" per mget round trip
ADMISSION_QUEUE = 2  # admitted batches waiting for the encoder (bounded: memory stays flat)
MAX_FAILURES_KEPT = 200  # failures kept in memory for the summary; the report file has them all
SHARD_WAIT_S = 600.0  # how long a shard other than 1 waits for shard 1 to create the index


def read_inputs(
    paths: list[str],
    settings: Settings,
    *,
    fmt: str = "auto",
    collection: str | None = None,
    source: str | None = None,
    field_map: dict | None = None,
    own_outputs: Iterable[str] = (),
) -> Iterator[SourceDocument | ReadError]:
    """The documents (and read errors) of files and folders, in a deterministic order; ``-`` is stdin.

    The run never reads what it writes: its own outputs (the report file) are left out of the inputs
    even when they lie in a folder being indexed (``arsip index DIR --report DIR/report.jsonl``), and
    every file is read only up to the size it had when it was opened (``readers.open_up_to_size``).
    """
    import sys

    max_bytes = int(settings.max_file_mb * 1024 * 1024)
    own = {Path(path).resolve() for path in own_outputs}
    for path in paths:
        if path == "-":
            yield from read_stream(
                sys.stdin, field_map=field_map, collection=collection, source=source, max_bytes=max_bytes
            )
            continue
        walked = Path(path).is_dir()
        for file in iter_paths([path], only_supported=False):
            if own and file.resolve() in own:
                yield ReadError(str(file), None, "this run's own --report file: not read", skipped=True)
                continue
            if walked and file.suffix.lower() not in FORMAT_BY_SUFFIX:
                yield unsupported_in_folder(file)  # found in a folder: reported, not read
                continue
            yield from read_file(
                file,
                fmt=fmt,
                field_map=field_map,
                collection=collection,
                source=source,
                max_bytes=max_bytes,
            )


@dataclass
class IndexSummary:
    """What a run did; printed at the end and returned to API callers."""

    documents_seen: int = 0
    indexed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0  # unsupported files found in folders, the run's own report (not read; not a failure)
    passages_written: int = 0
    passages_deleted: int = 0
    repaired: int = 0  # documents whose encoding (mojibake) was repaired
    elapsed_s: float = 0.0
    worker_s: float = 0.0  # split runs: the longest worker's own run (no process start, no model load)
    fatal: str | None = None
    notes: list[str] = field(default_factory=list)  # worth knowing, not failures
    interrupted: bool = False
    index: str | None = None
    failures: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.fatal is None and not self.interrupted

    @property
    def passages_per_s(self) -> float:
        return self.passages_written / self.elapsed_s if self.elapsed_s else 0.0

    def render(self) -> str:
        lines = [
            f"documents seen:   {self.documents_seen}",
            f"  indexed:        {self.indexed}",
            f"  unchanged:      {self.unchanged}",
            f"  failed:         {self.failed}",
            *(
                [f"files skipped:    {self.skipped} (unsupported types, this run's report)"]
                if self.skipped
                else []
            ),
            f"passages written: {self.passages_written} ({self.passages_per_s:.1f}/s)",
            f"passages removed: {self.passages_deleted}",
            *([f"encoding repaired in {self.repaired} documents"] if self.repaired else []),
            f"elapsed:          {self.elapsed_s:.1f}s",
        ]
        if self.index:
            lines.append(f"index:            {self.index}")
        for failure in self.failures[:20]:
            where = failure.get("path") or failure.get("doc_id")
            lines.append(f"  FAILED {where}: {failure.get('reason')}")
        if self.failed > 20:
            lines.append(f"  ... and {self.failed - 20} more (use --report FILE for all)")
        lines += [f"NOTE: {note}" for note in self.notes]
        if self.interrupted:
            lines.append("INTERRUPTED: rerun the same command to continue where it stopped.")
        if self.fatal:
            lines.append(f"STOPPED: {self.fatal}")
        return "\n".join(lines)


@dataclass
class _DocState:
    doc: SourceDocument
    content_hash: str
    n_passages: int
    repaired: list[str] = field(default_factory=list)  # what the text steps repaired ("encoding")
    done: int = 0  # bulk results received (written or rejected)
    error: str | None = None
    near_dup: NearDuplicateFields | None = None  # the near-duplicate group (None: grouping is off)


class _Report:
    """Thread-safe per-document JSONL report (``--report FILE``) and failure bookkeeping."""

    def __init__(self, summary: IndexSummary, path: str | None) -> None:
        self.summary = summary
        self.lock = threading.Lock()
        self.fh = open(path, "w", encoding="utf-8") if path else None  # noqa: SIM115

    def record(
        self,
        status: str,
        path: str | None,
        doc_id: str | None,
        reason: str | None = None,
        passages: int | None = None,
        repaired: list[str] | None = None,
    ) -> None:
        entry = {
            "path": path,
            "doc_id": doc_id,
            "status": status,
            "reason": reason,
            "passages": passages,
            "repaired": repaired or [],
        }
        with self.lock:
            if repaired:
                self.summary.repaired += 1
            if status == "indexed":
                self.summary.indexed += 1
            elif status == "unchanged":
                self.summary.unchanged += 1
            elif status == "skipped":
                self.summary.skipped += 1
            elif status == "failed":
                self.summary.failed += 1
                if len(self.summary.failures) < MAX_FAILURES_KEPT:
                    self.summary.failures.append(entry)
            if self.fh:
                self.fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self.fh:
            self.fh.close()


class _BulkWriter(threading.Thread):
    """Consumes action batches from a bounded queue and streams them to Elasticsearch."""

    def __init__(
        self, es: Elasticsearch, index: str, report: _Report, summary: IndexSummary, settings: Settings
    ) -> None:
        super().__init__(name="arsip-bulk-writer", daemon=True)
        self.es = es
        self.index = index
        self.report = report
        self.summary = summary
        self.settings = settings
        self.queue: queue.Queue = queue.Queue(maxsize=4)
        self.states: dict[str, _DocState] = {}
        self.states_lock = threading.Lock()
        self.error: Exception | None = None

    def register(self, state: _DocState) -> None:
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

    def _finish(self, state: _DocState) -> None:
        with self.states_lock:
            if self.states.pop(state.doc.doc_id, None) is None:
                return
        if state.error:
            self.report.record(
                "failed", state.doc.path, state.doc.doc_id, state.error, repaired=state.repaired
            )
        else:
            self.report.record(
                "indexed",
                state.doc.path,
                state.doc.doc_id,
                passages=state.n_passages,
                repaired=state.repaired,
            )

    def unfinished(self) -> list[_DocState]:
        with self.states_lock:
            return list(self.states.values())


def finish_target(es: Elasticsearch, settings: Settings, target: str, rebuild: bool) -> None:
    """Make what a run wrote searchable: refresh; a rebuild also gets replicas and the alias."""
    if rebuild:
        es.indices.put_settings(
            index=target,
            settings={"index": {"refresh_interval": "1s", "number_of_replicas": settings.es_replicas}},
        )
        es.indices.refresh(index=target)
        for old in index_admin.swap_alias(es, settings.index, target):
            es.indices.delete(index=old)
    else:
        es.indices.refresh(index=target)


def drop_unfinished_rebuild(es: Elasticsearch, name: str) -> None:
    """A rebuild that did not finish never got the alias; remove it rather than leave an orphan."""
    with contextlib.suppress(Exception):  # best effort: the engine may be what failed
        es.indices.delete(index=name)


class _Admission(threading.Thread):
    """Reads, repairs, cleans and checks documents for "unchanged" while the encoder works.

    Hands batches of admitted documents over a bounded queue (back-pressure: it stops reading while
    ``ADMISSION_QUEUE`` batches wait). Errors travel with the batches to the encoding thread.
    """

    def __init__(
        self,
        indexer: Indexer,
        items: Iterable[SourceDocument | ReadError],
        target: str,
        report: _Report,
        summary: IndexSummary,
        progress: tqdm,
    ) -> None:
        super().__init__(name="arsip-admission", daemon=True)
        self.indexer = indexer
        self.items = items
        self.target = target
        self.report = report
        self.summary = summary
        self.progress = progress
        self.queue: queue.Queue = queue.Queue(maxsize=ADMISSION_QUEUE)
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            pending: list[SourceDocument] = []
            for item in self.items:
                if self.stopped.is_set():
                    return
                if self.indexer.progress_hook is not None:
                    self.indexer.progress_hook(self.summary)
                if isinstance(item, ReadError) and item.skipped:
                    self.report.record("skipped", item.path, None, item.reason)
                    continue
                self.summary.documents_seen += 1
                self.progress.update(1)
                if isinstance(item, ReadError):
                    where = f"line {item.record}: " if item.record is not None else ""
                    self.report.record("failed", item.path, None, where + item.reason)
                    continue
                pending.append(item)
                if len(pending) >= LOOKUP_BATCH:
                    self._hand_over(self.indexer._admit(pending, self.target, self.report))
                    pending = []
            self._hand_over(self.indexer._admit(pending, self.target, self.report) if pending else [])
            self._hand_over(None)
        except BaseException as exc:  # noqa: BLE001 - raised again on the encoding thread
            self._hand_over(exc)

    def _hand_over(self, batch) -> None:
        while not self.stopped.is_set():
            try:
                self.queue.put(batch, timeout=0.5)
                return
            except queue.Full:
                continue

    def batches(self) -> Iterator[list[tuple[SourceDocument, str, list[str], int]]]:
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


class Indexer:
    """Index archives into the passage index; also usable from scripts.

    >>> summary = Indexer(Settings.from_env()).index_paths(["archive/"], collection="humas")
    >>> summary = Indexer(settings).index_documents([{"id": "1", "title": "...", "text": "..."}])
    """

    def __init__(
        self,
        settings: Settings,
        es: Elasticsearch | None = None,
        embedder: Encoder | None = None,
        show_progress: bool = True,
        encode_batch: int = 256,
    ) -> None:
        self.settings = settings
        self.es = es or make_client(settings, request_timeout=max(settings.es_request_timeout, 60.0))
        self.embedder = embedder or load_encoder(settings)
        self.show_progress = show_progress
        self.encode_batch = encode_batch
        # Called with the running summary before each item and at the end (a worker reports its progress).
        self.progress_hook: Callable[[IndexSummary], None] | None = None

    # ------------------------------------------------------------------ entry points
    def index_paths(
        self,
        paths: list[str],
        *,
        fmt: str = "auto",
        collection: str | None = None,
        source: str | None = None,
        field_map: dict | None = None,
        rebuild: bool = False,
        report_path: str | None = None,
        shards: tuple[Shard, ...] = (),
        target: str | None = None,
        finish: bool = True,
        exclude: tuple[str, ...] = (),
    ) -> IndexSummary:
        """Index files and folders (walked recursively); ``-`` reads JSONL from stdin.

        ``shards``, ``target``, ``finish`` and ``exclude`` are for split runs (``run``, indexer.workers).
        """

        items = read_inputs(
            paths,
            self.settings,
            fmt=fmt,
            collection=collection,
            source=source,
            field_map=field_map,
            own_outputs=[report_path, *exclude] if report_path else exclude,
        )
        return self.run(
            items, rebuild=rebuild, report_path=report_path, shards=shards, target=target, finish=finish
        )

    def index_documents(
        self,
        records: Iterable[dict | SourceDocument],
        *,
        collection: str | None = None,
        source: str | None = None,
        rebuild: bool = False,
        report_path: str | None = None,
    ) -> IndexSummary:
        """Index records given as dicts (``id, title, text, url, source, date, ...``) or documents."""

        def documents() -> Iterator[SourceDocument | ReadError]:
            for number, record in enumerate(records, start=1):
                if isinstance(record, SourceDocument):
                    yield record
                else:
                    yield document_from_record(
                        record, path=f"<record {number}>", collection=collection, source=source
                    )

        return self.run(documents(), rebuild=rebuild, report_path=report_path)

    # ------------------------------------------------------------------ the run
    def run(
        self,
        items: Iterable[SourceDocument | ReadError],
        *,
        rebuild: bool = False,
        report_path: str | None = None,
        shards: tuple[Shard, ...] = (),
        target: str | None = None,
        finish: bool = True,
    ) -> IndexSummary:
        """Index ``items``; a split run passes its ``shards`` (only their items are indexed).

        ``target`` names a physical index another process prepared (then this run creates nothing), and
        ``finish=False`` leaves the refresh / alias swap to that process (``indexer.workers``).
        """
        summary = IndexSummary()
        report = _Report(summary, report_path)
        started = time.monotonic()
        alias = self.settings.index
        writer: _BulkWriter | None = None
        admission: _Admission | None = None
        owns_target = target is None
        progress = tqdm(desc="indexing", unit="doc", disable=not self.show_progress, dynamic_ncols=True)
        try:
            if target is None:
                target = self.prepare_target(rebuild, shards)
            if not rebuild:
                summary.notes += self._cleaning_note(target)
            summary.index = target
            writer = _BulkWriter(self.es, target, report, summary, self.settings)
            writer.start()
            grouper = grouper_for_run(self.es, target, self.settings, rebuild=rebuild)
            admission = _Admission(self, select(items, shards), target, report, summary, progress)
            admission.start()
            encode_buffer: list[tuple[_DocState, list[Passage]]] = []
            buffered = 0
            for admitted in admission.batches():
                for state, passages in self._split_and_group(admitted, writer, report, grouper):
                    encode_buffer.append((state, passages))
                    buffered += len(passages)
                if buffered >= self.encode_batch:
                    self._flush(encode_buffer, writer)
                    encode_buffer, buffered = [], 0
                    self._show_rate(progress, summary, started)
            self._flush(encode_buffer, writer)
            writer.close()
            if writer.error is not None:
                raise writer.error
            if finish:
                self._finalize(alias, target, rebuild)
        except KeyboardInterrupt:
            summary.interrupted = True
        except ENGINE_ERRORS as exc:
            summary.fatal = describe_engine_error(exc, self.settings)
        except (index_admin.ModelMismatch, RuntimeError) as exc:
            summary.fatal = str(exc)
        finally:
            if admission is not None:
                admission.stop()
            if writer is not None and writer.is_alive() and not summary.interrupted:
                writer.close()
            if rebuild and owns_target and summary.index and (summary.fatal or summary.interrupted):
                self._drop_unfinished_rebuild(summary.index)
            if writer is not None:
                for state in writer.unfinished():
                    reason = summary.fatal or ("interrupted" if summary.interrupted else "not written")
                    report.record("failed", state.doc.path, state.doc.doc_id, reason)
            progress.close()
            summary.elapsed_s = time.monotonic() - started
            report.close()
            if self.progress_hook is not None:
                self.progress_hook(summary)
        return summary

    def _show_rate(self, progress: tqdm, summary: IndexSummary, started: float) -> None:
        elapsed = time.monotonic() - started
        progress.set_postfix(
            passages=summary.passages_written,
            per_s=f"{summary.passages_written / elapsed:.1f}" if elapsed else "0",
        )

    def prepare_target(self, rebuild: bool = False, shards: tuple[Shard, ...] = ()) -> str:
        """The physical index this run writes: the alias's (made if missing), or a new one to rebuild.

        Only one process may make it: of a split run, shard 1 does; the other shards wait for it.
        """
        alias = self.settings.index
        identity = self.embedder.identity
        options = replace(
            index_admin.IndexOptions.from_settings(self.settings), cleaning_version=CLEANING_VERSION
        )
        if any(shard.number != 1 for shard in shards):
            if rebuild:
                raise RuntimeError("--rebuild cannot be split into shards: rebuild with --workers N")
            self._wait_for_alias(alias)
        if not rebuild:
            return index_admin.ensure_index(self.es, alias, identity, options)
        # replicas are added when the rebuild is done (_finalize): copying while writing is wasted work
        name = index_admin.create_physical_index(self.es, alias, identity, replace(options, replicas=0))
        self.es.indices.put_settings(index=name, settings={"index": {"refresh_interval": "-1"}})
        return name

    def _wait_for_alias(self, alias: str, timeout_s: float = SHARD_WAIT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while not index_admin.alias_targets(self.es, alias):
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"the index {alias!r} does not exist: shard 1 creates it; start it first "
                    f"(waited {timeout_s:.0f}s)"
                )
            time.sleep(2)

    def _cleaning_note(self, target: str) -> list[str]:
        """A note when the index was made with other text rules than the ones this run applies."""
        made_with = index_admin.index_meta(self.es, target).get("cleaning_version") or 1
        if made_with == CLEANING_VERSION:
            return []
        return [
            f"the index was made with cleaning version {made_with}, this run cleans with {CLEANING_VERSION}: "
            "documents it re-indexed get the new rules, the others keep their text; "
            "`arsip index ... --rebuild` applies them to all (docs/cleaning.md)"
        ]

    def _finalize(self, alias: str, target: str, rebuild: bool) -> None:
        finish_target(self.es, self.settings, target, rebuild)

    def _drop_unfinished_rebuild(self, name: str) -> None:
        drop_unfinished_rebuild(self.es, name)

    # ------------------------------------------------------------------ per batch
    def _admit(
        self, docs: list[SourceDocument], target: str, report: _Report
    ) -> list[tuple[SourceDocument, str, list[str], int]]:
        """Repair, clean, hash, skip unchanged: ``(doc, content hash, repaired, stored passage count)``.

        Runs on the admission thread, beside the encoder. The content hash is taken from the repaired
        and cleaned document, i.e. from what is stored: when new repair/cleaning rules
        (``CLEANING_VERSION``) change a document's text, its hash changes and it is indexed again; a
        document they leave as it was is rightly "unchanged".
        """
        cleaned: list[tuple[SourceDocument, str, list[str]]] = []
        for doc in docs:
            repaired = ["encoding"] if repair_document(doc) else []
            doc.text = clean_text(doc.text)
            if not doc.text.strip():
                report.record(
                    "failed", doc.path, doc.doc_id, "no text left after cleaning", repaired=repaired
                )
                continue
            if not doc.language:
                doc.language = detect_language(doc.text)
            cleaned.append((doc, doc.content_hash(), repaired))
        if not cleaned:
            return []
        stored = self._stored_state(target, [(d.doc_id, h) for d, h, _ in cleaned])
        admitted = []
        seen_in_batch: set[str] = set()
        for doc, content_hash, repaired in cleaned:
            if doc.doc_id in seen_in_batch:
                report.record("failed", doc.path, doc.doc_id, "duplicate document id in the same batch")
                continue
            seen_in_batch.add(doc.doc_id)
            old_n, unchanged = stored.get(doc.doc_id, (0, False))
            if unchanged:
                report.record("unchanged", doc.path, doc.doc_id, repaired=repaired)
                continue
            admitted.append((doc, content_hash, repaired, old_n))
        return admitted

    def _split_and_group(
        self,
        admitted: list[tuple[SourceDocument, str, list[str], int]],
        writer: _BulkWriter,
        report: _Report,
        grouper: NearDuplicateGrouper | None = None,
    ) -> Iterator[tuple[_DocState, list[Passage]]]:
        """Split, group near-duplicates (in input order); delete positions a document lost.

        On the encoding thread: splitting counts tokens with the model's tokenizer, which the model
        call also uses and which is not safe to share between threads.
        """
        ready: list[tuple[_DocState, list[Passage]]] = []
        for doc, content_hash, repaired, old_n in admitted:
            passages = split_passages(
                doc.doc_id, doc.text, self.embedder.count_tokens, max_tokens=self.settings.max_passage_tokens
            )
            if not passages:
                report.record("failed", doc.path, doc.doc_id, "no passages after splitting")
                continue
            state = _DocState(doc, content_hash, len(passages), repaired)
            writer.register(state)
            if old_n > len(passages):
                writer.put(
                    [
                        {"_op_type": "delete", "_id": f"{doc.doc_id}:{pos}"}
                        for pos in range(len(passages), old_n)
                    ]
                )
            ready.append((state, passages))
        if grouper is not None and ready:
            groups = grouper.assign((state.doc.doc_id, state.doc.text) for state, _ in ready)
            for state, _ in ready:
                state.near_dup = groups[state.doc.doc_id]
        yield from ready

    def _stored_state(self, target: str, docs: list[tuple[str, str]]) -> dict[str, tuple[int, bool]]:
        """doc_id → (stored passage count, unchanged?) from each document's first and last passage."""
        first = self.es.mget(
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
            for hit in self.es.mget(index=target, ids=last_ids, source=["content_hash"])["docs"]:
                doc_id = hit["_id"].rsplit(":", 1)[0]
                if hit.get("found") and hit["_source"].get("content_hash") == expected[doc_id]:
                    result[doc_id] = (result[doc_id][0], True)
        return result

    def _flush(self, buffer: list[tuple[_DocState, list[Passage]]], writer: _BulkWriter) -> None:
        """Embed the buffered passages in one call; the writer thread builds and sends their actions
        (stemming included) while the next batch is embedded."""
        if not buffer:
            return
        vectors = self.embedder.encode_passages([p.text for _, passages in buffer for p in passages])
        stemmed = self.settings.stemming != "none"
        writer.put(lambda: passage_actions(buffer, vectors, stemmed))


def passage_actions(buffer: list[tuple[_DocState, list[Passage]]], vectors, stemmed: bool) -> list[dict]:
    """The bulk index actions of embedded passages: every stored field of each passage."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds")  # "new since" compares it (saved searches)
    actions: list[dict] = []
    row = 0
    for state, passages in buffer:
        doc = state.doc
        title_stem = stem(doc.title) if stemmed and doc.title else None  # once per document
        for passage in passages:
            source = {
                "passage_id": passage.passage_id,
                "doc_id": doc.doc_id,
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
            if state.near_dup is not None:
                source.update(state.near_dup.passage_fields(passage.position))
            actions.append({"_op_type": "index", "_id": passage.passage_id, "_source": source})
            row += 1
    return actions
