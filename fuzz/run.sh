#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each; FUZZ_SECONDS to change).
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The machine's Rust is stable: RUSTC_BOOTSTRAP=1
# lets cargo-fuzz use the nightly-only sanitizer flags with it.
set -euo pipefail
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-60}"
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/newsgraph-fuzz-target}"
for t in ${FUZZ_TARGETS:-extract facts_json front_matter query_scope}; do
  mkdir -p "corpus/$t"
  if [ "$t" = extract ] && [ -d ../seeds ]; then cp -n ../seeds/*.txt "corpus/$t/" 2>/dev/null || true; fi
  if [ "$t" = facts_json ]; then cp -n ../tests/gold/bbc-*.facts.json "corpus/$t/" 2>/dev/null || true; fi
  if [ "$t" = query_scope ]; then cp -n ../queries/*.rq "corpus/$t/" 2>/dev/null || true; fi
  echo "== $t: ${secs}s"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536
done
