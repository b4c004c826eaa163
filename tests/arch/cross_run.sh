#!/bin/sh
# Builds the library and roundtrip.c statically for another architecture and
# runs the result under qemu-user.
#
# usage: cross_run.sh CC QEMU SOURCE_DIR [CC_FLAGS...]
# Exits 77 (reported as skipped) when CC or QEMU is not installed.
set -eu
cc=$1 qemu=$2 src=$3
shift 3
. "$(dirname "$0")/need_tools.sh"
need_tools "$cc" "$qemu"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cc" "$@" -std=c11 -O2 -Wall -Wextra -Werror -static -I"$src/include" \
  "$src"/src/*.c "$src/tests/arch/roundtrip.c" -o "$tmp/roundtrip"
"$qemu" "$tmp/roundtrip"
