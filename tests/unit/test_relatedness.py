"""The relevance floor (issue 20): known answers from a background built by hand."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from searchapp.relatedness import FLOOR_MARGIN, MAD_TO_SD, MIN_BACKGROUND, Background, expected_maximum
from searchapp.search.candidates import ALL_WORDS, partial_window
from searchapp.search.result_rows import best_part


def _background(similarities: list[float], passages: int | None = None) -> Background:
    """A background whose rows have exactly these cosine similarities to the query (1, 0)."""
    rows = [[s, math.sqrt(max(0.0, 1 - s * s))] for s in similarities]
    return Background.of(rows, passages=passages)


def test_the_floor_is_the_center_plus_the_expected_best_of_the_archive_plus_the_margin():
    # 300 similarities: 0.70 and 0.80 alternating (median 0.75, every deviation 0.05) and nothing else
    sims = [0.70, 0.80] * 150
    background = _background(sims, passages=10_000)
    center, spread = background.scale([1.0, 0.0])
    assert center == pytest.approx(0.75, abs=1e-6)
    assert spread == pytest.approx(0.05 * MAD_TO_SD, abs=1e-6)
    z = expected_maximum(10_000) + FLOOR_MARGIN["close"]
    assert background.floor([1.0, 0.0], FLOOR_MARGIN["close"]) == pytest.approx(center + z * spread, abs=1e-6)
    # a looser margin, a lower floor; a larger archive, a higher one
    assert background.floor([1.0, 0.0], FLOOR_MARGIN["loose"]) < background.floor(
        [1.0, 0.0], FLOOR_MARGIN["close"]
    )
    bigger = _background(sims, passages=100_000)
    assert bigger.floor([1.0, 0.0], 0.0) > background.floor([1.0, 0.0], 0.0)


def test_a_few_related_passages_in_the_sample_hardly_move_the_floor():
    # 300 unrelated similarities spread like a normal distribution (mean 0.75, sd 0.02) ...
    normal = NormalDist(0.75, 0.02)
    unrelated = [normal.inv_cdf((i + 0.5) / 300) for i in range(300)]
    plain = _background(unrelated)
    # ... and the same sample with 10 of them replaced by related passages (a small archive's sample)
    with_related = _background(unrelated[5:-5] + [0.99] * 10)
    spread = plain.scale([1.0, 0.0])[1]
    assert spread == pytest.approx(0.02, rel=0.02)
    moved = with_related.floor([1.0, 0.0], 0.4) - plain.floor([1.0, 0.0], 0.4)
    assert abs(moved) < 0.5 * spread
    # a mean and standard deviation would have moved it by several spreads
    sims = np.array(unrelated[5:-5] + [0.99] * 10)
    assert (sims.mean() + 3.6 * sims.std()) - (np.mean(unrelated) + 3.6 * np.std(unrelated)) > 2 * spread


def test_a_small_archive_has_no_floor():
    assert _background([0.7, 0.8] * ((MIN_BACKGROUND - 2) // 2)).floor([1.0, 0.0], 0.4) is None
    assert Background.of([]).floor([1.0, 0.0], 0.4) is None


def test_expected_maximum_grows_with_the_archive():
    # the best of a thousand standard normal draws is near 3.2 (mean 3.24, median 3.2); of 100,000, 4.4
    assert 3.0 < expected_maximum(1_000) < 3.3
    assert 4.2 < expected_maximum(100_000) < 4.5
    assert expected_maximum(2) == 0.0


def test_a_hybrid_window_keeps_the_partial_set_and_what_holds_every_word():
    def raw(pid: str, score: float, *named: str) -> dict:
        fields = {"passage_id": [pid], "doc_id": ["d"]}
        return {"_score": score, "fields": fields, "matched_queries": list(named)}

    window = [raw("a", 10.0), raw("b", 1.5, ALL_WORDS), raw("c", 1.2), raw("d", 0.4, ALL_WORDS)]
    # "c" is neither in the partial set nor holds every word; "d" holds every word, whatever its score
    assert [h.passage_id for h in partial_window(window, frozenset({"a"}))] == ["a", "b", "d"]
    assert [h.keyword for h in partial_window(window, frozenset({"a"}))] == [10.0, 1.5, 0.4]
    assert [h.passage_id for h in partial_window(window, None)] == ["a", "b", "c", "d"]  # not hybrid


def test_a_documents_part_is_its_best_passages():
    assert best_part(["meaning", "some_words"]) == "some_words"
    assert best_part(["some_words", "all_words", "meaning"]) == "all_words"
    assert best_part([]) == "meaning"


def test_background_rows_are_unit_length():
    background = Background.of([[3.0, 4.0], [0.0, 2.0]])
    assert np.allclose(np.linalg.norm(background.vectors, axis=1), 1.0)
