"""Stop words: the list Python knows matches the analyzer's setting, and a query of stop words only is
searched as written with a warning naming them (issue 21: batch rows of 0 with no warning)."""

from __future__ import annotations

import pytest

from arsip.stop_words import INDONESIAN, only_stop_words, stop_words
from searchapp.query_model import QueryItem
from searchapp.query_parser import parse_query
from searchapp.stop_word_queries import stop_words_searched_exactly


def test_the_list_follows_the_setting():
    assert stop_words("_indonesian_") is INDONESIAN and len(INDONESIAN) > 300
    assert stop_words("_none_") == frozenset()
    assert stop_words("yang, Dan") == {"yang", "dan"}
    assert "the" in stop_words("_english_")


@pytest.mark.parametrize(
    "word", ["Tidak", "Anda", "Masih", "Sebagai", "Beberapa", "Sebanyak", "Bukan", "Meski"]
)
def test_the_batch_words_that_showed_zero_are_stop_words(word):
    assert only_stop_words(word, INDONESIAN)


@pytest.mark.parametrize("query", ["Tidak", "tidak bukan", "yang dan di", "tidak OR bukan"])
def test_a_query_of_stop_words_only_is_searched_exactly_and_said(query):
    parsed = stop_words_searched_exactly(parse_query(query), INDONESIAN)
    items = [item for group in parsed.groups for item in group]
    assert items and all(item.kind == "phrase" for item in items)
    assert [w.code for w in parsed.warnings] == ["stop_words_exact"]
    assert all(item.text in parsed.warnings[0].message_en for item in items)


@pytest.mark.parametrize("query", ["tidak pilkada", '"tidak ada"', "tidak*", "pilkada", "-tidak", ""])
def test_any_other_query_is_left_as_parsed(query):
    parsed = parse_query(query)
    assert stop_words_searched_exactly(parsed, INDONESIAN) is parsed


def test_without_a_list_nothing_changes():
    parsed = parse_query("tidak")
    assert stop_words_searched_exactly(parsed, frozenset()).groups == [[QueryItem("tidak")]]
