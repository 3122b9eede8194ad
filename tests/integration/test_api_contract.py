"""The API contract, both ways: schemathesis (all checks) against the served app over a real index.

Requests are generated from /api/openapi.json — valid ones must be accepted and answered as documented
(status, content type, headers, body schema), invalid ones must be refused with a 400, undocumented
methods must get a 405 with an ``Allow`` header, and nothing may answer 5xx. Any finding fails the test.
The stateful phase follows the document's links (a search's first result → its document, passages like its
best passage), so those routes are also checked with ids that exist, not only with 404s.

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

# slow: ~5 min for 16 operations; it runs once per `make test`, against the plain node (the secured rerun
# of the integration suite leaves slow tests out, and this one exercises the app, not the node's security)
pytestmark = [pytest.mark.es, pytest.mark.model, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTRACT_MAX_EXAMPLES = int(os.environ.get("ARSIP_CONTRACT_EXAMPLES", "60"))
CONTRACT_SEED = os.environ.get("ARSIP_CONTRACT_SEED", "20261202")
OPERATIONS = (
    8  # GET /api/search, /api/export, /api/passages (the cursor walk), /api/documents/{id},
    # /api/entities/{kind}/{name}, /api/passages/{id}/similar, /healthz, /readyz
    + 1  # GET /api/documents/{id}/pages/{page}/image (an OCR'd page's picture)
    + 1  # POST /api/batch
    + 8  # saved searches: list, create, get, rename, delete, open, Atom feed, JSON feed
)


def test_served_app_keeps_its_openapi_contract(live_server_url: str, tmp_path: Path, capsys):
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
        # One worker: CPython 3.11.7's ast.parse is not thread-safe (gh-106905, fixed in 3.11.8), and
        # hypothesis parses under schemathesis' worker threads: one run failed with "AST constructor
        # recursion depth mismatch" inside hypothesis, not in the API.
        "--workers",
        "1",
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
    # cwd: schemathesis keeps a crash cache (.schemathesis/) in its working directory, not in the repo
    run = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    figures = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    cases = figures.get("test_cases", {})
    operations = figures.get("operations", {})
    summary = (
        f"schemathesis {figures.get('schemathesis_version')}: {operations.get('tested')} operations tested, "
        f"{cases.get('generated')} test cases (requests), {cases.get('unique_failures')} failures, "
        f"{len(figures.get('errors') or [])} errors, {figures.get('filtered')} refusals excused "
        f"(cross-parameter rules), at most {CONTRACT_MAX_EXAMPLES} examples per operation, "
        f"seed {CONTRACT_SEED}, {figures.get('running_time', 0):.1f} s; phases: "
        + ", ".join(f"{name} {phase.get('status')}" for name, phase in (figures.get("phases") or {}).items())
    )
    with capsys.disabled():  # what ran, in every `make test` output
        print(f"\n{summary}")
    failures = run.stdout.find("FAILURES")  # the findings first: the log before them is long
    details = run.stdout[failures : failures + 20_000] if failures >= 0 else run.stdout[-20_000:]
    assert run.returncode == 0, f"{summary}\n\n{details}\n{run.stderr[-5_000:]}"
    assert operations.get("tested") == OPERATIONS and cases.get("unique_failures") == 0, summary
    assert not figures.get("errors"), summary
