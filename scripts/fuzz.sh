#!/usr/bin/env bash
# The long fuzz run (minutes; not part of CI): the property tests of
# tests/properties.rs with many more random inputs than CI gives them —
# front matter, dates, slugs, relative URLs and link rewriting, the search
# tokenizer, and Markdown full of hostile URLs. Prints whether anything
# failed or panicked, and the slowest single input of each property.
#
#   bash scripts/fuzz.sh              # 50,000 cases per property
#   PROPTEST_CASES=200000 bash scripts/fuzz.sh
#
# A failure prints proptest's minimal failing input; add it to
# tests/hostile.rs or the module's unit tests as a regression test.
# Times are of the debug build (an upper bound for the release build).
set -uo pipefail
cd "$(dirname "$0")/.."

cases="${PROPTEST_CASES:-50000}"
slowest="$(mktemp)"
log="$(mktemp)"
trap 'rm -f "$slowest" "$log"' EXIT

cargo test --quiet --test properties --no-run || exit 1
echo "== $cases cases per property (one thread)"
start=$(date +%s)
PROPTEST_CASES="$cases" UNIONPRESS_FUZZ_SLOWEST="$slowest" \
  cargo test --quiet --test properties -- --test-threads=1 >"$log" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))

grep -E '^test |test result|minimal failing input|panicked' "$log" || true
echo
echo "== slowest input per property (microseconds, size, first 200 characters)"
sort -t$'\t' -k1,1 -k2,2n "$slowest" |
  awk -F'\t' '{ last[$1] = $0 } END { for (p in last) print last[p] }' | sort
worst=$(awk -F'\t' 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$slowest")
echo
if [ "$status" -eq 0 ]; then
  echo "== 0 failures, 0 panics in ${elapsed}s; slowest input ${worst} µs"
else
  echo "== FAILED (see above) after ${elapsed}s"
fi
exit "$status"
