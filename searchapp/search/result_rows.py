"""The rows a search shows: one result (a document with its passages) and one export row.

Pure functions over Elasticsearch ``_source`` dicts, so the shapes the API documents
(``searchapp/openapi.py``) are built in one place for the API, the UI, the CLI and the export; and the
body that reads those stored fields for a list of passages. The envelope around the results is
``searchapp.search.envelope``'s.
"""

from __future__ import annotations

SOURCE_FIELDS = [
    "passage_id",
    "doc_id",
    "record_id",
    "position",
    "n_passages",
    "text",
    "title",
    "source",
    "collection",
    "url",
    "language",
    "date",
    "date_source",
    "date_precision",
    "author",
    "place",
    "title_source",
    "place_source",
    "dup_group",
    "entities",
    "entity_mentions",
    "doc_entities",
    "page",
    "page_ocr",
    "ocr_confidence",
]
PAGE_FIELDS = ("page", "page_ocr", "ocr_confidence")
"""Where a PDF or image passage lies (null for other formats): its page, whether OCR read that page, and
Tesseract's mean word confidence (0–100) for it."""
DOC_FIELDS = (
    "doc_id",
    "record_id",
    "title",
    "url",
    "source",
    "collection",
    "date",
    "date_source",
    "date_precision",
    "place",
    "language",
    "author",
)
EXPORT_COLUMNS = [
    "rank",
    "doc_id",
    "record_id",
    "passage_id",
    "paragraph",
    "page",
    "score",
    "match",
    "title",
    "source",
    "collection",
    "date",
    "date_source",
    "date_precision",
    "place",
    "language",
    "url",
    "author",
    "dup_group",
    "people",
    "organisations",
    "places",
    "text",
]
"""One export row per matching passage; ``rank`` is its document's rank on the screen, ``paragraph`` the
passage's number as the screen shows it (``paragraph_number``), ``match`` the part of the set it belongs
to (``search.parts``: all_words, some_words or meaning). ``people``, ``organisations`` and ``places``
are the names the passage mentions (indexer.entities), ``; `` between."""
PARTS = ("all_words", "some_words", "meaning")
"""The parts of a search's set, best first (``search.parts`` says which one a passage is in)."""
ENTITY_COLUMNS = {"people": "person", "organisations": "org", "places": "place"}


def paragraph_number(position: object) -> int | None:
    """The one number people see and cite for a passage: ¶ 9 on screen, ``#p-9`` and ``?p=9`` in links,
    ``paragraph`` 9 in the API and the exports, for the passage stored at position 8 (``doc_id:8``)."""
    return position + 1 if isinstance(position, int) else None


def result_row(
    passages: list[tuple[str, dict, float]],
    score: float,
    highlights: dict[str, dict] | None = None,
    missing: list[str] | None = None,
    parts: dict[str, str] | None = None,
) -> dict:
    """A document result from its shown passages ``(passage_id, _source, score)``, best first; ``parts``
    says which part of the set each passage belongs to (``search.parts``)."""
    highlights = highlights or {}
    parts = parts or {}
    first = passages[0][1]
    out = {name: first.get(name) for name in DOC_FIELDS}
    out["score"] = round(score, 6)
    if parts:
        out["match"] = best_part([parts[pid] for pid, _, _ in passages if pid in parts])
    if missing is not None:
        out["missing"] = missing
    out["passages"] = []
    for pid, src, passage_score in passages:
        marked = highlights.get(pid, {})
        out["passages"].append(
            {
                "passage_id": pid,
                "position": src.get("position"),
                "paragraph": paragraph_number(src.get("position")),
                "score": round(passage_score, 6),
                "text": src.get("text"),
                "highlight": (marked.get("text") or [None])[0],
                **page_fields(src),
                **({"match": parts[pid]} if pid in parts else {}),
            }
        )
        if marked.get("title") and "title_highlight" not in out:
            out["title_highlight"] = marked["title"][0]
    return out


def best_part(parts: list[str]) -> str:
    """A document's part: that of its best-matching passage (all words before some, some before meaning)."""
    return min(parts, key=PARTS.index) if parts else "meaning"


def page_fields(src: dict) -> dict:
    """A passage's ``PAGE_FIELDS`` from its ``_source``."""
    return {name: src.get(name) for name in PAGE_FIELDS}


def passages_body(passage_ids: list[str], named: dict[str, dict] | None = None) -> dict:
    """The stored fields of these passages (what a page shows and an export writes), each with the
    ``named`` queries it matches (``matched_names``)."""
    query: dict = {"ids": {"values": passage_ids}}
    if named:
        should = [{"bool": {"filter": [q], "_name": name}} for name, q in named.items()]
        query = {"bool": {"filter": [query], "should": should}}
    return {"query": query, "size": len(passage_ids), "_source": SOURCE_FIELDS}


def matched_names(response: dict) -> dict[str, set[str]]:
    """Passage id → the named queries of ``passages_body`` it matched."""
    return {h["_id"]: set(h.get("matched_queries") or ()) for h in response["hits"]["hits"]}


def export_row(rank: int, passage_id: str, src: dict, score: float, match: str | None = None) -> dict:
    """One export row (EXPORT_COLUMNS; ``match`` only where the caller knows the part)."""
    return {
        "rank": rank,
        "passage_id": passage_id,
        "score": round(score, 6),
        **({"match": match} if match is not None else {}),
        **{name: src.get(name) for name in (*DOC_FIELDS, "page", "text")},
        "paragraph": paragraph_number(src.get("position")),
        "dup_group": src.get("dup_group") or src.get("doc_id"),
        **{
            column: "; ".join((src.get("entities") or {}).get(kind) or [])
            for column, kind in ENTITY_COLUMNS.items()
        },
    }
