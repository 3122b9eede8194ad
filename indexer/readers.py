"""Turn archive files into ``SourceDocument``s: txt/markdown, HTML, JSONL/JSON, CSV and PDF.

Archives are large and dirty, so reading is streaming (generators; JSONL and CSV line by line) and
never raises for bad input: a broken record yields a ``ReadError`` for that record and reading goes
on; a broken file (binary junk, empty, undecodable, too big, invalid PDF) yields a single ``ReadError``.
The caller decides what to log or count.

Readers return the text as written (decoded, Unix newlines). Boilerplate removal (``indexer.cleaning``)
and language detection (``indexer.language``) are separate steps, so that document ids, which hash
the text, do not change when cleaning rules change.

``collection`` and ``source`` arguments, when given, override what a record or page says itself.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import html as html_lib
import io
import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from indexer.cleaning import is_boilerplate_line
from indexer.dates import DATELINE_ALONE_RE, find_dateline, parse_date_value
from indexer.documents import SourceDocument

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
# Titles guessed from the first line are cut to this length.
MAX_TITLE_CHARS = 200
SHORT_TITLE_CHARS = 120
# Longest document id (Elasticsearch allows 512 bytes; we keep room for ":<position>" passage ids).
MAX_ID_BYTES = 200

RECORD_FIELDS = ("id", "title", "text", "url", "source", "date", "language", "author", "collection")
FORMATS = ("txt", "html", "jsonl", "csv", "pdf")
FORMAT_BY_SUFFIX = {
    ".txt": "txt", ".text": "txt", ".md": "txt",
    ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv",
    ".pdf": "pdf",
}  # fmt: skip
STDIN_NAME = "<stdin>"
ARCHIVE_SUFFIXES = (".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst")


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


# --- paths and formats ---------------------------------------------------------------------------


def detect_format(path: str | Path) -> str:
    """The format ("txt", "html", "jsonl", "csv", "pdf") named by the file's extension."""
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


# --- document ids --------------------------------------------------------------------------------

_UNSAFE_ID_CHARS_RE = re.compile(r"[^A-Za-z0-9._\-]")


def _sha(text: str, length: int = 32) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def _safe_id_part(value: str) -> str:
    """Only [A-Za-z0-9._-] survive; if anything had to be replaced, a short hash of the original is
    appended so that "a:b" and "a/b" stay distinct."""
    safe = _UNSAFE_ID_CHARS_RE.sub("_", value)
    return safe if safe == value else f"{safe}-{_sha(value, 12)}"


def make_doc_id(
    record_id: str | int | None = None,
    url: str | None = None,
    text: str = "",
    namespace: str | None = None,
) -> str:
    """A stable Elasticsearch ``_id`` for a document.

    - the record's own id when it has one (so re-importing an updated record replaces it);
    - else ``url-`` + hash of the URL (a re-crawled page replaces its older capture);
    - else ``sha-`` + hash of the text: files have no ids, and a path-based id would change when the
      archive is moved or re-organised, while the content hash keeps the id (and deduplicates copies).

    ``namespace`` (the collection the caller names) is put in front, ``namespace~key``, so that two
    archives that both number their records 1, 2, 3 do not overwrite each other; the same document in
    two collections is two documents. Ids only hold [A-Za-z0-9._-] plus that one "~" (no ":", which
    separates the passage position), and are at most ``MAX_ID_BYTES`` long (longer ones keep a readable
    prefix and end with a hash).
    """
    if record_id is not None and str(record_id).strip():
        key = _safe_id_part(str(record_id).strip())
    elif url and url.strip():
        key = "url-" + _sha(url.strip())
    else:
        key = "sha-" + _sha(text.strip())
    if namespace and namespace.strip():
        key = f"{_safe_id_part(namespace.strip())}~{key}"
    if len(key) > MAX_ID_BYTES:
        key = f"{key[:100]}-{_sha(key)}"
    return key


def _namespace(collection: str | None, source: str | None) -> str | None:
    """Only the collection the caller names (``--collection``) namespaces ids; a record's own fields never
    do, so a JSONL record with ``"id": "x"`` keeps the id ``x`` that its owner knows it by."""
    del source
    return collection or None


# --- bytes to text -------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes that do not occur in text (tab, newlines, form feed and ESC excluded).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_MAX_BINARY_RATIO = 0.02
_MAX_BAD_CHAR_RATIO = 0.01
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def _looks_binary(data: bytes) -> bool:
    """NUL and other control bytes are (almost) absent from text in single-byte and UTF-8 encodings."""
    sample = data[:SNIFF_BYTES]
    if not sample:
        return False
    control = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return control / len(sample) > _MAX_BINARY_RATIO


def _bad_char_ratio(text: str) -> float:
    sample = text[:SNIFF_BYTES]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f\x1b"))
    return bad / len(sample)


def _detect_encoding(data: bytes) -> str | None:
    """The encoding charset-normalizer finds for non-UTF-8 bytes, preferring cp1252 when it fits as
    well: old Indonesian/Western files are cp1252, which the detector may report as a look-alike code
    page (cp1250, cp775...) that decodes some characters differently."""
    from charset_normalizer import from_bytes

    sample = data[:DETECT_BYTES]
    best = from_bytes(sample).best()
    if best is None:
        return None
    if best.encoding != "cp1252":
        western = from_bytes(sample, cp_isolation=["cp1252"]).best()
        if western is not None and western.chaos <= best.chaos + 0.05:
            return "cp1252"
    return best.encoding


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes (a truncated or patched file) rather than a legacy encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return multibyte > 0 and bad <= max(1, len(text) // 1000) and bad < multibyte


def decode_text(data: bytes, html: bool = False) -> tuple[str | None, str]:
    """Bytes to text: ``(text, encoding)``, or ``(None, reason)`` when the bytes are not plausible text.

    BOM first, then strict UTF-8, then (for HTML) the declared ``<meta charset>``, then
    charset-normalizer. Binary data (many control bytes) and decodings that leave many replacement
    or control characters are refused.
    """
    encoding = _bom_encoding(data)
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            return None, f"invalid {encoding} text despite its byte-order mark"
    if _looks_binary(data):
        return None, "binary data, not text"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    if html:
        m = _META_CHARSET_RE.search(data[:SNIFF_BYTES])
        if m:
            candidates.append(m.group(1).decode("ascii", "replace"))
    if _mostly_utf8(data):
        candidates.append("utf-8")
    detected = _detect_encoding(data)
    if detected:
        candidates.append(detected)
    for candidate in candidates:
        try:
            codecs.lookup(candidate)
        except LookupError:
            continue
        text = data.decode(candidate, errors="replace")
        if _bad_char_ratio(text) <= _MAX_BAD_CHAR_RATIO:
            return text, candidate
    return None, "not valid UTF-8 and no plausible text encoding found"


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


# --- txt -----------------------------------------------------------------------------------------

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


# --- html ----------------------------------------------------------------------------------------

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
    if not date:
        date = find_dateline(text)
        date_source = "dateline" if date else None
    url = getattr(extracted, "url", None) or None
    yield SourceDocument(
        # The site name trafilatura guesses never enters the id: it is too unstable.
        doc_id=make_doc_id(url=url, text=text, namespace=_namespace(collection, source)),
        text=text,
        title=title.strip(),
        url=url,
        source=source or getattr(extracted, "sitename", None) or None,
        collection=collection,
        date=date,
        date_source=date_source,
        author=getattr(extracted, "author", None) or None,
        path=name,
    )


# --- pdf -----------------------------------------------------------------------------------------

_JUNK_PDF_TITLE_RE = re.compile(r"^(?:untitled|microsoft word\b.*|.*\.(?:docx?|odt|pdf|rtf))$", re.I)


def _read_pdf(
    path: Path, name: str, collection: str | None, source: str | None, limit: int | None = None
) -> Iterator[Any]:
    data = _read_bytes(path, name, limit)
    if isinstance(data, ReadError):
        yield data
        return
    if b"%PDF-" not in data[:1024]:
        yield ReadError(name, None, "not a PDF (no %PDF header)")
        return
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are "encrypted" with an empty password
            except Exception:  # noqa: BLE001 - unsupported algorithm, missing crypto library
                opened = 0
            if not opened:
                yield ReadError(name, None, "encrypted PDF (a password is needed)")
                return
        pages = []
        for page in reader.pages:
            try:
                page_text = page.extract_text() or ""
            except Exception:  # noqa: BLE001 - one broken page must not lose the others
                continue
            page_text = _normalize_newlines(page_text).strip()
            if page_text:
                pages.append(page_text)
        try:
            meta_title = str((reader.metadata or {}).get("/Title") or "").strip()
        except Exception:  # noqa: BLE001
            meta_title = ""
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        yield ReadError(name, None, f"invalid PDF: {type(exc).__name__}: {exc}"[:300])
        return
    text = "\n\n".join(pages)
    if _too_short(text):
        yield ReadError(name, None, "PDF has no extractable text (scanned images?)")
        return
    if meta_title and not _JUNK_PDF_TITLE_RE.match(meta_title):
        title = meta_title
    else:
        first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
        title = _shorten(first_line)
    yield _plain_document(name, text, text, title, collection, source)


# --- records: jsonl / json / csv -----------------------------------------------------------------

_STRING_FIELDS = ("id", "title", "url", "source", "language", "author", "collection")


def _canonical_key(key: str, field_map: dict[str, str] | None) -> str:
    key = field_map.get(key, key) if field_map else key
    if key not in RECORD_FIELDS and isinstance(key, str) and key.strip().lower() in RECORD_FIELDS:
        return key.strip().lower()
    return key


def _json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages ("null", not "NoneType")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    names = {str: "string", list: "array", dict: "object"}
    return next((name for kind, name in names.items() if isinstance(value, kind)), type(value).__name__)


def document_from_record(
    record: Any,
    path: str,
    number: int | None = None,
    field_map: dict[str, str] | None = None,
    collection: str | None = None,
    source: str | None = None,
) -> SourceDocument | ReadError:
    """One JSON object / CSV row to a document, or a ``ReadError`` saying what is wrong with it.

    Fields ``id, title, text, url, source, date, language, author, collection`` are used (after
    renaming by ``field_map``, e.g. ``{"body": "text"}``; names are matched case-insensitively),
    all others go to ``extra``. ``text`` must be a non-empty string; the other fields must be strings
    (numbers are accepted and turned into strings). A date that cannot be parsed is kept in
    ``extra["raw_date"]``.
    """
    if not isinstance(record, dict):
        return ReadError(path, number, f"record is a JSON {_json_type(record)}, expected an object")
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in record.items():
        canonical = _canonical_key(key, field_map)
        if canonical in RECORD_FIELDS and canonical not in fields:
            fields[canonical] = value
        else:
            extra[key] = value
    text = fields.get("text")
    if text is None:
        return ReadError(path, number, "record has no 'text' field")
    if not isinstance(text, str):
        return ReadError(path, number, f"'text' is a JSON {_json_type(text)}, expected a string")
    text = _normalize_newlines(text)
    if _too_short(text):
        return ReadError(path, number, "'text' is empty or too short")
    values: dict[str, str | None] = {}
    for name in _STRING_FIELDS:
        value = fields.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if value is not None and not isinstance(value, str):
            return ReadError(path, number, f"'{name}' is a JSON {_json_type(value)}, expected a string")
        values[name] = (value.strip() or None) if isinstance(value, str) else None
    raw_date = fields.get("date")
    date = None
    if raw_date not in (None, ""):
        date = parse_date_value(raw_date)
        if date is None:
            extra["raw_date"] = raw_date
    doc_collection = collection or values["collection"]
    doc_source = source or values["source"]
    return SourceDocument(
        doc_id=make_doc_id(values["id"], values["url"], text, _namespace(collection, source)),
        text=text,
        title=values["title"] or "",
        url=values["url"],
        source=doc_source,
        collection=doc_collection,
        date=date,
        date_source="metadata" if date else None,
        language=values["language"].lower() if values["language"] else None,
        author=values["author"],
        path=path,
        extra=extra,
    )


def _sniff_record_encoding(path: Path) -> str:
    """Encoding of a JSONL/CSV file, from its first bytes: UTF-8 unless clearly something else."""
    with path.open("rb") as f:
        sample = f.read(DETECT_BYTES)
    bom = _bom_encoding(sample)
    if bom:
        return bom
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if len(sample) == DETECT_BYTES and exc.start >= len(sample) - 4:  # sample cut a character
            return "utf-8"
    if _mostly_utf8(sample):
        return "utf-8"
    return _detect_encoding(sample) or "utf-8"


def _decode_line(line: bytes, fallback: str) -> str | None:
    """One line of a record file: UTF-8 first (so one legacy line cannot turn a UTF-8 file into
    mojibake), then the encoding detected for the file; None for binary junk or undecodable bytes."""
    if _looks_binary(line):
        return None
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if fallback not in ("utf-8", "utf-8-sig"):
        try:
            return line.decode(fallback)
        except UnicodeDecodeError:
            pass
    return None


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


def _iter_binary_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line_number, line)`` pairs; ``line`` is None for a line over ``limit`` bytes (skipped
    without ever holding it whole in memory)."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:
                chunk = stream.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def _records_from_lines(
    lines: Iterable[tuple[int, bytes | str | None]],
    name: str,
    encoding: str,
    field_map: dict[str, str] | None,
    collection: str | None,
    source: str | None,
    limit: int | None = None,
) -> Iterator[SourceDocument | ReadError]:
    limit = MAX_RECORD_BYTES if limit is None else limit
    for number, line in lines:
        if line is None:
            yield ReadError(
                name, number, f"record too large (line longer than {_size(limit)}; raise ARSIP_MAX_FILE_MB)"
            )
            continue
        if isinstance(line, bytes):
            decoded = _decode_line(line, encoding)
            if decoded is None:
                yield ReadError(
                    name,
                    number,
                    "line is not valid UTF-8" + ("" if encoding == "utf-8" else f" or {encoding}"),
                )
                continue
            line = decoded
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield ReadError(name, number, f"invalid JSON: {exc}"[:300])
            continue
        yield document_from_record(record, name, number, field_map, collection, source)


def _read_jsonl(
    path: Path,
    name: str,
    field_map: dict[str, str] | None,
    collection: str | None,
    source: str | None,
    limit: int | None = None,
) -> Iterator[SourceDocument | ReadError]:
    try:
        size = path.stat().st_size
        if size == 0:
            yield ReadError(name, None, "empty file")
            return
        encoding = _sniff_record_encoding(path)
        if path.suffix.lower() == ".json":
            whole = _read_json_document(path, name, size, encoding, field_map, collection, source, limit)
            if whole is not None:
                yield from whole
                return
        with open_up_to_size(path, size) as stream:
            if encoding.startswith(("utf-16", "utf-32")):  # newlines are not single bytes there
                lines: Iterable[tuple[int, bytes | str | None]] = enumerate(
                    io.TextIOWrapper(stream, encoding=encoding, errors="replace"), 1
                )
            else:
                lines = _iter_binary_lines(stream, MAX_RECORD_BYTES if limit is None else limit)
            yield from _records_from_lines(lines, name, encoding, field_map, collection, source, limit)
    except OSError as exc:
        yield ReadError(name, None, f"cannot read file: {exc.strerror or exc}")


def _read_json_document(
    path: Path,
    name: str,
    size: int,
    encoding: str,
    field_map: dict[str, str] | None,
    collection: str | None,
    source: str | None,
    limit: int | None = None,
) -> list[SourceDocument | ReadError] | None:
    """A .json file holding one array of records or one record; None if it is JSON Lines after all."""
    limit = MAX_FILE_BYTES if limit is None else limit
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES).decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")
    if not head.startswith(("[", "{")):
        return [ReadError(name, None, "not JSON (expected an array or objects)")]
    if size > limit:
        if head.startswith("{"):
            return None  # large: read it as JSON Lines, record by record
        return [ReadError(name, None, f"JSON array over {_size(limit)}: convert it to JSONL")]
    try:
        with path.open("rb") as f:
            data = json.loads(f.read(size).decode(encoding))
    except json.JSONDecodeError as exc:
        if head.startswith("{") and exc.msg == "Extra data":
            return None  # one object per line
        return [ReadError(name, None, f"invalid JSON: {exc}"[:300])]
    except (UnicodeDecodeError, RecursionError) as exc:
        return [ReadError(name, None, f"invalid JSON: {type(exc).__name__}")]
    if isinstance(data, list):
        return [
            document_from_record(item, name, i, field_map, collection, source)
            for i, item in enumerate(data, 1)
        ]
    return [document_from_record(data, name, 1, field_map, collection, source)]


def _raise_csv_field_limit(limit: int | None = None) -> None:
    """Allow CSV fields up to ``MAX_RECORD_BYTES`` (the default limit, 128 KiB, is below real articles)."""
    limit = min(MAX_RECORD_BYTES if limit is None else limit, sys.maxsize)
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


def _read_csv(
    path: Path,
    name: str,
    field_map: dict[str, str] | None,
    collection: str | None,
    source: str | None,
    limit: int | None = None,
) -> Iterator[SourceDocument | ReadError]:
    line_limit = MAX_RECORD_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
        if size == 0:
            yield ReadError(name, None, "empty file")
            return
        encoding = _sniff_record_encoding(path)
        _raise_csv_field_limit(line_limit)
        bad_lines: set[int] = set()

        def decoded_lines(raw: IO[bytes]) -> Iterator[str]:
            """Physical lines as text; lines that cannot be decoded (or are too long) are noted in
            ``bad_lines`` and the row that holds them is reported instead of read."""
            if encoding.startswith(("utf-16", "utf-32")):  # newlines are not single bytes there
                yield from io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
                return
            for number, line in _iter_binary_lines(raw, line_limit):
                text = _decode_line(line, encoding) if line is not None else None
                if text is None:
                    bad_lines.add(number)
                    text = "\n"
                yield text

        with open_up_to_size(path, size) as raw:
            lines = decoded_lines(raw)
            first = next(lines, "")
            # Excel in Indonesian/European locales writes ";"; pick the separator the header uses most.
            delimiter = max(",;\t|", key=first.count) if first.strip() else ","
            reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
            header: list[str] | None = None
            row_start = 1
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    # In practice a quoted field that never closes: no way to find the next row again.
                    yield ReadError(name, reader.line_num, f"bad CSV row: {exc}; rest of the file skipped")
                    return
                first_line, row_start = row_start, reader.line_num + 1
                if bad_lines and any(n in bad_lines for n in range(first_line, reader.line_num + 1)):
                    what = "header" if header is None else "row"
                    yield ReadError(
                        name, reader.line_num, f"{what} is binary, too long or not valid {encoding}"
                    )
                    if header is None:
                        return
                    continue
                if header is None:
                    header = [cell.strip().lstrip("\ufeff") for cell in row]
                    continue
                if not row or not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    yield ReadError(
                        name, reader.line_num, f"row has {len(row)} fields, the header has {len(header)}"
                    )
                    continue
                record = dict(zip(header, row, strict=True))
                yield document_from_record(record, name, reader.line_num, field_map, collection, source)
    except OSError as exc:
        yield ReadError(name, None, f"cannot read file: {exc.strerror or exc}")


# --- entry points --------------------------------------------------------------------------------


def read_stream(
    stream: IO[bytes] | IO[str],
    field_map: dict[str, str] | None = None,
    collection: str | None = None,
    source: str | None = None,
    name: str = STDIN_NAME,
    *,
    max_bytes: int | None = None,
) -> Iterator[SourceDocument | ReadError]:
    """JSON Lines from an open stream (stdin for the "-" path), text or binary, one record a line;
    a line over ``max_bytes`` (default ``MAX_RECORD_BYTES``) is skipped with an error."""
    limit = MAX_RECORD_BYTES if max_bytes is None else max_bytes

    def lines() -> Iterator[tuple[int, bytes | str | None]]:
        if isinstance(stream, io.TextIOBase) and hasattr(stream, "buffer"):
            yield from _iter_binary_lines(stream.buffer, limit)
        elif isinstance(stream, io.TextIOBase):
            yield from enumerate(stream, 1)
        else:
            yield from _iter_binary_lines(stream, limit)  # type: ignore[arg-type]

    yield from _records_from_lines(lines(), name, "utf-8", field_map, collection, source, limit)


def read_file(
    path: str | Path,
    fmt: str = "auto",
    field_map: dict[str, str] | None = None,
    collection: str | None = None,
    source: str | None = None,
    *,
    max_bytes: int | None = None,
) -> Iterator[SourceDocument | ReadError]:
    """Documents of one file (or of stdin for "-", read as JSON Lines), and a ``ReadError`` for each
    record or file that cannot be read. Never raises for bad input.

    ``fmt`` is "auto" (from the extension) or one of ``FORMATS``; ``field_map`` renames record fields
    (JSONL/CSV); ``collection`` and ``source``, when given, are set on every document. ``max_bytes``
    (``Settings.max_file_mb``) is the largest txt/html/pdf/.json-array file read (larger ones are
    refused from their size, never read) and the largest JSONL line / CSV record.
    """
    if str(path) == "-":
        yield from read_stream(sys.stdin, field_map, collection, source, max_bytes=max_bytes)
        return
    path = Path(path)
    name = str(path)
    if fmt == "auto":
        try:
            fmt = detect_format(path)
        except UnsupportedFormat as exc:
            yield ReadError(name, None, str(exc))
            return
    elif fmt not in FORMATS:
        raise UnsupportedFormat(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not path.is_file():
        reason = "no such file" if not path.exists() else "not a regular file"
        yield ReadError(name, None, reason)
        return
    try:
        if fmt == "txt":
            yield from _read_txt(path, name, collection, source, max_bytes)
        elif fmt == "html":
            yield from _read_html(path, name, collection, source, max_bytes)
        elif fmt == "pdf":
            yield from _read_pdf(path, name, collection, source, max_bytes)
        elif fmt == "csv":
            yield from _read_csv(path, name, field_map, collection, source, max_bytes)
        else:
            yield from _read_jsonl(path, name, field_map, collection, source, max_bytes)
    except Exception as exc:  # noqa: BLE001 - last resort: one unreadable file must not stop a run
        yield ReadError(name, None, f"unexpected error: {type(exc).__name__}: {exc}"[:300])
