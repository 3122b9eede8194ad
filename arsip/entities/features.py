"""The CRF's features of a sentence's words; training (scripts/train_entities.py) and tagging share them.

Case: real text is cased, the NERP news data is all lower case. Case features (shape, capitalised, all
capitals) are written only for a sentence that has both upper- and lower-case letters; a lower-case (or
all-capitals) sentence is lower-cased and gets none. So the weights the CRF learns for case come from
cased sentences only, and a lower-case sentence is tagged on words, affixes, context and lists alone.
Training sees NERGrit both as written and lower-cased, so the caseless path learns from it too. What a
lower-case sentence has lost comes back from a list: how often each word is capitalised inside sentences
of 21,965 cased news articles (``cap``: always / often / sometimes / rarely / unseen), written for every
sentence whatever its case.
"""

from __future__ import annotations

import re
from functools import cache

from arsip.entities.gazetteer import ORG_WORDS, PERSON_CUES, PLACE_PHRASES, PLACE_WORDS, PLACES, ROLES
from arsip.entities.model_file import CAPITALISATION_PATH

CAPITALISATION_BANDS = ((0.9, "A"), (0.6, "O"), (0.25, "S"), (0.0, "R"))  # always, often, sometimes, rarely
ROLE_WORDS = frozenset(word for role in ROLES for word in role.split())
LONGEST_PLACE = max(len(p.split()) for p in PLACE_PHRASES)


@cache
def capitalisation() -> dict[str, str]:
    """word (lower case) → its band letter; words seen fewer than 3 times are absent ("unseen")."""
    if not CAPITALISATION_PATH.exists():
        return {}
    lines = CAPITALISATION_PATH.read_text(encoding="utf-8").splitlines()
    return dict(line.split("\t") for line in lines if line)


def capitalisation_band(ratio: float) -> str:
    return next(letter for floor, letter in CAPITALISATION_BANDS if ratio >= floor)


def is_cased(words: list[str]) -> bool:
    """True when the sentence carries case information (both upper- and lower-case letters)."""
    text = "".join(words)
    return any(c.isupper() for c in text) and any(c.islower() for c in text)


def shape(word: str) -> str:
    """Xxxx → Xx, ABC → X, abc → x, 2020 → d, Kemenpan-RB → Xx-X (runs collapsed)."""
    out = re.sub(r"[A-Z]+", "X", re.sub(r"[a-z]+", "x", re.sub(r"\d+", "d", word)))
    return out[:6]


def _word_features(word: str, cased: bool) -> dict[str, float | str]:
    low = word.lower()
    feats: dict[str, float | str] = {
        "w": low,
        "p3": low[:3],
        "s3": low[-3:],
        "s2": low[-2:],
        "digit": float(low.isdigit()),
        "punct": float(not any(c.isalnum() for c in low)),
        "hyphen": float("-" in low),
        "role": float(low in ROLE_WORDS),
        "org": float(low in ORG_WORDS or low.startswith(("kemen", "dinas", "pemkab", "pemkot"))),
        "placew": float(low in PLACE_WORDS),
        "place": float(low in PLACES),
        "cue": float(low in PERSON_CUES),
        "cap": capitalisation().get(low, "U") if any(c.isalpha() for c in low) else "-",
    }
    if cased:
        feats["shape"] = shape(word)
        feats["title"] = float(word[:1].isupper())
        feats["upper"] = float(word.isupper() and len(word) > 1)
    return feats


def sentence_features(words: list[str]) -> list[dict[str, float | str]]:
    """One feature dict per word: its own features, its neighbours' (±1, ±2 for the word itself) and
    whether it lies inside a known multi-word place name."""
    cased = is_cased(words)
    own = [_word_features(w, cased) for w in words]
    lows = [w.lower() for w in words]
    in_phrase = [0.0] * len(words)
    for size in range(2, LONGEST_PLACE + 1):
        for i in range(len(words) - size + 1):
            if " ".join(lows[i : i + size]) in PLACE_PHRASES:
                for j in range(i, i + size):
                    in_phrase[j] = 1.0
    out: list[dict[str, float | str]] = []
    for i in range(len(words)):
        feats: dict[str, float | str] = {"bias": 1.0, "phrase_place": in_phrase[i], **own[i]}
        feats["s4"] = lows[i][-4:]
        feats["bigram"] = f"{lows[i - 1] if i else '^'}|{lows[i]}"
        if cased:  # a capital that does not merely start the sentence
            feats["title_mid"] = float(i > 0 and words[i][:1].isupper())
        for offset in (-1, 1):
            j = i + offset
            if 0 <= j < len(words):
                feats.update({f"{offset}:{k}": v for k, v in own[j].items() if k not in ("p3", "s2", "s3")})
            else:
                feats[f"{offset}:edge"] = 1.0
        for offset in (-2, 2):
            j = i + offset
            if 0 <= j < len(words):
                feats[f"{offset}:w"] = lows[j]
                if cased:
                    feats[f"{offset}:title"] = float(words[j][:1].isupper())
        out.append(feats)
    return out
