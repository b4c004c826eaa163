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
"$qemu" -strace "$tmp/roundtrip" 2>"$tmp/strace.log"
# The 4 GiB + 0x3000 mapping must reach the kernel whole: on 32-bit Arm
# mmap2 takes the offset in pages, 0x100003. (qemu-user 7.2 then truncates
# it itself, so the mapped bytes cannot show this.)
if [ "$arch" = armhf ] &&
  ! grep -Eq 'mmap2\(NULL,4096,PROT_READ\|PROT_WRITE,MAP_SHARED,[0-9]+,0x100003\)' "$tmp/strace.log"; then
  echo "FAIL: the mapping at 4 GiB + 0x3000 did not reach mmap2 with page offset 0x100003:"
  grep mmap2 "$tmp/strace.log" | tail -n 5
  exit 1
fi
