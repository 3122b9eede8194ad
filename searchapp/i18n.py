"""The web UI's language: which one a request gets, and locale-aware formatting.

The texts themselves are gettext messages (English msgids in the templates and the Python code, the
translations in ``searchapp/translations/<lang>/LC_MESSAGES/messages.po``) served by Flask-Babel; README
"Adding a UI language" has the pybabel commands. This module picks the language per request:
``?ui=id|en`` (remembered in a cookie), else the cookie, else the ``Accept-Language`` header (Indonesian
when the browser prefers it over English), else English. Numbers, dates and language names come from
Babel's locale data (CLDR), so a new UI language gets them without code.
"""

from __future__ import annotations

from datetime import date

from babel import Locale
from flask import g, has_request_context, request
from flask_babel import format_date as babel_format_date
from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l

LANGUAGES = ("en", "id")
DEFAULT_LANGUAGE = "en"
COOKIE = "arsip_ui"
COOKIE_MAX_AGE = 365 * 24 * 3600
DATE_FORMAT = "d MMMM y"  # 22 September 2020 (the UI's format in both languages)
MONTH_FORMAT = "LLLL y"  # December 2020 / Desember 2020 (stand-alone month name)

ERROR_TITLES = {
    400: _l("This search could not be run"),
    404: _l("Not found"),
    409: _l("The search index and the model do not match"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
    503: _l("The search engine is not available"),
}
"""The error page's heading per status family (ui.render_error maps other statuses onto these)."""


def _valid(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value if value in LANGUAGES else None


def select_language() -> str:
    """The UI language of the current request (cached on ``g``); English outside a request.

    Also Flask-Babel's locale selector, so gettext and the formatters follow the same choice.
    """
    if not has_request_context():
        return DEFAULT_LANGUAGE
    cached = g.get("ui_language")
    if cached:
        return cached
    language = (
        _valid(request.args.get("ui"))
        or _valid(request.cookies.get(COOKIE))
        or request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)
    )
    g.ui_language = language
    return language


def other_language(language: str | None = None) -> str:
    language = language or select_language()
    return "en" if language == "id" else "id"


def format_number(value: int | float) -> str:
    """1,234 in English, 1.234 in Indonesian (floats rounded to whole numbers)."""
    return format_decimal(value if isinstance(value, int) else round(value))


def format_date(value: str | None) -> str:
    """An ISO date (or datetime) as ``22 September 2020``; anything unparseable is returned as is."""
    if not value:
        return ""
    text = str(value)
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return text
    return babel_format_date(day, DATE_FORMAT)


def format_month(value: str | None) -> str:
    """``2020-12`` as ``December 2020``; anything else is returned as is."""
    text = str(value or "")
    try:
        year, month = int(text[:4]), int(text[5:7])
        if len(text) != 7 or text[4] != "-" or not 1 <= month <= 12:
            raise ValueError
    except ValueError:
        return text
    return babel_format_date(date(year, month, 1), MONTH_FORMAT)


def format_day(value: str) -> str:
    """``2019-09-05`` as ``Sep 5, 2019`` / ``5 Sep 2019`` (the UI language's medium date)."""
    try:
        return babel_format_date(date.fromisoformat(value), "medium")
    except ValueError:
        return value


def language_name(code: str | None, language: str | None = None) -> str:
    """A language code as a name in the UI language (``id`` → Indonesian / Indonesia), from CLDR."""
    if not code:
        return ""
    names = Locale.parse(language or select_language()).languages
    return names.get(str(code).lower(), str(code))


def error_title(family: int) -> str:
    """The heading of an error (page or notice) for a status family: 400, 404, 409, 429, 500, 503."""
    return str(ERROR_TITLES.get(family, ERROR_TITLES[500 if family >= 500 else 400]))


def refusal_message(status: int, seconds: int | None = None) -> str | None:
    """The UI page's text for a request refused before any work (413, 414, 429), else None."""
    if status == 413:
        return gettext("The request is too large.")
    if status == 414:
        return gettext("The address (URL) is too long.")
    if status == 429:
        return gettext(
            "Many requests came from your address in a short time. Please wait %(seconds)d s and try again.",
            seconds=seconds or 1,
        )
    return None


def persist_choice(response):
    """Remember an explicit ``?ui=`` choice in a cookie; responses vary by cookie and header."""
    if has_request_context():
        chosen = _valid(request.args.get("ui"))
        if chosen and request.cookies.get(COOKIE) != chosen:
            response.set_cookie(
                COOKIE,
                chosen,
                max_age=COOKIE_MAX_AGE,
                samesite="Lax",
                httponly=True,
                secure=request.is_secure,
            )
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def template_helpers() -> dict:
    """What templates get besides Flask-Babel's ``_``/``ngettext``: the languages and formatters."""
    language = select_language()
    return {
        "ui_lang": language,
        "ui_other_lang": other_language(language),
        "fmt_number": format_number,
        "fmt_date": format_date,
        "fmt_month": format_month,
        "language_name": language_name,
        "error_title": error_title,
    }
