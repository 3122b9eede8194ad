"""Removing documents from the index: by id, source, collection or any query, and pruning after a run.

A document is all its passages (``doc_id``); a removal lists their ids and deletes them with bulk
``delete`` actions (the Elasticsearch distribution arsip runs has no ``_delete_by_query``: its reindex
module is not there), then refreshes, so searches, counts, saved-search alerts, feeds and ``/similar``
stop returning them at once (they all read the live index). Nothing else is re-embedded.

*Pruning* keeps an index in sync with an input that lost records: after a run, the documents of the
run's *scope* (``prune_scope``: its ``--collection``, else its ``--source``, else the files and folders
it read) whose ids the run did not see are removed (``prune``). A run with failures prunes nothing: a
record that could not be read this time must not lose its indexed version.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from elasticsearch import Elasticsearch, helpers

ID_CHUNK = 1_000  # ids per delete_by_query terms clause
SCAN_PAGE = 5_000  # doc_ids per composite page while listing a scope


@dataclass
class Removal:
    """What a removal did: documents and passages deleted, and the removed documents' ids."""

    documents: int = 0
    passages: int = 0
    doc_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"documents": self.documents, "passages": self.passages, "doc_ids": self.doc_ids}


def documents_query(
    *,
    ids: Iterable[str] = (),
    source: str | None = None,
    collection: str | None = None,
    query: dict | None = None,
) -> dict:
    """The passages of the documents with any of ``ids`` (stored ``doc_id`` or the record's own
    ``record_id``), in ``source`` and ``collection``, matching ``query``: all given parts must hold."""
    ids = list(ids)
    clauses: list[dict] = []
    if ids:
        clauses.append({"bool": {"should": [{"terms": {"doc_id": ids}}, {"terms": {"record_id": ids}}]}})
    if source:
        clauses.append({"term": {"source": source}})
    if collection:
        clauses.append({"term": {"collection": collection}})
    if query:
        clauses.append(query)
    if not clauses:
        raise ValueError("name the documents to delete: ids, a source, a collection or a query")
    return {"bool": {"filter": clauses}}


def delete_documents(es: Elasticsearch, index: str, query: dict, *, dry_run: bool = False) -> Removal:
    """Delete every passage of every document with a passage matching ``query`` (``documents_query``).

    A query on the text may match some passages of a document only; the whole document goes. With
    ``dry_run`` nothing is deleted and the figures say what would be.
    """
    doc_ids = list(_doc_ids(es, index, query))
    return delete_ids(es, index, doc_ids, dry_run=dry_run)


def delete_ids(es: Elasticsearch, index: str, doc_ids: list[str], *, dry_run: bool = False) -> Removal:
    """Delete the documents ``doc_ids`` (all their passages); refreshed before it returns."""
    removal = Removal(documents=len(doc_ids), doc_ids=list(doc_ids))
    for start in range(0, len(doc_ids), ID_CHUNK):
        passage_ids = list(_passage_ids(es, index, doc_ids[start : start + ID_CHUNK]))
        if not dry_run and passage_ids:
            actions = ({"_op_type": "delete", "_index": index, "_id": pid} for pid in passage_ids)
            helpers.bulk(es, actions, raise_on_error=False)
        removal.passages += len(passage_ids)
    if not dry_run and doc_ids:
        es.indices.refresh(index=index)
    return removal


def _passage_ids(es: Elasticsearch, index: str, doc_ids: list[str]) -> Iterator[str]:
    """The ids of every passage of ``doc_ids``, in ``passage_id`` order (``search_after`` pages)."""
    after = None
    while True:
        hits = es.search(
            index=index,
            query={"terms": {"doc_id": doc_ids}},
            size=SCAN_PAGE,
            sort=[{"passage_id": "asc"}],
            source=False,
            track_total_hits=False,
            search_after=after,
        )["hits"]["hits"]
        yield from (hit["_id"] for hit in hits)
        if len(hits) < SCAN_PAGE:
            return
        after = hits[-1]["sort"]


def _doc_ids(es: Elasticsearch, index: str, query: dict) -> Iterator[str]:
    """Every distinct ``doc_id`` with a passage matching ``query`` (composite paging: exact at any size)."""
    after = None
    while True:
        composite: dict = {"size": SCAN_PAGE, "sources": [{"doc_id": {"terms": {"field": "doc_id"}}}]}
        if after:
            composite["after"] = after
        answer = es.search(index=index, size=0, query=query, aggs={"ids": {"composite": composite}})
        ids = answer["aggregations"]["ids"]
        for bucket in ids["buckets"]:
            yield bucket["key"]["doc_id"]
        after = ids.get("after_key")
        if len(ids["buckets"]) < SCAN_PAGE or not after:
            return


def prune_scope(paths: list[str], collection: str | None, source: str | None) -> dict:
    """The documents a pruning run answers for: its collection, else its source, else what it read
    (a file's documents by their ``path``, a folder's by the path prefix, as the run spells them)."""
    if collection:
        return {"term": {"collection": collection}}
    if source:
        return {"term": {"source": source}}
    if "-" in paths:
        raise ValueError(
            "--prune with stdin needs --collection or --source: which documents does it answer for?"
        )
    clauses = [
        {"prefix": {"path": str(Path(p)).rstrip("/") + "/"}}
        if Path(p).is_dir()
        else {"term": {"path": str(p)}}
        for p in paths
    ]
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def prune(es: Elasticsearch, index: str, scope: dict, seen: set[str], *, dry_run: bool = False) -> Removal:
    """Remove the documents in ``scope`` whose ids are not in ``seen`` (the ids a run read)."""
    gone = [doc_id for doc_id in _doc_ids(es, index, scope) if doc_id not in seen]
    return delete_ids(es, index, gone, dry_run=dry_run)
