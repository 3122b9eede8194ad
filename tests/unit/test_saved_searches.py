"""Saved searches' pure parts: the saved form of a search, input checks, the feeds, the CSRF guard."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from flask import Flask
from flask_babel import Babel

from searchapp.alerts import new_since_query, newest_body
from searchapp.errors import SearchError
from searchapp.feeds import FeedEntry, FeedInfo, atom_feed, json_feed, summary
from searchapp.same_origin import is_cross_site
from searchapp.saved_searches import (
    MAX_NAME_CHARS,
    canonical_search,
    parse_name,
    parse_search_object,
    search_pairs,
    search_request,
)
from searchapp.search_request import SearchRequest

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def ctx():
    """A request context with Flask-Babel (the messages are gettext calls)."""
    app = Flask(__name__)
    if "babel" not in app.extensions:
        Babel(app)
    with app.test_request_context("/"):
        yield app


def test_a_search_is_saved_in_canonical_form_and_reads_back_the_same():
    request = SearchRequest.from_args(
        {
            "q": ["  banjir rob  "],
            "mode": ["keyword"],
            "sort": ["newest"],
            "source": ["humas,antara", "humas"],
            "lang": ["id"],
            "date_from": ["2020-01-01"],
            "page": ["3"],
            "size": ["20"],
            "dedupe": ["false"],
        }
    )
    saved = canonical_search(request)
    assert saved == {
        "q": "banjir rob",
        "mode": "keyword",
        "sort": "newest",
        "source": ["humas", "antara"],
        "lang": ["id"],
        "date_from": "2020-01-01",
        "dedupe": False,
    }  # page and size are not part of a saved search
    assert canonical_search(search_request(saved)) == saved
    assert search_pairs(saved) == [
        ("q", "banjir rob"),
        ("mode", "keyword"),
        ("sort", "newest"),
        ("date_from", "2020-01-01"),
        ("source", "humas"),
        ("source", "antara"),
        ("lang", "id"),
        ("dedupe", "false"),
    ]
    assert search_request(saved, size=5).size == 5


def test_defaults_are_left_out():
    assert canonical_search(SearchRequest(q="x")) == {"q": "x", "mode": "hybrid", "sort": "relevance"}


def test_names_are_tidied_and_checked(ctx):
    assert parse_name("  Banjir \n Jakarta ") == "Banjir Jakarta"
    for bad in ("", "   ", None, 5, ["a"]):
        with pytest.raises(SearchError) as caught:
            parse_name(bad)
        assert (caught.value.status, caught.value.code) == (400, "invalid_name")
    assert parse_name("x" * MAX_NAME_CHARS) == "x" * MAX_NAME_CHARS
    with pytest.raises(SearchError) as caught:
        parse_name("x" * (MAX_NAME_CHARS + 1))
    assert str(MAX_NAME_CHARS) in caught.value.message


@pytest.mark.parametrize(
    ("search", "code"),
    [
        ("q=banjir", "invalid_search"),
        ({"q": "banjir", "page": "2"}, "invalid_search"),
        ({"q": 5}, "invalid_search"),
        ({"source": "humas"}, "invalid_search"),
        ({"source": [1]}, "invalid_search"),
        ({"dedupe": "false"}, "invalid_search"),
        ({"mode": "fuzzy"}, "invalid_mode"),
        ({"date_from": "2020-13-01"}, "invalid_date_from"),
        ({"q": "x" * 1001}, "query_too_long"),
    ],
)
def test_bad_search_objects_are_refused_with_400(ctx, search, code):
    with pytest.raises(SearchError) as caught:
        parse_search_object(search)
    assert (caught.value.status, caught.value.code) == (400, code)


def test_a_good_search_object_is_a_search_request(ctx):
    request = parse_search_object(
        {"q": "banjir", "mode": "semantic", "collection": ["berita"], "dedupe": False}
    )
    assert (request.q, request.mode, request.filters.collections, request.dedupe) == (
        "banjir",
        "semantic",
        ["berita"],
        False,
    )


def test_new_since_and_newest_bodies_wrap_the_search_pages_query():
    matching = {"match": {"text": "banjir"}}
    assert new_since_query(matching, "2026-01-01T00:00:00.000+00:00") == {
        "bool": {
            "must": [matching],
            "filter": [{"range": {"indexed_at": {"gt": "2026-01-01T00:00:00.000+00:00"}}}],
        }
    }
    body = newest_body(matching, 7)
    assert body["query"] is matching and body["size"] == 7
    assert body["collapse"] == {"field": "doc_id"}  # one entry per document
    assert body["sort"][0] == {"indexed_at": {"order": "desc", "missing": "_last"}}


INFO = FeedInfo(
    id="http://h/saved/abc/feed.atom",
    title="arsip: Banjir & <rob>",
    home_url="http://h/?q=banjir",
    feed_url="http://h/saved/abc/feed.atom",
    updated="2026-12-02T03:00:00.123+00:00",
)
ENTRIES = [
    FeedEntry(
        id="http://h/documents/b",
        title="Second <b>",
        url="http://h/documents/b?p=0#p-0",
        updated="2026-12-02T03:00:00.123+00:00",
        summary="Banjir rob & air pasang",
        date="2020-12-01",
        source="humas",
    ),
    FeedEntry(
        id="http://h/documents/a",
        title="First",
        url="http://h/documents/a?p=2#p-2",
        updated="2026-12-01T10:00:00+00:00",
        summary="Older",
    ),
]


def test_atom_feed_is_valid_atom_with_entries_in_the_given_order():
    root = ET.fromstring(atom_feed(INFO, ENTRIES))
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == INFO.id
    assert root.findtext(f"{ATOM}title") == "arsip: Banjir & <rob>"  # escaped in XML, text again here
    assert root.findtext(f"{ATOM}updated").startswith("2026-12-02T03:00:00")
    assert root.find(f"{ATOM}author/{ATOM}name").text == "arsip"
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"alternate": INFO.home_url, "self": INFO.feed_url}
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == ["http://h/documents/b", "http://h/documents/a"]
    first = entries[0]
    assert first.findtext(f"{ATOM}title") == "Second <b>"
    assert first.find(f"{ATOM}link").get("href") == "http://h/documents/b?p=0#p-0"
    assert first.findtext(f"{ATOM}updated").startswith("2026-12-02T03:00:00")
    assert first.findtext(f"{ATOM}summary") == "Banjir rob & air pasang"
    assert first.find(f"{ATOM}category").get("term") == "humas"


def test_json_feed_follows_version_1_1():
    feed = json.loads(json.dumps(json_feed(INFO, ENTRIES)))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert (feed["title"], feed["home_page_url"], feed["feed_url"]) == (
        INFO.title,
        INFO.home_url,
        INFO.feed_url,
    )
    assert [item["id"] for item in feed["items"]] == ["http://h/documents/b", "http://h/documents/a"]
    first = feed["items"][0]
    assert first["url"] == "http://h/documents/b?p=0#p-0"
    assert first["content_text"] == first["summary"] == "Banjir rob & air pasang"
    assert first["date_published"] == "2020-12-01T00:00:00+00:00"
    assert first["date_modified"] == "2026-12-02T03:00:00.123000+00:00"
    assert "date_published" not in feed["items"][1]


def test_summary_cuts_after_a_word():
    text = "kata " * 100
    cut = summary(text, 50)
    assert cut.endswith(" …") and len(cut) <= 52 and not cut[:-2].endswith(" ")
    assert summary("  pendek\n teks ") == "pendek teks"


@pytest.mark.parametrize(
    ("method", "headers", "refused"),
    [
        ("POST", {}, False),  # scripts and curl send neither header
        ("POST", {"Sec-Fetch-Site": "same-origin"}, False),
        ("POST", {"Sec-Fetch-Site": "none"}, False),
        ("POST", {"Sec-Fetch-Site": "cross-site"}, True),
        ("POST", {"Sec-Fetch-Site": "same-site"}, True),
        ("POST", {"Origin": "http://localhost"}, False),
        ("POST", {"Origin": "https://evil.example"}, True),
        ("POST", {"Origin": "null"}, True),
        ("DELETE", {"Origin": "https://evil.example"}, True),
        ("GET", {"Sec-Fetch-Site": "cross-site"}, False),  # reading is not changing
    ],
)
def test_cross_site_writes_are_recognised(method, headers, refused):
    app = Flask(__name__)
    with app.test_request_context("/saved", method=method, headers=headers, base_url="http://localhost"):
        from flask import request

        assert is_cross_site(request) is refused


def test_the_documented_name_rule_is_the_servers(ctx):
    """``NAME_PATTERN`` (JSON Schema, /api/openapi.json) accepts a name exactly when ``parse_name`` does."""
    import jsonschema_rs

    from searchapp.openapi_saved import SAVED_SCHEMAS

    validator = jsonschema_rs.validator_for(SAVED_SCHEMAS["SavedSearchRename"])
    for name in ["a", " a ", "\t\nx", "\x1c", "\u00a0", "\ufeff", "", " ", "\t\r\n ", "x" * 200, "x" * 201]:
        try:
            parse_name(name)
            accepted = True
        except SearchError:
            accepted = False
        assert validator.is_valid({"name": name}) is accepted, repr(name)


def test_the_documented_search_object_is_the_servers(ctx):
    """Values the document allows in ``search`` are accepted by the server, and the refused ones refused."""
    import jsonschema_rs

    from searchapp.openapi_saved import SAVED_SCHEMAS

    validator = jsonschema_rs.validator_for(SAVED_SCHEMAS["SavedSearchInput"], validate_formats=True)
    cases = [
        {},
        {"q": ""},
        {"mode": ""},
        {"mode": "semantic", "sort": "oldest", "fusion": "weighted", "group": "passage"},
        {"date_from": "", "date_to": "2020-02-29"},
        {"date_from": "2020-02-30"},
        {"source": ["a,b", ""]},
        {"dedupe": True},
        {"mode": "x"},
        {"page": "1"},
        {"source": "humas"},
        {"q": "x" * 1000},
        {"q": "x" * 1001},
    ]
    for search in cases:
        try:
            parse_search_object(search)
            accepted = True
        except SearchError:
            accepted = False
        assert validator.is_valid({"name": "n", "search": search}) is accepted, search


def test_atom_drops_what_xml_cannot_hold():
    entry = FeedEntry(
        id="http://h/d/\x01", title="a\x00b\x1f", url="http://h/d", updated="2026-01-01", summary="x\x0by"
    )
    root = ET.fromstring(atom_feed(replace(INFO, title="t\x08"), [entry]))
    assert root.findtext(f"{ATOM}title") == "t"
    first = root.find(f"{ATOM}entry")
    assert (first.findtext(f"{ATOM}title"), first.findtext(f"{ATOM}summary")) == ("ab", "xy")
