#!/bin/sh
# The instruction audit: compiles probe.c (every raw accessor alone, and
# driver-style code over raw memory and over checked regions) at -O2 and
# -O3 for one architecture and checks, from the disassembly, that every
# device access is exactly one load or store of the right width in the
# form a hypervisor can emulate, and that the compiler merged, paired,
# split, vectorised or re-addressed none of them.
#
# usage: check_insns.sh ARCH CC OBJDUMP INCLUDE_DIR [CC_FLAGS...]
#   ARCH: x86_64, aarch64, riscv64 or armhf
# Exits 77 (reported as skipped) when CC or OBJDUMP is not installed.
#
# The rules, per architecture (a "device form" is the only shape a device
# access may take; anything else that touches memory, apart from the stack
# and, on armhf, the literal pool, fails the audit):
#   x86_64   mov between memory and a general-purpose register (any
#            addressing mode: the emulator decodes ModRM/SIB); no other
#            instruction with a memory operand (no RMW on memory, no
#            SSE/AVX, no string instructions)
#   aarch64  ldrb/ldrh/ldr and strb/strh/str with a plain [xN]: no offset,
#            no pre/post-index writeback, no ldp/stp, no SIMD/FP register
#   riscv64  lbu/lhu/lwu/ld and sb/sh/sw/sd with displacement 0, in their
#            32-bit encodings: no compressed c.* form (raw.h forces norvc,
#            since a hypervisor need not decode them), no FP loads/stores
#   armhf    ldrb/ldrh/ldr and strb/strh/str with a plain [rN] (Thumb's
#            "[rN, #0]" is the same encoding): no offset, no writeback, no
#            ldrd/strd/ldm/stm, no VFP/NEON; a 64-bit access is two 32-bit
#            ones (mmio/raw.h)
# Each audited function's device accesses are counted by kind and width
# (L8 ... S64) and compared with what its source performs: exactly for
# straight-line code; for loops, loads equal to stores, or at least one.
# Functions over checked regions are audited on their stores only (their
# loads include the region's own fields, which are ordinary memory).
set -eu
arch=$1 cc=$2 objdump=$3 inc=$4
shift 4
ccflags="$*"
here=$(cd "$(dirname "$0")" && pwd)
. "$(dirname "$0")/need_tools.sh"
need_tools "$cc" "$objdump"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dis_flags="-d --no-show-raw-insn"
# Without no-aliases, objdump prints c.sw as sw: the compressed forms
# would be invisible.
[ "$arch" = riscv64 ] && dis_flags="$dis_flags -M no-aliases"

# classify: reads a disassembly, prints one line per function:
#   NAME COUNTS... [BAD:insn...]
# where COUNTS are L8=n S32=n ... of device-form accesses; store-only
# functions (drv_region_*) ignore loads.
classify() {
  awk -v arch="$arch" '
    function flush() {
      if (fn == "") return
      line = fn
      for (k in cnt) line = line " " k "=" cnt[k]
      if (bad != "") line = line " BAD:" bad
      print line
      delete cnt; bad = ""; fn = ""
    }
    function add(kind, bits) { if (!(storesonly && kind == "L")) cnt[kind bits]++ }
    function wrong(s) { gsub(/[ \t]+/, "_", s); bad = bad (bad == "" ? "" : ",") s }
    # Splits AT&T operands at the commas outside parentheses.
    function split2(ops, o,    i, c, depth, k) {
      k = 1; o[1] = ""; depth = 0
      for (i = 1; i <= length(ops); i++) {
        c = substr(ops, i, 1)
        if (c == "(") depth++
        if (c == ")") depth--
        if (c == "," && depth == 0) { o[++k] = ""; continue }
        o[k] = o[k] c
      }
      return k
    }
    function x86_width(r) {
      if (r ~ /^%r([0-9]+)b$|^%(al|bl|cl|dl|sil|dil|bpl|spl|ah|bh|ch|dh)$/) return 8
      if (r ~ /^%r([0-9]+)w$|^%(ax|bx|cx|dx|si|di|bp|sp)$/) return 16
      if (r ~ /^%r([0-9]+)d$|^%e[a-z]+$/) return 32
      if (r ~ /^%r([a-z]+|[0-9]+)$/) return 64
      return 0
    }
    # Local labels (riscv64 keeps .L symbols) do not start a function.
    /^[0-9a-f]+ <\.L.*>:$/ { next }
    /^[0-9a-f]+ <.*>:$/ {
      flush()
      fn = $2; sub(/^</, "", fn); sub(/>:$/, "", fn)
      storesonly = fn ~ /^drv_region_/
      next
    }
    fn != "" && /:\t/ {
      s = $0; sub(/^[^\t]*\t/, "", s)          # drop the address
      sub(/[ \t]+(\/\/|@|#[^0-9-]).*$/, "", s)   # drop comments
      sub(/[ \t]+<[^>]*>$/, "", s)
      n = split(s, w, /[ \t]+/); m = w[1]; ops = s; sub(/^[^ \t]+[ \t]*/, "", ops)
      if (arch == "x86_64") {
        # Padding (nopw with prefixes) and address arithmetic touch nothing.
        if (ops !~ /\(/ || m ~ /^(lea|nop|call|ret|push|pop|data16|cs)/) next
        if (ops ~ /\(%rsp\)/) next
        # AT&T puts the destination last: in a store-only audit, an
        # instruction that only reads memory reads fields of the region.
        if (storesonly && (m ~ /^(cmp|test)/ || ops !~ /\)$/)) next
        if (m ~ /^mov[bwlq]?$/ && split2(ops, o) == 2) {
          if (o[1] ~ /\(/ && x86_width(o[2])) { add("L", x86_width(o[2])); next }
          if (o[2] ~ /\(/ && x86_width(o[1])) { add("S", x86_width(o[1])); next }
        }
        wrong(s)
      } else if (arch == "aarch64") {
        if (m !~ /^(ld|st|prf)/) next
        if (ops ~ /\[sp/) next
        if (m ~ /^(ldrb|strb)$/ && ops ~ /^w[0-9]+, \[x[0-9]+\]$/) { add(m ~ /^ld/ ? "L" : "S", 8); next }
        if (m ~ /^(ldrh|strh)$/ && ops ~ /^w[0-9]+, \[x[0-9]+\]$/) { add(m ~ /^ld/ ? "L" : "S", 16); next }
        if (m ~ /^(ldr|str)$/ && ops ~ /^w[0-9]+, \[x[0-9]+\]$/) { add(m ~ /^ld/ ? "L" : "S", 32); next }
        if (m ~ /^(ldr|str)$/ && ops ~ /^x[0-9]+, \[x[0-9]+\]$/) { add(m ~ /^ld/ ? "L" : "S", 64); next }
        if (storesonly && m ~ /^ld/ && ops !~ /[qvdsbh][0-9]+/) next
        wrong(s)
      } else if (arch == "riscv64") {
        if (m !~ /^(c\.)?(f?l[bhwdq]u?|f?s[bhwdq]|l[bhwd]sp|s[bhwd]sp|f?l[wd]sp|f?s[wd]sp|lr\.|sc\.|amo)/) next
        if (ops ~ /\(sp\)$/) next
        if (m ~ /^(lbu|lhu|lwu|ld|sb|sh|sw|sd)$/ && ops ~ /^[a-z0-9]+,0\([a-z0-9]+\)$/) {
          b = m ~ /b/ ? 8 : m ~ /h/ ? 16 : m ~ /w/ ? 32 : 64
          add(m ~ /^l/ ? "L" : "S", b); next
        }
        if (storesonly && m ~ /^(c\.)?l[bhwd]/) next
        wrong(s)
      } else if (arch == "armhf") {
        if (m !~ /^(ldr|str|ldm|stm|ldrd|strd|vld|vst|vldr|vstr|vldm|vstm|pld|push|pop|ldrex|strex)/) next
        if (m ~ /^(push|pop)/ || ops ~ /^sp|\[sp/ || ops ~ /\[pc/) next
        r = "(r[0-9]+|sl|fp|ip|lr)"
        if (m ~ /^(ldrb|strb|ldrh|strh|ldr|str)(\.w|\.n)?$/ && ops ~ ("^" r ", \\[" r "(, #0)?\\]$")) {
          b = m ~ /b/ ? 8 : m ~ /h/ ? 16 : 32
          add(m ~ /^ld/ ? "L" : "S", b); next
        }
        if (storesonly && m ~ /^ldr/ && m !~ /^ldrd/) next
        wrong(s)
      }
    }
    END { flush() }
  '
}

# The expected device accesses of each function, per architecture.
# "=": exactly these counts and nothing else. "loop:A=B": A and B equal
# and positive, nothing else. "loop:A": A positive, nothing else.
if [ "$arch" = armhf ]; then w64l="L32=2" w64s="S32=2" w64pair="S32=4" fill="loop:S32" ; else
  w64l="L64=1" w64s="S64=1" w64pair="S64=2" fill="loop:S64"; fi
expect() {
  cat <<LIST
probe_load8 L8=1
probe_load16 L16=1
probe_load32 L32=1
probe_load64 $w64l
probe_store8 S8=1
probe_store16 S16=1
probe_store32 S32=1
probe_store64 $w64s
drv_adjacent_store32 S32=4
drv_adjacent_store8 S8=8
drv_adjacent_load16 L16=4
drv_adjacent_store64 $w64pair
drv_copy32 loop:L32=S32
drv_fill64 $fill
drv_rmw32 L32=1,S32=1
drv_poll32 L32=2
drv_region_init S32=4,S8=4
drv_region_copy loop:S32
drv_region_fill64 $fill
drv_region_rmw S32=1
LIST
}

# judge FUNC EXPECTATION OBSERVED...: 0 when they agree.
judge() {
  f=$1 want=$2
  shift 2
  got=$(printf '%s\n' "$@" | grep -v '^BAD:' | sort | tr '\n' ',' | sed 's/,$//')
  if printf '%s\n' "$@" | grep -q '^BAD:'; then return 1; fi
  case "$want" in
  loop:*=*)
    a=${want#loop:}; b=${a#*=}; a=${a%%=*}
    na=$(printf '%s\n' "$@" | sed -n "s/^$a=//p"); nb=$(printf '%s\n' "$@" | sed -n "s/^$b=//p")
    [ -n "$na" ] && [ "$na" = "$nb" ] && [ "$(printf '%s\n' "$@" | grep -c .)" -eq 2 ]
    ;;
  loop:*)
    a=${want#loop:}
    [ -n "$(printf '%s\n' "$@" | sed -n "s/^$a=//p")" ] && [ "$(printf '%s\n' "$@" | grep -c .)" -eq 1 ]
    ;;
  *)
    [ "$got" = "$(printf '%s\n' "$want" | tr ',' '\n' | sort | tr '\n' ',' | sed 's/,$//')" ]
    ;;
  esac
}

fail=0
for opt in -O2 -O3; do
  # -ffreestanding: the probe needs only stdint/stddef, so a cross clang
  # works without a target sysroot.
  # shellcheck disable=SC2086
  "$cc" $ccflags -std=c11 "$opt" -ffreestanding -fno-stack-protector -fno-pic -I"$inc" \
    -c "$here/probe.c" -o "$tmp/probe.o"
  # shellcheck disable=SC2086
  "$objdump" $dis_flags "$tmp/probe.o" >"$tmp/dis.txt"
  classify <"$tmp/dis.txt" >"$tmp/counts.txt"
  expect >"$tmp/expect.txt"
  while read -r f want; do
    line=$(grep "^$f\( \|$\)" "$tmp/counts.txt" || true)
    if [ -z "$line" ]; then
      echo "FAIL $arch $opt $f: not found in the disassembly"
      fail=1
      continue
    fi
    # shellcheck disable=SC2086
    set -- $line
    shift
    if judge "$f" "$want" "$@"; then
      echo "ok   $arch $opt $f: $*"
    else
      echo "FAIL $arch $opt $f: expected $want, got: $*"
      awk -v f="<$f>:" '$2 == f { on = 1; next } on && /^$/ { exit } on { print "    " $0 }' "$tmp/dis.txt"
      fail=1
    fi
  done <"$tmp/expect.txt"
done
for f in probe_try_load32 probe_try_store32; do
  echo "info $arch $f: $(awk -v f="<$f>:" '$2 == f { on = 1; next } on && /^$/ { exit } on && /:\t/' "$tmp/dis.txt" | grep -c .) instructions at -O3"
done
exit $fail
