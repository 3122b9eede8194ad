"""The per-process SearchService, reachable from any blueprint without importing the app factory.

Blueprints import this module, and the factory (``searchapp.app``) imports the blueprints: dependencies
point one way, with no ``app ↔ api ↔ ui`` circle.
"""

from __future__ import annotations

from flask import current_app

from searchapp.service import SearchService

EXTENSION = "arsip"


def get_service() -> SearchService:
    return current_app.extensions[EXTENSION]
