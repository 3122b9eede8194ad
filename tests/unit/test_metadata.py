"""Title, date and place read from bare text, from real lines: the sample release, openings of articles
in the news corpus (../shared/eval/news_clickid, ids given), and datelines as releases write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.dates import parse_date_text
from indexer.metadata import extract_metadata, first_sentence, normalise_place

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = DATA / "press-release-rakernas-2020.txt"


def fields(text: str) -> tuple:
    meta = extract_metadata(text)
    return (
        meta.title,
        meta.title_source,
        meta.date,
        meta.date_source,
        meta.place,
        meta.place_source,
    )


def test_sample_release_title_is_its_first_sentence_whole_and_it_has_no_date_or_place() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    meta = extract_metadata(text)
    # The first line is a photo caption ("Pj. Sekda Hendra Kusuma dan Staff- |"), skipped; the release has
    # no headline, so the title is the first sentence, not cut mid-phrase.
    assert (meta.title, meta.title_source) == (
        "Adapun tema yang diangkat dalam kegiatan Rakernas tersebut adalah “Peningkatan Kualitas dan "
        "Percepatan Pelayanan Publik Untuk Mewujudkan Indonesia Maju”",
        "first_sentence",
    )
    # "Pilkada yang akan digelar 09 Desember 2020 mendatang" is an event ahead, not the release date.
    assert (meta.date, meta.place) == (None, None)
    assert meta.body == text.strip("\n")  # nothing is taken out of the text


def test_headline_then_dateline_with_place_and_date() -> None:
    text = (
        "Pemprov NTT Gelar Rapat Koordinasi Percepatan Vaksinasi\n\n"
        "Kupang, 12 Maret 2020 – Pemerintah Provinsi Nusa Tenggara Timur menggelar rapat koordinasi.\n"
        "Rapat dipimpin Sekretaris Daerah.\n"
    )
    meta = extract_metadata(text)
    assert fields(text) == (
        "Pemprov NTT Gelar Rapat Koordinasi Percepatan Vaksinasi",
        "headline",
        "2020-03-12",
        "dateline",
        "Kupang",
        "dateline",
    )
    assert meta.body.startswith("Kupang, 12 Maret 2020 – Pemerintah")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # clickid-tribunnews-00234 (corpus date 2019-09-10): a capitals place, no date in the dateline
        (
            "KOTA BANDUNG – Peringatan Hari Olahraga Nasional (Haornas) 2019 menjadi momentum untuk "
            "menjadikan , sebagai kebutuhan hidup. Demikian diucapkan Wakil Gubernur Jawa Barat.",
            (
                "Peringatan Hari Olahraga Nasional (Haornas) 2019 menjadi momentum untuk menjadikan , "
                "sebagai kebutuhan hidup",
                "first_sentence",
                None,
                None,
                "Kota Bandung",
                "dateline",
            ),
        ),
        # clickid-tempo-00018 (corpus date 2019-09-19): the outlet first, then the place; the day is
        # named in the text.
        (
            "TEMPO.CO, Tangerang - Menteri Keuangan (Menkeu) Sri Mulyani Indrawati menanggapi rencana "
            "Menteri Agraria Tata Ruang (ATR) Sofyan Djalil yang ingin menghapus , progresif pertanahan. "
            'Menurut Sri Mulyani, sejauh ini ia aka akan mempelajari dulu usulan tersebut.,"Kami akan '
            "pelajari dulu ,Pak Sofyan dan implikasinya,” tutur Sri Mulyani di ICE BSD, Tangerang "
            "Selatan, Kamis, 19 September 2019.,Mantan D",
            (
                "Menteri Keuangan (Menkeu) Sri Mulyani Indrawati menanggapi rencana Menteri Agraria Tata "
                "Ruang (ATR) Sofyan Djalil yang ingin menghapus , progresif pertanahan",
                "first_sentence",
                "2019-09-19",
                "text",
                "Tangerang",
                "dateline",
            ),
        ),
        # clickid-fimela-00000 (corpus date 2019-09-10): no dateline, "Selasa (10/9/2019)" in the text
        (
            "memang sudah melekat sejak anak-anak. Banyak penelitian juga mengungkapkan jika , dapat "
            'membantu anak-anak dalam berkembang.,"Seni itu menjadi hal yang penting," kata Lilie seperti '
            "rilis yang diterima Fimela, Selasa (10/9/2019).,Melihat manfaat besar dari seni",
            (
                "memang sudah melekat sejak anak-anak",
                "first_sentence",
                "2019-09-10",
                "text",
                None,
                None,
            ),
        ),
    ],
)
def test_news_openings(text: str, expected: tuple) -> None:
    assert fields(text) == expected


@pytest.mark.parametrize(
    ("line", "date", "place"),
    [
        ("Jakarta, 12 Maret 2020 - Pemerintah menggelar rapat.", "2020-03-12", "Jakarta"),
        ("JAKARTA (ANTARA) - 9/12/2020 Pemerintah menggelar rapat.", "2020-12-09", "Jakarta"),
        ("Jakarta, Senin (12/3/2020) - Presiden membuka rapat.", "2020-03-12", "Jakarta"),
        ("Kab. Bogor, 3 Nopember 2020 – Bupati meninjau banjir.", "2020-11-03", "Kab. Bogor"),
        ("KAB. CIREBON -- Pemerintah Daerah Provinsi Jawa Barat bersama Dinas.", None, "Kab. Cirebon"),
        ("JAKARTA, KOMPAS.com - Presiden meresmikan jalan tol.", None, "Jakarta"),
        ("Kupang (Humas) – Gubernur membuka rapat.", None, "Kupang"),
        ("Tanjung Pinang, 12/03/2020 – Wali kota membuka rapat.", "2020-03-12", "Tanjung Pinang"),
        ("DKI JAKARTA – Gubernur membuka rapat.", None, "DKI Jakarta"),
        ("Washington, December 9, 2020 - The president spoke.", "2020-12-09", "Washington"),
        ("Rabu, 9 Desember 2020 - Pemerintah menggelar rapat.", "2020-12-09", None),  # a weekday
        ("Jokowi - Prabowo Bertemu di Stasiun MRT", None, None),  # a headline, not a dateline
        ("KOMPAS.com - Pada September 2018 Apple meluncurkan tiga ponsel.", None, None),
        # Real openings from the news corpus: outlets are not places; a foreign place in capitals.
        ("KOMPAS.COM - Babak Eliminasi DSO EURO , Championship yang digelar di Bandung.", None, None),
        ("TRIBUNNEWS.COM - Pelatih Persija Jakarta, Julio Banuelos, optimistis.", None, None),
        ("LE BOURGET - Trend penggunaan motor listrik pada mobil kini mulai marak.", None, "Le Bourget"),
    ],
)
def test_datelines(line: str, date: str | None, place: str | None) -> None:
    meta = extract_metadata(line + "\nKalimat kedua.")
    assert (meta.date, meta.place) == (date, place)
    assert meta.date_source == ("dateline" if date else None)


def test_signature_line_at_the_end_gives_date_and_place() -> None:
    text = "Judul Rilis\n" + "".join(f"Paragraf {i}.\n" for i in range(8)) + "Kupang, 9 Desember 2020\n"
    assert fields(text)[2:] == ("2020-12-09", "dateline", "Kupang", "dateline")


def test_date_in_text_needs_a_weekday_and_must_not_lie_ahead() -> None:
    text = (
        "Rapat akan digelar Senin (14/12/2020) mendatang. Pilkada digelar 09 Desember 2020. "
        "Sebelumnya, Jumat (11/12/2020), panitia menggelar rapat persiapan."
    )
    assert fields(text)[2:4] == ("2020-12-11", "text")
    # Not a dateline (the line does not start with a place), but a weekday and date in the text:
    assert fields("Pada Rabu, 9 Desember 2020 pemerintah menggelar rapat.")[2:] == (
        "2020-12-09",
        "text",
        None,
        None,
    )
    # clickid-tempo-01695: the weekday without comma or brackets.
    text = (
        'pengelolaan aset dapat dioptimalkan," kata Sri Mulyani di Gedung Dhanapala, Kompleks Kementerian '
        "Keuangan, Jakarta Pusat, Kamis 12 September 2019.,Sri Mulyani menjelaskan"
    )
    assert fields(text)[2:4] == ("2019-09-12", "text")
    assert fields("Rapat digelar 09 Desember 2020 di aula.\nDua.")[2] is None
    assert fields("Rapat digelar Selasa (2/7) kemarin.\nDua.")[2] is None  # no year: not guessed


def test_a_sentence_that_starts_like_a_dateline_gives_no_place() -> None:
    # clickid-kompas-02267 and clickid-kompas-00192: a subject, a comma, a weekday and date, no dash.
    text = "Satlantas Polres Tegal, Jumat (20/9/2019) siang, kembali melakukan olah tempat kejadian perkara."
    assert fields(text)[2:] == ("2019-09-20", "text", None, None)
    text = "Langit Jakarta, Kamis (25/7/2019) pagi tak secerah biasanya. Hari itu, langit tampak kelabu."
    assert fields(text)[2:] == ("2019-07-25", "text", None, None)


def test_the_latest_date_in_the_opening_is_taken() -> None:
    # clickid-kompas-01161 shape: an earlier day, then the day of the report; a day ahead is skipped.
    text = (
        "Vivo merilis ponsel, Senin (9/9/2019). Vivo akan merilis varian baru, Selasa (17/9/2019) "
        "mendatang. Hal itu disampaikan, Senin (16/9/2019)."
    )
    assert fields(text)[2:4] == ("2019-09-16", "text")


def test_dateline_wins_over_a_date_in_the_text() -> None:
    text = "Kupang, 12 Maret 2020 – Gubernur menyebut rapat Senin (9/3/2020) berhasil.\nDua."
    assert fields(text)[2:4] == ("2020-03-12", "dateline")


@pytest.mark.parametrize(
    ("text", "title", "source"),
    [
        ("# Bupati Tinjau Banjir\n\nBupati meninjau banjir.", "Bupati Tinjau Banjir", "headline"),
        ("PENGUMUMAN\nKantor tutup pada hari libur.", "PENGUMUMAN", "headline"),
        # A hard-wrapped paragraph: the first line continues in lower case, so it is no headline.
        (
            "Pemerintah Kota Kupang menggelar rapat koordinasi bersama\nseluruh camat dan lurah di aula.",
            "Pemerintah Kota Kupang menggelar rapat koordinasi bersama seluruh camat dan lurah di aula",
            "first_sentence",
        ),
        # A line ending on "dan" was cut mid-phrase.
        (
            "Gubernur dan Wakil Gubernur Hadiri Rapat Bersama Bupati dan\nWali Kota Se-NTT.",
            "Gubernur dan Wakil Gubernur Hadiri Rapat Bersama Bupati dan Wali Kota Se-NTT",
            "first_sentence",
        ),
        ("Satu baris saja tanpa titik", "Satu baris saja tanpa titik", "first_sentence"),
    ],
)
def test_titles(text: str, title: str, source: str) -> None:
    assert fields(text)[:2] == (title, source)


def test_first_sentence_skips_abbreviations_and_cuts_long_ones_at_a_clause() -> None:
    assert first_sentence("Pj. Sekda Kab. Kupang membuka rapat. Hadir pula Dr. Hudori.") == (
        "Pj. Sekda Kab. Kupang membuka rapat"
    )
    question = "Apakah rapat jadi digelar? Panitia belum menjawab."
    assert first_sentence(question) == "Apakah rapat jadi digelar?"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    # Real paragraphs of the sample release, longer than 200 characters: cut at the last clause break
    # (a comma) after 100 characters, else at a word, marked with "…".
    assert first_sentence(lines[10]) == (
        "Diantaranya, peningkatan kebutuhan Pilkada untuk penerapan protokol kesehatan pada setiap tahapan "
        "Pilkada"
    )
    assert first_sentence(lines[3]) == (
        "Dalam kesempatan tersebut Sekretaris Jenderal Kementerian Dalam Negeri, Muhammad Hudori "
        "mengingatkan para seluruh Sekretaris Daerah Sekda Provinsi dan Kabupaten/Kota agar mencermati "
        "betul pelaksanaan…"
    )
    # The news scraper's ".," paragraph joints end a sentence too (clickid-kompas-02323).
    assert (
        first_sentence(
            "Penyanyi , adalah salah satu anak bangsa yang mulai menjajaki industri musik dunia. , Nama Niki "
            "melambung tinggi setelah bergabung dengan label musik asal Amerika Serikat, 88rising."
        )
        == "Penyanyi , adalah salah satu anak bangsa yang mulai menjajaki industri musik dunia"
    )
    no_clause = "kata " * 60
    assert first_sentence(no_clause).endswith("kata…") and len(first_sentence(no_clause)) <= 201


@pytest.mark.parametrize(
    ("candidate", "iso"),
    [
        ("12 Maret 2020", "2020-03-12"),
        ("12/3/2020", "2020-03-12"),
        ("12/03/2020", "2020-03-12"),
        ("9 Des. 2020", "2020-12-09"),
        ("3 Nopember 2020", "2020-11-03"),
        ("1 Peb 2020", "2020-02-01"),
        ("9 MEI 2020", "2020-05-09"),
        ("December 9, 2020", "2020-12-09"),
        ("30 September 2019", "2019-09-30"),
        ("31 Februari 2020", None),  # impossible
        ("12/31/2020", None),  # month first: refused, not guessed
        ("12 Maret", None),  # no year
        ("kemarin", None),  # relative
    ],
)
def test_parse_date_text(candidate: str, iso: str | None) -> None:
    assert parse_date_text(candidate) == iso


def test_normalise_place() -> None:
    assert normalise_place("KOTA BANDUNG") == "Kota Bandung"
    assert normalise_place("NTT") == "NTT"
    assert normalise_place("Senin") is None
    assert normalise_place("Pada") is None


def test_a_dateline_with_mojibake_is_read_as_repaired():
    """UTF-8 read as MacRoman turns "–" into "‚Äì"; the dateline is still found (the pipeline repairs)."""
    meta = extract_metadata("Judul Berita Banjir\nJAKARTA ‚Äì Banjir merendam puluhan rumah warga di Kemang.")
    assert (meta.place, meta.place_source) == ("Jakarta", "dateline")
