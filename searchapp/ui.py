"""The researchers' web UI: server-rendered pages that work without JavaScript.

``/`` searches (results grouped by document, facets as filters, pagination, CSV export),
``/documents/<doc_id>`` shows a whole document with the matched passage marked, and
``/passages/<passage_id>/similar`` lists passages close in meaning from other documents.

Escaping: everything is rendered through Jinja's autoescape except highlight fragments. Those come
from Elasticsearch already HTML-escaped (``encoder: html``) with ``<mark>`` tags; they are parsed into
(text, marked) segments and rebuilt here with every text segment escaped again, and a fragment with
any other tag is shown fully escaped instead (see ``parse_highlight``).
"""

from __future__ import annotations

import html
import logging
import math
import re
from urllib.parse import quote, urlencode

from flask import (
    Blueprint,
    current_app,
    has_request_context,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from searchapp import i18n, search_links
from searchapp.context import get_service
from searchapp.errors import FALLBACK_USER_MESSAGES, SearchError
from searchapp.search.candidates import MAX_WINDOW as MAX_EXPORT_ROWS
from searchapp.search_request import MAX_DEPTH, MODES, SORTS, SearchRequest

log = logging.getLogger("arsip.ui")

ui = Blueprint("ui", __name__, template_folder="templates")

SIMILAR_SIZE = 10
SNIPPET_CHARS = 420  # a passage longer than SNIPPET_CHARS + SNIPPET_SLACK is cut to a window this long
SNIPPET_SLACK = 140
SNIPPET_LEAD = 90  # characters of context kept before the first highlight of the window
FILTER_PARAMS = search_links.FILTER_PARAMS
"""Facet name → URL parameter of the filter (``SearchRequest.from_args`` reads these)."""
PASSTHROUGH_PARAMS = ("size", "group", "fusion", "dedupe")
"""Parameters the form keeps as hidden fields when present (set by hand in the URL)."""
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; "
    "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
FACET_LABELS = {
    "source": _l("Source"),
    "collection": _l("Collection"),
    "language": _l("Language"),
    "year": _l("Year"),
    "month": _l("Month"),
}
DEFAULT_ERROR_MESSAGES = FALLBACK_USER_MESSAGES
"""An error page's text when the error brings none (400, 404, 500)."""
_MARK_TAGS = re.compile(r"(<mark>|</mark>)")
_SPACE = re.compile(r"\s")


# ----------------------------------------------------------------------------- rendering helpers
def render_page(template: str, status: int = 200, **context):
    """A UI page in the UI language, with the security headers every page carries."""
    response = make_response(render_template(template, **context), status)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return i18n.persist_choice(response)


def render_error(status: int, code: str, message: str | None = None, detail: str | None = None):
    """An HTML error page in the UI language (the status is the response's status)."""
    status = status if 400 <= status <= 599 else 500
    family = 503 if status == 504 else status  # a timed-out engine reads like an unavailable one
    family = family if family in (400, 404, 409, 429, 500, 503) else (500 if family >= 500 else 400)
    title = i18n.error_title(family)
    if message is None:
        message = str(DEFAULT_ERROR_MESSAGES.get(family, ""))
    hint = gettext("Please try again in a minute.") if family == 503 else ""
    return render_page(
        "error.html",
        status=status,
        status_code=status,
        code=code,
        title=title,
        message=message,
        hint=hint,
        detail=detail,
    )


@ui.app_context_processor
def _template_context() -> dict:
    """Available in every template (the app's 404 page too): i18n, formatters, link and markup helpers."""
    helpers = i18n.template_helpers()
    helpers.update(
        lang_switch_url=_current_url(ui=helpers["ui_other_lang"]),
        passage_html=passage_html,
        title_html=title_html,
        safe_url=safe_url,
        document_url=document_url,
        similar_url=similar_url,
        versions_url=versions_url,
        results_url=results_url,
    )
    return helpers


@ui.errorhandler(SearchError)
def _search_error(exc: SearchError):
    return render_error(exc.status, exc.code, exc.user_message, exc.technical_detail)


@ui.errorhandler(Exception)
def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return render_error(exc.code or 500, exc.name.lower().replace(" ", "_"))  # werkzeug's text is English
    log.exception("unexpected error on %s", request.path)
    return render_error(500, "internal")


def parse_highlight(fragment: str) -> list[tuple[str, bool]] | None:
    """Split an Elasticsearch highlight into (plain text, marked) segments, or None if it is not clean.

    Clean means: the only tags are balanced, non-nested ``<mark>``/``</mark>`` and no other ``<`` or
    ``>`` appears. Text segments are unescaped (they are escaped again when rendered).
    """
    segments: list[tuple[str, bool]] = []
    inside = False
    for part in _MARK_TAGS.split(fragment):
        if part == "<mark>":
            if inside:
                return None
            inside = True
        elif part == "</mark>":
            if not inside:
                return None
            inside = False
        elif part:
            if "<" in part or ">" in part:
                return None
            segments.append((html.unescape(part), inside))
    return None if inside else segments


def trim_segments(
    segments: list[tuple[str, bool]], limit: int = SNIPPET_CHARS, slack: int = SNIPPET_SLACK
) -> list[tuple[str, bool]]:
    """A window of about ``limit`` characters with the most distinct highlighted words.

    Cut at sentence or line starts/ends where one is near, else between words; never inside a highlight.
    """
    full = "".join(text for text, _ in segments)
    if len(full) <= limit + slack:
        return segments
    spans: list[tuple[int, int, str]] = []
    offset = 0
    for text, marked in segments:
        if marked:
            spans.append((offset, offset + len(text), text.lower()))
        offset += len(text)
    best, best_score = 0, (-1, -1)
    for candidate in [0] + [max(0, start - SNIPPET_LEAD) for start, _, _ in spans]:
        inside = [s for s in spans if s[0] >= candidate and s[1] <= candidate + limit]
        score = (len({s[2] for s in inside}), len(inside))
        if score > best_score:
            best, best_score = candidate, score
    start = best
    if start > 0:
        first_mark = next((s[0] for s in spans if s[0] >= start), start)
        back = _sentence_start(full, max(0, start - SNIPPET_LEAD), start)
        ahead = _sentence_start(full, start, first_mark)
        if back is not None:  # begin at the sentence (or line) the window starts in, if it is close
            start = back
        elif ahead is not None:
            start = ahead
        else:
            match = _SPACE.search(full, start, start + 30)
            if match:
                start = match.end()
        while start < len(full) and full[start].isspace():
            start += 1
        start = next((s[0] for s in spans if s[0] < start < s[1]), start)
    end = min(len(full), max(start, best) + limit)
    if end < len(full):
        last_mark = max((s[1] for s in spans if start <= s[0] < end), default=start)
        cut = max(
            full.rfind(". ", max(last_mark, end - SNIPPET_LEAD), end) + 1,
            full.rfind("\n", max(last_mark, end - SNIPPET_LEAD), end),
        )
        if cut <= start:
            cut = max(full.rfind(" ", end - 30, end), full.rfind("\n", end - 30, end))
        if cut > start:
            end = cut
        end = next((s[1] for s in spans if s[0] < end < s[1]), end)
    window: list[tuple[str, bool]] = [("… ", False)] if start > 0 else []
    offset = 0
    for text, marked in segments:
        low, high = max(offset, start), min(offset + len(text), end)
        if low < high:
            window.append((text[low - offset : high - offset], marked))
        offset += len(text)
    if end < len(full):
        window.append((" …", False))
    return window


def _sentence_start(text: str, low: int, high: int) -> int | None:
    """Where the last sentence or line that starts in ``text[low:high]`` begins, if one does."""
    boundary = max(text.rfind("\n", low, high), text.rfind(". ", low, high))
    return boundary + 1 if boundary >= low else None


def _segments_markup(segments: list[tuple[str, bool]]) -> Markup:
    return Markup("").join(
        Markup("<mark>{}</mark>").format(text) if marked else escape(text) for text, marked in segments
    )


def highlighted(fragment: str | None, plain: str | None = None, trim: bool = False) -> Markup:
    """A highlight as safe HTML (``<mark>`` only), else the plain text escaped; cut to a snippet if asked."""
    if fragment:
        segments = parse_highlight(fragment)
        if segments is None:
            log.warning("highlight with unexpected markup was escaped")
            return escape(fragment)
    else:
        segments = [(plain or "", False)]
    return _segments_markup(trim_segments(segments) if trim else segments)


def passage_html(passage: dict, trim: bool = True) -> Markup:
    return highlighted(passage.get("highlight"), passage.get("text"), trim=trim)


def title_html(result: dict) -> Markup:
    title = result.get("title") or result.get("doc_id") or gettext("(untitled)")
    return (
        highlighted(result.get("title_highlight"), title) if result.get("title_highlight") else escape(title)
    )


def safe_url(url: str | None) -> str | None:
    """The URL if it is an http(s) link (others are shown as text, never linked)."""
    if not url or not isinstance(url, str):
        return None
    return url if url.lower().startswith(("http://", "https://")) else None


def document_url(doc_id: str, position: int | None = None) -> str:
    """A document (opened at a passage), carrying the current search so it can mark the query's words
    and lead back to the same results page."""
    query = urlencode(_state_pairs() + ([("p", str(position))] if position is not None else []))
    url = url_for("ui.document", doc_id=doc_id) + (f"?{query}" if query else "")
    return url + (f"#p-{position}" if position is not None else "")


def _state_pairs() -> list[tuple[str, str]]:
    """The current search's parameters (on a results, document or similar page alike)."""
    return search_links.search_state(request.args.items(multi=True)) if has_request_context() else []


def results_url() -> str | None:
    """The results page the current document or similar page was opened from, if any."""
    state = _state_pairs()
    return url_for("ui.search") + "?" + urlencode(state) if state else None


def versions_url(group: str) -> str:
    """The same search, showing every version of one near-duplicate group."""
    return _search_url(versions_of=group, dedupe="0", page=None)


def similar_url(passage_id: str) -> str:
    query = urlencode(_state_pairs())
    return url_for("ui.similar", passage_id=passage_id) + (f"?{query}" if query else "")


def _pairs(changes: dict | None = None, drop: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The current query string as pairs (empty values dropped), with ``changes`` applied."""
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


def _current_url(**changes) -> str:
    query = urlencode(_pairs(changes))
    return request.script_root + quote(request.path, safe="/:@!$&'()*+,;=") + (f"?{query}" if query else "")


def _search_url(**changes) -> str:
    query = urlencode(_pairs(changes))
    return url_for("ui.search") + (f"?{query}" if query else "")


# ----------------------------------------------------------------------------- search page
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
            "source": _selected("source"),
            "collection": _selected("collection"),
            "language": _selected("lang", "language"),
        },
        "date_from": request.args.get("date_from", ""),
        "date_to": request.args.get("date_to", ""),
        "hidden": [(name, request.args[name]) for name in PASSTHROUGH_PARAMS if request.args.get(name)],
    }


def _active_filters(form: dict) -> int:
    return sum(len(values) for values in form["selected"].values()) + bool(
        form["date_from"] or form["date_to"]
    )


def _facet_groups(facets: dict) -> list[dict]:
    """Facets as lists of toggle links (``search_links.facet_groups``) with their labels."""
    groups = search_links.facet_groups(facets, _pairs(), _link, _value_label)
    for group in groups:
        group["label"] = str(FACET_LABELS[group["name"]])
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


def _link(pairs: list[tuple[str, str]]) -> str:
    query = urlencode(pairs)
    return url_for("ui.search") + (f"?{query}" if query else "")


def _warning_text(warning: dict) -> dict:
    """A parser warning in the UI language: the text as typed and what happened to it."""
    message = warning.get("message")
    if isinstance(message, dict):
        message = message.get(i18n.select_language()) or message.get("en") or ""
    return {"code": warning.get("code"), "text": warning.get("text") or "", "message": message or ""}


HISTOGRAM_WIDTH = 640
HISTOGRAM_HEIGHT = 120


def _histogram(histogram: dict | None) -> dict | None:
    """Bars for the server-rendered SVG chart: each a link that applies its date range (no JS)."""
    if not histogram or not histogram.get("buckets"):
        return None
    buckets = histogram["buckets"]
    peak = max(b["documents"] for b in buckets) or 1
    width = HISTOGRAM_WIDTH / len(buckets)
    current = (request.args.get("date_from"), request.args.get("date_to"))
    bars = []
    for i, bucket in enumerate(buckets):
        height = round(HISTOGRAM_HEIGHT * bucket["documents"] / peak, 1)
        label = bucket["key"] if histogram["interval"] == "year" else i18n.format_month(bucket["key"])
        bars.append(
            {
                "x": round(i * width, 2),
                "width": round(max(1.0, width - 2), 2),
                "y": round(HISTOGRAM_HEIGHT - height, 1),
                "height": height,
                "label": label,
                "documents": bucket["documents"],
                "url": _search_url(date_from=bucket["from"], date_to=bucket["to"], page=None),
                "current": current == (bucket["from"], bucket["to"]),
            }
        )
    return {
        "interval": histogram["interval"],
        "bars": bars,
        "width": HISTOGRAM_WIDTH,
        "height": HISTOGRAM_HEIGHT,
        "undated": histogram.get("undated_documents") or 0,
    }


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
        items.append({"number": number, "url": _search_url(page=number), "current": number == page})
        previous = number
    return {
        "items": items,
        "previous": _search_url(page=page - 1) if page > 1 else None,
        "next": _search_url(page=page + 1) if page < last else None,
    }


@ui.get("/")
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
        "clear_filters_url": _link(
            search_links.without(
                _pairs(), "source", "collection", "lang", "date_from", "date_to", "versions_of"
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
    context["chips"] = search_links.filter_chips(_pairs(), _link, _chip_label)
    context["pagination"] = _pagination(
        envelope.get("page", 1), envelope.get("size", 10), int(envelope.get("total") or 0)
    )
    context["export_urls"] = {
        fmt: url_for("api.export") + "?" + urlencode(_pairs({"format": fmt}, drop=("page", "ui")))
        for fmt in ("csv", "jsonl")
    }
    context["export_limit"] = min(current_app.config["ARSIP_SETTINGS"].export_limit, MAX_EXPORT_ROWS)
    context["histogram"] = _histogram(envelope.get("histogram"))
    context["dedupe_toggle_url"] = _search_url(dedupe="0" if envelope.get("dedupe") else None, page=None)
    context["warnings"] = [_warning_text(w) for w in envelope.get("warnings") or []]
    context["clear_dates_url"] = _search_url(date_from=None, date_to=None, page=None)
    context["result_offset"] = (envelope.get("page", 1) - 1) * envelope.get("size", 10)
    return render_page("search.html", **context)


# ----------------------------------------------------------------------------- documents, similar
@ui.get("/documents/<path:doc_id>")
def document(doc_id: str):
    raw = request.args.get("p", "")
    marked = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 9 else None
    try:
        doc = get_service().get_document(doc_id, request.args.get("q", ""))
    except SearchError as exc:
        if exc.status == 404:
            message = gettext("There is no document with the id “%(id)s” in the archive.", id=doc_id)
            return render_error(404, exc.code, message)
        raise
    positions = [p["position"] for p in doc["passages"]]
    if marked not in positions:  # opened without a passage (or a stale one): the first that matches
        marked = next((p["position"] for p in doc["passages"] if p.get("highlight")), None)
    matches = sum(1 for p in doc["passages"] if p.get("highlight"))
    return render_page("document.html", doc=doc, marked=marked, matches=matches)


@ui.get("/passages/<path:passage_id>/similar")
def similar(passage_id: str):
    try:
        envelope = get_service().similar(passage_id, SIMILAR_SIZE)
    except SearchError as exc:
        if exc.status == 404:
            message = gettext("There is no passage with the id “%(id)s” in the archive.", id=passage_id)
            return render_error(404, exc.code, message)
        raise
    passage = envelope.get("passage") or {}
    source = None
    if passage.get("doc_id") is not None and isinstance(passage.get("position"), int):
        source = {
            "title": passage.get("title") or gettext("(untitled)"),
            "n": passage["position"] + 1,
            "url": document_url(passage["doc_id"], passage["position"]),
        }
    return render_page("similar.html", envelope=envelope, passage_id=passage_id, source=source)
