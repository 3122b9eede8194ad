"""Unit tests for application-side result fusion, with the arithmetic worked out by hand."""

from __future__ import annotations

import math

import pytest

from searchapp.fusion import fusion_window, reciprocal_rank_fusion, weighted_score_fusion


def _ids(fused: list[tuple[str, float]]) -> list[str]:
    return [doc_id for doc_id, _ in fused]


# --- reciprocal rank fusion ---------------------------------------------------------------------------


def test_rrf_default_k():
    # k=60: a = 1/61 + 1/62 = 0.0325216, c = 1/63 + 1/61 = 0.0322665, b = 1/62, d = 1/63
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]])
    assert _ids(fused) == ["a", "c", "b", "d"]
    scores = dict(fused)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert scores["b"] == pytest.approx(1 / 62)
    assert scores["d"] == pytest.approx(1 / 63)


def test_rrf_k_zero_is_plain_reciprocal_rank():
    # k=0: a = 1/1 + 1/2 = 1.5, c = 1/3 + 1/1 = 1.333, b = 1/2 = 0.5, d = 1/3
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=0)
    assert fused == [
        ("a", pytest.approx(1.5)),
        ("c", pytest.approx(4 / 3)),
        ("b", pytest.approx(0.5)),
        ("d", pytest.approx(1 / 3)),
    ]


def test_rrf_weights():
    # k=0, weights (1, 3): a = 1/1 + 3/2 = 2.5, c = 1/3 + 3/1 = 3.333, b = 1/2 = 0.5, d = 3/3 = 1.0
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=0, weights=[1, 3])
    assert _ids(fused) == ["c", "a", "d", "b"]
    assert dict(fused)["c"] == pytest.approx(10 / 3)
    # a zero weight silences a list: its ids stay (score 0, last) but do not move anything else
    silenced = reciprocal_rank_fusion([["a", "b"], ["b", "z"]], k=0, weights=[1, 0])
    assert silenced == [("a", 1.0), ("b", 0.5), ("z", 0.0)]


def test_rrf_ties_broken_by_best_rank_then_id():
    # k=0: x = 1/1, y = 1/1, m = 1/1, a = 1/2 + 1/2 = 1  -> all 1.0;
    # best ranks: x, y, m = 1, a = 2 -> m, x, y (by id), then a (despite "a" sorting first)
    fused = reciprocal_rank_fusion([["x", "a"], ["y", "a"], ["m"]], k=0)
    assert _ids(fused) == ["m", "x", "y", "a"]
    assert all(score == pytest.approx(1.0) for _, score in fused)
    # mirrored lists: 1/61 + 1/62 for both, same best rank -> by id
    assert _ids(reciprocal_rank_fusion([["y", "x"], ["x", "y"]])) == ["x", "y"]


def test_rrf_one_sided_hits_and_duplicates():
    # "b" only in the second list: 1/(60+1) = 1/61 ties with "a" (1/61 in the first) -> by id
    assert _ids(reciprocal_rank_fusion([["a"], ["b"]])) == ["a", "b"]
    # a repeated id counts once at its first rank: k=0: a = 1/1, b = 1/3 (position 3)
    assert reciprocal_rank_fusion([["a", "a", "b"]], k=0) == [("a", 1.0), ("b", pytest.approx(1 / 3))]


def test_rrf_empty():
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], []]) == []
    assert _ids(reciprocal_rank_fusion([[], ["a"]])) == ["a"]


def test_rrf_invalid_arguments():
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1, 2])
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], k=-1)
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[-1])


# --- weighted score fusion ----------------------------------------------------------------------------

BM25 = [("a", 10.0), ("b", 6.0), ("c", 2.0)]
KNN = [("c", 0.9), ("d", 0.8), ("a", 0.5)]


def test_weighted_minmax_equal_weights():
    # bm25 min-max (min 2, max 10): a = 8/8 = 1, b = 4/8 = 0.5, c = 0/8 = 0
    # knn  min-max (min 0.5, max 0.9): c = 0.4/0.4 = 1, d = 0.3/0.4 = 0.75, a = 0
    # fused with 0.5/0.5: a = 0.5, c = 0.5, d = 0.375, b = 0.25
    # a and c tie at 0.5, both best rank 1 -> by id: a, c
    fused = weighted_score_fusion([BM25, KNN], [0.5, 0.5])
    assert _ids(fused) == ["a", "c", "d", "b"]
    assert [s for _, s in fused] == pytest.approx([0.5, 0.5, 0.375, 0.25])


def test_weighted_minmax_unequal_weights():
    # 0.7/0.3: a = 0.7*1 + 0.3*0 = 0.7, b = 0.7*0.5 = 0.35, c = 0.7*0 + 0.3*1 = 0.3, d = 0.3*0.75 = 0.225
    fused = weighted_score_fusion([BM25, KNN], [0.7, 0.3])
    assert _ids(fused) == ["a", "b", "c", "d"]
    assert [s for _, s in fused] == pytest.approx([0.7, 0.35, 0.3, 0.225])


def test_weighted_one_hit_or_equal_scores_normalise_to_one():
    # a single hit and all-equal scores are 1.0; missing ids count 0:
    # x = 1*1.0 + 2*0 = 1, y = 0 + 2*1.0 = 2, z = 0 + 2*1.0 = 2 -> y, z (tie, best rank 1 and 2), x
    fused = weighted_score_fusion([[("x", 3.2)], [("y", 7.0), ("z", 7.0)]], [1, 2])
    assert fused == [("y", 2.0), ("z", 2.0), ("x", 1.0)]


def test_weighted_default_weights_and_one_sided():
    # only one list has hits: it is the ranking; 5 -> 1.0, 3 -> 0.5, 1 -> 0.0
    fused = weighted_score_fusion([[("p", 5.0), ("q", 3.0), ("r", 1.0)], []])
    assert fused == [("p", 1.0), ("q", 0.5), ("r", 0.0)]


def test_weighted_l2_norm():
    # l2: norm = sqrt(3² + 4²) = 5 -> a = 0.6, b = 0.8; second list: c = 2/2 = 1.0, weight 0.5 -> 0.5
    fused = weighted_score_fusion([[("a", 3.0), ("b", 4.0)], [("c", 2.0)]], [1, 0.5], normalization="l2_norm")
    assert _ids(fused) == ["b", "a", "c"]
    assert [s for _, s in fused] == pytest.approx([0.8, 0.6, 0.5])
    alias = weighted_score_fusion([[("a", 3.0), ("b", 4.0)]], [1], normalization="l2")
    assert _ids(alias) == ["b", "a"] and [s for _, s in alias] == pytest.approx([0.8, 0.6])
    assert weighted_score_fusion([[("z", 0.0)]], [1], normalization="l2_norm") == [("z", 0.0)]


def test_weighted_none_uses_raw_scores():
    # raw: a = 2*1.5 + 1*0.5 = 3.5, b = 2*1.0 = 2
    fused = weighted_score_fusion([[("a", 1.5), ("b", 1.0)], [("a", 0.5)]], [2, 1], normalization="none")
    assert fused == [("a", 3.5), ("b", 2.0)]


def test_weighted_duplicate_keeps_highest_score():
    # a appears with 1 and 9: kept 9 -> min-max over {a: 9, b: 5}: a = 1, b = 0
    assert weighted_score_fusion([[("a", 1.0), ("b", 5.0), ("a", 9.0)]], [1]) == [("a", 1.0), ("b", 0.0)]


def test_weighted_empty():
    assert weighted_score_fusion([], []) == []
    assert weighted_score_fusion([[], []], [0.5, 0.5]) == []


@pytest.mark.parametrize(
    ("scored", "weights", "normalization"),
    [
        ([BM25], [1, 2], "minmax"),  # weights do not match lists
        ([BM25], [-0.5], "minmax"),
        ([BM25], [1], "zscore"),
        ([[("a", math.nan)]], [1], "minmax"),
        ([[("a", math.inf)]], [1], "minmax"),
    ],
)
def test_weighted_invalid_arguments(scored, weights, normalization):
    with pytest.raises(ValueError):
        weighted_score_fusion(scored, weights, normalization)


def test_fusion_is_deterministic():
    rankings = [[f"d{i}" for i in range(30)], [f"d{i}" for i in range(29, -1, -1)]]
    first = reciprocal_rank_fusion(rankings)
    assert first == reciprocal_rank_fusion(rankings)
    # mirrored lists: every id has the same pair of ranks in the other order -> pairs tie (d0/d29, ...)
    assert _ids(first)[:2] == ["d0", "d29"]


# --- window -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "size", "kwargs", "expected"),
    [
        (1, 10, {}, 50),  # the minimum keeps the first pages fused from the same lists
        (5, 10, {}, 50),
        (6, 10, {}, 60),
        (200, 10, {}, 1000),  # capped
        (0, 0, {}, 50),  # nonsense clamped
        (3, 20, {"minimum": 100, "maximum": 500}, 100),
        (30, 20, {"minimum": 100, "maximum": 500}, 500),
    ],
)
def test_fusion_window(page: int, size: int, kwargs: dict, expected: int):
    assert fusion_window(page, size, **kwargs) == expected
