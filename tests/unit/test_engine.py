"""The one msearch with retry (``searchapp.search.engine``): bodies and responses paired by name, what
is retried and what is raised, for one search and for independent searches (batch counts)."""

from __future__ import annotations

import pytest

from arsip.settings import Settings
from searchapp.errors import SearchError
from searchapp.search import engine as engine_module
from searchapp.search.engine import Engine

OK = {"hits": {"hits": []}, "took": 1}
TRANSIENT = {"error": {"type": "es_rejected_execution_exception", "reason": "queue full"}, "status": 429}
REJECTED = {"error": {"type": "parsing_exception", "reason": "unknown field"}, "status": 400}
MISSING = {"error": {"type": "index_not_found_exception", "reason": "no such index"}, "status": 404}


class FakeClient:
    """Answers each msearch call with the next scripted list of item responses, per body's ``tag``."""

    def __init__(self, *answers: dict[str, dict]) -> None:
        self.answers = list(answers)
        self.sent: list[list[dict]] = []

    def msearch(self, searches: list[dict], filter_path: list[str] | None = None) -> dict:
        self.sent.append(searches)
        script = self.answers.pop(0)
        responses = [script.get(body["tag"], {**OK, "tag": body["tag"]}) for body in searches[1::2]]
        return {"took": 2, "responses": responses}


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch):
    monkeypatch.setattr(engine_module.time, "sleep", lambda _: None)


def _engine(client: FakeClient, dfs: bool = False) -> Engine:
    return Engine(client, "arsip-test", Settings(), dfs=dfs)  # type: ignore[arg-type]


def test_responses_come_back_under_the_bodies_names_with_the_dfs_header():
    client = FakeClient({})
    responses = _engine(client, dfs=True).msearch({"counts": {"tag": "c"}, "page": {"tag": "p"}})
    assert [r["tag"] for r in responses.values()] == ["c", "p"] and list(responses) == ["counts", "page"]
    assert client.sent[0][0] == {"index": "arsip-test", "search_type": "dfs_query_then_fetch"}


def test_no_bodies_no_round_trip():
    client = FakeClient()
    assert _engine(client).msearch({}) == {} and client.sent == []


def test_one_search_raises_a_rejected_query_at_once():
    client = FakeClient({"b": REJECTED})
    with pytest.raises(SearchError) as raised:
        _engine(client).msearch({"a": {"tag": "a"}, "b": {"tag": "b"}})
    assert raised.value.code == "bad_query" and len(client.sent) == 1


def test_one_search_sends_every_body_again_after_an_engine_side_failure():
    client = FakeClient({"a": TRANSIENT, "b": REJECTED}, {})
    responses = _engine(client).msearch({"a": {"tag": "a"}, "b": {"tag": "b"}})
    assert [r["tag"] for r in responses.values()] == ["a", "b"]
    assert len(client.sent) == 2 and client.sent[1] == client.sent[0]


def test_one_search_raises_an_engine_side_failure_that_outlasts_the_retries():
    client = FakeClient({"a": TRANSIENT}, {"a": TRANSIENT}, {"a": TRANSIENT})
    with pytest.raises(SearchError) as raised:
        _engine(client).msearch({"a": {"tag": "a"}})
    assert raised.value.status == 503 and len(client.sent) == 3


def test_independent_searches_keep_a_rejected_items_error_and_retry_only_the_failed_ones():
    client = FakeClient({"b": REJECTED, "c": TRANSIENT}, {})
    responses = _engine(client).msearch({i: {"tag": i} for i in "abc"}, item_errors=True)
    assert responses["a"]["tag"] == "a" and responses["c"]["tag"] == "c"
    assert isinstance(responses["b"], SearchError) and responses["b"].code == "bad_query"
    assert [body["tag"] for body in client.sent[1][1::2]] == ["c"]


def test_independent_searches_fail_together_when_the_index_is_missing():
    client = FakeClient({"b": MISSING})
    with pytest.raises(SearchError) as raised:
        _engine(client).msearch({i: {"tag": i} for i in "ab"}, item_errors=True)
    assert raised.value.code == "index_missing"
