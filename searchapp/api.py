"""The JSON API blueprint: a stable contract, described by /api/openapi.json."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, jsonify, request, stream_with_context

from searchapp.app import get_service
from searchapp.openapi import openapi_document
from searchapp.service import MAX_SIZE, SearchError, SearchRequest, int_arg

api = Blueprint("api", __name__)
EXPORT_COLUMNS = [
    "passage_id",
    "doc_id",
    "position",
    "score",
    "title",
    "source",
    "collection",
    "date",
    "language",
    "url",
    "author",
    "text",
]


@api.errorhandler(SearchError)
def search_error(exc: SearchError):
    return jsonify(exc.as_dict()), exc.status


def _args() -> dict:
    return {key: request.args.getlist(key) for key in request.args}


@api.get("/api/search")
def search():
    return jsonify(get_service().search(SearchRequest.from_args(_args())))


@api.get("/api/documents/<path:doc_id>")
def document(doc_id: str):
    return jsonify(get_service().get_document(doc_id))


@api.get("/api/passages/<path:passage_id>/similar")
def similar(passage_id: str):
    # Validated like /api/search's size ("²".isdigit() is true but int("²") fails: that was a 500).
    size = int_arg(request.args.get("size"), "size", 10, 1, MAX_SIZE)
    return jsonify(get_service().similar(passage_id, size))


@api.get("/api/export")
def export():
    fmt = request.args.get("format", "csv")
    if fmt not in ("csv", "jsonl"):
        raise SearchError(400, "invalid_format", "format must be csv or jsonl.")
    service = get_service()
    search_request = SearchRequest.from_args(_args())
    rows = service.export(search_request)
    first = next(rows, None)  # fail before the 200 header if the engine is down

    def generate():
        if fmt == "jsonl":
            for row in [first] if first else []:
                yield json.dumps(row, ensure_ascii=False) + "\n"
            for row in rows:
                yield json.dumps(row, ensure_ascii=False) + "\n"
            return
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in [first] if first else []:
            writer.writerow(row)
        for row in rows:
            writer.writerow(row)
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    mimetype = "text/csv" if fmt == "csv" else "application/x-ndjson"
    headers = {"Content-Disposition": f'attachment; filename="arsip-export.{fmt}"'}
    return Response(stream_with_context(generate()), mimetype=f"{mimetype}; charset=utf-8", headers=headers)


@api.get("/api/openapi.json")
def openapi():
    return jsonify(openapi_document())


@api.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@api.get("/readyz")
def readyz():
    report = get_service().readiness()
    return jsonify(report), (200 if report["ready"] else 503)
