"""A document passage as HTML with both kinds of marks: the query's words (``<mark>``, from the
highlight) and the people, organisations and places it names (links to their pages).

The highlight and the stored mentions describe the same text: the highlight's segments, unescaped,
are the passage text, and each mention is a character span of it; the text is cut at every boundary of
either, and each piece is escaped.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from searchapp.pages.links import entity_url
from searchapp.pages.markup import parse_highlight, passage_html

KIND_CLASSES = {"person": "entity-person", "org": "entity-org", "place": "entity-place"}


def marked_passage_html(passage: dict) -> Markup:
    """The whole passage with query marks and entity links; without mentions, as ``passage_html``."""
    text = passage.get("text") or ""
    mentions = [m for m in passage.get("mentions") or [] if 0 <= m["start"] < m["end"] <= len(text)]
    segments = parse_highlight(passage["highlight"]) if passage.get("highlight") else [(text, False)]
    if not mentions or segments is None or "".join(t for t, _ in segments) != text:
        return passage_html(passage, trim=False)
    cuts = sorted({0, len(text), *(m["start"] for m in mentions), *(m["end"] for m in mentions)})
    cuts += [offset for offset in _segment_edges(segments) if offset not in cuts]
    cuts.sort()
    owner = [None] * len(text)  # the mention each character belongs to (the first one wins)
    for n, m in enumerate(mentions):
        for i in range(m["start"], m["end"]):
            if owner[i] is None:
                owner[i] = n
    marked = [False] * len(text)
    offset = 0
    for part, is_marked in segments:
        for i in range(offset, offset + len(part)):
            marked[i] = is_marked
        offset += len(part)
    out: list[Markup] = []
    current: int | None = None
    for low, high in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[low:high])
        if marked[low]:
            piece = Markup("<mark>{}</mark>").format(piece)
        mention = owner[low]
        if mention != current:
            if current is not None:
                out.append(Markup("</a>"))
            if mention is not None:
                m = mentions[mention]
                out.append(
                    Markup('<a class="entity {}" href="{}" title="{}">').format(
                        KIND_CLASSES.get(m["kind"], "entity-other"),
                        entity_url(m["kind"], m["name"]),
                        m["name"],
                    )
                )
            current = mention
        out.append(piece)
    if current is not None:
        out.append(Markup("</a>"))
    return Markup("").join(out)


def _segment_edges(segments: list[tuple[str, bool]]) -> list[int]:
    edges, offset = [], 0
    for part, _ in segments:
        offset += len(part)
        edges.append(offset)
    return edges
