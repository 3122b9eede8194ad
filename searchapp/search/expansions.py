"""Which other forms of each query word a stemmed search matched, as found in the results shown.

Unquoted words also match other forms of their root (``kejadian`` finds ``terjadi``, ``kejadiannya``),
which can make a count several times the exact word's (issue 21: 209 documents against 25 quoted). The
envelope's ``expansions`` names, per word, its root and the other forms the shown passages hold, so a
reader sees why a result matched; ``exact=true`` (or quotes) searches the typed forms only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from searchapp.query_model import ParsedQuery

MAX_FORMS = 12
"""Other forms named per word, the most frequent in the shown results first."""
_WORD = re.compile(r"[^\W_]+")


def expansions(parsed: ParsedQuery, texts: Iterable[str], stem: Callable[[str], str] | None) -> list[dict]:
    """Per unquoted query word whose root is not itself: ``{"word", "root", "forms"}`` (``forms``: the
    other words of ``texts`` with that root); empty without stemming."""
    if stem is None:
        return []
    words = list(
        dict.fromkeys(item.text.lower() for group in parsed.groups for item in group if item.kind == "term")
    )
    roots = {word: stem(word) for word in words if _WORD.fullmatch(word)}
    if not roots:
        return []
    seen = Counter(token for text in texts for token in _WORD.findall((text or "").lower()))
    found: dict[str, Counter] = {word: Counter() for word in roots}
    wanted = set(roots.values())
    # An affixed form holds its root, but for the first letter a nasal prefix may replace (tulis →
    # menulis, pukul → memukul): only tokens holding that much of a root can share it, and only they
    # are stemmed (stemming every word of a page took ~37 ms a search on the news corpus)
    cores = {root[1:] if len(root) > 1 else root for root in wanted}
    for token, count in seen.items():
        if token not in roots and not any(core in token for core in cores):
            continue
        root = stem(token) if token not in roots else roots[token]
        if root not in wanted:
            continue
        for word, word_root in roots.items():
            if root == word_root and token != word:
                found[word][token] += count
    return [
        {"word": word, "root": roots[word], "forms": [form for form, _ in found[word].most_common(MAX_FORMS)]}
        for word in roots
    ]
