"""Bytes to text: byte-order marks, binary detection, UTF-8 first, then charset detection."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from indexer.readers.base import DETECT_BYTES, SNIFF_BYTES

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
