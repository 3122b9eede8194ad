"""Language of a document, so search can filter and analyzers can be chosen per language.

Uses py3langid (it ships its own model, no download), restricted to the languages these archives
actually hold: an unrestricted identifier labels short Indonesian snippets as Tagalog or Malay.
Indonesian and Malay are close enough to be confused; Indonesian is the archives' language, so Malay is
only returned when the model clearly prefers it.
"""

from __future__ import annotations

import threading

# ISO 639-1 codes we may return (py3langid has no Sundanese model; Sundanese text comes out as id/jv).
LANGUAGES: tuple[str, ...] = (
    "id", "ms", "jv", "en", "nl", "ar", "zh", "ja", "ko", "fr", "de", "es", "pt", "it", "ru", "th",
    "vi", "tl", "hi",
)  # fmt: skip
# Below this many letters a guess is noise ("Halo", a name, a number).
MIN_LETTERS = 20
# Below this probability (after restricting to LANGUAGES, and counting id+ms together) return None.
MIN_CONFIDENCE = 0.5
# Malay wins over Indonesian only when ahead by at least this much probability.
MALAY_MARGIN = 0.5
# Only the start of long documents is looked at: enough for a reliable guess, and bounded cost.
MAX_CHARS = 5000

_identifier = None
_lock = threading.Lock()


def _get_identifier():
    """The py3langid identifier, loaded (about 0.5 s) on first use and shared afterwards."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(list(LANGUAGES))
                _identifier = identifier
    return _identifier


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language of ``text``, or None if it is too short or the guess is unsure."""
    if not text:
        return None
    sample = text[:MAX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    ranked = _get_identifier().rank(sample)
    (top, p_top), (second, p_second) = ranked[0], ranked[1]
    if {top, second} == {"id", "ms"}:
        p_id, p_ms = (p_top, p_second) if top == "id" else (p_second, p_top)
        if p_id + p_ms < MIN_CONFIDENCE:
            return None
        return "ms" if p_ms - p_id >= MALAY_MARGIN else "id"
    return top if p_top >= MIN_CONFIDENCE else None
