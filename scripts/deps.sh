#!/bin/sh
# Installs, with apt-get, whatever the build and tests need that is missing,
# and for the virtual-machine tests fetches the kernel. Safe to run again:
# it installs and fetches nothing when everything is present.
#
# usage: scripts/deps.sh [build|test|vm|fuzz]
#   build: what building the library, the tools and the examples needs
#   fuzz:  that, plus clang and its libFuzzer runtime (scripts/fuzz.sh)
#   test:  both, plus the test framework, clang-format, valgrind,
#          cross compilers and qemu-user for the instruction and
#          cross-architecture checks (aarch64, riscv64, armhf), cmocka for
#          armhf (Debian's multiarch package: this adds the armhf
#          architecture to dpkg) so that the unit tests run under qemu-arm,
#          python3 for the layer rules and the mmio command's tests,
#          Python's development files, venv, setuptools, wheel, pytest and
#          numpy for the Python binding (built, installed with pip into a
#          virtual environment and tested; numpy for its benchmark's
#          PYNQ-style baseline), and all that vm needs
#   vm:    what the virtual-machine tests need (tests/vm/run.sh): QEMU,
#          busybox, and a stock Debian cloud kernel unpacked (never
#          installed) in build-vm/kernel
set -eu
cd "$(dirname "$0")/.."
what=${1:-test}

pkgs="cmake make gcc libc6-dev pkg-config libexpat1-dev"
vm="qemu-system-x86 busybox-static cpio gzip"
fuzz="clang libclang-rt-14-dev"
if [ "$what" = vm ]; then
  pkgs="$pkgs $vm"
elif [ "$what" = fuzz ]; then
  pkgs="$pkgs $fuzz"
elif [ "$what" = test ]; then
  pkgs="$pkgs $vm $fuzz"
  pkgs="$pkgs libcmocka-dev clang-format binutils python3 valgrind
        gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu
        gcc-riscv64-linux-gnu libc6-dev-riscv64-cross binutils-riscv64-linux-gnu
        gcc-arm-linux-gnueabihf libc6-dev-armhf-cross binutils-arm-linux-gnueabihf
        qemu-user
        python3-dev python3-venv python3-setuptools python3-wheel python3-pytest python3-numpy"
fi

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for p in $pkgs; do
  installed "$p" || missing="$missing $p"
done

if [ -n "$missing" ]; then
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
fi

[ "$what" = build ] || [ "$what" = fuzz ] && exit 0

# cmocka for armhf, so that the unit tests run under qemu-arm: Debian has
# it only as a multiarch package, which needs armhf added to dpkg's
# architectures. A Multi-Arch: same package must match the host's version
# of what it shares (libc6), which a mirror's armhf lists may lag behind
# after a security update; then the armhf unit tests are reported skipped
# (tests/arch/cross_unit.sh says why) instead of failing the whole run.
if [ "$what" = test ] && ! installed libcmocka-dev:armhf; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps: libcmocka-dev:armhf is missing (the armhf unit tests will be skipped)" >&2
  else
    export DEBIAN_FRONTEND=noninteractive
    dpkg --print-foreign-architectures | grep -qx armhf || dpkg --add-architecture armhf
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends libcmocka-dev:armhf >/dev/null ||
      echo "deps: could not install libcmocka-dev:armhf (the armhf unit tests will be skipped)" >&2
  fi
fi

# The VM tests' kernel: the package linux-image-cloud-amd64 depends on,
# downloaded once and unpacked with dpkg-deb, never installed.
kroot=build-vm/kernel
if ! ls "$kroot"/boot/vmlinuz-* >/dev/null 2>&1; then
  pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}' || true)
  if [ -z "$pkg" ]; then
    apt-get update -qq
    pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
  fi
  mkdir -p build-vm/debs
  (cd build-vm/debs && apt-get download -q "$pkg" 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
  deb=$(ls build-vm/debs/"${pkg}"_*.deb | head -n 1)
  echo "deps: unpacking $(basename "$deb") into $kroot"
  rm -rf "$kroot.tmp" && dpkg-deb -x "$deb" "$kroot.tmp" && rm -rf "$kroot" && mv "$kroot.tmp" "$kroot"
fi
