"""The word embeddings looked up outside the graph (a tiny random BERT, no model files, no server).

A graph that takes the looked-up word vectors must compute exactly what the graph with the table inside
computes from token ids, keep onnxruntime's fusions, and the embedders must read the rows from
``word_embeddings.npy`` as batches need them; a variant built before that change is rebuilt, never run.
"""

from __future__ import annotations

import collections
import json

import numpy as np
import pytest

from arsip.model.files import (
    GRAPH_INPUTS,
    VARIANT_FILE,
    WORD_VECTORS,
    build_id,
    is_current,
    variant_dir,
    word_embeddings_path,
)
from arsip.model.graph import build_encoder_graph
from arsip.model.variants import build_variant, optimize_onnx

HIDDEN, LAYERS, VOCAB, POSITIONS, INTERMEDIATE = 32, 2, 50, 40, 64
CONFIG = {
    "hidden_size": HIDDEN,
    "num_attention_heads": 4,
    "layer_norm_eps": 1e-12,
    "num_hidden_layers": LAYERS,
    "intermediate_size": INTERMEDIATE,
}


@pytest.fixture(scope="module")
def state() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(13)

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.2).astype(np.float32)

    weights = {
        "embeddings.word_embeddings.weight": w(VOCAB, HIDDEN),
        "embeddings.position_embeddings.weight": w(POSITIONS, HIDDEN),
        "embeddings.token_type_embeddings.weight": w(2, HIDDEN),
        "embeddings.LayerNorm.weight": 1 + w(HIDDEN),
        "embeddings.LayerNorm.bias": w(HIDDEN),
    }
    for i in range(LAYERS):
        p = f"encoder.layer.{i}"
        for name in (
            "attention.self.query",
            "attention.self.key",
            "attention.self.value",
            "attention.output.dense",
        ):
            weights[f"{p}.{name}.weight"], weights[f"{p}.{name}.bias"] = w(HIDDEN, HIDDEN), w(HIDDEN)
        weights[f"{p}.intermediate.dense.weight"] = w(INTERMEDIATE, HIDDEN)
        weights[f"{p}.intermediate.dense.bias"] = w(INTERMEDIATE)
        weights[f"{p}.output.dense.weight"], weights[f"{p}.output.dense.bias"] = (
            w(HIDDEN, INTERMEDIATE),
            w(HIDDEN),
        )
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            weights[f"{p}.{name}.weight"], weights[f"{p}.{name}.bias"] = 1 + w(HIDDEN), w(HIDDEN)
    return weights


IDS = np.array([[0, 7, 19, 33, 49, 2], [0, 5, 2, 1, 1, 1]], dtype=np.int64)  # second row padded with 1
MASK = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]], dtype=np.int64)


def _session(model):
    import onnxruntime as ort

    return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])


def test_word_vector_graph_computes_what_the_token_id_graph_computes(state):
    by_ids = build_encoder_graph(CONFIG, state, pooled=True)
    by_vectors = build_encoder_graph(CONFIG, state, pooled=True, embeddings_input=True)
    assert [i.name for i in by_vectors.graph.input] == [WORD_VECTORS, "attention_mask"] == list(GRAPH_INPUTS)
    assert "word_embeddings" not in {t.name for t in by_vectors.graph.initializer}
    expected = _session(by_ids).run(None, {"input_ids": IDS, "attention_mask": MASK})
    vectors = state["embeddings.word_embeddings.weight"][IDS]
    got = _session(by_vectors).run(None, {WORD_VECTORS: vectors, "attention_mask": MASK})
    for mine, theirs in zip(got, expected, strict=True):  # sentence_embedding, last_hidden_state
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-6)


def test_onnxruntime_fuses_the_word_vector_graph_as_it_fuses_the_token_id_graph(state, tmp_path):
    import onnx

    counts = {}
    for embeddings_input in (False, True):
        raw = tmp_path / f"raw_{embeddings_input}.onnx"
        onnx.save(build_encoder_graph(CONFIG, state, pooled=False, embeddings_input=embeddings_input), raw)
        fused = optimize_onnx(raw, tmp_path / f"fused_{embeddings_input}.onnx", CONFIG)
        counts[embeddings_input] = collections.Counter(n.op_type for n in onnx.load(fused).graph.node)
    fusions = {"Attention": LAYERS, "SkipLayerNormalization": 2 * LAYERS, "BiasGelu": LAYERS}
    for embeddings_input, ops in counts.items():
        assert {op: ops[op] for op in fusions} == fusions, (embeddings_input, ops)
        assert ops["Softmax"] == ops["Erf"] == 0
    assert counts[False] - counts[True] == collections.Counter({"Gather": 1})  # only the lookup left


@pytest.fixture()
def model_dir(tmp_path, state):
    from safetensors.numpy import save_file

    save_file(state, str(tmp_path / "model.safetensors"))
    (tmp_path / "config.json").write_text(json.dumps(CONFIG))
    (tmp_path / "arsip_model.json").write_text(json.dumps({"name": "tiny", "dimension": HIDDEN}))
    return tmp_path


def _loaded(model_dir, variant: str = "onnx"):
    """The runtime part of an embedder (graph + word table) without its tokenizer: the ids are given."""
    from arsip.model.fast_encoders import OnnxEncoder

    embedder = OnnxEncoder.__new__(OnnxEncoder)
    embedder.variant = variant
    embedder._load(variant_dir(model_dir, variant), 1)
    return embedder


def test_the_build_writes_the_table_once_and_the_embedder_reads_its_rows_from_the_file(model_dir, state):
    from arsip.model.fast_encoders import mean_pool_normalise

    built = build_variant(model_dir, "onnx")
    assert json.loads((built / VARIANT_FILE).read_text())["inputs"] == [WORD_VECTORS, "attention_mask"]
    table = np.load(word_embeddings_path(model_dir))
    assert table.dtype == np.float32 and np.array_equal(table, state["embeddings.word_embeddings.weight"])
    embedder = _loaded(model_dir)
    assert embedder.word_table_shape == (VOCAB, HIDDEN)
    vectors = embedder._word_vectors(IDS)
    assert vectors.dtype == np.float32 and vectors.shape == (2, 6, HIDDEN)
    assert np.array_equal(vectors, table[IDS])  # repeated ids (the padding) included
    assert np.array_equal(embedder._word_vectors(np.array([[VOCAB - 1]])), table[[[VOCAB - 1]]])
    # the fused runtime graph fed the gathered rows: the token-id reference graph's sentence vectors
    reference = _session(build_encoder_graph(CONFIG, state, pooled=True))
    expected = reference.run(["sentence_embedding"], {"input_ids": IDS, "attention_mask": MASK})[0]
    got = mean_pool_normalise(embedder._run(IDS, MASK), MASK)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5)


def test_a_variant_built_before_the_lookup_left_the_graph_is_refused_and_rebuilt(model_dir):
    from arsip.model.errors import EncoderNotBuilt

    built = build_variant(model_dir, "onnx")
    current = build_id(model_dir, "onnx")
    meta = json.loads((built / VARIANT_FILE).read_text())
    del meta["inputs"]  # what every variant folder built before this change holds
    (built / VARIANT_FILE).write_text(json.dumps(meta))
    assert not is_current(variant_dir(model_dir, "onnx"))
    assert build_id(model_dir, "onnx") != current  # so `arsip eval` does not reuse its eval index
    with pytest.raises(
        EncoderNotBuilt, match="built before the word embeddings left the graph.*arsip model install"
    ):
        _loaded(model_dir)
    build_variant(model_dir, "onnx")  # what `arsip model install` does: the stale variant is rebuilt
    assert is_current(variant_dir(model_dir, "onnx")) and _loaded(model_dir).word_table_shape == (
        VOCAB,
        HIDDEN,
    )
    assert build_id(model_dir, "onnx") == current  # the build is deterministic
    word_embeddings_path(model_dir).unlink()  # a table lost from the folder: refused, named
    assert not is_current(variant_dir(model_dir, "onnx"))
    with pytest.raises(EncoderNotBuilt, match="word_embeddings.npy is missing"):
        _loaded(model_dir)


def test_the_table_is_read_from_the_file_not_held_in_memory(model_dir):
    """Rows come from the file at each batch (the page cache holds it once for every process): a row
    rewritten on disk after loading is what the next batch gets."""
    build_variant(model_dir, "onnx")
    embedder = _loaded(model_dir)
    first = embedder._word_vectors(IDS[:1, :3])
    table = np.load(word_embeddings_path(model_dir), mmap_mode="r+")
    table[7] = 0.5  # row 7 is the second token of IDS[0]
    table.flush()
    del table
    again = embedder._word_vectors(IDS[:1, :3])
    assert np.array_equal(again[0, [0, 2]], first[0, [0, 2]])
    assert np.all(again[0, 1] == 0.5) and not np.all(first[0, 1] == 0.5)
