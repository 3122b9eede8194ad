"""The contract test's excuse for negative queries that reach the server as valid ones
(``tests/integration/contract_hooks.sent_query_fits``), against the served OpenAPI document."""

from __future__ import annotations

import pytest

from searchapp.openapi import openapi_document
from tests.integration.contract_hooks import sent_query_fits

BASE = "http://127.0.0.1:5000/api/search"


@pytest.fixture(scope="module")
def search_parameters() -> dict[str, dict]:
    operation = openapi_document()["paths"]["/api/search"]["get"]
    return {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}


def test_a_negative_query_sent_as_a_valid_one_is_excused(search_parameters):
    # schemathesis' negative case: size=[] and language=False; on the wire "size=" (the default) and
    # "language=false" (a text value), which the schema admits (seed 3616125948, commit d789b3f)
    assert sent_query_fits(search_parameters, f"{BASE}?language=false&size=&group=")
    assert sent_query_fits(search_parameters, f"{BASE}?q=banjir&size=20&source=a&source=b")


@pytest.mark.parametrize(
    "query",
    [
        "size=abc",  # not a number
        "size=0",  # below its minimum
        "size=101",  # above its maximum
        "size=5&size=6",  # a single-valued parameter given twice
        "group=chapter",  # not one of its choices
    ],
)
def test_a_query_that_breaks_the_schema_on_the_wire_stays_a_finding(search_parameters, query):
    assert not sent_query_fits(search_parameters, f"{BASE}?{query}")
