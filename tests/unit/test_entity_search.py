"""The search side of entities, with answers known by construction: query syntax, filter clauses,
export columns and the document view's marks."""

from __future__ import annotations

from markupsafe import Markup

from searchapp.query_builder import build_filter_clauses
from searchapp.query_parser import parse_query
from searchapp.search.result_rows import export_row


def test_entity_filters_in_the_query_are_normalised_and_negatable():
    parsed = parse_query('pilkada person:"muhammad  HUDORI" org:Bawaslu -place:bandung')
    assert parsed.filters.persons == ["Muhammad Hudori"]
    assert parsed.filters.orgs == ["Bawaslu"]
    assert parsed.filters.exclude_places == ["Bandung"]
    assert [item.text for group in parsed.groups for item in group] == ["pilkada"]
    assert parse_query("person:").warnings[0].code == "empty_filter"


def test_entity_filters_match_the_document_union_case_insensitively():
    clauses = build_filter_clauses(parse_query('org:KPU -person:"Ani"').filters)
    text = str(clauses)
    assert "doc_entities.org" in text and "doc_entities.person" in text
    assert "must_not" in text and "case_insensitive" in text


def test_export_rows_carry_the_passage_entities():
    source = {"doc_id": "d", "entities": {"person": ["Ani", "Budi"], "place": ["Bandung"]}, "text": "x"}
    row = export_row(1, "d:0", source, 1.0)
    assert (row["people"], row["organisations"], row["places"]) == ("Ani; Budi", "", "Bandung")


def test_document_passage_marks_query_words_and_links_entities():
    from searchapp.app import create_app

    text = "Ketua Bawaslu Abhan di Jakarta."
    passage = {
        "text": text,
        "highlight": "Ketua <mark>Bawaslu</mark> Abhan di Jakarta.",
        "mentions": [
            {"kind": "org", "name": "Bawaslu", "start": 6, "end": 13},
            {"kind": "person", "name": "Abhan", "start": 14, "end": 19},
        ],
    }
    app = create_app(service=object())
    with app.test_request_context("/"):
        from searchapp.pages.entity_markup import marked_passage_html

        html = marked_passage_html(passage)
        plain = marked_passage_html({"text": "a <b>", "highlight": None, "mentions": []})
    assert isinstance(html, Markup)
    assert (
        '<a class="entity entity-org" href="/entities/org/Bawaslu" title="Bawaslu"><mark>Bawaslu</mark></a>'
        in html
    )
    assert '<a class="entity entity-person" href="/entities/person/Abhan" title="Abhan">Abhan</a>' in html
    assert str(html).endswith(" di Jakarta.")
    assert str(plain) == "a &lt;b&gt;"


def test_batch_filters_and_search_parameters_include_the_entities():
    from searchapp.search_params import BATCH_FILTERS
    from searchapp.search_request import SearchRequest

    assert {"person", "org", "place"} <= {param.name for param in BATCH_FILTERS}
    request = SearchRequest.from_args({"q": ["x"], "person": ["Ani,Budi"], "place": ["Bandung"]})
    assert (request.filters.persons, request.filters.places) == (["Ani", "Budi"], ["Bandung"])
