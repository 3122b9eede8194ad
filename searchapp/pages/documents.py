"""``/documents/<doc_id>`` shows a whole document with the matched passage marked, and
``/passages/<passage_id>/similar`` lists passages close in meaning from other documents.

Both are opened from a results page and carry its search along (``links``), so the document marks the
query's words and both lead back to the same results.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext

from searchapp.context import get_service
from searchapp.errors import SearchError
from searchapp.pages.links import document_url
from searchapp.pages.rendering import render_error, render_page, show_errors_as_pages

documents_page = Blueprint("documents", __name__)
show_errors_as_pages(documents_page)

SIMILAR_SIZE = 10


def _not_found_page(exc: SearchError, message: str):
    """A 404 from the service as a page that names the missing id; any other error is raised again."""
    if exc.status != 404:
        raise exc
    return render_error(404, exc.code, message)


@documents_page.get("/documents/<path:doc_id>")
def document(doc_id: str):
    raw = request.args.get("p", "")
    marked = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 9 else None
    try:
        doc = get_service().get_document(doc_id, request.args.get("q", ""))
    except SearchError as exc:
        message = gettext("There is no document with the id “%(id)s” in the archive.", id=doc_id)
        return _not_found_page(exc, message)
    positions = [p["position"] for p in doc["passages"]]
    if marked not in positions:  # opened without a passage (or a stale one): the first that matches
        marked = next((p["position"] for p in doc["passages"] if p.get("highlight")), None)
    matches = sum(1 for p in doc["passages"] if p.get("highlight"))
    return render_page("document.html", doc=doc, marked=marked, matches=matches)


@documents_page.get("/passages/<path:passage_id>/similar")
def similar(passage_id: str):
    try:
        envelope = get_service().similar(passage_id, SIMILAR_SIZE)
    except SearchError as exc:
        message = gettext("There is no passage with the id “%(id)s” in the archive.", id=passage_id)
        return _not_found_page(exc, message)
    passage = envelope.get("passage") or {}
    source = None
    if passage.get("doc_id") is not None and isinstance(passage.get("position"), int):
        source = {
            "title": passage.get("title") or gettext("(untitled)"),
            "n": passage["position"] + 1,
            "url": document_url(passage["doc_id"], passage["position"]),
            "page": passage.get("page"),
            "page_ocr": passage.get("page_ocr"),
            "ocr_confidence": passage.get("ocr_confidence"),
        }
    return render_page("similar.html", envelope=envelope, passage_id=passage_id, source=source)
