"""The OpenAPI document and the server's validation agree, value by value, and 405s carry ``Allow``.

Each parameter's schema (as /api/openapi.json serves it) is checked against ``SearchRequest.from_args``
over the same raw query-string values: the document accepts a value exactly when the server does. The
limits therefore cannot drift apart (the integration test ``test_api_contract`` checks the served app).
"""

from __future__ import annotations

import re

import jsonschema_rs
import pytest

from arsip.settings import Settings
from searchapp.app import create_app
from searchapp.errors import ErrorCode, SearchError
from searchapp.openapi import openapi_document
from searchapp.query_parser import parse_query
from searchapp.search_params import (
    DEFAULT_SIZE,
    FUSIONS,
    GROUPS,
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    MAX_SIZE,
    MODES,
    SEARCH_PARAMS,
    SORTS,
)
from searchapp.search_request import SearchRequest

DOCUMENT = openapi_document()
SEARCH = {p["name"]: p for p in DOCUMENT["paths"]["/api/search"]["get"]["parameters"]}


def schema_accepts(name: str, raw: str) -> bool:
    """Whether the document allows ``name=raw`` on the wire (a query value is text; an integer schema
    reads it as a number when it is written as one)."""
    parameter = SEARCH[name]
    validator = jsonschema_rs.validator_for(parameter["schema"], validate_formats=True)
    if parameter["schema"].get("type") == "array":
        return validator.is_valid([raw])
    candidates: list = [raw]
    if re.fullmatch(r"-?[0-9]+", raw):
        candidates.append(int(raw))
    return any(validator.is_valid(value) for value in candidates)


def server_accepts(args: dict) -> bool:
    try:
        SearchRequest.from_args({key: [value] for key, value in args.items()})
    except SearchError as exc:
        assert exc.status == 400
        return False
    return True


VALUES = {
    "page": [
        "",
        "1",
        "2",
        "100",
        str(MAX_DEPTH),
        str(MAX_DEPTH + 1),
        "0",
        "-1",
        "1.5",
        " 5",
        "+5",
        "1_0",
        "١٢",
        "²",
        "x",
        "9" * 40,
    ],
    "size": ["", "1", str(DEFAULT_SIZE), str(MAX_SIZE), str(MAX_SIZE + 1), "0", "-3", "ten", "1e2", "05"],
    "mode": ["", *MODES, "HYBRID", "Keyword", "fuzzy", " hybrid"],
    "sort": ["", *SORTS, "NEWEST", "date", "newest "],
    "group": ["", *GROUPS, "Passage", "cluster"],
    "fusion": ["", *FUSIONS, "RRF", "linear"],
    "highlight": ["", "true", "false", "1", "0", "yes", "no", "on", "off", "TRUE", "maybe", "2"],
    "facets": ["", "true", "False", "false", "FALSE", "0", "Off", "nope", " false"],
    "q": ["", "banjir", "a" * MAX_QUERY_CHARS, "a" * (MAX_QUERY_CHARS + 1), "ü" * MAX_QUERY_CHARS],
    "date_from": [
        "",
        "2020-01-01",
        "2020-02-29",
        "2021-02-29",
        "2020-13-01",
        "2020-1-1",
        "2020-01-01 ",
        " 2020-01-01",
        "٢٠٢٠-٠١-٠١",
        "20200101",
        "0000-01-01",
        "9999-12-31",
        "yesterday",
    ],
    "date_to": ["", "2020-12-31", "2020-04-31", "x"],
    "source": ["", "humas", "a,b", " "],
    "collection": ["berita"],
    "lang": ["id", "id,en"],
}


@pytest.mark.parametrize(("name", "raw"), [(name, raw) for name, values in VALUES.items() for raw in values])
def test_the_document_accepts_a_parameter_value_exactly_when_the_server_does(name: str, raw: str):
    # page alone with size=1, so that page × size (a rule joining two parameters) does not interfere
    args = {name: raw, "size": "1"} if name == "page" else {name: raw}
    assert schema_accepts(name, raw) == server_accepts(args), (name, raw)


def test_the_document_states_the_servers_limits():
    def branch(name: str) -> dict:
        schema = SEARCH[name]["schema"]
        return schema["anyOf"][0] if "anyOf" in schema else schema

    assert branch("page")["minimum"] == 1 and branch("page")["maximum"] == MAX_DEPTH
    assert branch("size")["minimum"] == 1 and branch("size")["maximum"] == MAX_SIZE
    assert SEARCH["size"]["schema"]["default"] == DEFAULT_SIZE
    assert branch("q")["maxLength"] == MAX_QUERY_CHARS
    assert f"page × size may not exceed {MAX_DEPTH}" in SEARCH["page"]["description"]
    for name, values in (("mode", MODES), ("sort", SORTS), ("group", GROUPS), ("fusion", FUSIONS)):
        assert branch(name)["enum"] == [*values, ""]
    similar = DOCUMENT["paths"]["/api/passages/{passage_id}/similar"]["get"]["parameters"]
    size = next(p for p in similar if p["name"] == "size")["schema"]["anyOf"][0]
    assert (size["minimum"], size["maximum"]) == (1, MAX_SIZE)


@pytest.mark.parametrize(
    ("page", "size", "accepted"),
    [
        ("100", "10", True),
        ("101", "10", False),
        ("1000", "1", True),
        ("10", "100", True),
        ("11", "100", False),
    ],
)
def test_page_times_size_is_the_documented_rule(page: str, size: str, accepted: bool):
    assert server_accepts({"page": page, "size": size}) is accepted


def test_a_repeated_single_value_parameter_is_refused_and_repeatable_filters_are_not():
    with pytest.raises(SearchError) as caught:
        SearchRequest.from_args({"size": ["5", "7"]})
    assert caught.value.code == "repeated_parameter" and caught.value.parameter == "size"
    assert caught.value.message == "The value for results per page was given more than once; give it once."
    assert caught.value.as_dict()["error"]["parameter"] == "size"
    request = SearchRequest.from_args({"source": ["a", "b,c"], "lang": ["id"], "language": ["en"]})
    assert request.filters.sources == ["a", "b", "c"] and request.filters.languages == ["id", "en"]


def test_too_deep_message_names_only_page_and_makes_sense_without_size():
    """A UI user follows page links and never types size: the message must not ask about size."""
    with pytest.raises(SearchError) as caught:
        SearchRequest.from_args({"q": ["banjir"], "page": ["150"]})
    error = caught.value
    assert error.code == "page_too_deep"
    assert "size" not in error.message
    assert f"at {DEFAULT_SIZE} results a page, the last page is {MAX_DEPTH // DEFAULT_SIZE}." in error.message


def test_date_messages_say_which_date_in_words_and_by_name():
    # dates the wrong way round are schema-valid, so not refused (issue 21): nothing matches, with a warning
    reversed_dates = SearchRequest.from_args({"date_from": ["2021-01-01"], "date_to": ["2020-01-01"]})
    assert reversed_dates.filters.date_from == "2021-01-01"
    with pytest.raises(SearchError) as caught:
        SearchRequest.from_args({"date_to": ["2020-02-30"]})
    assert caught.value.code == "invalid_date_to" and caught.value.message.startswith("The end date must")
    assert caught.value.parameter == "date_to"


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/search"), ("PUT", "/api/export"), ("DELETE", "/api/documents/x"), ("PATCH", "/healthz")],
)
def test_405_carries_the_allow_header_and_a_json_error(method: str, path: str):
    client = create_app(Settings(), service=object()).test_client()
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert response.get_json()["error"] == {
        "code": "method_not_allowed",
        "message": f"{method} is not allowed here; allowed: GET, HEAD, OPTIONS.",
    }


def test_every_route_with_parameters_documents_its_errors_as_json():
    for path, item in DOCUMENT["paths"].items():
        responses = [(code, r) for operation in item.values() for code, r in operation["responses"].items()]
        for code, response in responses:
            if not code.startswith("2") and path.startswith("/api/"):
                assert response["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }


def test_export_documents_its_headers_and_columns():
    export = DOCUMENT["paths"]["/api/export"]["get"]
    headers = export["responses"]["200"]["headers"]
    assert set(headers) == {
        "Content-Disposition",
        "X-Arsip-Passages",
        "X-Arsip-Documents",
        "X-Arsip-Rows",
        "X-Arsip-Export-Limit",
        "X-Arsip-Capped",
    }
    assert (
        "byte order mark" in export["description"] and "One row per matching passage" in export["description"]
    )
    assert set(export["responses"]["200"]["content"]) == {"text/csv", "application/x-ndjson"}


@pytest.mark.parametrize("q", ["-", '"', "\ud99c\udc72"])
def test_a_query_with_nothing_to_search_answers_in_the_documented_envelope(q):
    """Typed text that leaves nothing to search returns early, before Elasticsearch: that envelope must
    still carry every required field (schemathesis' stateful phase once found ``dedupe`` missing here)."""
    from searchapp.service import SearchService

    class NoElasticsearch:
        def __getattr__(self, name):
            raise AssertionError(f"nothing to search must not reach Elasticsearch ({name})")

    service = SearchService(Settings(), es=NoElasticsearch())
    envelope = service.search(SearchRequest.from_args({"q": [q], "mode": ["keyword"]}))
    schema = {"$ref": "#/components/schemas/SearchResponse", "components": DOCUMENT["components"]}
    validator = jsonschema_rs.validator_for(schema)
    errors = [error.message for error in validator.iter_errors(envelope)]
    assert errors == []
    assert envelope["total"] == 0 and envelope["dedupe"] is True


def test_the_error_schema_lists_every_error_code_and_each_parameter_refuses_with_one():
    error = DOCUMENT["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["properties"]["code"]["enum"] == [code.value for code in ErrorCode]
    for param in SEARCH_PARAMS:
        if param.kind != "list":  # a list parameter refuses nothing
            assert param.code in ErrorCode, param.name


def test_the_parser_cuts_at_the_length_the_request_refuses_beyond():
    assert server_accepts({"q": "a" * MAX_QUERY_CHARS}) and not server_accepts(
        {"q": "a" * (MAX_QUERY_CHARS + 1)}
    )
    assert parse_query("a" * MAX_QUERY_CHARS).warnings == []
    assert [w.code for w in parse_query("a" * (MAX_QUERY_CHARS + 1)).warnings] == ["query_truncated"]


@pytest.mark.parametrize(
    ("path", "query", "named", "hint"),
    [
        ("/api/search", "q=pilkada&from=2019-10-01&sources=tempo.co", "from", "date_from"),
        ("/api/export", "q=pilkada&format=csv&sources=tempo.co", "sources", "source"),
        ("/api/documents/x", "q=a&highlight=1", "highlight", None),
        ("/api/passages/x:1/similar", "sizes=3", "sizes", "size"),
        ("/api/saved", "page=1&pages=2", "pages", "page"),
        ("/api/saved/abc", "size=3", "size", None),
    ],
)
def test_an_unknown_api_parameter_is_refused_naming_it(path: str, query: str, named: str, hint: str | None):
    """`sources=tempo.co` used to be ignored: the caller got the unfiltered results as if filtered."""
    client = create_app(Settings(), service=object()).test_client()
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "unknown_parameter" and error["parameter"] == named
    assert named in error["message"]
    if hint:
        assert f"Did you mean {hint}" in error["message"]


def test_every_api_operation_documents_the_unknown_parameter_refusal_and_pages_ignore_them():
    assert "unknown_parameter" in DOCUMENT["info"]["description"]
    for path, item in DOCUMENT["paths"].items():
        for operation in item.values():
            assert not path.startswith("/api/") or "400" in operation["responses"], path
    client = create_app(Settings(), service=object()).test_client()
    assert client.get("/healthz?t=1").status_code == 200
    assert client.get("/syntax?x=1").status_code == 200


def test_reversed_dates_are_answered_with_a_warning_not_refused():
    """Issue 21 (schemathesis): schema-valid reversed dates were refused with 400 on four routes."""
    from searchapp.ranking import RankingConfig
    from searchapp.search.plan import plan_search

    request = SearchRequest.from_args(
        {"date_from": ["2021-01-01"], "date_to": ["2020-01-01"], "mode": ["keyword"]}
    )
    plan = plan_search(request, RankingConfig(), Settings(), None)
    assert [(w.code, w.text) for w in plan.parsed.warnings] == [
        ("date_range_reversed", "2021-01-01 … 2020-01-01")
    ]
    typed = plan_search(
        SearchRequest(q="from:2021 to:2019", mode="keyword"), RankingConfig(), Settings(), None
    )
    assert [w.code for w in typed.parsed.warnings] == ["date_range_reversed"]  # said once


def test_routes_with_a_body_document_the_413_their_limit_answers():
    for path, method in (("/api/batch", "post"), ("/api/saved", "post"), ("/api/saved/{saved_id}", "patch")):
        assert "413" in DOCUMENT["paths"][path][method]["responses"], path


def test_a_passage_walk_row_is_an_export_row_without_rank_and_validates_against_its_schema():
    # the cursor walk answers export rows; the schema once kept the columns of before ¶, page and entities
    from searchapp.search.result_rows import EXPORT_COLUMNS, export_row

    document = openapi_document()
    walk = document["components"]["schemas"]["PassageWalk"]
    # nor ``match``: the walk lists the set in its own order, without asking which part each passage is in
    assert set(walk["properties"]["passages"]["items"]["properties"]) == set(EXPORT_COLUMNS) - {
        "rank",
        "match",
    }
    source = {"doc_id": "d", "position": 3, "text": "banjir", "page": 2, "entities": {"person": ["A", "B"]}}
    row = export_row(1, "d:3", source, 1.5)
    del row["rank"]
    validator = jsonschema_rs.validator_for({**walk, "components": document["components"]})
    validator.validate({"passages": [row], "next_cursor": None})
    assert row["paragraph"] == 4 and row["page"] == 2 and row["people"] == "A; B"


def test_a_passage_without_a_part_validates():
    """Issue 20: search passages say their part (``match``); similar passages have none, and are valid."""
    document = openapi_document()
    passage = {**document["components"]["schemas"]["Passage"], "components": document["components"]}
    row = {
        "passage_id": "d:0",
        "position": 0,
        "paragraph": 1,
        "score": 0.8,
        "text": "banjir",
        "highlight": None,
        "page": None,
        "page_ocr": None,
        "ocr_confidence": None,
    }
    validator = jsonschema_rs.validator_for(passage)
    validator.validate(row)
    validator.validate({**row, "match": "some_words"})
    assert not validator.is_valid({**row, "match": "most_words"})
