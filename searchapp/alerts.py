"""What a saved search reports: documents new since it was last opened, and its newest matches.

Both start from the search service's own matching query (``SearchService.matching_query``: the
passages the search page counts, same modes, words, filters and related set), so "new" and the feeds
mean exactly what the search page means; no second query builder. Counts are documents (distinct
``doc_id``), read with the search page's own counting code. "New" is by indexing time
(``indexed_at``): a document the indexer wrote after the saved search was last opened.
"""

from __future__ import annotations

from searchapp.counting import build_count_body, read_totals
from searchapp.errors import SearchError
from searchapp.saved_searches import SavedSearch, search_request
from searchapp.search.result_rows import SOURCE_FIELDS
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService

FEED_SIZE = 20
"""Entries in a feed: the newest matching documents by indexing time."""


def new_since_query(matching: dict, since: str) -> dict:
    """The passages ``matching`` finds that were indexed after ``since``."""
    return {"bool": {"must": [matching], "filter": [{"range": {"indexed_at": {"gt": since}}}]}}


def newest_body(matching: dict, size: int = FEED_SIZE) -> dict:
    """The ``size`` newest matching documents by indexing time, one passage each (its best)."""
    return {
        "query": matching,
        "size": size,
        "collapse": {"field": "doc_id"},
        "sort": [
            {"indexed_at": {"order": "desc", "missing": "_last"}},
            {"doc_id": "asc"},
            {"_score": "desc"},
            {"position": "asc"},
        ],
        "_source": [*SOURCE_FIELDS, "indexed_at"],
        "track_total_hits": False,
    }


def new_documents(service: SearchService, saved: list[SavedSearch]) -> dict[str, int | None]:
    """Saved search id → documents new since it was last opened (one msearch for all of them).

    None where the search cannot run any more (e.g. its semantic model changed: 409); an engine
    failure still ends the whole call (503), as on the search page.
    """
    counts: dict[str, int | None] = {}
    requests: dict[str, SearchRequest] = {}
    for item in saved:
        try:
            requests[item.id] = search_request(item.search)
        except SearchError:  # saved under rules that have changed since
            counts[item.id] = None
    if any(request.mode != "keyword" for request in requests.values()):
        try:
            service.check_model()
        except SearchError as exc:  # another model than the index's: only keyword searches can run
            if exc.status >= 500:
                raise
            for saved_id in [i for i, request in requests.items() if request.mode != "keyword"]:
                counts[saved_id] = None
                del requests[saved_id]
    runnable = [(item, requests[item.id]) for item in saved if item.id in requests]
    matching = service.matching_queries([request for _, request in runnable])
    bodies: list[tuple[str, str, dict]] = []
    for (item, request), query in zip(runnable, matching, strict=True):
        if query is None:
            counts[item.id] = 0
            continue
        count_query = new_since_query(query, item.last_opened_at)
        bodies.append((item.id, request.mode, build_count_body(count_query, None, facets=False)))
    responses = service.run_searches([body for _, _, body in bodies])
    for (saved_id, mode, _), response in zip(bodies, responses, strict=True):
        counts[saved_id] = read_totals(response, mode)["documents"]
    return counts


def newest_matches(service: SearchService, saved: SavedSearch, size: int = FEED_SIZE) -> list[dict]:
    """The newest matching documents by indexing time: one dict per document with its best passage."""
    matching = service.matching_query(search_request(saved.search))
    if matching is None:
        return []
    response = service.run_searches([newest_body(matching, size)])[0]
    return [hit["_source"] for hit in response["hits"]["hits"]]
