"""Errors a search can end in: an HTTP status, a stable code and a message safe to show.

Also decides, for a failed ``msearch`` item, whether the engine or the query is to blame (a node leaving
cancels shard requests with status 400, which is not the user's fault).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from arsip import index_admin

log = logging.getLogger("arsip.search")


class SearchError(Exception):
    """An error with an HTTP status, a stable code and a message safe to show."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}


def index_missing_error(index: str) -> SearchError:
    """503: nothing has been indexed under ``index`` yet (the same words as the index check's)."""
    return SearchError(503, "index_missing", str(index_admin.IndexMissing(index)))


def _root_reason(error: object) -> str:
    """The first root cause's reason of an Elasticsearch error body, shortened (safe to show)."""
    if not isinstance(error, dict):
        return ""
    causes = error.get("root_cause") or [error]
    reason = causes[0].get("reason") if isinstance(causes[0], dict) else None
    return str(reason or "")[:200]


# Failures of the engine, not of the query, whatever status Elasticsearch gives them: a node leaving
# cancels the shard requests it coordinates (``task_cancelled_exception`` answers 400) or holds.
TRANSIENT_ERROR_TYPES = frozenset(
    {
        "task_cancelled_exception",
        "node_closed_exception",
        "node_disconnected_exception",
        "node_not_connected_exception",
        "connect_transport_exception",
        "send_request_transport_exception",
        "receive_timeout_transport_exception",
        "no_shard_available_action_exception",
        "shard_not_found_exception",
        "illegal_index_shard_state_exception",
        "es_rejected_execution_exception",
        "circuit_breaking_exception",
        "search_context_missing_exception",  # the node holding a query phase's context closed it
    }
)


def _error_types(error: object, depth: int = 0) -> set[str]:
    """Every ``type`` in an Elasticsearch error body: root causes, ``caused_by``, failed shards."""
    if depth > 8:
        return set()
    if isinstance(error, list):
        return set().union(*(_error_types(e, depth + 1) for e in error))
    if not isinstance(error, dict):
        return set()
    found = {str(error["type"])} if "type" in error else set()
    return found.union(*(_error_types(v, depth + 1) for v in error.values() if isinstance(v, (dict, list))))


def subsearch_error(response: Mapping, index: str) -> tuple[bool, SearchError]:
    """The error for one failed msearch item, and whether trying again may help.

    A missing index is 503 and stays so. A 5xx or 429 item, or one caused by a node leaving (whatever
    its status), is the engine's: 503, worth trying again. Any other 4xx is the query's fault: 400.
    """
    error = response.get("error")
    kind = str(error.get("type") if isinstance(error, dict) else error)
    status = int(response.get("status") or 500)
    if kind == "index_not_found_exception":
        return False, index_missing_error(index)
    reason = _root_reason(error)
    detail = f"{kind}: {reason}" if reason else kind
    types = _error_types(error)
    if status < 500 and status != 429 and not types & TRANSIENT_ERROR_TYPES:
        log.warning("Elasticsearch rejected a sub-search (status %s, %s): %s", status, sorted(types), detail)
        return False, SearchError(400, "bad_query", f"Elasticsearch rejected the query ({detail}).")
    message = f"Elasticsearch could not answer the search ({detail}); try again in a moment."
    return True, SearchError(503, "engine_unavailable", message)
