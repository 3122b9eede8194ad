"""Saved searches in the JSON API (``/api/saved``) and their feeds (``/api/saved/<id>/feed.atom|json``).

The same store, counts and feeds as the /saved page (``pages.saved``): what the page can do, a script can.
Writes take JSON bodies and are refused when a browser sends them for another site (``same_origin``).
"""

from __future__ import annotations

from urllib.parse import urlencode

import jsonschema_rs
from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import gettext

from searchapp import alerts
from searchapp.context import get_service
from searchapp.errors import ErrorCode, SearchError
from searchapp.feeds import FeedEntry, FeedInfo, atom_feed, json_feed, summary
from searchapp.i18n import select_language
from searchapp.openapi_saved import SAVED_SCHEMAS
from searchapp.same_origin import refuse_cross_site
from searchapp.saved_searches import (
    DEFAULT_LIST_SIZE,
    MAX_LIST_SIZE,
    SavedSearch,
    current_owner,
    get_store,
    parse_name,
    parse_search_object,
    search_pairs,
)
from searchapp.search.result_rows import paragraph_number
from searchapp.search_request import int_arg, single

saved_api = Blueprint("saved_api", __name__)
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"


@saved_api.errorhandler(SearchError)
def _error(exc: SearchError):
    return jsonify(exc.as_dict()), exc.status


saved_api.before_request(refuse_cross_site)


# ----------------------------------------------------------------------------- shapes
def search_url(saved: SavedSearch, external: bool = False) -> str:
    """The saved search on the search page."""
    return url_for("search.search", _external=external) + "?" + urlencode(search_pairs(saved.search))


def saved_json(saved: SavedSearch, new_documents: int | None) -> dict:
    """One saved search as the API shows it: what it is, what is new, where to run and follow it."""
    query = urlencode(search_pairs(saved.search))
    return {
        "id": saved.id,
        "name": saved.name,
        "owner": saved.owner,
        "search": saved.search,
        "created_at": saved.created_at,
        "updated_at": saved.updated_at,
        "last_opened_at": saved.last_opened_at,
        "new_documents": new_documents,
        "links": {
            "search": search_url(saved),
            "api_search": url_for("api.search") + "?" + query,
            "open": url_for("saved_api.open_saved", saved_id=saved.id),
            "atom": url_for("saved_api.atom", saved_id=saved.id),
            "json_feed": url_for("saved_api.json_feed_route", saved_id=saved.id),
        },
    }


def with_counts(items: list[SavedSearch]) -> list[dict]:
    counts = alerts.new_documents(get_service(), items)
    return [saved_json(item, counts.get(item.id)) for item in items]


_BODIES = {
    name: jsonschema_rs.validator_for(SAVED_SCHEMAS[name])
    for name in ("SavedSearchInput", "SavedSearchRename")
}
"""The write bodies as the API document publishes them."""


def _body(schema: str) -> dict:
    """The request's JSON object, checked against the published ``schema``: not an object, an unknown or
    a missing field is ``invalid_body``; the fields' values are left to ``parse_name`` and
    ``parse_search_object``, whose errors say which rule they break."""
    data = request.get_json(silent=True) if request.is_json else None
    if all(error.instance_path for error in _BODIES[schema].iter_errors(data)):
        return data
    if not isinstance(data, dict):
        message = gettext("Send a JSON object (Content-Type: application/json).")
    elif unknown := sorted(set(data) - set(SAVED_SCHEMAS[schema]["properties"])):
        message = gettext("Unknown field “%(name)s”.", name=unknown[0][:50])
    else:
        missing = [name for name in SAVED_SCHEMAS[schema]["required"] if name not in data]
        message = gettext("The field “%(name)s” is missing.", name=missing[0])
    raise SearchError(400, ErrorCode.INVALID_BODY, message)


# ----------------------------------------------------------------------------- routes
@saved_api.get("/api/saved")
def list_saved():
    page = int_arg(single(request.args.getlist("page"), "page"), "page", 1, 1, 1000)
    size = int_arg(single(request.args.getlist("size"), "size"), "size", DEFAULT_LIST_SIZE, 1, MAX_LIST_SIZE)
    total, items = get_store().list(current_owner(), page, size)
    return jsonify({"total": total, "page": page, "size": size, "saved": with_counts(items)})


@saved_api.post("/api/saved")
def create_saved():
    data = _body("SavedSearchInput")
    name = parse_name(data["name"])
    search = parse_search_object(data["search"])
    saved = get_store().create(current_owner(), name, search)
    response = jsonify(saved_json(saved, 0))
    response.status_code = 201
    response.headers["Location"] = url_for("saved_api.get_saved", saved_id=saved.id)
    return response


@saved_api.get("/api/saved/<saved_id>")
def get_saved(saved_id: str):
    saved = get_store().get(current_owner(), saved_id)
    return jsonify(with_counts([saved])[0])


@saved_api.patch("/api/saved/<saved_id>")
def rename_saved(saved_id: str):
    data = _body("SavedSearchRename")
    saved = get_store().rename(current_owner(), saved_id, parse_name(data["name"]))
    return jsonify(with_counts([saved])[0])


@saved_api.delete("/api/saved/<saved_id>")
def delete_saved(saved_id: str):
    get_store().delete(current_owner(), saved_id)
    return Response(status=204)


@saved_api.post("/api/saved/<saved_id>/open")
def open_saved(saved_id: str):
    """Mark the saved search opened (what running it on the page does): nothing is new any more."""
    saved = get_store().mark_opened(current_owner(), saved_id)
    return jsonify(saved_json(saved, 0))


# ----------------------------------------------------------------------------- feeds
def _feed(saved_id: str) -> tuple[FeedInfo, list[FeedEntry]]:
    saved = get_store().get(current_owner(), saved_id)
    matches = alerts.newest_matches(get_service(), saved)
    entries = []
    for match in matches:
        url = url_for("documents.document", doc_id=match["doc_id"], _external=True)
        entries.append(
            FeedEntry(
                id=url,
                title=match.get("title") or gettext("Untitled document"),
                url=url_for(
                    "documents.document",
                    doc_id=match["doc_id"],
                    p=paragraph_number(match.get("position", 0)),
                    _anchor=f"p-{paragraph_number(match.get('position', 0))}",
                    _external=True,
                ),
                updated=match.get("indexed_at") or saved.created_at,
                summary=summary(match.get("text")),
                date=match.get("date"),
                source=match.get("source"),
            )
        )
    newest = max((e.updated for e in entries), default=saved.updated_at)
    info = FeedInfo(
        id=url_for("saved_api.atom", saved_id=saved.id, _external=True),
        title=gettext("arsip: %(name)s", name=saved.name),
        home_url=search_url(saved, external=True),
        feed_url=request.base_url,
        updated=newest,
        language=select_language(),
    )
    return info, entries


@saved_api.get("/api/saved/<saved_id>/feed.atom")
def atom(saved_id: str):
    info, entries = _feed(saved_id)
    return Response(atom_feed(info, entries), content_type=ATOM_TYPE)


@saved_api.get("/api/saved/<saved_id>/feed.json")
def json_feed_route(saved_id: str):
    info, entries = _feed(saved_id)
    return jsonify(json_feed(info, entries)), 200, {"Content-Type": JSON_FEED_TYPE}
