"""``arsip index --workers N``: N local processes, each indexing one part of the input with its own model.

Why processes: the model call holds its threads busy and the text steps are Python (one GIL); separate
processes each get their own encoder threads (``threads_per_worker``) and their own interpreter.

How a run is split and put back together:
- Every worker reads the whole input and keeps the items of its part (``indexer.sharding``, a stable
  hash of the document id, salted so that it splits a machine's ``--shard i/N`` again evenly).
- Worker 1 prepares the physical index (creates it, or a fresh one for ``--rebuild``) before the others
  start; they are handed its name and only write. Nobody but this parent refreshes it or swaps the alias.
- Each worker writes its own per-document report into a private folder; the parent adds them up into one
  summary, one progress bar and (``--report``) one report file.
- Near-duplicate groups depend on the order documents are indexed in, which parallel workers do not
  keep; once all are done the parent replays the grouping in input order (``indexer.regroup``), so the
  groups are the ones a single process would have made.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from arsip.es_client import ENGINE_ERRORS, describe_engine_error, make_client
from arsip.settings import Settings
from indexer.documents import SourceDocument
from indexer.inputs import read_inputs
from indexer.regroup import RegroupSummary, regroup
from indexer.report import MAX_FAILURES_KEPT, IndexSummary
from indexer.sharding import WHOLE, Shard, select
from indexer.target_index import drop_unfinished_rebuild, finish_target, prepare_target

PROGRESS_EVERY_S = 0.5  # how often a worker tells the parent how far it got
WORKER_SALT = "worker:"  # the local split hashes differently from the machines' --shard split


@dataclass(frozen=True)
class IndexJob:
    """What to index: the ``arsip index`` arguments a worker needs (picklable)."""

    paths: list[str]
    fmt: str = "auto"
    collection: str | None = None
    source: str | None = None
    field_map: dict | None = None
    rebuild: bool = False
    report_path: str | None = None
    shard: Shard = WHOLE  # this machine's share (--shard i/N)
    exclude: tuple[str, ...] = field(default=())

    def read(self, settings: Settings):
        """The input items of this machine's shard, in input order (what every worker walks)."""
        own = [p for p in (self.report_path, *self.exclude) if p]
        items = read_inputs(
            self.paths,
            settings,
            fmt=self.fmt,
            collection=self.collection,
            source=self.source,
            field_map=self.field_map,
            own_outputs=own,
        )
        return select(items, (self.shard,))


def threads_per_worker(settings: Settings, workers: int) -> int:
    """The encoder threads each worker gets: the configured total (0 = one per core) shared out."""
    total = settings.torch_threads or os.cpu_count() or 1
    return max(1, total // workers)


def worker_settings(settings: Settings, workers: int) -> Settings:
    """The settings a worker runs with (the one place that knows the thread settings' names): its share
    of the encoder threads and of the pages OCR reads at once."""
    ocr_jobs = max(1, (settings.ocr_jobs or os.cpu_count() or 1) // workers)
    return replace(settings, torch_threads=threads_per_worker(settings, workers), ocr_jobs=ocr_jobs)


def _worker(
    number: int,
    workers: int,
    settings: Settings,
    job: IndexJob,
    report_part: str,
    messages,
    inbox,
) -> None:
    """One worker process: index the items of part ``number``/``workers``.

    Worker 1 prepares the index and tells the parent its name; the others load their model meanwhile
    and then wait for that name in their ``inbox`` (None: worker 1 failed, nothing to do).
    """
    summary = IndexSummary()
    try:
        from indexer.orchestration import Indexer

        indexer = Indexer(settings, show_progress=False)
        if number == 1:
            target = prepare_target(
                indexer.es, settings, indexer.embedder.identity, job.rebuild, (job.shard,)
            )
            messages.put(("target", number, target))
        else:
            target = inbox.get()
            if target is None:
                messages.put(("done", number, summary))
                return
        last = [0.0]

        def report_progress(running: IndexSummary) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY_S:
                last[0] = now
                messages.put(("progress", number, running.documents_seen, running.passages_written))

        indexer.progress_hook = report_progress
        items = job.read(settings)
        summary = indexer.run(
            items,
            rebuild=job.rebuild,
            report_path=report_part,
            shards=(Shard(number, workers, salt=WORKER_SALT),),
            target=target,
            finish=False,
        )
    except KeyboardInterrupt:
        summary.interrupted = True
    except Exception as exc:  # noqa: BLE001 - every failure ends up in the parent's summary
        summary.fatal = f"worker {number}: {type(exc).__name__}: {exc}"
    messages.put(("done", number, summary))


def merge_summaries(summaries: list[IndexSummary]) -> IndexSummary:
    """One summary for the whole run from the workers' ones."""
    total = IndexSummary()
    counted = (
        "documents_seen",
        "indexed",
        "unchanged",
        "failed",
        "duplicates",
        "removed",
        "skipped",
        "passages_written",
        "passages_deleted",
        "repaired",
        "ocr_documents",
        "ocr_pages",
        "ocr_seconds",
        "ocr_confidence_sum",
        "ocr_pages_skipped",
        "with_ignored",
    )
    for summary in summaries:
        for name in counted:
            setattr(total, name, getattr(total, name) + getattr(summary, name))
        total.failures += summary.failures[: max(0, MAX_FAILURES_KEPT - len(total.failures))]
        total.notes += [note for note in summary.notes if note not in total.notes]
        total.fatal = total.fatal or summary.fatal
        total.interrupted = total.interrupted or summary.interrupted
        total.index = total.index or summary.index
    return total


class _Progress:
    """One progress bar over all workers."""

    def __init__(self, workers: int, show: bool) -> None:
        self.bar = tqdm(desc="indexing", unit="doc", disable=not show, dynamic_ncols=True)
        self.docs = [0] * workers
        self.passages = [0] * workers
        self.started = time.monotonic()

    def update(self, number: int, docs: int, passages: int) -> None:
        self.docs[number - 1], self.passages[number - 1] = docs, passages
        self.bar.update(sum(self.docs) - self.bar.n)
        elapsed = time.monotonic() - self.started
        written = sum(self.passages)
        self.bar.set_postfix(passages=written, per_s=f"{written / elapsed:.1f}" if elapsed else "0")

    def close(self) -> None:
        self.bar.close()


class _Run:
    """The parent's side: start the workers, follow them, put their results together."""

    def __init__(self, settings: Settings, job: IndexJob, workers: int, show_progress: bool) -> None:
        self.settings = settings
        self.job = job
        self.workers = workers
        self.context = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited threads
        self.messages = self.context.Queue()
        self.folder = Path(tempfile.mkdtemp(prefix="arsip-workers-"))
        self.processes: dict[int, multiprocessing.process.BaseProcess] = {}
        self.summaries: dict[int, IndexSummary] = {}
        self.progress = _Progress(workers, show_progress)
        self.target: str | None = None
        self.inboxes = {number: self.context.Queue() for number in range(1, workers + 1)}

    def part(self, number: int) -> Path:
        return self.folder / f"report-{number}.jsonl"

    def start(self, number: int) -> None:
        process = self.context.Process(
            target=_worker,
            name=f"arsip-index-worker-{number}",
            args=(
                number,
                self.workers,
                worker_settings(self.settings, self.workers),
                self.job,
                str(self.part(number)),
                self.messages,
                self.inboxes[number],
            ),
        )
        process.start()
        self.processes[number] = process

    def hand_out_target(self) -> None:
        """Tell workers 2..N which index to write into (None when worker 1 could not prepare it)."""
        for number, inbox in self.inboxes.items():
            if number != 1:
                inbox.put(self.target)

    def follow(self, until_target: bool = False) -> None:
        """Handle messages until every started worker is done (or, first, until the index exists)."""
        while len(self.summaries) < len(self.processes):
            if until_target and (self.target is not None or 1 in self.summaries):
                return
            try:
                kind, number, *payload = self.messages.get(timeout=1.0)
            except queue.Empty:
                self._check_alive()
                continue
            if kind == "target":
                self.target = payload[0]
            elif kind == "progress":
                self.progress.update(number, *payload)
            elif kind == "done":
                summary = payload[0]
                self.summaries[number] = summary
                self.progress.update(number, summary.documents_seen, summary.passages_written)

    def _check_alive(self) -> None:
        for number, process in self.processes.items():
            if number in self.summaries or process.is_alive():
                continue
            time.sleep(0.5)  # its last message may still be on the way
            if not self.messages.empty():
                return
            self.summaries[number] = IndexSummary(
                fatal=f"worker {number} stopped without a result (exit code {process.exitcode})"
            )

    def interrupt(self) -> None:
        """Pass Ctrl-C on: each worker stops where it is and reports what it wrote."""
        for number, process in self.processes.items():
            if number not in self.summaries and process.is_alive() and process.pid:
                os.kill(process.pid, signal.SIGINT)

    def indexed_ids(self) -> set[str]:
        ids: set[str] = set()
        for number in self.processes:
            path = self.part(number)
            if not path.exists():
                continue
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    entry = json.loads(line)
                    if entry["status"] == "indexed" and entry["doc_id"]:
                        ids.add(entry["doc_id"])
        return ids

    def write_report(self) -> None:
        if not self.job.report_path:
            return
        with open(self.job.report_path, "w", encoding="utf-8") as out:
            for number in sorted(self.processes):
                if self.part(number).exists():
                    with open(self.part(number), encoding="utf-8") as part:
                        shutil.copyfileobj(part, out)

    def close(self) -> None:
        for process in self.processes.values():
            process.join(timeout=30)
        self.progress.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def index_with_workers(
    settings: Settings, job: IndexJob, workers: int, *, show_progress: bool = True
) -> tuple[IndexSummary, RegroupSummary | None]:
    """Index ``job`` with ``workers`` processes; the merged summary and what the regrouping did."""
    if workers < 1:
        raise ValueError(f"--workers must be at least 1, got {workers}")
    started = time.monotonic()
    run = _Run(settings, job, workers, show_progress)
    regrouped: RegroupSummary | None = None
    try:
        try:
            for number in range(1, workers + 1):  # all load their model at once
                run.start(number)
            run.follow(until_target=True)
            run.hand_out_target()
            run.follow()
        except KeyboardInterrupt:
            run.interrupt()
            run.follow()
        summary = merge_summaries([run.summaries[n] for n in sorted(run.summaries)])
        summary.worker_s = max((s.elapsed_s for s in run.summaries.values()), default=0.0)
        summary.index = summary.index or run.target
        if run.target is not None:
            regrouped = _finish(settings, job, run, summary)
        run.write_report()
    finally:
        run.close()
    summary.elapsed_s = time.monotonic() - started
    return summary, regrouped


def _finish(settings: Settings, job: IndexJob, run: _Run, summary: IndexSummary) -> RegroupSummary | None:
    """Regroup near-duplicates in input order, then refresh / swap the alias (or drop a failed rebuild)."""
    es = make_client(settings, request_timeout=max(settings.es_request_timeout, 60.0))
    regrouped = None
    try:
        if summary.ok and settings.near_dup:
            if job.shard.whole:
                indexed = run.indexed_ids()
                order = (
                    item.doc_id
                    for item in job.read(settings)
                    if isinstance(item, SourceDocument) and item.doc_id in indexed
                )
                regrouped = regroup(es, run.target, settings, order)
            else:
                summary.notes.append(regroup_reminder(job.shard))
        if summary.ok:
            finish_target(es, settings, run.target, job.rebuild)
        elif job.rebuild:
            drop_unfinished_rebuild(es, run.target)
    except ENGINE_ERRORS as exc:
        summary.fatal = describe_engine_error(exc, settings)
    return regrouped


def regroup_reminder(shard: Shard) -> str:
    return (
        f"this was shard {shard}: once every shard is done, run the same command once more with "
        "--regroup instead of --shard (near-duplicate groups across shards; no model, no re-embedding)"
    )


def regroup_split_run(settings: Settings, job: IndexJob) -> RegroupSummary:
    """``arsip index PATHS --regroup``: after ``--shard i/N`` runs, the groups one run would have made.

    Reads the inputs again for their document ids and order only (no cleaning, no model) and replays
    the grouping of every input document found in the index.
    """
    from arsip import index_admin

    es = make_client(settings, request_timeout=max(settings.es_request_timeout, 60.0))
    targets = index_admin.alias_targets(es, settings.index)
    if not targets:
        raise index_admin.IndexMissing(settings.index)
    order = (item.doc_id for item in job.read(settings) if isinstance(item, SourceDocument))
    return regroup(es, targets[0], settings, order)
