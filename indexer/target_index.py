"""The physical index a run writes: prepared before it (found, made, or made fresh to rebuild), finished
after it (refresh; a rebuild also gets its replicas and the alias), dropped when a rebuild failed.

Apart from the run because a split run (``indexer.workers``) prepares in worker 1 and finishes in the
parent process, while each worker only writes.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace

from elasticsearch import Elasticsearch

from arsip import index_admin
from arsip.entities.model_file import MODEL_VERSION as ENTITY_MODEL_VERSION
from arsip.model.identity import ModelIdentity
from arsip.settings import Settings
from indexer.cleaning import CLEANING_VERSION
from indexer.sharding import Shard

SHARD_WAIT_S = 600.0  # how long a shard other than 1 waits for shard 1 to create the index


def prepare_target(
    es: Elasticsearch,
    settings: Settings,
    identity: ModelIdentity,
    rebuild: bool = False,
    shards: tuple[Shard, ...] = (),
) -> str:
    """The physical index this run writes: the alias's (made if missing), or a new one to rebuild.

    ``identity`` is the model's, recorded in the index. Only one process may make the index: of a
    split run, shard 1 does; the other shards wait for it.
    """
    alias = settings.index
    options = replace(
        index_admin.IndexOptions.from_settings(settings),
        cleaning_version=CLEANING_VERSION,
        entity_model=ENTITY_MODEL_VERSION if settings.entities else None,
    )
    if any(shard.number != 1 for shard in shards):
        if rebuild:
            raise RuntimeError("--rebuild cannot be split into shards: rebuild with --workers N")
        _wait_for_alias(es, alias)
    if not rebuild:
        return index_admin.ensure_index(es, alias, identity, options)
    # replicas are added when the rebuild is done (finish_target): copying while writing is wasted work
    name = index_admin.create_physical_index(es, alias, identity, replace(options, replicas=0))
    es.indices.put_settings(index=name, settings={"index": {"refresh_interval": "-1"}})
    return name


def _wait_for_alias(es: Elasticsearch, alias: str, timeout_s: float = SHARD_WAIT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not index_admin.alias_targets(es, alias):
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the index {alias!r} does not exist: shard 1 creates it; start it first "
                f"(waited {timeout_s:.0f}s)"
            )
        time.sleep(2)


def cleaning_note(es: Elasticsearch, target: str) -> list[str]:
    """A note when the index was made with other text rules than the ones this run applies."""
    made_with = index_admin.index_meta(es, target).get("cleaning_version") or 1
    if made_with == CLEANING_VERSION:
        return []
    return [
        f"the index was made with cleaning version {made_with}, this run cleans with {CLEANING_VERSION}: "
        "documents it re-indexed get the new rules, the others keep their text; "
        "`arsip index ... --rebuild` applies them to all (docs/cleaning.md)"
    ]


def entities_note(es: Elasticsearch, settings: Settings, target: str) -> list[str]:
    """A note when the index's passages were tagged by another entity model (or none) than this run's."""
    made_with = index_admin.index_meta(es, target).get("entity_model")
    now = ENTITY_MODEL_VERSION if settings.entities else None
    if made_with == now:
        return []
    return [
        f"the index was made with entity model {made_with or 'none'}, this run uses {now or 'none'}: "
        "documents it re-indexed get its entities, the others keep theirs; "
        "`arsip index ... --rebuild` tags all (docs/entities.md)"
    ]


def finish_target(es: Elasticsearch, settings: Settings, target: str, rebuild: bool) -> None:
    """Make what a run wrote searchable: refresh; a rebuild also gets replicas and the alias."""
    if rebuild:
        es.indices.put_settings(
            index=target,
            settings={"index": {"refresh_interval": "1s", "number_of_replicas": settings.es_replicas}},
        )
        es.indices.refresh(index=target)
        for old in index_admin.swap_alias(es, settings.index, target):
            es.indices.delete(index=old)
    else:
        es.indices.refresh(index=target)


def drop_unfinished_rebuild(es: Elasticsearch, name: str) -> None:
    """A rebuild that did not finish never got the alias; remove it rather than leave an orphan."""
    with contextlib.suppress(Exception):  # best effort: the engine may be what failed
        es.indices.delete(index=name)
