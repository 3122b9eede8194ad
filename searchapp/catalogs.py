"""Compiled message catalogs (``.mo``) for the UI, built from the ``.po`` files they come from.

Only the ``.po`` files are in git (text that merges and reviews); the binary ``.mo`` that gettext reads is
built from them: by ``scripts/bootstrap.sh`` and, so that a fresh clone, a ``git pull`` that changed a
translation or a plain ``pytest`` never serves stale text, again when the app starts if one is missing or
older than its ``.po``. Same result as ``pybabel compile -d searchapp/translations``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger("arsip.catalogs")

TRANSLATIONS = Path(__file__).with_name("translations")
DOMAIN = "messages"


def po_files(directory: Path = TRANSLATIONS) -> list[Path]:
    return sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_catalog(po: Path) -> Path:
    """Write ``po``'s ``.mo`` next to it (fuzzy entries left out, like pybabel compile) atomically."""
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name, domain=DOMAIN)
    mo = po.with_suffix(".mo")
    partial = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
    with partial.open("wb") as target:
        write_mo(target, catalog, use_fuzzy=False)
    partial.replace(mo)  # concurrent workers may race; each writes a whole file and renames it
    return mo


def ensure_compiled(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; returns the ones written.

    A read-only install that already has its ``.mo`` files is left alone; one that cannot write them
    logs an error (the UI then falls back to English) instead of failing to start.
    """
    written = []
    for po in po_files(directory):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        try:
            written.append(compile_catalog(po))
        except OSError as exc:
            log.error("cannot compile %s (%s); that UI language falls back to English", po, exc)
    return written
