"""Indonesian stemming (PySastrawi) and its setting."""

from __future__ import annotations

import pytest

from arsip.settings import Settings
from arsip.stemming import check_stemmer, stem


def test_derived_forms_share_their_root() -> None:
    assert stem("menyatakan") == stem("pernyataan") == "nyata"
    assert stem("Kesehatan") == "sehat"


def test_stemming_lowercases_and_drops_punctuation() -> None:
    assert stem("Banjir, di Jakarta!") == "banjir di jakarta"
    assert stem("") == ""


def test_the_setting_accepts_known_stemmers_only(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_stemmer(" Sastrawi ") == "sastrawi"
    monkeypatch.setenv("ARSIP_STEMMING", "none")
    assert Settings.from_env().stemming == "none"
    monkeypatch.setenv("ARSIP_STEMMING", "porter")
    with pytest.raises(ValueError, match="ARSIP_STEMMING must be one of sastrawi, none"):
        Settings.from_env()
