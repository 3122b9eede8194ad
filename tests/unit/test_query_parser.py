"""Unit tests for the query syntax parser (no Elasticsearch needed)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchapp.query_model import ParsedQuery, QueryFilters, QueryItem, parse_partial_date, unit_label
from searchapp.query_parser import MAX_ITEMS, MAX_PROXIMITY, MAX_QUERY_CHARS, parse_query
from searchapp.query_warnings import WARNING_MESSAGES, QueryWarning


def T(text: str) -> QueryItem:
    return QueryItem(text)


def P(text: str, slop: int = 0) -> QueryItem:
    return QueryItem(text, "phrase", slop=slop)


def W(q: str) -> list[tuple[str, str]]:
    """The (code, text) of every warning the parser reports for ``q``."""
    return [(w.code, w.text) for w in parse_query(q).warnings]


def test_plain_terms_are_required_in_order():
    p = parse_query("banjir  jakarta utara")
    assert p.terms == ["banjir", "jakarta", "utara"]
    assert p.phrases == [] and p.or_groups == [] and p.excluded == []
    assert p.semantic_text == "banjir jakarta utara"
    assert not p.is_empty and p.filters.is_empty


def test_phrases_and_exclusions():
    p = parse_query('"tanah longsor" bogor -hoaks -"berita palsu"')
    assert p.phrases == ["tanah longsor"]
    assert p.terms == ["bogor"]
    assert p.excluded_terms == ["hoaks"]
    assert p.excluded_phrases == ["berita palsu"]
    assert p.semantic_text == "tanah longsor bogor"
    assert p.highlight_terms == ["tanah longsor", "bogor"]


def test_or_binds_neighbours_and_and_is_default():
    p = parse_query("banjir OR longsor jakarta")
    assert p.or_groups == [[T("banjir"), T("longsor")]]
    assert p.terms == ["jakarta"]
    assert p.semantic_text == "banjir longsor jakarta"
    assert parse_query("a AND b").terms == ["a", "b"]
    assert parse_query("a AND b OR c").groups == [[T("a")], [T("b"), T("c")]]
    assert parse_query("a OR b OR c").groups == [[T("a"), T("b"), T("c")]]
    assert parse_query("a OR OR b").groups == [[T("a"), T("b")]]


def test_or_between_phrase_and_term():
    p = parse_query('"tanah longsor" OR banjir')
    assert p.or_groups == [[P("tanah longsor"), T("banjir")]]
    assert p.terms == [] and p.phrases == []


@pytest.mark.parametrize(
    ("query", "groups", "dropped"),
    [
        ("banjir OR", [[T("banjir")]], "OR"),  # dangling: dropped, with a warning
        ("OR banjir", [[T("banjir")]], "OR"),
        ("OR", [], "OR"),
        ("banjir AND", [[T("banjir")]], "AND"),
        ("a OR -b", [[T("a")]], "OR"),  # OR next to an exclusion joins nothing
        ("a OR source:x", [[T("a")]], "OR"),  # ... nor next to a filter
        ("a AND OR b", [[T("a"), T("b")]], "AND"),  # a run of operators: OR wins, the other is dropped
    ],
)
def test_dangling_operators_are_dropped_with_a_warning(query: str, groups: list, dropped: str):
    assert parse_query(query).groups == groups
    assert W(query) == [("dangling_operator", dropped)]


def test_lower_case_or_is_a_word():
    assert parse_query("or banjir").groups == [[T("or")], [T("banjir")]]
    assert W("or banjir") == [("lowercase_operator", "or")]  # a word, but never silently (issue 21)


def test_field_filters():
    p = parse_query('source:tempo collection:humas lang:ID source:"detik news" banjir')
    assert p.terms == ["banjir"]
    assert p.filters.sources == ["tempo", "detik news"]
    assert p.filters.collections == ["humas"]
    assert p.filters.languages == ["id"]
    assert "source" not in p.semantic_text and p.highlight_terms == ["banjir"]


def test_language_aliases_and_comma_lists():
    assert parse_query("language:Indonesia").filters.languages == ["id"]
    assert parse_query("lang:id,en").filters.languages == ["id", "en"]
    assert parse_query("source:tempo,detik").filters.sources == ["tempo", "detik"]


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("date:2020", "2020-01-01", "2020-12-31"),
        ("date:2020-12", "2020-12-01", "2020-12-31"),
        ("date:2020-02", "2020-02-01", "2020-02-29"),  # leap year
        ("date:2021-02", "2021-02-01", "2021-02-28"),
        ("date:2020-12-09", "2020-12-09", "2020-12-09"),
        ("date:2020-1-5", "2020-01-05", "2020-01-05"),
        ("from:2020-01-01 to:2020-12-31", "2020-01-01", "2020-12-31"),
        ("from:2019 to:2020-06", "2019-01-01", "2020-06-30"),
        ("from:2018", "2018-01-01", None),
        ("to:2018", None, "2018-12-31"),
        ("date:2020 from:2020-06-15", "2020-06-15", "2020-12-31"),  # intersection
    ],
)
def test_date_filters(query: str, start: str | None, end: str | None):
    p = parse_query(query)
    assert (p.filters.date_from, p.filters.date_to) == (start, end)
    assert p.is_empty  # filters only: valid, match_all + filter


@pytest.mark.parametrize(
    "query", ["date:2020-13", "date:2021-02-29", "date:abc", "from:20201209", "date:0000"]
)
def test_invalid_dates_are_dropped_with_a_warning(query: str):
    p = parse_query(query)
    assert p.filters.date_from is None and p.filters.date_to is None
    assert p.groups == [] and W(query) == [("invalid_date", query)]


def test_negated_filters_exclude_values():
    p = parse_query("-source:tempo -lang:en -collection:humas banjir")
    assert p.filters.exclude_sources == ["tempo"]
    assert p.filters.exclude_languages == ["en"]
    assert p.filters.exclude_collections == ["humas"]
    assert p.filters.sources == [] and p.excluded == [] and p.terms == ["banjir"]


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("http://x", ["http://x"]),
        ("10:30", ["10:30"]),
        ("foo:bar", ["foo", "bar"]),  # unknown field: its words (warned, see below)
        ("Source:tempo", []),  # keys are case-insensitive: a filter
        ("source:", []),  # known key without a value: dropped (warned, see below)
    ],
)
def test_unknown_fields_are_plain_text(query: str, terms: list[str]):
    assert parse_query(query).terms == terms


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ('"banjir jakarta', ["banjir", "jakarta"]),  # unclosed quote
        ('banjir " jakarta', ["banjir", "jakarta"]),  # lone quote
        ('"', []),
        ("-", []),
        ("banjir -", ["banjir"]),  # dangling minus
        ("- banjir", ["banjir"]),
        ("(banjir) +jakarta!", ["banjir", "jakarta"]),
        ("banjir^2 jakarta^3 bogor? depok?", ["banjir", "jakarta", "bogor", "depok"]),
        ("&& || ! ( ) { } [ ] ^ ~ * ? : \\ /", []),
        ("covid-19", ["covid-19"]),  # an inner hyphen is not an exclusion
    ],
)
def test_malformed_syntax_degrades_to_plain_terms(query: str, terms: list[str]):
    p = parse_query(query)
    assert p.terms == terms
    assert p.excluded == []


def test_negated_unclosed_quote_excludes_next_word():
    p = parse_query('-"berita palsu')
    assert p.excluded_terms == ["berita"] and p.terms == ["palsu"]


def test_control_characters_and_surrogates_are_removed():
    p = parse_query("banjir\x00\x07jakarta\u200bbogor\ud800\ufeff\tdepok\n")
    assert p.terms == ["banjir", "jakarta", "bogor", "depok"]


def test_curly_quotes_make_phrases():
    assert parse_query("\u201ctanah longsor\u201d").phrases == ["tanah longsor"]


def test_duplicates_are_removed():
    p = parse_query("banjir Banjir banjir banjir OR banjir")
    assert p.terms == ["banjir"]  # the analyzer lower-cases, so case variants are duplicates
    assert p.or_groups == []
    q = parse_query("banjir jakarta banjir OR longsor")
    assert q.terms == ["banjir", "jakarta"]  # the earlier requirement is not widened by the OR
    assert q.or_groups == [[T("banjir"), T("longsor")]]


def test_long_input_is_cut():
    p = parse_query("kata " * 5000)
    assert p.terms == ["kata"]
    assert W("kata " * 5000) == [("query_truncated", "kata " * 7 + "kata")]
    many = parse_query(" ".join(f"w{i}" for i in range(200)))
    assert len(many.terms) == MAX_ITEMS
    assert len(parse_query("x" * (MAX_QUERY_CHARS * 3)).terms[0]) == MAX_QUERY_CHARS


def test_empty_and_filter_only_queries():
    assert parse_query("").is_empty
    assert parse_query("   ").semantic_text == ""
    p = parse_query("source:tempo")
    assert p.is_empty and p.filters.sources == ["tempo"] and p.semantic_text == ""
    assert parse_query("-hoaks").is_empty  # exclusions alone are no positive text


def test_merge_combines_url_and_query_filters():
    url = QueryFilters(sources=["tempo"], languages=["id"], date_from="2019-01-01", date_to="2020-06-30")
    query = QueryFilters(sources=["detik", "tempo"], collections=["humas"], date_from="2020-01-01")
    merged = url.merge(query)
    assert merged.sources == ["tempo", "detik"]  # OR within a field, no duplicates
    assert merged.collections == ["humas"] and merged.languages == ["id"]
    assert (merged.date_from, merged.date_to) == ("2020-01-01", "2020-06-30")  # intersection
    assert url.sources == ["tempo"] and query.collections == ["humas"]  # inputs unchanged
    assert QueryFilters().merge(QueryFilters()).is_empty


def test_parse_partial_date():
    assert parse_partial_date("1999-12") == ("1999-12-01", "1999-12-31")
    assert parse_partial_date("2020-04-31") is None
    assert parse_partial_date("20-01") is None


def test_raw_is_kept():
    assert parse_query("Banjir  OR longsor").raw == "Banjir  OR longsor"


# --- property tests -----------------------------------------------------------------------------------

_SYNTAX = st.sampled_from(
    ['"', "-", "OR", "AND", "(", ")", "+", "&&", "||", "!", "{", "}", "[", "]", "^", "~", "*", "?", ":",
     "\\", "/", "source:", "date:", "from:", "to:", "lang:", 'source:"', "date:2020-12", "banjir", "\x00",
     "\u200b", "\ud800", "\u201c", " ", "-\"", "http://x", "pemilu*", "kor?psi", "korupsi~", "~2", "~x",
     '"dana desa"~3', '"~99', "foo:bar", "İ", "ǅ"]
)  # fmt: skip
_QUERIES = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.one_of(_SYNTAX, st.text(max_size=8), st.characters(categories=["Cc", "Cf", "Cs", "Zs"])),
        max_size=40,
    ).map("".join),
)


def _all_texts(p: ParsedQuery) -> list[str]:
    f = p.filters
    return (
        [i.text for g in p.groups for i in g]
        + [i.text for i in p.excluded]
        + f.sources + f.collections + f.languages + f.exclude_sources
        + [p.semantic_text]
    )  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_QUERIES)
def test_parse_query_never_raises(q: str):
    p = parse_query(q)
    assert isinstance(p, ParsedQuery)
    assert p.is_empty == (p.semantic_text == "")
    for text in _all_texts(p):
        text.encode("utf-8")  # no lone surrogates survive
        assert not any(ord(c) < 32 for c in text)
    for group in p.groups:
        assert group and all(item.text.strip() for item in group)
    for value in (p.filters.date_from, p.filters.date_to):
        assert value is None or parse_partial_date(value) == (value, value)
    for item in [i for g in p.groups for i in g] + p.excluded:
        assert item.kind in ("term", "phrase", "prefix", "wildcard", "fuzzy") and item.text
        if item.kind in ("prefix", "wildcard"):
            assert re.fullmatch(r"[^\W_]{3,}([*?][^\W_]*)*", item.text) and len(item.text) <= 256
        assert item.fuzziness in ((None,) if item.kind != "fuzzy" else ("AUTO", "1", "2"))
        assert 0 <= item.slop <= MAX_PROXIMITY and (item.slop == 0 or item.kind == "phrase")
    for w in p.warnings:
        assert w.code in WARNING_MESSAGES and w.message_en and w.message_id


# --- warnings: every ignored part of a query is reported ---------------------------------------------


@pytest.mark.parametrize(
    ("query", "warnings"),
    [
        ("date:2019-13 banjir", [("invalid_date", "date:2019-13")]),
        ("date:2019-02-30", [("invalid_date", "date:2019-02-30")]),
        ("from:kemarin", [("invalid_date", "from:kemarin")]),
        ("banjir to:xyz", [("invalid_date", "to:xyz")]),
        ("-date:2020 banjir", [("date_not_excludable", "-date:2020")]),
        ("source: banjir", [("empty_filter", "source:")]),
        ('lang:"" banjir', [("empty_filter", 'lang:""')]),
        ("foo:bar", [("unknown_field", "foo:bar")]),
        ("-", [("dangling_minus", "-")]),
        ("banjir - jakarta", [("dangling_minus", "-")]),
        ('banjir "jakarta utara', [("unbalanced_quote", '"jakarta utara')]),
        ('"', [("unbalanced_quote", '"')]),
        ("banjir OR", [("dangling_operator", "OR")]),
        ("AND banjir", [("dangling_operator", "AND")]),
        ("(banjir) +jakarta", [("operator_ignored", "(banjir)"), ("operator_ignored", "+jakarta")]),
        ("banjir^3", [("operator_ignored", "banjir^3")]),
        ("banjir && jakarta", [("operator_ignored", "&&")]),
        (
            "banjir&&jakarta covid(19)",
            [("operator_ignored", "banjir&&jakarta"), ("operator_ignored", "covid(19)")],
        ),
        ("banjir ... 🙂 jakarta", [("no_searchable_text", "🙂")]),  # sentence punctuation is silent
        ('banjir "…"', [("no_searchable_text", '"…"')]),
        ("from:2021 to:2019", [("date_range_reversed", "from:2021 to:2019")]),
        ("date:2020 date:2021-03", [("date_range_reversed", "date:2020 date:2021-03")]),
        ("ba* banjir", [("wildcard_too_short", "ba*")]),
        ("*banjir", [("wildcard_too_short", "*banjir")]),
        ("covid-1*", [("wildcard_unsupported", "covid-1*")]),
        ("a" * 256 + "*", [("wildcard_too_long", "a" * 256 + "*")]),
        ('"dana des*"', [("wildcard_in_phrase", '"dana des*"')]),
        ("korupsi~5", [("fuzziness_capped", "korupsi~5")]),
        ("korupsi~0.8", [("invalid_fuzziness", "korupsi~0.8")]),
        ('"dana desa"~30', [("proximity_capped", '"dana desa"~30')]),
        ('"dana desa"~x', [("invalid_proximity", '"dana desa"~x')]),
    ],
)
def test_each_ignored_part_is_reported(query: str, warnings: list[tuple[str, str]]):
    assert W(query) == warnings


@pytest.mark.parametrize(
    "query",
    [
        "banjir jakarta",
        '"tanah longsor" OR banjir -hoaks source:tempo lang:id date:2020-12 from:2020 to:2021',
        "Siapa nama presiden Indonesia sekarang?",  # a trailing question mark is punctuation
        "banjir , jakarta .",
        "covid-19 http://x 10:30 -source:detik AT&T C++",
        "pemilu* kor?psi korupsi~ korupsi~1 \"dana desa\"~3 -korup* 'banjir'",
    ],
)
def test_well_formed_queries_have_no_warnings(query: str):
    assert W(query) == []


def test_cut_query_and_too_many_terms_are_reported():
    assert W("x" * (MAX_QUERY_CHARS + 5) + " sisa kata") == [("query_truncated", "xxxxx sisa kata")]
    many = " ".join(f"w{i}" for i in range(MAX_ITEMS + 3))
    assert W(many) == [("too_many_terms", f"w{MAX_ITEMS} w{MAX_ITEMS + 1} w{MAX_ITEMS + 2}")]


def test_a_lone_minus_or_garbage_leaves_an_empty_query_and_says_so():
    for query in ("-", "- -", "&&", '"'):
        p = parse_query(query)
        assert p.is_empty and p.excluded == [] and p.warnings


def test_unknown_field_searches_both_words_and_says_so():
    p = parse_query("foo:bar banjir")
    assert p.terms == ["foo", "bar", "banjir"]
    (warning,) = p.warnings
    assert warning.message_en == (
        "“foo:” is not a filter (the filters are source, collection, lang, person, org, place, title, "
        "author, date, from and to), so “foo:bar” was searched as the plain words “foo bar”."
    )
    assert warning.message_id == (
        "“foo:” bukan filter (filter yang ada: source, collection, lang, person, org, place, title, "
        "author, date, from, dan to), jadi “foo:bar” dicari sebagai kata biasa “foo bar”."
    )
    negated = parse_query("-foo:bar")
    assert negated.excluded == [P("foo bar")] and W("-foo:bar") == [("unknown_field", "-foo:bar")]


def test_unclosed_quote_searches_words_and_reversed_dates_match_nothing():
    p = parse_query('"dana desa')
    assert p.terms == ["dana", "desa"] and p.phrases == []
    r = parse_query("from:2021 to:2019")
    assert (r.filters.date_from, r.filters.date_to) == ("2021-01-01", "2019-12-31")  # kept: nothing matches


def test_every_warning_has_both_languages_and_names_nothing_internal():
    queries = [
        "date:2019-13", "-date:2020", "from:2021 to:2019", "source:", "foo:bar", "-", '"x', "OR", "(x)",
        "🙂", "ba*", "covid-1*", '"dana des*"', "x~5", "x~.5", '"a b"~99', '"a b"~x', "x " * 3000,
    ]  # fmt: skip
    codes: set[str] = set()
    for q in queries:
        for w in parse_query(q).warnings:
            assert isinstance(w, QueryWarning)
            codes.add(w.code)
            assert w.message_en and w.message_id and w.message_en != w.message_id
            assert w.message("id") == w.message_id and w.message("en") == w.message_en
            assert w.as_dict() == {
                "code": w.code, "text": w.text, "message_en": w.message_en, "message_id": w.message_id
            }  # fmt: skip
            for message in (w.message_en, w.message_id):
                assert "{" not in message and "_" not in message  # filled, no internal identifiers
                assert w.text in message or w.code in ("query_truncated",)
    assert len(codes) == 18


# --- wildcard, fuzzy and proximity ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "item"),
    [
        ("pemilu*", QueryItem("pemilu", "prefix")),
        ("Pemilu**", QueryItem("Pemilu", "prefix")),
        ("pem*lu", QueryItem("pem*lu", "wildcard")),
        ("kor?psi", QueryItem("kor?psi", "wildcard")),
        ("kor?ps*", QueryItem("kor?ps*", "wildcard")),
        ("korupsi~", QueryItem("korupsi", "fuzzy", fuzziness="AUTO")),
        ("korupsi~1", QueryItem("korupsi", "fuzzy", fuzziness="1")),
        ("korupsi~2", QueryItem("korupsi", "fuzzy", fuzziness="2")),
        ("korupsi~9", QueryItem("korupsi", "fuzzy", fuzziness="2")),
        ("korupsi~0", QueryItem("korupsi")),  # no edits: a plain term
        ('"dana desa"~3', P("dana desa", slop=3)),
        ('"dana desa"~99', P("dana desa", slop=10)),
        ('"dana desa"~0', P("dana desa")),
        ("ba*", QueryItem("ba")),  # too short for a wildcard: a plain term
        ("depok?", QueryItem("depok")),  # a trailing "?" is a question mark
    ],
)
def test_new_syntax_items(query: str, item: QueryItem):
    assert parse_query(query).groups == [[item]]


def test_new_forms_are_excluded_and_or_ed_like_terms():
    p = parse_query('banjir -korup* -suap~ -"dana desa"~2 pemilu* OR pilkada~1 "dana desa"~3')
    assert p.excluded == [
        QueryItem("korup", "prefix"),
        QueryItem("suap", "fuzzy", fuzziness="AUTO"),
        P("dana desa", 2),
    ]
    assert p.groups == [
        [T("banjir")],
        [QueryItem("pemilu", "prefix"), QueryItem("pilkada", "fuzzy", fuzziness="1")],
        [P("dana desa", 3)],
    ]
    assert p.terms == ["banjir"]  # plain terms only: the service stems these
    assert p.phrases == ["dana desa"]
    assert p.semantic_text == "banjir pemilu pilkada dana desa"


def test_required_units_and_their_labels():
    p = parse_query('banjir pemilu* OR "dana desa"~3 korupsi~ kor?psi -hoaks source:tempo')
    assert p.required_units == [
        T("banjir"),
        [QueryItem("pemilu", "prefix"), P("dana desa", 3)],
        QueryItem("korupsi", "fuzzy", fuzziness="AUTO"),
        QueryItem("kor?psi", "wildcard"),
    ]
    assert [unit_label(u) for u in p.required_units] == [
        "banjir", 'pemilu* OR "dana desa"~3', "korupsi~", "kor?psi"
    ]  # fmt: skip
    assert parse_query("korupsi~2").required_units[0].label == "korupsi~2"
    assert parse_query("a" * 255 + "*").groups == [[QueryItem("a" * 255, "prefix")]]  # the longest prefix
    assert parse_query("kor?psi").semantic_text == "kor psi"


def test_duplicates_keep_distinct_forms():
    p = parse_query("pemilu pemilu* Pemilu* pemilu~ pemilu~1")
    assert [unit_label(u) for u in p.required_units] == ["pemilu", "pemilu*", "pemilu~", "pemilu~1"]


# --- NOT and lower-case operators: never a silent 0 (issue 21) ---------------------------------------


@pytest.mark.parametrize(
    ("query", "groups", "excluded"),
    [
        ("pilkada NOT PDIP", [[T("pilkada")]], [T("PDIP")]),
        ("NOT pilkada", [], [T("pilkada")]),
        ('pilkada NOT "dana desa"', [[T("pilkada")]], [P("dana desa")]),
        ("pilkada NOT korup*", [[T("pilkada")]], [QueryItem("korup", "prefix")]),
    ],
)
def test_not_in_capitals_excludes_the_next_item_like_a_minus(query, groups, excluded):
    p = parse_query(query)
    assert (p.groups, p.excluded, p.warnings) == (groups, excluded, [])
    assert parse_query(query.replace("NOT ", "-")).excluded == excluded


def test_not_before_a_filter_excludes_its_value_and_a_dangling_not_is_said():
    assert parse_query("banjir NOT source:tempo").filters.exclude_sources == ["tempo"]
    assert W("pilkada NOT") == [("dangling_not", "NOT")]
    assert W("pilkada NOT -hoaks") == [("dangling_not", "NOT")]


@pytest.mark.parametrize(
    "query", ["pilkada or banjir", "pilkada and kesehatan", "not pilkada", "pilkada Or banjir"]
)
def test_lower_case_operators_are_words_with_a_warning(query):
    p = parse_query(query)
    word = query.split()[1] if not query.startswith("not") else "not"
    assert [(w.code, w.text) for w in p.warnings] == [("lowercase_operator", word)]
    assert word.upper() in p.warnings[0].message_en and word.upper() in p.warnings[0].message_id
    assert word in p.terms  # searched as the word typed, as /syntax says


# --- title: and author: (issue 21: ``title:pilkada`` warned and searched the word "title") -------------


def test_title_and_author_are_filters_not_words():
    p = parse_query('title:"dana desa" title:banjir -title:hoaks author:humas -author:anon korupsi')
    assert p.terms == ["korupsi"] and p.warnings == []
    assert p.filters.titles == ["dana desa", "banjir"] and p.filters.exclude_titles == ["hoaks"]
    assert p.filters.authors == ["humas"] and p.filters.exclude_authors == ["anon"]
    assert not p.filters.is_empty
    assert W("title:") == [("empty_filter", "title:")]


@pytest.mark.parametrize(
    ("query", "warnings"),
    [
        ("*", [("wildcard_alone", "*")]),
        ("banjir **", [("wildcard_alone", "**")]),
        ("?", [("no_searchable_text", "?")]),  # it was a silent 0 (issue 21)
        ("banjir ?", []),  # a question mark after words is punctuation
    ],
)
def test_a_lone_wildcard_or_question_mark_is_said(query, warnings):
    assert W(query) == warnings
    if warnings:
        assert "+ ^ &" not in parse_query(query).warnings[0].message_en  # not the operators' message
