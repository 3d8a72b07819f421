#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what it needs
# (Debian's chromium for the browser tests, the npm packages of
# tests/browser), then the Rust tests, then the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# poppler-utils (pdftotext, pdftoppm) and the Noto CJK fonts: the print
# test prints notices to PDF and measures them.
need_packages() {
  ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 \
    || ! fc-list 2>/dev/null | grep -q "Noto Serif CJK"
}
if need_packages; then
  echo "== installing Debian's chromium, poppler-utils and fonts-noto-cjk for the browser tests"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils fonts-noto-cjk >/dev/null
fi

echo "== clippy (every target, warnings are errors)"
cargo clippy --locked --all-targets -- -D warnings

echo "== Rust unit and integration tests"
cargo test --locked --all-targets

if [ -f tests/browser/run.sh ]; then
  echo "== browser tests (headless Chromium)"
  bash tests/browser/run.sh
fi
