"""Create and inspect the passage index behind its alias; guard against a model mismatch.

Searches and writes always go through the alias (``ARSIP_INDEX``); the physical index has a timestamped
name so a rebuild can fill a fresh one and swap the alias atomically.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from elasticsearch import Elasticsearch, NotFoundError

from arsip.embedding import ModelIdentity
from arsip.settings import MAPPINGS_DIR

MAPPING_VERSION = 2  # 2: stop words dropped from unquoted keyword queries (search analyzer)
DEFAULT_STOPWORDS = "_indonesian_"


class ModelMismatch(RuntimeError):
    """The index was embedded with another model than the one configured now."""


class IndexMissing(RuntimeError):
    """No index (alias) exists yet: nothing has been indexed."""


def load_index_body(identity: ModelIdentity, replicas: int = 0, stopwords: str = DEFAULT_STOPWORDS) -> dict:
    """The index settings + mappings from ``mappings/passages.json``, sized for the model.

    ``stopwords`` (``ARSIP_STOPWORDS``) fills the search analyzer: a predefined list such as
    ``_indonesian_`` or ``_none_``, or comma-separated words. The index analyzer keeps every word, so
    quoted phrases stay exact and the list can differ per index.
    """
    body = json.loads((MAPPINGS_DIR / "passages.json").read_text(encoding="utf-8"))
    body["settings"]["number_of_replicas"] = replicas
    body["settings"]["analysis"]["analyzer"]["arsip_text_search"]["stopwords"] = stopword_setting(stopwords)
    body["mappings"]["properties"]["vector"]["dims"] = identity.dimension
    body["mappings"]["_meta"] = {
        "model": identity.as_dict(),
        "mapping_version": MAPPING_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return body


def stopword_setting(stopwords: str) -> str | list[str]:
    """``_name_`` stays a predefined list; anything else is a comma-separated word list."""
    value = stopwords.strip()
    if value.startswith("_") and value.endswith("_"):
        return value
    words = [w.strip().lower() for w in value.split(",") if w.strip()]
    return words or "_none_"


def new_physical_name(alias: str) -> str:
    return f"{alias}-{time.strftime('%Y%m%d-%H%M%S')}-{int(time.time() * 1000) % 1000:03d}"


def create_physical_index(
    es: Elasticsearch,
    alias: str,
    identity: ModelIdentity,
    replicas: int = 0,
    stopwords: str = DEFAULT_STOPWORDS,
) -> str:
    name = new_physical_name(alias)
    es.indices.create(index=name, body=load_index_body(identity, replicas, stopwords))
    return name


def alias_targets(es: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(es.indices.get_alias(name=alias).keys())
    except NotFoundError:
        return []


def ensure_index(
    es: Elasticsearch,
    alias: str,
    identity: ModelIdentity,
    replicas: int = 0,
    stopwords: str = DEFAULT_STOPWORDS,
) -> str:
    """Return the physical index behind ``alias``, creating both if needed; check the model."""
    targets = alias_targets(es, alias)
    if targets:
        check_model(es, alias, identity)
        return targets[0]
    if es.indices.exists(index=alias):
        raise RuntimeError(f"{alias!r} is a concrete index, not an alias; delete or rename it first.")
    name = create_physical_index(es, alias, identity, replicas, stopwords)
    es.indices.put_alias(index=name, name=alias)
    return name


def index_model(es: Elasticsearch, alias: str) -> dict | None:
    """The model identity stored in the index's ``_meta`` (None if the alias does not exist)."""
    try:
        mappings = es.indices.get_mapping(index=alias)
    except NotFoundError:
        return None
    meta = next(iter(mappings.body.values()))["mappings"].get("_meta", {})
    return meta.get("model")


def check_model(es: Elasticsearch, alias: str, identity: ModelIdentity) -> None:
    stored = index_model(es, alias)
    if stored is None:
        raise IndexMissing(f"The index {alias!r} does not exist yet; index some documents first.")
    if stored.get("dimension") != identity.dimension or stored.get("fingerprint") != identity.fingerprint:
        raise ModelMismatch(
            f"The index {alias!r} was embedded with {stored.get('name')} "
            f"(dim {stored.get('dimension')}, weights {stored.get('fingerprint')}) but the configured model "
            f"is {identity.name} (dim {identity.dimension}, weights {identity.fingerprint}). "
            "Use the same ARSIP_MODEL, or rebuild the index with `arsip index --rebuild`."
        )


def swap_alias(es: Elasticsearch, alias: str, new_index: str) -> list[str]:
    """Point ``alias`` at ``new_index`` in one atomic call; return the indices it left."""
    old = [name for name in alias_targets(es, alias) if name != new_index]
    actions = [{"add": {"index": new_index, "alias": alias}}]
    actions += [{"remove": {"index": name, "alias": alias}} for name in old]
    es.indices.update_aliases(actions=actions)
    return old
