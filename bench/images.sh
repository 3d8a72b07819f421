#!/usr/bin/env bash
# Photo benchmark: a site with PHOTOS generated 12-megapixel phone-like
# JPEGs (default 200, examples/gen_photos.rs: noisy so they compress like
# photos, every third stored sideways with EXIF orientation 6, all with GPS
# and owner tags) in event bundles of 20, built with `unionpress build`:
#   cold — no image cache, no output: every photo decoded, resized, encoded;
#   warm — a rebuild with nothing changed (cache and output in place);
#   fresh — no output but the cache kept (a new checkout of the output).
# Reports wall time, time per photo, the photos stage alone, and peak memory
# (RSS, /usr/bin/time -v). Not a test: numbers depend on the machine and its
# load.
#
#   bench/images.sh [photos]        BENCH_DIR=/tmp/x bench/images.sh 50
set -euo pipefail
cd "$(dirname "$0")/.."

PHOTOS="${1:-200}"
WORK="${BENCH_DIR:-/tmp/unionpress-bench-images}"
NOW="2026-11-21"

source bench/lib.sh
need_gnu_time

echo "== building release binaries"
# Two commands: built with the examples, the program would get their
# `test-hooks` feature (the crate is its own dev-dependency), and with it
# checks that only tests want (each watch patch against a whole reshape).
cargo build --release --quiet --example gen_photos
cargo build --release --quiet --bin unionpress
BIN="$PWD/target/release/unionpress"

SITE="$WORK/site-$PHOTOS"
OUT="$WORK/public-$PHOTOS"
if ! [ -f "$SITE/.complete" ]; then
  echo "== generating $PHOTOS photos (4000 × 3000) into $SITE"
  rm -rf "$SITE"
  mkdir -p "$SITE/content/events" "$SITE/themes"
  cp -r themes/default "$SITE/themes/default"
  printf 'title: 图片基准测试工会\ntimezone: Asia/Shanghai\n' >"$SITE/site.yaml"
  printf -- '---\ntitle: 活动报道\nkind: event\n---\n' >"$SITE/content/events/_index.md"
  target/release/examples/gen_photos "$WORK/photos-$PHOTOS" "$PHOTOS" 4000x3000
  n=0
  for f in "$WORK/photos-$PHOTOS"/*.jpg; do
    bundle="$SITE/content/events/event-$(printf '%03d' $((n / 20)))"
    if ! [ -d "$bundle" ]; then
      mkdir -p "$bundle"
      printf -- '---\ntitle: 第 %d 次职工活动\ndate: 2026-10-%02d\n---\n\n活动现场照片。\n' \
        $((n / 20 + 1)) $((n / 20 % 28 + 1)) >"$bundle/index.md"
    fi
    mv "$f" "$bundle/"
    n=$((n + 1))
  done
  touch "$SITE/.complete"
fi

# One build; prints "seconds peak_kb photos_ms processed reused".
one_build() {
  local log="$WORK/build.log" tv="$WORK/time.txt"
  if ! UNIONPRESS_TIMINGS=1 /usr/bin/time -v -o "$tv" env -C "$SITE" "$BIN" build --output "../$(basename "$OUT")" --now "$NOW" >"$log" 2>&1; then
    echo "build failed:" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  local photos_ms processed reused
  photos_ms="$(grep -o 'photos [0-9]* ms' "$log" | grep -o '[0-9]*' | head -1)"
  processed="$(grep -o 'photos processed [0-9]*' "$log" | grep -o '[0-9]*$')"
  reused="$(grep -o 'reused [0-9]*' "$log" | grep -o '[0-9]*$')"
  awk -F': ' -v pm="$photos_ms" -v pr="$processed" -v ru="$reused" '
    /Elapsed \(wall clock\)/ {
      n = split($2, t, ":"); s = 0
      for (i = 1; i <= n; i++) s = s * 60 + t[i]
      wall = s
    }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%.3f %d %d %d %d\n", wall, rss, pm, pr, ru }
  ' "$tv"
}

row() {
  local case="$1" w m pm pr ru
  read -r w m pm pr ru
  printf '%-6s %10s %14s %12s %16s %10s %8s\n' "$case" "$w" \
    "$(awk -v w="$w" -v n="$PHOTOS" 'BEGIN { printf "%.0f", w * 1000 / n }')" \
    "$pm" "$(awk -v k="$m" 'BEGIN { printf "%.0f", k / 1024 }')" "$pr" "$ru"
}

mb="$(du -sm "$SITE/content" | cut -f1)"
echo
echo "unionpress build, $PHOTOS photos of 4000 × 3000 (${mb} MB of JPEG)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-6s %10s %14s %12s %16s %10s %8s\n' case "wall (s)" "per photo (ms)" "photos (ms)" "peak RSS (MiB)" processed reused
rm -rf "$OUT" "$SITE/.unionpress"
one_build | row cold
one_build | row warm
rm -rf "$OUT"
one_build | row fresh
echo
echo "output: $(find "$OUT" -name '*.jpg' | wc -l) JPEG files, $(du -sm "$OUT" | cut -f1) MB"
