"""The model folder's layout: what ``arsip model install`` writes and the encoders read.

Both sides name the files from here, so the build and the runtime cannot drift apart. Layout: ``<model>/``
a sentence-transformers folder (Hugging Face BERT + the files below), ``<model>/encoders/<variant>/`` the
fast variants, ``<model>/word_embeddings.npy`` their shared word table.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

IDENTITY_FILE = "arsip_model.json"  # name, dimension, weights fingerprint: written last, marks a built folder
CONFIG_FILE = "config.json"  # Hugging Face's BERT config
WEIGHTS_FILE = "model.safetensors"  # float32, Hugging Face's names
TOKENIZER_JSON = "tokenizer.json"
SENTENCEPIECE_FILE = "sentencepiece.model"  # the serving tokenizer, built from tokenizer.json
SCORES_FILE = "sentencepiece.scores"  # float64 little-endian, one per id: tokenizer.json's exact scores
PROMPTS_FILE = "config_sentence_transformers.json"  # sentence-transformers' config, with the prompts
SEQUENCE_FILE = "sentence_bert_config.json"  # sentence-transformers' config, with max_seq_length
WORD_EMBEDDINGS_FILE = "word_embeddings.npy"  # shared by every variant
ENCODERS_DIR = "encoders"
VARIANT_FILE = "arsip_encoder.json"  # in each variant folder: what was built, from which inputs
ONNX_FILE = "model.onnx"
OPENVINO_FILE = "model.xml"

WORD_VECTORS = "word_vectors"  # the variants' graph input: rows of the word table, looked up by the runtime
# The graph's inputs, recorded in each variant's VARIANT_FILE: a variant built before the word
# embeddings left the graph (input_ids) is not current any more, and `arsip model install` rebuilds it.
GRAPH_INPUTS = (WORD_VECTORS, "attention_mask")


def variant_dir(model_dir: Path, variant: str) -> Path:
    return Path(model_dir) / ENCODERS_DIR / variant


def word_embeddings_path(model_dir: Path) -> Path:
    return Path(model_dir) / WORD_EMBEDDINGS_FILE


def is_current(built: Path) -> bool:
    """Was this variant folder built with today's graph inputs (and is the word table there)?"""
    try:
        meta = json.loads((built / VARIANT_FILE).read_text())
    except (OSError, ValueError):
        return False
    return meta.get("inputs") == list(GRAPH_INPUTS) and word_embeddings_path(built.parent.parent).exists()


def build_id(model_dir: Path, variant: str) -> str:
    """Tells two builds of a variant apart (its record and its files' sizes), e.g. for `arsip eval`,
    which must not reuse an index embedded by an older build of the same variant."""
    folder = variant_dir(model_dir, variant)
    digest = hashlib.sha256((folder / VARIANT_FILE).read_bytes())
    for path in sorted(folder.iterdir()):
        digest.update(f"{path.name}:{path.stat().st_size}".encode())
    return digest.hexdigest()[:8]
