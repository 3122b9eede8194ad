"""Count mojibake (UTF-8 misread as MacRoman or Windows-1252) in a corpus or in an index, before/after repair.

    python scripts/count_mojibake.py ../shared/eval/news_clickid/       # a corpus: raw vs repaired+cleaned
    python scripts/count_mojibake.py samples/archive --changes 20       # ...and what repair changed
    python scripts/count_mojibake.py --es                               # what the index (ARSIP_INDEX) holds

A corpus is read with the indexer's own readers (files and folders, any format it reads); "repaired" is
exactly what the indexer stores: ``indexer.mojibake.repair_document`` then, for the text,
``indexer.cleaning.clean_text``. The index is read with a scroll over the passages' ``text`` and ``title``.

The sequences are counted with patterns of their own, built from the codecs (the byte layout of UTF-8
as each codec shows it), not from the repair code, so the figures are an independent check:
``‚Äù`` is UTF-8 "”" (E2 80 9D) read as MacRoman, ``â€`` the same bytes read as Windows-1252.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252" (cp1252 with its 5 holes filled)
from tqdm import tqdm

from indexer.cleaning import clean_text
from indexer.documents import SourceDocument
from indexer.mojibake import repair_document
from indexer.readers import ReadError, iter_paths, read_file


def _chars(codec: str, first: int, last: int) -> str:
    return re.escape(bytes(range(first, last + 1)).decode(codec))


_MAC_CONT = f"[{_chars('mac_roman', 0x80, 0xBF)}]"  # UTF-8 continuation bytes as MacRoman shows them
_WIN_CONT = f"[{_chars('sloppy-windows-1252', 0x80, 0xBF)}]"  # ... as Windows-1252 shows them
# MacRoman leads of 2-byte UTF-8 that are letters/symbols, not punctuation a writer would put before an
# accented letter: √ (C3: é ñ ü), ¬ (C2: ° ½ nbsp), ƒ ≈ ∆ (C4-C6: ā Š ...), Œ œ (CE-CF: Greek),
# Ã Õ (CC-CD: combining accents), ÿ Ÿ ⁄ € (D8-DB: Arabic).
_MAC_LEAD2 = "[" + re.escape("¬√ƒ≈∆ÃÕŒœÿŸ⁄€") + "]"
_MAC_LEAD3 = f"[{_chars('mac_roman', 0xE0, 0xEF)}]"
_MAC_LEAD4 = f"[{_chars('mac_roman', 0xF0, 0xF4)}]"  # F0 is the Apple logo U+F8FF: "\uf8ffüòä" is 😊

PATTERNS: dict[str, re.Pattern[str]] = {
    # E2 80-82 xx: General Punctuation (” “ ’ ‘ – — … • LRM ZWSP ...)
    "macroman punctuation  ‚Äù ‚Äú ‚Äô ‚Äì": re.compile(f"‚[ÄÅÇ]{_MAC_CONT}"),
    "macroman 3/4-byte  (symbols, CJK, emoji)": re.compile(
        f"(?!‚[ÄÅÇ]){_MAC_LEAD3}{_MAC_CONT}{{2}}|{_MAC_LEAD4}{_MAC_CONT}{{3}}"
    ),
    "macroman 2-byte  √© ¬∞ Œ± ŸÖ –°": re.compile(
        f"{_MAC_LEAD2}{_MAC_CONT}|[–—]{_MAC_CONT}(?=[–—]{_MAC_CONT})"
    ),
    "cp1252 punctuation  â€œ â€™ â€”": re.compile(f"â€{_WIN_CONT}?"),
    "cp1252 latin  Ã© Ã± Â°": re.compile(f"[ÂÃ]{_WIN_CONT}"),
}


@dataclass
class Tally:
    """Sequences and affected documents per pattern, for one state of the corpus (raw or repaired)."""

    sequences: Counter = field(default_factory=Counter)
    documents: Counter = field(default_factory=Counter)
    any_documents: int = 0

    def add(self, texts: list[str]) -> None:
        found = False
        for name, pattern in PATTERNS.items():
            n = sum(len(pattern.findall(t)) for t in texts if t)
            if n:
                self.sequences[name] += n
                self.documents[name] += 1
                found = True
        self.any_documents += found


def edits(old: str, new: str) -> Iterator[tuple[str, str, str, str]]:
    """(garbled, repaired, garbled words, repaired words) for each change: words aligned first, then
    characters inside the changed words (a character diff of a whole article would take minutes)."""
    a, b = old.split(" "), new.split(" ")
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old_words, new_words = " ".join(a[a1:a2]), " ".join(b[b1:b2])
        chars = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
        for cop, c1, c2, d1, d2 in chars.get_opcodes():
            if cop != "equal":
                yield old_words[c1:c2], new_words[d1:d2], old_words, new_words


def documents_of(paths: list[str]) -> Iterator[SourceDocument]:
    for path in iter_paths(paths):
        for item in read_file(path):
            if isinstance(item, SourceDocument):
                yield item
            elif isinstance(item, ReadError):
                print(f"unreadable: {item}", file=sys.stderr)


def count_corpus(paths: list[str], changes: int, seed: int) -> None:
    raw, repaired = Tally(), Tally()
    documents = changed = 0
    changed_fields: Counter = Counter()
    replacements: Counter = Counter()
    examples: list[tuple[str, list[tuple[str, str]]]] = []
    for doc in tqdm(documents_of(paths), desc="documents", unit="doc", file=sys.stderr):
        documents += 1
        before = {name: getattr(doc, name) for name in ("title", "text", "author", "source", "collection")}
        raw.add(list(before.values()))
        fields = repair_document(doc)
        if fields:
            changed += 1
            changed_fields.update(fields)
            pairs = []
            for name in fields:
                for garbled, fixed, old_words, new_words in edits(before[name], getattr(doc, name)):
                    replacements[(garbled, fixed)] += 1
                    if (old_words, new_words) not in pairs:
                        pairs.append((old_words, new_words))
            examples.append((doc.doc_id, pairs))
        repaired.add(
            [doc.title, clean_text(doc.text), doc.author or "", doc.source or "", doc.collection or ""]
        )

    print(
        f"corpus: {', '.join(paths)}  ({documents:,} documents; "
        "fields title, text, author, source, collection)"
    )
    print_table(raw, repaired, documents, "repaired")
    print(f"\ndocuments changed by repair: {changed:,} of {documents:,}  (fields: {dict(changed_fields)})")
    print(f"distinct replacements: {len(replacements):,}; most frequent (garbled → repaired):")
    for (old, new), n in replacements.most_common(25):
        print(f"  {n:7,}  {old!r} → {new!r}")
    if changes and examples:
        print(
            f"\n{min(changes, len(examples))} changed documents at random (seed {seed}), every change shown:"
        )
        for doc_id, pairs in random.Random(seed).sample(examples, min(changes, len(examples))):
            print(f"  {doc_id}")
            for old, new in pairs[:6]:
                print(f"    - {old!r}\n    + {new!r}")
            if len(pairs) > 6:
                print(f"    ... {len(pairs) - 6} more")


def count_index(index: str | None) -> None:
    from elasticsearch import helpers

    from arsip.es_client import make_client
    from arsip.settings import Settings

    settings = Settings.from_env()
    alias = index or settings.index
    es = make_client(settings, request_timeout=120)
    tally = Tally()
    titles_seen: set[str] = set()
    per_doc: dict[str, list[str]] = {}
    passages = 0
    hits = helpers.scan(
        es, index=alias, query={"query": {"match_all": {}}}, _source=["doc_id", "text", "title"]
    )
    for hit in tqdm(hits, desc="passages", unit="passage", file=sys.stderr):
        passages += 1
        source = hit["_source"]
        texts = per_doc.setdefault(source["doc_id"], [])
        texts.append(source.get("text") or "")
        if source["doc_id"] not in titles_seen:  # the title repeats on every passage: count it once
            titles_seen.add(source["doc_id"])
            texts.append(source.get("title") or "")
    for texts in per_doc.values():
        tally.add(texts)
    print(f"index: {alias}  ({passages:,} passages of {len(per_doc):,} documents; fields text, title)")
    print_table(tally, None, len(per_doc), "")


def print_table(raw: Tally, repaired: Tally | None, documents: int, label: str) -> None:
    head = f"{'pattern':42} {'sequences':>10} {'documents':>10}"
    if repaired is not None:
        head += f" {label + ' seq':>14} {label + ' docs':>14}"
    print(head)
    for name in PATTERNS:
        row = f"{name:42} {raw.sequences[name]:>10,} {raw.documents[name]:>10,}"
        if repaired is not None:
            row += f" {repaired.sequences[name]:>14,} {repaired.documents[name]:>14,}"
        print(row)
    total = f"{'total':42} {sum(raw.sequences.values()):>10,} {raw.any_documents:>10,}"
    if repaired is not None:
        total += f" {sum(repaired.sequences.values()):>14,} {repaired.any_documents:>14,}"
    print(total)
    share = 100 * raw.any_documents / documents if documents else 0.0
    print(f"documents with mojibake: {raw.any_documents:,} of {documents:,} ({share:.1f} %)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", help="files or folders the indexer reads (JSONL, txt, html, ...)")
    parser.add_argument("--es", action="store_true", help="count in the index (alias ARSIP_INDEX)")
    parser.add_argument("--index", help="another alias or index than ARSIP_INDEX (with --es)")
    parser.add_argument("--changes", type=int, default=0, help="show N changed documents at random")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    if not args.paths and not args.es:
        parser.error("give corpus paths, --es, or both")
    if args.paths:
        count_corpus(args.paths, args.changes, args.seed)
    if args.es:
        if args.paths:
            print()
        count_index(args.index)


if __name__ == "__main__":
    main()
