"""The researchers' query syntax, parsed into a structure the query builder can turn into Elasticsearch DSL.

Supported syntax (a Google-like subset, forgiving by design; full reference in docs/query_syntax.md)::

    banjir jakarta                  every word must match (AND is the default; ``AND`` is accepted)
    "tanah longsor"                 a phrase;  "dana desa"~3  its words at most 3 positions apart
    pemilu*   kor?psi               wildcards: prefix, and ``?``/``*`` inside a word (3 letters first)
    korupsi~  korupsi~1             fuzzy: up to 2 typing differences (``~`` alone: by word length)
    -hoaks   -"berita palsu"        exclusions (of any form above: ``-korup*``)
    banjir OR longsor jakarta       (banjir OR longsor) AND jakarta; OR binds two neighbouring items
    source:tempo  collection:humas  lang:id  language:id     keyword filters (``source:"detik news"``)
    -source:tempo                   excludes a source (also collection / lang)
    date:2020  date:2020-12  date:2020-12-09  from:2020-01-01  to:2020-12-31

Why it never raises: the query box is typed by people, so malformed input degrades instead of failing,
and every part that is dropped or read differently than typed is reported as a ``QueryWarning`` (a
stable code, the text as typed, a message in English and Indonesian) so the user never believes a
filter or an operator is applied when it is not. Control characters are removed and input over
``MAX_QUERY_CHARS`` (the search request's own limit, so only callers that skip the request reach it) is
cut. The builder only uses ``match``-family and term-level queries whose values are plain strings, so
whatever ends up in an item can never be a syntax error on the server. What the parser produces (items,
filters, ``ParsedQuery``) is defined in ``query_model``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from arsip.entities.names import normalise_name
from searchapp.query_model import (
    WILDCARDS,
    ParsedQuery,
    QueryFilters,
    QueryItem,
    earlier_date,
    later_date,
    normalize_language,
    parse_partial_date,
)
from searchapp.query_warnings import QueryWarning, make_warning
from searchapp.search_params import MAX_QUERY_CHARS

MAX_ITEMS = 64
"""At most this many items (positive and excluded) are kept; the rest are dropped (with a warning)."""

MIN_WILDCARD_PREFIX = 3
"""Letters a wildcard needs before its first ``*``/``?``: a shorter lead scans most of the term index."""

MAX_WILDCARD_CHARS = 255
"""Longest wildcard word: the mapping's analyzer emits no longer token (``max_token_length``), and
Elasticsearch refuses a prefix or pattern over ``index.max_regex_length`` (1,000)."""

MAX_FUZZINESS = 2
"""Elasticsearch's limit for edit distance (and more would match almost anything)."""

MAX_PROXIMITY = 10
"""Largest phrase slop accepted: beyond it the words are hardly "near" and phrase matching gets slow."""

FILTER_KEYS = {
    "source": "source",
    "collection": "collection",
    "lang": "language",
    "language": "language",
    "date": "date",
    "from": "from",
    "to": "to",
    "person": "person",
    "org": "org",
    "place": "place",
}

_OPERATOR_CHARS = set("+&|!(){}[]^\\")  # Lucene syntax we do not support: dropped with a warning
_EDGE_CHARS = '+-&|!(){}[]^"~*?:\\/,;'  # stripped from the ends of a plain term
_LEAD_CHARS = '+-&|!(){}[]^"~:\\/,;'  # stripped from the start (``*``/``?`` there: a leading wildcard)
_TRAIL_PUNCT = '?!,;:/"'  # sentence punctuation after a word: dropped silently
_HAS_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit: the standard analyzer would emit a token
_WORD_ONLY = re.compile(r"^[^\W_]+$")
_FIELD_WORD = re.compile(r"^([A-Za-z]+):(.*)$", re.DOTALL)
_FUZZY_SUFFIX = re.compile(r"~([0-9.]*)$")
_BOOST_SUFFIX = re.compile(r"\^[0-9.]*$")
_INNER_QUESTION = re.compile(r"\?[^\W_]")
_SENTENCE_PUNCT = set("?!.,;:")
_INNER_OPERATOR = re.compile(r"[(){}\[\]\\]|&&|\|\|")  # inside a word; a lone "&" (AT&T) is text
_LUCENE_ONLY = re.compile(r"^(?:&&|\|\||[+!(){}\[\]^\\*?~])+$")  # a word of Lucene operators only
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\uff02": '"'})
_CUT_SHOWN = 40  # characters of the cut-off rest quoted in the ``query_truncated`` warning
_DROPPED_SHOWN = 200  # characters of the dropped items quoted in the ``too_many_terms`` warning


def parse_query(q: str) -> ParsedQuery:
    """Parse the researcher's query; never raises: malformed syntax degrades and is reported (module doc)."""
    if not isinstance(q, str):
        q = "" if q is None else str(q)
    warnings: list[QueryWarning] = []
    text = _sanitize(q[: MAX_QUERY_CHARS * 4])  # bound the work before looking at every character
    if len(text) > MAX_QUERY_CHARS or len(q) > MAX_QUERY_CHARS * 4:
        rest = " ".join(text[MAX_QUERY_CHARS:].split())[:_CUT_SHOWN] or " ".join(
            q[MAX_QUERY_CHARS * 4 :].split()
        )
        text = text[:MAX_QUERY_CHARS]
        warnings.append(make_warning("query_truncated", rest[:_CUT_SHOWN].strip(), limit=MAX_QUERY_CHARS))
    filters = QueryFilters()
    tokens = _tokens(text, warnings)
    entries = _entries(tokens, filters, warnings)
    groups, excluded, raws = _group(entries, warnings)
    kept = 0
    limited_groups: list[list[QueryItem]] = []
    for group in groups:
        if kept + len(group) > MAX_ITEMS:
            break
        limited_groups.append(group)
        kept += len(group)
    limited_excluded = excluded[: max(0, MAX_ITEMS - kept)]
    dropped = [i for g in groups[len(limited_groups) :] for i in g] + excluded[len(limited_excluded) :]
    if dropped:
        shown = " ".join(raws.get(item, item.label) for item in dropped)[:_DROPPED_SHOWN]
        warnings.append(make_warning("too_many_terms", shown, limit=MAX_ITEMS))
    _check_date_range(tokens, filters, warnings)
    return ParsedQuery(
        raw=q, groups=limited_groups, excluded=limited_excluded, filters=filters, warnings=_unique(warnings)
    )


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
    raw: str  # as typed, with its "-", quotes and suffix: what warnings quote
    negated: bool = False
    key: str = ""
    slop: str | None = None  # phrase: what followed "~" after the closing quote (None: no "~")


def _tokens(s: str, warnings: list[QueryWarning]) -> list[_Token]:
    """Split into words, quoted phrases and ``key:value`` filters; never fails on any input."""
    tokens: list[_Token] = []
    i, n = 0, len(s)
    negated, start = False, 0
    while i < n:
        c = s[i]
        if c == " ":
            i += 1
            negated = False
            continue
        if c == "-" and not negated:
            if i + 1 < n and s[i + 1] != " ":
                negated, start = True, i
            else:
                warnings.append(make_warning("dangling_minus", "-"))
            i += 1
            continue
        if not negated:
            start = i
        if c == '"':
            close = s.find('"', i + 1)
            if close == -1:  # unpaired: ignore the quote, the words after it are plain terms
                warnings.append(make_warning("unbalanced_quote", s[i:].strip()))
                i += 1
                continue
            j, slop = close + 1, None
            if j < n and s[j] == "~":
                k = j + 1
                while k < n and s[k] not in ' "':
                    k += 1
                slop, j = s[j + 1 : k], k
            tokens.append(_Token("phrase", s[i + 1 : close], s[start:j], negated, slop=slop))
            i, negated = j, False
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
            tokens.append(_Token("field", value, s[start:j], negated, key=key))
        else:
            tokens.append(_Token("word", word, s[start:j], negated))
        i, negated = j, False
    return tokens


Entry = tuple[str, object, str]
"""(kind, value, raw): ("item"|"neg", QueryItem, raw), ("op", "OR"|"AND", raw) or ("sep", None, raw)."""


def _entries(tokens: list[_Token], filters: QueryFilters, warnings: list[QueryWarning]) -> list[Entry]:
    """Record filters; turn the rest into items and operators, warning about what is dropped."""
    entries: list[Entry] = []
    for tok in tokens:
        kind = "neg" if tok.negated else "item"
        if tok.kind == "field":
            _apply_filter(tok, filters, warnings)
            entries.append(("sep", None, tok.raw))  # a filter between two terms breaks an OR
        elif tok.kind == "phrase":
            item = _phrase_item(tok, warnings)
            if item is not None:
                entries.append((kind, item, tok.raw))
        elif tok.text in ("OR", "AND") and not tok.negated:
            entries.append(("op", tok.text, tok.raw))
        else:
            entries.extend((kind, item, tok.raw) for item in _word_items(tok, warnings))
    return entries


def _phrase_item(tok: _Token, warnings: list[QueryWarning]) -> QueryItem | None:
    text = " ".join(tok.text.split())
    if not _HAS_WORD_CHAR.search(text):
        warnings.append(make_warning("no_searchable_text", tok.raw))
        return None
    if re.search(r"[^\W_][*?]|[*?][^\W_]", text):
        warnings.append(make_warning("wildcard_in_phrase", tok.raw))
    slop = 0
    if tok.slop is not None:
        if tok.slop.isascii() and tok.slop.isdigit():
            slop = int(tok.slop)
            if slop > MAX_PROXIMITY:
                slop = MAX_PROXIMITY
                warnings.append(make_warning("proximity_capped", tok.raw, limit=MAX_PROXIMITY))
        else:
            warnings.append(make_warning("invalid_proximity", tok.raw))
    return QueryItem(text, "phrase", slop=slop)


def _word_items(tok: _Token, warnings: list[QueryWarning]) -> list[QueryItem]:
    """One typed word → its items (usually one): a term, a prefix, a wildcard or a fuzzy term.

    An unknown ``key:value`` that looks like a filter attempt (letters, a colon, a letter or digit) is
    searched as its two words; anything else with a colon (``http://x``, ``10:30``) is a plain term.
    """
    m = _FIELD_WORD.match(tok.text)
    if m and m.group(2)[:1] and _HAS_WORD_CHAR.match(m.group(2)[:1]):
        parts = [w for w in (_clean_plain(m.group(1)), _clean_plain(m.group(2))) if w]
        words = " ".join(parts)
        warnings.append(make_warning("unknown_field", tok.raw, key=m.group(1), words=words))
        if tok.negated:  # excluded where the two words stand together, as the typed text would
            return [QueryItem(words, "phrase")] if len(parts) > 1 else [QueryItem(p) for p in parts]
        return [QueryItem(p) for p in parts]
    return _word_forms(tok.text, tok.raw, warnings)


def _word_forms(word: str, raw: str, warnings: list[QueryWarning]) -> list[QueryItem]:
    """Read one word's suffix syntax (``*``, inner ``?``, ``~N``, ``^N``) and punctuation, warning as it goes.

    Sentence punctuation at the end of a word is dropped silently; a plain word keeps exactly the text
    the parser kept before these forms existed, so natural-language questions search the same words.
    """
    core = word.lstrip(_LEAD_CHARS)
    operators = any(c in _OPERATOR_CHARS for c in word[: len(word) - len(core)])
    leading_wildcard = core[:1] in ("*", "?")
    core = core.lstrip("*?" + _LEAD_CHARS)
    if not _HAS_WORD_CHAR.search(core):
        if all(c in _SENTENCE_PUNCT for c in word):
            return []  # "banjir ?" or "… , …": punctuation nobody means as a search term
        if _LUCENE_ONLY.match(word.strip("-")):
            warnings.append(make_warning("operator_ignored", raw))
        else:
            warnings.append(make_warning("no_searchable_text", raw))
        return []
    # trailing sentence punctuation and closing brackets; "?" only here, never inside a word
    while core and (core[-1] in _TRAIL_PUNCT or core[-1] in ")]}"):
        operators = operators or core[-1] in ")]}"
        core = core[:-1]
    if _BOOST_SUFFIX.search(core):
        core, operators = _BOOST_SUFFIX.sub("", core), True
    fuzziness = None
    fuzzy = _FUZZY_SUFFIX.search(core)
    if fuzzy:
        core, fuzziness = core[: fuzzy.start()], _fuzziness(fuzzy.group(1), raw, warnings)
    core = core.rstrip(_EDGE_CHARS.replace("*", "").replace("?", ""))
    operators = operators or bool(_INNER_OPERATOR.search(core))
    if operators:
        warnings.append(make_warning("operator_ignored", raw))
    if leading_wildcard:
        words = _plain_words(core)
        warnings.append(
            make_warning("wildcard_too_short", raw, limit=MIN_WILDCARD_PREFIX, words=" ".join(words))
        )
        return [QueryItem(w) for w in words]
    if fuzziness is not None:
        if "*" in core or "?" in core:
            warnings.append(make_warning("operator_ignored", raw))
        term = _clean_plain(WILDCARDS.sub("", core))
        if not term:
            return []
        return [QueryItem(term, "fuzzy", fuzziness=fuzziness) if fuzziness != "0" else QueryItem(term)]
    core = re.sub(r"\*+", "*", core).rstrip("?").lstrip("*?")
    if "*" not in core and not _INNER_QUESTION.search(core):  # "2010?." is a question, not a pattern
        term = _clean_plain(core)
        return [QueryItem(term)] if term else []
    lead = WILDCARDS.split(core, maxsplit=1)[0]
    pattern_ok = all(_WORD_ONLY.match(part) for part in WILDCARDS.split(core) if part)
    if not pattern_ok or len(lead) < MIN_WILDCARD_PREFIX or len(core.rstrip("*")) > MAX_WILDCARD_CHARS:
        words = _plain_words(core)
        code = "wildcard_unsupported" if not pattern_ok else "wildcard_too_short"
        limit = MIN_WILDCARD_PREFIX
        if pattern_ok and len(lead) >= MIN_WILDCARD_PREFIX:
            code, limit = "wildcard_too_long", MAX_WILDCARD_CHARS
        warnings.append(make_warning(code, raw, limit=limit, words=" ".join(words)))
        return [QueryItem(w) for w in words]
    if core.endswith("*") and "?" not in core and core.count("*") == 1:
        return [QueryItem(core[:-1], "prefix")]
    return [QueryItem(core, "wildcard")]


def _fuzziness(value: str, raw: str, warnings: list[QueryWarning]) -> str:
    """``~`` → AUTO (by word length: 0 edits up to 2 letters, 1 up to 5, else 2), ``~1``/``~2`` as typed."""
    if value == "":
        return "AUTO"
    if value.isascii() and value.isdigit():
        if int(value) > MAX_FUZZINESS:
            warnings.append(make_warning("fuzziness_capped", raw, limit=MAX_FUZZINESS))
            return str(MAX_FUZZINESS)
        return str(int(value))
    warnings.append(make_warning("invalid_fuzziness", raw))
    return "AUTO"


def _clean_plain(word: str) -> str | None:
    """Strip operator and punctuation characters from a term's edges; None when nothing searchable is left."""
    w = word.strip(_EDGE_CHARS)
    return w if _HAS_WORD_CHAR.search(w) else None


def _plain_words(core: str) -> list[str]:
    """A wildcard pattern that cannot be used, as the plain words around its ``*``/``?``."""
    return [w for w in (_clean_plain(part) for part in WILDCARDS.split(core)) if w]


def _apply_filter(tok: _Token, filters: QueryFilters, warnings: list[QueryWarning]) -> None:
    """Record a ``key:value`` filter, or warn why it is not applied."""
    key = FILTER_KEYS[tok.key]
    values = [v.strip() for v in tok.text.split(",") if v.strip()]
    if not values:
        example = {
            "source": "source:tempo",
            "collection": "collection:humas",
            "language": f"{tok.key}:id",
            "person": 'person:"Muhammad Hudori"',
            "org": "org:Bawaslu",
            "place": "place:Bandung",
        }
        warnings.append(make_warning("empty_filter", tok.raw, example=example.get(key, f"{tok.key}:2020-12")))
        return
    if key in ("source", "collection", "language", "person", "org", "place"):
        if key == "language":
            values = [normalize_language(v) for v in values]
        if key in ("person", "org", "place"):  # spelled as the index stores names (arsip.entities.names)
            values = [name for name in map(normalise_name, values) if name]
        target = {
            ("source", False): filters.sources,
            ("collection", False): filters.collections,
            ("language", False): filters.languages,
            ("person", False): filters.persons,
            ("org", False): filters.orgs,
            ("place", False): filters.places,
            ("source", True): filters.exclude_sources,
            ("collection", True): filters.exclude_collections,
            ("language", True): filters.exclude_languages,
            ("person", True): filters.exclude_persons,
            ("org", True): filters.exclude_orgs,
            ("place", True): filters.exclude_places,
        }[(key, tok.negated)]
        target.extend(v for v in values if v not in target)
        return
    if tok.negated:
        warnings.append(make_warning("date_not_excludable", tok.raw))
        return
    bounds = parse_partial_date(values[0]) if len(values) == 1 else None
    if bounds is None:
        warnings.append(make_warning("invalid_date", tok.raw))
        return
    start, end = bounds
    if key in ("date", "from"):
        filters.date_from = later_date(filters.date_from, start)
    if key in ("date", "to"):
        filters.date_to = earlier_date(filters.date_to, end)


def _check_date_range(tokens: list[_Token], filters: QueryFilters, warnings: list[QueryWarning]) -> None:
    """The date filters typed leave an empty range (``from:2021 to:2019``): say so, matching nothing."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        typed = [t.raw for t in tokens if t.kind == "field" and FILTER_KEYS[t.key] in ("date", "from", "to")]
        warnings.append(
            make_warning("date_range_reversed", " ".join(t for t in typed if not t.startswith("-")))
        )


def _group(
    entries: list[Entry], warnings: list[QueryWarning]
) -> tuple[list[list[QueryItem]], list[QueryItem], dict[QueryItem, str]]:
    """Resolve OR/AND: an operator counts only between two positive items, otherwise it is dropped."""
    # collapse runs of operators ("a OR OR b", "a AND OR b") into one; OR wins
    collapsed: list[Entry] = []
    for entry in entries:
        if entry[0] == "op" and collapsed and collapsed[-1][0] == "op":
            dropped = collapsed[-1] if entry[1] == "OR" else entry
            if entry[1] == "OR":
                collapsed[-1] = entry
            warnings.append(make_warning("dangling_operator", dropped[2]))
            continue
        collapsed.append(entry)
    groups: list[list[QueryItem]] = []
    excluded: list[QueryItem] = []
    raws: dict[QueryItem, str] = {}
    join_next = False
    for idx, (kind, value, raw) in enumerate(collapsed):
        if kind == "op":
            prev_ok = idx > 0 and collapsed[idx - 1][0] == "item"
            next_ok = idx + 1 < len(collapsed) and collapsed[idx + 1][0] == "item"
            if prev_ok and next_ok:
                join_next = value == "OR"
            else:
                warnings.append(make_warning("dangling_operator", raw))
            continue
        if kind == "sep":
            join_next = False
            continue
        assert isinstance(value, QueryItem)
        raws.setdefault(value, raw)
        if kind == "neg":
            excluded.append(value)
        elif join_next and groups:
            groups[-1].append(value)
        else:
            groups.append([value])
        join_next = False
    return _dedupe_groups(groups), _dedupe_items(excluded), raws


def _item_key(item: QueryItem) -> tuple[str, str, int, str | None]:
    return item.text.casefold(), item.kind, item.slop, item.fuzziness  # the analyzer lower-cases


def _dedupe_items(items: list[QueryItem]) -> list[QueryItem]:
    seen: set[tuple] = set()
    out: list[QueryItem] = []
    for item in items:
        if _item_key(item) not in seen:
            seen.add(_item_key(item))
            out.append(item)
    return out


def _dedupe_groups(groups: list[list[QueryItem]]) -> list[list[QueryItem]]:
    """Drop repeated items within a group and repeated groups (first spelling wins)."""
    seen: set[frozenset[tuple]] = set()
    out: list[list[QueryItem]] = []
    for group in groups:
        items = _dedupe_items(group)
        key = frozenset(_item_key(item) for item in items)
        if key not in seen:
            seen.add(key)
            out.append(items)
    return out


def _unique(warnings: list[QueryWarning]) -> list[QueryWarning]:
    """One warning per (code, text): "(a) (a)" is said once."""
    seen: set[tuple[str, str]] = set()
    out: list[QueryWarning] = []
    for w in warnings:
        if (w.code, w.text) not in seen:
            seen.add((w.code, w.text))
            out.append(w)
    return out
