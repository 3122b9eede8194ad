"""``/``: the search page. Results grouped by document, facets as filters, a date histogram,
pagination and CSV/JSONL export links; without a query or filter it shows the search tips.

Every link on the page is the current query string with one change (``links``), so facets, pages and
histogram bars combine with the search that is shown.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from searchapp import i18n, search_links
from searchapp.context import get_service
from searchapp.errors import SearchError
from searchapp.facets import FACETS
from searchapp.pages.histogram import histogram_bars
from searchapp.pages.links import changed_search_url, current_pairs, search_link
from searchapp.pages.rendering import render_page, show_errors_as_pages
from searchapp.pages.suggestions import OTHER_LABELS, suggested_values
from searchapp.search.candidates import MAX_WINDOW as MAX_EXPORT_ROWS
from searchapp.search_params import BOOLEAN_TRUE, MAX_DEPTH, MODES, SORTS
from searchapp.search_request import SearchRequest

search_page = Blueprint("search", __name__)
show_errors_as_pages(search_page)

FILTER_PARAMS = search_links.FILTER_PARAMS
"""Facet name → URL parameter of the filter (``SearchRequest.from_args`` reads these)."""
PASSTHROUGH_PARAMS = ("size", "group", "fusion", "dedupe", "undated", "related")
"""Parameters the form keeps as hidden fields when present (set by hand in the URL)."""
FACET_LABELS = {
    "source": _l("Source"),
    "collection": _l("Collection"),
    "language": _l("Language"),
    "person": _l("People"),
    "org": _l("Organisations"),
    "place": _l("Places"),
    "year": _l("Year"),
    "month": _l("Month"),
}


def _selected(*names: str) -> list[str]:
    values: list[str] = []
    for name in names:
        for raw in request.args.getlist(name):
            values += [v.strip() for v in raw.split(",") if v.strip() and v.strip() not in values]
    return values


def _form_state() -> dict:
    mode = (request.args.get("mode") or "hybrid").lower()
    sort = (request.args.get("sort") or "relevance").lower()
    return {
        "q": request.args.get("q", ""),
        "mode": mode if mode in MODES else "hybrid",
        "modes": MODES,
        "sort": sort if sort in SORTS else "relevance",
        "sorts": SORTS,
        "selected": {
            facet.name: _selected(*search_links.ALIASES.get(facet.parameter, (facet.parameter,)))
            for facet in FACETS
        },
        "kept_filters": [  # every facet's selected values, names too: a new query or mode keeps them
            (facet.parameter, value)
            for facet in FACETS
            for value in _selected(*search_links.ALIASES.get(facet.parameter, (facet.parameter,)))
        ],
        "date_from": request.args.get("date_from", ""),
        "date_to": request.args.get("date_to", ""),
        "exact": (request.args.get("exact") or "").lower() in BOOLEAN_TRUE,
        "hidden": [(name, request.args[name]) for name in PASSTHROUGH_PARAMS if request.args.get(name)],
    }


def _active_filters(form: dict) -> int:
    return sum(len(values) for values in form["selected"].values()) + bool(
        form["date_from"] or form["date_to"]
    )


def _facet_groups(facets: dict) -> list[dict]:
    """Facets as lists of toggle links (``search_links.facet_groups``) with their labels, each with a
    typed filter (``other``) that offers the facet's known values and sends the parameter a link sets,
    with the rest of the search (a plain GET form: no script needed). A facet none of the results has
    is shown too, with only its typed filter, when the index knows values of it."""
    pairs = current_pairs()
    listed = {g["name"]: g for g in search_links.facet_groups(facets, pairs, search_link, _value_label)}
    suggested = suggested_values()
    state = [(key, value) for key, value in pairs if key != "page"]
    groups = []
    for name, param in FILTER_PARAMS.items():
        group = listed.get(name) or {"name": name, "param": param, "items": []}
        if not group["items"] and not suggested.get(name):
            continue
        group["label"] = str(FACET_LABELS[name])
        group["other"] = {
            "label": str(OTHER_LABELS[name]),
            "options": suggested.get(name, []),
            "state": state,
        }
        groups.append(group)
    return groups


def _value_label(facet: str, value: str) -> str:
    return i18n.language_name(value) if facet == "language" else value


def _chip_label(kind: str, value: str) -> str:
    if kind in FILTER_PARAMS:
        return f"{FACET_LABELS[kind]}: {_value_label(kind, value)}"
    if kind == "date_from":
        return gettext("From date") + f": {i18n.format_date(value)}"
    if kind == "date_to":
        return gettext("To date") + f": {i18n.format_date(value)}"
    return gettext("Versions of one story")


def _warning_text(warning: dict) -> dict:
    """A parser warning in the UI language: the text as typed and what happened to it."""
    message = warning.get("message")
    if isinstance(message, dict):
        message = message.get(i18n.select_language()) or message.get("en") or ""
    return {"code": warning.get("code"), "text": warning.get("text") or "", "message": message or ""}


def _histogram(histogram: dict | None) -> dict | None:
    """The chart of the search's histogram: each bar applies its date range to this search."""
    return histogram_bars(
        histogram,
        lambda date_from, date_to: changed_search_url(date_from=date_from, date_to=date_to, page=None),
        current=(request.args.get("date_from"), request.args.get("date_to")),
    )


def _pagination(page: int, size: int, total: int) -> dict | None:
    last = min(math.ceil(total / size), MAX_DEPTH // size) if size > 0 else 1
    last = max(last, page)
    if last <= 1:
        return None
    numbers = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    items: list[dict] = []
    previous = 0
    for number in numbers:
        if number - previous > 1:
            items.append({"gap": True})
        items.append({"number": number, "url": changed_search_url(page=number), "current": number == page})
        previous = number
    return {
        "items": items,
        "previous": changed_search_url(page=page - 1) if page > 1 else None,
        "next": changed_search_url(page=page + 1) if page < last else None,
    }


@search_page.get("/search")
def search_alias():
    """``/search?q=…`` (a guess people type) is the search page, with its arguments."""
    query = request.query_string.decode("utf-8", "replace")
    return redirect(url_for("search.search") + (f"?{query}" if query else ""), 301)


@search_page.get("/")
def search():
    form = _form_state()
    context = {
        "form": form,
        "envelope": None,
        "error": None,
        "facet_groups": [],
        "pagination": None,
        "active_filters": _active_filters(form),
        "has_filters": _active_filters(form) > 0,
        "clear_filters_url": search_link(
            search_links.without(
                current_pairs(), "source", "collection", "lang", "date_from", "date_to", "versions_of"
            )
        ),
    }
    if not form["q"].strip() and not context["has_filters"]:
        return render_page("search.html", **context)
    try:
        search_request = SearchRequest.from_args({key: request.args.getlist(key) for key in request.args})
        envelope = get_service().search(search_request)
    except SearchError as exc:
        context["error"] = exc
        return render_page("search.html", status=exc.status if 400 <= exc.status <= 599 else 500, **context)
    context["envelope"] = envelope
    context["facet_groups"] = _facet_groups(envelope.get("facets") or {})
    context["chips"] = search_links.filter_chips(current_pairs(), search_link, _chip_label)
    context["pagination"] = _pagination(
        envelope.get("page", 1), envelope.get("size", 10), int(envelope.get("total") or 0)
    )
    # Only the search's own parameters: the export refuses any it does not know (a page's ``ui``, ``p``).
    state = [(k, v) for k, v in search_links.search_state(current_pairs()) if k != "page"]
    context["export_urls"] = {
        fmt: url_for("api.export") + "?" + urlencode([*state, ("format", fmt)]) for fmt in ("csv", "jsonl")
    }
    context["export_limit"] = min(current_app.config["ARSIP_SETTINGS"].export_limit, MAX_EXPORT_ROWS)
    context["histogram"] = _histogram(envelope.get("histogram"))
    context["undated_toggle_url"] = changed_search_url(
        undated=None if search_request.filters.include_undated else "1", page=None
    )
    context["include_undated"] = search_request.filters.include_undated
    context["exact_toggle_url"] = changed_search_url(exact=None if form["exact"] else "1", page=None)
    context["related"] = search_request.related
    # the trade the relevance floor makes, shown: more passages related by meaning, or only the closest
    context["related_toggle_url"] = changed_search_url(
        related=None if search_request.related == "loose" else "loose", page=None
    )
    context["dedupe_toggle_url"] = changed_search_url(
        dedupe="0" if envelope.get("dedupe") else None, page=None
    )
    context["warnings"] = [_warning_text(w) for w in envelope.get("warnings") or []]
    context["clear_dates_url"] = changed_search_url(date_from=None, date_to=None, page=None)
    context["result_offset"] = (envelope.get("page", 1) - 1) * envelope.get("size", 10)
    return render_page("search.html", **context)
