"""Fuzzing the real app (real node, real model, the sample index) with hostile parameters.

Every parameter of /api/search, /api/export, /api/documents/<id>, /api/passages/<id>/similar and the UI
pages gets over-long text, control characters, NUL, odd Unicode, Lucene syntax, bad numbers and dates,
unknown enum values, repeated parameters and raw non-UTF-8 bytes. The app must never answer 500 nor
show a traceback; API errors are JSON with a code and a message; the UI never echoes user text unescaped.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from indexer.orchestration import Indexer
from searchapp.app import create_app
from searchapp.service import SearchService
from tests.conftest import make_test_settings

pytestmark = [pytest.mark.es, pytest.mark.model]

XSS = "<script>alert(1)</script>"
XSS_ATTR = '"><img src=x onerror=alert(1)>'
XSS_MARKERS = ("<script>alert(", "<img src=x onerror", "<svg onload")
SPECIAL = [
    'a:b~ "(* \\ / [ ] { } ^ && || !',
    "title:(+a -b) AND c~2 OR d^3 NOT e*",
    '"unclosed',
    "((((((((((",
    "\\",
    "source:",
    "date:2020-13",
    "from:9999-99-99 to:0000-00-00",
    "lang:" + "x" * 300,
    "-",
    "OR OR AND NOT",
    "*",
    "?",
    "/regex.*/",
    "field:[a TO z]",
    "a" * 1000,
    "a" * 1001,
    "ü" * 1000,  # 1,000 characters, 6,000 bytes once URL-encoded
    "kata " * 199,
    "x" * 20_000,  # over the URL limit: 414
    XSS,
    XSS_ATTR,
    "<svg onload=alert(1)>",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\r\n\t\x0b\x0c",
    "\u202e\u200b\ufeff\u2028\u2029",
    "\ufffd\uffff\U0010ffff",
    "e\u0301" * 50,
    "🙂" * 100,
    "日本語のテキスト",
    "%",
    "%zz%00%ff",
    "' OR 1=1 --",
    "../../../../etc/passwd",
    "{{7*7}}${7*7}<%= 7*7 %>",
    "",
    " ",
    "0",
    "-1",
    "1e9",
    "9" * 30,
    "9" * 5000,
    "NaN",
    "²",
    "١٢",
    "true",
    "2020-02-30",
    "2020-1-1",
    "２０２０-０１-０１",
    "٢٠٢٠-٠١-٠١",
]
PARAM_NAMES = [
    "q",
    "mode",
    "page",
    "size",
    "group",
    "fusion",
    "highlight",
    "facets",
    "source",
    "collection",
    "lang",
    "language",
    "date_from",
    "date_to",
    "format",
    "p",
    "ui",
    "unknown",
    "",
    "q[]",
]
GOOD_VALUES = {
    "mode": ["hybrid", "keyword", "semantic", "keyword"],
    "group": ["document", "passage"],
    "fusion": ["rrf", "weighted"],
    "format": ["csv", "jsonl"],
    "page": ["1", "2"],
    "size": ["1", "5", "100"],
    "date_from": ["2020-01-01"],
    "date_to": ["2020-12-31"],
    "ui": ["id", "en"],
}

values = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8).map(lambda s: s * 20),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(str),
    st.sampled_from([v for vs in GOOD_VALUES.values() for v in vs]),
)
hostile_pairs = st.lists(st.tuples(st.sampled_from(PARAM_NAMES), values), max_size=4)
good_pairs = st.lists(
    st.sampled_from([(name, v) for name, vs in GOOD_VALUES.items() for v in vs]), max_size=4
)
# Mostly a hostile query with otherwise valid parameters (so that requests get past validation and reach
# the engine, the model and the templates), sometimes anything at all; repeated names included.
pairs = st.one_of(
    st.tuples(values, good_pairs, hostile_pairs.map(lambda p: p[:1])).map(
        lambda t: [("q", t[0]), *t[1], *t[2]]
    ),
    st.tuples(values, good_pairs).map(lambda t: [("q", t[0]), *t[1]]),
    hostile_pairs,
)
ids = st.one_of(
    st.sampled_from(["does-not-exist", "sha-0:0", "a" * 600, "x:" + "9" * 30, ".", "..", "%2e%2e", XSS]),
    st.text(min_size=1, max_size=60),
)
FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def client(sample_settings, search_service):
    # The limiter is off here: hypothesis fires far more requests than a person could (it has its own test).
    return create_app(replace(sample_settings, rate_limit=0), service=search_service).test_client()


def check(response, *, api: bool, sent: str = "") -> None:
    body = response.get_data()
    if currently_in_test_context():
        event(f"HTTP {response.status_code}")
    assert response.status_code < 500, (response.status_code, sent, body[:500])
    assert b"Traceback" not in body and b'File "/' not in body, sent
    if api and response.status_code >= 400:
        assert response.mimetype == "application/json", (response.status_code, sent, body[:300])
        error = json.loads(body)["error"]
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]
    if not api:
        text = body.decode("utf-8", "replace")
        for marker in XSS_MARKERS:
            assert marker not in text, (sent, marker)


def query_string(items: list[tuple[str, str]]) -> str:
    return urlencode(items)


@FUZZ
@given(items=pairs, path=st.sampled_from(["/api/search", "/api/export"]))
def test_fuzz_search_and_export(client, items, path):
    sent = query_string(items)
    check(client.get(f"{path}?{sent}"), api=True, sent=sent)


@FUZZ
@given(items=pairs, path=st.sampled_from(["/", "/search", "/?ui=id"]))
def test_fuzz_ui_search_page(client, items, path):
    sent = query_string(items)
    separator = "&" if "?" in path else "?"
    check(client.get(f"{path}{separator}{sent}" if sent else path), api=False, sent=sent)


@pytest.fixture(scope="module")
def real_ids(client) -> list[str]:
    """Ids that exist: documents and passages of the sample index (so fuzzing also reaches found pages)."""
    results = client.get("/api/search?q=pilkada&mode=keyword&size=5").get_json()["results"]
    return [r["doc_id"] for r in results] + [p["passage_id"] for r in results for p in r["passages"]]


@FUZZ
@given(data=st.data(), items=pairs, kind=st.sampled_from(["api_doc", "api_similar", "ui_doc", "ui_similar"]))
def test_fuzz_documents_and_similar(client, real_ids, data, items, kind):
    doc_id = data.draw(st.one_of(ids, st.sampled_from(real_ids)))
    quoted = quote(doc_id, safe="")
    path = {
        "api_doc": f"/api/documents/{quoted}",
        "api_similar": f"/api/passages/{quoted}/similar",
        "ui_doc": f"/documents/{quoted}",
        "ui_similar": f"/passages/{quoted}/similar",
    }[kind]
    sent = query_string(items)
    check(client.get(f"{path}?{sent}"), api=kind.startswith("api"), sent=f"{path}?{sent}")


@settings(FUZZ, max_examples=50)
@given(raw=st.binary(max_size=200), path=st.sampled_from(["/api/search", "/api/export", "/"]))
def test_fuzz_raw_bytes_in_the_query_string(client, raw, path):
    """What a server hands over for bytes that are not UTF-8 (WSGI strings are latin-1 decoded bytes)."""
    for query in (raw, b"mode=keyword&q=" + raw, b"q=a&size=" + raw, b"q=%ff%fe%ed%a0%80&mode=" + raw):
        response = client.get(path, environ_overrides={"QUERY_STRING": query.decode("latin-1")})
        check(response, api=path.startswith("/api/"), sent=repr(query))


@FUZZ
@given(
    header=st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=60),
    cookie=st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
)
def test_fuzz_ui_language_header_and_cookie(client, header, cookie):
    try:
        headers = {"Accept-Language": header.encode("utf-8").decode("latin-1")}
        client.set_cookie("arsip_ui", cookie)
    except ValueError:  # a value no HTTP client could send
        return
    check(client.get("/?q=pajak", headers=headers), api=False, sent=repr((header, cookie)))


def test_similar_size_parameter(client, search_service):
    top = client.get("/api/search?q=pilkada&mode=keyword").get_json()["results"][0]
    pid = quote(top["passages"][0]["passage_id"], safe="")
    # " 4 " too: the OpenAPI document says integer, and the server holds to it (schemathesis checks)
    for size in ["0", "101", "-1", "1.5", "²", "9" * 5000, "abc", "1e2", "0x10", " 4 "]:
        response = client.get(f"/api/passages/{pid}/similar", query_string={"size": size})
        check(response, api=True, sent=size)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_size", size
    for size in ["3", ""]:  # validated like /api/search's size; empty = the default
        response = client.get(f"/api/passages/{pid}/similar", query_string={"size": size})
        assert response.status_code == 200, size


@pytest.mark.parametrize(
    "doc_id", ["a" * 600, "ü" * 1300, "x:" + "9" * 30, "x:-1", ":", "a/b/../c", XSS, "\x00"]
)
def test_odd_ids_on_every_id_route(client, doc_id):
    quoted = quote(doc_id, safe="")
    for path, api in (
        (f"/api/documents/{quoted}", True),
        (f"/api/passages/{quoted}/similar", True),
        (f"/documents/{quoted}", False),
        (f"/passages/{quoted}/similar", False),
    ):
        response = client.get(path)
        check(response, api=api, sent=path)
        assert response.status_code in (400, 404), (path, response.status_code)


@pytest.mark.parametrize(
    "query",
    [
        {"q": XSS},
        {"q": XSS_ATTR},
        {"q": "pilkada", "date_from": XSS},
        {"q": "pilkada", "source": XSS, "collection": XSS_ATTR},
        {"q": "pilkada", "size": XSS_ATTR},
        {"q": "pilkada", "mode": XSS},
        {"q": XSS, "ui": XSS},
    ],
)
def test_ui_escapes_user_text(client, query):
    response = client.get("/", query_string=query)
    check(response, api=False, sent=str(query))
    text = response.get_data(as_text=True)
    if query["q"] == XSS:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # shown, as text


def test_over_long_urls_are_414_and_bodies_413(client):
    response = client.get("/api/search", query_string={"q": "x" * 20_000})
    assert response.status_code == 414 and response.get_json()["error"]["code"] == "uri_too_long"
    page = client.get("/", query_string={"q": "x" * 20_000})
    assert page.status_code == 414 and "text/html" in page.content_type
    longest = client.get("/api/search", query_string={"q": "ü" * 1000, "mode": "keyword"})
    assert longest.status_code == 200  # the longest valid query fits even when it is all non-ASCII
    response = client.get("/api/search?q=x", data=b"x" * (128 * 1024))
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "request_too_large"
    page = client.get("/?q=x", data=b"x" * (128 * 1024))
    assert page.status_code == 413 and "text/html" in page.content_type


# --- stored markup is shown as text -------------------------------------------------------------

HOSTILE_DOC = {
    "id": "xss-doc",
    "title": "<script>alert('judul')</script> Pajak <b>daerah</b>",
    "text": (
        "Paragraf pertama tentang pajak kendaraan <script>alert(1)</script> dan retribusi daerah.\n\n"
        'Paragraf kedua: <img src=x onerror=alert(1)> pajak bumi &amp; bangunan <a href="javascript:x">'
        "tautan</a> serta pajak restoran."
    ),
    "url": "javascript:alert(1)",
    "source": "<svg onload=alert(1)>",
    "collection": "uji-xss",
}


@pytest.fixture(scope="module")
def hostile_client(es, base_settings, embedder):
    settings = make_test_settings(base_settings, "xss", rate_limit=0)
    summary = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_documents([HOSTILE_DOC])
    assert summary.ok and summary.indexed == 1, summary.render()
    service = SearchService(settings, es=es, embedder=embedder)
    return create_app(settings, service=service).test_client()


def _assert_shown_as_text(html: str) -> None:
    for marker in ("<script>alert(", "<img src=x", "<svg onload", "<b>daerah</b>", 'href="javascript:'):
        assert marker not in html, marker
    assert "&lt;script&gt;alert(" in html


def test_stored_markup_is_text_on_the_document_page(hostile_client):
    response = hostile_client.get("/documents/xss-doc")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    _assert_shown_as_text(html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp;amp;" in html  # the stored "&amp;" is text too, not an entity


@pytest.mark.parametrize("mode", ["keyword", "hybrid", "semantic"])
@pytest.mark.parametrize("group", ["document", "passage"])
def test_stored_markup_is_text_in_search_results(hostile_client, mode, group):
    response = hostile_client.get(
        "/", query_string={"q": "pajak daerah script", "mode": mode, "group": group}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    _assert_shown_as_text(html)
    assert re.search(r"<mark>pajak</mark>", html, re.IGNORECASE) or mode == "semantic"
    api = hostile_client.get("/api/search", query_string={"q": "pajak", "mode": mode}).get_json()
    assert api["results"][0]["title"] == HOSTILE_DOC["title"]  # JSON carries the raw text; clients escape


def test_stored_markup_is_text_on_the_similar_page(hostile_client):
    response = hostile_client.get("/passages/xss-doc:0/similar")
    assert response.status_code == 200
    assert "<script>alert(" not in response.get_data(as_text=True)
