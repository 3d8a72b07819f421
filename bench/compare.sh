#!/usr/bin/env bash
# The speed table of issue 13: unionpress cold / nothing changed (new
# process, build cache) / one body edit / one template edit (tag.html, the
# notice template) / no cache, on tmpfs and on disk,
# with peak memory, against Hugo when it is installed (an equivalent Hugo
# site is made from the same generated content: same Markdown, same front
# matter, tags as a taxonomy, pagination 20, minimal templates), once with
# related pages on every page (as unionpress shows them) and once without.
# Not a test: figures depend on the machine and its load.
#
#   bench/compare.sh [pages…]            default: 10000
#   REPEAT=3 TMPFS=/dev/shm/x DISK=/var/tmp/x bench/compare.sh 1000 10000 50000
#   WHERE=tmpfs          only tmpfs (default: "tmpfs disk")
#   HUGO_RELATED=0       skip Hugo with related pages (minutes at 50,000 pages)
#   PEERS=0              unionpress only
#   WATCH=0              skip the watch latencies (bench_watch on a copy of
#                        the generated site, serve started inside it; the
#                        first place in WHERE, REPEAT edits of each kind)
#   SETTLE=65            on disk, wait this many seconds between removing
#                        the last output and a cold run (both tools); see
#                        below. Default 0: cold right after the removal.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=("${@:-10000}")
REPEAT="${REPEAT:-3}"
TMPFS="${TMPFS:-/dev/shm/unionpress-bench}"
DISK="${DISK:-/var/tmp/unionpress-bench}"
NOW="2026-11-21"
read -r -a PLACES <<<"${WHERE:-tmpfs disk}"
# Read, then taken out of the environment: Hugo takes every HUGO_* variable
# as a setting, and HUGO_RELATED=0 made it panic ("interface {} is string,
# not maps.Params": its `related` setting is a table).
RELATED_TOO="${HUGO_RELATED:-1}"
unset HUGO_RELATED

source bench/lib.sh
need_gnu_time
# PREBUILT=dir: use dir/unionpress and dir/gen_site instead of building them.
if [ -n "${PREBUILT:-}" ]; then
  BIN="$PREBUILT/unionpress"
  GEN="$PREBUILT/gen_site"
else
  # Two commands: built with the examples, the program would get their
  # `test-hooks` feature (the crate is its own dev-dependency), and with it
  # checks that only tests want (each watch patch against a whole reshape).
  cargo build --release --quiet --example gen_site --example bench_watch
  cargo build --release --quiet --bin unionpress
  BIN="$PWD/target/release/unionpress"
  GEN="$PWD/target/release/examples/gen_site"
fi
# bench_watch runs the unionpress in the folder above its own.
WATCHER="$(dirname "$BIN")/examples/bench_watch"
WATCH_TABLES=()
HUGO="$(command -v hugo || true)"
# PEERS=0: unionpress only.
[ "${PEERS:-1}" = 0 ] && HUGO=""

# Runs a command under /usr/bin/time; prints "seconds peak_MiB".
timed() {
  local tv
  tv="$(mktemp)"
  if ! /usr/bin/time -v -o "$tv" "$@" >/dev/null 2>"$tv.err"; then
    echo "failed: $*" >&2
    grep -m1 -iE "panic|fatal|error" "$tv.err" >&2 || tail -5 "$tv.err" >&2
    rm -f "$tv" "$tv.err"
    return 1
  fi
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
    /Maximum resident set size/ { rss = $2 }
    END { printf "%.2f %.0f\n", wall, rss / 1024 }' "$tv"
  rm -f "$tv" "$tv.err"
}

maxof() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }

# REPEAT runs of "prepare; command"; prints "median_s max_MiB".
measure() {
  local prepare="$1"
  shift
  local walls="" rsses="" w m r
  for ((r = 1; r <= REPEAT; r++)); do
    eval "$prepare"
    # A peer that crashes is a row saying so, not the end of the table.
    if ! read -r w m < <(timed "$@" || echo "failed failed"); then
      w=failed
    fi
    if [ "$w" = failed ]; then
      echo "failed failed"
      return
    fi
    walls+="$w "
    rsses+="$m "
  done
  echo "$(echo "$walls" | median) $(echo "$rsses" | maxof)"
}

# The same content as a Hugo site: content copied, a config, and templates
# that show each page and each paginated list (what unionpress makes too).
hugo_site() {
  local src="$1" dst="$2"
  rm -rf "$dst"
  mkdir -p "$dst/layouts/_default"
  cp -r "$src/content" "$dst/content"
  cat >"$dst/hugo.toml" <<'EOF'
baseURL = "/"
languageCode = "zh-cn"
title = "会宝岭集团工会"
paginate = 20
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[taxonomies]
tag = "tags"
[markup.goldmark.renderer]
unsafe = false
EOF
  cat >"$dst/layouts/_default/baseof.html" <<'EOF'
<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
EOF
  cat >"$dst/layouts/_default/single.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format "2006年1月2日" }} {{ .Params.department }}</p>
<p>{{ range .Params.tags }}<a href="{{ "tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a> {{ end }}</p>
{{ .Content }}
<aside>{{ range first 5 (.Site.RegularPages.Related .) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</aside>{{ end }}
EOF
  cat >"$dst/layouts/_default/list.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }} {{ .Summary | plainify | truncate 80 }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
EOF
  cp "$dst/layouts/_default/list.html" "$dst/layouts/_default/terms.html"
  cp "$dst/layouts/_default/list.html" "$dst/layouts/_default/taxonomy.html"
}

declare -a ROWS
row() { ROWS+=("$(printf '| %-6s | %-7s | %-42s | %8s | %9s |' "$@")"); }

for PAGES in "${SIZES[@]}"; do
  for where in "${PLACES[@]}"; do
    base="$TMPFS"
    [ "$where" = disk ] && base="$DISK"
    mkdir -p "$base"
    SITE="$base/site-$PAGES"
    OUT="$base/public-$PAGES"
    if ! [ -f "$SITE/.complete" ]; then
      rm -rf "$SITE"
      "$GEN" "$SITE" "$PAGES" >/dev/null
      touch "$SITE/.complete"
    fi
    # Let the files settle past the "recently written" window.
    sleep 4
    # Run as editors run it: inside the site folder, relative paths
    # (`env -C`), the output beside the site.
    build=(env -C "$SITE" "$BIN" build --output "../public-$PAGES" --now "$NOW")
    EDIT_PAGE="$(find "$SITE/content/notices" -name '*.md' ! -name '_index.md' | sort | sed -n 100p)"

    # Cold runs start after `sync`: the last run's output, just removed,
    # would otherwise still be going to the disk (ext4 writes back and
    # frees it while the timed run writes its own), and the timed run
    # would pay for the run before it. The same for Hugo below.
    # On an ext4 without a journal (this benchmark's VM disk: no jbd2),
    # the kernel avoids giving a new file the inode of one deleted in about
    # the last minute, and checks the candidates one by one: a cold run
    # right after `rm -rf` of 18,000 files spent 41 % of its samples in
    # ext4's recently_deleted (`perf`), and Hugo pays the same for its own
    # (system time 2.5 s against 1.4 s a minute later, for each tool).
    # SETTLE waits that out, for both tools.
    settle=':' after_rm=''
    if [ "$where" = disk ] && [ "${SETTLE:-0}" != 0 ]; then
      settle="sleep $SETTLE" after_rm=", $SETTLE s after rm"
    fi
    read -r w m < <(measure 'rm -rf "$OUT" "$SITE/.unionpress"; sync; '"$settle" "${build[@]}")
    row "$PAGES" "$where" "unionpress cold (no output, no cache)$after_rm" "$w" "$m"
    read -r w m < <(measure ':' "${build[@]}" --no-cache)
    row "$PAGES" "$where" "unionpress warm, --no-cache (new process)" "$w" "$m"
    "${build[@]}" >/dev/null
    sleep 4
    read -r w m < <(measure ':' "${build[@]}")
    row "$PAGES" "$where" "unionpress nothing changed (cache)" "$w" "$m"
    read -r w m < <(measure 'printf "\n基准测试修改 %s。\n" "$RANDOM" >>"$EDIT_PAGE"' "${build[@]}")
    row "$PAGES" "$where" "unionpress one body edit (cache)" "$w" "$m"
    # A template edit renders only the files made with that template: the
    # tag lists for tag.html, every notice for notice.html.
    for t in tag notice; do
      tpl="$SITE/themes/default/templates/$t.html"
      read -r w m < <(measure 'sed -i "\$ s|{% endblock|<!-- 基准 $RANDOM -->{% endblock|" "$tpl"' "${build[@]}")
      row "$PAGES" "$where" "unionpress $t.html edited (cache)" "$w" "$m"
    done
    files="$(find "$OUT" -type f | wc -l)"
    search_files="$(find "$OUT/search" -type f | wc -l)"
    search_kb="$(du -sk --apparent-size "$OUT/search" | cut -f1)"
    md_kb="$(find "$SITE/content" -name '*.md' -print0 | du -ck --apparent-size --files0-from=- | tail -1 | cut -f1)"
    ROWS+=("|        |         | output: $files files, search index $search_files files, ${search_kb} KB = $((100 * search_kb / md_kb)) % of ${md_kb} KB Markdown | | |")

    if [ "${WATCH:-1}" != 0 ] && [ "$where" = "${PLACES[0]}" ]; then
      if [ -x "$WATCHER" ]; then
        WSITE="$base/watch-$PAGES"
        rm -rf "$WSITE"
        cp -r "$SITE" "$WSITE"
        sleep 4
        WATCH_TABLES+=("$(printf '\n%s pages, %s, serve started inside the site folder:\n' "$PAGES" "$where")")
        WATCH_TABLES+=("$("$WATCHER" "$WSITE" "$REPEAT" inside)")
        rm -rf "$WSITE"
      else
        WATCH_TABLES+=("(watch latencies skipped: no $WATCHER)")
      fi
    fi

    if [ -n "$HUGO" ]; then
      HSITE="$base/hugo-$PAGES"
      hugo_site "$SITE" "$HSITE"
      hv="$("$HUGO" version | awk '{print $2}' | cut -d+ -f1)"
      if [ "$RELATED_TOO" != 0 ]; then
        read -r w m < <(measure 'rm -rf "$HSITE/public" "$HSITE/resources"; sync; '"$settle" env -C "$HSITE" "$HUGO" --quiet)
        row "$PAGES" "$where" "Hugo $hv cold, with related pages$after_rm" "$w" "$m"
      fi
      # The same without related pages: less than unionpress does, so the
      # fastest peer figure the 4x target is measured against.
      sed -i 's|<aside>.*</aside>||' "$HSITE/layouts/_default/single.html"
      read -r w m < <(measure 'rm -rf "$HSITE/public" "$HSITE/resources"; sync; '"$settle" env -C "$HSITE" "$HUGO" --quiet)
      row "$PAGES" "$where" "Hugo $hv cold, no related pages$after_rm" "$w" "$m"
    fi
  done
done

echo
echo "unionpress vs peers — median of $REPEAT, wall seconds and peak RSS"
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| pages | output | case | wall (s) | peak MiB |"
echo "|---|---|---|---:|---:|"
printf '%s\n' "${ROWS[@]}"
if [ "${#WATCH_TABLES[@]}" -gt 0 ]; then
  echo
  echo "watch: save → reload with every list and the search index written (median of $REPEAT)"
  printf '%s\n' "${WATCH_TABLES[@]}"
fi
