"""What a run did: the summary it prints and returns, and the per-document report (``--report FILE``).

Every thread of a run (admission, encoding, bulk writer) records each document's outcome here, once, so
the counts of the summary and the lines of the report file always agree.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field

MAX_FAILURES_KEPT = 200  # failures kept in memory for the summary; the report file has them all


@dataclass
class IndexSummary:
    """What a run did; printed at the end and returned to API callers."""

    documents_seen: int = 0
    indexed: int = 0
    unchanged: int = 0
    failed: int = 0
    removed: int = 0  # documents removed because the input no longer holds them (--prune)
    duplicates: int = 0  # records whose id an earlier record of the run has (not indexed; see Admission)
    skipped: int = 0  # unsupported files found in folders, the run's own report (not read; not a failure)
    passages_written: int = 0
    passages_deleted: int = 0
    repaired: int = 0  # documents whose encoding (mojibake) was repaired
    # OCR (docs/ocr.md): documents and pages read, the pages' time (summed over parallel pages), the sum of
    # the pages' mean confidences (for the mean), pages skipped (time limit, Tesseract failed or missing)
    ocr_documents: int = 0
    ocr_pages: int = 0
    ocr_seconds: float = 0.0
    ocr_confidence_sum: float = 0.0
    ocr_pages_skipped: int = 0
    with_ignored: int = 0  # documents with values read but not used (the report's "ignored")
    elapsed_s: float = 0.0
    worker_s: float = 0.0  # split runs: the longest worker's own run (no process start, no model load)
    fatal: str | None = None
    notes: list[str] = field(default_factory=list)  # worth knowing, not failures
    interrupted: bool = False
    index: str | None = None
    failures: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.duplicates == 0 and self.fatal is None and not self.interrupted

    def as_dict(self) -> dict:
        """The summary for scripts (``arsip index --json``): every count, ``ok`` and ``exit_status``."""
        data = asdict(self)
        data["ok"] = self.ok
        data["exit_status"] = self.exit_status
        data["passages_per_s"] = round(self.passages_per_s, 1)
        return data

    @property
    def exit_status(self) -> int:
        """0: all indexed or unchanged; 1: a record failed or was a duplicate; 2: the run stopped;
        130: interrupted (README, Indexing)."""
        if self.interrupted:
            return 130
        return 0 if self.ok else (2 if self.fatal else 1)

    @property
    def passages_per_s(self) -> float:
        return self.passages_written / self.elapsed_s if self.elapsed_s else 0.0

    def render(self) -> str:
        lines = [
            f"documents seen:   {self.documents_seen}",
            f"  indexed:        {self.indexed}",
            f"  unchanged:      {self.unchanged}",
            f"  failed:         {self.failed}",
            *([f"documents removed: {self.removed} (no longer in the input)"] if self.removed else []),
            *(
                [f"  duplicate ids:  {self.duplicates} (the first record with an id is kept)"]
                if self.duplicates
                else []
            ),
            *(
                [f"files skipped:    {self.skipped} (unsupported types, this run's report)"]
                if self.skipped
                else []
            ),
            f"passages written: {self.passages_written} ({self.passages_per_s:.1f}/s)",
            f"passages removed: {self.passages_deleted}",
            *([f"encoding repaired in {self.repaired} documents"] if self.repaired else []),
            *([self._ocr_line()] if self.ocr_documents else []),
            *(
                [f'values not used in {self.with_ignored} documents (--report lists them as "ignored")']
                if self.with_ignored
                else []
            ),
            f"elapsed:          {self.elapsed_s:.1f}s",
        ]
        if self.index:
            lines.append(f"index:            {self.index}")
        for failure in self.failures[:20]:
            where = failure.get("path") or failure.get("doc_id")
            if failure.get("line") is not None:
                where = f"{where} line {failure['line']}"
            label = "DUPLICATE" if failure.get("status") == "duplicate" else "FAILED"
            lines.append(f"  {label} {where}: {failure.get('reason')}")
        if self.failed + self.duplicates > 20:
            lines.append(f"  ... and {self.failed + self.duplicates - 20} more (use --report FILE for all)")
        lines += [f"NOTE: {note}" for note in self.notes]
        if self.interrupted:
            lines.append("INTERRUPTED: rerun the same command to continue where it stopped.")
        if self.fatal:
            lines.append(f"STOPPED: {self.fatal}")
        return "\n".join(lines)

    def _ocr_line(self) -> str:
        line = f"OCR:              {self.ocr_pages} pages in {self.ocr_documents} documents"
        line += f", {self.ocr_seconds:.1f}s"
        if self.ocr_pages:
            line += f" ({self.ocr_seconds / self.ocr_pages:.1f}s a page), mean confidence "
            line += f"{self.ocr_confidence_sum / self.ocr_pages:.0f}"
        if self.ocr_pages_skipped:
            line += f"; {self.ocr_pages_skipped} pages skipped (see --report)"
        return line


class RunReport:
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
        ocr: dict | None = None,
        line: int | None = None,
        ignored: list[dict] | None = None,
    ) -> None:
        """One document's outcome; ``ocr`` (PDFs and images read by OCR): the pages read, the seconds,
        the mean confidence, and the pages skipped with why."""
        entry = {
            "path": path,
            "line": line,
            "doc_id": doc_id,
            "status": status,
            "reason": reason,
            "passages": passages,
            "repaired": repaired or [],
        }
        if ocr is not None:
            entry["ocr"] = ocr
        if ignored:
            entry["ignored"] = ignored
        with self.lock:
            if ocr is not None:
                self._count_ocr(ocr)
            if repaired:
                self.summary.repaired += 1
            if ignored:
                self.summary.with_ignored += 1
            if status == "indexed":
                self.summary.indexed += 1
            elif status == "unchanged":
                self.summary.unchanged += 1
            elif status == "removed":
                self.summary.removed += 1
            elif status == "skipped":
                self.summary.skipped += 1
            elif status in ("failed", "duplicate"):
                if status == "failed":
                    self.summary.failed += 1
                else:
                    self.summary.duplicates += 1
                if len(self.summary.failures) < MAX_FAILURES_KEPT:
                    self.summary.failures.append(entry)
            if self.fh:
                self.fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def _count_ocr(self, ocr: dict) -> None:
        self.summary.ocr_documents += 1
        self.summary.ocr_pages += len(ocr["pages"])
        self.summary.ocr_seconds += ocr["seconds"]
        self.summary.ocr_confidence_sum += (ocr["confidence"] or 0.0) * len(ocr["pages"])
        self.summary.ocr_pages_skipped += len(ocr["skipped"])

    def close(self) -> None:
        if self.fh:
            self.fh.close()
