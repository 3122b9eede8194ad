"""Build the fast encoder variants (ONNX / int8) from the model folder's own float32 weights, offline.

Why: torch fp32 is the ceiling of indexing and carries ~0.8 GiB into the query server. The variants are
written next to the weights (``<model>/encoders/<variant>/``) by ``arsip model install``; the runtime
side is ``arsip.model.fast_encoders``. Every step is deterministic (no calibration randomness; dynamic int8
quantization computes activation scales at run time), so two installs give the same files.

Every variant takes the looked-up word vectors, not token ids (``graph`` with
``embeddings_input=True``): the 250k × 384 word-embedding table (384 MiB in float32) is written once,
as ``<model>/word_embeddings.npy``, and the runtime reads the rows each batch needs from it (the OS
page cache holds the file once, shared by every process). Inside the graph the runtime would hold the
whole table in its own memory (OpenVINO expands it to float32 even from int8).

Variants:
  * ``onnx``      — the BERT graph written from the weights by ``arsip.model.graph`` (fp32, no torch),
                    attention fused by onnxruntime's transformer optimizer. Same numbers as torch.
  * ``onnx-int8`` — the fused graph with MatMul weights quantized to int8 per output channel
                    (``quantize_dynamic``, per_channel, no reduce_range: the VNNI units take full int8),
                    activations quantized dynamically per batch. Sensitive MatMuls can be kept fp32.
  * ``openvino-int8`` — the exported graph converted to OpenVINO IR and quantized by NNCF post-training
                    static quantization (``ModelType.TRANSFORMER``: SmoothQuant, fast bias correction,
                    int8 MatMuls incl. attention; LayerNorm/Softmax/GELU stay float32), calibrated on the
                    repo's own news sample (samples/archive/news: passages and titles as query-length
                    strings), so the build needs no data outside the repository. Runs in float32
                    precision (INFERENCE_PRECISION_HINT f32), never fp16/bf16.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from arsip.model.files import (
    CONFIG_FILE,
    GRAPH_INPUTS,
    IDENTITY_FILE,
    ONNX_FILE,
    OPENVINO_FILE,
    TOKENIZER_JSON,
    VARIANT_FILE,
    WEIGHTS_FILE,
    is_current,
    variant_dir,
    word_embeddings_path,
)
from arsip.model.graph import build_encoder_graph
from arsip.model.identity import PROMPTS
from arsip.settings import REPO_ROOT, Settings

BUILDABLE = ("onnx", "onnx-int8", "openvino-int8")
CALIBRATION_SAMPLE = REPO_ROOT / "samples" / "archive" / "news" / "news_clickid_sample.jsonl"
CALIBRATION_BATCH = 4
# MatMuls kept in float32 in the int8 variant (names in the fused graph); chosen by scripts/encoder_gate.py.
INT8_FP32_NODES: tuple[str, ...] = ()


def write_word_embeddings(model_dir: Path) -> Path:
    """``<model>/word_embeddings.npy``: the float32 word-embedding table, plain numpy format (idempotent)."""
    import numpy as np
    from safetensors import safe_open

    target = word_embeddings_path(model_dir)
    if target.exists():
        return target
    with safe_open(str(Path(model_dir) / WEIGHTS_FILE), framework="numpy") as weights:
        table = weights.get_tensor("embeddings.word_embeddings.weight").astype(np.float32, copy=False)
    partial = target.with_suffix(".partial.npy")
    np.save(partial, table)
    partial.rename(target)  # never a half-written table under the real name
    return target


def export_onnx(model_dir: Path, target: Path) -> Path:
    """The model's transformer as ONNX: (word_vectors, attention_mask) → last_hidden_state, dynamic shapes.

    Written from the folder's float32 weights by ``arsip.model.graph`` (standard operators, the pattern
    torch.onnx emits), so building an encoder needs neither torch nor transformers."""
    import onnx
    from safetensors.numpy import load_file

    config = json.loads((Path(model_dir) / CONFIG_FILE).read_text())
    state = load_file(str(Path(model_dir) / WEIGHTS_FILE))
    onnx.save(build_encoder_graph(config, state, pooled=False, embeddings_input=True), str(target))
    return target


def optimize_onnx(source: Path, target: Path, config: dict) -> Path:
    """Fuse attention / LayerNorm / GELU with onnxruntime's BERT optimizer (graph level, fp32)."""
    from onnxruntime.transformers.optimizer import optimize_model

    optimized = optimize_model(
        str(source),
        model_type="bert",
        num_heads=config["num_attention_heads"],
        hidden_size=config["hidden_size"],
        opt_level=1,
        use_gpu=False,
    )
    optimized.save_model_to_file(str(target))
    return target


def quantize_int8(source: Path, target: Path, keep_fp32: tuple[str, ...] = INT8_FP32_NODES) -> Path:
    """Dynamic int8: MatMul weights per channel (full int8 range for VNNI), activations per batch."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(source),
        str(target),
        op_types_to_quantize=["MatMul"],
        per_channel=True,
        reduce_range=False,
        weight_type=QuantType.QInt8,
        nodes_to_exclude=list(keep_fp32),
        # Outputs of the fused com.microsoft ops have no inferred type; they are all float32 here.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    return target


def calibration_texts(sample: Path = CALIBRATION_SAMPLE, passages: int = 240, titles: int = 160) -> list[str]:
    """Prompted calibration inputs in a fixed order: news passages (≤ 256 tokens) and titles as queries."""
    records = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines() if line.strip()]
    chunks: list[str] = []
    for record in records:
        words = record["text"].split()
        # a long (~180 words) and a short (~45 words) passage per article, like the indexer's passages
        for size in (180, 45):
            if len(words) >= size:
                chunks.append(" ".join(words[:size]))
                words = words[size:]
    texts = [PROMPTS["passage"] + t for t in chunks[:passages]]
    texts += [PROMPTS["query"] + r["title"] for r in records if r.get("title")][:titles]
    return texts


def calibration_batches(model_dir: Path, max_length: int = 512) -> list[dict]:
    """The calibration texts as the graph's inputs: looked-up word vectors and the attention mask."""
    import numpy as np
    from tokenizers import Tokenizer

    table = np.load(write_word_embeddings(model_dir), mmap_mode="r")
    tokenizer = Tokenizer.from_file(str(Path(model_dir) / TOKENIZER_JSON))
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("<pad>") or 1, pad_token="<pad>")
    texts = calibration_texts()
    batches = []
    for start in range(0, len(texts), CALIBRATION_BATCH):
        encodings = tokenizer.encode_batch(texts[start : start + CALIBRATION_BATCH])
        batches.append(
            {
                "word_vectors": np.take(table, np.array([e.ids for e in encodings]), axis=0),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            }
        )
    return batches


def quantize_openvino(source: Path, target: Path, model_dir: Path) -> Path:
    """OpenVINO IR + NNCF static int8 (transformer scheme), calibrated on the repo's news sample."""
    import nncf
    import openvino as ov

    model = ov.convert_model(str(source))
    items = calibration_batches(model_dir)
    quantized = nncf.quantize(
        model,
        nncf.Dataset(items),
        model_type=nncf.ModelType.TRANSFORMER,
        preset=nncf.QuantizationPreset.MIXED,
        subset_size=len(items),
    )
    ov.save_model(quantized, str(target), compress_to_fp16=False)
    return target


def build_variant(model_dir: Path, variant: str, force: bool = False) -> Path:
    """Write ``<model_dir>/encoders/<variant>/`` (idempotent unless ``force``; a variant built with
    another graph input is rebuilt)."""
    if variant not in BUILDABLE:
        raise ValueError(f"unknown encoder variant {variant!r}; buildable: {', '.join(BUILDABLE)}")
    model_dir = Path(model_dir)
    out = variant_dir(model_dir, variant)
    if is_current(out) and not force:
        return out
    config = json.loads((model_dir / CONFIG_FILE).read_text())
    write_word_embeddings(model_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        work = Path(tmp)
        raw = export_onnx(model_dir, work / "raw.onnx")
        staged = work / "out"
        staged.mkdir()
        if variant == "openvino-int8":
            quantize_openvino(raw, staged / OPENVINO_FILE, model_dir)
            details: dict = {
                "runtime": "openvino",
                "precision": "int8 (NNCF static, transformer scheme; norms/softmax/GELU float32)",
                "calibration": f"{CALIBRATION_SAMPLE.name}: {len(calibration_texts())} texts",
            }
        elif variant == "onnx":
            fused = optimize_onnx(raw, work / "fused.onnx", config)
            shutil.move(str(fused), staged / ONNX_FILE)
            details = {"runtime": "onnxruntime", "precision": "float32"}
        else:
            fused = optimize_onnx(raw, work / "fused.onnx", config)
            quantize_int8(fused, staged / ONNX_FILE)
            details = {
                "runtime": "onnxruntime",
                "precision": "int8 (dynamic, MatMul weights per channel)",
                "fp32_nodes": list(INT8_FP32_NODES),
            }
        identity = json.loads((model_dir / IDENTITY_FILE).read_text())
        meta = {"variant": variant, "model": identity, "inputs": list(GRAPH_INPUTS), **details}
        (staged / VARIANT_FILE).write_text(json.dumps(meta, indent=2))
        if out.exists():
            shutil.rmtree(out)
        staged.rename(out)
    return out


def encoders_to_build(settings: Settings, requested: str | None = None) -> list[str]:
    """The variants `arsip model install` writes: those asked for, else the configured one (not torch)."""
    names = [n.strip() for n in requested.split(",") if n.strip()] if requested else [settings.encoder]
    unknown = [n for n in names if n != "torch" and n not in BUILDABLE]
    if unknown:
        raise ValueError(
            f"unknown encoder variant(s) {', '.join(unknown)}; buildable: {', '.join(BUILDABLE)}"
        )
    return [n for n in names if n != "torch"]


def install_encoders(model_dir: Path, variants: list[str], force: bool = False) -> list[Path]:
    """Build each variant that is missing (all of them with ``force``)."""
    return [build_variant(model_dir, variant, force=force) for variant in variants]
