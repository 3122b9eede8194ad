#!/usr/bin/env bash
# Re-extract the UI's messages into messages.pot and merge them into every language's messages.po.
# Run after adding or changing UI text; then translate the new (empty or "#, fuzzy") entries in each .po.
# The .mo files are compiled from the .po files when the app starts (searchapp/catalogs.py).
# tests/unit/test_i18n_catalogs.py fails while the .pot is stale or a translation is missing or fuzzy.
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-$(dirname "$(command -v python)")/pybabel}
[ -x "$PYBABEL" ] || PYBABEL=.venv/bin/pybabel
"$PYBABEL" extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output \
  --project arsip --msgid-bugs-address "" -o searchapp/translations/messages.pot .
"$PYBABEL" update -i searchapp/translations/messages.pot -d searchapp/translations -w 110 --ignore-obsolete
