"""People / Organisations / Places facets, ``person:``/``org:``/``place:``, export columns, the entity
API and page and the marked document view, on a corpus whose entities are known by construction: the
indexer's tagger is replaced by one that names, in each text, the names listed for it here.

Documents (all mention "pilkada"): e-1 names Ani (person), KPU (org), Bandung (place); e-2 Ani, Bawaslu,
Bandung; e-3 Budi, KPU; e-4 names nobody. So the People facet counts Ani 2, Budi 1; Organisations KPU 2,
Bawaslu 1; Places Bandung 2. ``person:Ani`` → e-1, e-2; ``org:KPU -place:Bandung`` → e-3.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from arsip.entities.tagger import Mention
from indexer.orchestration import Indexer
from searchapp.app import create_app
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService
from tests.conftest import make_test_settings

pytestmark = pytest.mark.es

ANI, BUDI, KPU, BAWASLU, BANDUNG = (
    ("person", "Ani"),
    ("person", "Budi"),
    ("org", "KPU"),
    ("org", "Bawaslu"),
    (
        "place",
        "Bandung",
    ),
)
DOCS = {  # id → (date, text, [(kind, name)])
    "e-1": ("2020-01-15", "Ani bertemu KPU di Bandung soal pilkada.", [ANI, KPU, BANDUNG]),
    "e-2": ("2020-03-02", "Ani dan Bawaslu di Bandung membahas pilkada.", [ANI, BAWASLU, BANDUNG]),
    "e-3": ("2021-07-09", "Budi dari KPU menilai pilkada berjalan baik.", [BUDI, KPU]),
    "e-4": ("2021-08-01", "Warga menyambut pilkada dengan tenang.", []),
}


class ScriptedTagger:
    """Names, in a text, the names the corpus lists for it, at their first occurrence."""

    version = "scripted"

    def mentions(self, text: str) -> list[Mention]:
        for _, body, names in DOCS.values():
            if body in text:
                start = text.index(body)
                return [
                    Mention(
                        kind,
                        name,
                        start + body.index(name),
                        start + body.index(name) + len(name),
                        "Ketua" if body.startswith("Ani bertemu") and name == "Ani" else None,
                    )
                    for kind, name in names
                ]
        return []


@pytest.fixture(scope="module")
def service(base_settings, es, embedder) -> SearchService:
    settings = make_test_settings(base_settings, "entity-facets")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    indexer.tagger = ScriptedTagger()
    records = [
        {"id": doc_id, "title": f"Kabar {doc_id}", "text": text, "date": day, "source": "S"}
        for doc_id, (day, text, _) in DOCS.items()
    ]
    assert indexer.index_documents(records).ok
    es.indices.refresh(index=settings.index)
    return SearchService(settings, es=es, embedder=embedder)


@pytest.fixture(scope="module")
def client(service):
    return create_app(replace(service.settings, rate_limit=0), service=service).test_client()


def _search(service, q: str = "pilkada", **filters) -> dict:
    args = {"q": [q], "mode": ["keyword"], **{k: list(v) for k, v in filters.items()}}
    return service.search(SearchRequest.from_args(args))


def _facet(envelope: dict, name: str) -> list[tuple[str, int, bool]]:
    return [(b["value"], b["count"], b["selected"]) for b in envelope["facets"][name]["buckets"]]


def test_entity_facets_count_documents(service):
    envelope = _search(service)
    assert envelope["totals"]["documents"] == 4
    assert _facet(envelope, "person") == [("Ani", 2, False), ("Budi", 1, False)]
    assert _facet(envelope, "org") == [("KPU", 2, False), ("Bawaslu", 1, False)]
    assert _facet(envelope, "place") == [("Bandung", 2, False)]


def test_selecting_a_person_keeps_the_other_people(service):
    envelope = _search(service, person=["Ani"])
    assert {r["doc_id"] for r in envelope["results"]} == {"e-1", "e-2"}
    assert _facet(envelope, "person") == [("Ani", 2, True), ("Budi", 1, False)]
    assert _facet(envelope, "org") == [("Bawaslu", 1, False), ("KPU", 1, False)]


def test_query_syntax_selects_and_excludes_entities(service):
    assert {r["doc_id"] for r in _search(service, 'pilkada person:"ani"')["results"]} == {"e-1", "e-2"}
    assert {r["doc_id"] for r in _search(service, "pilkada org:KPU -place:Bandung")["results"]} == {"e-3"}


def test_export_has_entity_columns(client):
    response = client.get("/api/export?q=pilkada&mode=keyword&format=csv")
    rows = {
        r["doc_id"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    }
    assert (rows["e-1"]["people"], rows["e-1"]["organisations"], rows["e-1"]["places"]) == (
        "Ani",
        "KPU",
        "Bandung",
    )
    assert rows["e-4"]["people"] == ""


def test_entity_api_and_page(client):
    profile = client.get("/api/entities/person/ani").get_json()
    assert (profile["name"], profile["documents"]) == ("Ani", 2)
    assert profile["related"]["org"] == [{"value": "Bawaslu", "count": 1}, {"value": "KPU", "count": 1}]
    assert profile["related"]["person"] == []  # never itself
    assert profile["roles"] == [{"value": "Ketua", "count": 1}]  # e-1 writes "Ketua" with the name
    assert [b["documents"] for b in profile["histogram"]["buckets"]] == [1, 0, 1]  # Jan, Feb, Mar 2020
    assert [d["doc_id"] for d in profile["latest"]] == ["e-2", "e-1"]
    assert client.get("/api/entities/thing/x").status_code == 404
    page = client.get("/entities/org/KPU").get_data(as_text=True)
    assert "KPU" in page and "/entities/person/Ani" in page and "/entities/person/Budi" in page


def test_document_view_marks_entities(client):
    document = client.get("/api/documents/e-1").get_json()
    assert document["entities"] == {"person": ["Ani"], "org": ["KPU"], "place": ["Bandung"]}
    assert document["passages"][0]["mentions"][0] == {"kind": "person", "name": "Ani", "start": 0, "end": 3}
    page = client.get("/documents/e-1?q=pilkada").get_data(as_text=True)
    assert '<a class="entity entity-place" href="/entities/place/Bandung" title="Bandung">Bandung</a>' in page
    assert "<mark>pilkada</mark>" in page
