"""The search's URL parameters, described once: name, type, default, choices or limits, how messages name
them (English, Indonesian through the catalogs) and what the API document says of them.

Everything else is derived from ``SEARCH_PARAMS``: ``SearchRequest.from_args`` checks a value with its
entry (``search_request``), the OpenAPI query parameters and the saved-search schema are built from it
(``openapi_params``), and so are the batch filters (``batch``). A new filter or option is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from searchapp.errors import ErrorCode
from searchapp.relatedness import FLOORS

MODES = ("hybrid", "keyword", "semantic")
GROUPS = ("document", "passage")
FUSIONS = ("rrf", "weighted")
SORTS = ("relevance", "newest", "oldest")
MAX_QUERY_CHARS = 1000
"""The longest query the search takes (longer is refused, 400); the parser never sees more."""
MAX_SIZE = 100
DEFAULT_SIZE = 10
MAX_DEPTH = 1000  # page * size: deeper paging costs more than it is worth
MAX_PAGE = MAX_DEPTH  # page 1000 is reachable with size 1
BOOLEAN_TRUE = ("1", "true", "yes", "on")
BOOLEAN_FALSE = ("0", "false", "no", "off")
DATE_PATTERN = r"^([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})-[0-9]{2}-[0-9]{2}$"
"""YYYY-MM-DD in ASCII digits, year 0001 or later (Python's dates, which the server checks with, start
there); the schemas add ``format: date`` so that month and day exist."""


@dataclass(frozen=True)
class SearchParam:
    """One URL parameter of a search.

    ``kind``: ``text`` (at most ``high`` characters), ``choice`` (one of ``choices``; empty means
    ``default``), ``int`` (``low`` to ``high``), ``bool`` (``BOOLEAN_TRUE``/``BOOLEAN_FALSE``; empty means
    ``default``, true unless set), ``date`` (YYYY-MM-DD; empty means no bound) or ``list`` (repeated or
    comma-separated values; any other parameter given twice is refused).
    ``refused`` is the message for a value outside its choices or not a date; ``field`` the
    ``QueryFilters`` attribute a filter fills. ``api``, ``saved`` and ``batch`` are the descriptions in the
    API document's query parameters, in a saved search and in the batch filters (None: not there; "": there
    without a description).
    """

    name: str
    kind: Literal["text", "choice", "int", "bool", "date", "list"]
    label: LazyString | None  # None: messages name it by its name
    api: str
    default: str | int | None = None
    choices: tuple[str, ...] = ()
    low: int = 0
    high: int = 0
    refused: LazyString | None = None
    field: str | None = None
    saved: str | None = None
    batch: str | None = None
    deprecated: bool = False

    @property
    def code(self) -> ErrorCode:
        """The error code for a value this parameter refuses."""
        return ErrorCode.QUERY_TOO_LONG if self.name == "q" else ErrorCode(f"invalid_{self.name}")


_FILTER = (
    "Filter by {}: repeat the parameter or separate values with commas (a document matches any of them)."
)

SEARCH_PARAMS: tuple[SearchParam, ...] = (
    SearchParam(
        "q",
        "text",
        _l("the query"),
        f"Query, at most {MAX_QUERY_CHARS} characters. Keyword mode requires every word unless OR is "
        'used. Syntax: "phrase", -exclude, a OR b, pemilu* and kor?psi (wildcards), korupsi~ (fuzzy), '
        '"dana desa"~3 (proximity), source:x, collection:x, lang:id, title:x, author:x, date:2020-12, '
        'from:YYYY-MM-DD, to:YYYY-MM-DD, person:"x y", org:x, place:x (every form: /syntax). Parts that '
        "cannot be used are searched as plain text or dropped, and each is reported in `warnings`.",
        default="",
        high=MAX_QUERY_CHARS,
        saved="The query, as on /api/search.",
    ),
    SearchParam(
        "mode",
        "choice",
        _l("the search mode"),
        "Ranking mode (empty means hybrid). Without query words (filters only) the search runs as keyword.",
        default="hybrid",
        choices=MODES,
        refused=_l("Unknown search mode: choose hybrid, keyword or semantic."),
        saved="Ranking mode",
    ),
    SearchParam(
        "sort",
        "choice",
        _l("the sort order"),
        "Order: relevance, or by document date (newest / oldest first; documents without a date come "
        "last). Empty means relevance.",
        default="relevance",
        choices=SORTS,
        refused=_l("Unknown sort order: sort by relevance, newest or oldest."),
        saved="Order",
    ),
    SearchParam(
        "related",
        "choice",
        _l("how closely related by meaning"),
        "Which passages count as related by meaning (semantic and hybrid modes): close (the default) "
        "keeps those whose similarity to the query stands well above what the archive's unrelated "
        "passages score for it; loose lowers that floor (more passages, more of them unrelated). A query "
        "with nothing related finds 0.",
        default="close",
        choices=FLOORS,
        refused=_l("Unknown choice for related by meaning: use close or loose."),
        saved="How closely related by meaning (close, the default, or loose).",
    ),
    SearchParam(
        "page",
        "int",
        _l("the page number"),
        f"Page number, 1 to {MAX_PAGE}, and page × size may not exceed {MAX_DEPTH} (only the first "
        f"{MAX_DEPTH} results can be paged through).",
        default=1,
        low=1,
        high=MAX_PAGE,
    ),
    SearchParam(
        "size",
        "int",
        _l("results per page"),
        f"Results per page, 1 to {MAX_SIZE} (documents, or passages with group=passage).",
        default=DEFAULT_SIZE,
        low=1,
        high=MAX_SIZE,
    ),
    SearchParam(
        "group",
        "choice",
        _l("grouping"),
        "document: documents with their best passages; passage: plain passages (then `total` counts "
        "passages).",
        default="document",
        choices=GROUPS,
        refused=_l("Unknown grouping: group the results by document or by passage."),
        saved="Grouping",
    ),
    SearchParam(
        "fusion",
        "choice",
        _l("combining keyword and meaning results"),
        "Hybrid fusion method (empty or absent: weighted, keyword 0.3 / semantic 0.7).",
        choices=FUSIONS,
        refused=_l("Unknown way of combining keyword and meaning results: use rrf or weighted."),
        saved="Hybrid fusion",
    ),
    SearchParam(
        "highlight",
        "bool",
        _l("highlighting"),
        "Mark matched terms (false: faster). Empty means true.",
    ),
    SearchParam(
        "facets",
        "bool",
        _l("filter counts"),
        "Facet counts and the date histogram (false: faster). Empty means true.",
    ),
    SearchParam(
        "dedupe",
        "bool",
        _l("grouping similar versions"),
        "One result per near-duplicate group (its best version, with `similar_versions`); false: every "
        "version, and `total` counts documents. Empty means true. The export always lists every version.",
        saved="Fold near-duplicate versions (default true).",
    ),
    SearchParam(
        "exact",
        "bool",
        _l("exact word forms"),
        "Match unquoted words only in the forms typed (true), not also other forms of the same root "
        "(stemming: kejadian also finds terjadi and kejadiannya). Empty or absent means false. The "
        "envelope's `expansions` says which other forms a search without it matched.",
        default=False,
        saved="Exact word forms only, no other forms of the same root (default false).",
        batch="Count exact word forms only, no other forms of the same root (default false).",
    ),
    SearchParam(
        "versions_of",
        "list",
        None,
        "Only the versions of these near-duplicate groups (use with dedupe=false to list them all).",
        field="dup_groups",
    ),
    SearchParam(
        "source",
        "list",
        None,
        _FILTER.format("source"),
        field="sources",
        saved="Any of these sources.",
        batch="Only these sources (any of them).",
    ),
    SearchParam(
        "collection",
        "list",
        None,
        _FILTER.format("collection"),
        field="collections",
        saved="Any of these.",
        batch="Only these collections (any of them).",
    ),
    SearchParam(
        "lang",
        "list",
        None,
        _FILTER.format("language code (e.g. id, en)"),
        field="languages",
        saved="Any of these languages.",
        batch="Only these language codes (e.g. id, en).",
    ),
    SearchParam("language", "list", None, "Alias of lang.", field="languages", deprecated=True),
    SearchParam(
        "person",
        "list",
        None,
        _FILTER.format("person named in the document (a normalised name, e.g. Muhammad Hudori)"),
        field="persons",
        saved="Documents naming any of these people.",
        batch="Only documents naming any of these people.",
    ),
    SearchParam(
        "org",
        "list",
        None,
        _FILTER.format("organisation named in the document (e.g. Bawaslu)"),
        field="orgs",
        saved="Documents naming any of these organisations.",
        batch="Only documents naming any of these organisations.",
    ),
    SearchParam(
        "place",
        "list",
        None,
        _FILTER.format("place named in the document (e.g. Bandung)"),
        field="places",
        saved="Documents naming any of these places.",
        batch="Only documents naming any of these places.",
    ),
    SearchParam(
        "date_from",
        "date",
        None,
        "Earliest publication date, YYYY-MM-DD (a real calendar date); empty means no bound. After "
        "date_to, nothing matches and a `date_range_reversed` warning says so.",
        refused=_l("The start date must be a real date written YYYY-MM-DD."),
        field="date_from",
        saved="",
        batch="Earliest date, YYYY-MM-DD (after date_to: nothing matches, with a warning).",
    ),
    SearchParam(
        "date_to",
        "date",
        None,
        "Latest publication date, YYYY-MM-DD (a real calendar date); empty means no bound.",
        refused=_l("The end date must be a real date written YYYY-MM-DD."),
        field="date_to",
        saved="Inclusive (before date_from: nothing matches, with a warning).",
        batch="Latest date, YYYY-MM-DD.",
    ),
    SearchParam(
        "undated",
        "bool",
        _l("documents without a date"),
        "With date_from or date_to: also include documents without a date (true). Empty or absent means "
        "false: they are left out, and `totals.undated_excluded` says how many of them match.",
        default=False,
        field="include_undated",
        saved="With a date range, also include documents without a date (default false).",
        batch="With a date range, also count documents without a date (default false).",
    ),
)
"""In the order the API document lists them."""

PARAMS = {param.name: param for param in SEARCH_PARAMS}
BATCH_FILTERS = tuple(param for param in SEARCH_PARAMS if param.batch is not None)
"""The filters a batch search takes (the same for every term)."""
