"""Near-duplicate groups: syndicated copies of one story or release share a ``dup_group`` id.

How it works (measured and justified in docs/near_duplicates.md):
- A document's cleaned text becomes a set of word shingles (5 consecutive lower-cased words); a MinHash
  (datasketch, 128 permutations) estimates the Jaccard similarity of two such sets.
- The MinHash is cut into LSH bands; each band is hashed into a short *band key*. Two documents with a
  Jaccard of 0.5 share at least one band key with probability ~0.87, two unrelated ones almost never.
- Band keys are stored in the index (``dup_bands``, on a document's first passage) so documents indexed
  in earlier runs are found with one ``terms`` query per batch; documents of the current run are found in
  an in-memory ``MinHashLSH`` (the last few thousand, which may not be searchable yet).
- A candidate counts only when the estimated Jaccard of the two signatures (``dup_signature``, stored
  beside the bands) reaches the threshold; the document then joins the group of its most similar
  candidate. Otherwise it starts its own group, named by its own doc_id. So a group id is the doc_id of
  the first document of the group that was indexed, and indexing never relabels documents already stored.

The LSH bands are fixed (they do not depend on the threshold), so the threshold can be changed without
invalidating what is stored; changing the shingle size or the number of permutations changes the band
tag, and documents indexed before match only after ``arsip index --rebuild``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash, MinHashLSH

from arsip.settings import Settings

SHINGLE_WORDS = 5  # words per shingle
NUM_PERM = 128  # MinHash permutations: Jaccard estimate error ~0.04 at 0.5
BANDS, ROWS = 32, 4  # 32 bands of 4 rows: P(candidate) = 1 - (1 - J^4)^32, 0.87 at J=0.5, 0.23 at J=0.3
SEED = 1
SCHEME = "affine32"
# Estimated Jaccard a document needs to join a group (ARSIP_NEAR_DUP_THRESHOLD).
DEFAULT_THRESHOLD = Settings.near_dup_threshold
RUN_WINDOW = 5000  # run documents kept in memory (~11 KiB each); writes lag far fewer behind
MAX_STORED_CANDIDATES = 1000  # stored documents fetched per batch; more only when bands are very common

# Fields written into the index (mappings/passages.json).
GROUP_FIELD = "dup_group"  # on every passage: the group id (a doc_id)
BANDS_FIELD = "dup_bands"  # on position 0: the LSH band keys
SIGNATURE_FIELD = "dup_signature"  # on position 0: the MinHash values, base64 uint32

WORD_RE = re.compile(r"\w+")


def params_tag(shingle_words: int = SHINGLE_WORDS) -> str:
    """Band keys start with a tag of the parameters that made them: keys of other parameters never match."""
    params = f"{shingle_words}/{NUM_PERM}/{BANDS}x{ROWS}/{SEED}/{SCHEME}"
    return hashlib.blake2b(params.encode(), digest_size=2).hexdigest()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of ``size``-word shingles of the lower-cased words; a shorter text is one shingle."""
    words = WORD_RE.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


# The permutations drawn once (drawing them costs as much as hashing a whole article).
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def signature(text: str, shingle_words: int = SHINGLE_WORDS) -> MinHash:
    """The MinHash of the document's shingle set."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_PERMUTATIONS)
    minhash.update_batch(shingles(text, shingle_words))
    return minhash


def band_keys(minhash: MinHash, tag: str) -> list[str]:
    """One short keyword per LSH band: parameter tag, band number, 64-bit hash of the band's rows."""
    values = minhash.hashvalues
    return [
        f"{tag}{band:02x}"
        + hashlib.blake2b(values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8).hexdigest()
        for band in range(BANDS)
    ]


def encode_signature(minhash: MinHash) -> str:
    return base64.b64encode(minhash.hashvalues.astype("<u4").tobytes()).decode("ascii")


def decode_signature(encoded: str) -> MinHash | None:
    """The stored MinHash, or None when it was made with other parameters (or is damaged)."""
    try:
        values = np.frombuffer(base64.b64decode(encoded), dtype="<u4")
    except ValueError:
        return None
    if len(values) != NUM_PERM:
        return None
    return MinHash(seed=SEED, hashvalues=values, permutations=_PERMUTATIONS, scheme=SCHEME)


@dataclass(frozen=True)
class StoredDocument:
    """A document already in the index that shares a band key with the batch."""

    doc_id: str
    group: str
    signature: str


# (band keys of the batch, doc ids of the batch) -> stored documents sharing a band key
StoredLookup = Callable[[list[str], set[str]], list[StoredDocument]]


@dataclass(frozen=True)
class NearDuplicateFields:
    """What one document writes into the index."""

    group: str
    bands: list[str]
    signature: str
    similarity: float | None = None  # estimated Jaccard with the document it joined (None: new group)

    def passage_fields(self, position: int) -> dict:
        """Fields of one passage: the group everywhere, the bands and signature on the first only."""
        if position == 0 and self.signature:
            return {GROUP_FIELD: self.group, BANDS_FIELD: self.bands, SIGNATURE_FIELD: self.signature}
        return {GROUP_FIELD: self.group}


@dataclass
class NearDuplicateGrouper:
    """Assigns groups batch by batch, remembering the run's latest documents to find run-mates.

    ``lookup`` finds stored documents of earlier runs (``ElasticsearchLookup``); without it only the
    documents given to this grouper are compared (as the measurement script does). ``window`` bounds
    how many of the run's documents stay in memory (~11 KiB each): it only has to cover documents not
    yet searchable in the index; None keeps them all.
    """

    threshold: float = DEFAULT_THRESHOLD
    lookup: StoredLookup | None = None
    window: int | None = None
    shingle_words: int = SHINGLE_WORDS
    _tag: str = field(init=False)
    _lsh: MinHashLSH = field(init=False)
    # doc_id → (group, MinHash values), oldest first
    _members: OrderedDict[str, tuple[str, np.ndarray]] = field(init=False, default_factory=OrderedDict)

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"the near-duplicate threshold must be in (0, 1], got {self.threshold}")
        self._tag = params_tag(self.shingle_words)
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))

    def assign(self, documents: Iterable[tuple[str, str]]) -> dict[str, NearDuplicateFields]:
        """Group a batch of ``(doc_id, cleaned text)``; earlier documents of the batch come first."""
        return self.assign_signatures(
            (doc_id, signature(text, self.shingle_words)) for doc_id, text in documents
        )

    def assign_signatures(self, documents: Iterable[tuple[str, MinHash]]) -> dict[str, NearDuplicateFields]:
        """``assign`` for documents whose MinHash is known (the stored ``dup_signature``: indexer.regroup)."""
        batch = list(documents)
        keys = {doc_id: band_keys(minhash, self._tag) for doc_id, minhash in batch if not minhash.is_empty()}
        stored = self._stored_candidates(keys)
        result: dict[str, NearDuplicateFields] = {}
        for doc_id, minhash in batch:
            if minhash.is_empty():  # no words at all: nothing to compare, a group of its own
                result[doc_id] = NearDuplicateFields(doc_id, [], "")
                continue
            group, similarity = self._best_group(doc_id, minhash, keys[doc_id], stored)
            self._remember(doc_id, group, minhash)
            result[doc_id] = NearDuplicateFields(group, keys[doc_id], encode_signature(minhash), similarity)
        return result

    def _remember(self, doc_id: str, group: str, minhash: MinHash) -> None:
        if doc_id in self._members:  # the same id again in this run: its newer text counts
            self._lsh.remove(doc_id)
            del self._members[doc_id]
        self._members[doc_id] = (group, minhash.hashvalues)
        self._lsh.insert(doc_id, minhash, check_duplication=False)
        while self.window is not None and len(self._members) > self.window:
            oldest, _ = self._members.popitem(last=False)
            self._lsh.remove(oldest)

    def _stored_candidates(
        self, keys: dict[str, list[str]]
    ) -> dict[str, list[tuple[StoredDocument, np.ndarray]]]:
        """Band key → stored documents carrying it (one lookup for the whole batch)."""
        if self.lookup is None or not keys:
            return {}
        wanted = {key for doc_keys in keys.values() for key in doc_keys}
        by_key: dict[str, list[tuple[StoredDocument, np.ndarray]]] = {}
        for stored in self.lookup(sorted(wanted), set(keys)):
            minhash = decode_signature(stored.signature)
            if minhash is None:
                continue
            for key in set(band_keys(minhash, self._tag)) & wanted:
                by_key.setdefault(key, []).append((stored, minhash.hashvalues))
        return by_key

    def _best_group(
        self,
        doc_id: str,
        minhash: MinHash,
        keys: list[str],
        stored: dict[str, list[tuple[StoredDocument, np.ndarray]]],
    ) -> tuple[str, float | None]:
        candidates: dict[str, tuple[str, np.ndarray]] = {}  # candidate doc_id → (group, MinHash values)
        for key in keys:
            for document, values in stored.get(key, ()):
                if document.doc_id != doc_id:
                    candidates[document.doc_id] = (document.group, values)
        for other in self._lsh.query(minhash):  # this run's documents win over their stored versions
            if other != doc_id:
                candidates[other] = self._members[other]
        best: tuple[float, str] | None = None
        for group, values in candidates.values():
            similarity = estimated_jaccard(minhash.hashvalues, values)
            # the most similar; on a tie the smaller group id, so the answer never depends on set order
            if similarity >= self.threshold and (best is None or (-similarity, group) < (-best[0], best[1])):
                best = (similarity, group)
        if best is None:
            return doc_id, None
        return best[1], best[0]


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The share of equal MinHash values (what ``MinHash.jaccard`` computes), without the objects."""
    return float(np.count_nonzero(a == b)) / len(a)


class ElasticsearchLookup:
    """Finds stored first passages sharing a band key: one ``terms`` search per batch."""

    def __init__(
        self, es, index: str, *, refresh: bool = False, max_hits: int = MAX_STORED_CANDIDATES
    ) -> None:
        self.es = es
        self.index = index
        self.refresh = refresh  # for an index that does not refresh itself (a rebuild: refresh_interval -1)
        self.max_hits = max_hits

    def __call__(self, keys: list[str], batch_ids: set[str]) -> list[StoredDocument]:
        if self.refresh:
            self.es.indices.refresh(index=self.index)
        response = self.es.search(
            index=self.index,
            size=self.max_hits,
            query={
                "bool": {
                    "filter": [{"terms": {BANDS_FIELD: keys}}, {"term": {"position": 0}}],
                    "must_not": [{"terms": {"doc_id": sorted(batch_ids)}}],
                }
            },
            source=["doc_id", GROUP_FIELD, SIGNATURE_FIELD],
            sort=[{"doc_id": "asc"}],
        )
        found = []
        for hit in response["hits"]["hits"]:
            source = hit["_source"]
            if source.get(SIGNATURE_FIELD) and source.get("doc_id"):
                group = source.get(GROUP_FIELD) or source["doc_id"]
                found.append(StoredDocument(source["doc_id"], group, source[SIGNATURE_FIELD]))
        return found


def grouper_for_run(es, index: str, settings: Settings, *, rebuild: bool) -> NearDuplicateGrouper | None:
    """The grouper an indexing run uses (None when ``ARSIP_NEAR_DUP=0``).

    A rebuild fills an index that does not refresh itself, so its lookups refresh it first; the run's
    own documents that are not written yet are found in memory.
    """
    if not settings.near_dup:
        return None
    return NearDuplicateGrouper(
        threshold=settings.near_dup_threshold,
        lookup=ElasticsearchLookup(es, index, refresh=rebuild),
        window=RUN_WINDOW,
    )
