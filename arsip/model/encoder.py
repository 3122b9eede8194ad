"""What every encoder shares, and the one type the indexer and the search app hold.

The e5 prompts, a cache of query vectors, ``dimension`` and ``encode_passages`` are the same whichever
runtime computes the vectors (``torch_encoder``, ``fast_encoders``); ``arsip.model.loader.load_encoder``
returns one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from arsip.model.identity import ModelIdentity

QUERY_CACHE_SIZE = 8192  # query vectors kept per process (a repeated query is not embedded again)


class Encoder:
    """Embeds passages and queries with the model's prompts. Subclasses set ``identity``, ``prompts``,
    ``batch_size`` and ``max_seq_length``, implement ``_encode`` (texts with one prompt → float32 (n, dim),
    L2-normalised) and ``count_tokens``, then call ``_cache_queries``."""

    identity: ModelIdentity
    prompts: dict[str, str]
    batch_size: int
    max_seq_length: int
    # float32 (dim,), L2-normalised, read-only: ``_encode_query`` behind an LRU cache (``_cache_queries``)
    encode_query: Callable[[str], np.ndarray]

    def _cache_queries(self) -> None:
        # Repeated queries (paging, facet clicks) skip the model; numpy rows keep 8k entries at ~12 MB.
        self.encode_query = lru_cache(maxsize=QUERY_CACHE_SIZE)(self._encode_query)

    @property
    def dimension(self) -> int:
        return self.identity.dimension

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        """float32 (n, dim), L2-normalised; batches are sorted by length to waste less padding."""
        return self._encode(texts, self.prompts["passage"])

    def _encode_query(self, text: str) -> np.ndarray:
        vector = self._encode([text], self.prompts["query"])[0]
        vector.setflags(write=False)  # shared by the cache: nobody may modify it
        return vector

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text`` as a passage (prompt and special tokens included)."""
        raise NotImplementedError

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        raise NotImplementedError
