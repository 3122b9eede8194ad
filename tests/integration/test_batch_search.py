"""Batch search against the real node: counts known by construction, equal to the search page's totals.

A tiny index with the real mapping holds seven documents of two passages each (no vectors: batch search
is keyword search, no model is needed). Word ``kodeuji<letter n>`` is in exactly the first n documents
(``kodeujia`` in none, ``kodeujih`` in all seven), in both passages of documents 0 and 1; documents 0
and 1 are one near-duplicate group; even documents are source ``a``, odd ones ``b``; document j is dated
2020-01-(j+1). So every figure a row reports is known before anything is searched.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from arsip.settings import REPO_ROOT
from arsip.stemming import stem
from searchapp import batch
from searchapp.app import create_app
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService
from tests.conftest import make_test_settings

pytestmark = [pytest.mark.es]

DOCUMENTS = 7
WORDS = {f"kodeuji{chr(ord('a') + n)}": n for n in range(DOCUMENTS + 1)}  # word → documents holding it
PHRASE_DOCS, REVERSED_DOCS = (0, 1, 2), (3, 4)


def _words_of(j: int) -> list[str]:
    return [word for word, n in WORDS.items() if j < n]


def _expected(word: str, source: str | None = None) -> dict:
    docs = [j for j in range(WORDS[word]) if source is None or ("a" if j % 2 == 0 else "b") == source]
    return {
        "documents": len(docs),
        "passages": len(docs) + sum(1 for j in docs if j < 2),
        "groups": len(docs) - (1 if {0, 1} <= set(docs) else 0),
    }


@pytest.fixture(scope="module")
def service(base_settings, es):
    settings = make_test_settings(base_settings, "batch")
    body = json.loads((REPO_ROOT / "mappings" / "passages.json").read_text(encoding="utf-8"))
    es.indices.create(index=settings.index, settings=body["settings"], mappings=body["mappings"])
    operations = []
    for j in range(DOCUMENTS):
        words = " ".join(_words_of(j))
        phrase = "sungai hijau" if j in PHRASE_DOCS else ("hijau sungai" if j in REVERSED_DOCS else "")
        texts = [f"Catatan {words} {phrase}.", f"Lanjutan {words if j < 2 else 'lain'}."]
        for position, text in enumerate(texts):
            passage_id = f"d{j}:{position}"
            operations += [
                {"index": {"_index": settings.index, "_id": passage_id}},
                {
                    "passage_id": passage_id,
                    "doc_id": f"d{j}",
                    "position": position,
                    "n_passages": 2,
                    "text": text,
                    "text_stem": stem(text),
                    "title": f"Dokumen {j}",
                    "title_stem": stem(f"Dokumen {j}"),
                    "source": "a" if j % 2 == 0 else "b",
                    "collection": "uji",
                    "language": "id",
                    "date": f"2020-01-{j + 1:02d}",
                    **({"dup_group": "g01"} if j < 2 else {}),
                },
            ]
    es.bulk(operations=operations, refresh=True)
    yield SearchService(settings, es=es)
    es.indices.delete(index=settings.index)


def _search_totals(service: SearchService, q: str, **filters) -> dict:
    args = {"q": q, "mode": "keyword", **filters}
    return service.search(SearchRequest.from_args(args))["totals"]


TERMS = [*WORDS, '"sungai hijau"', "sungai hijau", "kodeujid -", "-", "kodeujif OR kodeujib"]


def test_every_row_is_known_by_construction_and_equals_the_search_page_totals(service):
    terms = batch.term_list(TERMS)
    envelope = batch.run_batch(service, terms, {}, chunk=3)
    rows = {row["term"]: row for row in envelope["rows"]}
    assert [row["term"] for row in envelope["rows"]] == TERMS
    for word in WORDS:
        assert {k: rows[word][k] for k in ("documents", "passages", "groups")} == _expected(word), word
    assert rows['"sungai hijau"']["documents"] == len(PHRASE_DOCS)  # quoted: a phrase
    assert rows["sungai hijau"]["documents"] == len(PHRASE_DOCS) + len(REVERSED_DOCS)
    assert rows["kodeujif OR kodeujib"]["documents"] == WORDS["kodeujif"]
    assert rows["kodeujid -"]["documents"] == WORDS["kodeujid"] and rows["kodeujid -"]["warnings"]
    assert rows["-"]["documents"] == 0 and rows["-"]["warnings"]  # reported, not dropped
    for term in TERMS:
        totals = _search_totals(service, term)
        row = rows[term]
        assert (row["documents"], row["groups"], row["passages"], row["exact"]) == (
            totals["documents"],
            totals["groups"],
            totals["passages"],
            totals["exact"],
        ), term
        assert row["error"] is None


def test_filters_apply_to_every_term_and_to_its_link(service):
    filters = {"source": ["a"], "date_from": "2020-01-01", "date_to": "2020-01-07"}
    envelope = batch.run_batch(service, batch.term_list(list(WORDS)), filters)
    assert envelope["filters"]["source"] == ["a"]
    for row in envelope["rows"]:
        expected = _expected(row["term"], source="a")
        assert {k: row[k] for k in ("documents", "passages", "groups")} == expected
        assert row["documents"] == _search_totals(service, row["term"], **filters)["documents"]
        assert row["search_url"].endswith(
            f"?q={row['term']}&mode=keyword&source=a&date_from=2020-01-01&date_to=2020-01-07"
        )


def test_count_many_chunks_its_msearch_calls_across_the_boundary(service, monkeypatch):
    calls: list[int] = []
    real = service.es.msearch

    def counting(*, searches, **options):
        calls.append(len(searches) // 2)
        return real(searches=searches, **options)  # options: the engine's filter_path

    monkeypatch.setattr(service.es, "msearch", counting)
    requests = [SearchRequest(q=word, mode="keyword") for word in WORDS]  # 8 terms
    chunked = service.count_many(requests, chunk=3)
    assert calls == [3, 3, 2]
    calls.clear()
    whole = service.count_many(requests, chunk=200)
    assert calls == [8] and chunked == whole


def test_api_answers_json_and_csv_with_the_same_rows(service):
    app = create_app(replace(service.settings, rate_limit=0), service=service)
    client = app.test_client()
    body = {"terms": ["kodeujic", "", "kodeujic", "kodeujih"], "filters": {"source": ["b"]}}
    response = client.post("/api/batch", json=body)
    assert response.status_code == 200
    envelope = response.get_json()
    assert envelope["blank_lines"] == 1 and envelope["duplicates"] == [
        {"term": "kodeujic", "line": 3, "first_line": 1}
    ]
    assert [(r["line"], r["term"], r["documents"]) for r in envelope["rows"]] == [
        (1, "kodeujic", 1),
        (4, "kodeujih", 3),
    ]
    page = client.get(envelope["rows"][1]["search_url"])  # the row's link: the search page, same filters
    assert page.status_code == 200
    assert _search_totals(service, "kodeujih", source=["b"])["documents"] == 3
    response = client.post("/api/batch", json={**body, "format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["term"], r["documents"], r["passages"]) for r in rows] == [
        ("kodeujic", "1", "2"),
        ("kodeujih", "3", "4"),
    ]
    assert "attachment" in response.headers["Content-Disposition"]


def test_the_batch_page_shows_the_same_rows_and_says_what_it_skipped(service):
    client = create_app(replace(service.settings, rate_limit=0), service=service).test_client()
    form = {"terms": "kodeujih\n\nkodeujih\n-", "source": "b"}
    html = client.post("/batch", data=form).get_data(as_text=True)
    assert "1 blank line skipped." in html
    assert "Line 3 repeats line 1 (kodeujih); it was searched once." in html
    assert '<a href="/?q=kodeujih&amp;mode=keyword&amp;source=b">kodeujih</a>' in html
    html = client.post("/batch?ui=id", data=form).get_data(as_text=True)
    assert "1 baris kosong dilewati." in html and "Baris 3 mengulang baris 1 (kodeujih)" in html
    upload = {"file": (io.BytesIO(b"kodeujih,x\nkodeujic,y\n"), "names.csv")}
    html = client.post("/batch?ui=en", data=upload, content_type="multipart/form-data").get_data(as_text=True)
    assert "2 rows had more columns." in html
    response = client.post("/batch", data={"terms": "\n".join(f"t{i}" for i in range(1001))})
    assert response.status_code == 400 and "The list has 1,001 different terms" in response.get_data(
        as_text=True
    )
