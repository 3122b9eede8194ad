"""Plain text (.txt, .text, .md): the title from the first line, the date from a dateline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.cleaning import is_boilerplate_line
from indexer.dates import DATELINE_ALONE_RE, find_dateline
from indexer.documents import SourceDocument
from indexer.readers.base import (
    MAX_TITLE_CHARS,
    SHORT_TITLE_CHARS,
    ReadError,
    ReadRequest,
    _normalize_newlines,
    _read_bytes,
    _too_short,
)
from indexer.readers.decoding import decode_text
from indexer.readers.ids import _namespace, make_doc_id

_SENTENCE_END_RE = re.compile(r"[.;,:]['\"”’)]*$")


def _shorten(line: str, limit: int = SHORT_TITLE_CHARS) -> str:
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def split_title(text: str) -> tuple[str, str]:
    """``(title, body)`` of a plain-text document.

    The title is the first non-empty line that is not boilerplate (a photo caption such as
    "Pj. Sekda ... |", a widget) nor a bare date. If that line looks like a heading (short, not ending
    like a sentence) it is taken out of the body; if it is a paragraph (the press releases start right
    away with one) the title is its shortened start and the body keeps it, so no content is lost.
    """
    lines = text.split("\n")
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or is_boilerplate_line(stripped) or DATELINE_ALONE_RE.match(stripped):
            continue
        heading = stripped.lstrip("#").strip() if stripped.startswith("#") else stripped
        if len(heading) <= MAX_TITLE_CHARS and not _SENTENCE_END_RE.search(heading):
            body = "\n".join(lines[:i] + lines[i + 1 :]).strip("\n")
            return heading, body if body.strip() else text.strip("\n")
        return _shorten(heading), text.strip("\n")
    return "", text.strip("\n")


def _plain_document(
    name: str, text: str, body: str, title: str, collection: str | None, source: str | None
) -> SourceDocument:
    """A document without structured metadata (txt, pdf): id from the content, date only from a dateline."""
    date = find_dateline(text)
    return SourceDocument(
        doc_id=make_doc_id(text=text, namespace=_namespace(collection, source)),
        text=body,
        title=title,
        source=source,
        collection=collection,
        date=date,
        date_source="dateline" if date else None,
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
    title, body = split_title(text)
    yield _plain_document(name, text, body, title, collection, source)


def read(r: ReadRequest) -> Iterator[SourceDocument | ReadError]:
    """The txt reader behind ``read_file``."""
    yield from _read_txt(r.path, r.name, r.collection, r.source, r.limit)
