"""Split one indexing job into N disjoint shards: ``--shard i/N`` on N machines, or ``--workers N`` here.

Every item the readers yield belongs to exactly one shard, decided by a stable hash of its document id
(a read error or a skipped file has no id: its path and record number stand in). Document ids do not
depend on where the archive is mounted (``indexer.readers.ids``), so machines that see the same archive
at different paths still agree on who indexes what; a rerun of a shard takes the same documents again,
and because passage ids are deterministic, rerunning any shard is safe.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from indexer.documents import SourceDocument
from indexer.readers import ReadError

_SHARD_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Shard ``number`` (1-based) of ``count``; ``Shard(1, 1)`` is the whole job."""

    number: int
    count: int
    salt: str = ""  # local workers split a machine's shard again with their own salt (independent hash)

    def __post_init__(self) -> None:
        if self.count < 1 or not 1 <= self.number <= self.count:
            raise ValueError(f"a shard is i/N with 1 ≤ i ≤ N, got {self.number}/{self.count}")

    @classmethod
    def parse(cls, raw: str) -> Shard:
        """``"2/3"`` → ``Shard(2, 3)``; a clear error for anything else."""
        match = _SHARD_RE.match(raw)
        if not match:
            raise ValueError(f"--shard expects i/N (e.g. 1/3), got {raw!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def whole(self) -> bool:
        return self.count == 1

    def __str__(self) -> str:
        return f"{self.number}/{self.count}"

    def owns(self, item: SourceDocument | ReadError) -> bool:
        return self.whole or shard_of(self.salt + item_key(item), self.count) == self.number


WHOLE = Shard(1, 1)


def select(
    items: Iterable[SourceDocument | ReadError], shards: Iterable[Shard]
) -> Iterator[SourceDocument | ReadError]:
    """The items, in input order, that all ``shards`` own (a machine's shard, then a worker's part)."""
    wanted = [shard for shard in shards if not shard.whole]
    return (item for item in items if all(shard.owns(item) for shard in wanted))


def item_key(item: SourceDocument | ReadError) -> str:
    """What decides an item's shard: the document id, else where the error happened."""
    if isinstance(item, SourceDocument):
        return item.doc_id
    return f"\x00{item.path}#{item.record if item.record is not None else ''}"


def shard_of(key: str, count: int) -> int:
    """The 1-based shard of ``key`` among ``count``: a hash that is the same in every process and
    Python version (``hash()`` is salted per process, so it would not do)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count + 1
