"""``/entities/<kind>/<name>``: one person, organisation or place across the archive — its documents per
month (each bar a search of its documents in that month), its sources, the entities named with it, its
newest documents. Reached from the People / Organisations / Places facets and from the document view,
where the names in the text link here."""

from __future__ import annotations

from flask import Blueprint

from searchapp.context import get_service
from searchapp.errors import SearchError
from searchapp.pages.histogram import histogram_bars
from searchapp.pages.links import search_link
from searchapp.pages.rendering import render_error, render_page, show_errors_as_pages
from searchapp.pages.search import FACET_LABELS
from searchapp.search_links import FILTER_PARAMS

entities_page = Blueprint("entities", __name__)
show_errors_as_pages(entities_page)


def _bars(profile: dict) -> dict | None:
    """The histogram as SVG bars, each a search for the entity's documents in its date range."""
    return histogram_bars(
        profile.get("histogram"),
        lambda date_from, date_to: search_link(
            [*_filter(profile), ("date_from", date_from), ("date_to", date_to)]
        ),
    )


def _filter(profile: dict) -> list[tuple[str, str]]:
    return [(FILTER_PARAMS[profile["kind"]], profile["name"]), ("mode", "keyword")]


@entities_page.get("/entities/<kind>/<path:name>")
def entity(kind: str, name: str):
    try:
        profile = get_service().entity(kind, name)
    except SearchError as exc:
        if exc.status != 404:
            raise
        return render_error(404, exc.code, str(exc.message))
    return render_page(
        "entity.html",
        profile=profile,
        kind_label=str(FACET_LABELS[kind]),
        histogram=_bars(profile),
        search_url=search_link(_filter(profile)),
        source_url=lambda source: search_link([*_filter(profile), ("source", source)]),
        related_labels={k: str(FACET_LABELS[k]) for k in profile["related"]},
    )
