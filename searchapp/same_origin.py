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

from flask import Request

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
