"""The indexing run: read → admit → split → embed → bulk-write, streaming and idempotent.

Why it is shaped this way:
- Documents stream from the readers; passages are embedded in batches of a few hundred (sorted by
  length inside the model call). Three threads overlap: the admission thread (``indexer.admission``)
  reads, repairs, cleans and checks for "unchanged"; the encoding thread (this module) splits, groups
  near-duplicates (in input order) and embeds; the writer thread (``indexer.writer``) builds the bulk
  actions (stemming) and writes while the next batch is embedded. Bounded queues between them keep
  memory flat (docs/benchmarks.md).
- A run can be one shard of a split job (``--shard i/N``, ``--workers N``: indexer.sharding,
  indexer.workers); such runs write into an index another process prepared and finishes
  (``indexer.target_index``).
- Idempotent and resumable: passage ids are ``doc_id:position`` and every passage carries its
  document's content hash and passage count. A document is *unchanged* when its first and last
  passages carry the current hash; then it is skipped without embedding. A changed document first
  deletes the positions it no longer has, then overwrites the rest, so a run killed at any point
  leaves a state that the next run repairs (no orphans, no duplicates).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator

from elasticsearch import Elasticsearch
from tqdm import tqdm

from arsip import index_admin
from arsip.entities.tagger import EntityTagger
from arsip.es_client import ENGINE_ERRORS, describe_engine_error, make_client
from arsip.model.encoder import Encoder
from arsip.model.loader import load_encoder
from arsip.settings import Settings
from indexer.admission import Admission, Admitted
from indexer.deletion import prune, prune_scope
from indexer.documents import Passage, SourceDocument
from indexer.inputs import read_inputs
from indexer.near_duplicates import NearDuplicateGrouper, grouper_for_run
from indexer.pages import split_document
from indexer.readers import ReadError, document_from_record
from indexer.report import IndexSummary, RunReport
from indexer.scanning import Scanner
from indexer.sharding import Shard, select
from indexer.target_index import (
    cleaning_note,
    drop_unfinished_rebuild,
    entities_note,
    finish_target,
    prepare_target,
)
from indexer.writer import BulkWriter, DocumentState, passage_actions


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
        self.tagger = EntityTagger() if settings.entities else None  # people, organisations, places
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
        prune: bool = False,
    ) -> IndexSummary:
        """Index files and folders (walked recursively); ``-`` reads JSONL from stdin.

        ``prune`` then removes the documents of the run's collection, else source, else files and
        folders, that the input no longer holds (``indexer.deletion``). ``shards``, ``target``,
        ``finish`` and ``exclude`` are for split runs (``run``, indexer.workers).
        """
        scope = prune_scope(paths, collection, source) if prune else None

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
            items,
            rebuild=rebuild,
            report_path=report_path,
            shards=shards,
            target=target,
            finish=finish,
            prune=scope,
        )

    def index_documents(
        self,
        records: Iterable[dict | SourceDocument],
        *,
        collection: str | None = None,
        source: str | None = None,
        rebuild: bool = False,
        report_path: str | None = None,
        prune: bool = False,
    ) -> IndexSummary:
        """Index records given as dicts (``id, title, text, url, source, date, ...``) or documents;
        ``prune`` removes the documents of ``collection`` (else ``source``) that ``records`` lack."""
        scope = prune_scope(["-"], collection, source) if prune else None

        def documents() -> Iterator[SourceDocument | ReadError]:
            for number, record in enumerate(records, start=1):
                if isinstance(record, SourceDocument):
                    yield record
                else:
                    yield document_from_record(
                        record, path=f"<record {number}>", number=number, collection=collection, source=source
                    )

        return self.run(documents(), rebuild=rebuild, report_path=report_path, prune=scope)

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
        prune: dict | None = None,
    ) -> IndexSummary:
        """Index ``items``; a split run passes its ``shards`` (only their items are indexed). ``prune``
        is a scope (``deletion.prune_scope``): its documents that ``items`` lack are removed after.

        ``target`` names a physical index another process prepared (then this run creates nothing), and
        ``finish=False`` leaves the refresh / alias swap to that process (``indexer.workers``).
        """
        summary = IndexSummary()
        report = RunReport(summary, report_path)
        started = time.monotonic()
        writer: BulkWriter | None = None
        admission: Admission | None = None
        owns_target = target is None
        progress = tqdm(desc="indexing", unit="doc", disable=not self.show_progress, dynamic_ncols=True)
        try:
            if target is None:
                target = prepare_target(self.es, self.settings, self.embedder.identity, rebuild, shards)
            if not rebuild:
                summary.notes += cleaning_note(self.es, target)
                summary.notes += entities_note(self.es, self.settings, target)
            summary.index = target
            writer = BulkWriter(self.es, target, report, summary, self.settings)
            writer.start()
            grouper = grouper_for_run(self.es, target, self.settings, rebuild=rebuild)
            admission = Admission(
                self.es,
                select(items, shards),
                target,
                report,
                summary,
                progress,
                self.progress_hook,
                Scanner(self.settings.ocr_jobs or os.cpu_count() or 1),
            )
            admission.start()
            encode_buffer: list[tuple[DocumentState, list[Passage]]] = []
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
                finish_target(self.es, self.settings, target, rebuild)
            if prune is not None:
                self._prune(target, prune, set(admission.first_seen), report, summary)
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
                drop_unfinished_rebuild(self.es, summary.index)
            if writer is not None:
                for state in writer.unfinished():
                    reason = summary.fatal or ("interrupted" if summary.interrupted else "not written")
                    report.record("failed", state.doc.path, state.doc.doc_id, reason, line=state.doc.line)
            progress.close()
            summary.elapsed_s = time.monotonic() - started
            report.close()
            if self.progress_hook is not None:
                self.progress_hook(summary)
        return summary

    def _prune(
        self, target: str, scope: dict, seen: set[str], report: RunReport, summary: IndexSummary
    ) -> None:
        """Remove the scope's documents this run did not see, unless a record failed (it may be one)."""
        if summary.failed:
            summary.notes.append(
                f"nothing pruned: {summary.failed} records failed (fix them, then run again)"
            )
            return
        removal = prune(self.es, target, scope, seen)
        for doc_id in removal.doc_ids:
            report.record("removed", None, doc_id, "no longer in the input (--prune)")
        summary.passages_deleted += removal.passages

    def _show_rate(self, progress: tqdm, summary: IndexSummary, started: float) -> None:
        elapsed = time.monotonic() - started
        progress.set_postfix(
            passages=summary.passages_written,
            per_s=f"{summary.passages_written / elapsed:.1f}" if elapsed else "0",
        )

    # ------------------------------------------------------------------ per batch, on the encoding thread
    def _split_and_group(
        self,
        admitted: list[Admitted],
        writer: BulkWriter,
        report: RunReport,
        grouper: NearDuplicateGrouper | None = None,
    ) -> Iterator[tuple[DocumentState, list[Passage]]]:
        """Split, group near-duplicates (in input order); delete positions a document lost.

        On the encoding thread: splitting counts tokens with the model's tokenizer, which the model
        call also uses and which is not safe to share between threads.
        """
        ready: list[tuple[DocumentState, list[Passage]]] = []
        for doc, content_hash, repaired, old_n in admitted:
            passages = split_document(
                doc, self.embedder.count_tokens, max_tokens=self.settings.max_passage_tokens
            )
            if not passages:
                report.record(
                    "failed", doc.path, doc.doc_id, "no passages after splitting", ocr=doc.ocr, line=doc.line
                )
                continue
            state = DocumentState(doc, content_hash, len(passages), repaired)
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

    def _flush(self, buffer: list[tuple[DocumentState, list[Passage]]], writer: BulkWriter) -> None:
        """Embed the buffered passages in one call; the writer thread builds and sends their actions
        (stemming included) while the next batch is embedded."""
        if not buffer:
            return
        vectors = self.embedder.encode_passages([p.text for _, passages in buffer for p in passages])
        stemmed = self.settings.stemming != "none"
        writer.put(lambda: passage_actions(buffer, vectors, stemmed, self.tagger))
