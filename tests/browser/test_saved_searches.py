"""Saved searches and search history in real Chromium, over the real app and a corpus built here.

Three documents mention "gerhana"; the test saves that search from the results page, renames it,
indexes two more matching documents with the real indexer and sees "2 new documents", follows the
Atom feed, opens the search (nothing new any more) and deletes it. The search history is this
browser's (localStorage): re-run in one click, cleared, and absent without JavaScript.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.browser.axe import assert_accessible
from tests.conftest import make_test_settings, served_app

pytestmark = [pytest.mark.browser, pytest.mark.es]

WORD = "gerhana"
ATOM = "{http://www.w3.org/2005/Atom}"


def record(doc_id: str) -> dict:
    return {
        "id": doc_id,
        "title": f"Laporan {doc_id}",
        "text": f"Warga menyaksikan {WORD} matahari cincin di alun-alun. Catatan {doc_id} untuk arsip uji.",
        "source": "uji",
        "date": "2024-10-02",
    }


@pytest.fixture(scope="module")
def corpus(base_settings, es, embedder):
    from indexer.orchestration import Indexer

    settings = make_test_settings(base_settings, "saved-browser", rate_limit=0)
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    assert indexer.index_documents([record(f"lama-{n}") for n in (1, 2, 3)]).ok
    return settings, indexer


@pytest.fixture(scope="module")
def server_url(corpus, es, embedder):
    from searchapp.service import SearchService

    settings, _ = corpus
    with served_app(settings, SearchService(settings, es=es, embedder=embedder)) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh English page that fails the test on any script error or failed load."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    yield page
    context.close()
    assert not problems, problems


def test_save_rename_new_count_feed_open_delete(page, server_url, corpus):
    from playwright.sync_api import expect

    _, indexer = corpus
    page.goto(f"{server_url}/?q={WORD}&mode=keyword")
    page.get_by_label("Name", exact=True).fill("Gerhana cincin")
    page.get_by_role("button", name="Save this search").click()
    expect(page).to_have_url(re.compile(r"/saved\?done=created#saved-[A-Za-z0-9_-]+$"))
    expect(page.get_by_role("status")).to_have_text("Search saved.")
    item = page.locator(".saved-item")
    expect(item).to_have_count(1)
    expect(item.get_by_role("heading", level=2)).to_have_text("Gerhana cincin")
    expect(item.locator(".saved-new")).to_contain_text("0 new documents since last opened")
    expect(item.locator(".saved-query")).to_contain_text("Keyword")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page, "saved searches")

    item.get_by_label("New name").fill("Gerhana 2024")
    item.get_by_role("button", name="Rename Gerhana cincin").click()
    expect(page.get_by_role("status")).to_have_text("Renamed.")
    expect(item.get_by_role("heading", level=2)).to_have_text("Gerhana 2024")

    for doc_id in ("baru-1", "baru-2"):
        assert indexer.index_documents([record(doc_id)]).ok
    page.reload()
    expect(item.locator(".saved-new")).to_contain_text("2 new documents since last opened")

    atom_url = item.get_by_role("link", name="Atom feed (Gerhana 2024)").get_attribute("href")
    feed = page.request.get(f"{server_url}{atom_url}")
    assert feed.status == 200 and feed.headers["content-type"] == "application/atom+xml; charset=utf-8"
    entries = ET.fromstring(feed.body()).findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries][:2] == ["Laporan baru-2", "Laporan baru-1"]
    assert len(entries) == 5

    item.get_by_role("button", name="Open Gerhana 2024").click()  # a POST (issue 21), not a link
    expect(page).to_have_url(f"{server_url}/?q={WORD}&mode=keyword&sort=relevance")
    expect(page.get_by_label("Search the archive")).to_have_value(WORD)
    page.goto(f"{server_url}/saved")
    expect(item.locator(".saved-new")).to_contain_text("0 new documents since last opened")

    item.get_by_role("button", name="Delete Gerhana 2024").click()
    expect(page.get_by_role("status")).to_have_text("Deleted.")
    expect(page.locator(".saved-item")).to_have_count(0)
    expect(page.locator(".saved-empty")).to_be_visible()


def test_history_reruns_in_one_click_and_clears(page, server_url):
    from playwright.sync_api import expect

    page.goto(f"{server_url}/?q={WORD}&mode=keyword&page=1")
    page.goto(f"{server_url}/?q=matahari&mode=keyword&source=uji")
    page.goto(f"{server_url}/")
    history = page.get_by_role("region", name="Your recent searches")
    expect(history).to_be_visible()
    links = history.get_by_role("link")
    expect(links).to_have_text(["matahari", WORD])  # newest first
    expect(history.locator("li").first).to_contain_text("uji")
    assert_accessible(page, "home with search history")

    history.get_by_role("link", name=WORD).click()
    expect(page).to_have_url(f"{server_url}/?q={WORD}&mode=keyword")  # the page number is not kept
    expect(page.locator(".result-list > li").first).to_be_visible()
    expect(history.get_by_role("link")).to_have_text([WORD, "matahari"])  # re-run moves it to the top

    history.get_by_role("button", name="Clear search history").click()
    expect(history).to_be_hidden()
    page.reload()
    expect(history.get_by_role("link")).to_have_text([WORD])  # only the search on this page, again
    page.goto(f"{server_url}/")
    history.get_by_role("button", name="Clear search history").click()
    page.reload()
    expect(history).to_be_hidden()
    assert page.evaluate("window.localStorage.getItem('arsip.searchHistory')") is None


def test_without_javascript_saving_works_and_history_stays_hidden(browser, server_url):
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    try:
        page.goto(f"{server_url}/?q={WORD}&mode=keyword")
        expect(page.locator("#search-history")).to_be_hidden()
        page.get_by_label("Name", exact=True).fill("Tanpa JS")
        page.get_by_role("button", name="Save this search").click()
        expect(page.locator(".saved-item h2")).to_have_text(["Tanpa JS"])
        page.get_by_role("button", name="Delete Tanpa JS").click()
        expect(page.locator(".saved-item")).to_have_count(0)
    finally:
        context.close()
