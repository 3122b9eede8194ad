"""Flask application factory: one SearchService per process, two blueprints (API and UI)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request

from arsip.settings import Settings
from searchapp.service import SearchService

log = logging.getLogger("arsip.app")
MAX_REQUEST_BYTES = 64 * 1024  # the API takes GET parameters only; refuse big bodies early


def create_app(settings: Settings | None = None, service: SearchService | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.config["ARSIP_SETTINGS"] = settings
    app.extensions["arsip"] = service or SearchService(settings)

    from searchapp.api import api
    from searchapp.ui import ui

    app.register_blueprint(api)
    app.register_blueprint(ui)

    @app.errorhandler(404)
    def not_found(_exc):
        if request.path.startswith("/api/"):
            return jsonify({"error": {"code": "not_found", "message": "No such API route."}}), 404
        from searchapp.ui import render_error

        return render_error(404, "not_found")

    @app.errorhandler(405)
    def method_not_allowed(_exc):
        return jsonify({"error": {"code": "method_not_allowed", "message": "Use GET."}}), 405

    @app.errorhandler(413)
    def too_large(_exc):
        return jsonify({"error": {"code": "request_too_large", "message": "Request body too large."}}), 413

    @app.errorhandler(Exception)
    def unexpected(exc):
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return exc
        log.exception("unexpected error on %s", request.path)
        body = {"error": {"code": "internal", "message": "Something went wrong on our side; it was logged."}}
        return jsonify(body), 500

    return app


def get_service() -> SearchService:
    from flask import current_app

    return current_app.extensions["arsip"]
