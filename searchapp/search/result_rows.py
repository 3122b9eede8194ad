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
]
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
    "position",
    "score",
    "title",
    "source",
    "collection",
    "date",
    "date_precision",
    "place",
    "language",
    "url",
    "author",
    "dup_group",
    "text",
]
"""One export row per matching passage; ``rank`` is its document's rank on the screen."""


def result_row(
    passages: list[tuple[str, dict, float]],
    score: float,
    highlights: dict[str, dict] | None = None,
    missing: list[str] | None = None,
) -> dict:
    """A document result from its shown passages ``(passage_id, _source, score)``, best first."""
    highlights = highlights or {}
    first = passages[0][1]
    out = {name: first.get(name) for name in DOC_FIELDS}
    out["score"] = round(score, 6)
    if missing is not None:
        out["missing"] = missing
    out["passages"] = []
    for pid, src, passage_score in passages:
        marked = highlights.get(pid, {})
        out["passages"].append(
            {
                "passage_id": pid,
                "position": src.get("position"),
                "score": round(passage_score, 6),
                "text": src.get("text"),
                "highlight": (marked.get("text") or [None])[0],
            }
        )
        if marked.get("title") and "title_highlight" not in out:
            out["title_highlight"] = marked["title"][0]
    return out


def passages_body(passage_ids: list[str]) -> dict:
    """The stored fields of these passages (what a page shows and an export writes)."""
    return {"query": {"ids": {"values": passage_ids}}, "size": len(passage_ids), "_source": SOURCE_FIELDS}


def export_row(rank: int, passage_id: str, src: dict, score: float) -> dict:
    """One export row (EXPORT_COLUMNS)."""
    return {
        "rank": rank,
        "passage_id": passage_id,
        "score": round(score, 6),
        **{name: src.get(name) for name in (*DOC_FIELDS, "position", "text")},
        "dup_group": src.get("dup_group") or src.get("doc_id"),
    }
