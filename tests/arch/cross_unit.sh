#!/bin/sh
# Builds the whole project, unit tests included, for another architecture
# and runs the unit tests (every test not labelled arch, build or vm) under
# qemu-user through CTest's cross-compiling emulator (not the mmio command's
# pytest suite, which runs the tool natively). The tests need the
# target's cmocka, which Debian ships only as a multiarch package
# (libcmocka-dev:armhf; scripts/deps.sh installs it).
#
# usage: cross_unit.sh TRIPLE PROCESSOR QEMU SOURCE_DIR
# Exits 77 (reported as skipped) when the compiler, qemu or the target's
# cmocka is not installed.
set -eu
triple=$1 proc=$2 qemu=$3 src=$4
here=$(cd "$(dirname "$0")" && pwd)
. "$here/need_tools.sh"
need_tools "$triple-gcc" "$qemu" cmake ctest
pc=/usr/lib/$triple/pkgconfig
if [ ! -f "$pc/cmocka.pc" ]; then
  echo "SKIP: cmocka for $triple is not installed ($pc/cmocka.pc)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PKG_CONFIG_LIBDIR="$pc:/usr/share/pkgconfig" cmake -S "$src" -B "$tmp" \
  -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR="$proc" \
  -DCMAKE_C_COMPILER="$triple-gcc" -DCMAKE_CROSSCOMPILING_EMULATOR="$qemu" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMIO_WERROR=ON -DMMIO_BUILD_BENCH=OFF \
  >"$tmp/configure.log" 2>&1 || { cat "$tmp/configure.log"; exit 1; }
cmake --build "$tmp" -j "$(nproc 2>/dev/null || echo 2)" >"$tmp/build.log" 2>&1 ||
  { cat "$tmp/build.log"; exit 1; }
ctest --test-dir "$tmp" --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" -LE "arch|build|vm|cli"
