"""Mojibake repair: real garbled lines of the news corpus come back as written; correct text is untouched."""

from __future__ import annotations

import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252", how browsers/Excel misread UTF-8
import pytest

from indexer.cleaning import clean_text
from indexer.documents import SourceDocument
from indexer.mojibake import repair_document, repair_encoding

# Exact excerpts of ../shared/eval/news_clickid/corpus.jsonl (UTF-8 once decoded as MacRoman), with
# the text their authors wrote.
NEWS_MOJIBAKE = [
    (
        "Kompetisi dakwah persembahan Indosiar ‚ÄúAKSI 2019‚Äù kian menarik untuk diikuti",
        "Kompetisi dakwah persembahan Indosiar “AKSI 2019” kian menarik untuk diikuti",
    ),
    (
        "ang sulit bagi peraih lima kali Ballon d‚ÄôOr tersebut.",
        "ang sulit bagi peraih lima kali Ballon d’Or tersebut.",
    ),
    (
        "JAKARTA ‚Äì Timnas Indonesia U-16 berhasil meraih t",
        "JAKARTA – Timnas Indonesia U-16 berhasil meraih t",
    ),
    (
        "nyak selama periode Road To Grand Final ‚ÄòTRESemm√© The Runway 2019‚Äô.,Acara Gran",
        "nyak selama periode Road To Grand Final ‘TRESemmé The Runway 2019’.,Acara Gran",
    ),
    (
        "ut, diperlihatkan 3 sosok Pejuang Senyum‚ÄîPenebar Senyum, Pengantar Senyum",
        "ut, diperlihatkan 3 sosok Pejuang Senyum—Penebar Senyum, Pengantar Senyum",
    ),
    (
        "an film,di bioskop akhir pekan ini.,Ssst‚Ä¶ kamu bisa lebih asik menonton",
        "an film,di bioskop akhir pekan ini.,Ssst… kamu bisa lebih asik menonton",
    ),
    (
        "juga dapat menghambat Œ±-glukosidase. Enzim Œ±-glukosi",
        "juga dapat menghambat α-glukosidase. Enzim α-glukosi",
    ),
    # ftfy alone leaves these: they decode to invisible characters or a short run of another script
    (
        "Sebelumnya, KPK telah ‚Äémenetapkan lima tersangka terkait kasus ",
        "Sebelumnya, KPK telah \u200emenetapkan lima tersangka terkait kasus ",
    ),
    (
        "donesia untuk memperkenalkan budaya Indonesia kepada Korea'.‚Äã,Program Pertukaran Guru",
        "donesia untuk memperkenalkan budaya Indonesia kepada Korea'.\u200b,Program Pertukaran Guru",
    ),
    (
        "tahun. Ia maju lewat partai baru: –°–ª—É–≥–∞ –Ω–∞—Ä–æ–¥. Nama partai ini dibuat sa",
        "tahun. Ia maju lewat partai baru: Слуга народ. Nama partai ini dibuat sa",
    ),
    ("memberikan izin penyadapan dalam waktu 1√ó24 jam.", "memberikan izin penyadapan dalam waktu 1×24 jam."),
    (
        "2 sdt Desaku Ketumbar Bubuk,¬Ω sdt Desaku Kunyit Bubuk",
        "2 sdt Desaku Ketumbar Bubuk,½ sdt Desaku Kunyit Bubuk",
    ),
    (
        '4,5 detik," kata Ola K√§llenius, Chairman of the Board',
        '4,5 detik," kata Ola Källenius, Chairman of the Board',
    ),
    (
        "Courtois; Carvajal, Varane, Milit√£o, Mendy; Kroos",
        "Courtois; Carvajal, Varane, Militão, Mendy; Kroos",
    ),
]


@pytest.mark.parametrize(("garbled", "written"), NEWS_MOJIBAKE)
def test_real_macroman_mojibake_is_repaired(garbled: str, written: str) -> None:
    assert repair_encoding(garbled) == written


def test_invisible_characters_from_repair_are_then_removed_by_cleaning() -> None:
    garbled = "Sebelumnya, KPK telah ‚Äémenetapkan lima tersangka terkait kasus "
    assert (
        clean_text(repair_encoding(garbled))
        == "Sebelumnya, KPK telah menetapkan lima tersangka terkait kasus"
    )


# Correct text: Indonesian from the sample press release and the news corpus, accented names, curly
# quotes, dashes, other scripts. Not one character may change.
CORRECT = [
    "Adapun tema yang diangkat dalam kegiatan Rakernas tersebut adalah “Peningkatan Kualitas dan "
    "Percepatan Pelayanan Publik Untuk Mewujudkan Indonesia Maju”.",
    "Mengingat pelaksanaan Pilkada yang akan digelar 09 Desember 2020 mendatang merupakan perhelatan "
    "pesta demokrasi terbesar yang dilaksanakan di 270 daerah.",
    '"Seni itu menjadi hal yang penting untuk tahapan perkembangan anak," kata Lilie, Selasa (10/9/2019).',
    "Pelatih José Mourinho, Thomas Müller dan Citroën C5 — semuanya di Jakarta.",
    "Ia berkata, ‘Saya tidak tahu’ … lalu pergi – tanpa pamit.",
    "Ballon d’Or, Kompetisi “AKSI 2019”, harga Rp1.500–2.000, suhu 30°C, ½ kg, 5 × 3 = 15.",
    "São Paulo, Ação, naïve, Nguyễn Phú Trọng, İstanbul, Ñuñoa, Zürich, Łódź, Ærø, œuvre.",
    "«Été» à Paris, “École” de Nice, Â la carte, Ã então — rare but correct.",
    "اَللَّهُمَّ صَلِّ عَلَى مُحَمَّدٍ — Слуга народу — 서울 — 東京 — 🙂👍",
    "Harga naik 2,5% – turun 1,2% (YoY) ‚ kata analis.",
    "√2 ≈ 1,41; ¬p ∧ q; ƒ(x) = 2x; ∆°C = 5; Œuvre, cœur, sœur.",
]


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_never_altered(text: str) -> None:
    assert repair_encoding(text) == text


@pytest.mark.parametrize("codec", ["sloppy-windows-1252", "mac_roman"])
@pytest.mark.parametrize("text", [t for t in CORRECT if not t.isascii()])
def test_correct_text_garbled_as_windows_1252_or_macroman_is_repaired(text: str, codec: str) -> None:
    garbled = text.encode("utf-8").decode(codec)  # "José" → "JosÃ©" / "Jos√©", "“" → "â€œ" / "‚Äú"
    assert garbled != text
    assert repair_encoding(garbled) == text


def test_ascii_and_empty_text_come_back_as_the_same_object() -> None:
    text = "Banjir melanda Jakarta."
    assert repair_encoding(text) is text
    assert repair_encoding("") == ""


def test_repair_document_repairs_every_text_field_and_names_them() -> None:
    doc = SourceDocument(
        doc_id="d1",
        text="Indosiar ‚ÄúAKSI 2019‚Äù kian menarik",
        title="Ballon d‚ÄôOr",
        author="Jos√© M√ºller",
        source="kompas",
        url="https://example.org/a‚Äôb",  # not prose: left as it is
    )
    assert repair_document(doc) == ["title", "text", "author"]
    assert (doc.title, doc.text, doc.author) == (
        "Ballon d’Or",
        "Indosiar “AKSI 2019” kian menarik",
        "José Müller",
    )
    assert doc.url == "https://example.org/a‚Äôb"
    assert repair_document(doc) == []
