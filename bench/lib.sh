# Shared by the bench/ scripts (sourced, not run): GNU time for peak RSS,
# and the median of a list of numbers.

# /usr/bin/time -v reports peak RSS; Debian's `time` package provides it.
need_gnu_time() {
  if ! [ -x /usr/bin/time ]; then
    echo "== installing GNU time (for peak RSS)" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get install -y -qq time >/dev/null
  fi
}

# The median of whitespace-separated numbers on stdin.
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
