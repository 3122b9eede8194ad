"""axe-core finds no serious or critical accessibility violation on any UI page, in either language.

The pages: home, results (hybrid, with facets and the histogram), a document opened at a passage,
similar passages, batch search, the 400 and 404 error pages and /syntax, over the small corpus of
tests/citable_corpus.py (several sources and dates, so every facet and bar is there). Each page also has
exactly one h1. ``tests/browser/axe.py`` has the helper for other pages.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.axe import assert_accessible
from tests.conftest import served_app

pytestmark = [pytest.mark.browser, pytest.mark.es, pytest.mark.model]

LANGUAGES = ("en", "id")


@pytest.fixture(scope="module")
def app_url(base_settings, es, embedder):
    from searchapp.service import SearchService
    from tests.citable_corpus import index_citable_corpus

    settings = index_citable_corpus(base_settings, es, embedder)
    with served_app(settings, SearchService(settings, es=es, embedder=embedder)) as url:
        yield url


@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _check(tab, url: str, label: str, status: int = 200) -> None:
    response = tab.goto(url)
    assert response.status == status, (label, response.status)
    assert tab.locator("h1").count() == 1, f"{label}: {tab.locator('h1').count()} h1 elements"
    assert_accessible(tab, label)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_has_no_serious_violation(tab, app_url, lang):
    _check(tab, f"{app_url}/?ui={lang}", f"home ({lang})")
    _check(tab, f"{app_url}/syntax?ui={lang}", f"syntax ({lang})")

    _check(tab, f"{app_url}/?q=banjir+jakarta&mode=hybrid&ui={lang}", f"results ({lang})")
    assert tab.locator(".facet-source input, .facet-source a").count() >= 2  # the facets were there
    assert tab.locator(".facet-other input[list]").count() >= 3  # with their typed filters (issue 21)
    assert tab.locator("li.result").count() >= 2 and tab.locator(".histogram a").count() >= 1
    document = tab.locator(".result-title a").first.get_attribute("href")
    similar = tab.locator(".passage-actions a[href*='/similar']").first.get_attribute("href")

    _check(tab, f"{app_url}{document}", f"document ({lang})")
    _check(tab, f"{app_url}{similar}", f"similar passages ({lang})")
    assert tab.locator("li.result").count() >= 1
    _check(tab, f"{app_url}/entities/place/Jakarta?ui={lang}", f"entity ({lang})")

    _check(tab, f"{app_url}/batch?ui={lang}", f"batch ({lang})")
    assert tab.locator(".batch-filters .facet-other input[list]").count() >= 2

    _check(tab, f"{app_url}/?q=banjir&size=500", f"400 ({lang})", status=400)
    _check(tab, f"{app_url}/no/such/page", f"404 ({lang})", status=404)
    _check(tab, f"{app_url}/documents/no-such-document", f"404 document ({lang})", status=404)
    assert re.search(r"\bsize\b", tab.locator("main").inner_text()) is None


def test_the_helper_reports_what_issue_15_found(tab):
    """Known by construction: a link whose aria-label hides its visible text, an unlabelled field."""
    from tests.browser.axe import serious_violations

    tab.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<a href="/x" aria-label="Open passage 3 in the document">¶ 3</a>'
        '<input type="text"></main></body></html>'
    )
    found = {v["id"] for v in serious_violations(tab)}
    assert {"label-content-name-mismatch", "label"} <= found, found
    tab.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>t</h1>'
        '<a href="/x">¶ 3<span style="position:absolute;clip:rect(0 0 0 0)"> (open passage 3)</span></a>'
        '<label>Query <input type="text"></label></main></body></html>'
    )
    assert serious_violations(tab) == []
