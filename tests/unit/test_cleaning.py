"""Boilerplate rules: what they drop from the real samples, and that they never drop content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from indexer.cleaning import clean_text, is_boilerplate_line, is_caption

DATA = Path(__file__).resolve().parents[1] / "data"


def _sample_lines() -> list[str]:
    text = (DATA / "press-release-rakernas-2020.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.split("\n") if line.strip()]


def test_sample_press_release_loses_exactly_its_boilerplate() -> None:
    lines = _sample_lines()
    assert lines[0] == "Pj. Sekda Hendra Kusuma dan Staff- |"
    assert lines[-2:] == ["(Pur/Humas)", "Posting Komentar"]
    real_paragraphs = lines[1:-2]
    assert len(real_paragraphs) == 14

    cleaned = clean_text("\n".join(lines))
    paragraphs = cleaned.split("\n\n")
    assert paragraphs == real_paragraphs  # every real paragraph stays, unchanged and in order
    assert "Staff- |" not in cleaned
    assert "(Pur/Humas)" not in cleaned
    assert "Posting Komentar" not in cleaned


def test_sample_as_read_from_disk_keeps_its_14_paragraphs() -> None:
    raw = (DATA / "press-release-rakernas-2020.txt").read_text(encoding="utf-8")
    assert len(clean_text(raw).split("\n\n")) == 14


@pytest.mark.parametrize(
    "line",
    [
        "Pj. Sekda Hendra Kusuma dan Staff- |",
        "Bupati meninjau lokasi banjir|",
        "Foto: Humas Pemkot",
        "(Pur/Humas)",
        "(ant)",
        "(red/xyz)",
        "(Humas/HMP).",
        "Baca juga: Pemkot Gelar Vaksinasi Massal",
        "Baca Juga : Wali Kota Resmikan Pasar",
        "BACA JUGA - Banjir Rendam Tiga Desa",
        "Posting Komentar",
        "Bagikan",
        "Share this:",
        "Komentar",
        "Tags: pilkada, covid-19",
        "Editor: Budi Santoso",
        "Advertisement",
        "Scroll untuk melanjutkan",
        "12 Komentar",
        "loading...",
    ],
)
def test_boilerplate_lines_are_recognised(line: str) -> None:
    assert is_boilerplate_line(line)
    assert clean_text(f"Paragraf pertama yang asli.\n{line}\nParagraf kedua yang asli.") == (
        "Paragraf pertama yang asli.\n\nParagraf kedua yang asli."
    )


@pytest.mark.parametrize(
    "line",
    [
        "Warga diminta bagikan informasi ini kepada tetangga agar semua waspada.",
        "Bagikan masker gratis kepada warga yang datang ke pasar.",
        "Komentar warganet di media sosial beragam, ada yang mendukung dan ada yang menolak.",
        "Baca juga buku panduan protokol kesehatan yang dibagikan dinas.",
        "Editor senior itu mengatakan: kami akan terus mengawal kasus ini sampai selesai dan tuntas.",
        "Kredit Pemilikan Rumah (KPR/KPA) kini lebih mudah.",
        "| Kecamatan | Jumlah |",  # a markdown table row, not a caption
        "Tahun 2020",
    ],
)
def test_content_lines_are_kept(line: str) -> None:
    assert not is_boilerplate_line(line)
    assert clean_text(line) == line


def test_trailing_byline_code_is_removed_but_acronyms_stay() -> None:
    assert clean_text('Tugas kita adalah menjalankan semua rencana," kata Anies. (aik/dkp)') == (
        'Tugas kita adalah menjalankan semua rencana," kata Anies.'
    )
    assert clean_text("Semoga bermanfaat. (ant)") == "Semoga bermanfaat."
    # An acronym closing a sentence is content.
    assert (
        clean_text("Pendaftar harus warga negara Indonesia (WNI).")
        == "Pendaftar harus warga negara Indonesia (WNI)."
    )
    assert (
        clean_text("Syaratnya memiliki tanda pengenal. (KTP)") == "Syaratnya memiliki tanda pengenal. (KTP)"
    )


def test_caption_detection() -> None:
    assert is_caption("Pj. Sekda Hendra Kusuma dan Staff- |")
    assert not is_caption("| a | b |")
    assert not is_caption("Pemerintah daerah menggelar rapat.")


def test_invisible_characters_and_whitespace() -> None:
    text = "Peme\u200brintah\u00a0\u00a0 daerah\t menggelar\u00adrapat.\r\nBaris\u2060 kedua."
    assert clean_text(text) == "Pemerintah daerah menggelarrapat.\n\nBaris kedua."


def test_blank_line_paragraphs_join_their_hard_wrapped_lines() -> None:
    text = "Baris pertama paragraf satu\nlanjutan paragraf satu.\n\n\n  Paragraf dua.  \n\nBagikan\n"
    assert clean_text(text) == "Baris pertama paragraf satu lanjutan paragraf satu.\n\nParagraf dua."


def test_clean_text_is_idempotent_and_handles_empty_input() -> None:
    raw = (DATA / "press-release-rakernas-2020.txt").read_text(encoding="utf-8")
    once = clean_text(raw)
    assert clean_text(once) == once
    assert clean_text("") == ""
    assert clean_text("Posting Komentar\n(ant)") == ""


def test_real_news_articles_lose_almost_nothing() -> None:
    with open(DATA / "news_sample.jsonl", encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh]
    assert len(articles) == 5
    # the only words cleaning may drop: a trailing byline, a "Baca juga:" whose link text was lost and a
    # "loading..." widget the scraper joined on with ",,,,,,,,,,,,,,,"
    dropped = {
        "clickid-fimela-00727": ["eth"],
        "clickid-okezone-02055": ["Baca", "juga"],
        "clickid-pos_metro-00018": ["loading"],
    }
    for article in articles:
        text = article["text"]
        cleaned = clean_text(text)
        words, kept = re.findall(r"\w+", text), re.findall(r"\w+", cleaned)
        lost = dropped.get(article["id"], [])
        assert kept == words[: len(words) - len(lost)] and words[len(kept) :] == lost, article["id"]
    okezone = next(a for a in articles if a["id"] == "clickid-okezone-02055")
    assert okezone["text"].endswith("kuliah di Korea Selatan.,,Baca juga:,")
    assert clean_text(okezone["text"]).endswith("kuliah di Korea Selatan.")
    fimela = next(a for a in articles if a["id"] == "clickid-fimela-00727")
    assert fimela["text"].rstrip().endswith("(eth)")
    assert not clean_text(fimela["text"]).endswith("(eth)")


def test_scraper_joined_paragraphs_become_paragraphs_again() -> None:
    text = (
        'Banjir melanda Jakarta.,Warga mengungsi ke masjid.,"Kami butuh bantuan," kata Ani. Harga 2.,5 naik.'
    )
    assert clean_text(text).split("\n\n") == [
        "Banjir melanda Jakarta.",
        "Warga mengungsi ke masjid.",
        '"Kami butuh bantuan," kata Ani. Harga 2.,5 naik.',
    ]


# Exact excerpts of ../shared/eval/news_clickid/corpus.jsonl (the scraper joined text nodes with commas
# and dropped hyperlinked words) and what cleaning makes of them.
SCRAPER_DEBRIS = [
    (  # a related-article link whose text was lost, between two paragraphs
        "Crutchlow menempati posisi ke-10.,,Baca juga:,,Jika digabungkan, catatan waktu",
        "Crutchlow menempati posisi ke-10.\n\nJika digabungkan, catatan waktu",
    ),
    ("Baca Juga :,,Sebelumnya, KPK telah", "Sebelumnya, KPK telah"),
    (
        "Baca juga,,Setelah itu, laga menarik lain akan mempertemuka",
        "Setelah itu, laga menarik lain akan mempertemuka",
    ),
    (  # comma runs around a dropped link
        "Ketika membeli ,, kita tentu akan mendapati bahwa baju tersebut",
        "Ketika membeli, kita tentu akan mendapati bahwa baju tersebut",
    ),
    (
        "Kemudian gunakan lipstik, dan oleskan , , , di tengah bibir atas.",
        "Kemudian gunakan lipstik, dan oleskan, di tengah bibir atas.",
    ),
    (
        "h tampil dengan poni di sejumlah comeback Momoland,,Yeonwoo pernah memotong rambutnya hingga sebahu",
        "h tampil dengan poni di sejumlah comeback Momoland, Yeonwoo pernah memotong rambutnya hingga sebahu",
    ),
    (  # empty brackets and quotes
        "Episode pertama BIG dibuka dengan Gil Da Ran (,) yang berlari-lari sambil membawa buket bunga",
        "Episode pertama BIG dibuka dengan Gil Da Ran yang berlari-lari sambil membawa buket bunga",
    ),
    (
        "dengan kain kafan dan diselimuti batik.,“,,” tulis Vicky Prasetyo di keterangan",
        "dengan kain kafan dan diselimuti batik., tulis Vicky Prasetyo di keterangan",
    ),
    (
        'untuk berhijrah dan memperdalam ilmu agama Islam.,"," tulis Olla Ramlan',
        "untuk berhijrah dan memperdalam ilmu agama Islam., tulis Olla Ramlan",
    ),
    (  # a join hidden behind empty brackets
        "sar di Grup G sejauh ini. (,),Tapi, torehan 15 gol yang dira",
        "sar di Grup G sejauh ini.\n\nTapi, torehan 15 gol yang dira",
    ),
    (  # several lost quotations in a row
        'jenaka Nik dan Diah.,",",",",","  ,",," tulis Haris',
        "jenaka Nik dan Diah.\n\ntulis Haris",
    ),
    (
        'bernama " ," ditemukan periset keamanan CSIS Group',
        "bernama ditemukan periset keamanan CSIS Group",
    ),
    (
        "kti telah memanggil 23 pemain memperkuat timnas. (Baca juga: ,)",
        "kti telah memanggil 23 pemain memperkuat timnas.",
    ),
    (  # trailing comma runs, taglines, "loading..." widgets and "***" dividers joined on
        "diantaranya The Great Adventure, Madame’s Cravings, dan Playing With Fire.,,,,,,",
        "diantaranya The Great Adventure, Madame’s Cravings, dan Playing With Fire.",
    ),
    (
        "jika ingin kesehatanmu senantiasa terjaga.,#GrowFearless with FIMELA",
        "jika ingin kesehatanmu senantiasa terjaga.",
    ),
    ("Medan Deli.,,,,,,,,,,,,,,,loading...", "Medan Deli."),
    (
        "disertakan dalam , ini.,***,Harapan memang menjadi salah satu",
        "disertakan dalam , ini.\n\nHarapan memang menjadi salah satu",
    ),
    (  # paragraph joins with several commas, and joined list items
        "dilansir dari ,, Selasa (10/9/2019)., ,Jika dilakukan dengan benar",
        "dilansir dari, Selasa (10/9/2019).\n\nJika dilakukan dengan benar",
    ),
    (
        "Berikut resepnya.,1. Campur jagung dengan semua bumbu dan bahan.",
        "Berikut resepnya.\n\n1. Campur jagung dengan semua bumbu dan bahan.",
    ),
    (
        "ini sekian cara mengetahui anak kesepian., - Salah satu tanda umum jika anak kesepian adalah",
        "ini sekian cara mengetahui anak kesepian.\n\n- Salah satu tanda umum jika anak kesepian adalah",
    ),
]


@pytest.mark.parametrize(("raw", "cleaned"), SCRAPER_DEBRIS)
def test_scraper_debris_from_the_news_corpus_is_removed(raw: str, cleaned: str) -> None:
    assert clean_text(raw) == cleaned
    assert clean_text(cleaned) == cleaned


@pytest.mark.parametrize(
    "text",
    [
        # look like debris, are content
        '"Baju itu bikin kamu kelihatan jelek!", "Makeup kamu nggak cocok", "Kenapa kamu kurus banget?"',
        "Kamu bisa baca juga, buku itu ada di perpustakaan.",
        "Budi Santoso, S.H., M.H., selaku kuasa hukum, hadir.",
        "Saya pergi ke pasar,\nlalu pulang.",
        "Harga 2.,5 naik dan (catatan: 3) tetap.",
        "• Pertama, daftar ulang.\n\n1. Kedua",
    ],
)
def test_debris_rules_keep_content(text: str) -> None:
    assert re.findall(r"\w+", clean_text(text)) == re.findall(r"\w+", text)


@pytest.mark.parametrize(
    "line", ["***", "•", ",", " - ", "—", "#GrowFearless with FIMELA", "#pilkada #covid"]
)
def test_lines_without_words_and_hashtag_lines_are_dropped(line: str) -> None:
    assert clean_text(f"Isi berita.\n{line}\nPenutup.") == "Isi berita.\n\nPenutup."


def test_bidi_marks_left_by_cms_are_removed() -> None:
    assert clean_text("KPK\u200e telah menyita 136,392\u202c batang") == "KPK telah menyita 136,392 batang"


def test_a_scrapers_loading_placeholder_at_the_end_is_removed():
    """Issue 21: posmetro-medan articles ended in ",,,loading..." on the page and in exports."""
    from indexer.cleaning import CLEANING_VERSION, clean_text

    assert clean_text("Kami disuruh pergi, tandasnya.,,,loading...") == "Kami disuruh pergi, tandasnya."
    assert clean_text("Selesai.,loading…\n\nParagraf dua.") == "Selesai.\n\nParagraf dua."
    assert (
        clean_text("Halaman loading... lambat sekali.") == "Halaman loading... lambat sekali."
    )  # in a sentence
    assert CLEANING_VERSION >= 3
