"""Create and inspect the passage index behind its alias; guard against a model mismatch.

Searches and writes always go through the alias (``ARSIP_INDEX``); the physical index has a timestamped
name so a rebuild can fill a fresh one and swap the alias atomically.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from elasticsearch import Elasticsearch, NotFoundError

from arsip.model.identity import ModelIdentity
from arsip.settings import DEFAULT_STOPWORDS, INTERCHANGEABLE_ENCODERS, MAPPINGS_DIR, Settings

# 2: stop words dropped from unquoted keyword queries (search analyzer); 3: stemmed text_stem/title_stem;
# 4: place, title_source, place_source (metadata read from bare text), near-duplicate groups (dup_group on
#    every passage, dup_bands/dup_signature on the first); add_missing_fields adds them
# 5: page, page_ocr, ocr_confidence, page_image (PDF and image passages cited by page; docs/ocr.md)
# 6: people, organisations and places (entities.*, doc_entities.*, entity_roles, entity_mentions);
#    add_missing_fields adds them, `arsip index --rebuild` fills them for every passage
# 7: record_id, the record's own id as given, and date_precision (month | year: a record gave only that)
#    (issue 24); add_missing_fields adds them, passages indexed before keep them empty until indexed again
MAPPING_VERSION = 7


class ModelMismatch(RuntimeError):
    """The index was embedded with another model than the one configured now."""


class IndexMissing(RuntimeError):
    """No index (alias) exists yet: nothing has been indexed."""

    def __init__(self, alias: str) -> None:
        super().__init__(f"The index {alias!r} does not exist yet; index some documents first.")


@dataclass(frozen=True)
class IndexOptions:
    """What a new physical index is made with, besides the model: replicas, stop words, stemming.

    ``stopwords`` (``ARSIP_STOPWORDS``) fills the search analyzer: a predefined list such as
    ``_indonesian_`` or ``_none_``, or comma-separated words. The index analyzer keeps every word, so
    quoted phrases stay exact and the list can differ per index. ``stemming`` (``ARSIP_STEMMING``) is
    recorded in ``_meta``: whether the indexer filled the stemmed fields when it made the index.
    ``cleaning_version`` is recorded in ``_meta`` too: which text repair/cleaning rules made the
    passages (the indexer's ``indexer.cleaning.CLEANING_VERSION``; None when not made by the indexer).
    ``entity_model`` likewise: the version of the entity model that tagged the passages (None: none).
    """

    replicas: int = 0
    stopwords: str = DEFAULT_STOPWORDS
    stemming: str = "sastrawi"
    cleaning_version: int | None = None
    entity_model: str | None = None  # arsip.entities.model_file.MODEL_VERSION when the indexer tags entities

    @classmethod
    def from_settings(cls, settings: Settings) -> IndexOptions:
        return cls(replicas=settings.es_replicas, stopwords=settings.stopwords, stemming=settings.stemming)


def load_index_body(identity: ModelIdentity, options: IndexOptions = IndexOptions()) -> dict:
    """The index settings + mappings from ``mappings/passages.json``, sized for the model."""
    body = json.loads((MAPPINGS_DIR / "passages.json").read_text(encoding="utf-8"))
    body["settings"]["number_of_replicas"] = options.replicas
    analyzers = body["settings"]["analysis"]["analyzer"]
    analyzers["arsip_text_search"]["stopwords"] = stopword_setting(options.stopwords)
    body["mappings"]["properties"]["vector"]["dims"] = identity.dimension
    body["mappings"]["_meta"] = {
        "model": identity.as_dict(),
        "mapping_version": MAPPING_VERSION,
        "stemming": options.stemming,
        "cleaning_version": options.cleaning_version,
        "entity_model": options.entity_model,
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
    es: Elasticsearch, alias: str, identity: ModelIdentity, options: IndexOptions = IndexOptions()
) -> str:
    name = new_physical_name(alias)
    es.indices.create(index=name, body=load_index_body(identity, options))
    return name


def alias_targets(es: Elasticsearch, alias: str) -> list[str]:
    try:
        return sorted(es.indices.get_alias(name=alias).keys())
    except NotFoundError:
        return []


def ensure_index(
    es: Elasticsearch, alias: str, identity: ModelIdentity, options: IndexOptions = IndexOptions()
) -> str:
    """Return the physical index behind ``alias``, creating both if needed; check the model."""
    targets = alias_targets(es, alias)
    if targets:
        check_model(es, alias, identity)
        add_missing_fields(es, targets[0], identity)
        return targets[0]
    if es.indices.exists(index=alias):
        raise RuntimeError(f"{alias!r} is a concrete index, not an alias; delete or rename it first.")
    name = create_physical_index(es, alias, identity, options)
    es.indices.put_alias(index=name, name=alias)
    return name


def add_missing_fields(es: Elasticsearch, index: str, identity: ModelIdentity) -> list[str]:
    """Add fields that newer mappings define (e.g. the stemmed twins of version 3) to an older index.

    The mapping is strict, so writing a new field into an index made before it would fail; new fields
    can be added in place. Passages already there keep them empty until they are indexed again.
    """
    wanted = load_index_body(identity)["mappings"]["properties"]
    present = es.indices.get_mapping(index=index)[index]["mappings"].get("properties", {})
    missing = {name: spec for name, spec in wanted.items() if name not in present}
    if missing:
        es.indices.put_mapping(index=index, properties=missing)
    return sorted(missing)


def index_meta(es: Elasticsearch, index: str) -> dict:
    """The ``_meta`` of an index (model, mapping version, stemming, cleaning version...); {} if none."""
    try:
        mappings = es.indices.get_mapping(index=index)
    except NotFoundError:
        return {}
    return next(iter(mappings.body.values()))["mappings"].get("_meta", {})


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
        raise IndexMissing(alias)
    problem = model_mismatch(alias, stored, identity)
    if problem is not None:
        raise ModelMismatch(problem)


def model_mismatch(alias: str, stored: dict, identity: ModelIdentity) -> str | None:
    """Why vectors of ``identity`` cannot be compared with the index's (its stored ``index_model``);
    None when they can: the same weights and dimension, and an interchangeable encoder."""
    if stored.get("dimension") != identity.dimension or stored.get("fingerprint") != identity.fingerprint:
        return (
            f"The index {alias!r} was embedded with {stored.get('name')} "
            f"(dim {stored.get('dimension')}, weights {stored.get('fingerprint')}) but the configured model "
            f"is {identity.name} (dim {identity.dimension}, weights {identity.fingerprint}). "
            "Use the same ARSIP_MODEL, or rebuild the index with `arsip index --rebuild`."
        )
    return _encoder_mismatch(alias, stored.get("encoder", "torch"), identity.encoder)


def encoders_compatible(stored: str, loaded: str) -> bool:
    """Same weights, other runtime: fine between interchangeable variants (see settings)."""
    return stored == loaded or (stored in INTERCHANGEABLE_ENCODERS and loaded in INTERCHANGEABLE_ENCODERS)


def check_encoder(alias: str, stored: str, loaded: str) -> None:
    problem = _encoder_mismatch(alias, stored, loaded)
    if problem is not None:
        raise ModelMismatch(problem)


def _encoder_mismatch(alias: str, stored: str, loaded: str) -> str | None:
    if encoders_compatible(stored, loaded):
        return None
    return (
        f"The index {alias!r} was embedded with the {stored!r} encoder, whose vectors do not match the "
        f"configured {loaded!r} encoder's closely enough (interchangeable: "
        f"{', '.join(INTERCHANGEABLE_ENCODERS)}). Set ARSIP_ENCODER={stored}, or rebuild the index "
        "with `arsip index --rebuild`."
    )


def swap_alias(es: Elasticsearch, alias: str, new_index: str) -> list[str]:
    """Point ``alias`` at ``new_index`` in one atomic call; return the indices it left."""
    old = [name for name in alias_targets(es, alias) if name != new_index]
    actions = [{"add": {"index": new_index, "alias": alias}}]
    actions += [{"remove": {"index": name, "alias": alias}} for name in old]
    es.indices.update_aliases(actions=actions)
    return old
