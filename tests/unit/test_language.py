"""Language detection on real Indonesian and English text, short text, and the id/ms confusion."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.language import LANGUAGES, detect_language

DATA = Path(__file__).resolve().parents[1] / "data"


def test_sample_press_release_is_indonesian() -> None:
    text = (DATA / "press-release-rakernas-2020.txt").read_text(encoding="utf-8")
    assert detect_language(text) == "id"


def test_english_paragraph_is_english() -> None:
    text = (
        "The regional government held a national coordination meeting on public services, where officials "
        "discussed health protocols for the upcoming elections and the economic recovery of the provinces."
    )
    assert detect_language(text) == "en"


def test_real_news_articles() -> None:
    with open(DATA / "news_sample.jsonl", encoding="utf-8") as fh:
        articles = {a["id"]: a for a in map(json.loads, fh)}
    assert detect_language(articles["clickid-sindonews-03015"]["text"]) == "en"  # an English article
    for doc_id in ("clickid-okezone-02055", "clickid-kompas-00279", "clickid-fimela-00727"):
        assert detect_language(articles[doc_id]["text"]) == "id", doc_id


def test_short_or_letterless_text_is_unknown() -> None:
    assert detect_language("") is None
    assert detect_language("Halo") is None
    assert detect_language("12345 67890 12345 67890 12345 67890") is None


def test_indonesian_wins_close_calls_with_malay() -> None:
    # py3langid puts this Indonesian sentence almost level between id and ms.
    assert detect_language("Pemerintah daerah mengadakan rapat kerja nasional.") == "id"
    assert detect_language("Kami semua terus berdoa untuk kesehatan eyang") == "id"


def test_clear_malay_is_malay() -> None:
    text = "Kerajaan negeri akan mengadakan mesyuarat berhubung isu tersebut minggu hadapan."
    assert detect_language(text) == "ms"


def test_only_iso_639_1_codes_from_the_allowed_set() -> None:
    assert all(len(code) == 2 for code in LANGUAGES)
    assert detect_language("De regering heeft vandaag besloten om de maatregelen te verlengen.") == "nl"
