"""The documents-over-time chart of the search page and the entity page: server-rendered SVG bars, each
a link that searches its date range (no JavaScript needed)."""

from __future__ import annotations

from collections.abc import Callable

from searchapp import i18n

HISTOGRAM_WIDTH = 640
HISTOGRAM_HEIGHT = 120


def histogram_bars(
    histogram: dict | None,
    bar_url: Callable[[str, str], str],
    current: tuple[str | None, str | None] = (None, None),
) -> dict | None:
    """The chart of a ``counting.read_histogram`` answer: one bar per bucket, linked to
    ``bar_url(date_from, date_to)``; the bar whose range is ``current`` is marked."""
    if not histogram or not histogram.get("buckets"):
        return None
    buckets = histogram["buckets"]
    peak = max(b["documents"] for b in buckets) or 1
    width = HISTOGRAM_WIDTH / len(buckets)
    label_of = {"year": str, "month": i18n.format_month, "day": i18n.format_day}[histogram["interval"]]
    bars = []
    for i, bucket in enumerate(buckets):
        height = round(HISTOGRAM_HEIGHT * bucket["documents"] / peak, 1)
        bars.append(
            {
                "x": round(i * width, 2),
                "width": round(max(1.0, width - 2), 2),
                "y": round(HISTOGRAM_HEIGHT - height, 1),
                "height": height,
                "label": label_of(bucket["key"]),
                "documents": bucket["documents"],
                "url": bar_url(bucket["from"], bucket["to"]),
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
