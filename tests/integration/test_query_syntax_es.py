"""The new query forms (wildcard, fuzzy, proximity) and the per-unit clauses against the real node.

A tiny index with the real mapping (``mappings/passages.json``, standard analyzer, Indonesian stop
words) holds six passages whose matches are known by construction; each query must return exactly those
passages, so a clause shape Elasticsearch reads differently than intended (an analysed prefix, a
case-sensitive wildcard, a phrase without slop) fails here. No model is needed: no vectors are written.
"""

from __future__ import annotations

import json
import uuid

import pytest

from arsip.settings import REPO_ROOT
from searchapp.query_builder import build_highlight, build_keyword_query, build_unit_query
from searchapp.query_parser import parse_query
from tests.conftest import TEST_PREFIX

pytestmark = [pytest.mark.es]

PASSAGES = {
    "d1": "Pemilu 2024 berjalan lancar di Jakarta",
    "d2": "Pemilunya ditunda karena banjir besar",
    "d3": "Kasus korupsi dana desa di Bogor",
    "d4": "Kasus korupsy dana bantuan untuk desa",  # a typo; "dana … desa" two positions apart
    "d5": "Harga kerupuk dan kopi naik",
    "d6": "Hasil PILKADA diumumkan",
}


@pytest.fixture(scope="module")
def index(es):
    name = f"{TEST_PREFIX}-syntax-{uuid.uuid4().hex[:8]}"
    body = json.loads((REPO_ROOT / "mappings" / "passages.json").read_text(encoding="utf-8"))
    es.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
    for pid, text in PASSAGES.items():
        es.index(index=name, id=pid, document={"passage_id": pid, "doc_id": pid, "text": text, "title": ""})
    es.indices.refresh(index=name)
    yield name
    es.indices.delete(index=name)


def ids(es, index: str, query: dict) -> set[str]:
    hits = es.search(index=index, query=query, size=20)["hits"]["hits"]
    return {hit["_id"] for hit in hits}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("pemilu*", {"d1", "d2"}),
        ("PEMILU*", {"d1", "d2"}),  # case-insensitive on the lower-cased tokens
        ("pilk*", {"d6"}),
        ("pem*nya", {"d2"}),
        ("kor?psi", {"d3"}),
        ("korupsi", {"d3"}),
        ("korupsi~", {"d3", "d4"}),
        ("korupsi~1", {"d3", "d4"}),
        ('"dana desa"', {"d3"}),
        ('"dana desa"~1', {"d3"}),
        ('"dana desa"~2', {"d3", "d4"}),
        ("kasus -korupsi", {"d4"}),
        ("kasus -korup*", set()),
        ("kasus -korupsi~", set()),
        ("kasus NOT korupsi", {"d4"}),  # NOT in capitals is "-" (issue 21: it matched nothing)
        ('kasus NOT "dana desa"', {"d4"}),
        ("NOT kasus", {"d1", "d2", "d5", "d6"}),
        ("pemilu* OR korupsi~", {"d1", "d2", "d3", "d4"}),
        ("pemilu* banjir", {"d2"}),  # required, like plain words
        ("pem* banjir", {"d2"}),  # three letters are enough for a prefix
        ("pe* banjir", set()),  # too short for a wildcard: the plain word "pe", in no passage
    ],
)
def test_new_forms_match_exactly_the_passages_built_for_them(es, index: str, q: str, expected: set[str]):
    assert ids(es, index, build_keyword_query(parse_query(q))) == expected


@pytest.mark.parametrize(
    "q",
    [
        "a" * 1999 + "*",  # longer than the node's prefix limit (index.max_regex_length): plain words
        "abc" + "*a" * 200,
        "abc" + "?a" * 120,
        "a" * 1500 + "~",
        "a" * 300 + "~2",
        '"' + " ".join(["kata"] * 300) + '"~10',
        "İstanbul* ǅemal~",
    ],
)
def test_hostile_forms_never_make_the_node_refuse_the_query(es, index: str, q: str):
    parsed = parse_query(q)
    hits = es.search(index=index, query=build_keyword_query(parsed), highlight=build_highlight(parsed))
    assert hits["hits"]["hits"] == []


def test_highlighting_marks_the_expanded_words(es, index: str):
    parsed = parse_query('pemilu* korupsi~ "dana desa"~2')
    hits = es.search(
        index=index,
        query={"ids": {"values": ["d2", "d4"]}},
        highlight=build_highlight(parsed),
        size=5,
    )["hits"]["hits"]
    marked = {hit["_id"]: hit["highlight"]["text"][0] for hit in hits}
    assert "<mark>Pemilunya</mark>" in marked["d2"]
    assert "<mark>korupsy</mark>" in marked["d4"]
    assert "<mark>dana bantuan untuk desa</mark>" in marked["d4"]  # a near phrase is marked as one span


def test_unit_queries_tell_which_words_a_passage_lacks(es, index: str):
    units = parse_query("banjir pemilu* yang korupsi~ OR pilkada").required_units
    found = [ids(es, index, build_unit_query(unit)) for unit in units]
    assert found == [
        {"d2"},
        {"d1", "d2"},
        set(PASSAGES),  # a stop word: ignored by the search, so no passage lacks it
        {"d3", "d4", "d6"},
    ]


def test_title_and_author_filters_match_their_fields(es):
    """Issue 21: ``title:`` and ``author:`` searched the words "title" and "author"."""
    name = f"{TEST_PREFIX}-fields-{uuid.uuid4().hex[:8]}"
    body = json.loads((REPO_ROOT / "mappings" / "passages.json").read_text(encoding="utf-8"))
    es.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
    documents = {
        "a": {"title": "Rakernas Sekda 2020", "author": "Pur/Humas", "text": "pilkada serentak"},
        "b": {"title": "Banjir di Medan", "author": "Redaksi Tempo", "text": "pilkada dan banjir"},
        "c": {"title": "Pilkada Medan", "text": "banjir"},
    }
    try:
        for pid, fields in documents.items():
            es.index(index=name, id=pid, document={"passage_id": pid, "doc_id": pid, **fields})
        es.indices.refresh(index=name)
        assert ids(es, name, build_keyword_query(parse_query("title:medan"))) == {"b", "c"}
        assert ids(es, name, build_keyword_query(parse_query('title:"banjir medan" pilkada'))) == {"b"}
        assert ids(es, name, build_keyword_query(parse_query("pilkada -title:rakernas"))) == {"b", "c"}
        assert ids(es, name, build_keyword_query(parse_query("author:HUMAS"))) == {"a"}
        assert ids(es, name, build_keyword_query(parse_query("author:humas,tempo"))) == {"a", "b"}
        assert ids(es, name, build_keyword_query(parse_query("banjir -author:tempo"))) == {"c"}
        assert ids(es, name, build_keyword_query(parse_query("author:pur*"))) == set()  # * is a literal
    finally:
        es.indices.delete(index=name)
