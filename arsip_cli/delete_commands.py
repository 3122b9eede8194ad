"""``arsip delete``: remove documents by id, source, collection or a keyword search (``indexer.deletion``)."""

from __future__ import annotations

import argparse

from arsip.settings import Settings
from arsip_cli.output import fail, print_json


def _search_query(text: str, settings: Settings) -> dict:
    """The passages a keyword search for ``text`` matches, exactly as ``/api/search?mode=keyword``."""
    from searchapp.query_parser import parse_query
    from searchapp.ranking import RankingConfig
    from searchapp.search.plan import keyword_query

    parsed = parse_query(text)
    return keyword_query(parsed, parsed.filters, RankingConfig(), settings)


def cmd_delete(args: argparse.Namespace, settings: Settings) -> int:
    from arsip.es_client import ENGINE_ERRORS, describe_engine_error, make_client
    from indexer.deletion import delete_documents, documents_query

    try:
        query = documents_query(
            ids=args.id or (),
            source=args.source,
            collection=args.collection,
            query=_search_query(args.query, settings) if args.query else None,
        )
    except ValueError as exc:
        return fail(exc, 2)
    es = make_client(settings)
    try:
        removal = delete_documents(es, settings.index, query, dry_run=args.dry_run)
    except ENGINE_ERRORS as exc:
        return fail(describe_engine_error(exc, settings), 2)
    print_json({**removal.as_dict(), "dry_run": args.dry_run, "index": settings.index})
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    delete = sub.add_parser(
        "delete",
        help="remove documents (all their passages) by id, source, collection or a keyword search",
        description="Every option given must hold (AND); prints what was removed as JSON.",
    )
    delete.add_argument("--id", action="append", help="a document id or the record's own id (repeatable)")
    delete.add_argument("--source")
    delete.add_argument("--collection")
    delete.add_argument("--query", help="a search (keyword mode, the search box's syntax and filters)")
    delete.add_argument("--dry-run", action="store_true", help="count what would be removed, remove nothing")
    delete.set_defaults(func=cmd_delete)
