"""Tesseract through pytesseract: one page image in, its text and mean word confidence out.

Why pytesseract (docs/ocr.md has the measurements): it runs Debian's own ``tesseract`` (the packages
``scripts/bootstrap.sh`` installs, one version with the language data), one process per page, so a page
past the time limit is killed rather than asked to stop, and a crash costs that page, not the run.
tesserocr was ~25 % faster a page in-process but brings its own Tesseract build (34 MB) and can only
cancel cooperatively; ocrmypdf makes a new PDF, which we do not need, and gives no confidences.

Tesseract's OpenMP threads fight over a busy 2-core machine (4.6 s a page instead of 1.1 s, measured):
every Tesseract runs single-threaded here (``OMP_THREAD_LIMIT=1``) and pages are read side by side
instead (``indexer.scanning``).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass

# A line ending in a hyphen glued to a word: a word broken at the line end. The hyphen stays
# ("perundang-undangan", "mesin-mesin", "Covid-19" are written so), only the line break goes.
_BROKEN_WORD_RE = re.compile(r"(?<=\w)-\n(?=\S)")
# A line break inside a paragraph (Tesseract separates paragraphs by a blank line): the page's layout,
# not the writer's. Lines are joined, so a wrapped paragraph's first line is not taken for a headline.
_WRAP_RE = re.compile(r"(?<!\n)[^\S\n]*\n[^\S\n]*(?!\n)")


class OcrUnavailable(RuntimeError):
    """Tesseract or one of the requested languages is not installed."""


class OcrPageError(RuntimeError):
    """One page could not be read (timed out, or Tesseract failed on it)."""


@dataclass(frozen=True)
class PageText:
    text: str
    confidence: float | None  # mean word confidence, 0–100 (None: no word found)
    seconds: float


@functools.cache
def check_tesseract(lang: str) -> None:
    """Raise ``OcrUnavailable`` with what to install when Tesseract or a language of ``lang`` is
    missing (checked once per process and language list)."""
    never = "or index with --ocr never"
    if shutil.which("tesseract") is None:
        raise OcrUnavailable(
            "Tesseract is not installed: install tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng "
            f"(scripts/bootstrap.sh does), {never}"
        )
    try:
        listed = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.split("\n")[1:]
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"Tesseract does not start ({exc}): reinstall tesseract-ocr, {never}") from exc
    installed = {line.strip() for line in listed if line.strip()}
    missing = [code for code in lang.split("+") if code and code not in installed]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code}" for code in missing)
        raise OcrUnavailable(
            f"Tesseract has no language data for {'+'.join(missing)}: install {packages}, {never} "
            f"(or choose installed languages with --ocr-lang: {'+'.join(sorted(installed)) or 'none'})"
        )


def read_page(image, lang: str, timeout_s: float) -> PageText:
    """The text of one page image (a PIL image), paragraphs separated by blank lines."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    started = time.monotonic()
    try:
        txt, tsv = pytesseract.run_and_get_multiple_output(
            image, extensions=["txt", "tsv"], lang=lang, timeout=timeout_s
        )
    except RuntimeError as exc:  # pytesseract's time-out is a bare RuntimeError
        if "timeout" in str(exc).lower():
            raise OcrPageError(f"timed out after {timeout_s:g} s (ARSIP_OCR_PAGE_TIMEOUT)") from exc
        raise OcrPageError(f"Tesseract failed: {str(exc).strip()[:200]}") from exc
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable(str(exc)) from exc
    return PageText(tidy_text(txt), mean_confidence(tsv), time.monotonic() - started)


def tidy_text(text: str) -> str:
    """Tesseract's text as the text steps expect it: no form feed, one line per paragraph (words broken
    at line ends joined), paragraphs separated by a blank line."""
    text = text.replace("\f", "").strip()
    return _WRAP_RE.sub(" ", _BROKEN_WORD_RE.sub("-", text))


def mean_confidence(tsv: str) -> float | None:
    """The mean confidence of the words Tesseract found (its TSV's level-5 rows), as ``MeanTextConf``."""
    confidences = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "5" and (row.get("text") or "").strip():
            try:
                value = float(row.get("conf") or -1)
            except ValueError:
                continue
            if value >= 0:
                confidences.append(value)
    return round(sum(confidences) / len(confidences), 1) if confidences else None
