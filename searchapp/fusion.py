"""Hybrid result fusion done in the application (the server's RRF/linear retrievers are paid features).

The service runs a BM25 search and a kNN search, then fuses their hit lists here, either by rank
(``reciprocal_rank_fusion``: robust, needs no score calibration) or by normalised score
(``weighted_score_fusion``: keeps "how much better" information, tunable with weights).

Which hits are fused, and against which fixed references (so pages and exports share one ordering), is
``searchapp/ranking.py``'s job; ``fusion_window`` remains for the tuning scripts' windows.

Ties are broken deterministically (best single-list rank, then id) so the same request always gives the
same order, which keeps paging stable and tests reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

NORMALIZATIONS = ("minmax", "l2_norm", "l2", "none")
_ROUND = 12  # scores equal to 12 decimals count as ties (float sums differ in the last bits)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]],
    k: float = 60,
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    """Fuse ranked id lists: ``score(d) = Σ_i w_i / (k + rank_i(d))`` with 1-based ranks.

    An id missing from a list contributes nothing there; a repeated id counts at its first (best) rank.
    Sorted by score (desc), then best rank in any list, then id. ``k`` dampens the advantage of the very
    top ranks (60 is the value of the original paper and Elasticsearch's default).
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    weights = _check_weights(weights, len(rankings))
    scores: dict[str, float] = {}
    best: dict[str, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[str] = set()
        for rank, doc_id in enumerate(ranking, start=1):
            if doc_id in seen:
                continue
            seen.add(doc_id)
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
            best[doc_id] = min(best.get(doc_id, rank), rank)
    return _sorted(scores, best)


def weighted_score_fusion(
    scored: Sequence[Sequence[tuple[str, float]]],
    weights: Sequence[float] | None = None,
    normalization: str = "minmax",
) -> list[tuple[str, float]]:
    """Fuse ``(id, score)`` lists by a weighted sum of per-list normalised scores (missing = 0).

    Normalisations (per list, since BM25 and cosine scores live on different scales):

    * ``"minmax"`` (default): ``(s - min) / (max - min)`` into [0, 1]; a list with one hit or all-equal
      scores normalises to 1.0 (a lone hit is that list's best). The list's weakest hit gets 0, the same
      as a missing one: only relative strength within the window counts.
    * ``"l2_norm"`` (alias ``"l2"``): ``s / sqrt(Σ s²)``, the same as Elasticsearch's linear retriever;
      keeps ratios between scores, weakest hit stays above 0; an all-zero list stays 0.
    * ``"none"``: raw scores, for lists already on one scale.

    A repeated id keeps its highest score. Sorted by fused score (desc), then best rank (position in any
    list, 1-based), then id. Raises ValueError for an unknown normalisation, mismatched or negative
    weights, and non-finite scores.
    """
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"normalization must be one of {NORMALIZATIONS}, got {normalization!r}")
    weights = _check_weights(weights, len(scored))
    fused: dict[str, float] = {}
    best: dict[str, int] = {}
    for hits, weight in zip(scored, weights, strict=True):
        raw: dict[str, float] = {}
        for rank, (doc_id, score) in enumerate(hits, start=1):
            score = float(score)
            if not math.isfinite(score):
                raise ValueError(f"score of {doc_id!r} is not finite: {score}")
            raw[doc_id] = max(raw.get(doc_id, score), score)
            best[doc_id] = min(best.get(doc_id, rank), rank)
        for doc_id, value in _normalize(raw, normalization).items():
            fused[doc_id] = fused.get(doc_id, 0.0) + weight * value
    return _sorted(fused, best)


def fusion_window(page: int, size: int, minimum: int = 50, maximum: int = 1000) -> int:
    """How many hits to ask each side for, so page ``page`` (1-based) of ``size`` is fused consistently.

    ``max(page * size, minimum)`` capped at ``maximum`` (keeps kNN ``k`` and BM25 ``size`` bounded; ES
    allows at most 10,000 of either). Out-of-range page/size are clamped to 1.
    """
    page, size = max(1, int(page)), max(1, int(size))
    return max(1, min(max(page * size, minimum), maximum))


def _check_weights(weights: Sequence[float] | None, count: int) -> list[float]:
    if weights is None:
        return [1.0] * count
    if len(weights) != count:
        raise ValueError(f"got {len(weights)} weights for {count} lists")
    out = [float(w) for w in weights]
    if any(not math.isfinite(w) or w < 0 for w in out):
        raise ValueError(f"weights must be finite and >= 0, got {list(weights)}")
    return out


def _normalize(raw: dict[str, float], normalization: str) -> dict[str, float]:
    if not raw or normalization == "none":
        return raw
    values = raw.values()
    if normalization == "minmax":
        low, high = min(values), max(values)
        if high == low:
            return {doc_id: 1.0 for doc_id in raw}
        return {doc_id: (s - low) / (high - low) for doc_id, s in raw.items()}
    norm = math.sqrt(sum(s * s for s in values))
    if norm == 0:
        return {doc_id: 0.0 for doc_id in raw}
    return {doc_id: s / norm for doc_id, s in raw.items()}


def _sorted(scores: dict[str, float], best: dict[str, int]) -> list[tuple[str, float]]:
    order = sorted(scores, key=lambda d: (-round(scores[d], _ROUND), best[d], d))
    return [(doc_id, scores[doc_id]) for doc_id in order]
