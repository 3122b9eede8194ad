"""``/batch``: batch search in the UI — paste or upload a list of terms, get a table of matching documents.

The page works without JavaScript: a GET shows the form, a POST (``multipart/form-data``: the pasted
list, or a .txt/.csv file, and the filters) shows the table; the same form's "Download CSV" button posts
the list again with ``format=csv`` and gets the file. Counting, limits and the CSV are ``batch``'s, the
same as ``POST /api/batch``'s.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request, url_for
from flask_babel import format_decimal, gettext, ngettext

from searchapp import batch, i18n
from searchapp.context import get_service
from searchapp.errors import SearchError
from searchapp.pages.rendering import render_page
from searchapp.pages.suggestions import OTHER_LABELS, suggested_values
from searchapp.search_request import SearchRequest

log = logging.getLogger("arsip.ui")

batch_page = Blueprint("batch", __name__)
FACETS = (("source", "source"), ("collection", "collection"), ("language", "lang"))
"""(facet of the envelope, form field) of the filters offered as checkboxes."""


def _choices(selected: dict[str, list[str]]) -> list[dict]:
    """The archive's sources, collections and languages (one facet search over everything), each facet
    with a typed filter offering its known values (``suggestions``); none if the engine cannot answer
    (the list can still be searched without filters)."""
    try:
        facets = get_service().search(SearchRequest(mode="keyword", size=1, highlight=False))["facets"]
    except SearchError as exc:
        log.warning("batch page: no filter choices (%s)", exc.code)
        facets = {}
    labels = {
        "source": gettext("Source"),
        "collection": gettext("Collection"),
        "language": gettext("Language"),
    }
    suggested = suggested_values() if facets else {}
    groups = []
    for name, param in FACETS:
        values = [str(b["value"]) for b in (facets.get(name) or {}).get("buckets", [])]
        values += [v for v in selected.get(param, []) if v not in values]
        options = suggested.get(name, [])
        if values or options:
            items = [
                {
                    "value": v,
                    "label": i18n.language_name(v) if name == "language" else v,
                    "checked": v in selected.get(param, []),
                }
                for v in values
            ]
            groups.append(
                {
                    "name": name,
                    "param": param,
                    "label": labels[name],
                    "items": items,
                    "other_label": str(OTHER_LABELS[name]),
                    "options": options,
                }
            )
    return groups


def _read_list() -> tuple[str, batch.TermList]:
    """The posted list (an uploaded file wins over the text box) and the text to show in the box again."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        entries, extra = batch.upload_entries(upload.filename, upload.read())
        return "\n".join(entries), batch.term_list(entries, extra)
    text = request.form.get("terms", "")
    return text, batch.term_list(batch.lines_of_text(text))


@batch_page.route("/batch", methods=["GET", "POST"])
def page():
    form = request.form
    # (a typed filter left empty sends an empty value)
    selected = {param: [v.strip() for v in form.getlist(param) if v.strip()] for _, param in FACETS}
    context: dict = {
        "text": "",
        "date_from": form.get("date_from", ""),
        "date_to": form.get("date_to", ""),
        "exact": bool(form.get("exact")),
        "envelope": None,
        "error": None,
        "max_terms": batch.MAX_TERMS,
    }
    status = 200
    if request.method == "POST":
        try:
            context["text"], terms = _read_list()
            if not terms.terms:
                raise batch.empty_list_error()
            filters = {**selected, "date_from": context["date_from"], "date_to": context["date_to"]}
            filters["exact"] = context["exact"]
            envelope = batch.run_batch(get_service(), terms, filters, search_path=url_for("search.search"))
        except batch.BatchError as exc:
            context["error"], status = exc.translated(gettext, i18n.format_number), exc.status
        except SearchError as exc:
            context["error"], status = exc.message, exc.status if 400 <= exc.status <= 599 else 500
        else:
            if form.get("format") == "csv":
                disposition = f'attachment; filename="{batch.csv_filename()}"'
                return Response(
                    batch.csv_lines(envelope["rows"]),
                    content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition},
                )
            context["envelope"] = envelope
            context["seconds"] = format_decimal(envelope["took_ms"] / 1000, format="0.00")
            context["notes"] = _notes(envelope)
    context["choices"] = _choices(selected)
    return render_page("batch.html", status=status, **context)


def _notes(envelope: dict) -> list[str]:
    """What happened to the list besides the table: blank lines, repeats, ignored CSV columns."""
    notes = []
    if envelope["blank_lines"]:
        blank = envelope["blank_lines"]
        notes.append(
            ngettext(
                "%(count)s blank line skipped.",
                "%(count)s blank lines skipped.",
                blank,
                count=i18n.format_number(blank),
            )
        )
    for repeat in envelope["duplicates"]:
        notes.append(
            gettext(
                "Line %(line)s repeats line %(first)s (%(term)s); it was searched once.",
                line=repeat["line"],
                first=repeat["first_line"],
                term=repeat["term"],
            )
        )
    if envelope["ignored_columns"]:
        rows = envelope["ignored_columns"]
        notes.append(
            ngettext(
                "Only the first column of the file is read; %(count)s row had more columns.",
                "Only the first column of the file is read; %(count)s rows had more columns.",
                rows,
                count=i18n.format_number(rows),
            )
        )
    return notes
