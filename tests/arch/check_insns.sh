#!/bin/sh
# Compiles probe.c for one architecture and checks, from the disassembly,
# that every raw accessor is exactly one load or store of the right width in
# the form a hypervisor can emulate.
#
# usage: check_insns.sh ARCH CC OBJDUMP INCLUDE_DIR [CC_FLAGS...]
#   ARCH: x86_64, aarch64 or riscv64
# Exits 77 (reported as skipped) when CC or OBJDUMP is not installed.
set -eu
arch=$1 cc=$2 objdump=$3 inc=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/need_tools.sh"
need_tools "$cc" "$objdump"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# -ffreestanding: the probe needs only stdint/stddef, so a cross clang
# works without a target sysroot.
"$cc" "$@" -std=c11 -O2 -ffreestanding -fno-stack-protector -fno-pic -I"$inc" -c "$here/probe.c" -o "$tmp/probe.o"
"$objdump" -d --no-show-raw-insn "$tmp/probe.o" > "$tmp/dis.txt"

# body FUNC: the instruction lines (mnemonic and operands) of FUNC.
body() {
  awk -v f="<$1>:" '
    $2 == f { on = 1; next }
    on && /^$/ { exit }
    on && /:\t/ && !/\tnop|\t(data16|cs)|xchg +%ax,%ax/ { sub(/^[^\t]*\t/, ""); print }
  ' "$tmp/dis.txt"
}

fail=0
check() { # FUNC MNEMONIC-REGEX OPERAND-REGEX
  b=$(body "$1")
  mem=$(printf '%s\n' "$b" | grep -E "$4" || true)
  n=$(printf '%s\n' "$mem" | grep -c . || true)
  if [ "$n" -ne 1 ] || ! printf '%s\n' "$mem" | grep -Eq "^$2[[:space:]]+($3)"; then
    echo "FAIL $arch $1: expected one '$2 $3' access, got:"
    printf '%s\n' "$b" | sed 's/^/    /'
    fail=1
  else
    echo "ok   $arch $1: $(printf '%s' "$mem" | tr -s ' \t' ' ')"
  fi
}

case "$arch" in
x86_64)
  # Any instruction with a memory operand counts as an access.
  m='\('
  check probe_load8 'mov' '\(%rdi\),%[a-z0-9]+l$' "$m"
  check probe_load16 'mov' '\(%rdi\),%[a-z0-9]+w?$' "$m"
  check probe_load32 'mov' '\(%rdi\),%e[a-z]+$|\(%rdi\),%r[0-9]+d$' "$m"
  check probe_load64 'mov' '\(%rdi\),%r[a-z0-9]+$' "$m"
  check probe_store8 'mov' '%[a-z0-9]+l,\(%rdi\)$' "$m"
  check probe_store16 'mov' '%[a-z0-9]+w?,\(%rdi\)$' "$m"
  check probe_store32 'mov' '%e[a-z]+,\(%rdi\)$|%r[0-9]+d,\(%rdi\)$' "$m"
  check probe_store64 'mov' '%r[a-z0-9]+,\(%rdi\)$' "$m"
  ;;
aarch64)
  # Every load/store mnemonic counts; the address must be a plain [xN]:
  # no offset, no writeback, no pair, no vector register.
  m='^(ld|st)[a-z0-9]*[[:space:]]'
  check probe_load8 'ldrb' 'w[0-9]+, \[x[0-9]+\]$' "$m"
  check probe_load16 'ldrh' 'w[0-9]+, \[x[0-9]+\]$' "$m"
  check probe_load32 'ldr' 'w[0-9]+, \[x[0-9]+\]$' "$m"
  check probe_load64 'ldr' 'x[0-9]+, \[x[0-9]+\]$' "$m"
  check probe_store8 'strb' 'w[0-9]+, \[x[0-9]+\]$' "$m"
  check probe_store16 'strh' 'w[0-9]+, \[x[0-9]+\]$' "$m"
  check probe_store32 'str' 'w[0-9]+, \[x[0-9]+\]$' "$m"
  check probe_store64 'str' 'x[0-9]+, \[x[0-9]+\]$' "$m"
  ;;
riscv64)
  m='^(l[bhwd]u?|s[bhwd]|c\.[ls][wd]|fl[wd]|fs[wd])[[:space:]]'
  check probe_load8 'lbu' '[a-z0-9]+,0\([a-z0-9]+\)$' "$m"
  check probe_load16 'lhu' '[a-z0-9]+,0\([a-z0-9]+\)$' "$m"
  check probe_load32 'lwu' '[a-z0-9]+,0\([a-z0-9]+\)$' "$m"
  check probe_load64 'ld' '[a-z0-9]+,0\([a-z0-9]+\)$' "$m"
  check probe_store8 'sb' '[a-z0-9]+,0\([a-z0-9]+\)$' "$m"
  check probe_store16 'sh' '[a-z0-9]+,0\([a-z0-9]+\)$' "$m"
  check probe_store32 'sw' '[a-z0-9]+,0\([a-z0-9]+\)$' "$m"
  check probe_store64 'sd' '[a-z0-9]+,0\([a-z0-9]+\)$' "$m"
  ;;
*)
  echo "unknown arch $arch"
  exit 2
  ;;
esac

for f in probe_try_load32 probe_try_store32; do
  echo "info $arch $f: $(body $f | grep -c .) instructions"
done
exit $fail
