"""The ``arsip`` command line: one entry point, one subcommand per job.

Each command group lives in its own module (``*_commands``) with its arguments next to its handler.
Heavy imports (the model, Elasticsearch, Flask) happen inside the handlers so that ``arsip es status``
answers instantly.
"""

from __future__ import annotations

import argparse

from arsip.settings import Settings
from arsip_cli import delete_commands, es_commands, index_commands, model_commands, search_commands
from arsip_cli.output import fail

# In the order `arsip --help` lists them: es, cluster, model, index, delete, search, eval, serve.
COMMAND_GROUPS = (es_commands, model_commands, index_commands, delete_commands, search_commands)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arsip", description="A searchable archive with semantic search.")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        return fail(exc, 2)
    return args.func(args, settings)
