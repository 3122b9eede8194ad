"""One person, organisation or place across the archive: its documents over time, its sources, the
entities most often named with it, a person's roles (``entity_roles``), and its latest documents (the
entity page and ``/api/entities``).

Counts are documents (the cardinality of ``doc_id``, as the facets count), over every document whose
passages name the entity (``doc_entities.*``, indexer.entities); one msearch, two bodies.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from arsip.entities.names import normalise_name
from searchapp.counting import (
    buckets_by_documents,
    date_histogram_aggs,
    documents_agg,
    documents_count,
    read_histogram,
    values_agg,
)
from searchapp.errors import ErrorCode, SearchError
from searchapp.facets import ENTITY_FACETS
from searchapp.search.engine import Engine

KIND_FIELDS = {facet.name: facet.field for facet in ENTITY_FACETS}  # person/org/place → doc_entities.*
MAX_NAME_CHARS = 256  # the keyword fields' ignore_above
RELATED_SIZE = 15
ROLES_SIZE = 10
SOURCES_SIZE = 20
LATEST_SIZE = 20


def entity_bodies(kind: str, name: str) -> dict[str, dict]:
    """The aggregations body and the latest documents' body for one entity."""
    query = {"bool": {"filter": [{"term": {KIND_FIELDS[kind]: {"value": name, "case_insensitive": True}}}]}}
    aggs: dict = {
        "documents": documents_agg(),
        "undated": {"missing": {"field": "date"}, "aggs": {"documents": documents_agg()}},
        "sources": {
            "terms": {"field": "source", "size": SOURCES_SIZE, "order": {"documents": "desc"}},
            "aggs": {"documents": documents_agg()},
        },
    }
    aggs.update(date_histogram_aggs())
    aggs["roles"] = {  # stored as "Name|Role": the name's own, matched by a Lucene regular expression
        "terms": {"field": "entity_roles", "include": _literal(name) + "\\|.*", "size": ROLES_SIZE},
        "aggs": {"documents": documents_agg()},
    }
    for other, field in KIND_FIELDS.items():
        # one more: the entity itself is among its own co-mentions
        aggs[f"related_{other}"] = values_agg(field, RELATED_SIZE + 1, many_values=True)
    latest = {
        "query": query,
        "size": LATEST_SIZE,
        "collapse": {"field": "doc_id"},
        "sort": [{"date": {"order": "desc", "missing": "_last"}}, {"doc_id": "asc"}],
        "_source": ["doc_id", "title", "date", "source", "url", "position"],
    }
    return {"aggs": {"query": query, "size": 0, "aggs": aggs}, "latest": latest}


def entity_profile(engine: Engine, kind: str, name: str) -> dict:
    """``{kind, name, documents, histogram, sources, related, latest}`` for one entity (404: unknown kind)."""
    if kind not in KIND_FIELDS:
        message = _l("There is no entity kind “%(kind)s” (person, org or place).", kind=kind)
        raise SearchError(404, ErrorCode.NOT_FOUND, message)
    name = normalise_name(name)[:MAX_NAME_CHARS]
    if not name:
        raise SearchError(404, ErrorCode.NOT_FOUND, _l("An entity needs a name."))
    answers = engine.msearch(entity_bodies(kind, name))
    aggs = answers["aggs"].get("aggregations") or {}
    related = {}
    for other in KIND_FIELDS:
        buckets = buckets_by_documents(aggs.get(f"related_{other}"), RELATED_SIZE + 1)
        related[other] = [
            {"value": b["key"], "count": documents_count(b)}
            for b in buckets
            if not (other == kind and str(b["key"]).lower() == name.lower())
        ][:RELATED_SIZE]
    return {
        "kind": kind,
        "name": name,
        "documents": documents_count(aggs),
        "histogram": read_histogram(answers["aggs"]),
        "sources": [
            {"value": b["key"], "count": documents_count(b)}
            for b in aggs.get("sources", {}).get("buckets", [])
        ],
        "related": related,
        "roles": [
            {"value": b["key"].split("|", 1)[1], "count": documents_count(b)}
            for b in aggs.get("roles", {}).get("buckets", [])
        ],
        "latest": [
            {k: h["_source"].get(k) for k in ("doc_id", "title", "date", "source", "url")}
            for h in answers["latest"]["hits"]["hits"]
        ],
    }


def _literal(text: str) -> str:
    """``text`` as a Lucene regular expression matching exactly it (every non-alphanumeric escaped)."""
    return "".join(c if c.isalnum() else "\\" + c for c in text)
