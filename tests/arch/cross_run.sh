#!/bin/sh
# Builds the library and roundtrip.c statically for another architecture,
# through CMake (tests/arch is a project that takes mmio as a subproject),
# and runs the result under qemu-user.
#
# usage: cross_run.sh ARCH CC QEMU [CC_FLAGS...]
# Exits 77 (reported as skipped) when CC or QEMU is not installed.
set -eu
arch=$1 cc=$2 qemu=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/need_tools.sh"
need_tools "$cc" "$qemu" cmake
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# CMake's name for the processor: armhf is "arm".
case "$arch" in armhf) proc=arm ;; *) proc=$arch ;; esac
cmake -S "$here" -B "$tmp" -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR="$proc" \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$*" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_EXE_LINKER_FLAGS=-static -DMMIO_WERROR=ON >"$tmp/configure.log" 2>&1 ||
  { cat "$tmp/configure.log"; exit 1; }
cmake --build "$tmp" --target roundtrip -j 2 >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
"$qemu" "$tmp/roundtrip"
