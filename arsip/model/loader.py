"""The one way to get an encoder: ``load_encoder(settings)``, the runtime ``ARSIP_ENCODER`` selects."""

from __future__ import annotations

from arsip.model.encoder import Encoder
from arsip.model.fast_encoders import RUNTIMES
from arsip.model.torch_encoder import TorchEncoder
from arsip.settings import ENCODERS, Settings


def load_encoder(settings: Settings) -> Encoder:
    """torch (sentence-transformers, the ``torch`` extra) or a built variant (onnxruntime, OpenVINO).

    Raises ``ModelNotInstalled`` (``EncoderNotBuilt`` for a missing variant) with the command that fixes it.
    """
    if settings.encoder not in ENCODERS:
        raise ValueError(f"ARSIP_ENCODER must be one of {', '.join(ENCODERS)}, got {settings.encoder!r}")
    if settings.encoder == "torch":
        return TorchEncoder(
            settings.model_path, batch_size=settings.embed_batch_size, threads=settings.torch_threads
        )
    return RUNTIMES[settings.encoder](
        settings.model_path,
        settings.encoder,
        batch_size=settings.embed_batch_size,
        threads=settings.torch_threads,
    )
