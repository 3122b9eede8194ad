"""Batch search and the API reference in real Chromium, over the sample archive (``live_server_url``).

Batch: paste a list → the table → a row's link opens the search page with that query and filter, whose
document count is the row's; the CSV download holds the same rows; an uploaded .csv gives the same
table; a list over the limit is refused whole, with the reason. API page: every route of the OpenAPI
document is there, and every "try it" link answers 200 with JSON.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from searchapp.openapi import openapi_document
from tests.browser.axe import assert_accessible
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.es]

TERMS = ["pilkada", "", '"protokol kesehatan"', "pilkada", "zzqxwv"]
SUMMARY = re.compile(r"([\d,]+) passages? in ([\d,]+) documents?")  # singular: issue 21


def _table(shown) -> list[dict]:
    rows = []
    for row in shown.locator(".batch-table tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows.append({"line": cells[0], "term": row.locator("th").inner_text(), "documents": cells[1]})
    return rows


def test_paste_terms_table_row_link_and_csv(page, page_problems, live_server_url):  # noqa: F811
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server_url}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Batch search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Batch search")
    page.get_by_label("Terms or names, one per line").fill("\n".join(TERMS))
    page.get_by_label("humas").check()  # the press release's source: the filter applies to every term
    with page.expect_navigation():
        page.get_by_role("button", name="Count matches").click()
    expect(page.locator(".batch-notes")).to_contain_text("Line 4 repeats line 1 (pilkada)")
    expect(page.locator(".batch-notes")).to_contain_text("1 blank line skipped.")
    table = _table(page)
    assert [(r["line"], r["term"]) for r in table] == [
        ("1", "pilkada"),
        ("3", '"protokol kesehatan"'),
        ("5", "zzqxwv"),
    ]
    assert table[0]["documents"] == "1" and table[2]["documents"] == "0"  # one humas document
    page.screenshot(path=str(ARTIFACTS / "batch.png"), full_page=True)
    assert_accessible(page, "batch results")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [(r["line"], r["term"], r["documents"]) for r in rows] == [
        (r["line"], r["term"], r["documents"]) for r in table
    ]

    with page.expect_navigation():
        page.get_by_role("link", name='"protokol kesehatan"').click()
    assert "mode=keyword" in page.url and "source=humas" in page.url
    expect(page.get_by_label("Search the archive")).to_have_value('"protokol kesehatan"')
    documents = SUMMARY.search(page.locator(".summary").inner_text()).group(2)
    assert documents == table[1]["documents"] != "0"  # the row's count is the search page's
    assert page_problems == []


def test_upload_csv_and_a_list_over_the_limit(page, page_problems, live_server_url):  # noqa: F811
    from playwright.sync_api import expect

    page.goto(f"{live_server_url}/batch")
    csv_file = '\ufeffpilkada,ignored\n"""protokol kesehatan"""\n'.encode()
    page.get_by_label("Or upload a .txt or .csv file").set_input_files(
        {"name": "names.csv", "mimeType": "text/csv", "buffer": csv_file}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Count matches").click()
    assert [r["term"] for r in _table(page)] == ["pilkada", '"protokol kesehatan"']
    expect(page.locator(".batch-notes")).to_contain_text("1 row had more columns")
    expect(page.get_by_label("Terms or names, one per line")).to_have_value('pilkada\n"protokol kesehatan"')

    page.get_by_label("Terms or names, one per line").fill("\n".join(f"nama{i}" for i in range(1001)))
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Count matches").click()
    assert navigation.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text(
        "The list has 1,001 different terms; at most 1,000 can be searched at once."
    )
    assert page.locator(".batch-table").count() == 0
    assert_accessible(page, "batch error")
    page.goto(f"{live_server_url}/batch?ui=id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pencarian massal")
    assert_accessible(page, "batch form (Indonesian)")
    assert all("status of 400" in p for p in page_problems)  # only the refused list's own status


def test_api_page_lists_every_route_and_its_examples_run(page, page_problems, live_server_url):  # noqa: F811
    from playwright.sync_api import expect

    page.goto(f"{live_server_url}/")
    with page.expect_navigation():
        page.get_by_role("link", name="API", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API reference")
    document = openapi_document()
    for path, item in document["paths"].items():
        for method, op in item.items():
            section = page.locator(f"section#{op['operationId']}")
            expect(section.get_by_role("heading", level=2)).to_have_text(f"{method.upper()} {path}")
            expect(section.locator(".api-example")).to_contain_text("curl")
            for parameter in op.get("parameters", []):
                expect(
                    section.locator("tbody th code", has_text=re.compile(f"^{parameter['name']}$"))
                ).to_have_count(1)
            try_it = section.locator("a.try-it")
            known_ids = {"doc_id", "passage_id"}  # the page fills these with ids that exist
            unknown = [
                p for p in op.get("parameters", []) if p["in"] == "path" and p["name"] not in known_ids
            ]
            if method == "get" and not unknown:
                href = try_it.get_attribute("href")
                response = page.request.get(f"{live_server_url}{href}")
                assert response.status == 200, href
                if op["operationId"] != "export":
                    assert response.headers["content-type"].startswith("application/json"), href
            else:
                expect(try_it).to_have_count(0)
            if path == "/api/batch":
                expect(section.locator("tbody th code", has_text="filters.date_from")).to_have_count(1)
    page.goto(f"{live_server_url}/api?ui=id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referensi API")
    assert_accessible(page, "API page (Indonesian)")
    assert page_problems == []
    with page.expect_navigation():  # last: the JSON page makes Chromium ask for a favicon (a 404)
        page.get_by_role("link", name="Coba: GET /api/search").click()
    assert '"results"' in page.locator("body").inner_text()
