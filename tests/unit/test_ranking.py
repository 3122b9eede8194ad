"""The one ordering that pages and exports share: fixed references, a stable tail, document grouping."""

from __future__ import annotations

from searchapp.ranking import Hit, RankingConfig, group_by_document, query_weights, rank_passages

CONFIG = RankingConfig(
    reference_window=3, keyword_weight=0.5, semantic_weight=0.5, normalization="minmax", adaptive_slope=0.0
)


def kw(*scores: float, doc: str = "d") -> list[Hit]:
    return [Hit(f"k{i}", f"{doc}{i}", keyword=s) for i, s in enumerate(scores)]


def test_keyword_and_semantic_modes_keep_their_own_order_and_scores():
    hits = kw(9.0, 5.0, 1.0)
    assert [(h.passage_id, s) for h, s in rank_passages("keyword", hits, [], CONFIG)] == [
        ("k0", 9.0),
        ("k1", 5.0),
        ("k2", 1.0),
    ]
    sem = [Hit("s0", "a", semantic=0.9), Hit("s1", "b", semantic=0.8)]
    assert [s for _, s in rank_passages("semantic", [], sem, CONFIG)] == [0.9, 0.8]


def test_hybrid_order_does_not_change_when_more_keyword_hits_are_read():
    """Page 1 reads 4 BM25 hits, the export 8: the first list is a prefix of the second."""
    semantic = [Hit("s0", "x", semantic=0.9), Hit("k5", "d5", semantic=0.85), Hit("s2", "y", semantic=0.8)]
    short = [h.passage_id for h, _ in rank_passages("hybrid", kw(9, 7, 5, 4), semantic, CONFIG)]
    long = [h.passage_id for h, _ in rank_passages("hybrid", kw(9, 7, 5, 4, 3, 2, 1, 0.5), semantic, CONFIG)]
    assert short == ["k0", "s0", "k1", "k5", "k2", "s2", "k3"]
    assert long == short + ["k4", "k6", "k7"]


def test_hybrid_scores_are_exact_weighted_minmax_against_fixed_references():
    keyword = kw(10.0, 6.0, 2.0, 1.0)  # reference = first 3: min 2, max 10
    semantic = [Hit("k1", "d1", semantic=0.9), Hit("s", "z", semantic=0.7)]  # min 0.7, max 0.9
    scores = {h.passage_id: round(s, 6) for h, s in rank_passages("hybrid", keyword, semantic, CONFIG)}
    assert scores == {
        "k0": 0.5,  # keyword 1.0, no semantic
        "k1": round(0.5 * 0.5 + 0.5 * 1.0, 6),  # keyword (6-2)/8, semantic 1.0
        "k2": 0.0,  # the weakest of the reference
        "s": 0.0,  # the weakest of the semantic set
        "k3": 0.0,  # beyond the reference: unscored tail
    }
    order = [h.passage_id for h, _ in rank_passages("hybrid", keyword, semantic, CONFIG)]
    assert order == ["k1", "k0", "k2", "s", "k3"]


def test_a_complete_short_keyword_list_scales_from_zero():
    """With every word required few passages match; the weakest match is not scored as a non-match."""
    keyword = kw(8.0, 4.0)  # fewer than the reference window: all matches
    scores = {h.passage_id: s for h, s in rank_passages("hybrid", keyword, [], CONFIG)}
    assert scores == {"k0": 0.5, "k1": 0.25}


ZSCORE = RankingConfig(
    reference_window=2, keyword_weight=0.3, semantic_weight=0.7, normalization="zscore", adaptive_slope=0.0
)


def test_zscore_fusion_measures_each_side_in_its_own_standard_deviations():
    """Keyword 3, 1 (mean 2, sd 1); semantic 0.9, 0.7, 0.5 (mean 0.7, sd √(0.08/3)): each score counts
    as its distance above the side's weakest, in that side's standard deviations."""
    keyword = kw(3.0, 1.0)  # k0, k1: a full reference window
    semantic = [Hit("k1", "d1", semantic=0.9), Hit("s", "z", semantic=0.7), Hit("k0", "d0", semantic=0.5)]
    sd = (0.08 / 3) ** 0.5
    scores = {h.passage_id: round(s, 6) for h, s in rank_passages("hybrid", keyword, semantic, ZSCORE)}
    assert scores == {
        "k0": round(0.3 * 2.0 + 0.7 * 0.0, 6),
        "k1": round(0.3 * 0.0 + 0.7 * 0.4 / sd, 6),
        "s": round(0.7 * 0.2 / sd, 6),
    }


def test_zscore_complete_keyword_list_starts_three_deviations_under_its_mean():
    """Two matches only (a shorter list than the window): the weakest still counts as a match."""
    config = RankingConfig(
        reference_window=5, keyword_weight=1.0, semantic_weight=0.0, normalization="zscore"
    )
    scores = {h.passage_id: s for h, s in rank_passages("hybrid", kw(3.0, 1.0), [], config)}
    assert scores == {"k0": 4.0, "k1": 2.0}  # low = 2 - 3·1 = -1


ADAPTIVE = RankingConfig(reference_window=2, keyword_weight=0.3, semantic_weight=0.7)


def test_query_weights_lean_towards_the_side_whose_best_stands_further_out():
    """Keyword 3, 1: top z = 1; semantic 0.9, 0.7, 0.5: top z = 0.2 / √(0.08/3) ≈ 1.2247. The semantic
    best stands out more, so the keyword share drops by 0.06 × 0.2247; the weights still sum to 1."""
    keyword, semantic = query_weights(ADAPTIVE, [3.0, 1.0], [0.9, 0.7, 0.5])
    expected = 0.3 + 0.06 * (1.0 - 0.2 / (0.08 / 3) ** 0.5)
    assert round(keyword, 9) == round(expected, 9)
    assert round(keyword + semantic, 9) == 1.0


def test_query_weights_stay_within_bounds_and_ignore_a_complete_short_list():
    # a semantic set with no spread (top z 0) against a BM25 top far out: the share is capped at 0.7
    many = [100.0] + [1.0] * 99
    wide = RankingConfig(reference_window=100, keyword_weight=0.3, semantic_weight=0.7)
    assert tuple(round(w, 9) for w in query_weights(wide, many, [0.8, 0.8])) == (0.7, 0.3)
    # fewer BM25 matches than the reference window (all words required): the configured weights
    assert query_weights(wide, [3.0, 1.0], [0.9, 0.7, 0.5]) == (0.3, 0.7)


def test_group_by_document_keeps_best_first_and_caps_passages():
    ranked = [
        (Hit("a:0", "a"), 0.9),
        (Hit("b:0", "b"), 0.8),
        (Hit("a:1", "a"), 0.7),
        (Hit("a:2", "a"), 0.6),
        (Hit("a:3", "a"), 0.5),
    ]
    groups = group_by_document(ranked, per_document=3)
    assert [(doc, score, [h.passage_id for h, _ in ps]) for doc, score, ps in groups] == [
        ("a", 0.9, ["a:0", "a:1", "a:2"]),
        ("b", 0.8, ["b:0"]),
    ]
    assert [len(ps) for _, _, ps in group_by_document(ranked, per_document=None)] == [4, 1]


def test_collapse_versions_keeps_each_groups_best_document():
    from searchapp.ranking import collapse_versions

    ranked = [
        (Hit("a:0", "a", group="g"), 0.9),
        (Hit("x:0", "x"), 0.85),  # indexed without a group: a group of its own
        (Hit("b:0", "b", group="g"), 0.8),
        (Hit("c:0", "c", group="c"), 0.7),
    ]
    kept = collapse_versions(group_by_document(ranked))
    assert [doc for doc, _, _ in kept] == ["a", "x", "c"]


def test_a_keyword_match_keeps_its_similarity_below_the_floor_but_only_inside_the_reference():
    """Issue 20: the floor decides what is listed (``semantic_hits``, the related set), not how a listed
    passage ranks: a keyword match among the nearest passages keeps its similarity. Beyond the BM25
    reference it stays in the unscored tail, so a larger window cannot reorder the list."""
    nearest = [Hit("s0", "x", semantic=0.95), Hit("k1", "d1", semantic=0.90), Hit("k4", "d4", semantic=0.89)]
    related = nearest[:1]  # only s0 clears the floor
    keyword = kw(9, 8, 7, 6, 5)  # reference_window 3: k0..k2 scored, k3, k4 the tail
    ranked = rank_passages("hybrid", keyword, related, CONFIG, nearest=nearest)
    by_id = {h.passage_id: (h, s) for h, s in ranked}
    assert by_id["k1"][0].semantic == 0.90  # a keyword match below the floor keeps its similarity
    assert by_id["k4"][0].semantic is None and by_id["k4"][1] == 0.0  # beyond the reference: the tail
    short = [
        h.passage_id for h, _ in rank_passages("hybrid", kw(9, 8, 7, 6), related, CONFIG, nearest=nearest)
    ]
    assert [h.passage_id for h, _ in ranked][: len(short)] == short  # more BM25 hits only append
    assert {h.passage_id for h, _ in ranked} == {"s0", "k0", "k1", "k2", "k3", "k4"}  # no nearest-only one
