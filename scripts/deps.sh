#!/bin/sh
# Installs, with apt-get, whatever the build and tests need that is missing.
# Safe to run again: it installs nothing when everything is present.
#
# usage: scripts/deps.sh [build|test|vm]
#   build: what building the library and the examples needs
#   test:  that, plus the test framework, clang, cross compilers and
#          qemu-user for the instruction and cross-architecture checks,
#          and what the virtual-machine tests need
#   vm:    what the virtual-machine tests need (tests/vm/run.sh)
set -eu
what=${1:-test}

pkgs="cmake make gcc libc6-dev pkg-config"
vm="qemu-system-x86 busybox-static cpio gzip"
if [ "$what" = vm ]; then
  pkgs="$pkgs $vm"
elif [ "$what" = test ]; then
  pkgs="$pkgs $vm"
  pkgs="$pkgs libcmocka-dev clang binutils
        gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu
        gcc-riscv64-linux-gnu libc6-dev-riscv64-cross binutils-riscv64-linux-gnu
        qemu-user"
fi

missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "deps: missing packages:$missing" >&2
  echo "deps: run as root, or install them with: sudo apt-get install$missing" >&2
  exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
