"""How every page is rendered: the names templates can use, the security headers, the error pages."""

from __future__ import annotations

import logging

from flask import Blueprint, make_response, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from searchapp import i18n
from searchapp.errors import FALLBACK_USER_MESSAGES, ErrorCode, SearchError
from searchapp.pages.entity_markup import marked_passage_html
from searchapp.pages.links import (
    current_url,
    document_url,
    entity_url,
    page_image_url,
    results_url,
    similar_url,
    versions_url,
)
from searchapp.pages.markup import passage_html, safe_url, title_html

log = logging.getLogger("arsip.ui")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; "
    "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
DEFAULT_ERROR_MESSAGES = FALLBACK_USER_MESSAGES
"""An error page's text when the error brings none (400, 404, 500)."""


def render_page(template: str, status: int = 200, **context):
    """A UI page in the UI language, with the security headers every page carries."""
    response = make_response(render_template(template, **context), status)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return i18n.persist_choice(response)


def render_error(status: int, code: str, message: str | None = None, detail: str | None = None):
    """An HTML error page in the UI language (the status is the response's status)."""
    status = status if 400 <= status <= 599 else 500
    family = 503 if status == 504 else status  # a timed-out engine reads like an unavailable one
    family = family if family in (400, 404, 409, 429, 500, 503) else (500 if family >= 500 else 400)
    title = i18n.error_title(family)
    if message is None:
        message = str(DEFAULT_ERROR_MESSAGES.get(family, ""))
    hint = gettext("Please try again in a minute.") if family == 503 else ""
    return render_page(
        "error.html",
        status=status,
        status_code=status,
        code=code,
        title=title,
        message=message,
        hint=hint,
        detail=detail,
    )


def template_context() -> dict:
    """Available in every template (the app's 404 page too): i18n, formatters, link and markup helpers."""
    helpers = i18n.template_helpers()
    helpers.update(
        lang_switch_url=current_url(ui=helpers["ui_other_lang"]),
        passage_html=passage_html,
        title_html=title_html,
        safe_url=safe_url,
        document_url=document_url,
        similar_url=similar_url,
        page_image_url=page_image_url,
        versions_url=versions_url,
        results_url=results_url,
        entity_url=entity_url,
        marked_passage_html=marked_passage_html,
    )
    return helpers


def show_errors_as_pages(blueprint: Blueprint) -> None:
    """Any error in ``blueprint``'s views becomes an HTML error page: a SearchError with its status and
    text for people, werkzeug's HTTP errors with their status, anything else a logged 500."""
    blueprint.register_error_handler(SearchError, _search_error)
    blueprint.register_error_handler(Exception, _unexpected)


def _search_error(exc: SearchError):
    return render_error(exc.status, exc.code, exc.user_message, exc.technical_detail)


def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return render_error(exc.code or 500, exc.name.lower().replace(" ", "_"))  # werkzeug's text is English
    log.exception("unexpected error on %s", request.path)
    return render_error(500, ErrorCode.INTERNAL)
