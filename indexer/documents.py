"""The two records the indexer moves around: a source document and one of its passages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class SourceDocument:
    """One document as read from an archive, before cleaning and splitting.

    ``date`` is ISO ``YYYY-MM-DD`` (or None). ``title_source``, ``date_source`` and ``place_source`` say
    how each was found, so researchers can judge it: "metadata" (the input named it; always wins),
    else read from the text: title "headline" | "first_sentence", date "dateline" | "text", place
    "dateline" (see ``indexer.metadata``).
    """

    doc_id: str
    text: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    collection: str | None = None
    date: str | None = None
    date_source: str | None = None
    date_precision: str | None = (
        None  # "month" | "year" for a record that gave only that (date YYYY-MM | YYYY)
    )
    place: str | None = None
    place_source: str | None = None
    title_source: str | None = None
    language: str | None = None
    author: str | None = None
    path: str | None = None
    record_id: str | None = None  # the record's own id as given; ``doc_id`` is made from it (readers.ids)
    line: int | None = None  # the record's line (JSONL, CSV) or number (a list of records) in ``path``
    extra: dict = field(default_factory=dict)
    ignored: list[dict] = field(default_factory=list)  # values read but not used: {field, value, reason}

    def content_hash(self) -> str:
        """Hash of everything that ends up in the index, so unchanged documents can be skipped."""
        digest = hashlib.sha256()
        for part in (
            self.title,
            self.text,
            self.url,
            self.source,
            self.collection,
            self.date,
            self.date_source,
            self.date_precision,
            self.place,
            self.place_source,
            self.title_source,
            self.language,
            self.author,
        ):
            digest.update((part or "").encode("utf-8"))
            digest.update(b"\x1f")
        return digest.hexdigest()[:32]


@dataclass
class Passage:
    """A paragraph-sized piece of a document: the unit we embed, index and return."""

    doc_id: str
    position: int
    text: str

    @property
    def passage_id(self) -> str:
        return f"{self.doc_id}:{self.position}"
