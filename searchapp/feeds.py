"""A saved search's newest matches as an Atom feed and a JSON Feed 1.1 (pure: no request, no engine).

Atom is written by feedgen (it escapes text, formats RFC 3339 dates and writes the elements RFC 4287
requires: feed id/title/updated/author, entry id/title/link/updated); JSON Feed is a plain dict
(https://www.jsonfeed.org/version/1.1/), which needs no library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
SUMMARY_CHARS = 300
AUTHOR = "arsip"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all (not even escaped): dropped from the Atom feed's text."""


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


@dataclass(frozen=True)
class FeedEntry:
    id: str  # a stable IRI: the document's absolute URL
    title: str
    url: str
    updated: str  # ISO 8601, when the document was indexed
    summary: str
    date: str | None = None  # the document's own date (YYYY-MM-DD), when known
    source: str | None = None


@dataclass(frozen=True)
class FeedInfo:
    id: str  # a stable IRI for the saved search's feed
    title: str
    home_url: str  # the saved search on the search page
    feed_url: str  # this feed
    updated: str  # ISO 8601: the newest entry's, or the saved search's own time
    language: str = "en"


def summary(text: str | None, limit: int = SUMMARY_CHARS) -> str:
    """The passage's text, cut after a word near ``limit`` characters."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


def _when(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def atom_feed(info: FeedInfo, entries: list[FeedEntry]) -> bytes:
    """The Atom document (UTF-8 XML, newest entry first as given)."""
    fg = FeedGenerator()
    fg.id(xml_text(info.id))
    fg.title(xml_text(info.title))
    fg.updated(_when(info.updated))
    fg.author({"name": AUTHOR})
    fg.link(href=info.home_url, rel="alternate", type="text/html")
    fg.link(href=info.feed_url, rel="self", type="application/atom+xml")
    fg.language(info.language)
    fg.generator(AUTHOR)
    for item in entries:
        entry = fg.add_entry(order="append")
        entry.id(xml_text(item.id))
        entry.title(xml_text(item.title))
        entry.link(href=item.url, rel="alternate", type="text/html")
        entry.updated(_when(item.updated))
        entry.summary(xml_text(item.summary))
        if item.source:
            entry.category(term=xml_text(item.source))
    return fg.atom_str(pretty=True)


def json_feed(info: FeedInfo, entries: list[FeedEntry]) -> dict:
    """The JSON Feed 1.1 object (``items`` newest first as given)."""
    items = []
    for item in entries:
        entry = {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "summary": item.summary,
            "content_text": item.summary,
            "date_modified": _when(item.updated).isoformat(),
        }
        if item.date and len(item.date) >= 10:  # a whole day (a bare year or month is not a moment)
            entry["date_published"] = f"{item.date[:10]}T00:00:00+00:00"
        if item.source:
            entry["tags"] = [item.source]
        items.append(entry)
    return {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.home_url,
        "feed_url": info.feed_url,
        "language": info.language,
        "authors": [{"name": AUTHOR}],
        "items": items,
    }
