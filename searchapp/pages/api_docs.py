"""``GET /api``: the JSON API for people, generated from ``openapi_document()`` (never written per route).

Each operation shows its method, path, summary and description, its parameters (name, place, type and
limits, default, description), its request body's fields, its responses, and a runnable example: a
``curl`` line, and for GET routes a "try it" link to the real JSON. Path parameters in the examples are
ids that exist (the first document of a one-result search), so the links answer 200, not 404.
"""

from __future__ import annotations

import json
import logging
import shlex
from urllib.parse import quote, urlencode

from flask import Blueprint, request, url_for

from searchapp.context import get_service
from searchapp.errors import SearchError
from searchapp.openapi import openapi_document
from searchapp.pages.rendering import render_page
from searchapp.search_request import SearchRequest

log = logging.getLogger("arsip.ui")

api_docs_page = Blueprint("api_docs", __name__)
REF = "#/components/schemas/"
EXAMPLE_FORMATS = {"/api/export": {"format": "csv"}}
"""Query parameters an example adds beyond the schema's ``examples`` (the export as CSV)."""


def describe(schema: dict, components: dict) -> str:
    """A schema in a few words with its limits: ``integer, 1 to 100``, ``one of: a, b``, ``Result``."""
    if "$ref" in schema:
        return schema["$ref"].removeprefix(REF)
    if "anyOf" in schema:
        parts = schema["anyOf"]
        if parts[-1] == {"type": "string", "maxLength": 0}:
            return f"{describe(parts[0], components)}, or empty (the default)"
        return " or ".join(describe(part, components) for part in parts)
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        return " or ".join(describe({**schema, "type": k}, components) for k in kind)
    if kind == "null":
        return "null"
    if "enum" in schema:
        values = [v for v in schema["enum"] if v != ""]
        empty = ", or empty" if "" in schema["enum"] else ""
        return f"{kind}, one of: {', '.join(map(str, values))}{empty}"
    limits = []
    if kind == "array":
        inner = describe(schema.get("items", {}), components)
        limits += [f"at least {schema['minItems']:,}"] if "minItems" in schema else []
        limits += [f"at most {schema['maxItems']:,} items"] if "maxItems" in schema else []
        return ", ".join([f"array of {inner}", *limits])
    if "minimum" in schema and "maximum" in schema:
        limits.append(f"{schema['minimum']:,} to {schema['maximum']:,}")
    elif "minimum" in schema:
        limits.append(f"≥ {schema['minimum']:,}")
    if "maxLength" in schema:
        limits.append(f"at most {schema['maxLength']:,} characters")
    if schema.get("format") == "date":
        limits.append("date YYYY-MM-DD")
    return ", ".join([kind, *limits])


def _body_fields(schema: dict, components: dict, prefix: str = "") -> list[dict]:
    """A request body's fields, nested objects flattened to ``filters.source``."""
    if "$ref" in schema:
        schema = components[schema["$ref"].removeprefix(REF)]
    rows = []
    for name, field in schema.get("properties", {}).items():
        rows.append(
            {
                "name": prefix + name,
                "type": "object" if field.get("type") == "object" else describe(field, components),
                "required": name in schema.get("required", []),
                "default": field.get("default"),
                "description": field.get("description", ""),
            }
        )
        if field.get("type") == "object" and field.get("properties"):
            rows += _body_fields(field, components, f"{prefix}{name}.")
    return rows


def _example_ids() -> dict[str, str]:
    """A doc_id and a passage_id that exist, for the path parameters of the examples."""
    try:
        results = get_service().search(SearchRequest(mode="keyword", size=1, highlight=False, facets=False))
    except SearchError as exc:
        log.warning("API page: no example ids (%s)", exc.code)
        return {}
    if not results["results"]:
        return {}
    first = results["results"][0]
    return {"doc_id": first["doc_id"], "passage_id": first["passages"][0]["passage_id"]}


def _example_value(parameter: dict):
    schema = parameter["schema"]
    examples = schema.get("examples") or next(
        (part.get("examples") for part in schema.get("anyOf", []) if part.get("examples")), None
    )
    return examples[0] if examples else None


PLACEHOLDERS = {"string": "…", "array": [], "object": {}, "integer": 1, "number": 1, "boolean": True}


def _example_body(schema: dict, components: dict) -> dict:
    """A body for the example: each field's documented example, a placeholder for required ones without."""
    if "$ref" in schema:
        schema = components[schema["$ref"].removeprefix(REF)]
    example = {}
    for name, field in schema.get("properties", {}).items():
        if field.get("examples"):
            example[name] = field["examples"][0]
        elif name in schema.get("required", []):
            kind = field.get("type", "string")
            example[name] = PLACEHOLDERS.get(kind if isinstance(kind, str) else kind[0], "…")
    return example


def operations(document: dict, ids: dict[str, str], base_url: str) -> list[dict]:
    """Every operation of ``document``, ready for the template."""
    components = document["components"]["schemas"]
    found = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            parameters = op.get("parameters", [])
            filled, runnable = path, True
            for p in parameters:
                if p["in"] == "path":
                    value = ids.get(p["name"])
                    runnable = runnable and value is not None
                    if value is not None:  # else the {placeholder} stays, and there is no try-it link
                        filled = filled.replace("{" + p["name"] + "}", quote(value, safe=":"))
            query = {p["name"]: _example_value(p) for p in parameters if p["in"] == "query"}
            query = {name: value for name, value in query.items() if value is not None}
            query.update(EXAMPLE_FORMATS.get(path, {}))
            example_path = filled + (f"?{urlencode(query)}" if query else "")
            entry = {
                "id": op["operationId"],
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": [
                    {
                        "name": p["name"],
                        "in": p["in"],
                        "required": p.get("required", False),
                        "type": describe(p["schema"], components),
                        "default": p["schema"].get("default"),
                        "deprecated": p.get("deprecated", False),
                        "description": p.get("description", ""),
                    }
                    for p in parameters
                ],
                "body": [],
                "responses": [
                    {
                        "status": status,
                        "description": response.get("description", ""),
                        "content": [
                            f"{media}: {describe(content.get('schema', {}), components)}"
                            for media, content in response.get("content", {}).items()
                        ],
                    }
                    for status, response in op.get("responses", {}).items()
                ],
                "try_url": example_path if method == "get" and runnable else None,
            }
            command = ["curl"] if method == "get" else ["curl", "-X", method.upper()]
            command.append(shlex.quote(base_url + example_path))
            body_schema = (
                op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            )
            if body_schema is not None:
                entry["body"] = _body_fields(body_schema, components)
                example = json.dumps(_example_body(body_schema, components), ensure_ascii=False)
                command += ["-H", "'Content-Type: application/json'", "-d", shlex.quote(example)]
            entry["curl"] = " ".join(command)
            found.append(entry)
    return found


@api_docs_page.get("/api")
def reference():
    document = openapi_document()
    base_url = request.host_url.rstrip("/")
    return render_page(
        "api.html",
        info=document["info"],
        operations=operations(document, _example_ids(), base_url),
        openapi_url=url_for("api.openapi"),
    )
