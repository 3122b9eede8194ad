"""Which model made a vector: name, dimension, weights fingerprint, runtime; and the prompts it expects.

The identity is stored in the index's ``_meta`` so that searching an index with a different model is a
clear error instead of silently meaningless vectors. Every encoder takes its prompts from ``prompts_for``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from arsip.model.files import IDENTITY_FILE

PROMPTS = {"query": "query: ", "passage": "passage: "}  # e5's


@dataclass(frozen=True)
class ModelIdentity:
    name: str
    dimension: int
    fingerprint: str
    # Which runtime made the vectors (ARSIP_ENCODER); stored in the index _meta next to the weights.
    encoder: str = "torch"

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def saved_in(cls, folder: Path, encoder: str = "torch") -> ModelIdentity:
        """The identity `arsip model install` recorded in ``folder``, for vectors made by ``encoder``."""
        data = json.loads((Path(folder) / IDENTITY_FILE).read_text())
        return cls(data["name"], int(data["dimension"]), data["fingerprint"], encoder)


def prompts_for(name: str, saved: dict | None) -> dict[str, str]:
    """The query and passage prompts: those saved with the model, e5's by default for an e5 model."""
    saved = dict(saved or {})
    if "e5" in name.lower():
        return {
            "query": saved.get("query", PROMPTS["query"]),
            "passage": saved.get("passage", PROMPTS["passage"]),
        }
    return {"query": saved.get("query", ""), "passage": saved.get("passage", saved.get("document", ""))}


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
