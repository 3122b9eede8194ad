"""How every command answers: JSON on stdout, ``error: …`` on stderr with the exit code it returns."""

from __future__ import annotations

import json
import sys


def print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def fail(message: object, code: int) -> int:
    """Print ``error: message`` to stderr; returns ``code`` for the command to return."""
    print(f"error: {message}", file=sys.stderr)
    return code
