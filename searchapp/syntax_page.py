"""``GET /syntax``: every form of the query syntax, each with an example that is a link running it.

A page of its own (linked from the search box) because the short help on the home page cannot hold the
wildcard, fuzzy and proximity forms and what the search ignores. The texts are in ``i18n.MESSAGES``
(``syntax_*`` keys, English and Indonesian); the "what is ignored" list runs the parser on its examples
and shows the warnings it really gives, so the page cannot drift from the parser.
"""

from __future__ import annotations

from flask import Blueprint

from searchapp import i18n
from searchapp.query_parser import MAX_FUZZINESS, MAX_PROXIMITY, MIN_WILDCARD_PREFIX, parse_query
from searchapp.ui import render_page

syntax = Blueprint("syntax", __name__, template_folder="templates")

SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "syntax_section_words",
        [
            ("banjir jakarta", "syntax_words"),
            ("banjir AND jakarta", "syntax_and"),
            ("banjir OR longsor jakarta", "syntax_or"),
            ('"tanah longsor"', "syntax_phrase"),
            ('"dana desa"~3', "syntax_proximity"),
        ],
    ),
    (
        "syntax_section_partial",
        [
            ("pemilu*", "syntax_prefix"),
            ("kor?psi", "syntax_wildcard"),
            ("korupsi~", "syntax_fuzzy"),
            ("korupsi~1", "syntax_fuzzy_n"),
        ],
    ),
    (
        "syntax_section_exclude",
        [
            ("banjir -hoaks", "syntax_exclude"),
            ('vaksin -"berita palsu"', "syntax_exclude_phrase"),
            ("pilkada -korup*", "syntax_exclude_forms"),
        ],
    ),
    (
        "syntax_section_filters",
        [
            ("vaksin source:humas", "syntax_source"),
            ('banjir source:"detik news"', "syntax_source_quoted"),
            ("banjir collection:berita", "syntax_collection"),
            ("pilkada lang:id", "syntax_lang"),
            ("banjir date:2020-12", "syntax_date"),
            ("banjir from:2019 to:2021-06", "syntax_from_to"),
            ("banjir -source:humas", "syntax_exclude_source"),
        ],
    ),
]
"""(heading key, [(example query, explanation key)]) in the order the page shows them."""

IGNORED_EXAMPLES = [
    "banjir date:2019-13",
    "banjir from:kemarin",
    "banjir source:",
    "banjir foo:bar",
    "banjir -",
    '"banjir jakarta',
    "banjir OR",
    "(banjir) +jakarta",
    "ba* jakarta",
    "korupsi~5",
    '"dana desa"~50',
    "banjir from:2021 to:2019",
]
"""Malformed queries whose warnings the page shows (one or more per example)."""


@syntax.route("/syntax")
def syntax_help():
    """The syntax reference in the UI language; works without JavaScript like every UI page."""
    language = i18n.select_language()
    ignored = [(q, [w.message(language) for w in parse_query(q).warnings]) for q in IGNORED_EXAMPLES]
    limits = {"prefix": MIN_WILDCARD_PREFIX, "fuzziness": MAX_FUZZINESS, "proximity": MAX_PROXIMITY}
    return render_page("syntax.html", sections=SECTIONS, limits=limits, ignored=ignored)
