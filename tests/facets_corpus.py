"""A corpus for facets, the document view and similar documents, with answers known by construction.

Facets: 6 documents mention "vaksin": source A ×3 (collections x, x, y), B ×2 (x, y), C ×1 (y); 2 more
documents (sources A and D) do not. So ``vaksin`` matches 6 documents; with source A: 3 (the source facet
still shows B 2 and C 1); A or B: 5; A or B in collection x: 3.

Similar documents: ``flood-0`` is a two-passage story about a flood; ``flood-copy`` is a near-duplicate
version of it (the same text and one more sentence); ``near`` tells of another flood, ``pumps`` of flood
pumps: the two closest documents, in that order; ``weather`` (a sunny day) and ``prices`` (market
prices) are farther than both.
"""

from __future__ import annotations

from arsip.settings import Settings
from tests.conftest import make_test_settings

FACET_DOCS = [  # (id, source, collection, text)
    ("a-1", "A", "x", "Puskesmas Koja membuka layanan vaksin campak untuk balita setiap Senin pagi."),
    ("a-2", "A", "x", "Sekolah dasar di Pluit menggelar vaksin rubela bagi murid kelas satu pekan ini."),
    ("a-3", "A", "y", "Dinas kesehatan menambah stok vaksin polio di gudang farmasi Sunter."),
    ("b-1", "B", "x", "Warga lansia Marunda antre vaksin influenza di balai warga sejak subuh."),
    ("b-2", "B", "y", "Klinik desa Ancol kehabisan vaksin rabies setelah kasus gigitan anjing."),
    ("c-1", "C", "y", "Relawan mengantar vaksin hepatitis ke pulau terluar dengan perahu motor."),
    ("a-9", "A", "x", "Pameran buku anak dibuka di gedung kesenian Pademangan pekan ini."),
    ("d-9", "D", "y", "Lomba layang-layang digelar di pantai Kamal pada akhir bulan."),
]
FLOOD_1 = (
    "Banjir setinggi satu meter merendam ratusan rumah di Kecamatan Cilincing sejak Senin pagi setelah "
    "hujan deras mengguyur Jakarta Utara selama dua hari. Petugas pemadam kebakaran dan relawan membantu "
    "warga mengungsi ke masjid dan sekolah terdekat, sementara dinas sosial membuka dapur umum dan "
    "membagikan selimut serta makanan siap saji kepada para pengungsi yang sebagian besar anak-anak. "
)
FLOOD_2 = (
    "Air mulai surut pada Rabu sore, namun lumpur tebal masih menutup jalan dan halaman rumah warga. "
    "Petugas kebersihan mengerahkan truk penyedot dan ratusan relawan membersihkan sisa banjir, sementara "
    "puskesmas keliling memeriksa warga yang mulai terserang diare dan penyakit kulit setelah banjir. "
)
SIMILAR_DOCS = [  # (id, title, text): flood-0 first, then from the closest to the farthest
    ("flood-0", "Banjir Cilincing", (FLOOD_1 * 2).strip() + "\n\n" + (FLOOD_2 * 2).strip()),
    (
        "flood-copy",
        "Banjir Cilincing (salinan)",
        (FLOOD_1 * 2).strip() + "\n\n" + (FLOOD_2 * 2).strip() + " Banjir diperkirakan tidak datang lagi.",
    ),
    (
        "near",
        "Banjir Kapuk",
        "Banjir merendam puluhan rumah warga di Kelurahan Kapuk setelah hujan deras semalaman; warga "
        "mengungsi ke masjid dan posko darurat yang dibuka relawan.",
    ),
    (
        "pumps",
        "Pompa air",
        "Pemerintah kota menyiapkan dua puluh pompa air untuk mengurangi genangan di jalan utama selama "
        "musim hujan.",
    ),
    (
        "weather",
        "Cuaca cerah",
        "Langit cerah berawan sepanjang hari di Bandung; suhu siang mencapai 30 derajat.",
    ),
    (
        "prices",
        "Harga cabai",
        "Harga cabai dan bawang merah di pasar induk naik sepuluh persen menjelang lebaran.",
    ),
]
SIMILAR_ORDER = ["near", "pumps"]
FARTHER = ["weather", "prices"]


def records() -> list[dict]:
    out = [
        {
            "id": doc_id,
            "title": f"Kabar {doc_id}",
            "text": text,
            "source": source,
            "collection": collection,
            "date": "2021-03-01",
        }
        for doc_id, source, collection, text in FACET_DOCS
    ]
    out += [
        {"id": doc_id, "title": title, "text": text, "source": "S", "collection": "z", "date": "2021-02-01"}
        for doc_id, title, text in SIMILAR_DOCS
    ]
    return out


def index_facets_corpus(base_settings: Settings, es, embedder) -> Settings:
    """Index the corpus into a fresh test alias; the settings that search it."""
    from indexer.orchestration import Indexer

    settings = make_test_settings(base_settings, "facets")
    summary = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_documents(records())
    assert summary.ok, summary.render()
    return settings
