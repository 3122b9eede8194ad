"""A document with all its passages, and the documents close in meaning to one passage."""

from __future__ import annotations

import base64

from elasticsearch import NotFoundError
from flask_babel import lazy_gettext as _l

from arsip.es_client import ENGINE_ERRORS
from searchapp.errors import ErrorCode, SearchError
from searchapp.query_builder import MAX_NUM_CANDIDATES, build_highlight
from searchapp.query_parser import parse_query
from searchapp.relatedness import cosine_of
from searchapp.search.engine import Engine
from searchapp.search.readiness import QueryModel
from searchapp.search.result_rows import DOC_FIELDS, SOURCE_FIELDS, page_fields, paragraph_number, result_row
from searchapp.search_params import MAX_SIZE
from searchapp.search_request import SearchRequest, range_message

SIMILAR_OVERFETCH = 5
"""Nearest passages read per similar document asked for: a document's passages often sit together."""
MAX_PAGE_NUMBER = 100_000  # a page number past any document's (Elasticsearch refuses integers past 2**31)
MAX_ID_BYTES = 512  # Elasticsearch's limit on an _id: a longer id names nothing (and may not fit a URL)


def get_document(engine: Engine, doc_id: str, q: str = "") -> dict:
    """A document's metadata and all its passages in order; given a query ``q``, each passage carries
    its ``highlight`` (the search's highlighting: ``query_builder.build_highlight``, so the words the
    result list marked are marked here too), null where nothing matches."""
    if len(doc_id.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES:
        message = _l(
            "There is no document with that id (ids are at most %(limit)d bytes).", limit=MAX_ID_BYTES
        )
        raise SearchError(404, ErrorCode.NOT_FOUND, message)
    q = SearchRequest.from_args({"q": q}).q  # the search's checks (length) and clean-up
    parsed = parse_query(q) if q else None
    extra: dict = {}
    if parsed is not None and parsed.highlight_terms:
        extra["highlight"] = build_highlight(parsed)
    hits = _passages(engine, doc_id, extra)
    if not hits:  # perhaps the record's own id (``record_id``), which the internal id was made from
        hits = _passages(engine, _by_record_id(engine, doc_id), extra)
    if not hits:
        message = _l("There is no document with the id “%(id)s” in the archive.", id=doc_id)
        raise SearchError(404, ErrorCode.NOT_FOUND, message)
    first = hits[0]["_source"]
    document = {name: first.get(name) for name in DOC_FIELDS}
    document["query"] = q
    document["passages"] = [
        {
            "passage_id": h["_id"],
            "position": h["_source"]["position"],
            "paragraph": paragraph_number(h["_source"]["position"]),
            "text": h["_source"]["text"],
            "highlight": ((h.get("highlight") or {}).get("text") or [None])[0],
            "mentions": [
                {"kind": kind, "name": name, "start": start, "end": end}
                for kind, start, end, name in h["_source"].get("entity_mentions") or []
            ],
            **page_fields(h["_source"]),
        }
        for h in hits
    ]
    document["entities"] = first.get("doc_entities") or {}
    title = next((h["highlight"]["title"][0] for h in hits if (h.get("highlight") or {}).get("title")), None)
    if title:
        document["title_highlight"] = title
    return document


def page_image(engine: Engine, doc_id: str, page: int) -> bytes:
    """The picture of an OCR'd page (a small PNG, stored on the page's first passage when indexed)."""
    encoded = None
    if len(doc_id.encode("utf-8", "surrogatepass")) <= MAX_ID_BYTES and 1 <= page <= MAX_PAGE_NUMBER:
        hits = engine.search(
            query={"bool": {"filter": [{"term": {"doc_id": doc_id}}, {"term": {"page": page}}]}},
            sort=[{"position": "asc"}],
            size=1,
            _source=["page_image"],
        )["hits"]["hits"]
        encoded = hits[0]["_source"].get("page_image") if hits else None
    if not encoded:
        message = _l(
            "There is no picture of page %(page)d of “%(id)s” (only pages read by OCR have one).",
            page=page,
            id=doc_id,
        )
        raise SearchError(404, ErrorCode.NOT_FOUND, message)
    return base64.b64decode(encoded)


def _passages(engine: Engine, doc_id: str | None, extra: dict) -> list[dict]:
    if doc_id is None:
        return []
    return engine.search(
        query={"term": {"doc_id": doc_id}},
        sort=[{"position": "asc"}],
        size=10_000,
        _source=SOURCE_FIELDS,
        **extra,
    )["hits"]["hits"]


def _by_record_id(engine: Engine, record_id: str) -> str | None:
    """The internal id of the one document whose record had the id ``record_id``. None when none has;
    a 404 naming them when several have (the same record id in two ``--collection``s)."""
    aggs = {"ids": {"terms": {"field": "doc_id", "size": 5}}}
    answer = engine.search(query={"term": {"record_id": record_id}}, size=0, aggs=aggs)
    doc_ids = [bucket["key"] for bucket in answer["aggregations"]["ids"]["buckets"]]
    if len(doc_ids) > 1:
        message = _l(
            "Several documents had the record id “%(id)s”: %(ids)s. Use one of these ids.",
            id=record_id,
            ids=", ".join(doc_ids),
        )
        raise SearchError(404, ErrorCode.NOT_FOUND, message)
    return doc_ids[0] if doc_ids else None


def similar(engine: Engine, model: QueryModel, passage_id: str, size: int = 10) -> dict:
    """Documents close in meaning to a passage: one result per document, best passage first.

    Never the passage's own document nor a near-duplicate version of it (its ``dup_group``), and one
    result per near-duplicate group among the rest. Each result has its ``rank``, its cosine
    ``similarity`` (the ``score``) and a ``relative_score`` (min-max over the list: 1 the closest,
    0 the farthest shown), since nearest neighbours' raw similarities are often a few hundredths apart.
    """
    if not 1 <= size <= MAX_SIZE:
        raise SearchError(400, ErrorCode.INVALID_SIZE, range_message("size", 1, MAX_SIZE), parameter="size")
    if (
        len(passage_id.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES
    ):  # was a 500: the GET line was too long
        message = _l(
            "There is no passage with that id (ids are at most %(limit)d bytes).", limit=MAX_ID_BYTES
        )
        raise SearchError(404, ErrorCode.NOT_FOUND, message)
    try:
        source = engine.es.get(index=engine.index, id=passage_id, source=SOURCE_FIELDS)["_source"]
    except NotFoundError:
        message = _l("There is no passage with the id “%(id)s” in the archive.", id=passage_id)
        raise SearchError(404, ErrorCode.NOT_FOUND, message) from None
    except ENGINE_ERRORS as exc:
        raise engine.error(exc) from None
    model.check()
    vector = model.embedder.encode_passages([source["text"]])[0].tolist()
    own = [{"term": {"doc_id": source["doc_id"]}}]
    if source.get("dup_group"):
        own.append({"term": {"dup_group": source["dup_group"]}})
    k = min(MAX_NUM_CANDIDATES, size * SIMILAR_OVERFETCH)
    while True:
        knn = {
            "field": "vector",
            "query_vector": vector,
            "k": k,
            "num_candidates": min(MAX_NUM_CANDIDATES, max(100, k * 2)),
            "filter": {"bool": {"must_not": own}},
        }
        hits = engine.search(knn=knn, size=k, _source=SOURCE_FIELDS)["hits"]["hits"]
        picked = distinct_documents(hits, size)
        if len(picked) == size or len(hits) < k or k >= MAX_NUM_CANDIDATES:
            break
        k = min(MAX_NUM_CANDIDATES, k * 4)  # a few documents filled the window: read further
    similarities = [cosine_from_score(float(h["_score"])) for h in picked]
    results = []
    for rank, (h, similarity) in enumerate(zip(picked, similarities, strict=True), 1):
        found = result_row([(h["_id"], h["_source"], similarity)], similarity)
        found.update(rank=rank, relative_score=relative_score(similarity, similarities))
        results.append(found)
    passage = {name: source.get(name) for name in DOC_FIELDS}
    passage.update(
        passage_id=passage_id,
        position=source.get("position"),
        paragraph=paragraph_number(source.get("position")),
        text=source.get("text"),
    )
    passage.update(page_fields(source))
    return {"passage_id": passage_id, "passage": passage, "results": results}


def distinct_documents(hits: list[dict], size: int) -> list[dict]:
    """The first ``size`` hits of distinct documents and distinct near-duplicate groups, in order."""
    seen: set[str] = set()
    picked: list[dict] = []
    for h in hits:
        keys = {h["_source"]["doc_id"], h["_source"].get("dup_group") or h["_source"]["doc_id"]}
        if keys & seen:
            continue
        seen |= keys
        picked.append(h)
        if len(picked) == size:
            break
    return picked


def cosine_from_score(score: float) -> float:
    """A similar passage's cosine (``relatedness.cosine_of``), rounded: it spreads wider than the score."""
    return round(cosine_of(score), 6)


def relative_score(value: float, values: list[float]) -> float:
    """``value`` min-max scaled over ``values``: 1 the highest, 0 the lowest (1 when all are equal)."""
    low, high = min(values), max(values)
    return 1.0 if high <= low else round((value - low) / (high - low), 4)
