#!/usr/bin/env bash
# Prints where `cargo build` puts the debug unionpress binary: under
# CARGO_TARGET_DIR when it is set (relative to the repository, as cargo
# reads it from there), else under target/. Sourced by run.sh; run alone
# by a test.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-target}"
case "$target_dir" in /*) ;; *) target_dir="$repo/$target_dir" ;; esac
echo "$target_dir/debug/unionpress"
