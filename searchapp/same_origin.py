"""Refuse state-changing requests that another site's page made the browser send (CSRF).

There are no sessions or accounts, so there is no token to forge; the risk is a foreign page posting
a form to the user's own arsip (e.g. deleting a saved search). Browsers say where a request comes
from: ``Sec-Fetch-Site`` (every current browser) and, failing that, ``Origin``. A request from this
origin, or typed in by the user (``none``), passes; one from any other site is refused. Clients that
send neither header (scripts, curl) are not browsers following a foreign page and pass. The JSON API's
writes also need a JSON body, which a foreign page cannot send without a CORS preflight the app never
grants.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Request, request
from flask_babel import gettext

from searchapp.errors import ErrorCode, SearchError

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_cross_site(request: Request) -> bool:
    """Whether a browser sent this request on behalf of another site's page."""
    if request.method in SAFE_METHODS:
        return False
    site = request.headers.get("Sec-Fetch-Site")
    if site:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    if origin == "null":  # sandboxed frames, some redirects: origin unknown
        return True
    return urlsplit(origin).netloc.lower() != request.host.lower()


def refuse_cross_site() -> None:
    """A ``before_request`` hook for routes that change things: a request another site's page made the
    browser send ends in a 403 ``cross_site`` SearchError (each blueprint shows it its own way)."""
    if is_cross_site(request):
        message = gettext("This change was sent from another site's page and was refused.")
        raise SearchError(403, ErrorCode.CROSS_SITE, message)
