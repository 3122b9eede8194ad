"""How a failed msearch item becomes an HTTP error, and which failures are worth another try."""

from __future__ import annotations

from searchapp.errors import subsearch_error

INDEX = "arsip-test"


def _item(kind: str, status: int, reason: str = "") -> dict:
    cause = {"type": kind, "reason": reason}
    return {"error": {"type": kind, "reason": reason, "root_cause": [cause]}, "status": status}


def test_a_shard_failure_on_a_leaving_node_is_transient_and_503() -> None:
    item = _item("search_phase_execution_exception", 503, "all shards failed")
    item["error"]["root_cause"] = [{"type": "node_closed_exception", "reason": "node closed {n2}"}]
    transient, error = subsearch_error(item, INDEX)
    assert transient
    assert (error.status, error.code) == (503, "engine_unavailable")
    assert "search_phase_execution_exception: node closed {n2}" in error.message


def test_a_full_search_queue_is_transient() -> None:
    transient, error = subsearch_error(_item("es_rejected_execution_exception", 429), INDEX)
    assert transient and error.status == 503


def test_a_rejected_query_is_the_callers_fault_and_not_retried() -> None:
    transient, error = subsearch_error(_item("parsing_exception", 400, "unknown field"), INDEX)
    assert not transient
    assert (error.status, error.code) == (400, "bad_query")
    assert error.message == "Elasticsearch rejected the query (parsing_exception: unknown field)."


def test_a_missing_index_is_reported_as_such_without_retry() -> None:
    transient, error = subsearch_error(_item("index_not_found_exception", 404), INDEX)
    assert not transient
    assert (error.status, error.code) == (503, "index_missing")
    assert repr(INDEX) in error.message


def test_an_item_without_status_or_structured_error_counts_as_the_engines() -> None:
    transient, error = subsearch_error({"error": "boom"}, INDEX)
    assert transient and error.status == 503 and "boom" in error.message


def test_long_reasons_are_shortened() -> None:
    _, error = subsearch_error(_item("search_phase_execution_exception", 500, "x" * 5000), INDEX)
    assert len(error.message) < 400


def test_shard_requests_cancelled_by_a_leaving_node_are_transient_despite_status_400() -> None:
    # TaskCancelledException answers 400; a node shutting down cancels the shard requests it holds.
    item = _item("search_phase_execution_exception", 400, "all shards failed")
    cancelled = {"type": "task_cancelled_exception", "reason": "task cancelled [shutdown]"}
    item["error"]["root_cause"] = [cancelled]
    transient, error = subsearch_error(item, INDEX)
    assert transient
    assert (error.status, error.code) == (503, "engine_unavailable")


def test_a_transient_cause_deep_in_failed_shards_is_found() -> None:
    item = _item("search_phase_execution_exception", 400, "all shards failed")
    item["error"]["root_cause"] = [{"type": "query_shard_exception", "reason": "x"}]
    closed = {"type": "query_shard_exception", "caused_by": {"type": "node_closed_exception"}}
    item["error"]["failed_shards"] = [{"shard": 0, "reason": closed}]
    assert subsearch_error(item, INDEX)[0]


def test_a_query_error_inside_a_phase_failure_stays_400() -> None:
    item = _item("search_phase_execution_exception", 400, "all shards failed")
    bad = {"type": "query_shard_exception", "reason": "bad"}
    item["error"]["failed_shards"] = [{"shard": 0, "reason": bad}]
    transient, error = subsearch_error(item, INDEX)
    assert not transient and error.status == 400
