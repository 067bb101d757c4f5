#!/usr/bin/env bash
# Push benchmark (issue #16): `newsgraph push` of a store to Oxigraph server (PyPI oxigraph) and
# to Virtuoso (Debian virtuoso-opensource), each against the server's own bulk loader of the
# same N-Quads file (`newsgraph export --format nquads`), in the same run. Prints a Markdown
# table with graphs/s, quads/s and the ratio push / bulk load.
#
# Usage: scripts/bench-push.sh STORE_DIR   (scripts/bench-corpus.sh calls it on its BBC store)
#        scripts/bench-push.sh             (ingests the BBC corpus into a temp store first)
# Env:   NEWSGRAPH_BBC, BENCH_DIR (work folder, default a temp dir, removed unless KEEP=1),
#        JOBS (push --jobs, default 4), OXIGRAPH_VENV (default ~/.cache/newsgraph-oxigraph-venv,
#        made on first use), VIRTUOSO=0 skips Virtuoso, CARGO_TARGET_DIR.
# Needs: cargo, python3 with venv, virtuoso-t and isql-vt (Debian virtuoso-opensource).
set -euo pipefail
cd "$(dirname "$0")/.."
bbc="${NEWSGRAPH_BBC:-../shared/corpus/bbc}"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
[ "${KEEP:-0}" = 1 ] || trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
target="${CARGO_TARGET_DIR:-target}"
jobs_n="${JOBS:-4}"

cargo build -q --bin newsgraph
mkdir -p "$work/bin"
cp "$target/debug/newsgraph" "$work/bin/newsgraph-push"
ng="$work/bin/newsgraph-push"

venv="${OXIGRAPH_VENV:-$HOME/.cache/newsgraph-oxigraph-venv}"
if [ ! -x "$venv/bin/oxigraph" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q oxigraph==0.5.13
fi
ox="$venv/bin/oxigraph"

store="${1:-}"
if [ -z "$store" ]; then
  store="$work/bbc-store"
  "$ng" --store "$store" ingest -q "$bbc" --no-validate 2>/dev/null
fi
# A copy: push writes its log into the store directory.
cp -r "$store" "$work/push-store"
store="$work/push-store"
rm -rf "$store/push-state"
nq="$work/store.nq"
"$ng" --store "$store" export --format nquads -o "$nq"
quads="$(wc -l < "$nq")"
graphs="$("$ng" --store "$store" graphs | wc -l)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 did not open" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# push_run NAME ARGS...: pushes the store, prints the seconds.
push_run() {
  local name="$1"; shift
  rm -rf "$store/push-state"
  local t0; t0="$(now)"
  "$ng" --store "$store" push -q --jobs "$jobs_n" "$@" 2> "$work/$name.log" || { cat "$work/$name.log" >&2; exit 1; }
  secs "$t0" "$(now)"
}

rows=()
row() { # NAME SECONDS PEER_NAME PEER_SECONDS
  rows+=("$(awk -v n="$1" -v s="$2" -v p="$3" -v ps="$4" -v g="$graphs" -v q="$quads" 'BEGIN {
    printf "| %s | %.2f | %.0f | %.0f | %s %.2f s (%.0f quads/s) | %.2f× |", n, s, g/s, q/s, p, ps, q/ps, ps/s }')")
}

# Oxigraph: its bulk loader (`oxigraph load`, server stopped) against push to `oxigraph serve`.
t0="$(now)"
"$ox" load --location "$work/ox-bulk" --file "$nq" >/dev/null 2>&1
ox_bulk="$(secs "$t0" "$(now)")"
for proto in gsp update quads; do
  port="$(free_port)"
  rm -rf "$work/ox-$proto"
  "$ox" serve --location "$work/ox-$proto" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  wait_port "$port"
  case "$proto" in
    gsp) s="$(push_run "ox-$proto" --to "http://127.0.0.1:$port/store")" ;;
    update) s="$(push_run "ox-$proto" --update "http://127.0.0.1:$port/update")" ;;
    quads) s="$(push_run "ox-$proto" --protocol quads --to "http://127.0.0.1:$port/store?no_transaction")" ;;
  esac
  kill "$pid"; wait "$pid" 2>/dev/null || true
  row "push to Oxigraph server 0.5.13 ($proto, --jobs $jobs_n)" "$s" "oxigraph load" "$ox_bulk"
done

# Virtuoso: its bulk loader (ld_dir + rdf_loader_run + checkpoint, through isql) against push,
# each into a fresh database.
virtuoso_start() { # DIR: starts Virtuoso with its files and ports in DIR; sets vpid, vsql, vhttp
  local dir="$1"; mkdir -p "$dir"
  vsql="$(free_port)"; vhttp="$(free_port)"
  awk -v d="$dir" -v s="$vsql" -v h="$vhttp" '
    /^ServerPort/ { n++; print "ServerPort = " (n == 1 ? s : h); next }
    /^DirsAllowed/ { print "DirsAllowed = " d ", " ENVIRON["BENCH_NQ_DIR"] ", ., /usr/share/virtuoso-opensource-7/vad"; next }
    { gsub("/var/lib/virtuoso-opensource-7/db/", d "/"); print }' \
    /etc/virtuoso-opensource-7/virtuoso.ini > "$dir/virtuoso.ini"
  (cd "$dir" && exec virtuoso-t +foreground +configfile "$dir/virtuoso.ini" >/dev/null 2>&1) &
  vpid=$!
  wait_port "$vhttp"
}
if [ "${VIRTUOSO:-1}" = 1 ]; then
  export BENCH_NQ_DIR="$work"
  virtuoso_start "$work/vt-bulk"
  t0="$(now)"
  isql-vt "$vsql" dba dba exec="ld_dir('$work', 'store.nq', 'urn:newsgraph:unused'); rdf_loader_run(); checkpoint;" >/dev/null
  vt_bulk="$(secs "$t0" "$(now)")"
  kill "$vpid"; wait "$vpid" 2>/dev/null || true
  for proto in gsp update; do
    virtuoso_start "$work/vt-$proto"
    isql-vt "$vsql" dba dba exec='GRANT SPARQL_UPDATE TO "SPARQL";' >/dev/null
    if [ "$proto" = gsp ]; then
      s="$(push_run "vt-$proto" --to "http://127.0.0.1:$vhttp/sparql-graph-crud")"
    else
      s="$(push_run "vt-$proto" --update "http://127.0.0.1:$vhttp/sparql")"
    fi
    kill "$vpid"; wait "$vpid" 2>/dev/null || true
    row "push to Virtuoso $(virtuoso-t -? 2>&1 | grep -om1 'Version [0-9.]*' | cut -d' ' -f2) ($proto, --jobs $jobs_n)" "$s" "ld_dir + rdf_loader_run" "$vt_bulk"
  done
fi

echo "push of $graphs graphs, $quads quads (newsgraph $(git describe --always --dirty 2>/dev/null || echo '?'), $(nproc) cores)"
echo
echo "| push | seconds | graphs/s | quads/s | server's bulk load, same file | push / bulk load |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
