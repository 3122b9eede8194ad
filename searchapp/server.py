"""Production serving with waitress: load and warm the model once, then serve the app."""

from __future__ import annotations

import logging

from arsip.settings import Settings

MAX_REQUEST_HEADER_BYTES = 32 * 1024  # request line + headers (the app refuses URLs over 16 KB with 414)


def waitress_limits(settings: Settings) -> dict:
    """Waitress's defaults (256 KB of headers, 1 GB of body) are far above what a GET API needs: the
    request line + headers may hold a MAX_URL_BYTES URL and cookies (else 431); bodies are refused early.
    Waitress drops X-Forwarded-For unless told otherwise: kept only with ARSIP_TRUST_PROXY=1, for the
    rate limiter (searchapp/limits.py) to key clients by it."""
    from searchapp.app import MAX_REQUEST_BYTES

    return {
        "max_request_header_size": MAX_REQUEST_HEADER_BYTES,
        "max_request_body_size": MAX_REQUEST_BYTES,
        "clear_untrusted_proxy_headers": not settings.trust_proxy,
    }


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 5000, threads: int = 8) -> None:
    from waitress import serve as waitress_serve

    from searchapp.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The client logs every request and every retry with a traceback; the service logs one line per
    # failed search instead (searchapp.search.engine.Engine.error).
    logging.getLogger("elastic_transport").setLevel(logging.ERROR)
    app = create_app(settings)
    service = app.extensions["arsip"]
    try:
        service.embedder.encode_query("warm up")  # load weights and run one pass before traffic
    except Exception as exc:  # noqa: BLE001 - keyword search still works without the model
        logging.getLogger("arsip.serve").warning("model not loaded: %s (semantic search will fail)", exc)
    print(f"arsip is serving on http://{host}:{port}", flush=True)
    waitress_serve(
        app,
        host=host,
        port=port,
        threads=threads,
        channel_timeout=30,
        connection_limit=200,
        ident="arsip",
        **waitress_limits(settings),
    )
