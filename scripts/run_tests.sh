#!/usr/bin/env bash
# The README's test command (`make test`): set up, start the local Elasticsearch if it is not already
# running, run the whole suite against it, and stop the node again if this script started it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# shellcheck disable=SC1091
. "${VENV:-.venv}/bin/activate"

started_here=0
if [ -z "${ARSIP_ES_URL:-}" ] && ! arsip es status >/dev/null 2>&1; then
  arsip es start
  started_here=1
fi
stop_node() { if [ "$started_here" = "1" ]; then arsip es stop || true; fi; }
trap stop_node EXIT

echo "==> ruff"
ruff check .
ruff format --check .
echo "==> pytest"
python -m pytest "$@"
