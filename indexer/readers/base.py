"""What every reader shares: the limits, the error record, and small helpers for whole files.

The limits are read as ``base.MAX_FILE_BYTES`` / ``base.MAX_RECORD_BYTES`` at call time (not copied
by ``from ... import``), so that one place sets them for every format.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

# Whole-file formats (txt, html, pdf, a .json array) are read into memory: refuse files above this
# (checked on the file's size, before reading it). ``max_bytes`` (ARSIP_MAX_FILE_MB) overrides it.
MAX_FILE_BYTES = 50 * 1024 * 1024
# One JSONL line or one CSV field may not be larger than this (the record is skipped with an error);
# ``max_bytes`` overrides it too, so one huge record cannot take hours to embed.
MAX_RECORD_BYTES = 50 * 1024 * 1024
MB = 1024 * 1024
# How much of a file is looked at to tell binary from text and to detect the encoding.
SNIFF_BYTES = 64 * 1024
DETECT_BYTES = 1024 * 1024
# A text with fewer non-space characters than this is not a document.
MIN_TEXT_CHARS = 3

RECORD_FIELDS = (
    "id", "title", "text", "url", "source", "date", "language", "author", "collection", "place"
)  # fmt: skip
STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages and images are read (``arsip index --ocr``, ``--ocr-lang``; docs/ocr.md)."""

    mode: str = "auto"  # auto: pages with too little text layer, and images; always; never
    lang: str = "ind+eng"  # Tesseract's language list
    dpi: int = 300  # PDF pages are rendered at this resolution for Tesseract
    timeout_s: float = 60.0  # a page taking longer is skipped (and reported)


@dataclass(frozen=True)
class ReadRequest:
    """What every format's ``read`` gets: the one reader interface (``read(request)`` yields
    ``SourceDocument``s and ``ReadError``s, never raises for bad input)."""

    path: Path
    name: str  # the path as reported in errors and stored on documents
    field_map: dict[str, str] | None = None  # record formats only (JSONL/CSV)
    collection: str | None = None
    source: str | None = None
    limit: int | None = None  # max_bytes: largest whole file / largest record
    ocr: OcrOptions = OcrOptions("never")  # PDFs and images: no OCR unless asked


class UnsupportedFormat(ValueError):
    """The file's extension names no format we can read."""


@dataclass
class ReadError:
    """Something that could not be read: a whole file (``record`` None) or one record of it.

    ``record`` is the 1-based line number of the record (for CSV, the line where the row ends; for a
    .json array, the element's 1-based index). ``skipped`` marks a file that was not read on purpose
    (an unsupported type found while walking a folder): reported, but not a failure.
    """

    path: str
    record: int | None
    reason: str
    skipped: bool = False

    def __str__(self) -> str:
        where = self.path if self.record is None else f"{self.path}:{self.record}"
        return f"{where}: {self.reason}"


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").lstrip("\ufeff")


def _too_short(text: str) -> bool:
    return len("".join(text.split())) < MIN_TEXT_CHARS


def _size(n: int) -> str:
    """``52428800`` → "50 MB"; small figures in bytes."""
    if n < MB // 10:
        return f"{n:,} bytes"
    return f"{n / MB:,.1f}".removesuffix(".0") + " MB"


def too_large_reason(size: int, limit: int) -> str:
    return f"file too large ({_size(size)} > {_size(limit)} limit; raise ARSIP_MAX_FILE_MB)"


def _read_bytes(path: Path, name: str, limit: int | None = None) -> bytes | ReadError:
    """The whole file, unless it is empty or over ``limit`` bytes (checked before reading)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
        if size == 0:
            return ReadError(name, None, "empty file")
        if size > limit:
            return ReadError(name, None, too_large_reason(size, limit))
        with path.open("rb") as f:
            return f.read(size)  # the size seen now: a file growing while read is not followed
    except OSError as exc:
        return ReadError(name, None, f"cannot read file: {exc.strerror or exc}")


class _UpToSize(io.RawIOBase):
    """A file that ends at the size it had when it was opened. A file growing while it is read (a log,
    or this run's own ``--report`` when it lies in the folder being indexed) is read as it was, never
    without end."""

    def __init__(self, raw: IO[bytes], size: int) -> None:
        self.raw, self.left = raw, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.left <= 0:
            return 0
        view = memoryview(buffer)[: self.left]
        n = self.raw.readinto(view) or 0
        self.left -= n
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_up_to_size(path: Path, size: int) -> IO[bytes]:
    """``path`` opened for reading, ending at ``size`` bytes (the size ``stat`` gave before reading)."""
    return io.BufferedReader(_UpToSize(path.open("rb", buffering=0), size))  # type: ignore[arg-type]
