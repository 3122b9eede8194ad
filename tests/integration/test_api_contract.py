"""The API contract, both ways: schemathesis (all checks) against the served app over a real index.

Requests are generated from /api/openapi.json — valid ones must be accepted and answered as documented
(status, content type, headers, body schema), invalid ones must be refused with a 400, undocumented
methods must get a 405 with an ``Allow`` header, and nothing may answer 5xx. Any finding fails the test.

Bounded for ``make test`` (about a minute on two cores): at most ``CONTRACT_MAX_EXAMPLES`` generated
requests per operation and phase, a fixed seed so a finding reproduces (``ARSIP_CONTRACT_SEED`` explores
others, ``ARSIP_CONTRACT_EXAMPLES`` runs more). The only excused refusals are the two rules that join
parameters, which OpenAPI cannot state per parameter (see ``contract_hooks.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.es, pytest.mark.model]

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTRACT_MAX_EXAMPLES = int(os.environ.get("ARSIP_CONTRACT_EXAMPLES", "25"))
CONTRACT_SEED = os.environ.get("ARSIP_CONTRACT_SEED", "20261202")
OPERATIONS = (
    6  # GET /api/search, /api/export, /api/documents/{id}, /api/passages/{id}/similar, /healthz, /readyz
)


def test_served_app_keeps_its_openapi_contract(live_server_url: str, tmp_path: Path):
    report = tmp_path / "schemathesis.json"
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{live_server_url}/api/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(CONTRACT_MAX_EXAMPLES),
        "--seed",
        CONTRACT_SEED,
        "--workers",
        "2",
        "--request-timeout",
        "60",
        "--generation-database",
        "none",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--no-color",
    ]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.integration.contract_hooks",
        "PYTHONPATH": str(REPO_ROOT),
    }
    run = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    print(
        run.stdout[-20_000:]
    )  # what ran: operations, phases, requests, findings (shown with -s or on failure)
    print(run.stderr[-5_000:], file=sys.stderr)
    assert run.returncode == 0, (
        f"schemathesis reported findings (exit {run.returncode}); see the output above"
    )
    figures = json.loads(report.read_text(encoding="utf-8"))
    print(json.dumps(figures.get("summary", figures), indent=1)[:3000])
