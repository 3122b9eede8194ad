"""Highlights and titles as safe HTML, cut to a snippet around the matched words.

Escaping: everything is rendered through Jinja's autoescape except highlight fragments. Those come
from Elasticsearch already HTML-escaped (``encoder: html``) with ``<mark>`` tags; they are parsed into
(text, marked) segments and rebuilt here with every text segment escaped again, and a fragment with
any other tag is shown fully escaped instead (see ``parse_highlight``).
"""

from __future__ import annotations

import html
import logging
import re

from flask_babel import gettext
from markupsafe import Markup, escape

log = logging.getLogger("arsip.ui")

SNIPPET_CHARS = 420  # a passage longer than SNIPPET_CHARS + SNIPPET_SLACK is cut to a window this long
SNIPPET_SLACK = 140
SNIPPET_LEAD = 90  # characters of context kept before the first highlight of the window
_MARK_TAGS = re.compile(r"(<mark>|</mark>)")
_SPACE = re.compile(r"\s")


def parse_highlight(fragment: str) -> list[tuple[str, bool]] | None:
    """Split an Elasticsearch highlight into (plain text, marked) segments, or None if it is not clean.

    Clean means: the only tags are balanced, non-nested ``<mark>``/``</mark>`` and no other ``<`` or
    ``>`` appears. Text segments are unescaped (they are escaped again when rendered).
    """
    segments: list[tuple[str, bool]] = []
    inside = False
    for part in _MARK_TAGS.split(fragment):
        if part == "<mark>":
            if inside:
                return None
            inside = True
        elif part == "</mark>":
            if not inside:
                return None
            inside = False
        elif part:
            if "<" in part or ">" in part:
                return None
            segments.append((html.unescape(part), inside))
    return None if inside else segments


def trim_segments(
    segments: list[tuple[str, bool]], limit: int = SNIPPET_CHARS, slack: int = SNIPPET_SLACK
) -> list[tuple[str, bool]]:
    """A window of about ``limit`` characters with the most distinct highlighted words.

    Cut at sentence or line starts/ends where one is near, else between words; never inside a highlight.
    """
    full = "".join(text for text, _ in segments)
    if len(full) <= limit + slack:
        return segments
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for text, marked in segments:
        if marked:
            spans.append((offset, offset + len(text), text.lower()))
        offset += len(text)
    best, best_score = 0, (-1, -1)
    for candidate in [0] + [max(0, start - SNIPPET_LEAD) for start, _, _ in spans]:
        inside = [s for s in spans if s[0] >= candidate and s[1] <= candidate + limit]
        score = (len({s[2] for s in inside}), len(inside))
        if score > best_score:
            best, best_score = candidate, score
    start = best
    if start > 0:
        first_mark = next((s[0] for s in spans if s[0] >= start), start)
        back = _sentence_start(full, max(0, start - SNIPPET_LEAD), start)
        ahead = _sentence_start(full, start, first_mark)
        if back is not None:  # begin at the sentence (or line) the window starts in, if it is close
            start = back
        elif ahead is not None:
            start = ahead
        else:
            match = _SPACE.search(full, start, start + 30)
            if match:
                start = match.end()
        while start < len(full) and full[start].isspace():
            start += 1
        start = next((s[0] for s in spans if s[0] < start < s[1]), start)
    end = min(len(full), max(start, best) + limit)
    if end < len(full):
        last_mark = max((s[1] for s in spans if start <= s[0] < end), default=start)
        cut = max(
            full.rfind(". ", max(last_mark, end - SNIPPET_LEAD), end) + 1,
            full.rfind("\n", max(last_mark, end - SNIPPET_LEAD), end),
        )
        if cut <= start:
            cut = max(full.rfind(" ", end - 30, end), full.rfind("\n", end - 30, end))
        if cut > start:
            end = cut
        end = next((s[1] for s in spans if s[0] < end < s[1]), end)
    window: list[tuple[str, bool]] = [("… ", False)] if start > 0 else []
    offset = 0
    for text, marked in segments:
        low, high = max(offset, start), min(offset + len(text), end)
        if low < high:
            window.append((text[low - offset : high - offset], marked))
        offset += len(text)
    if end < len(full):
        window.append((" …", False))
    return window


def _sentence_start(text: str, low: int, high: int) -> int | None:
    """Where the last sentence or line that starts in ``text[low:high]`` begins, if one does."""
    boundary = max(text.rfind("\n", low, high), text.rfind(". ", low, high))
    return boundary + 1 if boundary >= low else None


def _segments_markup(segments: list[tuple[str, bool]]) -> Markup:
    return Markup("").join(
        Markup("<mark>{}</mark>").format(text) if marked else escape(text) for text, marked in segments
    )


def highlighted(fragment: str | None, plain: str | None = None, trim: bool = False) -> Markup:
    """A highlight as safe HTML (``<mark>`` only), else the plain text escaped; cut to a snippet if asked."""
    if fragment:
        segments = parse_highlight(fragment)
        if segments is None:
            log.warning("highlight with unexpected markup was escaped")
            return escape(fragment)
    else:
        segments = [(plain or "", False)]
    return _segments_markup(trim_segments(segments) if trim else segments)


def passage_html(passage: dict, trim: bool = True) -> Markup:
    """A passage of a result or document as templates show it: its highlight, else its text."""
    return highlighted(passage.get("highlight"), passage.get("text"), trim=trim)


def title_html(result: dict) -> Markup:
    """A result's title (its highlight if the query matched it), else its id, else "(untitled)"."""
    title = result.get("title") or result.get("doc_id") or gettext("(untitled)")
    return (
        highlighted(result.get("title_highlight"), title) if result.get("title_highlight") else escape(title)
    )


def safe_url(url: str | None) -> str | None:
    """The URL if it is an http(s) link (others are shown as text, never linked)."""
    if not url or not isinstance(url, str):
        return None
    return url if url.lower().startswith(("http://", "https://")) else None
