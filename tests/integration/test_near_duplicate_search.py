"""Near-duplicate groups in search: one result per group by default, "+N similar versions", expandable.

The corpus, by construction: story A in 3 versions (small edits), story B in 2, and 4 unrelated
documents; every one mentions "banjir". So "banjir" matches 9 documents in 6 groups.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from searchapp.app import create_app
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService
from tests.conftest import make_test_settings

pytestmark = pytest.mark.es

STORY_A = (
    "Banjir setinggi satu meter merendam ratusan rumah di Kecamatan Cilincing sejak Senin pagi setelah "
    "hujan deras mengguyur Jakarta Utara selama dua hari. Petugas pemadam kebakaran dan relawan membantu "
    "warga mengungsi ke masjid dan sekolah terdekat, sementara dinas sosial membuka dapur umum dan "
    "membagikan selimut serta makanan siap saji kepada para pengungsi yang sebagian besar anak-anak."
)
STORY_B = (
    "Pemerintah provinsi menyiapkan dua puluh pompa air tambahan untuk mengurangi genangan banjir di "
    "kawasan Kelapa Gading yang terus berulang setiap musim hujan. Kepala dinas sumber daya air mengatakan "
    "pompa itu akan dipasang di lima titik rawan dan dioperasikan selama dua puluh empat jam oleh petugas."
)
RECORDS = [
    {"id": "a-tempo", "source": "tempo", "text": STORY_A},
    {"id": "a-kompas", "source": "kompas", "text": STORY_A.replace("Senin pagi", "Senin dini hari")},
    {"id": "a-detik", "source": "detik", "text": STORY_A + " Banjir diperkirakan surut dalam dua hari."},
    {"id": "b-antara", "source": "antara", "text": STORY_B},
    {"id": "b-humas", "source": "humas", "text": STORY_B.replace("dua puluh pompa", "20 pompa")},
    {
        "id": "u-1",
        "source": "tempo",
        "text": "Sawah di Demak terendam banjir kiriman dari hulu sungai Serang.",
    },
    {"id": "u-2", "source": "kompas", "text": "Harga sayur naik karena banjir memutus jalan ke pasar induk."},
    {
        "id": "u-3",
        "source": "detik",
        "text": "Sekolah di Bekasi diliburkan setelah banjir masuk ke ruang kelas.",
    },
    {"id": "u-4", "source": "antara", "text": "Relawan membersihkan lumpur sisa banjir di permukiman Garut."},
]


@pytest.fixture(scope="module")
def service(base_settings, es, embedder) -> SearchService:
    from indexer.orchestration import Indexer

    settings = make_test_settings(base_settings, "neardup")
    records = [{**r, "title": f"Judul {r['id']}", "date": "2020-01-06"} for r in RECORDS]
    summary = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_documents(records)
    assert summary.ok, summary.render()
    return SearchService(settings, es=es, embedder=embedder)


def _search(service: SearchService, **args) -> dict:
    return service.search(SearchRequest.from_args({"q": "banjir", "mode": "keyword", **args}))


def test_each_group_is_one_result_with_its_versions_counted(service):
    envelope = _search(service)
    totals = envelope["totals"]
    assert (totals["documents"], totals["groups"], envelope["total"]) == (9, 6, 6)
    versions = sorted((r["similar_versions"], r["doc_id"][0]) for r in envelope["results"])
    assert versions == [(0, "u"), (0, "u"), (0, "u"), (0, "u"), (1, "b"), (2, "a")]
    group_a = next(r["dup_group"] for r in envelope["results"] if r["doc_id"].startswith("a-"))
    assert group_a == "a-tempo"  # a group is named after its first indexed member


def test_a_group_expands_and_grouping_turns_off(service):
    expanded = _search(service, versions_of="a-tempo", dedupe="0")
    assert sorted(r["doc_id"] for r in expanded["results"]) == ["a-detik", "a-kompas", "a-tempo"]
    assert expanded["totals"]["documents"] == 3
    every = _search(service, dedupe="false")
    assert every["total"] == 9 and len(every["results"]) == 9
    assert all("similar_versions" not in r for r in every["results"])


def test_the_ui_shows_the_versions_link_and_the_toggle(service):
    client = create_app(replace(service.settings, rate_limit=0), service=service).test_client()
    page = client.get("/?q=banjir&mode=keyword").get_data(as_text=True)
    assert "9 passages in 9 documents contain all words" in page
    assert "6 after grouping similar versions" in page
    assert "+2 similar versions" in page and "+1 similar version<" in page
    assert "versions_of=a-tempo" in page and "dedupe=0" in page
