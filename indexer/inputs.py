"""The input of a run: files, folders and stdin walked into documents (and read errors), in a fixed order.

Kept apart from the run itself because split runs (``indexer.workers``) walk the same inputs in every
worker and again, for the order only, when they regroup near-duplicates.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from arsip.settings import Settings
from indexer.documents import SourceDocument
from indexer.readers import (
    FORMAT_BY_SUFFIX,
    OcrOptions,
    ReadError,
    iter_paths,
    read_file,
    read_stream,
    unsupported_in_folder,
)


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
    max_bytes = int(settings.max_file_mb * 1024 * 1024)
    ocr = OcrOptions(settings.ocr, settings.ocr_lang, settings.ocr_dpi, settings.ocr_page_timeout)
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
                ocr=ocr,
            )
