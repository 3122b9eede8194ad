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


# Distinct words per document, so that no two documents are near-duplicates of each other (the search
# groups those by default; tests/integration/test_near_duplicate_search.py covers that).
PLACES = [
    "Kemang",
    "Cilincing",
    "Koja",
    "Pluit",
    "Sunter",
    "Marunda",
    "Ancol",
    "Pademangan",
    "Kamal",
    "Muara",
]
THINGS = ["beras", "cabai", "bawang", "minyak", "gula", "telur", "daging", "tepung", "garam", "kedelai"]


def _records() -> list[dict]:
    records = []
    for i, (doc_id, source, day, paragraphs) in enumerate(BOTH):
        text = "\n\n".join(_paragraph("banjir melanda jakarta utara", n) for n in range(paragraphs))
        if paragraphs == 1:
            text = (
                f"Warga {PLACES[i]} mengungsi ke masjid {THINGS[i]} ketika banjir melanda Jakarta Utara "
                f"selama {i + 2} hari."
            )
        records.append(
            {"id": doc_id, "title": f"Laporan {doc_id}", "text": text, "source": source, "date": day}
        )
    for i in range(5):
        text = f"Sawah {PLACES[i]} seluas {10 + i} hektare terendam banjir, kata petani {THINGS[i]} di Demak."
        records.append(
            {
                "id": f"banjir-{i}",
                "title": f"Berita {i}",
                "text": text,
                "source": "gamma",
                "date": "2020-02-10",
            }
        )
    for i in range(4):
        text = f"Pameran buku {THINGS[i]} di gedung {PLACES[i]} Jakarta dibuka {i + 3} hari."
        records.append(
            {
                "id": f"jakarta-{i}",
                "title": f"Kabar {i}",
                "text": text,
                "source": "gamma",
                "date": "2020-02-11",
            }
        )
    for i in range(10):
        text = f"Harga {THINGS[i]} di pasar {PLACES[i]} naik {i + 5} persen menjelang hari raya."
        records.append(
            {"id": f"lain-{i}", "title": f"Lain {i}", "text": text, "source": "delta", "date": "2019-06-01"}
        )
    return records


def index_citable_corpus(base_settings: Settings, es, embedder) -> Settings:
    """Index the corpus into a fresh test alias; the settings that search it."""
    from indexer.orchestration import Indexer

    settings = make_test_settings(base_settings, "citable")
    summary = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_documents(_records())
    assert summary.ok, summary.render()
    return settings
