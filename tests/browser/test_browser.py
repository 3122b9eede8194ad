"""The web UI in a real browser: Debian's Chromium driven by Playwright, over the real app and index.

Uses the session fixture ``live_server_url`` (tests/conftest.py): the app served by waitress over a real
index holding the sample press release (source "humas"). Playwright's own browser downloads are never
used (no ``playwright install``): the test launches ``/usr/bin/chromium`` and fails if it is missing.
Screenshots land in ``test-artifacts/`` at the repository root (CI keeps them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from arsip.settings import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.es]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUERY = "protokol kesehatan pilkada"


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium (`apt-get install -y chromium`). "
            "The browser tests never download a browser (no `playwright install`).",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright's Python package is missing: `pip install playwright`.", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh English-language page; script errors and failed loads are collected in ``page_problems``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page_problems(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console: {msg.text}"))
    return problems


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
