"""Organisation names the CRF misses, by rule: what the news data under-labels.

NERP tags ``kementerian …`` as an organisation twice in 79 occurrences and NERGrit's organisations are its
weakest class (docs/entities.md), so the CRF rarely calls ``Kementerian Dalam Negeri`` or ``Bawaslu`` an
organisation. Two rules on top of its labels, for cased sentences:

* a word that is an institution's short name (``Bawaslu``, ``KPU``, ``Kemenpan-RB``; gazetteer
  ``ORG_NAMES``), written with a capital, is an organisation;
* a word that begins institution names (``Kementerian``, ``Badan``, ``Dinas``…; ``ORG_HEADS``) written with
  a capital, followed by capitalised words (joined by ``dan`` / ``&``), is an organisation spanning them.

Labels the rules overwrite are organisation labels or O, or another entity the new span swallows whole.
"""

from __future__ import annotations

from arsip.entities.gazetteer import ORG_HEADS, ORG_NAMES

JOINERS = frozenset({"dan", "&"})


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def org_spans(words: list[str]) -> list[tuple[int, int]]:
    """(start, end) word spans the rules call organisations."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        low = words[i].lower()
        if _capitalised(words[i]) and low in ORG_HEADS and i + 1 < len(words) and _capitalised(words[i + 1]):
            j = i + 1
            while j < len(words):
                if (
                    _capitalised(words[j])
                    and words[j].replace("-", "").isalpha()
                    or (
                        words[j].lower() in JOINERS
                        and j + 1 < len(words)
                        and _capitalised(words[j + 1])
                        and words[j + 1].lower() not in ORG_HEADS  # "X dan Kementerian Y": two names
                    )
                ):
                    j += 1
                else:
                    break
            spans.append((i, j))
            i = j
        elif _capitalised(words[i]) and low in ORG_NAMES:
            spans.append((i, i + 1))
            i += 1
        else:
            i += 1
    return spans


def apply_org_rules(words: list[str], labels: list[str], cased: bool) -> list[str]:
    """``labels`` with the rules' organisations written in (a new list)."""
    if not cased:
        return labels
    out = list(labels)
    for start, end in org_spans(words):
        # extend over an entity the span cuts into, so no entity is left half-overwritten
        while end < len(out) and out[end].startswith("I-"):
            end += 1
        out[start] = "B-ORG"
        for k in range(start + 1, end):
            out[k] = "I-ORG"
        if end < len(out) and out[end].startswith("I-"):
            out[end] = "B-" + out[end][2:]
    return out
