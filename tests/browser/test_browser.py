"""The web UI in a real browser: Debian's Chromium driven by Playwright, over the real app and index.

Uses the session fixture ``live_server_url`` (tests/conftest.py): the app served by waitress over a real
index holding the sample press release (source "humas"). Playwright's own browser downloads are never
used (no ``playwright install``): the test launches ``/usr/bin/chromium`` and fails if it is missing.
Screenshots land in ``test-artifacts/`` at the repository root (CI keeps them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.conftest import served_app

pytestmark = [pytest.mark.browser, pytest.mark.es]

QUERY = "protokol kesehatan pilkada"


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


def test_search_then_open_the_document_at_the_passage(page, page_problems, live_server_url):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server_url}/")
    box = page.get_by_label("Search the archive")
    expect(box).to_be_focused()  # autofocus, and the label is tied to the input
    box.press_sequentially(QUERY)
    with page.expect_navigation():
        box.press("Enter")

    first = page.locator("li.result").first
    expect(first).to_be_visible()
    expect(first.locator(".passage-text mark").first).to_be_visible()
    expect(first.locator(".meta")).to_contain_text("humas")
    passage = first.locator(".passage-text").first
    assert "protokol kesehatan" in _words(passage.inner_text()), passage.inner_text()
    expect(page.locator(".summary")).to_contain_text("ms")
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    with page.expect_navigation():
        first.locator(".result-title a").click()
    assert "/documents/" in page.url and "#p-" in page.url
    marked = page.locator(".doc-passage.is-marked")
    expect(marked).to_have_count(1)
    expect(marked).to_be_visible()
    expect(marked).to_have_attribute("aria-current", "true")
    expect(marked).to_be_in_viewport()
    assert "protokol kesehatan" in _words(marked.locator(".passage-text").inner_text())
    assert marked.get_attribute("id") == page.url.rsplit("#", 1)[1]
    page.screenshot(path=str(ARTIFACTS / "document.png"))

    assert page_problems == []  # no script errors, no resources blocked (CSP) or failing to load


@pytest.fixture(scope="module")
def citable_url(base_settings, es, embedder):
    """The real app over the corpus of tests/citable_corpus.py (answers known by construction)."""
    from searchapp.service import SearchService
    from tests.citable_corpus import index_citable_corpus

    settings = index_citable_corpus(base_settings, es, embedder)
    with served_app(settings, SearchService(settings, es=es, embedder=embedder)) as url:
        yield url


def test_counts_histogram_sort_export_and_warnings_in_the_browser(page, page_problems, citable_url):
    """What a researcher quotes: the same count on every page, a bar that filters, an export = the screen."""
    import csv
    import io

    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{citable_url}/?q=banjir+jakarta&mode=keyword&size=2")
    seen = []
    for number in (1, 2, 3):
        expect(page.locator(".summary")).to_contain_text("8 passages in 6 documents contain all words")
        seen += page.locator(".result-title a").all_inner_texts()
        if number < 3:
            with page.expect_navigation():
                page.locator(".pagination a[rel=next]").click()
    assert sorted(seen) == [f"Laporan both-{i}" for i in range(1, 7)]

    page.goto(f"{citable_url}/?q=banjir+jakarta&mode=keyword")
    page.screenshot(path=str(ARTIFACTS / "citable-results.png"), full_page=True)
    expect(page.locator(".histogram figcaption")).to_contain_text("1 document has no date")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("arsip-banjir-jakarta-")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 8 and len({row["doc_id"] for row in rows}) == 6

    with page.expect_navigation():
        page.locator('.histogram-chart a[aria-label="January 2020: 3 documents"]').click()
    assert "date_from=2020-01-01" in page.url and "date_to=2020-01-31" in page.url
    expect(page.locator(".summary")).to_contain_text("in 3 documents contain all words")

    page.goto(f"{citable_url}/?q=banjir+jakarta&mode=keyword")
    page.select_option("#sort", "newest")
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    titles = page.locator(".result-title a").all_inner_texts()
    assert titles[0] == "Laporan both-5" and titles[-1] == "Laporan both-6"  # undated last
    expect(page.locator(".results")).to_contain_text("1 document has no date; it is listed last.")

    page.goto(f"{citable_url}/?q=banjir+jakarta&mode=hybrid&size=25")
    # 6 hold both words, 9 one of the two (5 banjir, 4 jakarta), 10 neither: this small archive has no
    # relevance floor (fewer passages than relatedness.MIN_BACKGROUND), so they are all related by meaning
    expect(page.locator(".summary")).to_contain_text(
        "6 contain all words · 9 some of the words · 10 more related by meaning"
    )
    expect(page.locator(".missing", has_text="Missing: banjir, jakarta")).to_have_count(10)

    page.goto(f"{citable_url}/?q=banjir+date:2019-13")
    expect(page.locator(".notice-warning")).to_contain_text("date:2019-13")
    assert page_problems == []


def test_changing_mode_sort_or_exact_forms_runs_the_search_at_once(page, page_problems, live_server_url):
    """Issue 21: changing mode or sort did not re-run the search, and the Export link kept the old mode."""
    from playwright.sync_api import expect

    page.goto(f"{live_server_url}/?q=kesehatan&mode=hybrid")
    with page.expect_navigation():
        page.get_by_label("Keyword").check()
    assert "mode=keyword" in page.url
    expect(page.get_by_role("link", name="Export CSV")).to_have_attribute("href", re.compile("mode=keyword"))
    with page.expect_navigation():
        page.get_by_label("Sort by").select_option("newest")
    assert "sort=newest" in page.url and "mode=keyword" in page.url
    with page.expect_navigation():
        page.get_by_label("Exact word forms only").check()
    assert "exact=1" in page.url
    expect(page.get_by_role("link", name="Export CSV")).to_have_attribute("href", re.compile("exact=1"))
    assert page_problems == []


def test_the_first_tab_leads_to_the_results(page, page_problems, live_server_url):
    """Issue 21: 36 Tab presses to reach the first result."""
    from playwright.sync_api import expect

    page.goto(f"{live_server_url}/?q=kesehatan&mode=keyword")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to results")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is the first result's title
    assert page.evaluate("document.activeElement.closest('li.result') !== null")
    assert page_problems == []


def test_the_api_page_fits_a_1280_px_window(page, live_server_url):
    """Issue 21: /api was 1,548 px wide in a 1,280 px window (the page fixture's)."""
    page.goto(f"{live_server_url}/api")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
