"""The fast encoders see the same tokens and give the same vectors as torch fp32; serving needs no torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from arsip.model.files import is_current, variant_dir, word_embeddings_path
from arsip.model.loader import load_encoder
from arsip.model.variants import BUILDABLE
from arsip.settings import DEFAULT_ENCODER, INTERCHANGEABLE_ENCODERS, REPO_ROOT
from tests.conftest import PRESS_RELEASE, news_records

pytestmark = pytest.mark.model

ODD = [
    "  leading and trailing spaces  ",
    "tabs\tand\nnew lines\n\nin between",
    "",
    "Rp80.000,- per kg (naik 12,5%) — kata Menteri di Jakarta, Senin (7/12/2020).",
    "emoji 🙂 dan huruf ÄÖÜ ß é",
]


@pytest.fixture(scope="module")
def sentences() -> dict[str, list[str]]:
    records = news_records(40)
    passages = [" ".join(r["text"].split()[:180]) for r in records]
    lines = [line for line in PRESS_RELEASE.read_text(encoding="utf-8").splitlines() if len(line) > 80]
    long_text = " ".join(r["text"] for r in records[:5])  # far over 512 tokens: truncation must agree
    return {
        "passages": passages + lines[:10] + [long_text] + ODD,
        "queries": [r["title"] for r in records] + ODD,
    }


def built_variants(base_settings) -> list[str]:
    return [v for v in BUILDABLE if is_current(variant_dir(base_settings.model_path, v))]


def test_the_default_encoder_is_built(base_settings):
    assert is_current(variant_dir(base_settings.model_path, DEFAULT_ENCODER)), (
        "`arsip model install` builds it"
    )


@pytest.mark.parametrize("variant", BUILDABLE)
def test_variant_matches_torch_tokens_and_vectors(base_settings, torch_embedder, sentences, variant):
    if not is_current(variant_dir(base_settings.model_path, variant)):
        pytest.skip(f"{variant} not built (arsip model install --encoders {variant})")
    fast = load_encoder(replace(base_settings, encoder=variant))
    assert fast.identity.encoder == variant
    # the word table is read from the model folder's file, not held by the runtime (issue 13)
    assert os.path.samefile(fast.word_table.name, word_embeddings_path(base_settings.model_path))
    assert fast.identity.fingerprint == torch_embedder.identity.fingerprint
    assert fast.prompts == torch_embedder.prompts == {"query": "query: ", "passage": "passage: "}
    for kind, prompt in (("passages", "passage: "), ("queries", "query: ")):
        texts = sentences[kind]
        expected = torch_embedder.tokenizer(
            [prompt + t for t in texts], truncation=True, max_length=torch_embedder.max_seq_length
        )["input_ids"]
        assert fast.token_ids(texts, prompt) == [list(ids) for ids in expected]
    assert [fast.count_tokens(t) for t in sentences["passages"]] == [
        torch_embedder.count_tokens(t) for t in sentences["passages"]
    ]
    # Vectors of real text (an empty text — the prompt alone, 0.983 for openvino-int8 — is never embedded:
    # the splitter drops empty passages and an empty query is searched by keyword only).
    sentences = {kind: [t for t in texts if t.strip()] for kind, texts in sentences.items()}
    passages = np.sum(
        fast.encode_passages(sentences["passages"]) * torch_embedder.encode_passages(sentences["passages"]),
        axis=1,
    )
    queries = np.array(
        [float(fast.encode_query(q) @ torch_embedder.encode_query(q)) for q in sentences["queries"]]
    )
    cosines = np.concatenate([passages, queries])
    if variant in INTERCHANGEABLE_ENCODERS:  # the reason an index may be read by another variant
        assert cosines.min() >= 0.995, (variant, float(cosines.min()))
    else:
        assert cosines.mean() >= 0.995, (variant, float(cosines.mean()))
    # the query cache hands back the same read-only vector
    first = fast.encode_query(sentences["queries"][0])
    assert fast.encode_query(sentences["queries"][0]) is first and not first.flags.writeable


def test_serving_a_query_does_not_import_torch(base_settings):
    """The search app and one query embedding with the default encoder: torch never loaded."""
    code = (
        "import json, sys\n"
        "from arsip.settings import Settings\n"
        "from searchapp.app import create_app\n"
        "from arsip.model.loader import load_encoder\n"
        "settings = Settings.from_env()\n"
        "create_app(settings)\n"
        "vector = load_encoder(settings).encode_query('harga cabai di pasar')\n"
        "print(json.dumps({'torch': 'torch' in sys.modules, 'st': 'sentence_transformers' in sys.modules,"
        " 'dim': len(vector), 'encoder': settings.encoder, 'tokenizers': 'tokenizers' in sys.modules}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("ARSIP_ENCODER", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # nor tokenizers (its Unigram model is ~280 MiB): arsip.model.tokenizer gives the same ids
    assert report == {
        "torch": False,
        "st": False,
        "dim": 384,
        "encoder": DEFAULT_ENCODER,
        "tokenizers": False,
    }


def test_no_built_graph_holds_the_word_embedding_table(base_settings):
    """The 250k × 384 table (384 MB in float32, 96 MB in int8) is looked up outside every graph: each
    graph file is far smaller than the table (the transformer layers alone are ~85 MB in float32)."""
    config = json.loads((Path(base_settings.model_path) / "config.json").read_text())
    table = word_embeddings_path(base_settings.model_path)
    assert (
        np.load(table, mmap_mode="r").shape == (config["vocab_size"], config["hidden_size"]) == (250_037, 384)
    )
    for variant in built_variants(base_settings):
        folder = variant_dir(base_settings.model_path, variant)
        graph_bytes = sum(p.stat().st_size for p in folder.iterdir() if p.suffix in {".bin", ".onnx"})
        assert 0 < graph_bytes < 100 * 2**20, (variant, graph_bytes)
