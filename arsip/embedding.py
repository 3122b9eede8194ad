"""The sentence-embedding model: load once, embed passages and queries, know its own identity.

The identity (name, dimension, weights fingerprint) is stored in the index's ``_meta`` so that searching
an index with a different model is a clear error instead of silently meaningless vectors.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from arsip.model_build import IDENTITY_FILE, PROMPTS, weights_fingerprint
from arsip.settings import Settings


class ModelNotInstalled(RuntimeError):
    """The default model folder has not been built yet."""


@dataclass(frozen=True)
class ModelIdentity:
    name: str
    dimension: int
    fingerprint: str
    # Which runtime made the vectors (ARSIP_ENCODER); stored in the index _meta next to the weights.
    encoder: str = "torch"

    def as_dict(self) -> dict:
        return asdict(self)


QUERY_CACHE_SIZE = 8192  # query vectors kept per process (a repeated query is not embedded again)


class PromptedEncoder:
    """What every embedder shares: the e5 prompts, a cache of query vectors, one interface for the
    indexer and the search app. Subclasses set ``identity`` and ``prompts`` and implement ``_encode``
    (texts with one prompt → float32 (n, dim), L2-normalised), then call ``_cache_queries``."""

    identity: ModelIdentity
    prompts: dict[str, str]

    def _cache_queries(self) -> None:
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

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        raise NotImplementedError


class Embedder(PromptedEncoder):
    """A sentence-transformers model with the query/passage prompts applied for you."""

    def __init__(self, model_path: str, batch_size: int = 8, threads: int = 0) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ModuleNotFoundError as exc:  # torch is an extra since the int8 encoders (issue 13)
            raise ModelNotInstalled(
                f"ARSIP_ENCODER=torch needs PyTorch and sentence-transformers ({exc.name} is missing): "
                "pip install -e '.[torch]', or use the default encoder (unset ARSIP_ENCODER)."
            ) from None

        hf_logging.disable_progress_bar()  # our own progress bars are the ones users should see

        torch.set_num_threads(threads or max(1, os.cpu_count() or 1))
        path = Path(model_path)
        if path.is_absolute() and not path.exists():
            raise ModelNotInstalled(
                f"No model at {model_path}. Build it with `arsip model install` (or set ARSIP_MODEL)."
            )
        self.model = SentenceTransformer(model_path, device="cpu")
        self.model.eval()
        self.batch_size = batch_size
        self.identity = _identity(self.model, model_path)
        self.prompts = _prompts(self.model, self.identity.name)
        # Every model call runs on this one thread. Torch's OpenMP pool belongs to the calling thread:
        # called from many server threads, each would get its own spinning pool, and those pools fight
        # for the cores (query embedding measured ~2x slower under waitress before this).
        self._model_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="arsip-model")
        self.tokenizer = self.model.tokenizer
        self.max_seq_length = int(getattr(self.model, "max_seq_length", 512) or 512)
        # Repeated queries (paging, facet clicks) skip the model; numpy rows keep 8k entries at ~12 MB.
        self._cache_queries()

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        """The embedder ARSIP_ENCODER selects: this class for torch, else a torch-free built variant."""
        if settings.encoder != "torch":
            from arsip.encoders import make_embedder

            return make_embedder(settings)
        return cls(settings.model_path, batch_size=settings.embed_batch_size, threads=settings.torch_threads)

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # One call at a time (torch already uses every core; concurrent calls only thrash), always on the
        # model thread.
        vectors = self._model_thread.submit(
            self.model.encode,
            list(texts),
            prompt=prompt,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        ).result()
        return np.asarray(vectors, dtype=np.float32)

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text`` as a passage (prompt and special tokens included)."""
        ids = self.tokenizer(
            self.prompts["passage"] + text, add_special_tokens=True, truncation=False, verbose=False
        )
        return len(ids["input_ids"])


def _identity(model, model_path: str) -> ModelIdentity:
    get_dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dimension = int(get_dimension())
    identity_file = Path(model_path) / IDENTITY_FILE
    if identity_file.exists():
        data = json.loads(identity_file.read_text())
        return ModelIdentity(data["name"], int(data["dimension"]), data["fingerprint"])
    local = Path(model_path)
    if local.is_dir():
        return ModelIdentity(model_path, dimension, weights_fingerprint(local))
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().numpy().tobytes())
    return ModelIdentity(model_path, dimension, digest.hexdigest()[:16])


def _prompts(model, name: str) -> dict[str, str]:
    prompts = dict(getattr(model, "prompts", {}) or {})
    if "e5" in name.lower():
        return {
            "query": prompts.get("query", PROMPTS["query"]),
            "passage": prompts.get("passage", PROMPTS["passage"]),
        }
    return {"query": prompts.get("query", ""), "passage": prompts.get("passage", prompts.get("document", ""))}
