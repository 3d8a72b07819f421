#!/usr/bin/env bash
# Build benchmark: generates a Chinese union site (default 10,000 pages,
# examples/gen_site.rs) and measures `unionpress build` wall time and peak
# memory (RSS) for
#   cold  — no previous output,
#   warm  — a rebuild with nothing changed,
#   edit  — a rebuild after one page's body was changed,
#   touch — a rebuild after one page was touched (mtime only).
# Each case runs REPEAT times (default 3); the table shows the median and
# the best. Not a test: numbers depend on the machine and its load.
# Builds use the build cache (.unionpress/cache/) as `unionpress build` does;
# bench/compare.sh prints the full table (no cache, cache, Hugo, tmpfs/disk).
#
#   bench/build.sh [pages]        BENCH_DIR=/tmp/x REPEAT=5 bench/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PAGES="${1:-10000}"
REPEAT="${REPEAT:-3}"
WORK="${BENCH_DIR:-/tmp/unionpress-bench}"
NOW="2026-11-21"

source bench/lib.sh
need_gnu_time

echo "== building release binaries"
# Two commands: built with the examples, the program would get their
# `test-hooks` feature (the crate is its own dev-dependency), and with it
# checks that only tests want (each watch patch against a whole reshape).
cargo build --release --quiet --example gen_site
cargo build --release --quiet --bin unionpress
BIN="$PWD/target/release/unionpress"

SITE="$WORK/site-$PAGES"
OUT="$WORK/public-$PAGES"
if ! [ -f "$SITE/.complete" ]; then
  echo "== generating $PAGES pages into $SITE"
  rm -rf "$SITE"
  target/release/examples/gen_site "$SITE" "$PAGES"
  touch "$SITE/.complete"
fi

# One build; prints "seconds peak_kb"; its own summary line stays in
# $WORK/build.log (this runs in a subshell, so no variables come back).
one_build() {
  local log="$WORK/build.log" tv="$WORK/time.txt"
  if ! /usr/bin/time -v -o "$tv" env -C "$SITE" "$BIN" build --output "../$(basename "$OUT")" --now "$NOW" >"$log" 2>&1; then
    echo "build failed:" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  awk -F': ' '
    /Elapsed \(wall clock\)/ {
      n = split($2, t, ":"); s = 0
      for (i = 1; i <= n; i++) s = s * 60 + t[i]
      wall = s
    }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%.3f %d\n", wall, rss }
  ' "$tv"
}

# A page deep in the site whose body we change, and one we only touch.
EDIT_PAGE="$(find "$SITE/content/notices" -name '*.md' ! -name '_index.md' | sort | sed -n '100p')"
TOUCH_PAGE="$(find "$SITE/content/policies" -name '*.md' ! -name '_index.md' | sort | sed -n '50p')"

declare -A WALLS RSSES SUMMARIES
measure() {
  local case="$1" walls="" rsses="" r
  for ((r = 1; r <= REPEAT; r++)); do
    case "$case" in
      cold) rm -rf "$OUT" "$SITE/.unionpress" ;;
      warm) ;;
      edit) printf '\n基准测试第 %s 次修改：补充一段说明。\n' "$r$RANDOM" >>"$EDIT_PAGE" ;;
      touch) touch "$TOUCH_PAGE" ;;
    esac
    read -r w m < <(one_build)
    walls+="$w "
    rsses+="$m "
  done
  WALLS[$case]="$walls"
  RSSES[$case]="$rsses"
  SUMMARIES[$case]="$(grep -m1 -E '构建完成|Built' "$WORK/build.log" || head -1 "$WORK/build.log")"
}

best() { tr ' ' '\n' | grep -v '^$' | sort -g | head -1; }

rm -rf "$OUT"
one_build >/dev/null # the first output, so warm/edit/touch have something to compare with
for c in cold warm edit touch; do
  measure "$c"
done

pages_md="$(find "$SITE/content" -name '*.md' | wc -l)"
content_mb="$(du -sm "$SITE/content" | cut -f1)"
out_files="$(find "$OUT" -type f | wc -l)"
out_mb="$(du -sm "$OUT" | cut -f1)"
echo
echo "unionpress build, $PAGES generated pages ($pages_md .md files, ${content_mb} MB of content → $out_files files, ${out_mb} MB)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-7s %12s %10s %18s %6s\n' case "median (s)" "best (s)" "peak RSS (MiB)" "runs"
for c in cold warm edit touch; do
  wm="$(echo "${WALLS[$c]}" | median)"
  wb="$(echo "${WALLS[$c]}" | best)"
  rss_kb="$(echo "${RSSES[$c]}" | tr ' ' '\n' | grep -v '^$' | sort -g | tail -1)"
  rss_mib="$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')"
  printf '%-7s %12s %10s %18s %6s\n' "$c" "$wm" "$wb" "$rss_mib (max)" "$REPEAT"
done
echo
echo "targets: < 0.5 s and < 250 MB peak RSS (Hugo/Zola: ~3.5 s, 1.2–1.6 GB)"
for c in cold warm edit touch; do
  echo "  $c: ${SUMMARIES[$c]}"
done
