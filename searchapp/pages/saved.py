"""The saved searches' pages: "Save this search" on the results page, and /saved to list, open, rename,
delete them and follow their feeds. Plain HTML forms (POST, then a redirect): nothing needs JavaScript.

Forms sent for another site's page are refused (``same_origin``). Opening a saved search is a form too
(POST): it marks the search opened (nothing is new any more) and redirects to the search page; a GET of
the same address (a bookmark, a link preview, a prefetch) only redirects and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, redirect, request, url_for
from flask_babel import format_datetime, gettext

from searchapp import alerts
from searchapp.context import get_service
from searchapp.errors import SearchError
from searchapp.i18n import language_name
from searchapp.pages.rendering import render_error, render_page
from searchapp.same_origin import refuse_cross_site
from searchapp.saved_api import search_url
from searchapp.saved_searches import (
    MAX_LIST_SIZE,
    SAVED_PARAMS,
    SavedSearch,
    current_owner,
    get_store,
    parse_name,
    parse_search_form,
)
from searchapp.search_request import int_arg, single

saved_page = Blueprint("saved", __name__)


@saved_page.errorhandler(SearchError)
def _error(exc: SearchError):
    return render_error(exc.status, exc.code, exc.message)


saved_page.before_request(refuse_cross_site)


@saved_page.app_context_processor
def _save_form_context() -> dict:
    """For the results page's "Save this search" form: the search's own arguments, as hidden fields."""

    def save_search_fields() -> list[tuple[str, str]]:
        return [(name, value) for name in SAVED_PARAMS for value in request.args.getlist(name) if value]

    return {"save_search_fields": save_search_fields}


def describe(search: dict) -> list[str]:
    """A saved search in words, for people: mode, order, filters and dates."""
    modes = {"hybrid": gettext("Hybrid"), "keyword": gettext("Keyword"), "semantic": gettext("Semantic")}
    parts = [modes.get(search.get("mode", "hybrid"), search.get("mode", ""))]
    sorts = {"newest": gettext("Newest first"), "oldest": gettext("Oldest first")}
    if search.get("sort") in sorts:
        parts.append(sorts[search["sort"]])
    labels = {
        "source": gettext("Source: %(values)s"),
        "collection": gettext("Collection: %(values)s"),
        "lang": gettext("Language: %(values)s"),
    }
    for name, label in labels.items():
        values = [language_name(v) if name == "lang" else v for v in search.get(name) or []]
        if values:
            parts.append(label % {"values": ", ".join(values)})
    if search.get("date_from"):
        parts.append(gettext("from %(date)s", date=search["date_from"]))
    if search.get("date_to"):
        parts.append(gettext("to %(date)s", date=search["date_to"]))
    return parts


def _items(saved: list[SavedSearch]) -> list[dict]:
    counts = alerts.new_documents(get_service(), saved)
    return [
        {
            "saved": item,
            "new": counts.get(item.id),
            "description": describe(item.search),
            "last_opened": format_datetime(datetime.fromisoformat(item.last_opened_at), "medium"),
            "open_url": url_for("saved.open_saved", saved_id=item.id),
            "search_url": search_url(item),
            "atom_url": url_for("saved_api.atom", saved_id=item.id),
            "json_url": url_for("saved_api.json_feed_route", saved_id=item.id),
        }
        for item in saved
    ]


@saved_page.get("/saved")
def saved_list():
    page = int_arg(single(request.args.getlist("page"), "page"), "page", 1, 1, 1000)
    total, saved = get_store().list(current_owner(), page, MAX_LIST_SIZE)
    notice = {
        "created": gettext("Search saved."),
        "renamed": gettext("Renamed."),
        "deleted": gettext("Deleted."),
    }
    return render_page(
        "saved.html",
        items=_items(saved),
        total=total,
        page=page,
        previous_url=url_for("saved.saved_list", page=page - 1) if page > 1 else None,
        next_url=url_for("saved.saved_list", page=page + 1) if page * MAX_LIST_SIZE < total else None,
        notice=notice.get(request.args.get("done", "")),
    )


@saved_page.post("/saved")
def save():
    name = parse_name(request.form.get("name"))
    saved = get_store().create(current_owner(), name, parse_search_form(request.form))
    return redirect(url_for("saved.saved_list", done="created", _anchor=f"saved-{saved.id}"), 303)


@saved_page.post("/saved/<saved_id>/open")
def open_saved(saved_id: str):
    saved = get_store().mark_opened(current_owner(), saved_id)
    return redirect(search_url(saved), 303)


@saved_page.get("/saved/<saved_id>/open")
def show_saved(saved_id: str):
    """The saved search's results, without marking it opened (every state change is a POST)."""
    return redirect(search_url(get_store().get(current_owner(), saved_id)), 303)


@saved_page.post("/saved/<saved_id>/rename")
def rename(saved_id: str):
    get_store().rename(current_owner(), saved_id, parse_name(request.form.get("name")))
    return redirect(url_for("saved.saved_list", done="renamed", _anchor=f"saved-{saved_id}"), 303)


@saved_page.post("/saved/<saved_id>/delete")
def delete(saved_id: str):
    get_store().delete(current_owner(), saved_id)
    return redirect(url_for("saved.saved_list", done="deleted"), 303)
