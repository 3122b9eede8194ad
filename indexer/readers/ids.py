"""Stable document ids: the record's own id, else a hash of the URL, else a hash of the text."""

from __future__ import annotations

import hashlib
import re

MAX_ID_BYTES = 200
_UNSAFE_ID_CHARS_RE = re.compile(r"[^A-Za-z0-9._\-]")


def _sha(text: str, length: int = 32) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def _safe_id_part(value: str) -> str:
    """Only [A-Za-z0-9._-] survive; if anything had to be replaced, a short hash of the original is
    appended so that "a:b" and "a/b" stay distinct."""
    safe = _UNSAFE_ID_CHARS_RE.sub("_", value)
    return safe if safe == value else f"{safe}-{_sha(value, 12)}"


def make_doc_id(
    record_id: str | int | None = None,
    url: str | None = None,
    text: str = "",
    namespace: str | None = None,
) -> str:
    """A stable Elasticsearch ``_id`` for a document.

    - the record's own id when it has one (so re-importing an updated record replaces it);
    - else ``url-`` + hash of the URL (a re-crawled page replaces its older capture);
    - else ``sha-`` + hash of the text: files have no ids, and a path-based id would change when the
      archive is moved or re-organised, while the content hash keeps the id (and deduplicates copies).

    ``namespace`` (the collection the caller names) is put in front, ``namespace~key``, so that two
    archives that both number their records 1, 2, 3 do not overwrite each other; the same document in
    two collections is two documents. Ids only hold [A-Za-z0-9._-] plus that one "~" (no ":", which
    separates the passage position), and are at most ``MAX_ID_BYTES`` long (longer ones keep a readable
    prefix and end with a hash).
    """
    if record_id is not None and str(record_id).strip():
        key = _safe_id_part(str(record_id).strip())
    elif url and url.strip():
        key = "url-" + _sha(url.strip())
    else:
        key = "sha-" + _sha(text.strip())
    if namespace and namespace.strip():
        key = f"{_safe_id_part(namespace.strip())}~{key}"
    if len(key) > MAX_ID_BYTES:
        key = f"{key[:100]}-{_sha(key)}"
    return key


def _namespace(collection: str | None, source: str | None) -> str | None:
    """Only the collection the caller names (``--collection``) namespaces ids; a record's own fields never
    do, so a JSONL record with ``"id": "x"`` keeps the id ``x`` that its owner knows it by."""
    del source
    return collection or None
