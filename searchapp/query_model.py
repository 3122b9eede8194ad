"""What a parsed query is: items (terms, phrases, wildcards, fuzzy terms), OR groups, exclusions and
metadata filters, as ``query_parser`` produces them and ``query_builder`` turns them into Elasticsearch DSL.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from searchapp.query_warnings import QueryWarning

LANGUAGE_ALIASES = {
    "indonesia": "id",
    "indonesian": "id",
    "bahasa": "id",
    "ind": "id",
    "in": "id",
    "english": "en",
    "inggris": "en",
    "eng": "en",
}
"""Spelled-out languages researchers type, mapped to the ISO 639-1 codes the index stores."""

WILDCARDS = re.compile(r"[*?]+")  # the wildcard characters of a word (runs of them)
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class QueryItem:
    """One positive or excluded piece of text.

    ``kind`` is ``term`` (a plain word), ``phrase`` (``slop`` > 0: its words may be that many positions
    apart), ``prefix`` (``text`` is the prefix without ``*``), ``wildcard`` (``text`` is the pattern with
    ``*``/``?``) or ``fuzzy`` (``fuzziness`` is ``AUTO``, ``1`` or ``2``).
    """

    text: str
    kind: str = "term"
    slop: int = 0
    fuzziness: str | None = None

    @property
    def phrase(self) -> bool:
        return self.kind == "phrase"

    @property
    def label(self) -> str:
        """The item as the user would type it (``"dana desa"~3``, ``pemilu*``, ``korupsi~``): for display."""
        if self.kind == "phrase":
            return f'"{self.text}"' + (f"~{self.slop}" if self.slop else "")
        if self.kind == "prefix":
            return f"{self.text}*"
        if self.kind == "fuzzy":
            return f"{self.text}~" + ("" if self.fuzziness in (None, "AUTO") else str(self.fuzziness))
        return self.text

    @property
    def plain_text(self) -> str:
        """The words without wildcard characters (what the embedding model and highlighting lists see)."""
        return " ".join(WILDCARDS.sub(" ", self.text).split()) if self.kind == "wildcard" else self.text


Unit = QueryItem | list[QueryItem]
"""One required unit of a query: an item, or an OR group of which at least one must match."""


def unit_label(unit: Unit) -> str:
    """``banjir``, ``"dana desa"~3``, ``banjir OR longsor``: a required unit as the user typed it."""
    if isinstance(unit, QueryItem):
        return unit.label
    return " OR ".join(item.label for item in unit)


@dataclass
class QueryFilters:
    """Metadata filters: AND across fields, OR within a field's list; dates are inclusive ISO days."""

    sources: list[str] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    exclude_sources: list[str] = field(default_factory=list)
    exclude_collections: list[str] = field(default_factory=list)
    exclude_languages: list[str] = field(default_factory=list)
    dup_groups: list[str] = field(default_factory=list)  # the versions of these near-duplicate groups
    titles: list[str] = field(default_factory=list)  # ``title:x``: each must be in the document title
    exclude_titles: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # ``author:x``: any of them in the author field
    exclude_authors: list[str] = field(default_factory=list)
    # documents naming these people / organisations / places (normalised names, indexer.entities)
    persons: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    exclude_persons: list[str] = field(default_factory=list)
    exclude_orgs: list[str] = field(default_factory=list)
    exclude_places: list[str] = field(default_factory=list)
    include_undated: bool = False  # with a date range: documents without a date match it too

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered, so the builder can skip the filter clause entirely."""
        return not (
            self.sources
            or self.collections
            or self.languages
            or self.date_from
            or self.date_to
            or self.exclude_sources
            or self.exclude_collections
            or self.exclude_languages
            or self.dup_groups
            or self.titles
            or self.exclude_titles
            or self.authors
            or self.exclude_authors
            or self.persons
            or self.orgs
            or self.places
            or self.exclude_persons
            or self.exclude_orgs
            or self.exclude_places
        )

    def merge(self, other: QueryFilters) -> QueryFilters:
        """Combine URL-parameter filters with in-query filters (a new object; neither input changes).

        Lists are unioned (OR within a field: ``source=tempo`` plus ``source:detik`` means either);
        date ranges are intersected (both must hold), so the later start and the earlier end win.
        """
        return QueryFilters(
            sources=_merged(self.sources, other.sources),
            collections=_merged(self.collections, other.collections),
            languages=_merged(self.languages, other.languages),
            date_from=later_date(self.date_from, other.date_from),
            date_to=earlier_date(self.date_to, other.date_to),
            exclude_sources=_merged(self.exclude_sources, other.exclude_sources),
            exclude_collections=_merged(self.exclude_collections, other.exclude_collections),
            exclude_languages=_merged(self.exclude_languages, other.exclude_languages),
            dup_groups=_merged(self.dup_groups, other.dup_groups),
            titles=_merged(self.titles, other.titles),
            exclude_titles=_merged(self.exclude_titles, other.exclude_titles),
            authors=_merged(self.authors, other.authors),
            exclude_authors=_merged(self.exclude_authors, other.exclude_authors),
            persons=_merged(self.persons, other.persons),
            orgs=_merged(self.orgs, other.orgs),
            places=_merged(self.places, other.places),
            exclude_persons=_merged(self.exclude_persons, other.exclude_persons),
            exclude_orgs=_merged(self.exclude_orgs, other.exclude_orgs),
            exclude_places=_merged(self.exclude_places, other.exclude_places),
            include_undated=self.include_undated or other.include_undated,
        )


@dataclass
class ParsedQuery:
    """A parsed query: an AND of ``groups``, each an OR of its items (one item: a plain requirement)."""

    raw: str = ""
    groups: list[list[QueryItem]] = field(default_factory=list)
    excluded: list[QueryItem] = field(default_factory=list)
    filters: QueryFilters = field(default_factory=QueryFilters)
    warnings: list[QueryWarning] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """Required plain terms (outside OR groups): the words the service also stems."""
        return [g[0].text for g in self.groups if len(g) == 1 and g[0].kind == "term"]

    @property
    def phrases(self) -> list[str]:
        """Required phrases (outside OR groups), with or without proximity."""
        return [g[0].text for g in self.groups if len(g) == 1 and g[0].kind == "phrase"]

    @property
    def or_groups(self) -> list[list[QueryItem]]:
        """Groups of two or more alternatives, at least one of which must match."""
        return [g for g in self.groups if len(g) > 1]

    @property
    def required_units(self) -> list[Unit]:
        """Every unit a keyword match must satisfy, in typed order: an item, or an OR group (a list).

        This is the list of "query words" a semantic or hybrid result may lack; turn one unit into an
        Elasticsearch clause with ``query_builder.build_unit_query`` and label it with ``unit_label``.
        """
        return [g[0] if len(g) == 1 else list(g) for g in self.groups]

    @property
    def excluded_terms(self) -> list[str]:
        return [item.text for item in self.excluded if item.kind == "term"]

    @property
    def excluded_phrases(self) -> list[str]:
        return [item.text for item in self.excluded if item.kind == "phrase"]

    @property
    def semantic_text(self) -> str:
        """The positive text in typed order, without operators, quotes, exclusions or filters.

        This is what the embedding model sees: ``"tanah longsor" OR banjir -hoaks source:tempo`` becomes
        ``tanah longsor banjir``. Empty for filter-only queries (then no kNN search makes sense).
        """
        return " ".join(item.plain_text for group in self.groups for item in group if item.plain_text)

    @property
    def highlight_terms(self) -> list[str]:
        """Terms and phrases worth highlighting (positive ones, de-duplicated case-insensitively)."""
        seen: set[str] = set()
        out: list[str] = []
        for group in self.groups:
            for item in group:
                key = item.text.casefold()
                if key not in seen:
                    seen.add(key)
                    out.append(item.text)
        return out

    @property
    def is_empty(self) -> bool:
        """No positive text. Filters/exclusions may still be present (match_all + filter is valid)."""
        return not self.groups


def parse_partial_date(value: str) -> tuple[str, str] | None:
    """``2020`` / ``2020-12`` / ``2020-12-09`` → inclusive (first day, last day) ISO strings, else None."""
    m = _PARTIAL_DATE.match(value)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
        if day is None:
            last = calendar.monthrange(year, int(month))[1] if 1 <= int(month) <= 12 else 0
            return date(year, int(month), 1).isoformat(), date(year, int(month), last).isoformat()
        single = date(year, int(month), int(day)).isoformat()
        return single, single
    except ValueError:  # year 0, month 13, 30 February, ...
        return None


def normalize_language(value: str) -> str:
    """Language filter values are ISO codes: lower-case them and map spelled-out names (``indonesia``)."""
    v = value.strip().lower()
    return LANGUAGE_ALIASES.get(v, v)


def _merged(a: list[str], b: list[str]) -> list[str]:
    """``a``, then the values of ``b`` not already in it (a list, in order, no repeats added)."""
    return a + [v for v in b if v not in a]


def later_date(a: str | None, b: str | None) -> str | None:
    return max(a, b) if a and b else (a or b)  # ISO dates compare correctly as strings


def earlier_date(a: str | None, b: str | None) -> str | None:
    return min(a, b) if a and b else (a or b)
