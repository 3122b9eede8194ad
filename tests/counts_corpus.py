"""A corpus with thousands of matching documents, written straight into the passage index (no vectors:
keyword searches only), whose distinct-document counts are known by construction.

Document ``i`` (``doc-000000`` …) has ``1 + i % 3`` passages; it holds the word ``kpk`` unless
``i % 7 == 3`` (then ``polisi``); its source is ``s{i // 1000}``. So ``kpk`` matches ``matching(n)`` of the
first ``n`` documents: 857 of source s0, 1,714 of s0 or s1 (where the old cardinality count said 1,713).
"""

from __future__ import annotations

from elasticsearch import Elasticsearch, helpers

from arsip.index_admin import ensure_index
from arsip.model.identity import ModelIdentity

DOCUMENTS = 3_000
WORDS = ["banjir", "jalan", "warga", "kota", "rumah", "sekolah", "pasar", "harga", "hujan", "dinas"]


def matching(documents: int) -> int:
    return sum(1 for i in range(documents) if i % 7 != 3)


def passage_actions(documents: int):
    for i in range(documents):
        doc_id = f"doc-{i:06d}"
        word = "kpk" if i % 7 != 3 else "polisi"
        n = 1 + i % 3
        for position in range(n):
            passage_id = f"{doc_id}-{position}"
            yield {
                "_id": passage_id,
                "_source": {
                    "passage_id": passage_id,
                    "doc_id": doc_id,
                    "position": position,
                    "n_passages": n,
                    "title": f"Kabar {i}",
                    "text": f"{word} {WORDS[i % len(WORDS)]} {WORDS[(i + position) % len(WORDS)]} nomor {i}",
                    "source": f"s{i // 1000}",
                },
            }


def write_corpus(es: Elasticsearch, alias: str, identity: ModelIdentity, documents: int = DOCUMENTS) -> None:
    ensure_index(es, alias, identity)
    helpers.bulk(es, passage_actions(documents), index=alias, chunk_size=2_000, refresh="wait_for")
