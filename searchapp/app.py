"""Flask application factory: one SearchService per process, the JSON API's blueprints and the pages'."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from flask import Flask, Request, jsonify, make_response, request
from flask_babel import Babel
from flask_limiter import RequestLimit
from werkzeug.utils import cached_property

from arsip.settings import Settings
from searchapp import i18n
from searchapp.api import api
from searchapp.batch import MAX_BATCH_BYTES
from searchapp.catalogs import ensure_compiled
from searchapp.context import EXTENSION
from searchapp.errors import ErrorCode
from searchapp.known_params import unknown_parameter_error
from searchapp.limits import MAX_URL_BYTES, create_limiter, rate_limit_headers, seconds_until, url_bytes
from searchapp.pages.api_docs import api_docs_page
from searchapp.pages.batch import batch_page
from searchapp.pages.documents import documents_page
from searchapp.pages.entities import entities_page
from searchapp.pages.rendering import render_error, template_context
from searchapp.pages.saved import saved_page
from searchapp.pages.search import search_page
from searchapp.pages.syntax import syntax_page
from searchapp.saved_api import saved_api
from searchapp.service import SearchService

log = logging.getLogger("arsip.app")
MAX_REQUEST_BYTES = 64 * 1024  # the API takes GET parameters only; refuse big bodies early
BATCH_PATHS = ("/api/batch", "/batch")  # but for the term lists of batch search (MAX_BATCH_BYTES)


class ArsipRequest(Request):
    """Werkzeug raises UnicodeDecodeError (a 500, and again in the error page) when the raw query string
    holds bytes that are not UTF-8; here they become U+FFFD like percent-encoded ones."""

    @cached_property
    def args(self):
        try:
            self.query_string.decode()
        except UnicodeDecodeError:
            query = self.query_string.decode("utf-8", "replace")
            return self.parameter_storage_class(parse_qsl(query, keep_blank_values=True, errors="replace"))
        return super().args


class StableApiPrefix:
    """``/api/v1/…`` is the API's documented stable prefix; it serves what ``/api/…`` serves (those
    paths stay, as aliases), so one set of routes answers both."""

    PREFIX = "/api/v1/"

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.PREFIX):
            environ["PATH_INFO"] = "/api/" + path[len(self.PREFIX) :]
        return self.wsgi_app(environ, start_response)


def create_app(settings: Settings | None = None, service: SearchService | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.wsgi_app = StableApiPrefix(app.wsgi_app)
    app.request_class = ArsipRequest
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config["ARSIP_SETTINGS"] = settings
    app.extensions[EXTENSION] = service or SearchService(settings)
    ensure_compiled()  # the .mo files gettext reads, built from the .po files in git
    Babel(app, locale_selector=i18n.select_language)  # UI text from searchapp/translations (gettext)

    app.register_blueprint(api)
    app.context_processor(template_context)
    app.register_blueprint(search_page)
    app.register_blueprint(documents_page)
    app.register_blueprint(entities_page)
    app.register_blueprint(syntax_page)
    app.register_blueprint(batch_page)
    app.register_blueprint(api_docs_page)
    app.register_blueprint(saved_api)
    app.register_blueprint(saved_page)

    @app.before_request
    def guard_request():
        """Refuse over-long URLs (414), large bodies (413) and API parameters the document does not list
        (400) before any work is done; the limiter (429) runs next."""
        if url_bytes(request) > MAX_URL_BYTES:
            return _refusal(414, ErrorCode.URI_TOO_LONG, f"The URL is longer than {MAX_URL_BYTES:,} bytes.")
        body_limit = MAX_REQUEST_BYTES
        if request.path in BATCH_PATHS:  # a list of up to 1,000 terms is posted there
            body_limit = request.max_content_length = request.max_form_memory_size = MAX_BATCH_BYTES
        if (request.content_length or 0) > body_limit:  # GET routes never read the body: check here
            return _refusal(413, ErrorCode.REQUEST_TOO_LARGE, "Request body too large.")
        if request.url_rule is not None:
            unknown = unknown_parameter_error(request.url_rule.rule, request.method, request.args.keys())
            if unknown is not None:
                return jsonify(unknown.as_dict()), unknown.status
        return None

    def rate_limited(limit: RequestLimit):
        """The 429 for a client over ``ARSIP_RATE_LIMIT`` (Flask-Limiter raises it with this response)."""
        seconds = seconds_until(limit.reset_at)
        message = f"Too many requests from your address; retry in {seconds} s."
        response = _refusal(429, ErrorCode.RATE_LIMITED, message, seconds=seconds)
        response.headers["Retry-After"] = str(seconds)
        return response

    app.extensions["arsip_limiter"] = create_limiter(  # after guard_request: 414/413 are checked first
        app,
        settings.rate_limit,
        settings.rate_burst,
        settings.rate_limit_storage,
        settings.trust_proxy,
        on_breach=rate_limited,
    )

    @app.after_request
    def rate_headers(response):
        """Tell every limited response's client where it stands (``limits.rate_limit_headers``)."""
        response.headers.update(rate_limit_headers(app.extensions["arsip_limiter"].current_limit))
        return response

    @app.errorhandler(429)
    def too_many_requests(exc):
        """The response ``rate_limited`` built (found before the pages' catch-all error handler)."""
        built = getattr(exc, "response", None)
        return built or _refusal(429, ErrorCode.RATE_LIMITED, "Too many requests.", seconds=1)

    @app.errorhandler(404)
    def not_found(_exc):
        if request.path.startswith("/api/"):
            return jsonify({"error": {"code": ErrorCode.NOT_FOUND, "message": "No such API route."}}), 404
        return render_error(404, ErrorCode.NOT_FOUND)

    @app.errorhandler(405)
    def method_not_allowed(exc):
        """JSON, with the ``Allow`` header HTTP requires on a 405 (the methods werkzeug's routing found)."""
        allowed = sorted(exc.valid_methods or ("GET", "HEAD", "OPTIONS"))
        message = f"{request.method} is not allowed here; allowed: {', '.join(allowed)}."
        body = {"error": {"code": ErrorCode.METHOD_NOT_ALLOWED, "message": message}}
        return jsonify(body), 405, {"Allow": ", ".join(allowed)}

    @app.errorhandler(413)
    def too_large(_exc):
        return jsonify(
            {"error": {"code": ErrorCode.REQUEST_TOO_LARGE, "message": "Request body too large."}}
        ), 413

    @app.errorhandler(Exception)
    def unexpected(exc):
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return exc
        log.exception("unexpected error on %s", request.path)
        body = {
            "error": {
                "code": ErrorCode.INTERNAL,
                "message": "Something went wrong on our side; it was logged.",
            }
        }
        return jsonify(body), 500

    return app


def _refusal(status: int, code: str, message: str, **details):
    """A JSON error for the API (and anything that is not a UI page), a friendly page for the UI."""
    if request.path.startswith(("/api/", "/healthz", "/readyz", "/static/")):
        return make_response(jsonify({"error": {"code": code, "message": message}}), status)
    return render_error(status, code, i18n.refusal_message(status, **details) or message)
