"""Images (.png, .jpg, .tif, multi-page .tif): every frame a page, all of them read by OCR
(``indexer.scanning``). With ``--ocr never`` an image cannot be read: it is reported as skipped."""

from __future__ import annotations

import io
from collections.abc import Iterator

from indexer.documents import SourceDocument
from indexer.readers.base import ReadError, ReadRequest, _read_bytes
from indexer.readers.paged import scan_document


def read(r: ReadRequest) -> Iterator[SourceDocument | ReadError]:
    """The image reader behind ``read_file``."""
    if r.ocr.mode == "never":
        yield ReadError(r.name, None, "an image is read by OCR only: not read with --ocr never", skipped=True)
        return
    data = _read_bytes(r.path, r.name, r.limit)
    if isinstance(data, ReadError):
        yield data
        return
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds of errors on broken files
        yield ReadError(r.name, None, f"not a readable image: {type(exc).__name__}: {exc}"[:300])
        return
    yield scan_document(r, data, "image", list(range(1, frames + 1)), [])
