#!/usr/bin/env bash
# Kill -9 stress for ingest atomicity, longer than the test suite's 20 runs.
# Usage: scripts/kill-ingest.sh [RUNS] [CORPUS_DIR]   (defaults: 100, ../shared/corpus/bbc)
# After every kill, each article graph present must have the quad count and facts hash of a
# clean ingest; at the end a re-run must complete the set. Exits non-zero on the first mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-100}"
corpus="${2:-../shared/corpus/bbc}"
bin="${NEWSGRAPH_BIN:-${CARGO_TARGET_DIR:-target}/debug/newsgraph}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
q='PREFIX ng: <https://w3id.org/newsgraph/ns#>
SELECT ?g (COUNT(*) AS ?n) (SAMPLE(?h) AS ?hash) WHERE { GRAPH ?g { ?s ?p ?o . ?g ng:contentHash ?h } } GROUP BY ?g ORDER BY ?g'
"$bin" --store "$tmp/clean" ingest "$corpus" --quiet
"$bin" --store "$tmp/clean" query --format tsv --query "$q" > "$tmp/clean.tsv"
for i in $(seq 1 "$runs"); do
  # Alternate the two write paths: transactions, and small bulk-load batches.
  if [ $((i % 2)) = 0 ]; then mode=(--transactional); else mode=(--batch-quads 20000); fi
  "$bin" --store "$tmp/killed" ingest "$corpus" --quiet "${mode[@]}" 2>/dev/null &
  pid=$!
  sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  "$bin" --store "$tmp/killed" query --format tsv --query "$q" > "$tmp/got.tsv"
  # Every line we have must be a line of the clean ingest.
  if ! awk 'NR==FNR { ok[$0]=1; next } FNR>1 && !ok[$0] { print "differs: " $0; bad=1 } END { exit bad }' "$tmp/clean.tsv" "$tmp/got.tsv"; then
    echo "run $i: a partial or different article graph"; exit 1
  fi
  echo "run $i: $(($(wc -l < "$tmp/got.tsv") - 1)) complete article graphs"
done
"$bin" --store "$tmp/killed" ingest "$corpus" --quiet
"$bin" --store "$tmp/killed" query --format tsv --query "$q" > "$tmp/got.tsv"
cmp -s "$tmp/clean.tsv" "$tmp/got.tsv" && echo "re-run completed the set: identical to a clean ingest"
