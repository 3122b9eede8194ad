"""Make the near-duplicate groups of a split run what one sequential run would have made.

Why: a group id is the doc_id of the first document of the group that was indexed
(``indexer.near_duplicates``). One process indexes in input order, so that is well defined; shards
indexed at the same time (``--workers N``, or ``--shard i/N`` on several machines) race: two copies of
a story in different shards may both be written before either is searchable (two groups), or the later
one in input order may be written first and name the group. Which answer comes out depends on timing.

This pass replays the grouping in input order from what is stored — the MinHash each first passage
carries (``dup_signature``), no text, no model — and rewrites ``dup_group`` where it differs. A document
of the run is compared, as in a sequential run, with the run's documents before it in input order and
with stored documents outside the run; documents of the run not replayed yet are left out of the stored
candidates. So the result no longer depends on how the run was split or how the shards were timed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from elasticsearch import Elasticsearch, helpers

from arsip.settings import Settings
from indexer.near_duplicates import (
    GROUP_FIELD,
    RUN_WINDOW,
    SIGNATURE_FIELD,
    ElasticsearchLookup,
    NearDuplicateFields,
    NearDuplicateGrouper,
    StoredDocument,
    decode_signature,
)

BATCH = 64  # documents per mget / lookup round trip (the indexer's LOOKUP_BATCH)


@dataclass
class RegroupSummary:
    documents: int = 0  # documents of the run found in the index with a signature
    changed: int = 0  # of those, documents whose group was rewritten
    passages_updated: int = 0

    def render(self) -> str:
        return (
            f"near-duplicate groups: {self.documents} documents replayed in input order, "
            f"{self.changed} regrouped ({self.passages_updated} passages updated)"
        )


class _LookupOutsidePending:
    """The stored-candidate lookup, without the run's documents that are not replayed yet."""

    def __init__(self, lookup: ElasticsearchLookup, pending: set[str]) -> None:
        self.lookup = lookup
        self.pending = pending

    def __call__(self, keys: list[str], batch_ids: set[str]) -> list[StoredDocument]:
        return [doc for doc in self.lookup(keys, batch_ids) if doc.doc_id not in self.pending]


def _batches(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _rewrite(es: Elasticsearch, index: str, changes: dict[str, NearDuplicateFields]) -> int:
    """Write the passages of regrouped documents again, whole, with their new group.

    Not a partial update: the index keeps the vector and the band keys out of ``_source``, and an update
    rebuilds the document from ``_source``, which would drop them. The vector is read back from its doc
    values (the float values as written) and the band keys come from the signature.
    """
    actions = []
    hits = helpers.scan(
        es,
        index=index,
        query={"query": {"terms": {"doc_id": sorted(changes)}}, "docvalue_fields": ["vector"]},
    )
    for hit in hits:
        source = hit["_source"]
        fields = changes[source["doc_id"]].passage_fields(int(source["position"]))
        vector = hit.get("fields", {}).get("vector")
        if not vector:  # nothing to write it back with: leave the passage as it is
            continue
        actions.append(
            {"_op_type": "index", "_id": hit["_id"], "_source": {**source, **fields, "vector": vector[0]}}
        )
    written, _ = helpers.bulk(es, actions, index=index, max_retries=6, initial_backoff=1)
    return written


def regroup(es: Elasticsearch, index: str, settings: Settings, doc_ids: Iterable[str]) -> RegroupSummary:
    """Replay the near-duplicate grouping of ``doc_ids`` (the run's documents, in input order)."""
    summary = RegroupSummary()
    order = list(dict.fromkeys(doc_ids))  # a repeated id counts where it first came
    pending = set(order)
    es.indices.refresh(index=index)  # what the shards wrote last must be searchable
    # Every lookup refreshes: rewritten groups of documents that left the in-memory window must be
    # found with their new group (an index being rebuilt does not refresh itself).
    grouper = NearDuplicateGrouper(
        threshold=settings.near_dup_threshold,
        lookup=_LookupOutsidePending(ElasticsearchLookup(es, index, refresh=True), pending),
        window=RUN_WINDOW,
    )
    for ids in _batches(order):
        hits = es.mget(
            index=index,
            ids=[f"{doc_id}:0" for doc_id in ids],
            source=[SIGNATURE_FIELD, GROUP_FIELD],
        )["docs"]
        batch, stored = [], {}
        for doc_id, hit in zip(ids, hits, strict=True):
            source = hit.get("_source") or {}
            minhash = decode_signature(source[SIGNATURE_FIELD]) if source.get(SIGNATURE_FIELD) else None
            if not hit.get("found") or minhash is None:
                continue  # not written (failed), or no words to compare: its own group already
            batch.append((doc_id, minhash))
            stored[doc_id] = source.get(GROUP_FIELD)
        groups = grouper.assign_signatures(batch)
        pending.difference_update(ids)
        changes = {}
        for doc_id, _ in batch:
            summary.documents += 1
            if groups[doc_id].group != stored[doc_id]:
                changes[doc_id] = groups[doc_id]
        if changes:
            summary.changed += len(changes)
            summary.passages_updated += _rewrite(es, index, changes)
    es.indices.refresh(index=index)
    return summary
