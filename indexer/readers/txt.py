"""Plain text (.txt, .text, .md): title, date and place read from the text itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.documents import SourceDocument
from indexer.metadata import TextMetadata, extract_metadata
from indexer.readers.base import (
    ReadError,
    ReadRequest,
    _normalize_newlines,
    _read_bytes,
    _too_short,
)
from indexer.readers.decoding import decode_text
from indexer.readers.ids import _namespace, make_doc_id


def split_title(text: str) -> tuple[str, str]:
    """``(title, body)`` of a plain-text document (see ``indexer.metadata.extract_metadata``).

    The title is the first content line (not boilerplate such as a "Pj. Sekda ... |" photo caption, not a
    date line) when it is a headline, and then that line leaves the body; otherwise the first sentence
    of the first paragraph, and the body keeps it, so no content is lost.
    """
    meta = extract_metadata(text)
    return meta.title, meta.body


def _plain_document(
    name: str,
    text: str,
    meta: TextMetadata,
    collection: str | None,
    source: str | None,
    *,
    title: str | None = None,
) -> SourceDocument:
    """A document without structured metadata (txt, pdf): id from the content; title, date and place
    from the text (``meta``) unless the file's own metadata gave a ``title``."""
    return SourceDocument(
        doc_id=make_doc_id(text=text, namespace=_namespace(collection, source)),
        text=meta.body,
        title=title or meta.title,
        title_source="metadata" if title else meta.title_source,
        source=source,
        collection=collection,
        date=meta.date,
        date_source=meta.date_source,
        place=meta.place,
        place_source=meta.place_source,
        path=name,
    )


def _read_txt(
    path: Path, name: str, collection: str | None, source: str | None, limit: int | None = None
) -> Iterator[Any]:
    data = _read_bytes(path, name, limit)
    if isinstance(data, ReadError):
        yield data
        return
    text, detail = decode_text(data)
    if text is None:
        yield ReadError(name, None, detail)
        return
    text = _normalize_newlines(text)
    if _too_short(text):
        yield ReadError(name, None, "no text (whitespace only)" if not text.strip() else "text too short")
        return
    yield _plain_document(name, text, extract_metadata(text), collection, source)


def read(r: ReadRequest) -> Iterator[SourceDocument | ReadError]:
    """The txt reader behind ``read_file``."""
    yield from _read_txt(r.path, r.name, r.collection, r.source, r.limit)
