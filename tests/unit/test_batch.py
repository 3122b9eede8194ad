"""Batch search's term lists (pasted, .txt, .csv, JSON) and its CSV file: pure logic, no server."""

from __future__ import annotations

import csv
import io

import pytest
from flask_babel import gettext

from arsip.settings import Settings
from searchapp import i18n
from searchapp.app import create_app
from searchapp.batch import (
    CSV_COLUMNS,
    MAX_TERMS,
    BatchError,
    batch_filters,
    csv_lines,
    lines_of_text,
    term_list,
    upload_entries,
)
from searchapp.openapi import batch_body_errors
from searchapp.search_params import MAX_QUERY_CHARS


def _shown(error: BatchError, language: str) -> str:
    """The error as the batch page shows it in ``language`` (through the gettext catalogs)."""
    app = create_app(Settings(), service=object())
    with app.test_request_context(f"/batch?ui={language}"):
        return error.translated(gettext, i18n.format_number)


def test_blank_lines_are_skipped_and_counted_and_lines_keep_their_numbers():
    terms = term_list(lines_of_text("banjir\n\n   \r\n  pilkada  \r\n\tvaksin\n"))
    assert terms.terms == ["banjir", "pilkada", "vaksin"]
    assert terms.lines == [1, 4, 5]
    assert terms.blank_lines == 2


def test_a_repeated_term_is_searched_once_at_its_first_line_and_each_repeat_is_reported():
    terms = term_list(["Jokowi", "banjir", " Jokowi ", "jokowi", "banjir", "Jokowi"])
    # exact repeats (after trimming) merge; another spelling is another query, kept as typed
    assert terms.terms == ["Jokowi", "banjir", "jokowi"]
    assert terms.duplicates == [
        {"term": "Jokowi", "line": 3, "first_line": 1},
        {"term": "banjir", "line": 5, "first_line": 2},
        {"term": "Jokowi", "line": 6, "first_line": 1},
    ]


def test_a_byte_order_mark_is_not_part_of_the_first_term():
    assert term_list(*upload_entries("names.txt", "\ufeffJoko Widodo\nPrabowo\n".encode())).terms == [
        "Joko Widodo",
        "Prabowo",
    ]
    assert lines_of_text("\ufeffbanjir") == ["banjir"]


def test_csv_upload_reads_the_first_column_and_quoted_phrases_survive():
    # A spreadsheet cell holding "Joko Widodo" (with its quotes) is written """Joko Widodo""".
    data = '\ufeff"""Joko Widodo""",presiden\nbanjir\n"Sri Mulyani, menteri",x\n,\n'.encode()
    terms = term_list(*upload_entries("list.CSV", data))
    assert terms.terms == ['"Joko Widodo"', "banjir", "Sri Mulyani, menteri"]
    assert terms.ignored_columns == 2
    assert terms.blank_lines == 1


def test_txt_upload_keeps_commas_and_quotes_as_typed():
    terms = term_list(*upload_entries("list.txt", b'"Joko Widodo",presiden\nbanjir OR longsor\n'))
    assert terms.terms == ['"Joko Widodo",presiden', "banjir OR longsor"]


def test_an_upload_that_is_not_utf8_is_refused_in_both_languages():
    with pytest.raises(BatchError) as caught:
        term_list(*upload_entries("list.csv", "Jos\u00e9\n".encode("latin-1")))
    assert caught.value.status == 400 and caught.value.code == "invalid_encoding"
    assert caught.value.message.startswith("The file is not UTF-8 text (byte 4 cannot be read).")
    assert _shown(caught.value, "id").startswith("Berkas bukan teks UTF-8 (bita ke-4 tidak terbaca).")


def test_exactly_the_limit_is_accepted_and_one_more_is_refused_whole():
    assert len(term_list([f"nama{i}" for i in range(MAX_TERMS)]).terms) == MAX_TERMS
    # repeats and blanks do not count against the limit
    assert len(term_list([f"nama{i}" for i in range(MAX_TERMS)] * 2 + [""] * 5).terms) == MAX_TERMS
    with pytest.raises(BatchError) as caught:
        term_list([f"nama{i}" for i in range(MAX_TERMS + 1)])
    error = caught.value
    assert error.status == 400 and error.code == "too_many_terms"
    assert error.message.startswith("The list has 1,001 different terms; at most 1,000")
    assert "nothing was searched" in error.message and _shown(error, "en") == error.message
    assert _shown(error, "id").startswith("Daftar berisi 1.001 istilah berbeda; paling banyak 1.000")


def test_a_term_over_the_query_limit_is_refused_with_its_line_number():
    with pytest.raises(BatchError) as caught:
        term_list(["banjir", "", "x" * (MAX_QUERY_CHARS + 1)])
    assert caught.value.code == "term_too_long"
    assert caught.value.message.startswith("Line 3 is longer than 1,000 characters")
    assert _shown(caught.value, "id").startswith("Baris 3 lebih dari 1.000 karakter")


def test_nul_and_lone_surrogates_do_not_reach_the_engine():
    terms = term_list(["a\x00b", "c\ud800d"])
    assert terms.terms == ["a b", "c\ufffdd"]
    assert terms.terms[1].encode("utf-8")  # encodable


def test_filters_are_validated_like_the_search_page_and_become_link_pairs():
    base, pairs = batch_filters(
        {"source": ["kompas", "detik,humas"], "lang": ["id"], "date_from": "2020-01-01"}
    )
    assert base.mode == "keyword"
    assert base.filters.sources == ["kompas", "detik", "humas"]
    assert pairs == [
        ("source", "kompas"),
        ("source", "detik"),
        ("source", "humas"),
        ("lang", "id"),
        ("date_from", "2020-01-01"),
    ]
    base, _ = batch_filters({"date_from": "2021-01-01", "date_to": "2020-01-01"})  # a warning, not a 400
    assert (base.filters.date_from, base.filters.date_to) == ("2021-01-01", "2020-01-01")


def test_csv_file_has_a_bom_a_header_and_one_row_per_term():
    rows = [
        {
            "line": 1,
            "term": "banjir, jakarta",
            "documents": 3,
            "groups": 2,
            "passages": 5,
            "exact": True,
            "warnings": [{"code": "c", "text": "t", "message": {"en": "Dropped.", "id": "Dibuang."}}],
            "error": None,
            "search_url": "/?q=banjir&mode=keyword",
        }
    ]
    text = "".join(csv_lines(rows))
    assert text.startswith("\ufeff")
    read = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(read[0]) == CSV_COLUMNS
    assert read[0]["term"] == "banjir, jakarta" and read[0]["documents"] == "3"
    assert read[0]["exact"] == "true" and read[0]["warnings"] == "Dropped." and read[0]["error"] == ""


def test_the_schema_refuses_what_the_server_cannot_take():
    assert batch_body_errors({"terms": ["banjir"], "filters": {"date_from": "2020-02-01"}}) == []
    assert batch_body_errors({"terms": []})
    assert batch_body_errors({"terms": ["x"] * (MAX_TERMS + 1)})
    assert batch_body_errors({"terms": ["x" * (MAX_QUERY_CHARS + 1)]})
    assert batch_body_errors({"terms": ["x"], "mode": "hybrid"})  # closed: no other fields
    assert batch_body_errors({"terms": ["x"], "filters": {"date_to": "2020-02-30"}})
    assert batch_body_errors(None)


def test_api_refuses_a_bad_body_before_searching():
    # service=object(): a refused body must never reach the service
    client = create_app(Settings(), service=object()).test_client()
    response = client.post("/api/batch", json={"terms": ["x"] * (MAX_TERMS + 1)})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_body" and "terms" in error["message"]
    response = client.post("/api/batch", data="banjir", content_type="text/plain")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_body"
    response = client.get("/api/batch")
    assert response.status_code == 405 and response.headers["Allow"] == "OPTIONS, POST"
