"""The gettext catalogs: the .pot matches the sources, every language translates every message.

So a new UI string cannot ship untranslated: adding ``_("...")`` without running
``scripts/update_messages.sh`` fails the first test, and an empty or fuzzy translation fails the second.
"""

from __future__ import annotations

import os
import shutil
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from searchapp.catalogs import TRANSLATIONS, compile_catalog, ensure_compiled, po_files

ROOT = Path(__file__).resolve().parents[2]
POT = TRANSLATIONS / "messages.pot"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
"""The same keywords as scripts/update_messages.sh passes to pybabel extract."""


def _read(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale=path.parent.parent.name if path.suffix == ".po" else None)


def _source_msgids() -> set:
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    return {message for _file, _line, message, _comments, _context in found}


def test_the_pot_is_up_to_date_with_the_sources():
    in_pot = {message.id for message in _read(POT) if message.id}
    in_sources = _source_msgids()
    assert in_sources, "no messages extracted: babel.cfg no longer matches the sources"
    hint = "run scripts/update_messages.sh"
    assert sorted(map(str, in_sources - in_pot)) == [], f"messages missing from the .pot: {hint}"
    assert sorted(map(str, in_pot - in_sources)) == [], f"messages no longer in the sources: {hint}"


def test_there_is_an_indonesian_catalog():
    assert [po.parent.parent.name for po in po_files()] == ["id"]


@pytest.mark.parametrize("po", po_files(), ids=lambda p: p.parent.parent.name)
def test_every_message_is_translated_and_not_fuzzy(po: Path):
    catalog = _read(po)
    template_ids = {message.id for message in _read(POT) if message.id}
    assert {message.id for message in catalog if message.id} == template_ids, "run scripts/update_messages.sh"
    assert not catalog.obsolete
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, f"fuzzy translation: {message.id!r}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (catalog.num_plurals if message.pluralizable else 1), message.id
        assert all(s.strip() for s in strings), f"untranslated: {message.id!r}"
        assert not list(message.check(catalog)), f"placeholders differ: {message.id!r}"


def test_indonesian_texts_carried_over_exactly():
    """A few texts of the former hand-written dict, checked word for word."""
    catalog = _read(TRANSLATIONS / "id" / "LC_MESSAGES" / "messages.po")
    assert catalog.get("Search the archive").string == "Cari di arsip"
    assert catalog.get("There is no document with the id “%(id)s” in the archive.").string == (
        "Tidak ada dokumen dengan ID “%(id)s” di arsip."
    )
    assert catalog.get(("%(num)s document", "%(num)s documents")).string == ("%(num)s dokumen",)
    assert catalog.plural_forms == "nplurals=1; plural=0;"


def test_compiled_catalog_holds_every_translation(tmp_path: Path):
    po = TRANSLATIONS / "id" / "LC_MESSAGES" / "messages.po"
    target = tmp_path / "id" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(po, target / "messages.po")
    mo = compile_catalog(target / "messages.po")
    with mo.open("rb") as f:
        compiled = GNUTranslations(f)
    messages = [m for m in _read(po) if m.id]
    assert messages
    for m in messages:
        if m.pluralizable:
            assert compiled.ngettext(m.id[0], m.id[1], 2) == m.string[0]
        else:
            assert compiled.gettext(m.id) == m.string


def test_a_missing_or_stale_mo_is_rebuilt_and_a_fresh_one_kept(tmp_path: Path):
    target = tmp_path / "id" / "LC_MESSAGES"
    target.mkdir(parents=True)
    po = target / "messages.po"
    shutil.copy(TRANSLATIONS / "id" / "LC_MESSAGES" / "messages.po", po)
    assert ensure_compiled(tmp_path) == [target / "messages.mo"]  # missing: built
    assert ensure_compiled(tmp_path) == []  # fresh: kept
    later = po.stat().st_mtime + 10
    os.utime(po, (later, later))  # the .po changed (a git pull, an edit)
    assert ensure_compiled(tmp_path) == [target / "messages.mo"]
