"""HTML pages: main text, title, date and author by trafilatura; plain tag stripping as fallback."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.documents import SourceDocument
from indexer.metadata import extract_metadata
from indexer.readers.base import ReadError, ReadRequest, _normalize_newlines, _read_bytes, _too_short
from indexer.readers.decoding import decode_text
from indexer.readers.ids import _namespace, make_doc_id

_BODY_RE = re.compile(r"<body\b[^>]*>(.*)</body\s*>", re.IGNORECASE | re.DOTALL)
_TITLE_RE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_INVISIBLE_RE = re.compile(
    r"<(script|style|noscript|template|svg|head)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|pre|header|footer|main|aside"
    r"|figure|figcaption|dd|dt|hr)\b[^>]*>",
    re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[^>]*>")


def strip_tags(markup: str) -> tuple[str, str]:
    """``(title, text)`` of HTML by plain tag stripping: the fallback when trafilatura finds nothing.
    Regex-based on purpose, so that deeply nested or broken markup cannot exhaust the stack."""
    m = _TITLE_RE.search(markup)
    title = " ".join(html_lib.unescape(_TAG_RE.sub(" ", m.group(1))).split()) if m else ""
    m = _BODY_RE.search(markup)
    body = m.group(1) if m else markup
    body = _INVISIBLE_RE.sub(" ", body)
    body = _BLOCK_TAG_RE.sub("\n", body)
    body = html_lib.unescape(_TAG_RE.sub(" ", body))
    lines = (" ".join(line.split()) for line in body.split("\n"))
    return title, "\n".join(line for line in lines if line)


def _trafilatura(markup: str) -> Any:
    import trafilatura
    from trafilatura.settings import set_date_params

    # Dates only from metadata/markup: "extensive" search would pick event dates from the text.
    return trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=set_date_params(extensive=False),
    )


def _read_html(
    path: Path, name: str, collection: str | None, source: str | None, limit: int | None = None
) -> Iterator[Any]:
    data = _read_bytes(path, name, limit)
    if isinstance(data, ReadError):
        yield data
        return
    markup, detail = decode_text(data, html=True)
    if markup is None:
        yield ReadError(name, None, detail)
        return
    markup = _normalize_newlines(markup)
    try:
        extracted = _trafilatura(markup)
    except Exception:  # noqa: BLE001 - RecursionError on deep nesting, lxml errors...: fall back
        extracted = None
    text = getattr(extracted, "text", None) or ""
    title = getattr(extracted, "title", None) or ""
    date_source = None
    if text.strip():
        date = getattr(extracted, "date", None)
        date_source = "metadata" if date else None
    else:
        try:
            fallback_title, text = strip_tags(markup)
        except (RecursionError, MemoryError) as exc:  # pragma: no cover - regexes do not recurse
            yield ReadError(name, None, f"HTML could not be parsed: {type(exc).__name__}")
            return
        title = title or fallback_title
        date = None
    text = _normalize_newlines(text).strip("\n")
    if _too_short(text):
        yield ReadError(name, None, "no text found in the HTML")
        return
    first, _, rest = text.partition("\n")
    if title and first.strip() == title.strip() and rest.strip():
        text = rest  # trafilatura repeats the <h1> heading as the first line of the text
    # What the markup does not give (title, date) and the place come from the text, like a bare .txt.
    meta = extract_metadata(text)
    title_source = "metadata" if title.strip() else meta.title_source
    if not title.strip():
        title, text = meta.title, meta.body
    if not date:
        date, date_source = meta.date, meta.date_source
    url = getattr(extracted, "url", None) or None
    yield SourceDocument(
        # The site name trafilatura guesses never enters the id: it is too unstable.
        doc_id=make_doc_id(url=url, text=text, namespace=_namespace(collection, source)),
        text=text,
        title=title.strip(),
        title_source=title_source,
        url=url,
        source=source or getattr(extracted, "sitename", None) or None,
        collection=collection,
        date=date,
        date_source=date_source,
        place=meta.place,
        place_source=meta.place_source,
        author=getattr(extracted, "author", None) or None,
        path=name,
    )


def read(r: ReadRequest) -> Iterator[SourceDocument | ReadError]:
    """The html reader behind ``read_file``."""
    yield from _read_html(r.path, r.name, r.collection, r.source, r.limit)
