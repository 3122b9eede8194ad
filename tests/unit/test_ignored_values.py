"""Issue 24, point 6: every value a record gives but arsip does not use is reported; partial dates keep
their precision."""

from __future__ import annotations

import json

import pytest

from indexer.documents import SourceDocument
from indexer.readers import document_from_record
from indexer.report import IndexSummary, RunReport

TEXT = "Warga kota membersihkan saluran air bersama petugas kebersihan pada akhir pekan."


@pytest.mark.parametrize(
    "raw, date, precision",
    [("2020-06", "2020-06", "month"), ("2020", "2020", "year"), ("2020-6", "2020-06", "month")],
)
def test_a_month_or_a_year_alone_is_kept_with_its_precision(raw, date, precision):
    doc = document_from_record({"id": "a", "text": TEXT, "date": raw}, "in.jsonl", 1)
    assert isinstance(doc, SourceDocument)
    assert (doc.date, doc.date_precision, doc.date_source, doc.ignored) == (date, precision, "metadata", [])


def test_full_dates_have_no_precision_mark():
    doc = document_from_record({"id": "a", "text": TEXT, "date": "2020-06-15"}, "in.jsonl", 1)
    assert (doc.date, doc.date_precision) == ("2020-06-15", None)


@pytest.mark.parametrize("raw", ["2020-13-45", "kemarin", 20200615, "0000-00-00", "2020-13", "0999"])
def test_an_unreadable_date_is_reported_not_dropped_silently(raw):
    doc = document_from_record({"id": "a", "text": TEXT, "date": raw}, "in.jsonl", 3)
    assert isinstance(doc, SourceDocument) and doc.date is None and doc.line == 3
    assert [(i["field"], i["value"]) for i in doc.ignored] == [("date", raw)]
    assert "not a date" in doc.ignored[0]["reason"]


def test_a_language_that_is_no_code_and_unknown_fields_are_reported():
    record = {"id": "a", "text": TEXT, "language": "Bahasa Indonesia", "kategori": "daerah", "tags": [1, 2]}
    doc = document_from_record(record, "in.jsonl", 1)
    assert doc.language is None  # detected later, as for a record without one
    assert [(i["field"], i["value"]) for i in doc.ignored] == [
        ("kategori", "daerah"),
        ("tags", "array"),
        ("language", "Bahasa Indonesia"),
    ]
    kept = document_from_record({"id": "a", "text": TEXT, "language": "ID"}, "in.jsonl", 1)
    assert (kept.language, kept.ignored) == ("id", [])


def test_the_report_line_lists_them_and_the_summary_counts_the_documents(tmp_path):
    summary = IndexSummary()
    report = RunReport(summary, str(tmp_path / "r.jsonl"))
    ignored = [{"field": "date", "value": "kemarin", "reason": "not a date"}]
    report.record("indexed", "in.jsonl", "a", passages=1, line=4, ignored=ignored)
    report.record("indexed", "in.jsonl", "b", passages=1, line=5)
    report.close()
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert lines[0]["ignored"] == ignored and lines[0]["line"] == 4 and "ignored" not in lines[1]
    assert summary.with_ignored == 1 and "values not used in 1 documents" in summary.render()
