"""Pure functions that turn a ParsedQuery and QueryFilters into Elasticsearch 8.19 request-body parts.

Nothing here talks to Elasticsearch, so every shape can be unit-tested. Only ``match``-family queries are
used for user text (never ``query_string``): whatever the parser lets through is analysed as text and can
never be a syntax error on the server.

Keyword (BM25) design, for an index where one document is one passage and ``title`` repeats the source
document's title on every passage:

* plain terms: one ``multi_match`` of type ``cross_fields`` with ``operator: and``: term-centric, so each
  term must occur in the passage text *or* the document title (a passage whose title says "banjir" and
  whose text says "jakarta" matches ``banjir jakarta``). ``best_fields``/``most_fields`` with ``and``
  would require all terms inside one field; ``combined_fields`` would be ideal (BM25F) but rejects boosts
  below 1.0, and the title is deliberately boosted below the text. Both fields use the same
  analyzers, so cross_fields blends them into one group with shared IDF. Plain terms go through the
  fields' ``search_analyzer``, which drops Indonesian stop words ("yang", "di", "dan"…); phrases go
  through the ``search_quote_analyzer``, which keeps them, so ``"di bawah"`` is still exact
  (``mappings/passages.json``, measured in docs/evaluation.md);
* phrases: ``multi_match`` of type ``phrase`` (a phrase must sit inside one field), required;
* OR groups: ``bool.should`` with ``minimum_should_match: 1``, required;
* exclusions: ``multi_match`` type ``phrase`` in ``must_not`` (a multi-token term like ``covid-19`` is
  excluded only where its tokens are adjacent, i.e. where it really occurs);
* a ``should`` boost of the required text as one phrase (slop 2), so passages with the exact wording rank
  first; added only for two or more words (one word would just double its own score);
* filters in ``filter`` (no scoring, cached);
* stemming (``stemmed_terms``): the plain terms also match, stemmed, on ``text_stem``/``title_stem``
  (PySastrawi at index time, ``arsip/stemming.py``); either side may match and both add score, so an
  exact form ranks above a word that only shares its root. Phrases and exclusions stay exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from arsip.stemming import STEM_FIELDS
from searchapp.query_parser import ParsedQuery, QueryFilters, QueryItem

DEFAULT_FIELDS: dict[str, float] = {"text": 1.0, "title": 0.5}
"""Field boosts for keyword matching; the evaluation tunes them and passes its own ``fields``."""

DEFAULT_PHRASE_SLOP = 2
DEFAULT_PHRASE_BOOST = 2.0
VECTOR_FIELD = "vector"
MAX_NUM_CANDIDATES = 10_000  # Elasticsearch's upper bound for knn.num_candidates
HIGHLIGHT_PRE_TAG = "<mark>"
HIGHLIGHT_POST_TAG = "</mark>"

FACET_TERMS_FIELDS = {"source": "source", "collection": "collection", "language": "language"}
"""Aggregation name → keyword field for the term facets; ``year`` and ``month`` are date histograms."""


def build_filter_clauses(filters: QueryFilters, case_insensitive: bool = True) -> list[dict]:
    """Filter-context clauses for ``bool.filter`` and ``knn.filter`` (the same list serves both).

    ``case_insensitive`` (default) matches ``source:Tempo`` against a stored ``tempo`` with ``term``
    queries that set ``case_insensitive``; False gives plain ``terms`` queries (exact values, e.g. when
    values come from the facets themselves).
    """
    clauses: list[dict] = []
    for field_name, values in (
        ("source", filters.sources),
        ("collection", filters.collections),
        ("language", filters.languages),
    ):
        if values:
            clauses.append(_keyword_match(field_name, values, case_insensitive))
    if filters.date_from or filters.date_to:
        bounds: dict[str, str] = {"format": "yyyy-MM-dd"}
        if filters.date_from:
            bounds["gte"] = filters.date_from
        if filters.date_to:
            bounds["lte"] = filters.date_to
        clauses.append({"range": {"date": bounds}})
    excluded = [
        _keyword_match(field_name, values, case_insensitive)
        for field_name, values in (
            ("source", filters.exclude_sources),
            ("collection", filters.exclude_collections),
            ("language", filters.exclude_languages),
        )
        if values
    ]
    if excluded:
        clauses.append({"bool": {"must_not": excluded}})
    return clauses


def build_keyword_query(
    parsed: ParsedQuery,
    filters: QueryFilters | None = None,
    fields: Mapping[str, float] = DEFAULT_FIELDS,
    *,
    operator: str = "and",
    minimum_should_match: str | None = None,
    phrase_slop: int = DEFAULT_PHRASE_SLOP,
    phrase_boost: float = DEFAULT_PHRASE_BOOST,
    tie_breaker: float | None = None,
    case_insensitive: bool = True,
    analyzer: str | None = None,
    stemmed_terms: str | None = None,
) -> dict:
    """The ``query`` part of a BM25 search request (design in the module docstring).

    ``filters`` are the already merged filters (``parsed.filters.merge(url_filters)``); None means
    ``parsed.filters``. ``operator="or"`` is there for a caller that wants a looser fallback;
    ``minimum_should_match`` (e.g. ``"2<75%"``) makes the plain terms an OR with that many required, so
    long natural-language questions still match. ``analyzer`` overrides the fields' search analyzer
    for the plain terms only (the evaluation uses it to keep stop words). ``stemmed_terms`` (the plain
    terms through ``arsip.stemming.stem``) adds their match on the stemmed fields. A query with no
    positive text becomes ``match_all`` restricted by filters and exclusions.
    """
    if filters is None:
        filters = parsed.filters
    field_list = _field_list(fields)
    filter_clauses = build_filter_clauses(filters, case_insensitive)
    must_not = [_phrase(item.text, field_list) for item in parsed.excluded]

    must: list[dict] = []
    terms = parsed.terms
    if terms:
        terms_query: dict = {
            "query": " ".join(terms),
            "fields": field_list,
            "type": "cross_fields",
            "operator": operator,
        }
        if minimum_should_match:
            terms_query["operator"] = "or"
            terms_query["minimum_should_match"] = minimum_should_match
        if tie_breaker is not None:
            terms_query["tie_breaker"] = tie_breaker
        if analyzer:
            terms_query["analyzer"] = analyzer
        stem_boosts = {STEM_FIELDS[f]: b for f, b in fields.items() if f in STEM_FIELDS and float(b) > 0}
        if stemmed_terms and stem_boosts:
            stem_query = {**terms_query, "query": stemmed_terms, "fields": _field_list(stem_boosts)}
            both = [{"multi_match": terms_query}, {"multi_match": stem_query}]
            must.append({"bool": {"should": both, "minimum_should_match": 1}})
        else:
            must.append({"multi_match": terms_query})
    for phrase in parsed.phrases:
        must.append(_phrase(phrase, field_list))
    for group in parsed.or_groups:
        alternatives = [_alternative(item, field_list, tie_breaker) for item in group]
        must.append({"bool": {"should": alternatives, "minimum_should_match": 1}})

    if not must:
        if not filter_clauses and not must_not:
            return {"match_all": {}}
        must.append({"match_all": {}})

    body: dict = {"must": must}
    whole = " ".join(g[0].text for g in parsed.groups if len(g) == 1)
    if phrase_boost > 0 and len(whole.split()) > 1:
        body["should"] = [_phrase(whole, field_list, slop=phrase_slop, boost=phrase_boost)]
    if must_not:
        body["must_not"] = must_not
    if filter_clauses:
        body["filter"] = filter_clauses
    return {"bool": body}


def build_knn(
    vector: Sequence[float],
    filters: QueryFilters | None,
    k: int,
    num_candidates: int,
    *,
    parsed: ParsedQuery | None = None,
    field: str = VECTOR_FIELD,
    case_insensitive: bool = True,
) -> dict:
    """The top-level ``knn`` section: approximate nearest passages, pre-filtered inside the HNSW search.

    Filters go *inside* ``knn.filter`` (a top-level ``post_filter`` would cut hits after the k are
    chosen, returning fewer than k). Pass ``parsed`` to apply its exclusions (``-hoaks``) here as well.
    ``num_candidates`` is raised to ``k`` and capped at 10,000, Elasticsearch's limits.
    """
    k = max(1, int(k))
    candidates = min(max(int(num_candidates), k), MAX_NUM_CANDIDATES)
    k = min(k, candidates)
    knn: dict = {
        "field": field,
        "query_vector": [float(x) for x in vector],  # numpy floats are not JSON-serialisable
        "k": k,
        "num_candidates": candidates,
    }
    clauses = build_filter_clauses(filters, case_insensitive) if filters is not None else []
    if parsed is not None and parsed.excluded:
        fields = list(DEFAULT_FIELDS)  # where the term occurs, boosts are irrelevant in a filter
        clauses.append({"bool": {"must_not": [_phrase(i.text, fields) for i in parsed.excluded]}})
    if clauses:
        knn["filter"] = {"bool": {"filter": clauses}}
    return knn


def build_facet_aggs(size: int = 20, *, count_documents: bool = False) -> dict:
    """Facet aggregations: top values of source/collection/language, and hit counts per year and month.

    Counts are passages. ``count_documents`` adds a ``documents`` sub-aggregation (approximate distinct
    ``doc_id``) to every bucket, for a UI that wants "documents" rather than "passages".
    """
    aggs: dict = {
        name: {"terms": {"field": field_name, "size": size}}
        for name, field_name in FACET_TERMS_FIELDS.items()
    }
    aggs["year"] = {
        "date_histogram": {"field": "date", "calendar_interval": "year", "format": "yyyy", "min_doc_count": 1}
    }
    aggs["month"] = {
        "date_histogram": {
            "field": "date",
            "calendar_interval": "month",
            "format": "yyyy-MM",
            "min_doc_count": 1,
        }
    }
    if count_documents:
        for agg in aggs.values():
            agg["aggs"] = {"documents": {"cardinality": {"field": "doc_id"}}}
    return aggs


def build_highlight(parsed: ParsedQuery, *, no_match_size: int = 0) -> dict:
    """The ``highlight`` section: whole passages and titles with ``<mark>`` around matches, HTML-escaped.

    ``encoder: html`` escapes the text around the tags, so the fragments are safe to insert as HTML (the
    raw ``_source`` text is not: escape it yourself). The ``highlight_query`` is built from the parsed
    terms and phrases, so highlighting also works when the main query is kNN (semantic mode) or
    ``match_all``. ``no_match_size > 0`` makes Elasticsearch return the start of the (escaped) field for
    passages without a match too.
    """
    field_options: dict = {"number_of_fragments": 0}
    if no_match_size > 0:
        field_options["no_match_size"] = no_match_size
    highlight: dict = {
        "type": "unified",
        "pre_tags": [HIGHLIGHT_PRE_TAG],
        "post_tags": [HIGHLIGHT_POST_TAG],
        "encoder": "html",
        "fields": {"text": dict(field_options), "title": dict(field_options)},
    }
    query = build_highlight_query(parsed)
    if query is not None:
        highlight["highlight_query"] = query
    return highlight


def build_highlight_query(parsed: ParsedQuery) -> dict | None:
    """Any positive term or phrase (OR semantics), on text and title; None when there is nothing to mark."""
    fields = ["text", "title"]
    should: list[dict] = []
    words = [item.text for group in parsed.groups for item in group if not item.phrase]
    if words:
        should.append({"multi_match": {"query": " ".join(words), "fields": fields, "operator": "or"}})
    for group in parsed.groups:
        should.extend(_phrase(item.text, fields) for item in group if item.phrase)
    if not should:
        return None
    return {"bool": {"should": should, "minimum_should_match": 1}}


# --- internals ---------------------------------------------------------------------------------------


def _field_list(fields: Mapping[str, float]) -> list[str]:
    """``{"text": 1.0, "title": 0.5}`` → ``["text", "title^0.5"]``; zero-boost fields are left out."""
    out: list[str] = []
    for name, boost in fields.items():
        boost = float(boost)
        if boost < 0 or boost != boost:
            raise ValueError(f"field boost must be >= 0, got {name}={boost}")
        if boost == 0:
            continue
        out.append(name if boost == 1.0 else f"{name}^{boost!r}")
    if not out:
        raise ValueError("at least one field needs a positive boost")
    return out


def _phrase(text: str, fields: list[str], slop: int = 0, boost: float | None = None) -> dict:
    query: dict = {"query": text, "fields": fields, "type": "phrase"}
    if slop:
        query["slop"] = slop
    if boost is not None:
        query["boost"] = boost
    return {"multi_match": query}


def _alternative(item: QueryItem, fields: list[str], tie_breaker: float | None) -> dict:
    if item.phrase:
        return _phrase(item.text, fields)
    query: dict = {"query": item.text, "fields": fields, "type": "cross_fields", "operator": "and"}
    if tie_breaker is not None:
        query["tie_breaker"] = tie_breaker
    return {"multi_match": query}


def _keyword_match(field_name: str, values: list[str], case_insensitive: bool) -> dict:
    if not case_insensitive:
        return {"terms": {field_name: list(values)}}
    terms = [{"term": {field_name: {"value": v, "case_insensitive": True}}} for v in values]
    if len(terms) == 1:
        return terms[0]
    return {"bool": {"should": terms, "minimum_should_match": 1}}
