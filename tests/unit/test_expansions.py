"""Stemming shown and switchable (issue 21 point 1): which other forms each word matched, and ``exact``
(kept in the URL, saved searches and batch) to match the typed forms only."""

from __future__ import annotations

import re

from arsip.settings import Settings
from searchapp.batch import batch_filters
from searchapp.query_parser import parse_query
from searchapp.ranking import RankingConfig
from searchapp.saved_searches import canonical_search, search_pairs, search_request
from searchapp.search.expansions import MAX_FORMS, expansions
from searchapp.search.plan import plan_search
from searchapp.search_request import SearchRequest

ROOTS = {"kejadian": "jadi", "terjadi": "jadi", "kejadiannya": "jadi", "banjir": "banjir", "di": "di"}


def fake_stem(word: str) -> str:
    return ROOTS.get(word, word)


def test_each_word_names_the_other_forms_the_shown_results_hold_most_frequent_first():
    texts = ["Kejadian itu terjadi di sana.", "Terjadi lagi: kejadiannya terjadi", "Banjir"]
    found = expansions(parse_query('Kejadian banjir "terjadi"'), texts, fake_stem)
    assert found == [
        {"word": "kejadian", "root": "jadi", "forms": ["terjadi", "kejadiannya"]},
        {"word": "banjir", "root": "banjir", "forms": []},
    ]


def test_without_stemming_nothing_is_expanded():
    assert expansions(parse_query("kejadian"), ["terjadi"], None) == []


def test_exact_is_off_by_default_and_read_like_every_switch():
    assert SearchRequest.from_args({}).exact is False
    assert SearchRequest.from_args({"exact": [""]}).exact is False
    assert SearchRequest.from_args({"exact": ["1"]}).exact is True
    assert SearchRequest.from_args({"exact": ["false"]}).exact is False


def test_exact_drops_the_stemmed_twin_from_the_keyword_query():
    settings = Settings()
    stemmed = plan_search(SearchRequest(q="kejadian", mode="keyword"), RankingConfig(), settings, None)
    exact = plan_search(
        SearchRequest(q="kejadian", mode="keyword", exact=True), RankingConfig(), settings, None
    )
    assert "text_stem" in str(stemmed.keyword_query) and stemmed.stemmer is not None
    assert "text_stem" not in str(exact.keyword_query) and exact.stemmer is None
    assert "stem" not in str(exact.unit_query(parse_query("kejadian").groups[0][0]))


def test_exact_is_kept_by_a_saved_search_and_by_batch():
    request = SearchRequest.from_args({"q": ["kejadian"], "exact": ["1"]})
    saved = canonical_search(request)
    assert saved["exact"] is True and ("exact", "true") in search_pairs(saved)
    assert search_request(saved).exact is True
    assert "exact" not in canonical_search(SearchRequest.from_args({"q": ["kejadian"]}))
    base, pairs = batch_filters({"exact": True})
    assert base.exact is True and ("exact", "1") in pairs
    assert batch_filters({})[0].exact is False


def test_only_words_that_can_share_a_root_are_stemmed_and_none_is_missed():
    """A form holds its root but for the first letter (tulis → menulis): the other words are never
    stemmed. Over the sample archive's words, the forms found equal those of stemming every word."""
    from collections import Counter

    from arsip.stemming import stem
    from tests.conftest import news_records

    texts = [record["text"] for record in news_records(150)]
    query = parse_query("tulis pukul kirim kejadian sapu pilih menyatakan pemerintahan")
    stemmed: Counter = Counter()

    def counting_stem(word: str) -> str:
        stemmed[word] += 1
        return stem(word)

    found = expansions(query, texts, counting_stem)
    everything = {w for text in texts for w in re.findall(r"[^\W_]+", text.lower())}
    roots = {item["word"]: item["root"] for item in found}
    expected = {
        word: sorted(w for w in everything if w != word and stem(w) == root) for word, root in roots.items()
    }
    for item in found:
        forms = expected[item["word"]]
        assert set(item["forms"]) <= set(forms) and len(item["forms"]) == min(len(forms), MAX_FORMS), item
    assert sum(len(forms) for forms in expected.values()) > 10  # the sample holds such forms
    assert len(stemmed) < len(everything) / 5  # most words are never stemmed
