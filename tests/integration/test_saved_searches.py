"""Saved searches against the real node: new-since counts, feeds, owner checks, the API and the pages.

The corpus is built here, by construction: three documents mention "gerhana"; after the saved search
is opened, two more that do and one that does not are indexed by the real indexer, so exactly two
documents are new and the feeds list them first, newest first.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from searchapp.errors import SearchError
from searchapp.saved_searches import SavedSearchStore, search_request
from tests.conftest import make_test_settings

pytestmark = [pytest.mark.es, pytest.mark.model]

ATOM = "{http://www.w3.org/2005/Atom}"
WORD = "gerhana"


def record(doc_id: str, matching: bool) -> dict:
    topic = (
        f"Warga berkumpul di alun-alun untuk menyaksikan {WORD} matahari cincin pada siang hari."
        if matching
        else "Petani di lereng gunung memanen kopi arabika lebih awal karena musim kemarau panjang."
    )
    return {
        "id": doc_id,
        "title": f"Laporan {doc_id}",
        "text": f"{topic} Catatan nomor {doc_id} ditulis oleh koresponden daerah untuk arsip uji.",
        "source": "uji",
        "date": "2024-10-02",
        "url": f"https://example.org/{doc_id}",
    }


@pytest.fixture(scope="module")
def corpus(base_settings, es, embedder):
    from indexer.orchestration import Indexer

    settings = make_test_settings(base_settings, "saved", rate_limit=0)
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    summary = indexer.index_documents([record(f"lama-{n}", True) for n in (1, 2, 3)])
    assert summary.ok, summary.render()
    return settings, indexer


@pytest.fixture(scope="module")
def app(corpus, es, embedder):
    from searchapp.app import create_app
    from searchapp.service import SearchService

    settings, _ = corpus
    return create_app(settings, service=SearchService(settings, es=es, embedder=embedder))


@pytest.fixture
def client(app):
    return app.test_client()


def _create(client, name: str, **search) -> dict:
    response = client.post("/api/saved", json={"name": name, "search": search})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_new_documents_since_last_opened_and_the_feeds(client, corpus):
    _, indexer = corpus
    saved = _create(client, "Gerhana", q=WORD, mode="keyword")
    assert saved["new_documents"] == 0 and saved["search"] == {
        "q": WORD,
        "mode": "keyword",
        "sort": "relevance",
    }
    opened = client.post(f"/api/saved/{saved['id']}/open").get_json()
    assert opened["last_opened_at"] > saved["last_opened_at"]

    for doc_id, matching in (("baru-1", True), ("baru-2", True), ("lain-1", False)):
        assert indexer.index_documents([record(doc_id, matching)]).ok  # one run each: distinct times

    fetched = client.get(f"/api/saved/{saved['id']}").get_json()
    assert fetched["new_documents"] == 2
    listed = {item["id"]: item for item in client.get("/api/saved").get_json()["saved"]}
    assert listed[saved["id"]]["new_documents"] == 2
    page = client.get("/saved").get_data(as_text=True)
    assert "2 new documents since last opened" in page

    feed = client.get(saved["links"]["json_feed"])
    assert feed.status_code == 200 and feed.content_type.startswith("application/feed+json")
    items = feed.get_json()["items"]
    ids = [item["id"].rsplit("/", 1)[-1] for item in items]
    assert ids[:2] == ["baru-2", "baru-1"]  # newest by indexing time first
    assert sorted(ids[2:]) == ["lama-1", "lama-2", "lama-3"] and "lain-1" not in ids
    assert items[0]["url"].endswith("/documents/baru-2?p=1#p-1")  # ¶ 1 (issue 21)
    assert items[0]["url"] and items[0]["title"] == "Laporan baru-2"

    atom = client.get(saved["links"]["atom"])
    assert atom.status_code == 200 and atom.content_type == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(atom.data)
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}"), required
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id").rsplit("/", 1)[-1] for e in entries] == ids
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{required}"), required
        assert entry.find(f"{ATOM}link").get("href").startswith("http://localhost/documents/")
    assert WORD in entries[0].findtext(f"{ATOM}summary")

    # A GET of the open address (a link preview, a prefetch) shows the search but changes nothing ...
    peek = client.get(f"/saved/{saved['id']}/open")
    assert peek.status_code == 303 and peek.headers["Location"] == f"/?q={WORD}&mode=keyword&sort=relevance"
    assert client.get(f"/api/saved/{saved['id']}").get_json()["new_documents"] > 0
    # ... opening it on the page (a POST, issue 21) runs the search and clears "new"
    response = client.post(f"/saved/{saved['id']}/open")
    assert (
        response.status_code == 303
        and response.headers["Location"] == f"/?q={WORD}&mode=keyword&sort=relevance"
    )
    assert client.get(f"/api/saved/{saved['id']}").get_json()["new_documents"] == 0


def test_new_counts_are_documents_with_the_search_pages_semantics(client, app):
    """The same filters as the search page: a source filter that matches nothing counts nothing new."""
    from searchapp.context import EXTENSION

    none = _create(client, "Elsewhere", q=WORD, mode="keyword", source=["tidak-ada"])
    store = SavedSearchStore(app.extensions[EXTENSION].es, app.config["ARSIP_SETTINGS"])
    store.mark_opened("local", none["id"], at="2000-01-01T00:00:00.000+00:00")
    everything = _create(client, "Everything", q=WORD, mode="keyword")
    store.mark_opened("local", everything["id"], at="2000-01-01T00:00:00.000+00:00")
    assert client.get(f"/api/saved/{none['id']}").get_json()["new_documents"] == 0
    with app.test_request_context():
        envelope = app.extensions[EXTENSION].search(search_request(everything["search"]))
    assert (
        client.get(f"/api/saved/{everything['id']}").get_json()["new_documents"]
        == envelope["totals"]["documents"]
    )


def test_the_owner_is_checked_on_every_read_and_write(app):
    from searchapp.context import EXTENSION

    store = SavedSearchStore(app.extensions[EXTENSION].es, app.config["ARSIP_SETTINGS"])
    with app.test_request_context():
        alice = store.create("alice", "Alice's", search_request({"q": WORD, "mode": "keyword"}))
        for attempt in (
            lambda: store.get("bob", alice.id),
            lambda: store.rename("bob", alice.id, "mine now"),
            lambda: store.mark_opened("bob", alice.id),
            lambda: store.delete("bob", alice.id),
        ):
            with pytest.raises(SearchError) as caught:
                attempt()
            assert caught.value.status == 404  # someone else's is "not found", never shown
        assert store.list("bob")[0] == 0
        assert store.get("alice", alice.id).name == "Alice's"
    listed = app.test_client().get("/api/saved?size=100").get_json()["saved"]
    assert alice.id not in {item["id"] for item in listed}  # the API asks as the local owner


def test_api_rename_delete_and_refusals(client):
    saved = _create(client, "Old name", q="kopi", mode="keyword", lang=["id"], dedupe=False)
    assert saved["search"] == {
        "q": "kopi",
        "mode": "keyword",
        "sort": "relevance",
        "lang": ["id"],
        "dedupe": False,
    }
    renamed = client.patch(f"/api/saved/{saved['id']}", json={"name": "  New\tname "})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "New name"

    bad = {
        "no body": client.post("/api/saved"),
        "not JSON": client.post(
            "/api/saved", data="name=x", content_type="application/x-www-form-urlencoded"
        ),
        "no name": client.post("/api/saved", json={"search": {}}),
        "blank name": client.post("/api/saved", json={"name": " \n", "search": {}}),
        "unknown field": client.post("/api/saved", json={"name": "x", "search": {}, "owner": "bob"}),
        "bad mode": client.post("/api/saved", json={"name": "x", "search": {"mode": "x"}}),
        "rename to nothing": client.patch(f"/api/saved/{saved['id']}", json={"name": ""}),
    }
    for what, response in bad.items():
        assert response.status_code == 400, what
        error = response.get_json()["error"]
        assert error["code"] and error["message"].endswith("."), what
        assert "Traceback" not in error["message"]
    assert (
        client.post(
            "/api/saved", headers={"Origin": "https://evil.example"}, json={"name": "x", "search": {}}
        ).status_code
        == 403
    )
    assert client.put(f"/api/saved/{saved['id']}", json={"name": "x"}).status_code == 405

    assert client.delete(f"/api/saved/{saved['id']}").status_code == 204
    for response in (
        client.get(f"/api/saved/{saved['id']}"),
        client.patch(f"/api/saved/{saved['id']}", json={"name": "x"}),
        client.delete(f"/api/saved/{saved['id']}"),
        client.post(f"/api/saved/{saved['id']}/open"),
        client.get(f"/api/saved/{saved['id']}/feed.atom"),
        client.get("/api/saved/no-such-id/feed.json"),
    ):
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_pages_save_rename_and_delete_without_javascript(client):
    response = client.post("/saved", data={"name": "Kopi", "q": "kopi", "mode": "keyword", "source": "uji"})
    assert response.status_code == 303
    saved_id = response.headers["Location"].rsplit("#saved-", 1)[-1]
    page = client.get("/saved").get_data(as_text=True)
    assert f'id="saved-{saved_id}"' in page and "Keyword · Source: uji" in page
    assert client.post(f"/saved/{saved_id}/rename", data={"name": "Kopi arabika"}).status_code == 303
    assert ">Kopi arabika</a>" in client.get("/saved").get_data(as_text=True)
    refused = client.post(f"/saved/{saved_id}/delete", headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    assert (
        client.post(f"/saved/{saved_id}/delete", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 303
    )
    assert f'id="saved-{saved_id}"' not in client.get("/saved").get_data(as_text=True)
    blank = client.post("/saved", data={"name": " ", "q": "kopi"})
    assert blank.status_code == 400 and "Give the saved search a name." in blank.get_data(as_text=True)


def test_engine_down_is_503(corpus, embedder):
    from searchapp.app import create_app
    from searchapp.service import SearchService

    settings, _ = corpus
    down = replace(  # no CA file: a plain-http URL with TLS options is refused before any request
        settings, es_url="http://127.0.0.1:9", es_ca_certs=None, saved_searches_index=f"{settings.index}-down"
    )
    client = create_app(down, service=SearchService(down, embedder=embedder)).test_client()
    for response in (
        client.get("/api/saved"),
        client.post("/api/saved", json={"name": "x", "search": {"q": "x"}}),
        client.get("/api/saved/abc/feed.json"),
    ):
        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.get_json()["error"]["code"] == "engine_unavailable"
    assert client.get("/saved").status_code == 503


def test_messages_and_pages_in_indonesian(client):
    refused = client.post("/api/saved", json={"name": " ", "search": {}}, headers={"Accept-Language": "id"})
    assert refused.status_code == 400
    assert refused.get_json()["error"]["message"] == "Beri nama pencarian yang disimpan."
    saved = _create(client, "Kopi id", q="kopi", mode="keyword", lang=["id"])
    page = client.get("/saved?ui=id").get_data(as_text=True)
    assert "<h1>Pencarian tersimpan</h1>" in page and "Bahasa: Indonesia" in page
    assert "0 dokumen baru sejak terakhir dibuka" in page
    assert client.delete(f"/api/saved/{saved['id']}").status_code == 204
