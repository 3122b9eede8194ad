"""What a search reports as its size: exact totals, facet counts in documents and a date histogram.

One size-0 request over the *candidate query* (the passages the mode matched: the BM25 matches, the
related set under the filters, or — hybrid — their union) answers all of it, so every figure describes
the same set and none depends on the page:

* passages: ``hits.total`` with ``track_total_hits`` (exact);
* documents (and, in hybrid mode, the documents holding every word): distinct ``doc_id``s, counted
  exactly up to ``EXACT_DOCUMENTS`` by a ``terms`` aggregation whose buckets a ``stats_bucket`` counts
  (the index has one shard, so a terms aggregation that leaves nothing over, ``sum_other_doc_count``
  0, has seen every value); the buckets themselves never travel back (``RESPONSE_FILTER``, which the
  engine sends with every msearch). Beyond the bound the figure is the ``cardinality`` estimate (within
  about 1 %, never below the bound) and ``exact`` is false. The cardinality aggregation alone is not
  exact even below its precision threshold: hashes collide, and it was found one short from about
  1,300 documents (issue 24; ``scripts/bench_counts.py`` measures both and what the exact count costs);
* facets and histogram buckets count documents with the cardinality estimate (they are not marked
  exact); ``source``, ``collection``, ``language`` and ``date`` are per document, so the buckets of a
  facet add up to the document total (plus the documents without a value, reported as ``missing``).

Facets with selected values count like Elasticsearch's ``post_filter`` pattern: each such facet is
counted over the candidates of the search *without its own selection* (``facet_scopes``, reached from a
``global`` aggregation), so the other values of that facet stay visible with their counts, while every
other figure, and every other facet, counts the search with all filters. Several values of one facet are
OR, facets are AND (``query_builder.build_filter_clauses``).
"""

from __future__ import annotations

import calendar
from datetime import date

from searchapp.facets import FACETS, Facet

EXACT_DOCUMENTS = 10_000
"""Up to this many distinct documents ``totals.documents`` is an exact count (``exact: true``)."""
PRECISION_THRESHOLD = 40_000
"""The cardinality estimates' ``precision_threshold`` (Elasticsearch's highest)."""
DOCUMENT_IDS = "document_ids"
"""The exact counts' terms aggregations; their buckets are counted, never sent back."""
RESPONSE_FILTER = [f"-responses.**.{DOCUMENT_IDS}.buckets"]
"""The msearch ``filter_path`` that leaves those buckets out of every response."""
FACET_SIZE = 20
MANY_VALUES_READ = 200
"""Values read of a facet with many values before they are ordered by documents (``values_agg``)."""
MAX_MONTH_BUCKETS = 36  # a longer span is shown per year
MAX_DAY_MONTHS = 2
"""A span over at most this many calendar months is shown per day (one month was one full-width bar)."""
UNDATED_SCOPE = "date"
"""The scope of a search under a date range without it: its undated documents are the ones the range
hides (``totals.undated_excluded``)."""


def documents_agg() -> dict:
    """The distinct documents of a bucket's passages (a HyperLogLog estimate; ``_exact_documents`` for the
    totals that must be exact)."""
    return {"cardinality": {"field": "doc_id", "precision_threshold": PRECISION_THRESHOLD}}


def _exact_documents() -> dict:
    """The distinct ``doc_id``s up to ``EXACT_DOCUMENTS`` and their number (read by ``_exact_count``)."""
    return {
        DOCUMENT_IDS: {"terms": {"field": "doc_id", "size": EXACT_DOCUMENTS}},
        "document_count": {"stats_bucket": {"buckets_path": f"{DOCUMENT_IDS}>_count"}},
    }


def build_count_body(
    candidate_query: dict,
    all_words_query: dict | None,
    facets: bool = True,
    shown_groups: list[str] | None = None,
    facet_scopes: dict[str, dict] | None = None,
    selected: dict[str, list[str]] | None = None,
    some_words_query: dict | None = None,
) -> dict:
    """The size-0 request: totals, documents matching every word (``all_words_query``) and some of them
    (``some_words_query``), facets, histogram.

    Both are given in hybrid mode, where the candidates are a union and the header says how many
    documents hold all words, how many more some of them, and how many more are related by meaning.
    Near-duplicate groups are counted too (a document indexed without a group is one of its own), and
    for ``shown_groups`` how many matching documents each holds ("+N similar versions").

    ``facet_scopes`` maps a facet with selected values to the candidate query of the same search without
    that facet's own selection; ``selected`` lists the selected values per facet (each is counted even
    when it is not among the ``FACET_SIZE`` largest values).
    """
    aggs: dict = {
        "documents": documents_agg(),
        **_exact_documents(),
        "groups": {"cardinality": {"field": "dup_group", "precision_threshold": PRECISION_THRESHOLD}},
        "ungrouped": {"missing": {"field": "dup_group"}, "aggs": {"documents": documents_agg()}},
    }
    if shown_groups:
        aggs["versions"] = {
            "filter": {"terms": {"dup_group": shown_groups}},
            "aggs": {
                "groups": {
                    "terms": {"field": "dup_group", "size": len(shown_groups)},
                    "aggs": {"documents": documents_agg()},
                }
            },
        }
    for name, query in (("all_words", all_words_query), ("some_words", some_words_query)):
        if query is not None:
            aggs[name] = {"filter": query, "aggs": {"documents": documents_agg(), **_exact_documents()}}
    if facets:
        facet_scopes = facet_scopes or {}
        selected = selected or {}
        for row in FACETS:
            name = row.name
            facet = _facet_aggs(row, selected.get(name) or [])
            if name in facet_scopes:
                # global: leave the search's query (and so this facet's own selection) behind, then
                # count over the search's candidates without that selection
                scope = {"filter": facet_scopes[name], "aggs": facet}
                aggs[name] = {"global": {}, "aggs": {"scope": scope}}
            else:
                aggs[name] = facet.pop("values")
                aggs[f"{name}_missing"] = facet.pop("missing")
                if "chosen" in facet:
                    aggs[f"{name}_chosen"] = facet.pop("chosen")
        aggs["undated"] = {"missing": {"field": "date"}, "aggs": {"documents": documents_agg()}}
        if UNDATED_SCOPE in facet_scopes:
            hidden = {"missing": {"field": "date"}, "aggs": {"documents": documents_agg()}}
            scope = {"filter": facet_scopes[UNDATED_SCOPE], "aggs": {"undated": hidden}}
            aggs["undated_excluded"] = {"global": {}, "aggs": {"scope": scope}}
        aggs.update(date_histogram_aggs())
        aggs["day"] = {  # only the days that have documents; the short spans shown per day are filled in
            "date_histogram": {"field": "date", "calendar_interval": "day", "format": "yyyy-MM-dd"},
            "aggs": {"documents": documents_agg()},
        }
    return {"query": candidate_query, "size": 0, "track_total_hits": True, "aggs": aggs}


def split_names_facets(body: dict) -> tuple[dict, dict | None]:
    """``body`` as two requests that one msearch runs side by side: the names' facets (people,
    organisations, places: a third of the count's time over a few hundred passages) and the rest;
    ``merge_counts`` puts the answers together again."""
    names = {
        f"{row.name}{suffix}" for row in FACETS if row.many_values for suffix in ("", "_missing", "_chosen")
    }
    aggs = body.get("aggs") or {}
    apart = {name: agg for name, agg in aggs.items() if name in names}
    if not apart:
        return body, None
    rest = {**body, "aggs": {name: agg for name, agg in aggs.items() if name not in names}}
    return rest, {"query": body["query"], "size": 0, "track_total_hits": False, "aggs": apart}


def merge_counts(response: dict, names_response: dict | None) -> dict:
    """The answer to a count body from the answers to its two halves (``split_names_facets``)."""
    if names_response is None:
        return response
    aggregations = {**response.get("aggregations", {}), **names_response.get("aggregations", {})}
    return {**response, "aggregations": aggregations}


def date_histogram_aggs() -> dict:
    """Documents per year and per month (``read_histogram`` shows one of them)."""
    return {
        interval: {
            "date_histogram": {
                "field": "date",
                "calendar_interval": interval,
                "format": fmt,
                "min_doc_count": 0,  # empty months between the first and the last are bars of 0
            },
            "aggs": {"documents": documents_agg()},
        }
        for interval, fmt in (("year", "yyyy"), ("month", "yyyy-MM"))
    }


def values_agg(field_name: str, size: int, many_values: bool = False) -> dict:
    """A field's ``size`` values with the most documents (read them with ``buckets_by_documents``).

    Ordering terms by their ``documents`` sub-aggregation computes it for every value on a shard before
    any is cut: one HyperLogLog a value, which for a field of thousands of names (people, places) trips
    the node's request circuit breaker. Such a field is read breadth first instead: the
    ``MANY_VALUES_READ`` values in the most passages, documents counted for those alone, ordered by
    documents here (a value with few passages but many documents can be missed; never a wrong count).
    """
    if not many_values:
        terms = {"field": field_name, "size": size, "order": {"documents": "desc"}}
    else:
        terms = {
            "field": field_name,
            "size": max(size, MANY_VALUES_READ),
            "order": {"_count": "desc"},
            "collect_mode": "breadth_first",
        }
    return {"terms": terms, "aggs": {"documents": documents_agg()}}


def buckets_by_documents(agg: dict | None, size: int) -> list[dict]:
    """The ``size`` buckets of a ``values_agg`` with the most documents, most first (ties by value)."""
    buckets = (agg or {}).get("buckets") or []
    return sorted(buckets, key=lambda b: (-documents_count(b), str(b.get("key"))))[:size]


def _facet_aggs(facet: Facet, chosen: list[str]) -> dict:
    """One facet's values (most documents first), its documents without a value, and the chosen values."""
    field_name = facet.field
    aggs: dict = {
        "values": values_agg(field_name, FACET_SIZE, facet.many_values),
        "missing": {"missing": {"field": field_name}, "aggs": {"documents": documents_agg()}},
    }
    if chosen:
        # matched the way the filter matches them (case-insensitive), so a chosen value is counted
        # even when it is not among the largest values or is written in another case
        per_value = {v: {"term": {field_name: {"value": v, "case_insensitive": True}}} for v in chosen}
        aggs["chosen"] = {"filters": {"filters": per_value}, "aggs": {"documents": documents_agg()}}
    return aggs


def documents_count(agg: dict | None) -> int:
    """The ``documents_agg`` count of a bucket (0 for a missing one)."""
    return int(((agg or {}).get("documents") or {}).get("value") or 0)


def _exact_count(aggs: dict | None) -> tuple[int, bool]:
    """Distinct documents and whether the number is exact: the terms buckets' count when the terms
    aggregation saw every value, else the cardinality estimate raised to just above the bound."""
    aggs = aggs or {}
    ids = aggs.get(DOCUMENT_IDS)
    if ids is not None and int(ids.get("sum_other_doc_count") or 0) == 0:
        return int((aggs.get("document_count") or {}).get("count") or 0), True
    return max(documents_count(aggs), EXACT_DOCUMENTS + 1 if ids is not None else 0), False


def read_totals(response: dict, mode: str) -> dict:
    """``totals`` of the envelope from the count response."""
    aggs = response.get("aggregations") or {}
    documents, exact = _exact_count(aggs)
    totals = {
        "documents": documents,
        "groups": int((aggs.get("groups") or {}).get("value") or 0) + documents_count(aggs.get("ungrouped")),
        "passages": int(response["hits"]["total"]["value"]),
        "exact": exact,
    }
    if mode == "hybrid":
        all_words, _ = _exact_count(aggs.get("all_words"))
        all_words = min(all_words, documents)
        some_words = all_words
        if "some_words" in aggs:  # the partial matches hold the complete ones
            some_words = max(all_words, min(_exact_count(aggs["some_words"])[0], documents))
        totals["all_words_documents"] = all_words
        totals["some_words_documents"] = some_words - all_words
        totals["related_documents"] = max(0, documents - some_words)
    elif mode == "keyword":
        totals["all_words_documents"] = documents
        totals["some_words_documents"] = 0
        totals["related_documents"] = 0
    else:
        totals["all_words_documents"] = None  # semantic mode does not match words
        totals["some_words_documents"] = None
        totals["related_documents"] = documents
    if "undated" in aggs:
        totals["undated_documents"] = documents_count(aggs["undated"])
    if "undated_excluded" in aggs:
        totals["undated_excluded"] = documents_count(aggs["undated_excluded"]["scope"]["undated"])
    return totals


def read_facets(response: dict, selected: dict[str, list[str]] | None = None) -> dict:
    """``{facet: {"buckets": [{"value", "count", "selected"}], "missing": n}}``, counts in documents.

    A selected value the largest values do not include comes last, with its own count (0 when no
    document of the search holds it).
    """
    aggs = response.get("aggregations") or {}
    selected = selected or {}
    facets: dict = {}
    for name in (facet.name for facet in FACETS):
        if name not in aggs:
            continue
        if "scope" in aggs[name]:
            scope = aggs[name]["scope"]
            values, missing, chosen = scope["values"], scope.get("missing"), scope.get("chosen")
        else:
            values, missing = aggs[name], aggs.get(f"{name}_missing")
            chosen = aggs.get(f"{name}_chosen")
        wanted = {v.lower() for v in selected.get(name) or []}
        buckets = [
            {
                "value": b.get("key"),
                "count": documents_count(b),
                "selected": str(b.get("key")).lower() in wanted,
            }
            for b in buckets_by_documents(values, FACET_SIZE)
            if documents_count(b) > 0
        ]
        listed = {str(b["value"]).lower() for b in buckets}
        chosen_buckets = (chosen or {}).get("buckets") or {}
        for value in selected.get(name) or []:
            if value.lower() not in listed:
                listed.add(value.lower())
                buckets.append(
                    {"value": value, "count": documents_count(chosen_buckets.get(value)), "selected": True}
                )
        facets[name] = {"buckets": buckets, "missing": documents_count(missing)}
    return facets


def read_histogram(response: dict) -> dict | None:
    """Documents per month, per year when the months would be more than ``MAX_MONTH_BUCKETS``, per day
    when they are at most ``MAX_DAY_MONTHS`` (every day from the first to the last dated one).

    Each bucket carries the inclusive date range it covers, so a bar can link to that range.
    """
    aggs = response.get("aggregations") or {}
    if "month" not in aggs:
        return None
    months = aggs["month"]["buckets"]
    interval = "month" if len(months) <= MAX_MONTH_BUCKETS else "year"
    days = (aggs.get("day") or {}).get("buckets") or []
    if days and len(months) <= MAX_DAY_MONTHS:
        counts = {bucket["key_as_string"]: documents_count(bucket) for bucket in days}
        first, last = (
            date.fromisoformat(days[0]["key_as_string"]),
            date.fromisoformat(days[-1]["key_as_string"]),
        )
        every_day = [date.fromordinal(n).isoformat() for n in range(first.toordinal(), last.toordinal() + 1)]
        buckets = [{"key": d, "from": d, "to": d, "documents": counts.get(d, 0)} for d in every_day]
        return {
            "interval": "day",
            "buckets": buckets,
            "undated_documents": documents_count(aggs.get("undated")),
        }
    buckets = []
    for bucket in aggs[interval]["buckets"]:
        key = bucket["key_as_string"]
        start, end = bucket_span(key)
        buckets.append({"key": key, "from": start, "to": end, "documents": documents_count(bucket)})
    return {
        "interval": interval,
        "buckets": buckets,
        "undated_documents": documents_count(aggs.get("undated")),
    }


def bucket_span(key: str) -> tuple[str, str]:
    """``2020`` → (2020-01-01, 2020-12-31); ``2020-02`` → (2020-02-01, 2020-02-29)."""
    year, _, month = key.partition("-")
    if not month:
        return date(int(year), 1, 1).isoformat(), date(int(year), 12, 31).isoformat()
    y, m = int(year), int(month)
    return date(y, m, 1).isoformat(), date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def read_versions(response: dict) -> dict[str, int]:
    """Group id → matching documents in it, for the groups shown on the page."""
    versions = (response.get("aggregations") or {}).get("versions") or {}
    buckets = versions.get("groups", {}).get("buckets", [])
    return {bucket["key"]: documents_count(bucket) for bucket in buckets}
