#!/bin/sh
# Every function from outside the project that the given libraries call
# must be listed in calls.txt (see its header); prints those that are not.
# usage: cover_every_call.sh CALLS_TXT LIBRARY...
set -eu
list=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm --defined-only "$@" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$tmp/defined"
# A sanitizer's own entry points are the build's, not the library's calls.
nm -u "$@" 2>/dev/null | awk 'NF == 2 && $1 == "U" { print $2 }' |
  grep -Ev '^__(asan|ubsan|tsan|lsan|sanitizer)_' | sort -u >"$tmp/used"
grep -v '^#' "$list" | awk 'NF >= 2 { print $1 }' | sort -u >"$tmp/listed"
comm -23 "$tmp/used" "$tmp/defined" | comm -23 - "$tmp/listed" >"$tmp/missing"
if [ -s "$tmp/missing" ]; then
  echo "calls the libraries make that $list does not list (add each as fail, undo, pure or stream):"
  cat "$tmp/missing"
  exit 1
fi
echo "faults: the libraries' $(comm -23 "$tmp/used" "$tmp/defined" | wc -l) outside calls are all listed in $(basename "$list")"
