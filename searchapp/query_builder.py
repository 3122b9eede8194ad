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
* phrases: ``multi_match`` of type ``phrase`` (a phrase must sit inside one field), required; with
  proximity (``"dana desa"~3``) the phrase's ``slop``;
* prefixes (``pemilu*``), wildcards (``kor?psi``) and fuzzy terms (``korupsi~``): one required clause each,
  built by ``build_item_query`` (its docstring says why these query types);
* OR groups: ``bool.should`` with ``minimum_should_match: 1``, required;
* exclusions: the item's clause in ``must_not``; a plain term as ``multi_match`` type ``phrase`` (a
  multi-token term like ``covid-19`` is excluded only where its tokens are adjacent, i.e. where it
  really occurs);
* a ``should`` boost of the required text as one phrase (slop 2), so passages with the exact wording rank
  first; added only for two or more words (one word would just double its own score);
* filters in ``filter`` (no scoring, cached);
* stemming (``stemmed_terms``): the plain terms also match, stemmed, on ``text_stem``/``title_stem``
  (PySastrawi at index time, ``arsip/stemming.py``); either side may match and both add score, so an
  exact form ranks above a word that only shares its root. Phrases and exclusions stay exact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from arsip.stemming import STEM_FIELDS
from searchapp.facets import FACETS
from searchapp.query_model import ParsedQuery, QueryFilters, QueryItem, Unit

DEFAULT_FIELDS: dict[str, float] = {"text": 1.0, "title": 0.5}
"""Field boosts for keyword matching; the evaluation tunes them and passes its own ``fields``."""

DEFAULT_PHRASE_SLOP = 2
FUZZY_PREFIX_LENGTH = 1
"""Leading characters a fuzzy term must match exactly: typos rarely hit the first letter, and it cuts the
terms Elasticsearch has to compare by the size of the alphabet."""
DEFAULT_PHRASE_BOOST = 2.0
VECTOR_FIELD = "vector"
MAX_NUM_CANDIDATES = 10_000  # Elasticsearch's upper bound for knn.num_candidates
HIGHLIGHT_PRE_TAG = "<mark>"
HIGHLIGHT_POST_TAG = "</mark>"


def build_filter_clauses(filters: QueryFilters, case_insensitive: bool = True) -> list[dict]:
    """Filter-context clauses for ``bool.filter`` and ``knn.filter`` (the same list serves both).

    ``case_insensitive`` (default) matches ``source:Tempo`` against a stored ``tempo`` with ``term``
    queries that set ``case_insensitive``; False gives plain ``terms`` queries (exact values, e.g. when
    values come from the facets themselves).
    """
    clauses: list[dict] = []
    for facet in FACETS:
        if values := getattr(filters, facet.selects):
            clauses.append(_keyword_match(facet.field, values, case_insensitive))
    if filters.date_from or filters.date_to:
        bounds: dict[str, str] = {"format": "yyyy-MM-dd"}
        if filters.date_from:
            bounds["gte"] = filters.date_from
        if filters.date_to:
            bounds["lte"] = filters.date_to
        in_range = {"range": {"date": bounds}}
        if filters.include_undated:
            undated = {"bool": {"must_not": [{"exists": {"field": "date"}}]}}
            in_range = {"bool": {"should": [in_range, undated], "minimum_should_match": 1}}
        clauses.append(in_range)
    excluded = [
        _keyword_match(facet.field, getattr(filters, facet.excludes), case_insensitive)
        for facet in FACETS
        if getattr(filters, facet.excludes)
    ]
    if excluded:
        clauses.append({"bool": {"must_not": excluded}})
    if filters.dup_groups:
        clauses.append(build_group_filter(filters.dup_groups))
    clauses += [_title_match(title) for title in filters.titles]
    if filters.authors:
        clauses.append(_author_match(filters.authors))
    unwanted = [_title_match(t) for t in filters.exclude_titles]
    unwanted += [_author_match(filters.exclude_authors)] if filters.exclude_authors else []
    if unwanted:
        clauses.append({"bool": {"must_not": unwanted}})
    return clauses


def _title_match(words: str) -> dict:
    """``title:x``: every word of ``x`` in the document title (analysed as the title is searched)."""
    return {"match": {"title": {"query": words, "operator": "and"}}}


def _author_match(names: list[str]) -> dict:
    """``author:x``: an author field containing any of ``names``, case-insensitively (``author:humas``
    finds ``Pur/Humas``); the value is a literal, its wildcard characters escaped."""
    patterns = [
        {"wildcard": {"author": {"value": f"*{_escape_wildcard(n)}*", "case_insensitive": True}}}
        for n in names
    ]
    return patterns[0] if len(patterns) == 1 else {"bool": {"should": patterns, "minimum_should_match": 1}}


def _escape_wildcard(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")


def build_group_filter(groups: list[str]) -> dict:
    """The documents of these near-duplicate groups; a document indexed without a group is its own."""
    ungrouped = {
        "bool": {"filter": [{"terms": {"doc_id": groups}}], "must_not": [{"exists": {"field": "dup_group"}}]}
    }
    return {"bool": {"should": [{"terms": {"dup_group": groups}}, ungrouped], "minimum_should_match": 1}}


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
    must_not = [build_item_query(item, field_list, negated=True) for item in parsed.excluded]

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
    for group in parsed.groups:
        if len(group) == 1 and group[0].kind != "term":  # phrases, prefixes, wildcards, fuzzy terms
            must.append(build_item_query(group[0], field_list))
    for group in parsed.or_groups:
        alternatives = [build_item_query(item, field_list, tie_breaker=tie_breaker) for item in group]
        must.append({"bool": {"should": alternatives, "minimum_should_match": 1}})

    if not must:
        if not filter_clauses and not must_not:
            return {"match_all": {}}
        must.append({"match_all": {}})

    body: dict = {"must": must}
    whole = " ".join(g[0].text for g in parsed.groups if len(g) == 1 and g[0].kind in ("term", "phrase"))
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
        excluded = [build_item_query(i, fields, negated=True) for i in parsed.excluded]
        clauses.append({"bool": {"must_not": excluded}})
    if clauses:
        knn["filter"] = {"bool": {"filter": clauses}}
    return knn


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
    """Any positive item (OR semantics), on text and title; None when there is nothing to mark.

    Plain words go in one ``multi_match``; phrases, prefixes, wildcards and fuzzy terms each get their own
    clause, the same as in the search, so the unified highlighter marks exactly the words that matched
    (``pemilu*`` marks *pemilunya*, ``korupsi~`` marks *korupsy*).
    """
    fields = ["text", "title"]
    should: list[dict] = []
    words = [item.text for group in parsed.groups for item in group if item.kind == "term"]
    if words:
        should.append({"multi_match": {"query": " ".join(words), "fields": fields, "operator": "or"}})
    for group in parsed.groups:
        should.extend(build_item_query(item, fields) for item in group if item.kind != "term")
    if not should:
        return None
    return {"bool": {"should": should, "minimum_should_match": 1}}


def build_item_query(
    item: QueryItem, fields: list[str], *, tie_breaker: float | None = None, negated: bool = False
) -> dict:
    """The clause matching one item on ``fields`` (``["text", "title^0.5"]``), by its kind.

    * term: ``cross_fields``/``and`` (each token in text or title); excluded (``negated``): a phrase, so
      ``-covid-19`` excludes only where its tokens stand together;
    * phrase: ``multi_match`` type ``phrase`` with the item's ``slop`` (``"dana desa"~3``);
    * prefix / wildcard: term-level ``prefix`` / ``wildcard`` queries per field with ``case_insensitive``.
      They are not analysed, so they run against the indexed tokens, which the standard analyzer has
      lower-cased and split at punctuation: the parser only lets a single word of letters and digits
      through, and ``case_insensitive`` matches ``Pemilu*`` to the token ``pemilu2024`` whatever the
      case typed, without us re-implementing Lucene's lower-casing. Unlike ``match_bool_prefix`` (which
      stops after 50 expansions) they match every term with the prefix, so counts are exact;
    * fuzzy: ``multi_match`` with ``fuzziness`` (``AUTO``: 0 edits up to 2 letters, 1 up to 5, else 2)
      and ``prefix_length`` 1 to bound the work (``max_expansions`` stays at its default, 50).
    """
    if item.kind == "phrase":
        return _phrase(item.text, fields, slop=item.slop)
    if item.kind in ("prefix", "wildcard"):
        per_field = []
        for name, boost in _split_boosts(fields):
            options: dict = {"value": item.text, "case_insensitive": True}
            if boost is not None:
                options["boost"] = boost
            per_field.append({item.kind: {name: options}})
        if len(per_field) == 1:
            return per_field[0]
        return {"bool": {"should": per_field, "minimum_should_match": 1}}
    if item.kind == "fuzzy":
        query = {
            "query": item.text,
            "fields": fields,
            "fuzziness": item.fuzziness or "AUTO",
            "prefix_length": FUZZY_PREFIX_LENGTH,
            "operator": "and",
        }
        return {"multi_match": query}
    if negated:
        return _phrase(item.text, fields)
    query = {"query": item.text, "fields": fields, "type": "cross_fields", "operator": "and"}
    if tie_breaker is not None:
        query["tie_breaker"] = tie_breaker
    return {"multi_match": query}


def build_unit_query(
    unit: Unit,
    fields: Mapping[str, float] = DEFAULT_FIELDS,
    stem: Callable[[str], str] | None = None,
) -> dict:
    """The clause matching one required unit (``ParsedQuery.required_units``) and nothing else.

    Run per unit (e.g. in named ``filters`` of an aggregation, or as ``_name``\'d should clauses) it tells
    which units a document or passage lacks. It matches the way the keyword search does: a plain term in
    text or title, or (``stem``, e.g. ``arsip.stemming.stem``) stemmed in the stemmed fields; an OR group
    when any alternative matches. A unit the search analyzer reduces to nothing (a stop word such as
    ``yang``) matches everything (``zero_terms_query: all``): it is ignored by the search, so no result
    lacks it.
    """
    field_list = _field_list(fields)
    items = [unit] if isinstance(unit, QueryItem) else list(unit)
    clauses = [_unit_item_query(item, fields, field_list, stem) for item in items]
    if len(clauses) == 1:
        return clauses[0]
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def _unit_item_query(
    item: QueryItem, fields: Mapping[str, float], field_list: list[str], stem: Callable[[str], str] | None
) -> dict:
    clause = build_item_query(item, field_list)
    if item.kind in ("term", "fuzzy"):
        clause["multi_match"]["zero_terms_query"] = "all"
    stem_boosts = {STEM_FIELDS[f]: b for f, b in fields.items() if f in STEM_FIELDS and float(b) > 0}
    if item.kind != "term" or stem is None or not stem_boosts:
        return clause
    stemmed = {**clause["multi_match"], "query": stem(item.text), "fields": _field_list(stem_boosts)}
    return {"bool": {"should": [clause, {"multi_match": stemmed}], "minimum_should_match": 1}}


def _split_boosts(fields: list[str]) -> list[tuple[str, float | None]]:
    """``["text", "title^0.5"]`` → ``[("text", None), ("title", 0.5)]`` (term-level queries take a boost)."""
    out: list[tuple[str, float | None]] = []
    for spec in fields:
        name, _, boost = spec.partition("^")
        out.append((name, float(boost) if boost else None))
    return out


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


def _keyword_match(field_name: str, values: list[str], case_insensitive: bool) -> dict:
    if not case_insensitive:
        return {"terms": {field_name: list(values)}}
    terms = [{"term": {field_name: {"value": v, "case_insensitive": True}}} for v in values]
    if len(terms) == 1:
        return terms[0]
    return {"bool": {"should": terms, "minimum_should_match": 1}}
