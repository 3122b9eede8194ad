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
secure_started=0
SECURE_PORT="${ARSIP_SECURE_TEST_PORT:-9400}"
stop_node() {
  if [ "$secure_started" = "1" ]; then arsip es stop --port "$SECURE_PORT" || true; fi
  if [ "$started_here" = "1" ]; then arsip es stop || true; fi
}
trap stop_node EXIT

echo "==> ruff"
ruff check .
ruff format --check .
echo "==> lint-imports (layers and import circles, pyproject.toml)"
lint-imports --no-logo
echo "==> pytest"
python -m pytest "$@"

# The integration suite once more, against a secured node (TLS, the indexer identity; the search app's
# read-only identity where the suite builds its own service) — see README, "Running in production".
# Only on a whole-suite run (no pytest arguments); the slow tests already ran against the plain node.
if [ $# -gt 0 ]; then exit 0; fi
echo "==> pytest: integration against a secured Elasticsearch (port $SECURE_PORT)"
if ! arsip es status --port "$SECURE_PORT" >/dev/null 2>&1; then
  ARSIP_ES_HEAP="${ARSIP_SECURE_TEST_HEAP:-512m}" arsip es start --secure --port "$SECURE_PORT"
  secure_started=1
fi
secure_env="$(python -c "from arsip.settings import Settings; print(Settings.from_env().es_home / 'node-$SECURE_PORT' / 'secure.env')")"
(
  set -a
  # shellcheck disable=SC1090
  . "$secure_env"
  set +a
  python -m pytest tests/integration -m "not browser and not slow"
)
