"""The JSON API blueprint: a stable contract, described by /api/openapi.json."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, stream_with_context, url_for
from flask_babel import lazy_gettext as _l

from searchapp import batch
from searchapp.context import get_service
from searchapp.errors import ErrorCode, SearchError
from searchapp.export_format import csv_lines, export_filename, jsonl_lines, name_details
from searchapp.openapi import batch_body_errors, openapi_document
from searchapp.search.cursor import MAX_CURSOR_SIZE
from searchapp.search_params import DEFAULT_SIZE, MAX_PAGE, MAX_SIZE
from searchapp.search_request import SearchRequest, int_arg, single

api = Blueprint("api", __name__)


@api.errorhandler(SearchError)
def search_error(exc: SearchError):
    return jsonify(exc.as_dict()), exc.status


def _args() -> dict:
    return {key: request.args.getlist(key) for key in request.args}


@api.get("/api/search")
def search():
    return jsonify(get_service().search(SearchRequest.from_args(_args())))


@api.get("/api/passages")
def walk():
    """Every passage a search matches, ``size`` a call, with a cursor (``search/cursor.py``)."""
    args = _args()
    size = int_arg(single(args.pop("size", []), "size"), "size", DEFAULT_SIZE, 1, MAX_CURSOR_SIZE)
    after = single(args.pop("cursor", []), "cursor") or None
    # checked by itself, then not used: the walk has no pages, so no page × size rule (page=999&size=1 was
    # refused against the search's default size; found by the contract test)
    int_arg(single(args.pop("page", []), "page"), "page", 1, 1, MAX_PAGE)
    return jsonify(get_service().walk(SearchRequest.from_args(args), size, after))


@api.get("/api/documents/<path:doc_id>")
def document(doc_id: str):
    q = single(request.args.getlist("q"), "q", "") or ""
    return jsonify(get_service().get_document(doc_id, q))


@api.get("/api/entities/<kind>/<path:name>")
def entity(kind: str, name: str):
    return jsonify(get_service().entity(kind, name))


@api.get("/api/documents/<path:doc_id>/pages/<int:page>/image")
def page_image(doc_id: str, page: int):
    """An OCR'd page's picture: what Tesseract read, to check a passage against (PNG, ~20–25 KB)."""
    body = get_service().page_image(doc_id, page)
    return Response(body, mimetype="image/png", headers={"Cache-Control": "public, max-age=3600"})


@api.get("/api/passages/<path:passage_id>/similar")
def similar(passage_id: str):
    # Validated like /api/search's size ("²".isdigit() is true but int("²") fails: that was a 500).
    size = int_arg(single(request.args.getlist("size"), "size"), "size", DEFAULT_SIZE, 1, MAX_SIZE)
    return jsonify(get_service().similar(passage_id, size))


@api.get("/api/export")
def export():
    """The search's result list as a file: the screen's query, mode, filters and order (one row a passage)."""
    fmt = single(request.args.getlist("format"), "format", "csv")
    if fmt not in ("csv", "jsonl"):
        message = _l("Unknown export format: use csv or jsonl.")
        raise SearchError(400, ErrorCode.INVALID_FORMAT, message, parameter="format")
    search_request = SearchRequest.from_args(_args())
    summary, rows = get_service().export(search_request)  # fails here, before the 200, if the engine is down
    filename = export_filename(search_request.q, fmt, details=name_details(search_request))
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Arsip-Passages": str(summary["passages"]),
        "X-Arsip-Documents": str(summary["documents"]),
        "X-Arsip-Rows": str(summary["rows"]),
        "X-Arsip-Export-Limit": str(summary["limit"]),
        "X-Arsip-Capped": "true" if summary["capped"] else "false",
    }
    body = csv_lines(rows) if fmt == "csv" else jsonl_lines(rows)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
    return Response(stream_with_context(body), content_type=content_type, headers=headers)


@api.post("/api/batch")
def batch_search():
    """Matching documents per term for a list of terms, with the same filters (``searchapp/batch.py``)."""
    body = request.get_json(silent=True)
    errors = batch_body_errors(body)
    if errors:
        raise SearchError(
            400, ErrorCode.INVALID_BODY, f"The request body does not match the batch schema: {errors[0]}"
        )
    terms = batch.term_list(body["terms"])
    envelope = batch.run_batch(
        get_service(), terms, body.get("filters") or {}, search_path=url_for("search.search")
    )
    if body.get("format", "json") == "json":
        return jsonify(envelope)
    headers = {"Content-Disposition": f'attachment; filename="{batch.csv_filename()}"'}
    return Response(
        batch.csv_lines(envelope["rows"]), content_type="text/csv; charset=utf-8", headers=headers
    )


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
