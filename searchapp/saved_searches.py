"""Saved searches: a search (query, mode, filters, sort) kept under a name, in its own small index.

One Elasticsearch document per saved search, in the index behind ``ARSIP_SAVED_SEARCHES_INDEX``
(mapping ``mappings/saved_searches.json``, versioned like the passages index: a physical
``<alias>-v<version>`` behind the alias, the version in ``_meta``). The app creates it on first use.

There are no user accounts yet: every saved search belongs to ``LOCAL_OWNER``. The owner is still
stored on each one and checked on every read and write (someone else's saved search is "not found"),
so per-user ownership only has to change who ``current_owner`` says is asking.

``search`` holds exactly the URL arguments that describe the search (``SAVED_PARAMS``), in the
canonical form ``SearchRequest`` reads them back from; paging and display options are not saved.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jsonschema_rs
from elasticsearch import ApiError, BadRequestError, ConflictError, Elasticsearch, NotFoundError
from flask import current_app
from flask_babel import gettext

from arsip.es_client import ENGINE_ERRORS, describe_engine_error
from arsip.settings import MAPPINGS_DIR, Settings
from searchapp.context import get_service
from searchapp.errors import ErrorCode, SearchError
from searchapp.openapi_params import search_object_schema
from searchapp.search_params import PARAMS
from searchapp.search_request import SearchRequest

MAPPING_VERSION = 1
EXTENSION = "arsip_saved_searches"
LOCAL_OWNER = "local"  # no accounts: one owner; checked everywhere so per-user ownership is a small change
MAX_NAME_CHARS = 200
MAX_SAVED = 1000  # per owner: a list, not a database
MAX_LIST_SIZE = 100
DEFAULT_LIST_SIZE = 20
NAME_PATTERN = "[^ \\t\\r\\n]"  # (JSON Schema) something other than spaces, tabs and line breaks
_NAME_SPACE = re.compile("[ \t\r\n]+")
ID_BYTES = 9  # secrets.token_urlsafe(9): 12 URL-safe characters
SAVED_PARAMS = (
    "q",
    "mode",
    "sort",
    "date_from",
    "date_to",
    "fusion",
    "group",
    "source",
    "collection",
    "lang",
    "dedupe",
    "exact",
    "related",
    "undated",
)
"""The search's URL arguments a saved search keeps, in the order its links carry them (paging, size,
highlight and facets are not kept)."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def get_store() -> SavedSearchStore:
    """The app's store: the search service's client (the search identity) on the app's saved index."""
    store = current_app.extensions.get(EXTENSION)
    if store is None:
        store = SavedSearchStore(get_service().es, current_app.config["ARSIP_SETTINGS"])
        current_app.extensions[EXTENSION] = store
    return store


def current_owner() -> str:
    """Who is asking. Without accounts everyone is the local owner; with them, the logged-in user."""
    return LOCAL_OWNER


# ----------------------------------------------------------------------------- the search, as arguments
def canonical_search(request: SearchRequest) -> dict[str, Any]:
    """The saved form of a validated search: its query, mode, sort and filters (defaults left out)."""
    search: dict[str, Any] = {"q": request.q, "mode": request.mode, "sort": request.sort}
    for param in (PARAMS[name] for name in SAVED_PARAMS if name not in search):
        value = getattr(request.filters, param.field) if param.field else getattr(request, param.name)
        if param.kind == "bool":  # kept only when not the default
            value = None if value == (True if param.default is None else param.default) else value
        if value not in (None, "", [], param.default):
            search[param.name] = list(dict.fromkeys(value)) if param.kind == "list" else value
    return search


def search_request(search: dict[str, Any], **changes) -> SearchRequest:
    """The ``SearchRequest`` a saved search describes (``changes``: e.g. size for a feed)."""
    args: dict[str, list[str]] = {}
    for name, value in search.items():
        if isinstance(value, bool):
            args[name] = ["true" if value else "false"]
        elif isinstance(value, list):
            args[name] = [str(v) for v in value]
        else:
            args[name] = [str(value)]
    for name, value in changes.items():
        args[name] = [str(value)]
    return SearchRequest.from_args(args)


def search_pairs(search: dict[str, Any]) -> list[tuple[str, str]]:
    """The saved search as URL query pairs (for links to the search page and the API)."""
    pairs: list[tuple[str, str]] = []
    for name in SAVED_PARAMS:
        value = search.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif isinstance(value, list):
            pairs += [(name, str(v)) for v in value]
        else:
            pairs.append((name, str(value)))
    return pairs


def _invalid(code: ErrorCode, message: str) -> SearchError:
    return SearchError(400, code, message)


def parse_name(raw: object) -> str:
    """A saved search's name: at most ``MAX_NAME_CHARS`` characters, not only spaces and line breaks
    (``NAME_PATTERN``, as the API document states it); runs of them become one space."""
    if not isinstance(raw, str) or not _NAME_SPACE.sub("", raw):
        raise _invalid(ErrorCode.INVALID_NAME, gettext("Give the saved search a name."))
    if len(raw) > MAX_NAME_CHARS:
        raise _invalid(
            ErrorCode.INVALID_NAME,
            gettext("The name is longer than %(max)d characters.", max=MAX_NAME_CHARS),
        )
    _check_text(raw)
    return _NAME_SPACE.sub(" ", raw).strip(" ")


def _check_text(value: str) -> None:
    """Text Elasticsearch can store (JSON may carry lone surrogates, which UTF-8 cannot)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(ErrorCode.INVALID_TEXT, gettext("The text is not valid Unicode.")) from None


_SEARCH_SCHEMA = jsonschema_rs.validator_for(
    search_object_schema(SAVED_PARAMS, stored=False), validate_formats=True
)
"""The ``search`` object as the API document publishes it (``SavedSearchInput``)."""
_VALUE_ERRORS = (
    jsonschema_rs.ValidationErrorKind.Enum,
    jsonschema_rs.ValidationErrorKind.MaxLength,
    jsonschema_rs.ValidationErrorKind.AnyOf,
)


def parse_search_object(raw: object) -> SearchRequest:
    """The API's ``search`` object (JSON) → a validated ``SearchRequest``; anything unknown is refused.

    The published schema checks its shape (400 ``invalid_search``); a text value outside its parameter's
    choices or limits is left to ``SearchRequest``, whose error names the limit (``invalid_mode``, ...).
    """
    errors = list(_SEARCH_SCHEMA.iter_errors(raw))
    shape = [e for e in errors if not (isinstance(e.kind, _VALUE_ERRORS) and isinstance(e.instance, str))]
    if shape:
        raise _invalid(ErrorCode.INVALID_SEARCH, _shape_message(raw, shape))
    assert isinstance(raw, dict)
    for value in raw.values():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                _check_text(text)
    request = search_request(raw)  # raises for a value the schema refused, naming the limit it breaks
    if errors:  # never expected (tests/unit/test_saved_searches.py): the published schema still decides
        raise _invalid(ErrorCode.INVALID_SEARCH, errors[0].message)
    return request


def _shape_message(raw: object, errors: list) -> str:
    """What is wrong with the ``search`` object, in the user's language (the first of ``errors``)."""
    if not isinstance(raw, dict):
        return gettext("Describe the search as an object (query, mode, filters).")
    unknown = sorted(set(raw) - set(SAVED_PARAMS))
    if unknown:
        return gettext("A saved search cannot keep “%(name)s”.", name=unknown[0][:50])
    kind = PARAMS[str(errors[0].instance_path[0])].kind
    if kind == "list":
        return gettext("Filters are lists of text values.")
    if kind == "bool" and errors[0].instance_path[0] == "dedupe":
        return gettext("Grouping similar versions is true or false.")
    if kind == "bool":
        label = PARAMS[str(errors[0].instance_path[0])].label
        return gettext("The value for %(setting)s must be true or false.", setting=label)
    return gettext("The query, mode, sort and dates are text.")


def parse_search_form(form) -> SearchRequest:
    """The search a results page's "Save this search" form carries (the page's own URL arguments)."""
    args = {name: form.getlist(name) for name in SAVED_PARAMS if form.getlist(name)}
    return SearchRequest.from_args(args)


# ----------------------------------------------------------------------------- the store
@dataclass(frozen=True)
class SavedSearch:
    id: str
    owner: str
    name: str
    search: dict[str, Any]
    created_at: str
    updated_at: str
    last_opened_at: str

    @classmethod
    def from_source(cls, source: dict) -> SavedSearch:
        return cls(**{name: source[name] for name in cls.__dataclass_fields__})

    def as_source(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


class SavedSearchStore:
    """Create, list, read, rename, delete and mark opened; every call is for one owner.

    Writes wait for a refresh (``refresh=wait_for``) so the next page or list shows them.
    """

    def __init__(self, es: Elasticsearch, settings: Settings) -> None:
        self.es = es
        self.settings = settings
        self.alias = settings.saved_searches_index
        self._ready = False

    # ------------------------------------------------------------------ index
    def index_body(self) -> dict:
        body = json.loads((MAPPINGS_DIR / "saved_searches.json").read_text(encoding="utf-8"))
        body["settings"]["number_of_replicas"] = self.settings.es_replicas
        body["mappings"]["_meta"] = {"mapping_version": MAPPING_VERSION, "created_at": now_iso()}
        return body

    def ensure_index(self) -> None:
        """Create ``<alias>-v<version>`` with the alias on first use (once per process when it exists)."""
        if self._ready:
            return
        try:
            if not self.es.indices.exists_alias(name=self.alias):
                body = self.index_body()
                try:
                    self.es.indices.create(
                        index=f"{self.alias}-v{MAPPING_VERSION}",
                        settings=body["settings"],
                        mappings=body["mappings"],
                        aliases={self.alias: {}},
                    )
                except BadRequestError as exc:
                    if exc.error != "resource_already_exists_exception":  # another process made it
                        raise
        except ENGINE_ERRORS as exc:
            raise self._engine_error(exc) from None
        self._ready = True

    def _engine_error(self, exc: Exception) -> SearchError:
        return SearchError(503, ErrorCode.ENGINE_UNAVAILABLE, describe_engine_error(exc, self.settings))

    def _call(self, method, **kwargs):
        """One request on the alias; the engine's failures become a 503 (a missing index is re-made)."""
        for attempt in range(2):
            self.ensure_index()
            try:
                return method(index=self.alias, **kwargs)
            except NotFoundError as exc:
                if exc.error != "index_not_found_exception" or attempt:
                    raise
                self._ready = False  # deleted behind our back: create it again, once
            except ApiError as exc:
                if exc.meta.status < 500 and exc.meta.status != 429:
                    raise
                raise self._engine_error(exc) from None
            except ENGINE_ERRORS as exc:
                raise self._engine_error(exc) from None
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ reads
    def get(self, owner: str, saved_id: str) -> SavedSearch:
        """The saved search, if it exists and belongs to ``owner`` (else 404: never someone else's)."""
        found = self._get(owner, saved_id)
        return found[0]

    def _get(self, owner: str, saved_id: str) -> tuple[SavedSearch, int, int]:
        if not saved_id or len(saved_id) > 64:
            raise _not_found()
        try:
            doc = self._call(self.es.get, id=saved_id)
        except NotFoundError:
            raise _not_found() from None
        saved = SavedSearch.from_source(doc["_source"])
        if saved.owner != owner:
            raise _not_found()
        return saved, doc["_seq_no"], doc["_primary_term"]

    def list(self, owner: str, page: int = 1, size: int = 50) -> tuple[int, list[SavedSearch]]:
        """``owner``'s saved searches, most recently created first: (how many in all, this page)."""
        if (page - 1) * size >= MAX_SAVED:  # past the most there can be (and Elasticsearch's window)
            return self.count(owner), []
        response = self._call(
            self.es.search,
            query={"term": {"owner": owner}},
            sort=[{"created_at": "desc"}, {"id": "asc"}],
            from_=(page - 1) * size,
            size=size,
            track_total_hits=True,
        )
        hits = response["hits"]["hits"]
        return response["hits"]["total"]["value"], [SavedSearch.from_source(h["_source"]) for h in hits]

    def count(self, owner: str) -> int:
        return int(self._call(self.es.count, query={"term": {"owner": owner}})["count"])

    # ------------------------------------------------------------------ writes
    def create(self, owner: str, name: str, request: SearchRequest) -> SavedSearch:
        if self.count(owner) >= MAX_SAVED:
            raise SearchError(
                400,
                ErrorCode.TOO_MANY_SAVED_SEARCHES,
                gettext(
                    "You have %(max)d saved searches, the most there can be; delete some first.",
                    max=MAX_SAVED,
                ),
            )
        stamp = now_iso()
        saved = SavedSearch(
            id=secrets.token_urlsafe(ID_BYTES),
            owner=owner,
            name=name,
            search=canonical_search(request),
            created_at=stamp,
            updated_at=stamp,
            last_opened_at=stamp,  # saving a search is seeing its results: "new" counts from here
        )
        self._call(self.es.create, id=saved.id, document=saved.as_source(), refresh="wait_for")
        return saved

    def _update(self, owner: str, saved_id: str, **fields) -> SavedSearch:
        """Read, change, write back only if nobody wrote in between (tried twice, then 409)."""
        for _attempt in range(2):
            saved, seq_no, term = self._get(owner, saved_id)
            updated = SavedSearch(**{**saved.as_source(), **fields})
            try:
                self._call(
                    self.es.index,
                    id=saved_id,
                    document=updated.as_source(),
                    if_seq_no=seq_no,
                    if_primary_term=term,
                    refresh="wait_for",
                )
                return updated
            except ConflictError:
                continue
        raise _conflict()

    def rename(self, owner: str, saved_id: str, name: str) -> SavedSearch:
        return self._update(owner, saved_id, name=name, updated_at=now_iso())

    def mark_opened(self, owner: str, saved_id: str, at: str | None = None) -> SavedSearch:
        """Opening (running) a saved search: documents indexed before now are no longer new."""
        return self._update(owner, saved_id, last_opened_at=at or now_iso())

    def delete(self, owner: str, saved_id: str) -> None:
        _saved, seq_no, term = self._get(owner, saved_id)
        try:
            self._call(
                self.es.delete, id=saved_id, if_seq_no=seq_no, if_primary_term=term, refresh="wait_for"
            )
        except NotFoundError:
            raise _not_found() from None
        except ConflictError:
            raise _conflict() from None


def _conflict() -> SearchError:
    return SearchError(409, ErrorCode.CONFLICT, gettext("The saved search changed meanwhile; try again."))


def _not_found() -> SearchError:
    return SearchError(404, ErrorCode.NOT_FOUND, gettext("There is no such saved search."))
