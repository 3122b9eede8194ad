"""Production serving with waitress: load and warm the model once, then serve the app."""

from __future__ import annotations

import logging

from arsip.settings import Settings


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 5000, threads: int = 8) -> None:
    from waitress import serve as waitress_serve

    from searchapp.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    service = app.extensions["arsip"]
    try:
        service.embedder.encode_query("warm up")  # load weights and run one pass before traffic
    except Exception as exc:  # noqa: BLE001 - keyword search still works without the model
        logging.getLogger("arsip.serve").warning("model not loaded: %s (semantic search will fail)", exc)
    print(f"arsip is serving on http://{host}:{port}", flush=True)
    waitress_serve(
        app, host=host, port=port, threads=threads, channel_timeout=30, connection_limit=200, ident="arsip"
    )
