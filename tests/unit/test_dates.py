"""Dates: parsing Indonesian/English forms, and telling a dateline from a date inside a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.dates import parse_date_value, parse_indonesian_date
from indexer.metadata import extract_metadata

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09 Desember 2020", "2020-12-09"),
        ("9 Des 2020", "2020-12-09"),
        ("9 Des. 2020", "2020-12-09"),
        ("3 Nopember 2020", "2020-11-03"),
        ("17 Agustus 1945", "1945-08-17"),
        ("9 MEI 2020", "2020-05-09"),
        ("2020-12-09", "2020-12-09"),
        ("2020-12-09T10:00:00+07:00", "2020-12-09"),
        ("09/12/2020", "2020-12-09"),  # day first, as Indonesian writes it
        ("9-12-2020", "2020-12-09"),
        ("December 9, 2020", "2020-12-09"),
        ("Sept. 3, 2019", "2019-09-03"),
        ("Rabu, 9 Desember 2020 14:00 WIB", "2020-12-09"),
    ],
)
def test_parse_indonesian_date_forms(text: str, expected: str) -> None:
    assert parse_indonesian_date(text) == expected


@pytest.mark.parametrize("text", ["31 Februari 2020", "12/31/2020", "tahun 2020", "", "kemarin sore"])
def test_parse_indonesian_date_rejects_impossible_or_missing_dates(text: str) -> None:
    assert parse_indonesian_date(text) is None


def test_parse_date_value_accepts_timestamps_and_rejects_junk() -> None:
    assert parse_date_value(1568073600) == "2019-09-10"  # unix seconds
    assert parse_date_value(1568073600000) == "2019-09-10"  # unix milliseconds
    assert parse_date_value("2019-09-10 12:00:00") == "2019-09-10"
    assert parse_date_value(20201209) is None  # not a timestamp, not a date
    assert parse_date_value(True) is None
    assert parse_date_value(["2020-12-09"]) is None


def test_date_inside_a_sentence_of_the_sample_is_not_a_dateline() -> None:
    text = (DATA / "press-release-rakernas-2020.txt").read_text(encoding="utf-8")
    assert "digelar 09 Desember 2020 mendatang" in text
    assert extract_metadata(text).date is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jakarta, 09 Desember 2020 - Pemerintah menggelar rapat.", "2020-12-09"),
        ("JAKARTA (ANTARA) - 9/12/2020 Pemerintah menggelar rapat.", "2020-12-09"),
        ("Jakarta, Rabu (9/12/2020) - Presiden membuka rapat.", "2020-12-09"),
        ("Kab. Bogor, 3 Nopember 2020 – Bupati meninjau banjir.", "2020-11-03"),
        ("Judul Berita\nRabu, 9 Desember 2020 14:00 WIB\nIsi berita.", "2020-12-09"),
        ("Diterbitkan: 9 Des 2020\nIsi berita.", "2020-12-09"),
        ("Judul Rilis\n12/03/2020\nIsi rilis.", "2020-03-12"),  # a numeric date alone on its line
        ("Kupang, 12 Maret 2020 – Gubernur membuka rapat.", "2020-03-12"),
        ("Washington, December 9, 2020 - The president spoke.", "2020-12-09"),
        ("Judul\nSatu.\nDua.\nTiga.\nEmpat.\nLima.\nEnam.\nJakarta, 9 Desember 2020", "2020-12-09"),
    ],
)
def test_dateline(text: str, expected: str) -> None:
    meta = extract_metadata(text)
    assert (meta.date, meta.date_source) == (expected, "dateline")


@pytest.mark.parametrize(
    "text",
    [
        "Pilkada yang akan digelar 09 Desember 2020 mendatang.",
        "Acara digelar, 9 Desember 2020 - meriah sekali.",  # the line does not start with a place
        "JAKARTA, KOMPAS.com - Pemerintah menggelar rapat.",  # a dateline without a date
        "Satu.\nDua.\nTiga.\nEmpat.\nLima.\nEnam.\nRapat digelar pada 9 Desember 2020 di Jakarta.\nTujuh.",
    ],
)
def test_dates_that_are_not_datelines_are_ignored(text: str) -> None:
    assert extract_metadata(text).date is None
