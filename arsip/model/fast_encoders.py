"""Torch-free encoders: the variants built by ``arsip.model.variants``, run by onnxruntime or OpenVINO.

Same interface as the torch encoder (``arsip.model.encoder.Encoder``: encode_passages, encode_query with
an LRU cache, count_tokens, identity, dimension, prompts), so the indexer and the search app do not care
which one they hold. Tokenisation gives the ids of the model folder's own ``tokenizer.json``
(``arsip.model.tokenizer``, on sentencepiece) with the settings sentence-transformers applies (special
tokens, truncation to the model's max_seq_length, pad to the longest in the batch); pooling is the model's
mean pooling + L2 normalise.
Importing this module imports neither torch nor transformers: the query server stays lean.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np

from arsip.model.encoder import Encoder
from arsip.model.errors import EncoderNotBuilt, ModelNotInstalled
from arsip.model.files import (
    IDENTITY_FILE,
    ONNX_FILE,
    OPENVINO_FILE,
    PROMPTS_FILE,
    SEQUENCE_FILE,
    VARIANT_FILE,
    WORD_VECTORS,
    is_current,
    variant_dir,
    word_embeddings_path,
)
from arsip.model.identity import ModelIdentity, prompts_for
from arsip.model.tokenizer import ModelTokenizer


class FastEncoder(Encoder):
    """A built variant of the model (ONNX fp32/int8, OpenVINO int8) with the e5 prompts applied."""

    # Pad each batch to a multiple of this many tokens: fewer distinct shapes for runtimes that
    # specialise kernels per shape (padding is masked out of attention and pooling).
    pad_multiple: int | None = None

    def __init__(self, model_path: str, variant: str, batch_size: int = 8, threads: int = 0) -> None:
        folder = Path(model_path)
        if folder.is_dir() and not (folder / IDENTITY_FILE).exists():
            raise ModelNotInstalled(
                f"{model_path} was not built by `arsip model install`, so it has no {variant!r} encoder; "
                "set ARSIP_ENCODER=torch for it."
            )
        if not (folder / IDENTITY_FILE).exists():
            raise ModelNotInstalled(
                f"No model at {model_path}. Build it with `arsip model install` (or set ARSIP_MODEL)."
            )
        built = variant_dir(folder, variant)
        if not (built / VARIANT_FILE).exists():
            raise EncoderNotBuilt(
                f"The {variant!r} encoder is not built in {model_path}. Build it with "
                f"`arsip model install` (or set ARSIP_ENCODER=torch)."
            )
        self.variant = variant
        self.identity = ModelIdentity.saved_in(folder, variant)
        self.prompts = prompts_for(self.identity.name, _saved_prompts(folder))
        self.batch_size = batch_size
        self.max_seq_length = _max_seq_length(folder)

        # tokenizer.json's ids through sentencepiece (arsip.model.tokenizer: tens of MiB where tokenizers'
        # Unigram took ~290). It never truncates or pads: truncation (keep the first max_seq_length - 1
        # ids and the closing </s>, what `truncation=True` does for one sequence) and padding are in _batch.
        self.tokenizer = ModelTokenizer.from_folder(folder)
        pad_id = self.tokenizer.token_to_id("<pad>")
        self.pad_id = 1 if pad_id is None else pad_id
        self._load(built, threads or max(1, os.cpu_count() or 1))
        # One run at a time: the runtime's own thread pool already uses every core.
        self._lock = threading.Lock()
        self._cache_queries()

    def _load(self, folder: Path, threads: int) -> None:
        raise NotImplementedError

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """last_hidden_state (batch, sequence, hidden) for one padded batch."""
        raise NotImplementedError

    def _load_word_embeddings(self, folder: Path) -> None:
        """Open the model's word-embedding table (the graph takes looked-up vectors); rows are read as a
        batch needs them. The OS page cache holds the file once for every process and none of it stays
        in this one (a memory map would: the kernel maps whole large folios around each touched row,
        ~330 MiB of the 366 MiB table resident after 400 queries)."""
        path = word_embeddings_path(folder.parent.parent)
        if not is_current(folder):
            raise EncoderNotBuilt(
                f"The {self.variant!r} encoder in {folder} was built before the word embeddings left the "
                f"graph (or {path.name} is missing). Rebuild it with `arsip model install`."
            )
        self.word_table = open(path, "rb")  # noqa: SIM115 (open for the encoder's life; pread is thread-safe)
        version = np.lib.format.read_magic(self.word_table)
        read_header = np.lib.format.read_array_header_1_0
        if version != (1, 0):
            read_header = np.lib.format.read_array_header_2_0
        shape, fortran_order, dtype = read_header(self.word_table)
        if len(shape) != 2 or fortran_order or dtype != np.dtype("<f4"):
            raise EncoderNotBuilt(f"{path} is not a float32 table; rebuild it with `arsip model install`.")
        self.word_table_shape = shape
        self._rows_offset = self.word_table.tell()
        self._row_bytes = shape[1] * 4

    def _word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """float32 (batch, sequence, hidden): the table's rows for ``ids``, each distinct row read once."""
        unique, inverse = np.unique(ids, return_inverse=True)
        fd, size, start = self.word_table.fileno(), self._row_bytes, self._rows_offset
        data = b"".join([os.pread(fd, size, start + int(i) * size) for i in unique])
        rows = np.frombuffer(data, dtype=np.float32).reshape(len(unique), self.word_table_shape[1])
        return rows[inverse.reshape(ids.shape)]

    def token_ids(self, texts: list[str], prompt: str) -> list[list[int]]:
        """The ids the model sees for each text (prompt, special tokens, truncation; no padding)."""
        return [self._truncate(ids) for ids in self.tokenizer.encode_batch([prompt + t for t in texts])]

    def _truncate(self, ids: list[int]) -> list[int]:
        limit = self.max_seq_length
        return ids if len(ids) <= limit else ids[: limit - 1] + ids[-1:]

    def _batch(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """input_ids and attention_mask, padded to the longest (rounded up to pad_multiple)."""
        rows = [self._truncate(ids) for ids in self.tokenizer.encode_batch(texts)]
        width = max(len(r) for r in rows)
        if self.pad_multiple:
            width = -(-width // self.pad_multiple) * self.pad_multiple
        ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for n, row in enumerate(rows):
            ids[n, : len(row)] = row
            mask[n, : len(row)] = 1
        return ids, mask

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        texts = [prompt + t for t in texts]
        lengths = [len(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: -lengths[i])
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            ids, mask = self._batch([texts[i] for i in chunk])
            with self._lock:
                hidden = self._run(ids, mask)
            out[chunk] = mean_pool_normalise(hidden, mask)
        return out

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(self.prompts["passage"] + text))


class OnnxEncoder(FastEncoder):
    """ONNX export (fp32 or dynamic int8) run by onnxruntime."""

    def _load(self, folder: Path, threads: int) -> None:
        import onnxruntime as ort

        self._load_word_embeddings(folder)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"]
        )

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return self.session.run(None, {WORD_VECTORS: self._word_vectors(ids), "attention_mask": mask})[0]


class OpenVinoEncoder(FastEncoder):
    """OpenVINO IR with NNCF static int8, run by the OpenVINO CPU plugin in float32 precision."""

    pad_multiple = 8

    def _load(self, folder: Path, threads: int) -> None:
        import openvino as ov

        self._load_word_embeddings(folder)
        config = {
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_NUM_THREADS": threads,
            "INFERENCE_PRECISION_HINT": "f32",  # never fp16/bf16: the gate is measured in f32
        }
        self.compiled = ov.Core().compile_model(str(folder / OPENVINO_FILE), "CPU", config)
        self.request = self.compiled.create_infer_request()

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        result = self.request.infer({WORD_VECTORS: self._word_vectors(ids), "attention_mask": mask})
        return result[0].copy()


RUNTIMES: dict[str, type[FastEncoder]] = {
    "onnx": OnnxEncoder,
    "onnx-int8": OnnxEncoder,
    "openvino-int8": OpenVinoEncoder,
}


def mean_pool_normalise(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' mean Pooling then Normalize, in numpy (float32)."""
    weights = mask.astype(np.float32)[:, :, None]
    summed = (hidden * weights).sum(axis=1)
    pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _max_seq_length(folder: Path) -> int:
    config = folder / SEQUENCE_FILE
    if config.exists():
        value = json.loads(config.read_text()).get("max_seq_length")
        if value:
            return int(value)
    return 512


def _saved_prompts(folder: Path) -> dict:
    """The prompts saved with the model (sentence-transformers' config)."""
    config = folder / PROMPTS_FILE
    return json.loads(config.read_text()).get("prompts", {}) if config.exists() else {}
