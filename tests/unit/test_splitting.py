"""Passage splitting: token limits, sentence ends vs abbreviations, merging, and that nothing is lost."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.cleaning import clean_text
from indexer.splitting import split_passages, split_sentences

DATA = Path(__file__).resolve().parents[1] / "data"


def words(text: str) -> int:
    """Test token counter: one token per whitespace-separated word."""
    return len(text.split())


def _sample() -> str:
    return clean_text((DATA / "press-release-rakernas-2020.txt").read_text(encoding="utf-8"))


def test_sample_passages_respect_the_limit_and_keep_every_word() -> None:
    text = _sample()
    for max_tokens in (256, 60, 25):
        passages = split_passages("doc", text, words, max_tokens=max_tokens)
        assert [p.position for p in passages] == list(range(len(passages)))
        assert all(p.doc_id == "doc" for p in passages)
        assert all(1 <= words(p.text) <= max_tokens for p in passages)
        assert " ".join(p.text for p in passages).split() == text.split()


def test_short_paragraphs_are_merged_with_the_next_one() -> None:
    heading = "Rapat Kerja Nasional"
    body = "Pemerintah daerah " + "mengikuti rapat kerja nasional " * 10
    passages = split_passages("d", f"{heading}\n\n{body}\n\nPenutup.", words, max_tokens=256)
    assert len(passages) == 1
    assert passages[0].text.startswith(heading + "\n\n")
    assert passages[0].text.endswith("Penutup.")


def test_a_short_last_piece_joins_the_previous_one_only_within_the_limit() -> None:
    long_para = "kata " * 30  # 149 characters: long enough to stand alone with min_chars=100
    text = f"{long_para.strip()}\n\nAkhir."
    merged = split_passages("d", text, words, max_tokens=40, min_chars=100)
    assert [p.text for p in merged] == [f"{long_para.strip()}\n\nAkhir."]
    kept_apart = split_passages("d", text, words, max_tokens=30, min_chars=100)
    assert [p.text for p in kept_apart] == [long_para.strip(), "Akhir."]


def test_long_paragraphs_at_or_over_min_chars_are_not_merged() -> None:
    paras = [
        f"Paragraf nomor {i} berisi kalimat yang cukup panjang untuk berdiri sendiri. " * 4 for i in range(3)
    ]
    passages = split_passages(
        "d", "\n\n".join(p.strip() for p in paras), words, max_tokens=256, min_chars=200
    )
    assert len(passages) == 3


def test_single_newlines_make_paragraphs_when_there_is_no_blank_line() -> None:
    lines = [f"Baris {i} " + "isi yang panjang sekali " * 12 for i in range(3)]
    passages = split_passages("d", "\n".join(lines), words, max_tokens=60, min_chars=50)
    assert [p.text for p in passages] == [line.strip() for line in lines]


def test_long_paragraph_is_cut_at_sentence_ends() -> None:
    sentences = [f"Kalimat nomor {i} membahas protokol kesehatan di daerah." for i in range(20)]
    passages = split_passages("d", " ".join(sentences), words, max_tokens=30)
    assert len(passages) > 1
    for passage in passages:
        assert words(passage.text) <= 30
        assert passage.text.startswith("Kalimat nomor ")
        assert passage.text.endswith("daerah.")


def test_sentence_longer_than_the_limit_is_cut_on_words() -> None:
    sentence = " ".join(f"kata{i}" for i in range(95)) + "."
    passages = split_passages("d", sentence, words, max_tokens=20, min_chars=1)
    assert [words(p.text) for p in passages] == [20, 20, 20, 20, 15]
    assert " ".join(p.text for p in passages) == sentence


def test_overlong_word_is_cut_on_characters() -> None:
    url = "https://example.go.id/" + "a" * 500

    def chars(text: str) -> int:
        return len(text) // 10 + 1

    passages = split_passages("d", url, chars, max_tokens=10, min_chars=1)
    assert all(chars(p.text) <= 10 for p in passages)
    assert "".join(p.text for p in passages) == url


def test_abbreviations_initials_and_decimals_do_not_end_sentences() -> None:
    text = (
        "Dr. H. Budi Santoso, S.H. Menjadi saksi No. 12 dalam sidang. "
        "Nilai naik 2.5 persen menjadi Rp. 5.000 per lembar, dll. Kemudian rapat ditutup! "
        'Apa kabar? "Baik," katanya. Rabu (9/12/2020). Hasilnya 2020. Selesai.'
    )
    assert split_sentences(text) == [
        "Dr. H. Budi Santoso, S.H. Menjadi saksi No. 12 dalam sidang. ",
        "Nilai naik 2.5 persen menjadi Rp. 5.000 per lembar, dll. Kemudian rapat ditutup! ",
        "Apa kabar? ",
        '"Baik," katanya. ',
        "Rabu (9/12/2020). ",
        "Hasilnya 2020. ",
        "Selesai.",
    ]


def test_lowercase_after_a_period_is_not_a_sentence_end() -> None:
    assert split_sentences("Ia tinggal di Jl. merdeka no. tiga. dan seterusnya") == [
        "Ia tinggal di Jl. merdeka no. tiga. dan seterusnya"
    ]


def test_empty_text_gives_no_passages() -> None:
    assert split_passages("d", "", words) == []
    assert split_passages("d", " \n\n \n", words) == []


_word = st.text(alphabet="abcdeéAB.,!?\"'0123456789()", min_size=1, max_size=12)
_separator = st.sampled_from([" ", " ", " ", "\n", "\n\n", ". ", "! ", "? "])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_word, _separator), min_size=0, max_size=120),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=0, max_value=300),
)
def test_no_word_is_ever_lost_or_reordered(
    pieces: list[tuple[str, str]], max_tokens: int, min_chars: int
) -> None:
    text = "".join(word + sep for word, sep in pieces)
    passages = split_passages("d", text, words, max_tokens=max_tokens, min_chars=min_chars)
    assert " ".join(p.text for p in passages).split() == text.split()
    assert all(words(p.text) <= max_tokens for p in passages)
    assert [p.position for p in passages] == list(range(len(passages)))
