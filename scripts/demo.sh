#!/bin/sh
# The main job: a bring-up session with the mmio command, on any Linux
# machine, without hardware or root. First QEMU's edu device as a model in
# the process (fake:edu) with its register description: identify it,
# compute a factorial through its registers, poll the status field, decode
# the status register, dump a block of registers. Then the same tool on a
# POSIX shm object. Each command is printed before it runs.
#
# usage: scripts/demo.sh
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh build
cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMIO_BUILD_TESTS=OFF \
  -DMMIO_BUILD_BENCH=OFF -DMMIO_BUILD_PYTHON=OFF >/dev/null
cmake --build build-demo -j "$(nproc 2>/dev/null || echo 2)" --target mmio_tool >/dev/null
PATH=$PWD/build-demo/tools/mmio:$PATH

# Prints a command as typed, then runs it.
run() {
  printf '\n$'
  for word in "$@"; do
    case $word in
      *[!A-Za-z0-9_./:+@=-]*) printf " '%s'" "$word" ;;
      *) printf ' %s' "$word" ;;
    esac
  done
  printf '\n'
  "$@"
}

regs=examples/edu/edu.svd
run mmio fake:edu info
run mmio --regs "$regs" fake:edu read EDU.ID
run mmio --regs "$regs" fake:edu write EDU.FACTORIAL 10 \; poll EDU.STATUS.COMPUTING 0 \; read EDU.FACTORIAL
run mmio --regs "$regs" fake:edu write EDU.STATUS.IRQ_FACT 1 \; read EDU.STATUS
run mmio fake:edu dump 0x80 0x20 --width 64
run mmio --regs "$regs" fake:edu write EDU.ID 1 || echo "(exit status $?: refused, nothing was accessed)"

# The shm object and the lock its read-modify-write takes go when the demo
# ends.
shm=mmio-demo
MMIO_LOCK_DIR=$(mktemp -d)
export MMIO_LOCK_DIR
trap 'rm -f "/dev/shm/$shm"; rm -rf "$MMIO_LOCK_DIR"' EXIT
run mmio "shm:$shm+4096" fill 0 64 0x5a5a5a5a \; write 0x10 0x11223344 0xcafef00d \; modify 0x10 0xff00 0x7700
run mmio "shm:$shm" dump 0 0x20
run mmio --json "shm:$shm" read 0x10 2
run mmio -q "shm:$shm" read 0x1000 || echo "(exit status $?: past the end of the 4 KiB object, nothing was accessed)"
