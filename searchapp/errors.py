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
from enum import StrEnum

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from arsip import index_admin

log = logging.getLogger("arsip.search")


class ErrorCode(StrEnum):
    """Every ``error.code`` the app answers with (the OpenAPI ``Error`` schema lists them): a string, so
    comparisons with the plain text keep working."""

    BAD_QUERY = "bad_query"
    CONFLICT = "conflict"
    CROSS_SITE = "cross_site"
    CURSOR_EXPIRED = "cursor_expired"
    ENGINE_TIMEOUT = "engine_timeout"
    ENGINE_UNAVAILABLE = "engine_unavailable"
    INDEX_MISSING = "index_missing"
    INTERNAL = "internal"
    INVALID_BODY = "invalid_body"
    INVALID_CURSOR = "invalid_cursor"
    INVALID_DATE_FROM = "invalid_date_from"
    INVALID_DATE_TO = "invalid_date_to"
    INVALID_DEDUPE = "invalid_dedupe"
    INVALID_ENCODING = "invalid_encoding"
    INVALID_EXACT = "invalid_exact"
    INVALID_FACETS = "invalid_facets"
    INVALID_FORMAT = "invalid_format"
    INVALID_FUSION = "invalid_fusion"
    INVALID_GROUP = "invalid_group"
    INVALID_HIGHLIGHT = "invalid_highlight"
    INVALID_MODE = "invalid_mode"
    INVALID_NAME = "invalid_name"
    INVALID_PAGE = "invalid_page"
    INVALID_RELATED = "invalid_related"
    INVALID_SEARCH = "invalid_search"
    INVALID_SIZE = "invalid_size"
    INVALID_SORT = "invalid_sort"
    INVALID_TEXT = "invalid_text"
    INVALID_UNDATED = "invalid_undated"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    MODEL_MISMATCH = "model_mismatch"
    NO_TERMS = "no_terms"
    NOT_FOUND = "not_found"
    PAGE_TOO_DEEP = "page_too_deep"
    QUERY_TOO_LONG = "query_too_long"
    RATE_LIMITED = "rate_limited"
    REPEATED_PARAMETER = "repeated_parameter"
    REQUEST_TOO_LARGE = "request_too_large"
    TERM_TOO_LONG = "term_too_long"
    TOO_MANY_SAVED_SEARCHES = "too_many_saved_searches"
    TOO_MANY_TERMS = "too_many_terms"
    UNKNOWN_PARAMETER = "unknown_parameter"
    URI_TOO_LONG = "uri_too_long"


USER_MESSAGES: dict[ErrorCode, LazyString] = {
    ErrorCode.BAD_QUERY: _l("The search engine could not run this query; try writing it more simply."),
    ErrorCode.ENGINE_UNAVAILABLE: _l("The search engine could not be reached or did not answer."),
    ErrorCode.ENGINE_TIMEOUT: _l("The search engine did not answer in time."),
    ErrorCode.INDEX_MISSING: _l("Nothing has been indexed yet, so there is nothing to search."),
    ErrorCode.MODEL_MISMATCH: _l(
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
        code: ErrorCode,
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
    return SearchError(503, ErrorCode.INDEX_MISSING, str(index_admin.IndexMissing(index)))


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
        return False, SearchError(400, ErrorCode.BAD_QUERY, f"Elasticsearch rejected the query ({detail}).")
    message = f"Elasticsearch could not answer the search ({detail}); try again in a moment."
    return True, SearchError(503, ErrorCode.ENGINE_UNAVAILABLE, message)
