"""The torch encoder (``ARSIP_ENCODER=torch``): the model folder run by sentence-transformers in float32.

The reference the fast variants are measured against, and the runtime for a custom ``ARSIP_MODEL``
(any sentence-transformers model, local or by name). torch is the ``torch`` extra, imported only here.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from arsip.model.encoder import Encoder
from arsip.model.errors import ModelNotInstalled
from arsip.model.files import IDENTITY_FILE
from arsip.model.identity import ModelIdentity, prompts_for, weights_fingerprint


class TorchEncoder(Encoder):
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
        self.prompts = prompts_for(self.identity.name, getattr(self.model, "prompts", None))
        # Every model call runs on this one thread. Torch's OpenMP pool belongs to the calling thread:
        # called from many server threads, each would get its own spinning pool, and those pools fight
        # for the cores (query embedding measured ~2x slower under waitress before this).
        self._model_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="arsip-model")
        self.tokenizer = self.model.tokenizer
        self.max_seq_length = int(getattr(self.model, "max_seq_length", 512) or 512)
        self._cache_queries()

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
        ids = self.tokenizer(
            self.prompts["passage"] + text, add_special_tokens=True, truncation=False, verbose=False
        )
        return len(ids["input_ids"])


def _identity(model, model_path: str) -> ModelIdentity:
    """The recorded identity of a folder `arsip model install` built, else one computed from the weights."""
    local = Path(model_path)
    if (local / IDENTITY_FILE).exists():
        return ModelIdentity.saved_in(local)
    get_dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dimension = int(get_dimension())
    if local.is_dir():
        return ModelIdentity(model_path, dimension, weights_fingerprint(local))
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().numpy().tobytes())
    return ModelIdentity(model_path, dimension, digest.hexdigest()[:16])
