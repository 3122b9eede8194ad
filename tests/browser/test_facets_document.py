"""Facets, the document view and similar documents in a real browser (Chromium via Playwright), over the
corpus of tests/facets_corpus.py (answers known by construction)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.conftest import served_app

pytestmark = [pytest.mark.browser, pytest.mark.es]


@pytest.fixture(scope="module")
def facets_url(base_settings, es, embedder):
    """The real app over the facets corpus."""
    from searchapp.service import SearchService
    from tests.facets_corpus import index_facets_corpus

    settings = index_facets_corpus(base_settings, es, embedder)
    with served_app(settings, SearchService(settings, es=es, embedder=embedder)) as url:
        yield url


def _facet(view, name: str) -> list[str]:
    """The facet's values as shown: 'A 3' (the count), selected ones marked with '*'."""
    out = []
    for link in view.locator(f".facet-{name} a.facet-toggle").all():
        text = " ".join(t.strip() for t in link.locator("[aria-hidden=true], .facet-value").all_inner_texts())
        out.append(
            ("*" if "is-selected" in (link.get_attribute("class") or "") else "") + " ".join(text.split())
        )
    return out


def test_facets_toggle_or_within_and_across_with_chips(page, page_problems, facets_url):  # noqa: F811
    from playwright.sync_api import expect

    page.goto(f"{facets_url}/?q=vaksin&mode=keyword")
    assert _facet(page, "source") == ["A 3", "B 2", "C 1"]
    expect(page.locator("button", has_text="Apply filters")).to_have_count(0)

    with page.expect_navigation():
        page.locator('.facet-source a[data-value="A"]').click()
    expect(page.locator("li.result")).to_have_count(3)
    assert _facet(page, "source") == ["*A 3", "B 2", "C 1"]  # the other sources stay, with their counts
    assert _facet(page, "collection") == ["x 2", "y 1"]
    expect(page.locator(".chips a.chip")).to_have_text(["Source: A × (remove)"])

    with page.expect_navigation():
        page.locator('.facet-source a[data-value="B"]').click()
    expect(page.locator("li.result")).to_have_count(5)  # A or B
    with page.expect_navigation():
        page.locator('.facet-collection a[data-value="x"]').click()
    expect(page.locator("li.result")).to_have_count(3)  # (A or B) and x
    assert _facet(page, "source") == ["*A 2", "*B 1"]
    assert _facet(page, "collection") == ["*x 3", "y 2"]
    page.screenshot(path=str(ARTIFACTS / "facets.png"), full_page=True)

    with page.expect_navigation():
        page.locator(".chips a.chip", has_text="Source: A").click()  # removes A only
    assert "source=B" in page.url and "source=A" not in page.url and "collection=x" in page.url
    expect(page.locator(".result-title a")).to_have_text(["Kabar b-1"])
    with page.expect_navigation():
        page.locator(".chips a.chip-clear").click()
    expect(page.locator(".chips")).to_have_count(0)
    expect(page.locator("li.result")).to_have_count(6)
    assert page_problems == []


def test_facet_links_work_without_javascript(browser, facets_url):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    plain = context.new_page()
    try:
        plain.goto(f"{facets_url}/?q=vaksin&mode=keyword")
        plain.locator("#filters-panel > summary").click()  # (the script opens it on wide screens)
        with plain.expect_navigation():
            plain.locator('.facet-source a[data-value="C"]').click()
        assert plain.locator("li.result").count() == 1
        plain.locator("#filters-panel > summary").click()
        assert _facet(plain, "source") == ["A 3", "B 2", "*C 1"]
    finally:
        context.close()


def _offered(view, facet: str) -> list[str]:
    return view.locator(f"#other-{facet}-values option").evaluate_all("os => os.map(o => o.value)")


def test_a_typed_filter_offers_the_known_values_and_filters_like_a_checkbox(page, page_problems, facets_url):  # noqa: F811
    """Issue 21: the filter inputs offer the known values. Sources A–D and S, collections x–z (the
    corpus); ``vaksin`` from source B: 2 documents; B or C: 3; D has no document about vaksin."""
    from playwright.sync_api import expect

    page.goto(f"{facets_url}/?q=vaksin&mode=keyword&sort=newest&source=B")
    expect(page.locator("li.result")).to_have_count(2)
    assert _facet(page, "source") == ["A 3", "*B 2", "C 1"]  # D and S are not among the checkboxes
    assert _offered(page, "source") == ["A", "B", "C", "D", "S"]  # every source the archive has
    assert _offered(page, "collection") == ["x", "y", "z"]

    field = page.get_by_label("Other source")
    field.fill("C")
    with page.expect_navigation():
        page.get_by_role("button", name="Add (Other source)").click()
    expect(page.locator("li.result")).to_have_count(3)  # B or C, as the checkbox C sets it
    expect(page.locator(".chips a.chip")).to_have_text(["Source: B × (remove)", "Source: C × (remove)"])
    assert _facet(page, "source") == ["A 3", "*B 2", "*C 1"]

    field = page.get_by_label("Other source")  # a known value no checkbox shows, from the keyboard
    field.focus()
    field.press_sequentially("D")
    with page.expect_navigation():
        field.press("Enter")
    expect(page.locator("li.result")).to_have_count(3)
    expect(page.locator(".warnings")).to_have_count(0)  # D is known: no warning
    query = page.url.split("?", 1)[1].split("&")
    assert query == ["q=vaksin", "mode=keyword", "sort=newest", "source=B", "source=C", "source=D"]
    assert page_problems == []


def test_a_typed_unknown_value_is_warned_with_the_closest_without_javascript(browser, facets_url):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    plain = context.new_page()
    try:
        plain.goto(f"{facets_url}/?q=vaksin&mode=keyword")
        plain.locator("#filters-panel > summary").click()
        plain.get_by_label("Other collection").fill("xx")
        with plain.expect_navigation():
            plain.get_by_role("button", name="Add (Other collection)").click()
        assert plain.url.endswith("/?q=vaksin&mode=keyword&collection=xx")
        assert plain.locator("li.result").count() == 0
        warning = plain.locator('.warnings li[data-code="unknown_filter_value"]')
        assert warning.inner_text() == (
            "xx: No document has collection “xx”, so this filter matches nothing; did you mean x?"
        )
    finally:
        context.close()


def test_open_a_result_at_its_passage_and_come_back(page, page_problems, facets_url):  # noqa: F811
    from playwright.sync_api import expect

    results = f"{facets_url}/?q=diare&mode=keyword&source=S&size=1&sort=newest"
    page.goto(results)
    title = page.locator(".result-title a").first.inner_text()
    with page.expect_navigation():
        page.locator(".result-title a").first.click()
    # the passage at position 1 is ¶ 2, and its links say 2 (one paragraph number, issue 21)
    assert "/documents/flood-0" in page.url and page.url.endswith("#p-2")
    marked = page.locator(".doc-passage.is-marked")
    expect(marked).to_have_attribute("id", "p-2")
    expect(marked.locator(".permalink")).to_have_text("¶ 2")
    expect(marked).to_be_in_viewport()
    expect(marked).to_be_focused()
    expect(marked.locator("mark", has_text="diare").first).to_be_visible()
    expect(page.locator("h1")).to_have_text("Banjir Cilincing")
    # no internal id in the header (only in the small cite line, for a document without a link)
    expect(page.locator(".doc-meta")).not_to_contain_text("flood-0")
    page.screenshot(path=str(ARTIFACTS / "document-marked.png"))

    with page.expect_navigation():
        page.get_by_role("link", name="Back to the results").click()
    for part in ("q=diare", "mode=keyword", "source=S", "size=1", "sort=newest"):
        assert part in page.url
    expect(page.locator(".result-title a").first).to_have_text(title)
    expect(page.locator(".chips a.chip")).to_have_text(["Source: S × (remove)"])
    assert page_problems == []


def test_similar_documents_are_distinct_and_ranked(page, page_problems, facets_url):  # noqa: F811
    from playwright.sync_api import expect

    page.goto(f"{facets_url}/documents/flood-0?q=relawan&mode=keyword&p=1#p-1")  # ¶ 1, position 0
    with page.expect_navigation():
        page.locator("#p-1 .passage-actions a", has_text="Similar passages").click()
    titles = page.locator(".result-title a").all_inner_texts()
    assert titles[:2] == ["Banjir Kapuk", "Pompa air"]
    assert not any(t.startswith("Banjir Cilincing") for t in titles)  # not itself, not its copy
    assert len(titles) == len(set(titles))
    widths = [
        float(w)
        for w in page.locator(".closeness-fill").evaluate_all("els => els.map(e => e.getAttribute('width'))")
    ]
    assert widths[0] == 100.0 and widths[-1] == 8.0 and widths == sorted(widths, reverse=True)
    scores = [
        float(s) for s in re.findall(r"similarity (-?[\d.]+)", page.locator(".result-list").inner_text())
    ]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1
    page.screenshot(path=str(ARTIFACTS / "similar.png"), full_page=True)
    with page.expect_navigation():
        page.locator(".result-title a").first.click()
    assert "q=relawan" in page.url
    expect(page.locator(".doc-passage mark", has_text="relawan").first).to_be_visible()
    assert page_problems == []
