"""What "related by meaning" means: a passage whose similarity to the query clears the query's own floor.

A fixed number of nearest passages (the old semantic set: always the 100 nearest) says nothing about
the archive: a nonsense word has 100 nearest passages too. A fixed minimum cosine does not work either:
multilingual-e5 puts every pair of texts between about 0.7 and 0.9, and how high "unrelated" sits
depends on the query (short queries sit higher against everything). So the floor is relative to the
query itself: its similarities to a fixed random sample of the index's passages (the *background*, what
an unrelated passage scores for this query) give a center and a spread (median and median absolute
deviation, which the few related passages in the sample do not move), and a passage is related when it
stands far enough above that center. How far depends on the archive's size: among N unrelated passages
the best stands about ``expected_maximum(N)`` spreads above the center (3.2 for a thousand passages, 4.3
for a hundred thousand), so the floor is that plus a margin: a nonsense query finds nothing in a small
archive or a large one.

The margins were calibrated on the judged dev sets by ``scripts/measure_related_set.py`` (docs/evaluation.md,
"The related set"): the close floor keeps ≥ 95 % of the judged passages of their questions; the loose one
("show more loosely related") keeps more at the cost of more unrelated passages.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FLOORS = ("close", "loose")
"""The floors a search can ask for (URL ``related``): the calibrated one and a lower one."""
FLOOR_MARGIN = {"close": 0.4, "loose": -0.6}
"""Spreads above the expected best unrelated passage a related one must stand (calibration: module
docstring)."""
BACKGROUND_SIZE = 1000
"""Passages in the background sample (a float32 matrix of 1.5 MB for 384 dimensions)."""
MAD_TO_SD = 1.4826
"""The median absolute deviation of normal data times this is its standard deviation."""
MIN_BACKGROUND = 200
"""An index of fewer passages has no floor: too few unrelated passages to say what unrelated scores (its
related passages would be a large part of the sample); its nearest passages count as related, as all of
them did before the floor."""


@dataclass(frozen=True)
class Background:
    """A fixed random sample of the index's passage vectors, rows of unit length."""

    vectors: np.ndarray
    passages: int = 0  # in the whole index (the sample holds at most BACKGROUND_SIZE of them)

    @classmethod
    def of(cls, vectors: Sequence[Sequence[float]], passages: int | None = None) -> Background:
        passages = len(vectors) if passages is None else passages
        if not len(vectors):
            return cls(np.zeros((0, 0), dtype=np.float32), passages)
        matrix = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return cls(matrix / np.where(norms == 0, 1.0, norms), passages)

    def similarities(self, query_vector: Sequence[float]) -> np.ndarray:
        """Cosine similarity of the query to every background passage."""
        query = np.asarray(query_vector, dtype=np.float32)
        norm = float(np.linalg.norm(query))
        return self.vectors @ (query / norm if norm else query)

    def scale(self, query_vector: Sequence[float]) -> tuple[float, float]:
        """Where the query's similarities to unrelated passages sit: their median, and their spread (the
        median absolute deviation scaled to a standard deviation). Robust, so the related passages a
        small archive holds in its sample do not raise the floor that should let them through."""
        similarities = self.similarities(query_vector)
        center = float(np.median(similarities))
        spread = float(np.median(np.abs(similarities - center))) * MAD_TO_SD
        return center, spread

    def floor_z(self, margin: float) -> float:
        """Spreads above the center a related passage must stand in this index."""
        return expected_maximum(max(self.passages, len(self.vectors))) + margin

    def floor(self, query_vector: Sequence[float], margin: float) -> float | None:
        """The minimum cosine similarity of a passage related to this query; None when the sample is too
        small to tell (``MIN_BACKGROUND``)."""
        if len(self.vectors) < MIN_BACKGROUND:
            return None
        center, spread = self.scale(query_vector)
        return center + self.floor_z(margin) * spread


def expected_maximum(n: int) -> float:
    """Where the best of ``n`` normal draws is expected, in standard deviations above their mean (the
    Gumbel approximation of the maximum: ``a - (ln ln n + ln 4π) / 2a`` with ``a = sqrt(2 ln n)``)."""
    if n < 3:
        return 0.0
    a = math.sqrt(2 * math.log(n))
    return a - (math.log(math.log(n)) + math.log(4 * math.pi)) / (2 * a)


def knn_score(cosine: float) -> float:
    """The kNN ``_score`` of a cosine similarity: Elasticsearch scores a ``cosine`` hit ``(1 + cos) / 2``."""
    return (1.0 + cosine) / 2.0


def cosine_of(score: float) -> float:
    """The cosine similarity of a ``cosine`` kNN hit's ``_score`` (``knn_score``'s inverse)."""
    return 2.0 * score - 1.0


def floor_margin(floor: str) -> float:
    """The margin of a named floor (``FLOORS``)."""
    return FLOOR_MARGIN[floor]
