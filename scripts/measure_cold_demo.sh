#!/usr/bin/env bash
# Time a cold `make demo` on a fresh clone: no pip cache, an empty Maven repository, a new virtualenv,
# the model built from scratch. Prints the time of each step and the total until the first search answered.
#
#   bash scripts/measure_cold_demo.sh [COMMIT]     (default HEAD; the clone goes to a temp dir, removed after)
#
# The node of the clone listens on ARSIP_ES_PORT (default 9650) so a node already running on 9200 is left
# alone; the UI step is `arsip serve` on port 5650 until /api/search answers. Heavy: run it alone.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
COMMIT="${1:-HEAD}"
PORT="${ARSIP_ES_PORT:-9650}"
WORK="$(mktemp -d /tmp/arsip-cold-demo.XXXXXX)"
chmod 755 "$WORK"  # the Elasticsearch user must traverse it
cleanup() {
  if [ -x "$WORK/clone/.venv/bin/arsip" ]; then
    (cd "$WORK/clone" && ARSIP_ES_PORT="$PORT" .venv/bin/arsip es stop >/dev/null 2>&1) || true
  fi
  if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

git clone -q "$REPO" "$WORK/clone"
cd "$WORK/clone"
git checkout -q "$COMMIT"
export PIP_NO_CACHE_DIR=1 ARSIP_ES_PORT="$PORT" ARSIP_BROWSER_TESTS=0
export MAVEN_OPTS="-Dmaven.repo.local=$WORK/m2"

step() {  # step NAME COMMAND...: run it and print its wall time
  local name="$1" start end
  shift
  start=$(date +%s.%N)
  "$@" >"$WORK/$name.log" 2>&1 || { echo "step $name failed:"; tail -30 "$WORK/$name.log"; exit 1; }
  end=$(date +%s.%N)
  printf '%-28s %7.1f s\n' "$name" "$(echo "$end - $start" | bc)"
}

total_start=$(date +%s.%N)
# `make demo` = bootstrap (setup) → es start → index the samples → serve; the Makefile's own targets, timed apart
step "bootstrap (make setup)" make setup
step "es start" make es-start
step "index samples" make index-sample
start=$(date +%s.%N)
.venv/bin/arsip serve --host 127.0.0.1 --port 5650 >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
until curl -fsS "http://127.0.0.1:5650/api/search?q=protokol+kesehatan+pilkada" -o "$WORK/first.json" 2>/dev/null; do
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died:"; tail -30 "$WORK/serve.log"; exit 1; }
  sleep 0.5
done
end=$(date +%s.%N)
printf '%-28s %7.1f s\n' "serve + first search" "$(echo "$end - $start" | bc)"
printf '%-28s %7.1f s  (commit %s)\n' "cold make demo, total" "$(echo "$end - $total_start" | bc)" \
  "$(git rev-parse --short HEAD)"
echo "venv size: $(du -sh .venv | cut -f1); torch installed: $(.venv/bin/python -c 'import importlib.util as u; print(u.find_spec("torch") is not None)')"
