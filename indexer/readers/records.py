"""Records (JSON objects, CSV rows) to documents, and the line reading JSONL and CSV share."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from indexer.dates import parse_date_value, parse_partial_date
from indexer.documents import SourceDocument
from indexer.metadata import extract_metadata
from indexer.readers import base
from indexer.readers.base import RECORD_FIELDS, ReadError, _normalize_newlines, _size, _too_short
from indexer.readers.decoding import _decode_line
from indexer.readers.ids import _namespace, make_doc_id

_LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})?$")
MAX_IGNORED_VALUE = 200  # characters of an ignored value quoted in the report

_STRING_FIELDS = ("id", "title", "url", "source", "language", "author", "collection", "place")


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

    Fields ``id, title, text, url, source, date, language, author, collection, place`` are used (after
    renaming by ``field_map``, e.g. ``{"body": "text"}``; names are matched case-insensitively),
    all others go to ``extra``. ``text`` must be a non-empty string; the other fields must be strings
    (numbers are accepted and turned into strings). A date that cannot be parsed is kept in
    ``extra["raw_date"]``. A month or a year alone (``2020-06``, ``2020``) is kept with its precision
    (``date_precision``). Every value read but not used — a date that is none, a language that is not a
    language code (it is then detected), a field arsip does not store — is listed in ``ignored`` (the
    report's ``ignored``).
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
    ignored = [
        {"field": key, "value": _quoted(value), "reason": "not a field arsip stores"}
        for key, value in extra.items()
    ]
    raw_date = fields.get("date")
    date, date_precision = None, None
    if raw_date not in (None, ""):
        date = parse_date_value(raw_date)
        if date is None and (partial := parse_partial_date(raw_date)) is not None:
            date, date_precision = partial
        if date is None:
            extra["raw_date"] = raw_date
            reason = "not a date (YYYY-MM-DD, YYYY-MM, YYYY, a timestamp or a written full date)"
            ignored.append({"field": "date", "value": _quoted(raw_date), "reason": reason})
    language = values["language"].lower() if values["language"] else None
    if language and not _LANGUAGE_CODE_RE.match(language):
        reason = "not a language code (ISO 639, e.g. id, en); the language is detected instead"
        ignored.append({"field": "language", "value": _quoted(values["language"]), "reason": reason})
        language = None
    doc_collection = collection or values["collection"]
    doc_source = source or values["source"]
    # A record's own title, date and place win; a missing date or place is read from the text's
    # dateline (never a title: a record without one keeps none).
    date_source = "metadata" if date else None
    place, place_source = values["place"], "metadata" if values["place"] else None
    if not date or not place:
        meta = extract_metadata(text)
        if not date:
            date, date_source = meta.date, meta.date_source
        if not place:
            place, place_source = meta.place, meta.place_source
    return SourceDocument(
        doc_id=make_doc_id(values["id"], values["url"], text, _namespace(collection, source)),
        text=text,
        title=values["title"] or "",
        title_source="metadata" if values["title"] else None,
        url=values["url"],
        source=doc_source,
        collection=doc_collection,
        date=date,
        date_source=date_source,
        date_precision=date_precision,
        place=place,
        place_source=place_source,
        language=language,
        author=values["author"],
        path=path,
        record_id=values["id"],
        line=number,
        extra=extra,
        ignored=ignored,
    )


def _quoted(value: Any) -> Any:
    """An ignored value as the report quotes it: as read, long strings cut."""
    if isinstance(value, str) and len(value) > MAX_IGNORED_VALUE:
        return value[:MAX_IGNORED_VALUE] + "…"
    return value if isinstance(value, (str, int, float, bool)) or value is None else _json_type(value)


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
    limit = base.MAX_RECORD_BYTES if limit is None else limit
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
