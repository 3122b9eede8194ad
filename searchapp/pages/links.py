"""URLs between the pages that carry the current search along.

A document or similar page opened from the results keeps the search's parameters, so it can mark the
query's words and lead back to the same results page; the results page's own links (facets, pages,
histogram bars) are the current query string with one change.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import has_request_context, request, url_for

from searchapp import search_links
from searchapp.search.result_rows import paragraph_number


def current_pairs(changes: dict | None = None, drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The current query string as pairs (empty values dropped), with ``changes`` applied.

    A change replaces every value of its parameter; a None value removes the parameter, a list sets
    several values.
    """
    changes = changes or {}
    pairs = [
        (key, value)
        for key, value in request.args.items(multi=True)
        if value != "" and key not in changes and key not in drop
    ]
    for key, value in changes.items():
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs += [(key, str(v)) for v in values]
    return pairs


def current_url(**changes) -> str:
    """This page's URL with ``changes`` applied to its query string (e.g. another UI language)."""
    query = urlencode(current_pairs(changes))
    return request.script_root + quote(request.path, safe="/:@!$&'()*+,;=") + (f"?{query}" if query else "")


def search_link(pairs: list[tuple[str, str]]) -> str:
    """The search page with exactly these parameters."""
    query = urlencode(pairs)
    return url_for("search.search") + (f"?{query}" if query else "")


def changed_search_url(**changes) -> str:
    """The search page with the current query string changed by ``changes`` (see ``current_pairs``)."""
    return search_link(current_pairs(changes))


def _state_pairs() -> list[tuple[str, str]]:
    """The current search's parameters (on a results, document or similar page alike)."""
    return search_links.search_state(request.args.items(multi=True)) if has_request_context() else []


def results_url() -> str | None:
    """The results page the current document or similar page was opened from, if any."""
    state = _state_pairs()
    return search_link(state) if state else None


def versions_url(group: str) -> str:
    """The same search, showing every version of one near-duplicate group."""
    return changed_search_url(versions_of=group, dedupe="0", page=None)


def document_url(doc_id: str, position: int | None = None) -> str:
    """A document (opened at the passage stored at ``position``), carrying the current search so it can
    mark the query's words and lead back to the same results page; the link names the passage by its
    paragraph number (``?p=9#p-9`` for position 8), the number the page shows."""
    number = paragraph_number(position)
    query = urlencode(_state_pairs() + ([("p", str(number))] if number is not None else []))
    url = url_for("documents.document", doc_id=doc_id) + (f"?{query}" if query else "")
    return url + (f"#p-{number}" if number is not None else "")


def page_image_url(doc_id: str, page: int) -> str:
    """The picture of a page OCR read (``/api/documents/<doc_id>/pages/<page>/image``)."""
    return url_for("api.page_image", doc_id=doc_id, page=page)


def similar_url(passage_id: str) -> str:
    """Passages close in meaning to one passage, carrying the current search like ``document_url``."""
    query = urlencode(_state_pairs())
    return url_for("documents.similar", passage_id=passage_id) + (f"?{query}" if query else "")


def entity_url(kind: str, name: str) -> str:
    """The page of one person (``person``), organisation (``org``) or place (``place``)."""
    return url_for("entities.entity", kind=kind, name=name)
