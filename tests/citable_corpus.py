"""A corpus whose search answers are known by construction (issue: citable results).

6 documents hold both "banjir" and "jakarta" (one of them in 3 long paragraphs, so 3 passages: 8
matching passages in all), 5 hold only "banjir", 4 only "jakarta", 10 neither (25 documents). Of the 6,
sources are alpha ×4 / beta ×2; dates 2020-01 ×3, 2020-03 ×2 and one undated.
"""

from __future__ import annotations

from arsip.settings import Settings
from tests.conftest import make_test_settings

BOTH = [  # (id, source, date, paragraphs)
    ("both-1", "alpha", "2020-01-05", 1),
    ("both-2", "alpha", "2020-01-12", 3),
    ("both-3", "alpha", "2020-01-20", 1),
    ("both-4", "alpha", "2020-03-02", 1),
    ("both-5", "beta", "2020-03-15", 1),
    ("both-6", "beta", None, 1),
]
FILLER = (
    "Petugas mencatat ketinggian air di beberapa pintu air dan melaporkan keadaan warga kepada "
    "posko bersama setiap jam selama pekan ini sambil menyiapkan perahu karet tenda dapur umum "
)


def _paragraph(words: str, n: int) -> str:
    # ~150 tokens each: two do not fit in one 256-token passage, so every paragraph is its own passage
    return f"Paragraf {n}: {words}. " + FILLER * 5


def _records() -> list[dict]:
    records = []
    for doc_id, source, day, paragraphs in BOTH:
        text = "\n\n".join(_paragraph("banjir melanda jakarta utara", n) for n in range(paragraphs))
        if paragraphs == 1:
            text = "Banjir kembali melanda Jakarta Utara setelah hujan deras semalaman."
        records.append(
            {"id": doc_id, "title": f"Laporan {doc_id}", "text": text, "source": source, "date": day}
        )
    for i in range(5):
        records.append(
            {
                "id": f"banjir-{i}",
                "title": f"Berita {i}",
                "text": "Banjir merendam sawah petani di Demak.",
                "source": "gamma",
                "date": "2020-02-10",
            }
        )
    for i in range(4):
        records.append(
            {
                "id": f"jakarta-{i}",
                "title": f"Kabar {i}",
                "text": "Jakarta menggelar pameran buku tahunan.",
                "source": "gamma",
                "date": "2020-02-11",
            }
        )
    for i in range(10):
        records.append(
            {
                "id": f"lain-{i}",
                "title": f"Lain {i}",
                "text": "Harga cabai naik menjelang hari raya di pasar.",
                "source": "delta",
                "date": "2019-06-01",
            }
        )
    return records


def index_citable_corpus(base_settings: Settings, es, embedder) -> Settings:
    """Index the corpus into a fresh test alias; the settings that search it."""
    from indexer.pipeline import Indexer

    settings = make_test_settings(base_settings, "citable")
    summary = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_documents(_records())
    assert summary.ok, summary.render()
    return settings
