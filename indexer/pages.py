"""Pages through the text steps and the splitter: a PDF's or image's passages each lie on one page.

Repair and cleaning work on a whole text (cleaning decides once per text whether blank lines or single
lines separate paragraphs), so a paged document goes through them as one text with a page-break paragraph
between its pages, and is cut back into pages afterwards; a page that cleaning empties is dropped. The
splitter then splits page by page: a paragraph running over a page break becomes two passages, which
costs a little context at page ends and buys an exact citation for every passage.
"""

from __future__ import annotations

from collections.abc import Callable

from indexer.documents import Page, Passage, SourceDocument
from indexer.splitting import PASSAGE_JOINER, split_passages

# A paragraph of its own that no cleaning rule touches (it has letters, no "|", no commas, no brackets)
# and that archive text does not hold.
PAGE_BREAK = "⟦arsip-page-break⟧"


def text_with_breaks(pages: list[Page]) -> str:
    """The pages' text as one text, a ``PAGE_BREAK`` paragraph between pages."""
    return f"\n\n{PAGE_BREAK}\n\n".join(page.text for page in pages)


def pages_from_breaks(text: str, pages: list[Page]) -> list[Page]:
    """``pages`` with the text of each taken back from ``text`` (made by ``text_with_breaks`` and then
    repaired and cleaned); pages left without text are dropped."""
    parts = [part.strip() for part in text.split(PAGE_BREAK)]
    if len(parts) != len(pages):  # never expected: keep the cleaned text whole, on the first page
        parts = [text.replace(PAGE_BREAK, "").strip()] + [""] * (len(pages) - 1)
    return [
        Page(page.number, part, page.ocr, page.confidence, page.image)
        for page, part in zip(pages, parts, strict=True)
        if part
    ]


def clean_pages(doc: SourceDocument, clean: Callable[[str], str]) -> None:
    """Clean ``doc``'s pages with ``clean`` (through ``text_with_breaks``) and set its text to their
    join; ``doc.text`` must hold ``text_with_breaks(doc.pages)`` (repaired) when called."""
    assert doc.pages is not None
    doc.pages = pages_from_breaks(clean(doc.text), doc.pages)
    doc.text = PASSAGE_JOINER.join(page.text for page in doc.pages)


def split_document(
    doc: SourceDocument, count_tokens: Callable[[str], int], max_tokens: int = 256
) -> list[Passage]:
    """The passages of a cleaned document, positions 0..n-1; a paged document's page by page, each
    passage carrying its page."""
    if not doc.pages:
        return split_passages(doc.doc_id, doc.text, count_tokens, max_tokens=max_tokens)
    passages: list[Passage] = []
    for page in doc.pages:
        for passage in split_passages(doc.doc_id, page.text, count_tokens, max_tokens=max_tokens):
            passages.append(Passage(doc.doc_id, len(passages), passage.text, page))
    return passages
