#!/usr/bin/env bash
# Web page benchmark (issue 17): median latency of every page of `newsgraph serve` on a store,
# then a bounded load test on loopback (CLIENTS concurrent clients sharing REQUESTS requests
# over the same pages), with p50/p99 and the error count. Prints Markdown.
#
# Usage: scripts/bench-pages.sh STORE_DIR      (bench-corpus.sh runs it on its BBC x50 store)
# Env:   RUNS (sequential fetches per page, default 20), CLIENTS (default 16), REQUESTS
#        (default 2000), WORKERS (serve --workers, default 4), CARGO_TARGET_DIR, NG (a
#        newsgraph binary to use instead of building one).
set -euo pipefail
cd "$(dirname "$0")/.."
store="$1"
runs="${RUNS:-20}"; clients="${CLIENTS:-16}"; requests="${REQUESTS:-2000}"; workers="${WORKERS:-4}"
target="${CARGO_TARGET_DIR:-target}"
cargo build -q --bin newsgraph --example page_load
work="$(mktemp -d)"; trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$target/debug/examples/page_load" "$work/page_load"
ng="${NG:-$work/newsgraph}"; [ -n "${NG:-}" ] || cp "$target/debug/newsgraph" "$ng"

enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
# The pages' subjects, read before serving (serve holds the store's lock): the most-mentioned
# person, one of median mentions, the most-mentioned person's newest article.
mapfile -t people < <("$ng" --store "$store" query queries/persons.rq --format csv | python3 -c '
import csv, sys
rows = sorted(list(csv.reader(sys.stdin))[1:], key=lambda r: (-int(r[2]), r[1]))
for r in (rows[0], rows[len(rows) // 2]): print(r[0]); print(r[1])')
top="${people[0]}"; top_name="${people[1]}"; median="${people[2]}"; median_name="${people[3]}"
article="$("$ng" --store "$store" query queries/pages/entity-articles.rq --bind "entity=<$top>" --format csv | sed -n 2p | cut -d, -f1)"
word="$(cut -d' ' -f2 <<<"$top_name")"
paths=(
  "/"
  "/search?q=$(enc "${word:0:4}")"
  "/entity?iri=$(enc "$top")"
  "/entity?iri=$(enc "$median")"
  "/article?iri=$(enc "$article")"
  "/timeline"
  "/timeline?kind=Meeting"
  "/timeline?who=$(enc "$top")"
  "/timeline?from=2004-12&to=2005-01"
)

start=$(date +%s.%N)
"$ng" --store "$store" serve --listen 127.0.0.1:0 --workers "$workers" 2> "$work/serve.log" &
pid=$!
until grep -q '^listening on' "$work/serve.log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
ready=$(date +%s.%N)
base="$(sed -n 's|^listening on \(http://[^/]*\)/query|\1|p' "$work/serve.log")"
articles="$(curl -s "$base/" 2>/dev/null | grep -o '<b>[0-9]*</b> articles' | grep -o '[0-9]*' || echo '?')"

echo "Pages of \`serve\` on $store ($articles articles; subjects: $top_name, $median_name and the newest article naming $top_name); serve started in $(awk -v a="$start" -v b="$ready" 'BEGIN { printf "%.2f", b - a }') s (it reads its indexes of names and events first), $workers workers:"
echo
echo "| page | bytes | median ms | max ms |"
echo "|---|---|---|---|"
"$work/page_load" "$base" "$runs" "$clients" "$requests" "${paths[@]}" > "$work/out.txt"
tail -n +2 "$work/out.txt" | grep -v '^load:' | awk -F'\t' '{ printf "| `%s` | %s | %s | %s |\n", $1, $2, $3, $4 }'
echo
grep '^load:' "$work/out.txt"
echo
echo "serve's peak RSS: $(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$pid/status")"
