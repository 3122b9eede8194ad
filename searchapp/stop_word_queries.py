"""A query of stop words only is searched as written, never as nothing.

The search analyzer drops stop words from unquoted words ("yang", "tidak", "anda"): beside other words
that is what people want, but a query made only of them (``Tidak``, ``Anda``, ``tidak bukan``) matched
nothing, silently, in keyword mode and in batch counts. Such a query's words become exact one-word
phrases (the quote analyzer keeps every word), and a ``stop_words_exact`` warning names them.
"""

from __future__ import annotations

from dataclasses import replace

from arsip.stop_words import only_stop_words
from searchapp.query_model import ParsedQuery, QueryItem
from searchapp.query_warnings import make_warning


def stop_words_searched_exactly(parsed: ParsedQuery, words: frozenset[str]) -> ParsedQuery:
    """``parsed`` with its words made exact when every positive item is a plain word of stop words only
    (anything else, such as a phrase or a real word beside them, already finds what it should)."""
    items = [item for group in parsed.groups for item in group]
    if not items or not all(item.kind == "term" and only_stop_words(item.text, words) for item in items):
        return parsed
    groups = [[QueryItem(item.text, "phrase") for item in group] for group in parsed.groups]
    typed = " ".join(item.text for item in items)
    warning = make_warning("stop_words_exact", typed)
    return replace(parsed, groups=groups, warnings=[*parsed.warnings, warning])
