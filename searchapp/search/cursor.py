"""Every passage a search matches, walked with a cursor: past the 1,000 results a page reaches and past
the export's cap.

The walk reads the search's *candidate query* (what its counts count: ``SearchService.matching_query``)
inside an Elasticsearch point in time (PIT), ``size`` passages a call, in one fixed order: the keyword
score, highest first (sort=relevance; semantic passages, which have no keyword score, after the keyword
matches), or the date (sort=newest/oldest, undated last), then ``passage_id``, so no passage is seen
twice or skipped while the index changes. The cursor carries the PIT and the last sort values; a client
sends the same search parameters with it. It stays valid ``KEEP_ALIVE`` after each call; the last page
closes the PIT.
"""

from __future__ import annotations

import base64
import binascii
import json

from elasticsearch import BadRequestError, NotFoundError
from flask_babel import lazy_gettext as _l

from arsip.es_client import ENGINE_ERRORS
from searchapp.errors import ErrorCode, SearchError
from searchapp.search.engine import Engine
from searchapp.search.result_rows import SOURCE_FIELDS, export_row

KEEP_ALIVE = "1m"
MAX_CURSOR_SIZE = 1_000  # passages a call answers at most
MAX_CURSOR_CHARS = 8192  # a cursor this module writes is far shorter (a PIT id and a few sort values)


def encode_cursor(pit: str, after: list) -> str:
    return base64.urlsafe_b64encode(json.dumps({"pit": pit, "after": after}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, list]:
    """The PIT and sort values a cursor carries; a 400 for anything this module did not write."""
    if len(cursor) > MAX_CURSOR_CHARS:
        raise _invalid_cursor()
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if (
            isinstance(data, dict)
            and isinstance(data.get("pit"), str)
            and isinstance(data.get("after"), list)
        ):
            return data["pit"], data["after"]
    except (binascii.Error, ValueError, UnicodeDecodeError):
        pass
    raise _invalid_cursor()


def _invalid_cursor() -> SearchError:
    message = _l("The cursor is not one this server gave out: start again without it.")
    return SearchError(400, ErrorCode.INVALID_CURSOR, message, parameter="cursor")


def _sort(sort: str) -> list[dict]:
    if sort in ("newest", "oldest"):
        order = "desc" if sort == "newest" else "asc"
        return [{"date": {"order": order, "missing": "_last"}}, {"passage_id": "asc"}]
    return [{"_score": "desc"}, {"passage_id": "asc"}]


def walk(engine: Engine, query: dict | None, sort: str, size: int, cursor: str | None) -> dict:
    """One call of the walk: ``{"passages": rows, "next_cursor": str | None}`` (None: the last page)."""
    given = decode_cursor(cursor) if cursor else None  # refused even when there is nothing to walk
    if query is None:  # the typed text left nothing to search
        return {"passages": [], "next_cursor": None}
    try:
        if given is not None:
            pit, after = given
        else:
            pit, after = engine.es.open_point_in_time(index=engine.index, keep_alive=KEEP_ALIVE)["id"], []
        answer = engine.es.search(
            query=query,
            size=size,
            sort=_sort(sort),
            pit={"id": pit, "keep_alive": KEEP_ALIVE},
            source=SOURCE_FIELDS,
            track_total_hits=False,
            search_after=after or None,
        )
        hits = answer["hits"]["hits"]
        pit = answer.get("pit_id", pit)
        if len(hits) < size:
            engine.es.close_point_in_time(id=pit)
            next_cursor = None
        else:
            next_cursor = encode_cursor(pit, hits[-1]["sort"])
    except BadRequestError as exc:
        if not cursor:
            raise engine.error(exc) from None
        raise _invalid_cursor() from None  # a PIT id the engine cannot read: not a cursor of ours
    except NotFoundError as exc:
        if not cursor:
            raise engine.error(exc) from None  # the index is missing
        message = _l(
            "The cursor has expired (%(keep)s after the last call): start again without it.", keep="1 min"
        )
        raise SearchError(400, ErrorCode.CURSOR_EXPIRED, message, parameter="cursor") from None
    except ENGINE_ERRORS as exc:
        raise engine.error(exc) from None
    rows = [export_row(0, h["_id"], h["_source"], float(h.get("_score") or 0.0)) for h in hits]
    for row in rows:
        del row["rank"]  # the walk's order is not the screen's ranking
    return {"passages": rows, "next_cursor": next_cursor}
