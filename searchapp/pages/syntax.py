"""``GET /syntax``: every form of the query syntax, each with an example that is a link running it.

A page of its own (linked from the search box) because the short help on the home page cannot hold the
wildcard, fuzzy and proximity forms and what the search ignores. The texts are gettext messages
(translated in ``searchapp/translations``); the "what is ignored" list runs the parser on its examples
and shows the warnings it really gives, so the page cannot drift from the parser.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from searchapp import i18n
from searchapp.pages.rendering import render_page
from searchapp.query_parser import MAX_FUZZINESS, MAX_PROXIMITY, MIN_WILDCARD_PREFIX, parse_query

syntax_page = Blueprint("syntax", __name__)

SECTIONS: list[tuple[LazyString, list[tuple[str, LazyString]]]] = [
    (
        _l("Words and phrases"),
        [
            ("banjir jakarta", _l("every word must appear, in any order")),
            ("banjir AND jakarta", _l("the same: AND may be written but is the default")),
            (
                "banjir OR longsor jakarta",
                _l("either of the two words next to OR, and jakarta: (banjir or longsor) and jakarta"),
            ),
            ('"tanah longsor"', _l("these words exactly, next to each other and in this order")),
            (
                '"dana desa"~3',
                _l(
                    "the words of the phrase near each other: up to 3 other words between them "
                    "(a reversed pair counts as 2; at most %(proximity)d)",
                    proximity=MAX_PROXIMITY,
                ),
            ),
        ],
    ),
    (
        _l("Partial and approximate words"),
        [
            (
                "pemilu*",
                _l(
                    "words that start with pemilu: pemilu, pemilunya, pemilukada… "
                    "(at least %(prefix)d letters before *)",
                    prefix=MIN_WILDCARD_PREFIX,
                ),
            ),
            (
                "kor?psi",
                _l(
                    "? stands for one letter and * for any number of letters inside one word "
                    "(at least %(prefix)d letters before the first ? or *)",
                    prefix=MIN_WILDCARD_PREFIX,
                ),
            ),
            (
                "korupsi~",
                _l(
                    "also words with small typing differences: korupsy, korubsi "
                    "(1 difference for words of 3–5 letters, 2 for longer words)"
                ),
            ),
            (
                "korupsi~1",
                _l("at most this many differences (1 or 2; at most %(fuzziness)d)", fuzziness=MAX_FUZZINESS),
            ),
        ],
    ),
    (
        _l("Leaving out"),
        [
            ("banjir -hoaks", _l("leave out passages with this word")),
            ('vaksin -"berita palsu"', _l("leave out passages with this phrase")),
            ("pilkada NOT hoaks", _l("the same as -hoaks: NOT, in capitals, leaves out what follows it")),
            (
                "pilkada -korup*",
                _l(
                    'leave out passages with any word starting with korup (also -korupsi~ and -"dana desa"~3)'
                ),
            ),
        ],
    ),
    (
        _l("Filters"),
        [
            ("vaksin source:humas", _l("only this source")),
            ('banjir source:"detik news"', _l("a value with a space goes in quotation marks")),
            ("banjir collection:berita", _l("only this collection")),
            ("pilkada lang:id", _l("only this language (id or en; also language:)")),
            ("banjir date:2020-12", _l("only this year (2020), month (2020-12) or day (2020-12-09)")),
            (
                "banjir from:2019 to:2021-06",
                _l("from the first day of 2019 to the last day of June 2021"),
            ),
            ("banjir -source:humas", _l("leave out a source (also -collection: and -lang:)")),
            (
                "title:pilkada",
                _l('documents with these words in their title (title:"dana desa" for several)'),
            ),
            ("author:humas", _l("documents whose author contains this, e.g. Pur/Humas")),
            ('pilkada person:"Muhammad Hudori"', _l("only documents naming this person")),
            ("pilkada org:Bawaslu", _l("only documents naming this organisation")),
            ("banjir place:Bandung", _l("only documents naming this place (also -person:, -org:, -place:)")),
        ],
    ),
]
"""(heading, [(example query, what it does)]) in the order the page shows them."""

IGNORED_EXAMPLES = [
    "banjir date:2019-13",
    "banjir from:kemarin",
    "banjir source:",
    "banjir foo:bar",
    "banjir -",
    '"banjir jakarta',
    "banjir OR",
    "banjir or longsor",
    "pilkada NOT",
    "(banjir) +jakarta",
    "ba* jakarta",
    "korupsi~5",
    '"dana desa"~50',
    "banjir from:2021 to:2019",
]
"""Malformed queries whose warnings the page shows (one or more per example)."""


@syntax_page.route("/syntax")
def syntax_help():
    """The syntax reference in the UI language; works without JavaScript like every UI page."""
    language = i18n.select_language()
    ignored = [(q, [w.message(language) for w in parse_query(q).warnings]) for q in IGNORED_EXAMPLES]
    return render_page("syntax.html", sections=SECTIONS, ignored=ignored)
