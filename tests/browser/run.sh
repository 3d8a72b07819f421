#!/usr/bin/env bash
# Browser tests: headless Chromium (Debian's /usr/bin/chromium; never a
# downloaded browser) driven by playwright-core, on the example site built
# into public/. Installs the pinned npm packages when they are missing or
# stale, builds the site, then runs every *.test.js here with node --test.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

cd "$here"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

cd "$repo"
# The debug build: `cargo test` has just built it, and the example site is
# small; a release build would compile everything a second time.
cargo build --quiet --bin unionpress
# Where cargo put it: under CARGO_TARGET_DIR when that is set.
UNIONPRESS_BIN="$(bash "$here/bin-path.sh")"
export UNIONPRESS_BIN
"$UNIONPRESS_BIN" build --now 2026-11-21

cd "$here"
node --test "$@"
