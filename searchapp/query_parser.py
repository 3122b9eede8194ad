"""The researchers' query syntax, parsed into a structure the query builder can turn into Elasticsearch DSL.

Supported syntax (a Google-like subset, forgiving by design)::

    banjir jakarta                  every term must match (AND is the default; ``AND`` is accepted)
    "tanah longsor"                 a phrase
    -hoaks   -"berita palsu"        exclusions
    banjir OR longsor jakarta       (banjir OR longsor) AND jakarta; OR binds two neighbouring terms/phrases
    source:tempo  collection:humas  lang:id  language:id     keyword filters (``source:"detik news"``)
    -source:tempo                   excludes a source (also collection / lang)
    date:2020  date:2020-12  date:2020-12-09  from:2020-01-01  to:2020-12-31

Why it never raises: the query box is typed by people, so malformed input degrades instead of failing:
a ``"`` without a partner is ignored (its words become plain terms), a dangling ``-`` is dropped,
``OR``/``AND`` that do not stand between two positive terms/phrases are ordinary words, Lucene operators
(``+ && || ! ( ) { } [ ] ^ ~ * ? \\ /``) are never interpreted, control characters are removed and very
long input is cut. The builder only uses ``match``-family queries, so whatever ends up in a term is
analysed as text, never parsed as Lucene syntax. Unknown ``field:value`` (``http://x``, ``10:30``) is
plain text; a known filter with an invalid value (``date:2020-13``) is dropped and reported in ``notes``.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

MAX_QUERY_CHARS = 2000
"""Longer input is cut: nobody types more, and it bounds the work done per request."""

MAX_ITEMS = 64
"""At most this many terms/phrases (positive and excluded) are kept; the rest are dropped (with a note)."""

FILTER_KEYS = {
    "source": "source",
    "collection": "collection",
    "lang": "language",
    "language": "language",
    "date": "date",
    "from": "from",
    "to": "to",
}

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

# Characters stripped from both ends of a plain term: Lucene operators and trailing punctuation.
_EDGE_CHARS = '+-&|!(){}[]^"~*?:\\/,;'
_LUCENE_SUFFIX = re.compile(r"[~^][0-9.]*$")  # fuzzy (banjir~2) and boost (banjir^3) suffixes
_HAS_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit: the standard analyzer would emit a token
_FIELD_WORD = re.compile(r"^([A-Za-z]+):(.*)$", re.DOTALL)
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\uff02": '"'})


@dataclass(frozen=True)
class QueryItem:
    """One positive or excluded piece of text: a plain term or a phrase."""

    text: str
    phrase: bool = False


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
        )

    def merge(self, other: QueryFilters) -> QueryFilters:
        """Combine URL-parameter filters with in-query filters (a new object; neither input changes).

        Lists are unioned (OR within a field: ``source=tempo`` plus ``source:detik`` means either);
        date ranges are intersected (both must hold), so the later start and the earlier end win.
        """
        return QueryFilters(
            sources=_union(self.sources, other.sources),
            collections=_union(self.collections, other.collections),
            languages=_union(self.languages, other.languages),
            date_from=_max_date(self.date_from, other.date_from),
            date_to=_min_date(self.date_to, other.date_to),
            exclude_sources=_union(self.exclude_sources, other.exclude_sources),
            exclude_collections=_union(self.exclude_collections, other.exclude_collections),
            exclude_languages=_union(self.exclude_languages, other.exclude_languages),
        )

    @classmethod
    def from_params(
        cls,
        sources: Iterable[str] | str | None = (),
        collections: Iterable[str] | str | None = (),
        languages: Iterable[str] | str | None = (),
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> QueryFilters:
        """Build filters from the API's (possibly repeated, possibly comma-separated) URL parameters.

        Dates may be partial (``2020`` or ``2020-12``): ``date_from`` takes the first day, ``date_to`` the
        last. Raises ``ValueError`` on an invalid date so the API can answer 400 instead of guessing.
        """
        start = end = None
        if date_from and date_from.strip():
            bounds = parse_partial_date(date_from.strip())
            if bounds is None:
                raise ValueError(f"date_from must be YYYY, YYYY-MM or YYYY-MM-DD, got {date_from!r}")
            start = bounds[0]
        if date_to and date_to.strip():
            bounds = parse_partial_date(date_to.strip())
            if bounds is None:
                raise ValueError(f"date_to must be YYYY, YYYY-MM or YYYY-MM-DD, got {date_to!r}")
            end = bounds[1]
        return cls(
            sources=_split_values(sources),
            collections=_split_values(collections),
            languages=[normalize_language(v) for v in _split_values(languages)],
            date_from=start,
            date_to=end,
        )


@dataclass
class ParsedQuery:
    """A parsed query: an AND of ``groups``, each an OR of its items (one item: a plain requirement)."""

    raw: str = ""
    groups: list[list[QueryItem]] = field(default_factory=list)
    excluded: list[QueryItem] = field(default_factory=list)
    filters: QueryFilters = field(default_factory=QueryFilters)
    notes: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """Required plain terms (outside OR groups)."""
        return [g[0].text for g in self.groups if len(g) == 1 and not g[0].phrase]

    @property
    def phrases(self) -> list[str]:
        """Required phrases (outside OR groups)."""
        return [g[0].text for g in self.groups if len(g) == 1 and g[0].phrase]

    @property
    def or_groups(self) -> list[list[QueryItem]]:
        """Groups of two or more alternatives, at least one of which must match."""
        return [g for g in self.groups if len(g) > 1]

    @property
    def excluded_terms(self) -> list[str]:
        return [item.text for item in self.excluded if not item.phrase]

    @property
    def excluded_phrases(self) -> list[str]:
        return [item.text for item in self.excluded if item.phrase]

    @property
    def semantic_text(self) -> str:
        """The positive text in typed order, without operators, quotes, exclusions or filters.

        This is what the embedding model sees: ``"tanah longsor" OR banjir -hoaks source:tempo`` becomes
        ``tanah longsor banjir``. Empty for filter-only queries (then no kNN search makes sense).
        """
        return " ".join(item.text for group in self.groups for item in group)

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


def parse_query(q: str) -> ParsedQuery:
    """Parse the researcher's query; never raises: malformed syntax degrades to plain text (module doc)."""
    if not isinstance(q, str):
        q = "" if q is None else str(q)
    notes: list[str] = []
    text = _sanitize(q[: MAX_QUERY_CHARS * 4])  # bound the work before looking at every character
    if len(text) > MAX_QUERY_CHARS or len(q) > MAX_QUERY_CHARS * 4:
        text = text[:MAX_QUERY_CHARS]
        notes.append(f"query cut to {MAX_QUERY_CHARS} characters")
    filters = QueryFilters()
    entries = _entries(_tokens(text), filters, notes)
    groups, excluded = _group(entries)
    kept = 0
    limited_groups: list[list[QueryItem]] = []
    for group in groups:
        if kept + len(group) > MAX_ITEMS:
            break
        limited_groups.append(group)
        kept += len(group)
    limited_excluded = excluded[: max(0, MAX_ITEMS - kept)]
    if len(limited_groups) < len(groups) or len(limited_excluded) < len(excluded):
        notes.append(f"only the first {MAX_ITEMS} terms and phrases were used")
    return ParsedQuery(raw=q, groups=limited_groups, excluded=limited_excluded, filters=filters, notes=notes)


# --- internals ---------------------------------------------------------------------------------------


def _sanitize(q: str) -> str:
    """Drop control/format characters and lone surrogates (they break JSON/UTF-8); unify curly quotes."""
    out = []
    for ch in unicodedata.normalize("NFC", q.translate(_QUOTES)):
        cat = unicodedata.category(ch)
        if cat == "Cc" or ch.isspace():
            out.append(" ")
        elif cat in ("Cs", "Cf", "Co", "Cn"):
            out.append(" " if ch == "\u200b" else "")
        else:
            out.append(ch)
    return "".join(out)


@dataclass
class _Token:
    kind: str  # "word" | "phrase" | "field"
    text: str
    negated: bool = False
    key: str = ""


def _tokens(s: str) -> list[_Token]:
    """Split into words, quoted phrases and ``key:value`` filters; never fails on any input."""
    tokens: list[_Token] = []
    i, n = 0, len(s)
    negated = False
    while i < n:
        c = s[i]
        if c == " ":
            i += 1
            negated = False
            continue
        if c == "-" and not negated:
            if i + 1 < n and s[i + 1] != " ":
                negated = True
            i += 1  # a dangling "-" (followed by a space or the end) is simply dropped
            continue
        if c == '"':
            close = s.find('"', i + 1)
            if close == -1:
                i += 1  # unpaired quote: ignore it, the words after it are plain terms
                continue
            tokens.append(_Token("phrase", s[i + 1 : close], negated))
            i, negated = close + 1, False
            continue
        j = i
        while j < n and s[j] not in ' "':
            j += 1
        word = s[i:j]
        m = _FIELD_WORD.match(word)
        key = m.group(1).lower() if m else ""
        if m and key in FILTER_KEYS:
            value = m.group(2)
            if not value and j < n and s[j] == '"':
                close = s.find('"', j + 1)
                if close != -1:
                    value, j = s[j + 1 : close], close + 1
                else:  # source:"detik news (unclosed): the value is the next word
                    k = j + 1
                    while k < n and s[k] not in ' "':
                        k += 1
                    value, j = s[j + 1 : k], k
            tokens.append(_Token("field", value, negated, key=key))
        else:
            tokens.append(_Token("word", word, negated))
        i, negated = j, False
    return tokens


def _clean_term(word: str) -> str | None:
    """Strip Lucene operators from a term's edges; None when nothing searchable is left."""
    w = word.strip(_EDGE_CHARS)
    w = _LUCENE_SUFFIX.sub("", w).strip(_EDGE_CHARS)
    return w if _HAS_WORD_CHAR.search(w) else None


def _clean_phrase(text: str) -> str | None:
    p = " ".join(text.split())
    return p if _HAS_WORD_CHAR.search(p) else None


def _entries(tokens: list[_Token], filters: QueryFilters, notes: list[str]) -> list[tuple[str, object]]:
    """Record filters; the rest becomes ("item"|"neg", QueryItem), ("op", "OR"|"AND") or ("sep", None)."""
    entries: list[tuple[str, object]] = []
    for tok in tokens:
        if tok.kind == "field":
            if _apply_filter(tok, filters, notes):
                entries.append(("sep", None))  # a filter between two terms breaks an OR
                continue
            # a known key with an empty value: keep the key as plain text (e.g. "source:")
            tok = _Token("word", f"{tok.key}:{tok.text}", tok.negated)
        if tok.kind == "phrase":
            text = _clean_phrase(tok.text)
            if text:
                entries.append(("neg" if tok.negated else "item", QueryItem(text, phrase=True)))
            continue
        if tok.text in ("OR", "AND") and not tok.negated:
            entries.append(("op", tok.text))
            continue
        term = _clean_term(tok.text)
        if term:
            entries.append(("neg" if tok.negated else "item", QueryItem(term)))
    return entries


def _apply_filter(tok: _Token, filters: QueryFilters, notes: list[str]) -> bool:
    """Record a ``key:value`` filter; False when the value is empty (then it is plain text)."""
    key = FILTER_KEYS[tok.key]
    values = [v.strip() for v in tok.text.split(",") if v.strip()]
    if not values:
        return False
    if key in ("source", "collection", "language"):
        if key == "language":
            values = [normalize_language(v) for v in values]
        target = {
            ("source", False): filters.sources,
            ("collection", False): filters.collections,
            ("language", False): filters.languages,
            ("source", True): filters.exclude_sources,
            ("collection", True): filters.exclude_collections,
            ("language", True): filters.exclude_languages,
        }[(key, tok.negated)]
        target.extend(v for v in values if v not in target)
        return True
    if tok.negated:
        notes.append(f"ignored -{tok.key}:{tok.text} (dates cannot be excluded)")
        return True
    bounds = parse_partial_date(values[0]) if len(values) == 1 else None
    if bounds is None:
        notes.append(f"ignored {tok.key}:{tok.text} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        return True
    start, end = bounds
    if key in ("date", "from"):
        filters.date_from = _max_date(filters.date_from, start)
    if key in ("date", "to"):
        filters.date_to = _min_date(filters.date_to, end)
    return True


def _group(entries: list[tuple[str, object]]) -> tuple[list[list[QueryItem]], list[QueryItem]]:
    """Resolve OR/AND: an operator counts only between two positive items, otherwise it is a word."""
    # collapse runs of operators ("a OR OR b", "a AND OR b") into one; OR wins
    collapsed: list[tuple[str, object]] = []
    for kind, value in entries:
        if kind == "op" and collapsed and collapsed[-1][0] == "op":
            if value == "OR":
                collapsed[-1] = ("op", "OR")
            continue
        collapsed.append((kind, value))
    groups: list[list[QueryItem]] = []
    excluded: list[QueryItem] = []
    join_next = False
    for idx, (kind, value) in enumerate(collapsed):
        if kind == "op":
            prev_ok = idx > 0 and collapsed[idx - 1][0] == "item"
            next_ok = idx + 1 < len(collapsed) and collapsed[idx + 1][0] == "item"
            if prev_ok and next_ok:
                join_next = value == "OR"
                continue
            kind, value = "item", QueryItem(str(value))  # dangling operator: an ordinary word
        if kind == "sep":
            continue
        assert isinstance(value, QueryItem)
        if kind == "neg":
            excluded.append(value)
        elif join_next and groups:
            groups[-1].append(value)
        else:
            groups.append([value])
        join_next = False
    return _dedupe_groups(groups), _dedupe_items(excluded)


def _item_key(item: QueryItem) -> tuple[str, bool]:
    return item.text.casefold(), item.phrase  # the analyzer lower-cases: "Banjir" == "banjir"


def _dedupe_items(items: list[QueryItem]) -> list[QueryItem]:
    seen: set[tuple[str, bool]] = set()
    out: list[QueryItem] = []
    for item in items:
        if _item_key(item) not in seen:
            seen.add(_item_key(item))
            out.append(item)
    return out


def _dedupe_groups(groups: list[list[QueryItem]]) -> list[list[QueryItem]]:
    """Drop repeated items within a group and repeated groups (first spelling wins)."""
    seen: set[frozenset[tuple[str, bool]]] = set()
    out: list[list[QueryItem]] = []
    for group in groups:
        items = _dedupe_items(group)
        key = frozenset(_item_key(item) for item in items)
        if key not in seen:
            seen.add(key)
            out.append(items)
    return out


def _split_values(values: Iterable[str] | str | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def _union(a: list[str], b: list[str]) -> list[str]:
    return a + [v for v in b if v not in a]


def _max_date(a: str | None, b: str | None) -> str | None:
    return max(a, b) if a and b else (a or b)  # ISO dates compare correctly as strings


def _min_date(a: str | None, b: str | None) -> str | None:
    return min(a, b) if a and b else (a or b)
