"""Errors a search can end in: an HTTP status, a stable code and a message safe to show.

Two audiences: ``message`` is English for API clients and logs (it may carry the engine's technical
detail); ``user_message`` is what the UI shows, in the UI language, never naming URL parameters or
engine internals. Validation errors pass a ``lazy_gettext`` message, which serves both; ``parameter``
names the URL parameter at fault for programs (the API's ``error.parameter``).

Also decides, for a failed ``msearch`` item, whether the engine or the query is to blame (a node leaving
cancels shard requests with status 400, which is not the user's fault).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from arsip import index_admin

log = logging.getLogger("arsip.search")


USER_MESSAGES: dict[str, LazyString] = {
    "bad_query": _l("The search engine could not run this query; try writing it more simply."),
    "engine_unavailable": _l("The search engine could not be reached or did not answer."),
    "engine_timeout": _l("The search engine did not answer in time."),
    "index_missing": _l("Nothing has been indexed yet, so there is nothing to search."),
    "model_mismatch": _l(
        "The search index was built with a different language model than the one this app uses; "
        "the archive has to be indexed again."
    ),
}
"""What the UI says for errors whose API message is technical (keyed by code)."""

FALLBACK_USER_MESSAGES: dict[int, LazyString] = {
    400: _l("The request could not be understood."),
    404: _l("There is no page at this address."),
    500: _l("The error was logged. Please try again."),
}


class SearchError(Exception):
    """An error with an HTTP status, a stable code and a message safe to show (see the module doc)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str | LazyString,
        *,
        parameter: str | None = None,
        user_message: str | LazyString | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.parameter = parameter
        self._message = message
        self._user_message = user_message
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """English, for API clients and logs."""
        if isinstance(self._message, LazyString):
            with force_locale("en"):
                return str(self._message)
        return self._message

    @property
    def user_message(self) -> str:
        """For people, in the current UI language (English outside a request)."""
        text = self._user_message or USER_MESSAGES.get(self.code)
        if text is None and isinstance(self._message, LazyString):
            text = self._message
        if text is None:
            family = 500 if self.status >= 500 else (404 if self.status == 404 else 400)
            text = FALLBACK_USER_MESSAGES[family]
        return str(text)

    @property
    def technical_detail(self) -> str | None:
        """The engine's own words behind a translated ``user_message`` (English, for whoever runs arsip)."""
        if self.code in USER_MESSAGES and not isinstance(self._message, LazyString):
            return self._message
        return None

    def as_dict(self) -> dict:
        error = {"code": self.code, "message": self.message}
        if self.parameter:
            error["parameter"] = self.parameter
        return {"error": error}


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
