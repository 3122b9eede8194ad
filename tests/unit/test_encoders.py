"""Encoder selection, the index's encoder check and the numpy pooling (no model, no server)."""

from __future__ import annotations

import numpy as np
import pytest

from arsip.index_admin import ModelMismatch, check_encoder, encoders_compatible, load_index_body
from arsip.model.fast_encoders import mean_pool_normalise
from arsip.model.identity import ModelIdentity
from arsip.model.variants import BUILDABLE, calibration_texts, encoders_to_build
from arsip.settings import DEFAULT_ENCODER, ENCODERS, INTERCHANGEABLE_ENCODERS, Settings


def test_encoder_setting_defaults_and_rejects_unknown_names(monkeypatch):
    monkeypatch.delenv("ARSIP_ENCODER", raising=False)
    assert Settings.from_env().encoder == DEFAULT_ENCODER == "openvino-int8"
    monkeypatch.setenv("ARSIP_ENCODER", "Torch")
    assert Settings.from_env().encoder == "torch"
    monkeypatch.setenv("ARSIP_ENCODER", "fp16")
    with pytest.raises(
        ValueError, match="ARSIP_ENCODER must be one of torch, onnx, onnx-int8, openvino-int8"
    ):
        Settings.from_env()


def test_every_non_torch_encoder_is_buildable():
    assert set(ENCODERS) - {"torch"} == set(BUILDABLE)


def test_install_builds_the_requested_variants_and_never_torch():
    settings = Settings(encoder="openvino-int8")
    assert encoders_to_build(settings) == ["openvino-int8"]
    assert encoders_to_build(Settings(encoder="torch")) == []
    assert encoders_to_build(settings, "torch, onnx,onnx-int8") == ["onnx", "onnx-int8"]
    with pytest.raises(ValueError, match="unknown encoder variant"):
        encoders_to_build(settings, "openvino-fp16")


def test_mean_pooling_ignores_padding_and_normalises():
    hidden = np.zeros((2, 3, 2), dtype=np.float32)
    hidden[0] = [[3, 0], [1, 0], [100, 100]]  # last position is padding
    hidden[1] = [[0, 2], [0, 2], [0, 2]]
    mask = np.array([[1, 1, 0], [1, 1, 1]])
    pooled = mean_pool_normalise(hidden, mask)
    assert pooled.dtype == np.float32
    assert np.allclose(pooled, [[1.0, 0.0], [0.0, 1.0]])


def test_index_meta_records_the_encoder_next_to_the_weights():
    identity = ModelIdentity("m", 384, "abc", "openvino-int8")
    assert load_index_body(identity)["mappings"]["_meta"]["model"] == {
        "name": "m",
        "dimension": 384,
        "fingerprint": "abc",
        "encoder": "openvino-int8",
    }
    assert ModelIdentity("m", 384, "abc").encoder == "torch"  # what older indices were embedded with


@pytest.mark.parametrize("stored", INTERCHANGEABLE_ENCODERS)
@pytest.mark.parametrize("loaded", INTERCHANGEABLE_ENCODERS)
def test_interchangeable_encoders_read_each_others_indices(stored, loaded):
    assert encoders_compatible(stored, loaded)
    check_encoder("a", stored, loaded)


def test_a_lossier_encoder_only_reads_its_own_index():
    assert "onnx-int8" not in INTERCHANGEABLE_ENCODERS
    check_encoder("a", "onnx-int8", "onnx-int8")
    with pytest.raises(ModelMismatch, match="embedded with the 'onnx-int8' encoder.*ARSIP_ENCODER=onnx-int8"):
        check_encoder("a", "onnx-int8", "openvino-int8")
    with pytest.raises(ModelMismatch, match="'torch' encoder"):
        check_encoder("a", "torch", "onnx-int8")


def test_calibration_inputs_come_from_the_repo_and_are_fixed():
    texts = calibration_texts()
    assert texts == calibration_texts()
    assert sum(t.startswith("passage: ") for t in texts) == 240
    assert sum(t.startswith("query: ") for t in texts) == 160


def test_missing_variant_or_foreign_model_folder_is_a_clear_error(tmp_path):
    from arsip.model.errors import EncoderNotBuilt, ModelNotInstalled
    from arsip.model.fast_encoders import OpenVinoEncoder

    with pytest.raises(ModelNotInstalled, match="not built by `arsip model install`.*ARSIP_ENCODER=torch"):
        OpenVinoEncoder(str(tmp_path), "openvino-int8")
    (tmp_path / "arsip_model.json").write_text('{"name": "m", "dimension": 384, "fingerprint": "f"}')
    with pytest.raises(EncoderNotBuilt, match="'openvino-int8' encoder is not built.*arsip model install"):
        OpenVinoEncoder(str(tmp_path), "openvino-int8")
    with pytest.raises(ModelNotInstalled, match="No model at"):
        OpenVinoEncoder(str(tmp_path / "absent"), "openvino-int8")
