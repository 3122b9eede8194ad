"""Which files to read and in which format: extensions, folder walking, skipped files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from indexer.readers.base import ReadError, UnsupportedFormat

FORMATS = ("txt", "html", "jsonl", "csv", "pdf", "image")
FORMAT_BY_SUFFIX = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv",
    ".pdf": "pdf",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}  # fmt: skip
ARCHIVE_SUFFIXES = (".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst")


def detect_format(path: str | Path) -> str:
    """The format ("txt", "html", "jsonl", "csv", "pdf", "image") named by the file's extension."""
    suffix = Path(path).suffix.lower()
    try:
        return FORMAT_BY_SUFFIX[suffix]
    except KeyError:
        raise UnsupportedFormat(f"unsupported file type {suffix or '(no extension)'!r}") from None


def unsupported_in_folder(path: Path) -> ReadError:
    """The report entry for a file of an unsupported type found while walking a folder: skipped, never
    opened (a .zip or .tar is not unpacked: extract archives first)."""
    suffix = path.suffix.lower()
    reason = f"unsupported file type {suffix or '(no extension)'!r}: skipped"
    if suffix in ARCHIVE_SUFFIXES:
        reason += " (archives are not unpacked; extract it first)"
    return ReadError(str(path), None, reason, skipped=True)


def iter_paths(paths: list[str], *, only_supported: bool = True) -> Iterator[Path]:
    """Files to read, in a deterministic order: directories are walked recursively (sorted),
    hidden files and directories (".git", ".DS_Store") are skipped, and so are files of unsupported
    types found while walking (``only_supported``). Paths named explicitly are always yielded, even
    missing or unsupported ones, so that ``read_file`` reports them; "-" (stdin) is passed through."""
    for name in paths:
        if name == "-":
            yield Path("-")
            continue
        path = Path(name)
        if not path.is_dir():
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for file_name in sorted(files):
                if file_name.startswith("."):
                    continue
                if only_supported and Path(file_name).suffix.lower() not in FORMAT_BY_SUFFIX:
                    continue
                yield Path(root) / file_name
