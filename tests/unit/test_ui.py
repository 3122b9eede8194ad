"""The web UI's rendering, escaping and languages, with a stand-in service.

These tests check what the pages make of the service's envelopes (highlights, escaping, errors, i18n,
links); search itself is tested against the real node in ``tests/integration``. The envelopes below have
the shape ``SearchService.search()`` / ``get_document()`` / ``similar()`` return, with text from the
sample press release.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import render_template_string
from flask_babel import gettext

from arsip.settings import Settings
from searchapp.app import create_app
from searchapp.errors import SearchError
from searchapp.pages.markup import highlighted, parse_highlight, trim_segments
from searchapp.search_request import SearchRequest

DOC_ID = "humas/press-release-rakernas-2020.txt"
SEED = (
    "Diantaranya, peningkatan kebutuhan Pilkada untuk penerapan protokol kesehatan pada setiap tahapan "
    "Pilkada, SDM penyelenggara dan petugas keamanan yang harus tegas dalam hal penerapan protocol kesehatan."
)
SEED_HIGHLIGHT = (
    "Diantaranya, peningkatan kebutuhan <mark>Pilkada</mark> untuk penerapan <mark>protokol</mark> "
    "<mark>kesehatan</mark> pada setiap tahapan <mark>Pilkada</mark>, SDM penyelenggara dan petugas keamanan "
    "yang harus tegas dalam hal penerapan protocol <mark>kesehatan</mark>."
)
XSS = "<script>alert(1)</script>"


def _result(doc_id=DOC_ID, title="Rakernas Sekda 2020", passages=None, **extra) -> dict:
    result = {
        "doc_id": doc_id,
        "title": title,
        "url": "https://humas.example.go.id/rakernas-2020",
        "source": "humas",
        "collection": "siaran-pers",
        "date": "2020-09-22",
        "language": "id",
        "author": None,
        "score": 0.0325,
        "passages": passages
        if passages is not None
        else [
            {"passage_id": f"{doc_id}:6", "position": 6, "text": SEED, "highlight": SEED_HIGHLIGHT},
            {
                "passage_id": f"{doc_id}:4",
                "position": 4,
                "text": "Pilkada Serentak 2020 merupakan agenda nasional.",
                "highlight": "<mark>Pilkada</mark> Serentak 2020 merupakan agenda nasional.",
            },
        ],
    }
    result.update(extra)
    return result


KNOWN_VALUES = {
    "source": ["Kompas.com", "humas", "tempo.co"],
    "collection": ["berita", "siaran-pers"],
    "language": ["id", "en"],
    "person": [],
    "org": ["Bawaslu"],
    "place": [],
}
"""The facets' values "in the index" (most frequent first), as ``SearchService.known_values`` gives them."""


def _envelope(results=None, total=2, page=1, size=10) -> dict:
    return {
        "query": "protokol kesehatan pilkada",
        "mode": "hybrid",
        "page": page,
        "size": size,
        "group": "document",
        "sort": "relevance",
        "total": total,
        "totals": {
            "documents": total,
            "passages": total * 3,
            "all_words_documents": 1,
            "some_words_documents": 0,
            "related_documents": max(0, total - 1),
            "undated_documents": 0,
            "exact": True,
        },
        "warnings": [],
        "histogram": {
            "interval": "year",
            "buckets": [
                {"key": "2019", "from": "2019-01-01", "to": "2019-12-31", "documents": 1},
                {"key": "2020", "from": "2020-01-01", "to": "2020-12-31", "documents": 1},
            ],
            "undated_documents": 0,
        },
        "took_ms": 44.6,
        "results": results
        if results is not None
        else [
            _result(title_highlight="Rakernas Sekda 2020"),
            _result(
                doc_id="clickid-kompas-00279",
                title="BMKG: Jakarta dan Tangerang Cerah Seharian",
                source="Kompas.com",
                collection="berita",
                date="2019-09-10",
                url="https://megapolitan.kompas.com/read/2019/09/10/bmkg",
                passages=[
                    {
                        "passage_id": "clickid-kompas-00279:0",
                        "position": 0,
                        "text": "Cuaca cerah; warga diminta tetap menjaga kesehatan.",
                        "highlight": "Cuaca cerah; warga diminta tetap menjaga <mark>kesehatan</mark>.",
                    }
                ],
            ),
        ],
        "facets": {
            "source": {
                "buckets": [{"value": "humas", "count": 1}, {"value": "Kompas.com", "count": 1}],
                "missing": 0,
            },
            "collection": {
                "buckets": [{"value": "siaran-pers", "count": 1}, {"value": "berita", "count": 1}],
                "missing": 0,
            },
            "language": {"buckets": [{"value": "id", "count": 2}], "missing": 0},
        },
    }


class FakeService:
    """Returns canned envelopes (or raises a canned error) and records the requests it got."""

    def __init__(self, envelope=None, document=None, similar=None, error: Exception | None = None):
        self.envelope = envelope if envelope is not None else _envelope()
        self.document = (
            document
            if document is not None
            else {
                "doc_id": DOC_ID,
                "title": "Rakernas Sekda 2020",
                "url": "https://humas.example.go.id/rakernas-2020",
                "source": "humas",
                "collection": "siaran-pers",
                "date": "2020-09-22",
                "language": "id",
                "author": "Pur/Humas",
                "passages": [
                    {"passage_id": f"{DOC_ID}:{i}", "position": i, "text": f"Paragraf {i}. " + SEED}
                    for i in range(8)
                ],
            }
        )
        self.similar_envelope = (
            similar
            if similar is not None
            else {
                "passage_id": f"{DOC_ID}:6",
                "results": [
                    _result(
                        doc_id="clickid-kompas-00279",
                        title="BMKG",
                        score=0.91,
                        passages=[
                            {
                                "passage_id": "clickid-kompas-00279:0",
                                "position": 0,
                                "text": "Warga diminta menjaga kesehatan.",
                                "highlight": None,
                            }
                        ],
                    )
                ],
            }
        )
        self.error = error
        self.requests: list[SearchRequest] = []

    def search(self, request: SearchRequest) -> dict:
        self.requests.append(request)
        if self.error:
            raise self.error
        return self.envelope

    def known_values(self) -> dict[str, list[str]]:
        if self.error:
            raise self.error
        return KNOWN_VALUES

    def get_document(self, doc_id: str, q: str = "") -> dict:
        if self.error:
            raise self.error
        if doc_id != self.document["doc_id"]:
            raise SearchError(404, "not_found", f"No document with id {doc_id!r}.")
        return self.document

    def similar(self, passage_id: str, size: int = 10) -> dict:
        if self.error:
            raise self.error
        return self.similar_envelope


def _client(service: FakeService):
    return create_app(Settings(), service=service).test_client()


def _html(response) -> str:
    return response.get_data(as_text=True)


# --- search page -------------------------------------------------------------------------------------


def test_home_without_query_shows_help_and_does_not_search():
    service = FakeService()
    response = _client(service).get("/")
    page = _html(response)
    assert response.status_code == 200
    assert service.requests == []
    assert '<html lang="en">' in page
    assert re.search(r'<input type="search" id="q" name="q"[^>]*autofocus', page)
    assert '<label for="q"' in page
    for example in ("&#34;tanah longsor&#34;", "-hoaks", "OR", "source:humas", "lang:id", "date:2020-12"):
        assert example in page
    assert 'href="#main"' in page and '<main id="main"' in page
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    client = _client(service)
    for asset in ("/static/arsip.css", "/static/arsip.js"):
        assert client.get(asset).status_code == 200


def test_results_render_with_highlights_counts_and_links():
    service = FakeService()
    response = _client(service).get("/?q=protokol+kesehatan+pilkada")
    page = _html(response)
    assert response.status_code == 200
    assert service.requests[0].q == "protokol kesehatan pilkada"
    assert "<mark>protokol</mark> <mark>kesehatan</mark>" in page
    # the header says what the count means: passages in documents, all words, some, related by meaning
    assert (
        "6 passages in 2 documents: 1 contains all words · 0 some of the words · 1 more related by meaning"
        in page
    )
    # and offers the trade the relevance floor makes (issue 20), kept with the rest of the search
    assert 'class="related-toggle">show more loosely related</a>' in page
    assert "related=loose" in page
    assert "45 ms" in page
    # the title links to the best passage of the document; passages link to "similar"
    # (carrying the search, so the document marks its words and leads back to these results)
    query = "q=protokol+kesehatan+pilkada"
    # the link names the passage by the number the page shows: position 6 is ¶ 7 (issue 21)
    assert f'href="/documents/humas/press-release-rakernas-2020.txt?{query}&amp;p=7#p-7"' in page
    assert f'href="/passages/humas/press-release-rakernas-2020.txt:6/similar?{query}"' in page
    assert 'href="https://humas.example.go.id/rakernas-2020"' in page
    assert "22 September 2020" in page and "Indonesian" in page
    # facet values are links that select them, with counts; the export link carries the query
    assert f'href="/?{query}&amp;source=humas" class="facet-toggle"' in page
    assert f'href="/?{query}&amp;lang=id" class="facet-toggle"' in page
    assert "(2 documents)" in page  # facet counts are documents
    exports = [unescape(link) for link in re.findall(r'href="(/api/export\?[^"]+)"', page)]
    assert [parse_qs(urlsplit(link).query) for link in exports] == [
        {"q": ["protokol kesehatan pilkada"], "format": [fmt]} for fmt in ("csv", "jsonl")
    ]


def test_title_and_text_with_script_are_escaped():
    evil = _result(
        title=XSS,
        url="javascript:alert(1)",
        source=XSS,
        passages=[{"passage_id": "x:0", "position": 0, "text": f"before {XSS} after", "highlight": None}],
    )
    page = _html(_client(FakeService(_envelope([evil], total=1))).get("/?q=alert"))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page  # shown as text, never as a link


def test_document_page_escapes_script():
    service = FakeService()
    service.document = {
        **service.document,
        "title": XSS,
        "passages": [{"passage_id": f"{DOC_ID}:0", "position": 0, "text": XSS}],
    }
    page = _html(_client(service).get(f"/documents/{DOC_ID}"))
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_malicious_highlight_is_escaped():
    bad = "<mark>banjir</mark> <img src=x onerror=alert(1)> jakarta"
    evil = _result(
        title_highlight="<mark>x</mark><svg onload=alert(1)>",
        passages=[{"passage_id": "x:0", "position": 0, "text": "banjir jakarta", "highlight": bad}],
    )
    page = _html(_client(FakeService(_envelope([evil], total=1))).get("/?q=banjir"))
    assert "<img" not in page and "<svg onload" not in page  # (the date histogram is an <svg> of ours)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;mark&gt;banjir&lt;/mark&gt;" in page  # the whole fragment is escaped, marks included


@pytest.mark.parametrize(
    "fragment",
    [
        "<mark>a</mark> <b>b</b>",
        "<mark>a",
        "a</mark>",
        "<mark><mark>a</mark></mark>",
        "a > b",
        "<MARK>a</MARK>",
        "<mark onclick=x>a</mark>",
    ],
)
def test_highlight_sanitizer_rejects_anything_but_mark(fragment):
    assert parse_highlight(fragment) is None
    assert str(highlighted(fragment)) == str(highlighted(None, fragment))  # fully escaped


def test_highlight_entities_stay_escaped():
    # Elasticsearch escapes the text around the tags; an escaped tag must not come back as a tag
    rendered = str(highlighted("a &lt;b&gt; &amp; <mark>c</mark> &#x27;d&#x27;"))
    assert rendered == "a &lt;b&gt; &amp; <mark>c</mark> &#39;d&#39;"


def test_long_passages_are_cut_around_the_highlights():
    text = "kata " * 200 + "<mark>protokol</mark> <mark>kesehatan</mark> pilkada " + "lagi " * 200
    segments = trim_segments(parse_highlight(text))
    snippet = "".join(part for part, _ in segments)
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 500
    assert ("protokol", True) in segments and ("kesehatan", True) in segments
    short = parse_highlight("pendek <mark>sekali</mark>")
    assert trim_segments(short) == short


def test_engine_unavailable_is_a_friendly_503():
    message = (
        "Elasticsearch is not reachable at http://127.0.0.1:9200. Start the local node with `arsip es start`."
    )
    service = FakeService(error=SearchError(503, "engine_unavailable", message))
    client = _client(service)
    response = client.get("/?q=banjir")
    page = _html(response)
    assert response.status_code == 503
    assert "The search engine is not available" in page
    assert "The search engine could not be reached or did not answer." in page  # for the user
    assert '<p lang="en">Elasticsearch is not reachable at http://127.0.0.1:9200.' in page  # for the operator
    assert "Traceback" not in page and 'value="banjir"' in page  # the form stays, filled in
    for path in (f"/documents/{DOC_ID}", f"/passages/{DOC_ID}:0/similar"):
        response = client.get(path)
        assert response.status_code == 503 and "Elasticsearch is not reachable" in _html(response)
    page = _html(client.get("/?q=banjir&ui=id"))
    assert "Mesin pencari tidak dapat dihubungi atau tidak menjawab." in page and "Rincian teknis" in page


def test_bad_request_is_400_with_the_message():
    response = _client(FakeService()).get("/?q=banjir&mode=fuzzy")
    assert response.status_code == 400
    assert "Unknown search mode: choose hybrid, keyword or semantic." in _html(response)
    service = FakeService(error=SearchError(400, "bad_query", "Elasticsearch rejected the query: x"))
    response = _client(service).get("/?q=banjir")
    assert response.status_code == 400 and "could not run this query" in _html(response)
    assert "Elasticsearch rejected the query: x" in _html(response)  # under "technical details"
    response = _client(FakeService()).get("/?q=banjir&date_from=2020-13-01")
    assert response.status_code == 400
    assert "The start date must be a real date written YYYY-MM-DD." in _html(response)


@pytest.mark.parametrize(
    ("query", "english", "indonesian"),
    [
        ("size=500", "The value for results per page must be between 1 and 100.", "Nilai hasil per halaman"),
        ("size=x", "The value for results per page must be a whole number.", "harus berupa bilangan bulat"),
        ("page=150", "at 10 results a page, the last page is 100.", "halaman terakhir adalah 100"),
        ("size=5&size=7", "The value for results per page was given more than once", "lebih dari sekali"),
        ("dedupe=maybe", "The value for grouping similar versions must be true or false.", "harus true atau"),
        ("sort=best", "Unknown sort order", "Urutan tidak dikenal"),
    ],
)
def test_ui_errors_are_in_the_ui_language_without_parameter_names(query, english, indonesian):
    client = _client(FakeService())
    en = _html(client.get(f"/?q=banjir&{query}&ui=en"))
    id_ = _html(client.get(f"/?q=banjir&{query}&ui=id"))
    assert english in unescape(en) and indonesian in unescape(id_)
    for page in (en, id_):
        message = re.search(r'<p class="message">(.*?)</p>', page, re.S).group(1)
        for name in ("size", "dedupe", "date_from", "date_to", "facets", "fusion"):  # (page, sort: words)
            assert not re.search(rf"\b{name}\b", message), (name, message)


def test_empty_state_has_tips():
    page = _html(_client(FakeService(_envelope([], total=0))).get("/?q=zzqx&source=humas"))
    assert "No results for “zzqx”" in page
    assert "Remove some filters" in page and "Clear all filters" in page


def test_pagination_keeps_query_and_filters():
    service = FakeService(_envelope(total=95, page=3))
    page = _html(
        _client(service).get(
            "/?q=banjir&source=humas&source=tempo&lang=id&date_from=2020-01-01&mode=keyword&page=3"
        )
    )
    nav = re.search(r'<nav class="pagination".*?</nav>', page, re.S).group(0)
    links = [unescape(href) for href in re.findall(r'href="([^"]+)"', nav)]
    pages = [parse_qs(urlsplit(link).query) for link in links]
    assert [p["page"] for p in pages] == [["2"], ["1"], ["2"], ["3"], ["4"], ["5"], ["10"], ["4"]]
    for query in pages:
        assert query["q"] == ["banjir"] and query["source"] == ["humas", "tempo"] and query["lang"] == ["id"]
        assert query["date_from"] == ["2020-01-01"] and query["mode"] == ["keyword"]
    assert 'aria-current="page"' in nav
    request = service.requests[0]
    assert request.filters.sources == ["humas", "tempo"] and request.page == 3
    # the selected filter values are kept by the form, including one the facets do not list
    assert '<input type="hidden" name="source" value="tempo">' in page
    named = _html(_client(service).get("/?q=banjir&person=Joko+Widodo&place=Medan&org=KPU"))
    search_form = re.search(r'<form id="search-form".*?</form>', named, re.S).group(0)
    for param, value in (("person", "Joko Widodo"), ("org", "KPU"), ("place", "Medan")):
        assert f'<input type="hidden" name="{param}" value="{value}">' in search_form, param
    assert '<input type="hidden" name="lang" value="id">' in page
    assert 'id="mode-keyword" name="mode" value="keyword" checked' in page


def test_histogram_bars_link_to_their_date_range():
    page = _html(_client(FakeService()).get("/?q=banjir"))
    assert "Matching documents per year" in page
    assert 'aria-label="2020: 1 document"' in page
    link = unescape(re.search(r'href="([^"]*date_from=2020-01-01[^"]*)"', page).group(1))
    assert parse_qs(urlsplit(link).query) == {
        "q": ["banjir"],
        "date_from": ["2020-01-01"],
        "date_to": ["2020-12-31"],
    }


def test_warnings_and_missing_words_are_shown_in_the_ui_language():
    envelope = _envelope(results=[_result(missing=["banjir"])], total=1)
    envelope["warnings"] = [
        {
            "code": "invalid_date",
            "text": "date:2019-13",
            "message": {"en": "not a valid date; ignored", "id": "bukan tanggal yang sah; diabaikan"},
        }
    ]
    client = _client(FakeService(envelope=envelope))
    english = _html(client.get("/?q=banjir+date:2019-13"))
    assert "<code>date:2019-13</code>: not a valid date; ignored" in english
    assert "Missing: banjir" in english
    indonesian = _html(client.get("/?q=banjir+date:2019-13&ui=id"))
    assert "<code>date:2019-13</code>: bukan tanggal yang sah; diabaikan" in indonesian
    assert "Tidak memuat: banjir" in indonesian


def test_sort_is_a_form_choice_and_reaches_the_service():
    service = FakeService()
    page = _html(_client(service).get("/?q=banjir&sort=newest"))
    assert '<option value="newest" selected>Newest first</option>' in page
    assert service.requests[0].sort == "newest"


def test_filters_without_query_browse():
    service = FakeService()
    page = _html(_client(service).get("/?source=humas"))
    assert service.requests and service.requests[0].filters.sources == ["humas"]
    assert "browsing by filters" in page


# --- languages -----------------------------------------------------------------------------------------


def test_indonesian_from_accept_language():
    page = _html(
        _client(FakeService()).get("/?q=banjir", headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"})
    )
    assert '<html lang="id">' in page
    assert "2 dokumen" in page and "Paragraf serupa" in page and "22 September 2020" in page
    assert 'lang="en"' in page and ">English</a>" in page  # the switch offers the other language


def test_english_is_the_default_and_wins_when_preferred():
    page = _html(_client(FakeService()).get("/", headers={"Accept-Language": "en-US,en;q=0.9,id;q=0.8"}))
    assert '<html lang="en">' in page and "Query syntax" in page


def test_ui_parameter_switches_and_persists_in_a_cookie():
    client = _client(FakeService())
    response = client.get("/?ui=id")
    assert '<html lang="id">' in _html(response) and "Sintaks pencarian" in _html(response)
    assert "arsip_ui=id" in response.headers["Set-Cookie"]
    assert "Accept-Language" in response.headers["Vary"]
    again = client.get("/", headers={"Accept-Language": "en"})  # the cookie beats the header
    assert '<html lang="id">' in _html(again)
    back = client.get("/?ui=en")
    assert '<html lang="en">' in _html(back)
    # the switch link keeps the current query
    page = _html(client.get("/?q=banjir&source=humas"))
    switch = unescape(re.search(r'class="lang-switch" href="([^"]+)"', page).group(1))
    assert parse_qs(urlsplit(switch).query) == {"q": ["banjir"], "source": ["humas"], "ui": ["id"]}


def test_plurals_and_numbers_follow_the_ui_language():
    app = _client(FakeService()).application
    for lang, count, expected in [
        ("id", 1234, "1.234 dokumen"),
        ("en", 1234, "1,234 documents"),
        ("en", 1, "1 document"),
        ("id", 1, "1 dokumen"),
    ]:
        with app.test_request_context(f"/?ui={lang}"):
            template = '{{ ngettext("%(num)s document", "%(num)s documents", n, num=fmt_number(n)) }}'
            assert render_template_string(template, n=count) == expected
            assert gettext("no such message") == "no such message"  # an unknown msgid shows as written


def test_error_pages_are_translated():
    response = _client(FakeService()).get("/no/such/page", headers={"Accept-Language": "id"})
    assert response.status_code == 404 and "Tidak ditemukan" in _html(response)


# --- document and similar pages -------------------------------------------------------------------------


def test_document_page_marks_the_passage():
    # ?p= and #p- name the paragraph as the page shows it: ¶ 7 is position 6 (one number, issue 21)
    page = _html(_client(FakeService()).get(f"/documents/{DOC_ID}?p=7"))
    marked = re.findall(r'<div class="doc-passage[^"]*"[^>]*>', page)
    assert len(marked) == 8
    assert marked[6] == '<div class="doc-passage is-marked" id="p-7" aria-current="true" tabindex="-1">'
    assert sum("is-marked" in tag for tag in marked) == 1
    assert [re.search(r'id="(p-\d+)"', tag).group(1) for tag in marked] == [f"p-{i + 1}" for i in range(8)]
    assert "Pur/Humas" in page and '<a href="#p-7" class="permalink">¶ 7</a>' in page
    assert f'href="/passages/{DOC_ID}:6/similar"' in page
    assert "arsip.js" in page


def test_document_page_without_marker_and_unknown_document():
    client = _client(FakeService())
    page = _html(client.get(f"/documents/{DOC_ID}"))
    assert "is-marked" not in page and "aria-current" not in page
    response = client.get("/documents/nope")
    assert response.status_code == 404 and "nope" in _html(response) and "Not found" in _html(response)


def test_similar_page_lists_passages_from_other_documents():
    page = _html(_client(FakeService()).get(f"/passages/{DOC_ID}:6/similar"))
    assert "Similar passages" in page and "BMKG" in page and "similarity 0.91" in page
    assert 'href="/documents/clickid-kompas-00279?p=1#p-1"' in page


def test_unexpected_error_is_a_500_page_without_traceback():
    service = FakeService(error=RuntimeError("boom"))
    response = _client(service).get(f"/documents/{DOC_ID}")
    assert response.status_code == 500
    assert "Something went wrong on our side" in _html(response)
    assert "Traceback" not in _html(response) and "boom" not in _html(response)


@pytest.mark.parametrize(
    ("mode", "totals", "english", "indonesian"),
    [
        ("keyword", (1, 1, 1, 0), "1 passage in 1 document contains all words", "1 paragraf dalam 1 dokumen"),
        (
            "keyword",
            (11, 1, 1, 0),
            "11 passages in 1 document contain all words",
            "11 paragraf dalam 1 dokumen",
        ),
        (
            "hybrid",
            (3, 3, 1, 1),
            "3 passages in 3 documents: 1 contains all words · 1 some of the words · 1 more related by "
            "meaning",
            "3 paragraf dalam 3 dokumen: 1 memuat semua kata · 1 memuat sebagian kata · 1 lainnya terkait "
            "menurut makna",
        ),
        (
            "semantic",
            (1, 1, 0, 1),
            "1 passage in 1 document related by meaning",
            "1 paragraf dalam 1 dokumen",
        ),
    ],
)
def test_counts_take_their_plural_forms_in_both_languages(mode, totals, english, indonesian):
    """Issue 21: "1 contain all words", "11 passages in 1 documents"."""
    passages, documents, all_words, related = totals
    envelope = _envelope(total=documents)
    envelope["mode"] = mode
    envelope["totals"].update(
        passages=passages,
        documents=documents,
        all_words_documents=all_words,
        some_words_documents=documents - all_words - related if mode == "hybrid" else 0,
        related_documents=related,
    )
    client = _client(FakeService(envelope=envelope))
    assert english in _html(client.get(f"/?q=pilkada&mode={mode}&ui=en"))
    assert indonesian in _html(client.get(f"/?q=pilkada&mode={mode}&ui=id"))


def test_a_date_range_says_how_many_undated_documents_it_hides_with_a_way_to_include_them():
    envelope = _envelope()
    envelope["totals"]["undated_excluded"] = 3
    client = _client(FakeService(envelope=envelope))
    page = _html(client.get("/?q=pilkada&date_from=2019-01-01&date_to=2021-12-31&ui=en"))
    assert "3 undated documents not shown: the date range leaves them out." in page
    assert "undated=1" in page and "Include documents without a date" in page
    page = _html(client.get("/?q=pilkada&date_from=2019-01-01&ui=id"))
    assert "3 dokumen tanpa tanggal tidak ditampilkan" in page


def test_the_first_link_on_a_results_page_skips_to_the_results():
    """Issue 21: 36 Tab presses to reach the first result; the skip link went to the search box."""
    client = _client(FakeService())
    page = _html(client.get("/?q=pilkada&ui=en"))
    first_link = re.search(r"<a [^>]*>", page).group(0)
    assert 'href="#results"' in first_link and "Skip to results" in page
    assert re.search(r'<ol class="result-list" id="results" tabindex="-1"', page)
    assert 'href="#results"' not in _html(client.get("/?ui=en"))  # no results: no such link
    assert "Langsung ke hasil" in _html(client.get("/?q=pilkada&ui=id"))


def test_slash_search_is_the_search_page():
    response = _client(FakeService()).get("/search?q=pilkada&mode=keyword")
    assert response.status_code == 301 and response.headers["Location"] == "/?q=pilkada&mode=keyword"


def test_date_fields_are_written_year_month_day_in_both_languages():
    """Issue 21: the Indonesian UI showed the date inputs as mm/dd/yyyy (the browser's order)."""
    client = _client(FakeService())
    for ui, placeholder in (("en", "YYYY-MM-DD"), ("id", "TTTT-BB-HH")):
        for path in ("/?q=pilkada", "/batch"):
            page = _html(client.get(f"{path}{'&' if '?' in path else '?'}ui={ui}"))
            fields = re.findall(r'<input [^>]*id="date_(?:from|to)"[^>]*>', page)
            assert len(fields) == 2, path
            assert all('type="text"' in f and f'placeholder="{placeholder}"' in f for f in fields)
