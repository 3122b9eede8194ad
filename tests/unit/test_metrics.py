"""Retrieval metrics on hand-computed examples."""

from __future__ import annotations

import math

import pytest

from arsip_cli.evaluation import mrr_at_k, ndcg_at_k, recall_at_k


def test_ndcg_perfect_and_missing():
    assert ndcg_at_k(["a", "b"], {"a": 1}, 10) == 1.0
    assert ndcg_at_k(["x", "y"], {"a": 1}, 10) == 0.0
    assert ndcg_at_k(["a"], {}, 10) == 0.0


def test_ndcg_relevant_at_rank_two():
    # DCG = 1/log2(3); ideal DCG = 1/log2(2) = 1
    assert ndcg_at_k(["x", "a"], {"a": 1}, 10) == pytest.approx(1 / math.log2(3))


def test_ndcg_graded_two_relevant():
    # ranked: b (gain 1) at rank 1, a (gain 2) at rank 2 -> 1/1 + 2/log2(3)
    # ideal:  a (2) then b (1)                           -> 2/1 + 1/log2(3)
    expected = (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
    assert ndcg_at_k(["b", "a"], {"a": 2, "b": 1}, 10) == pytest.approx(expected)


def test_ndcg_cut_at_k():
    assert ndcg_at_k(["x", "y", "a"], {"a": 1}, 2) == 0.0


def test_recall():
    assert recall_at_k(["a", "x", "b"], {"a": 1, "b": 1, "c": 1}, 3) == pytest.approx(2 / 3)
    assert recall_at_k(["a", "x", "b"], {"a": 1, "b": 1, "c": 1}, 1) == pytest.approx(1 / 3)
    assert recall_at_k(["a"], {"a": 0}, 10) == 0.0


def test_mrr():
    assert mrr_at_k(["x", "y", "a"], {"a": 1}, 10) == pytest.approx(1 / 3)
    assert mrr_at_k(["x", "y", "a"], {"a": 1}, 2) == 0.0
    assert mrr_at_k(["a", "b"], {"a": 1, "b": 1}, 10) == 1.0
