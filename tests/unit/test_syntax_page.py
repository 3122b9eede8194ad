"""The syntax help page (``GET /syntax``) in both UI languages, rendered by the real app without a node."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask_babel import gettext

from arsip.settings import Settings
from searchapp.app import create_app
from searchapp.pages.syntax import IGNORED_EXAMPLES, SECTIONS, syntax_page
from searchapp.query_parser import parse_query
from tests.unit.test_ui import FakeService


@pytest.fixture()
def client():
    service = FakeService()
    app = create_app(Settings(), service=service)
    if "syntax" not in app.blueprints:  # until app.py registers it
        app.register_blueprint(syntax_page)
    client = app.test_client()
    client.service = service
    return client


def _in(client, lang: str, text) -> str:
    """``text`` (a gettext message or a lazy one) in the UI language ``lang``."""
    with client.application.test_request_context(f"/?ui={lang}"):
        return gettext(text) if isinstance(text, str) else str(text)


def _page(client, lang: str) -> str:
    response = client.get(f"/syntax?ui={lang}")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    return response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_syntax_form_is_listed_with_a_link_running_it(client, lang: str):
    page = _page(client, lang)
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{_in(client, lang, 'Search syntax')}</h1>" in page
    links = [unescape(href) for href in re.findall(r'<a href="(/\?[^"]+)"><code>', page)]
    examples = [example for _, rows in SECTIONS for example, _ in rows]
    assert [parse_qs(urlsplit(link).query) for link in links] == [
        {"q": [example], "mode": ["keyword"]} for example in examples
    ]
    for form in ("pemilu*", "kor?psi", "korupsi~", "&#34;dana desa&#34;~3", "-hoaks", "OR", "source:humas"):
        assert form in page
    for _, rows in SECTIONS:
        for _, text in rows:
            assert _in(client, lang, text) in page  # gettext text is trusted markup, as in templates
    assert client.service.requests == []  # the page never searches


def test_the_texts_differ_by_language_and_have_no_missing_keys(client):
    en, id_ = _page(client, "en"), _page(client, "id")
    texts = [heading for heading, _ in SECTIONS] + [text for _, rows in SECTIONS for _, text in rows]
    assert all(_in(client, "en", text) != _in(client, "id", text) for text in texts)  # all translated
    for page in (en, id_):
        assert "%(" not in page and "{" not in page  # every placeholder filled
    assert "words that start with pemilu" in en and "kata yang diawali pemilu" in id_
    assert "at least 3 letters before *" in en and "paling sedikit 3 huruf sebelum *" in id_


@pytest.mark.parametrize("lang", ["en", "id"])
def test_ignored_examples_show_the_parsers_own_warnings(client, lang: str):
    page = unescape(_page(client, lang))
    for example in IGNORED_EXAMPLES:
        warnings = parse_query(example).warnings
        assert warnings, example
        for warning in warnings:
            assert warning.message(lang) in page
