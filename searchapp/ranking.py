"""Ranking: the knobs (``RankingConfig``) and the one ordering that pages, totals and exports share.

The order of a result list must not depend on how deep the user pages or whether they export it, or the
tenth document of page 1 could reappear on page 2 and the export would disagree with the screen. So the
hybrid fusion normalises each side against a *fixed reference*, not against however many hits a page
asked for:

* keyword: min-max over the ``reference_window`` best BM25 passages (100);
  a passage below that window's weakest score contributes 0 (as it did when it fell outside the window).
  When fewer passages match than the window holds (all words required: often a handful), the list is
  complete and the scale starts at 0, so the weakest match is not scored as if it had not matched;
* semantic: over the ``semantic_k`` nearest passages (unfiltered, whatever the relevance floor lets in).

Every passage outside both references gets a fused score of 0 and follows the scored ones in BM25
order. Fetching more BM25 hits only appends to that tail, so page N and the export are slices of one
list. ``arsip eval`` measures exactly this ordering (docs/evaluation.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from searchapp.fusion import reciprocal_rank_fusion

PASSAGES_PER_DOCUMENT = 3
"""Passages shown under one document on a result page (the export lists all of them)."""


@dataclass(frozen=True)
class RankingConfig:
    """Ranking knobs; the defaults are the ones docs/evaluation.md measured best."""

    # Weighted fusion of z-scores, keyword 0.3 / semantic 0.7 shifted per query towards the side whose
    # best candidate stands further out of its own list (adaptive_slope): the only setting measured
    # better than either side alone on FacQA and TyDi-id, clean and with the news distractors
    # (docs/evaluation.md, "Ranking in a crowded archive").
    fusion: str = "weighted"
    normalization: str = "zscore"  # how "weighted" puts the two sides on one scale (_scale below)
    adaptive_slope: float = 0.06  # keyword share += slope × (keyword top z − semantic top z)
    adaptive_bounds: tuple[float, float] = (0.1, 0.7)  # the keyword share stays within these
    rrf_k: int = 60  # used when a request asks for fusion=rrf (the weights apply there too)
    keyword_weight: float = 0.3
    semantic_weight: float = 0.7
    num_candidates_factor: float = 2.0
    min_num_candidates: int = 100
    fields: Mapping[str, float] | None = None
    dfs: bool = False  # global term statistics: set when one search spans several indices
    # None = every unquoted word is required (the product's stated semantics, README "Searching").
    # The QA evaluation passes "1" (QUESTION_RANKING): natural-language questions never hold all words.
    minimum_should_match: str | None = None
    keyword_analyzer: str | None = None  # None: the mapping's search analyzer (drops stop words)
    stemming: bool = True  # plain terms also match stemmed on text_stem/title_stem (if ARSIP_STEMMING)
    # The semantic side's scale: the semantic_k nearest passages (unfiltered). 100 and 100: +0.002
    # nDCG@10 on FacQA, ±0 on TyDi over 50 and 50 (docs/evaluation.md).
    semantic_k: int = 100
    # The related set: passages above the query's relevance floor (searchapp.relatedness), at most
    # related_max of them (the header says "at least" when it is reached).
    related_max: int = 1000
    # Hybrid also takes the best partial keyword matches: passages holding some of the words
    # (partial_match, Elasticsearch's minimum_should_match: "1" is any of them) whose BM25 score is at
    # least partial_floor of the best such passage's in the whole archive (docs/evaluation.md, "The
    # related set"), at most partial_max of them (read once as ids, like the related set: no count or
    # facet scores every passage holding a common word). None: every word is required.
    partial_match: str | None = "1"
    partial_floor: float = 0.1
    partial_max: int = 300
    reference_window: int = 100  # BM25 passages the keyword side is normalised against

    @property
    def num_candidates(self) -> int:
        return min(10_000, max(self.min_num_candidates, int(self.semantic_k * self.num_candidates_factor)))


QUESTION_RANKING = RankingConfig(minimum_should_match="1")
"""What the QA evaluation measures: any question word may match (measured best, docs/evaluation.md)."""


@dataclass(frozen=True)
class Hit:
    """One candidate passage: its id, document, and its score on each side (None: not on that side)."""

    passage_id: str
    doc_id: str
    keyword: float | None = None
    semantic: float | None = None
    group: str | None = None  # the near-duplicate group (``dup_group``); None: indexed before groups

    @property
    def group_key(self) -> str:
        """The group a document's versions share; a document without one is a group of its own."""
        return self.group or self.doc_id


def _minmax(values: Sequence[float]) -> tuple[float, float]:
    return (min(values), max(values)) if values else (0.0, 0.0)


ZSCORE_FLOOR_SD = 3.0
"""With z-scores, a side whose list is complete (every match is in it) starts its scale at least this many
standard deviations under its mean, so its weakest match still counts as a match."""

NORMALIZATIONS = ("minmax", "zscore")


def _scale(values: Sequence[float], normalization: str, complete: bool) -> tuple[float, float]:
    """``(low, unit)``: a side's score ``s`` contributes ``(s - low) / unit`` (clipped to ≥ 0).

    * ``minmax``: low = the list's weakest score (0 for a complete keyword list), unit = its range, so
      the best is 1 whatever the query; how far the best stands out is lost.
    * ``zscore``: low = the weakest score, unit = the list's standard deviation, so a passage that stands
      far out of its list (a rare exact match, a near-identical paraphrase) keeps that distance and the
      side that separates its candidates more weighs more for this query (the OpenSearch normalisation
      processor's z-score, shifted so that "not in the list" is 0).
    """
    if not values:
        return 0.0, 0.0
    low, high = _minmax(values)
    if normalization == "zscore":
        mean, sd = _mean_sd(values)
        if sd == 0:
            return low, 0.0
        if complete:
            low = min(low, mean - ZSCORE_FLOOR_SD * sd)
        return low, sd
    if complete:
        low = 0.0
    return low, high - low


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and (population) standard deviation of a non-empty list."""
    mean = sum(values) / len(values)
    return mean, (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5


def _top_z(values: Sequence[float]) -> float:
    """How many standard deviations the best of ``values`` stands above their mean (0: no spread)."""
    if len(values) < 2:
        return 0.0
    mean, sd = _mean_sd(values)
    return (max(values) - mean) / sd if sd > 0 else 0.0


def query_weights(
    config: RankingConfig, keyword_reference: Sequence[float], semantic_scores: Sequence[float]
) -> tuple[float, float]:
    """This query's (keyword, semantic) weights: the configured ones, shifted towards the side whose
    best candidate stands further out of its list.

    A BM25 top hit far above the rest (a rare name, an exact phrase) is a confident keyword match; a
    nearest passage far above the other 99 is a confident semantic one. The keyword share moves by
    ``adaptive_slope`` per standard deviation of difference, within ``adaptive_bounds``; the sum of the
    weights is kept. Only when the keyword reference is full: a short list holds every match (all words
    required), and its spread says nothing about confidence.
    """
    total = config.keyword_weight + config.semantic_weight
    full = len(keyword_reference) >= config.reference_window
    if not config.adaptive_slope or total <= 0 or not full or not semantic_scores:
        return config.keyword_weight, config.semantic_weight
    share = config.keyword_weight / total
    share += config.adaptive_slope * (_top_z(keyword_reference) - _top_z(semantic_scores))
    low, high = config.adaptive_bounds
    share = min(high, max(low, share))
    return total * share, total * (1 - share)


def _normalised(score: float | None, low: float, unit: float) -> float:
    """``score`` on its side's scale (``_scale``); a list of one score (or equal scores) gives 1."""
    if score is None:
        return 0.0
    if unit == 0:
        return 1.0 if score >= low else 0.0
    return max(0.0, (score - low) / unit)


def rank_passages(
    mode: str,
    keyword_hits: Sequence[Hit],
    semantic_hits: Sequence[Hit],
    config: RankingConfig,
    fusion: str | None = None,
    nearest: Sequence[Hit] | None = None,
) -> list[tuple[Hit, float]]:
    """All candidates in final order with their score (module docstring: why the references are fixed).

    ``keyword_hits`` are in BM25 order (the first ``reference_window`` of them define its scale);
    ``semantic_hits`` are the related set in similarity order. ``nearest`` are the nearest passages
    whatever the floor and the filters (None: ``semantic_hits``): they define the semantic side's scale,
    and a keyword match among them keeps its similarity even below the floor (the floor decides what is
    listed, not how a listed passage ranks).
    """
    if mode == "keyword":
        return [(h, float(h.keyword or 0.0)) for h in keyword_hits]
    if mode == "semantic":
        return [(h, float(h.semantic or 0.0)) for h in semantic_hits]
    merged: dict[str, Hit] = {}
    order: dict[str, int] = {}
    similar = {h.passage_id: h.semantic for h in nearest or ()}
    for rank, hit in enumerate(keyword_hits):
        # only inside the reference: a deeper BM25 passage stays in the unscored tail, so reading a
        # larger window (a deeper page, the export) cannot lift it into the scored part
        semantic = similar.get(hit.passage_id) if rank < config.reference_window else None
        merged[hit.passage_id] = (
            Hit(hit.passage_id, hit.doc_id, hit.keyword, semantic, hit.group) if semantic else hit
        )
        order[hit.passage_id] = rank
    for hit in semantic_hits:
        known = merged.get(hit.passage_id)
        keyword = known.keyword if known else None
        merged[hit.passage_id] = Hit(hit.passage_id, hit.doc_id, keyword, hit.semantic, hit.group)
    if (fusion or config.fusion) == "rrf":
        weights = (config.keyword_weight, config.semantic_weight)
        window = keyword_hits[: config.reference_window]
        fused = dict(
            reciprocal_rank_fusion(
                [[h.passage_id for h in window], [h.passage_id for h in semantic_hits]],
                k=config.rrf_k,
                weights=weights,
            )
        )
    else:
        reference = [h.keyword or 0.0 for h in keyword_hits[: config.reference_window]]
        # a reference shorter than its window holds every match (few passages hold all words): the
        # weakest of them still matched, so the scale starts below it
        kw_low, kw_unit = _scale(reference, config.normalization, len(reference) < config.reference_window)
        semantic_scores = [h.semantic or 0.0 for h in (semantic_hits if nearest is None else nearest)]
        sem_low, sem_unit = _scale(semantic_scores, config.normalization, False)
        weights = query_weights(config, reference, semantic_scores)
        fused = {}
        for pid, hit in merged.items():
            in_reference = order.get(pid, config.reference_window) < config.reference_window
            if hit.semantic is None and not in_reference:
                continue  # the BM25 tail: unscored, it keeps BM25 order after the scored passages
            keyword_part = _normalised(hit.keyword, kw_low, kw_unit) if in_reference else 0.0
            fused[pid] = weights[0] * keyword_part + weights[1] * _normalised(hit.semantic, sem_low, sem_unit)

    reference_end = config.reference_window

    def key(pid: str) -> tuple:
        if pid not in fused:
            return (1, order[pid])  # the unscored BM25 tail, in BM25 order
        # Scored passages: by fused score, ties by BM25 rank within the reference, then similarity.
        rank = min(order.get(pid, reference_end), reference_end)
        return (0, -round(fused[pid], 12), rank, -(merged[pid].semantic or 0.0), pid)

    return [(merged[pid], fused.get(pid, 0.0)) for pid in sorted(merged, key=key)]


def group_by_document(
    ranked: Sequence[tuple[Hit, float]], per_document: int | None = PASSAGES_PER_DOCUMENT
) -> list[tuple[str, float, list[tuple[Hit, float]]]]:
    """Documents in the order of their best passage, each with its passages in rank order.

    ``per_document`` caps the passages kept per document (None: all, as the export lists them).
    """
    groups: dict[str, tuple[str, float, list[tuple[Hit, float]]]] = {}
    for hit, score in ranked:
        group = groups.get(hit.doc_id)
        if group is None:
            groups[hit.doc_id] = (hit.doc_id, score, [(hit, score)])
        elif per_document is None or len(group[2]) < per_document:
            group[2].append((hit, score))
    return list(groups.values())


def collapse_versions(
    documents: Sequence[tuple[str, float, list[tuple[Hit, float]]]],
) -> list[tuple[str, float, list[tuple[Hit, float]]]]:
    """Each near-duplicate group's best document, in order: syndicated copies fill one place, not ten."""
    seen: set[str] = set()
    kept = []
    for unit in documents:
        key = unit[2][0][0].group_key
        if key not in seen:
            seen.add(key)
            kept.append(unit)
    return kept
