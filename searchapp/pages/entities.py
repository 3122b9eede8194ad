"""``/entities/<kind>/<name>``: one person, organisation or place across the archive — its documents per
month (each bar a search of its documents in that month), its sources, the entities named with it, its
newest documents. Reached from the People / Organisations / Places facets and from the document view,
where the names in the text link here."""

from __future__ import annotations

from flask import Blueprint

from searchapp import i18n
from searchapp.context import get_service
from searchapp.errors import SearchError
from searchapp.pages.links import search_link
from searchapp.pages.rendering import render_error, render_page, show_errors_as_pages
from searchapp.pages.search import FACET_LABELS, HISTOGRAM_HEIGHT, HISTOGRAM_WIDTH
from searchapp.search_links import FILTER_PARAMS

entities_page = Blueprint("entities", __name__)
show_errors_as_pages(entities_page)


def _bars(profile: dict) -> dict | None:
    """The histogram as SVG bars, each a search for the entity's documents in its date range."""
    histogram = profile.get("histogram")
    if not histogram or not histogram.get("buckets"):
        return None
    buckets = histogram["buckets"]
    peak = max(b["documents"] for b in buckets) or 1
    width = HISTOGRAM_WIDTH / len(buckets)
    bars = []
    for i, bucket in enumerate(buckets):
        height = round(HISTOGRAM_HEIGHT * bucket["documents"] / peak, 1)
        label = bucket["key"] if histogram["interval"] == "year" else i18n.format_month(bucket["key"])
        pairs = [*_filter(profile), ("date_from", bucket["from"]), ("date_to", bucket["to"])]
        bars.append(
            {
                "x": round(i * width, 2),
                "width": round(max(1.0, width - 2), 2),
                "y": round(HISTOGRAM_HEIGHT - height, 1),
                "height": height,
                "label": label,
                "documents": bucket["documents"],
                "url": search_link(pairs),
            }
        )
    return {
        "interval": histogram["interval"],
        "bars": bars,
        "width": HISTOGRAM_WIDTH,
        "height": HISTOGRAM_HEIGHT,
        "undated": histogram.get("undated_documents") or 0,
    }


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
