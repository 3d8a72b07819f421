#!/usr/bin/env bash
# Watch-mode benchmark: on a generated site (default 10,000 pages), the time
# from saving a file to the output being written and the reload event
# reaching the page, for a body edit, a title edit, edits that move a page
# in its lists (date, tags, pinning), pages that come, go or take another
# URL (draft on/off, a new page file, that file deleted, a new slug, a
# renamed file), a template edit, a template and a page saved together, a
# section's _index.md, a bundle's index.md and attachment, and two saves in a
# row (the second 200-400 ms after the first, during the full build).
# `serve` is started the ways editors start it: inside the site folder with
# no --root (the README's way), and from the folder above with a relative
# --root. Not a test: numbers depend on the machine and its load.
#
#   bench/watch.sh [pages] [repeats] [ways…]   ways: inside parent absolute
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES="${1:-10000}"
REPEATS="${2:-5}"
shift $(( $# < 2 ? $# : 2 ))
WAYS=("${@:-inside}")
[ $# -gt 0 ] || WAYS=(inside parent)
WORK="${BENCH_DIR:-/tmp/unionpress-bench}"
# Two commands: built with the examples, the program would get their
# `test-hooks` feature (the crate is its own dev-dependency), and with it
# checks that only tests want (each watch patch against a whole reshape).
cargo build --release --quiet --example gen_site --example bench_watch
cargo build --release --quiet --bin unionpress
SITE="$WORK/watch-site-$PAGES"
rm -rf "$SITE"
target/release/examples/gen_site "$SITE" "$PAGES" >/dev/null
# Let the files age past the "recently written" window, as an editor's site has.
sleep 4
for way in "${WAYS[@]}"; do
  echo "== serve started: $way"
  target/release/examples/bench_watch "$SITE" "$REPEATS" "$way"
done
