"""Unit tests for the Elasticsearch request builders: pure dict shapes, no server."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchapp.query_builder import (
    DEFAULT_FIELDS,
    build_filter_clauses,
    build_highlight,
    build_item_query,
    build_keyword_query,
    build_knn,
    build_unit_query,
)
from searchapp.query_model import QueryFilters, QueryItem
from searchapp.query_parser import parse_query

FIELDS = ["text", "title^0.5"]


def _bool(q: dict) -> dict:
    assert set(q) == {"bool"}
    return q["bool"]


# --- filters ------------------------------------------------------------------------------------------


def test_no_filters_no_clauses():
    assert build_filter_clauses(QueryFilters()) == []


def test_filter_clauses_exact_terms():
    f = QueryFilters(sources=["tempo", "detik"], collections=["humas"], languages=["id"])
    assert build_filter_clauses(f, case_insensitive=False) == [
        {"terms": {"source": ["tempo", "detik"]}},
        {"terms": {"collection": ["humas"]}},
        {"terms": {"language": ["id"]}},
    ]


def test_filter_clauses_case_insensitive_by_default():
    clauses = build_filter_clauses(QueryFilters(sources=["Tempo", "detik"], languages=["id"]))
    assert clauses == [
        {
            "bool": {
                "should": [
                    {"term": {"source": {"value": "Tempo", "case_insensitive": True}}},
                    {"term": {"source": {"value": "detik", "case_insensitive": True}}},
                ],
                "minimum_should_match": 1,
            }
        },
        {"term": {"language": {"value": "id", "case_insensitive": True}}},
    ]


def test_date_range_clause():
    both = build_filter_clauses(QueryFilters(date_from="2020-01-01", date_to="2020-12-31"))
    assert both == [{"range": {"date": {"format": "yyyy-MM-dd", "gte": "2020-01-01", "lte": "2020-12-31"}}}]
    only_end = build_filter_clauses(QueryFilters(date_to="2019-06-30"))
    assert only_end == [{"range": {"date": {"format": "yyyy-MM-dd", "lte": "2019-06-30"}}}]


def test_excluded_values_become_must_not():
    clauses = build_filter_clauses(QueryFilters(exclude_sources=["tempo"]), case_insensitive=False)
    assert clauses == [{"bool": {"must_not": [{"terms": {"source": ["tempo"]}}]}}]


# --- keyword query ------------------------------------------------------------------------------------


def test_plain_terms_cross_fields_and_phrase_boost():
    q = build_keyword_query(parse_query("banjir jakarta"), QueryFilters())
    body = _bool(q)
    assert body["must"] == [
        {
            "multi_match": {
                "query": "banjir jakarta",
                "fields": FIELDS,
                "type": "cross_fields",
                "operator": "and",
            }
        }
    ]
    assert body["should"] == [
        {
            "multi_match": {
                "query": "banjir jakarta",
                "fields": FIELDS,
                "type": "phrase",
                "slop": 2,
                "boost": 2.0,
            }
        }
    ]
    assert "filter" not in body and "must_not" not in body


def test_single_term_has_no_phrase_boost():
    body = _bool(build_keyword_query(parse_query("banjir")))
    assert "should" not in body
    assert body["must"][0]["multi_match"]["query"] == "banjir"


def test_phrases_or_groups_exclusions_and_filters():
    parsed = parse_query('"tanah longsor" OR banjir bogor -hoaks -"berita palsu" source:tempo date:2020')
    body = _bool(build_keyword_query(parsed, parsed.filters, case_insensitive=False))
    terms, or_group = body["must"]
    assert terms["multi_match"]["query"] == "bogor"
    assert or_group == {
        "bool": {
            "should": [
                {"multi_match": {"query": "tanah longsor", "fields": FIELDS, "type": "phrase"}},
                {
                    "multi_match": {
                        "query": "banjir",
                        "fields": FIELDS,
                        "type": "cross_fields",
                        "operator": "and",
                    }
                },
            ],
            "minimum_should_match": 1,
        }
    }
    assert body["must_not"] == [
        {"multi_match": {"query": "hoaks", "fields": FIELDS, "type": "phrase"}},
        {"multi_match": {"query": "berita palsu", "fields": FIELDS, "type": "phrase"}},
    ]
    assert body["filter"] == [
        {"terms": {"source": ["tempo"]}},
        {"range": {"date": {"format": "yyyy-MM-dd", "gte": "2020-01-01", "lte": "2020-12-31"}}},
    ]
    assert "should" not in body  # "bogor" alone: OR-group members are not part of the phrase boost


def test_required_phrase_and_whole_query_boost_keep_typed_order():
    body = _bool(build_keyword_query(parse_query('presiden "joko widodo" jakarta')))
    assert body["must"][0]["multi_match"]["query"] == "presiden jakarta"
    assert body["must"][1] == {"multi_match": {"query": "joko widodo", "fields": FIELDS, "type": "phrase"}}
    assert body["should"][0]["multi_match"]["query"] == "presiden joko widodo jakarta"


def test_filters_argument_overrides_parsed_filters():
    parsed = parse_query("banjir source:tempo")
    merged = parsed.filters.merge(QueryFilters(sources=["detik"]))
    body = _bool(build_keyword_query(parsed, merged, case_insensitive=False))
    assert body["filter"] == [{"terms": {"source": ["tempo", "detik"]}}]
    default = _bool(build_keyword_query(parsed, case_insensitive=False))  # None: the parsed filters
    assert default["filter"] == [{"terms": {"source": ["tempo"]}}]


def test_empty_query_is_match_all():
    assert build_keyword_query(parse_query(""), QueryFilters()) == {"match_all": {}}
    assert build_keyword_query(parse_query('"" - ( ) ? \\'), QueryFilters()) == {"match_all": {}}


def test_filters_only_is_match_all_with_filters():
    parsed = parse_query("source:tempo -hoaks")
    body = _bool(build_keyword_query(parsed, case_insensitive=False))
    assert body["must"] == [{"match_all": {}}]
    assert body["filter"] == [{"terms": {"source": ["tempo"]}}]
    assert body["must_not"][0]["multi_match"]["query"] == "hoaks"


def test_custom_fields_and_options():
    q = build_keyword_query(
        parse_query("banjir jakarta"),
        QueryFilters(),
        fields={"text": 2.0, "title": 1.0, "author": 0.0},
        operator="or",
        phrase_boost=0,
        tie_breaker=0.3,
    )
    body = _bool(q)
    mm = body["must"][0]["multi_match"]
    assert mm["fields"] == ["text^2.0", "title"]  # boost 1 is implicit, boost 0 drops the field
    assert mm["operator"] == "or" and mm["tie_breaker"] == 0.3
    assert "should" not in body


def test_analyzer_override_applies_to_plain_terms_only():
    q = build_keyword_query(parse_query('yang baru "di bawah"'), QueryFilters(), analyzer="arsip_text")
    body = _bool(q)
    terms, phrase = body["must"]
    assert terms["multi_match"]["analyzer"] == "arsip_text"
    # phrases and the whole-query boost keep the mapping's quote analyzer (stop words kept)
    assert "analyzer" not in phrase["multi_match"]
    assert all("analyzer" not in clause["multi_match"] for clause in body["should"])


def test_no_analyzer_by_default():
    body = _bool(build_keyword_query(parse_query("yang baru"), QueryFilters()))
    assert "analyzer" not in body["must"][0]["multi_match"]


def test_default_fields_constant_is_not_mutated():
    build_keyword_query(parse_query("a b"), QueryFilters())
    assert DEFAULT_FIELDS == {"text": 1.0, "title": 0.5}


@pytest.mark.parametrize("fields", [{"text": -1.0}, {"text": 0.0}, {}])
def test_invalid_field_boosts_raise(fields: dict):
    with pytest.raises(ValueError):
        build_keyword_query(parse_query("banjir"), QueryFilters(), fields=fields)


# --- knn ----------------------------------------------------------------------------------------------


def test_knn_with_filters_and_exclusions():
    parsed = parse_query("banjir -hoaks source:tempo")
    knn = build_knn(
        [0.5, 1, -2], parsed.filters, k=10, num_candidates=100, parsed=parsed, case_insensitive=False
    )
    assert knn["field"] == "vector"
    assert knn["query_vector"] == [0.5, 1.0, -2.0] and all(type(x) is float for x in knn["query_vector"])
    assert (knn["k"], knn["num_candidates"]) == (10, 100)
    assert knn["filter"] == {
        "bool": {
            "filter": [
                {"terms": {"source": ["tempo"]}},
                {
                    "bool": {
                        "must_not": [
                            {"multi_match": {"query": "hoaks", "fields": ["text", "title"], "type": "phrase"}}
                        ]
                    }
                },
            ]
        }
    }


def test_knn_without_filters_and_limits():
    knn = build_knn([0.1] * 4, QueryFilters(), k=50, num_candidates=10)
    assert "filter" not in knn
    assert (knn["k"], knn["num_candidates"]) == (50, 50)  # candidates raised to k
    big = build_knn([0.1], None, k=20_000, num_candidates=50_000)
    assert (big["k"], big["num_candidates"]) == (10_000, 10_000)  # Elasticsearch's cap


# --- facets and highlight -----------------------------------------------------------------------------


def test_highlight_escapes_and_has_highlight_query():
    h = build_highlight(parse_query('banjir OR longsor "tanah longsor" -hoaks source:tempo'))
    assert h["type"] == "unified" and h["encoder"] == "html"
    assert (h["pre_tags"], h["post_tags"]) == (["<mark>"], ["</mark>"])
    assert h["fields"] == {"text": {"number_of_fragments": 0}, "title": {"number_of_fragments": 0}}
    assert h["highlight_query"] == {
        "bool": {
            "should": [
                {"multi_match": {"query": "banjir longsor", "fields": ["text", "title"], "operator": "or"}},
                {"multi_match": {"query": "tanah longsor", "fields": ["text", "title"], "type": "phrase"}},
            ],
            "minimum_should_match": 1,
        }
    }
    assert "hoaks" not in json.dumps(h)  # exclusions are never highlighted


def test_highlight_without_terms_and_no_match_size():
    h = build_highlight(parse_query("source:tempo"), no_match_size=500)
    assert "highlight_query" not in h
    assert h["fields"]["text"] == {"number_of_fragments": 0, "no_match_size": 500}


# --- property test ------------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ['"', "-", "OR", "AND", "(", ")", "+", "&&", "||", "!", "^2", "~", "*", "?", ":", "\\", "/",
     "source:", "date:2020-02", "from:2020", "to:", "lang:", 'collection:"', "banjir", "\x00", "\ud800",
     " ", "http://x"]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(
            st.one_of(_PIECES, st.text(max_size=6), st.characters(categories=["Cc", "Cs"])), max_size=30
        ).map("".join),
    )
)
def test_builders_always_return_json_serialisable_dicts(q: str):
    parsed = parse_query(q)
    url_filters = QueryFilters(sources=["tempo"], date_from="2020-01-01")
    for query in (
        build_keyword_query(parsed, parsed.filters.merge(url_filters)),
        build_keyword_query(parsed),
        build_highlight(parsed),
        build_knn([0.0] * 3, parsed.filters, 10, 100, parsed=parsed),
    ):
        assert isinstance(query, dict) and query
        json.dumps(query, ensure_ascii=False).encode("utf-8")  # no lone surrogates reach the wire
    if parsed.is_empty and parsed.filters.is_empty and not parsed.excluded:
        assert build_keyword_query(parsed) == {"match_all": {}}


def test_stemmed_terms_also_match_the_stemmed_fields_and_phrases_stay_exact():
    parsed = parse_query('menyatakan banjir "di bawah"')
    query = build_keyword_query(parsed, minimum_should_match="1", stemmed_terms="nyata banjir")
    terms_clause, phrase_clause = query["bool"]["must"]
    plain, stemmed = terms_clause["bool"]["should"]
    assert terms_clause["bool"]["minimum_should_match"] == 1
    assert plain["multi_match"]["query"] == "menyatakan banjir"
    assert plain["multi_match"]["fields"] == ["text", "title^0.5"]
    assert stemmed["multi_match"]["query"] == "nyata banjir"
    assert stemmed["multi_match"]["fields"] == ["text_stem", "title_stem^0.5"]
    assert stemmed["multi_match"]["minimum_should_match"] == "1"
    assert phrase_clause["multi_match"]["query"] == "di bawah"
    assert phrase_clause["multi_match"]["fields"] == ["text", "title^0.5"]


def test_without_stemmed_terms_or_stemmed_fields_the_query_is_plain():
    parsed = parse_query("banjir jakarta")
    assert build_keyword_query(parsed) == build_keyword_query(parsed, stemmed_terms=None)
    only_url = build_keyword_query(parsed, fields={"url": 1.0}, stemmed_terms="banjir jakarta")
    assert "multi_match" in only_url["bool"]["must"][0]


# --- wildcard, fuzzy, proximity ----------------------------------------------------------------------

PREFIX_PEMILU = {
    "bool": {
        "should": [
            {"prefix": {"text": {"value": "pemilu", "case_insensitive": True}}},
            {"prefix": {"title": {"value": "pemilu", "case_insensitive": True, "boost": 0.5}}},
        ],
        "minimum_should_match": 1,
    }
}
FUZZY_KORUPSI = {
    "multi_match": {
        "query": "korupsi",
        "fields": FIELDS,
        "fuzziness": "AUTO",
        "prefix_length": 1,
        "operator": "and",
    }
}


def test_prefix_wildcard_fuzzy_and_proximity_are_required_clauses():
    body = _bool(build_keyword_query(parse_query('banjir pemilu* kor?psi korupsi~ "dana desa"~3')))
    assert body["must"] == [
        {"multi_match": {"query": "banjir", "fields": FIELDS, "type": "cross_fields", "operator": "and"}},
        PREFIX_PEMILU,
        {
            "bool": {
                "should": [
                    {"wildcard": {"text": {"value": "kor?psi", "case_insensitive": True}}},
                    {"wildcard": {"title": {"value": "kor?psi", "case_insensitive": True, "boost": 0.5}}},
                ],
                "minimum_should_match": 1,
            }
        },
        FUZZY_KORUPSI,
        {"multi_match": {"query": "dana desa", "fields": FIELDS, "type": "phrase", "slop": 3}},
    ]
    # the exact-wording boost covers the plain words and phrases only
    assert body["should"][0]["multi_match"]["query"] == "banjir dana desa"


def test_fuzzy_with_explicit_edits_and_single_field():
    q = build_keyword_query(parse_query("korupsi~1 pemilu*"), fields={"text": 1.0})
    assert _bool(q)["must"] == [
        {
            "multi_match": {
                "query": "korupsi",
                "fields": ["text"],
                "fuzziness": "1",
                "prefix_length": 1,
                "operator": "and",
            }
        },
        {"prefix": {"text": {"value": "pemilu", "case_insensitive": True}}},
    ]


def test_new_forms_excluded_and_in_or_groups():
    body = _bool(
        build_keyword_query(parse_query('banjir -pemilu* -korupsi~ -"dana desa"~2 suap~ OR pemilu*'))
    )
    assert body["must_not"] == [
        PREFIX_PEMILU,
        FUZZY_KORUPSI,
        {"multi_match": {"query": "dana desa", "fields": FIELDS, "type": "phrase", "slop": 2}},
    ]
    assert body["must"][1] == {
        "bool": {
            "should": [{"multi_match": {**FUZZY_KORUPSI["multi_match"], "query": "suap"}}, PREFIX_PEMILU],
            "minimum_should_match": 1,
        }
    }


def test_knn_filter_excludes_new_forms_too():
    knn = build_knn([0.0], None, 5, 50, parsed=parse_query("banjir -pemilu*"))
    assert knn["filter"] == {
        "bool": {
            "filter": [
                {
                    "bool": {
                        "must_not": [
                            {
                                "bool": {
                                    "should": [
                                        {"prefix": {"text": {"value": "pemilu", "case_insensitive": True}}},
                                        {"prefix": {"title": {"value": "pemilu", "case_insensitive": True}}},
                                    ],
                                    "minimum_should_match": 1,
                                }
                            }
                        ]
                    }
                }
            ]
        }
    }


def test_highlight_query_marks_new_forms():
    h = build_highlight(parse_query('banjir pemilu* korupsi~ "dana desa"~3 kor?psi'))
    fields = ["text", "title"]
    prefix = {
        "bool": {
            "should": [
                {"prefix": {"text": {"value": "pemilu", "case_insensitive": True}}},
                {"prefix": {"title": {"value": "pemilu", "case_insensitive": True}}},
            ],
            "minimum_should_match": 1,
        }
    }
    assert h["highlight_query"]["bool"]["should"] == [
        {"multi_match": {"query": "banjir", "fields": fields, "operator": "or"}},
        prefix,
        {"multi_match": {**FUZZY_KORUPSI["multi_match"], "fields": fields}},
        {"multi_match": {"query": "dana desa", "fields": fields, "type": "phrase", "slop": 3}},
        {
            "bool": {
                "should": [
                    {"wildcard": {"text": {"value": "kor?psi", "case_insensitive": True}}},
                    {"wildcard": {"title": {"value": "kor?psi", "case_insensitive": True}}},
                ],
                "minimum_should_match": 1,
            }
        },
    ]


def test_build_item_query_plain_term_positive_and_negated():
    assert build_item_query(QueryItem("covid-19"), ["text"]) == {
        "multi_match": {"query": "covid-19", "fields": ["text"], "type": "cross_fields", "operator": "and"}
    }
    assert build_item_query(QueryItem("covid-19"), ["text"], negated=True) == {
        "multi_match": {"query": "covid-19", "fields": ["text"], "type": "phrase"}
    }


# --- one clause per required unit (which query words a result lacks) ---------------------------------


def test_unit_queries_one_per_required_unit():
    units = parse_query('banjir pemilu* OR "dana desa"~3 korupsi~ -hoaks').required_units
    assert [build_unit_query(u) for u in units] == [
        {
            "multi_match": {
                "query": "banjir",
                "fields": FIELDS,
                "type": "cross_fields",
                "operator": "and",
                "zero_terms_query": "all",  # a stop word unit never counts as missing
            }
        },
        {
            "bool": {
                "should": [
                    PREFIX_PEMILU,
                    {"multi_match": {"query": "dana desa", "fields": FIELDS, "type": "phrase", "slop": 3}},
                ],
                "minimum_should_match": 1,
            }
        },
        {"multi_match": {**FUZZY_KORUPSI["multi_match"], "zero_terms_query": "all"}},
    ]


def test_unit_query_with_stemming_matches_either_form():
    (unit,) = parse_query("pembangunan").required_units
    q = build_unit_query(unit, {"text": 1.0, "title": 0.5}, stem=lambda text: "bangun")
    plain = {
        "query": "pembangunan",
        "fields": FIELDS,
        "type": "cross_fields",
        "operator": "and",
        "zero_terms_query": "all",
    }
    stemmed = {**plain, "query": "bangun", "fields": ["text_stem", "title_stem^0.5"]}
    assert q == {
        "bool": {"should": [{"multi_match": plain}, {"multi_match": stemmed}], "minimum_should_match": 1}
    }
    # prefixes, phrases and fuzzy terms stay exact; fields without a stemmed twin get no stemmed clause
    assert build_unit_query(QueryItem("pemilu", "prefix"), stem=lambda text: "x") == PREFIX_PEMILU
    assert "text_stem" not in json.dumps(build_unit_query(unit, {"title": 1.0}, stem=lambda t: "bangun"))


def test_title_and_author_filters_become_filter_clauses():
    from searchapp.query_builder import build_filter_clauses
    from searchapp.query_model import QueryFilters

    clauses = build_filter_clauses(
        QueryFilters(titles=["dana desa"], authors=["Pur*"], exclude_titles=["hoaks"], exclude_authors=["x"])
    )
    assert {"match": {"title": {"query": "dana desa", "operator": "and"}}} in clauses
    assert {"wildcard": {"author": {"value": "*Pur\\**", "case_insensitive": True}}} in clauses
    assert clauses[-1] == {
        "bool": {
            "must_not": [
                {"match": {"title": {"query": "hoaks", "operator": "and"}}},
                {"wildcard": {"author": {"value": "*x*", "case_insensitive": True}}},
            ]
        }
    }
