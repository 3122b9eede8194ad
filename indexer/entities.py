"""People, organisations and places of each passage, found at index time (arsip.entities' CRF).

Each passage stores the normalised names it mentions as keyword fields (``entities.person`` / ``.org`` /
``.place``), a person's roles as ``Name|Role`` (``entity_roles``) and where in its text each mention is
(``entity_mentions``, stored, not indexed: the document view marks them); every passage of a document
also carries the union of its document's names (``doc_entities.*``), which the facets count and filter.
``ARSIP_ENTITIES=0`` turns extraction off (the fields stay empty).
"""

from __future__ import annotations

from arsip.entities.tagger import KINDS, EntityTagger, Mention

FIELDS = tuple(KINDS.values())  # person, org, place


def passage_entities(mentions: list[Mention]) -> dict:
    """The stored entity fields of one passage from its mentions (names sorted, each once)."""
    names: dict[str, set[str]] = {kind: set() for kind in FIELDS}
    roles: set[str] = set()
    for m in mentions:
        names[m.kind].add(m.name)
        if m.role:
            roles.add(f"{m.name}|{m.role}")
    return {
        "entities": {kind: sorted(values) for kind, values in names.items() if values} or None,
        "entity_roles": sorted(roles) or None,
        "entity_mentions": [[m.kind, m.start, m.end, m.name] for m in mentions] or None,
    }


def document_entities(passages: list[dict]) -> dict | None:
    """The union of a document's passages' names (``passage_entities`` results)."""
    union: dict[str, set[str]] = {kind: set() for kind in FIELDS}
    for fields in passages:
        for kind, values in (fields.get("entities") or {}).items():
            union[kind].update(values)
    return {kind: sorted(values) for kind, values in union.items() if values} or None


def extract(tagger: EntityTagger, texts: list[str]) -> tuple[list[dict], dict | None]:
    """Each passage's entity fields and their document's union."""
    per_passage = [passage_entities(tagger.mentions(text)) for text in texts]
    return per_passage, document_entities(per_passage)
