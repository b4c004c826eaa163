#!/bin/busybox sh
# The mmio command on QEMU's edu device, inside the test VM: every route
# (sysfs, /dev/mem, UIO, VFIO), register names from edu.svd, interrupts,
# the all-ones hint, and `mmio devmem` printing exactly what busybox
# devmem prints for the same accesses. Prints "ok"/"FAIL" lines and a
# summary line, like the guest program.
#
# usage: cli.sh MMIO EDU_SVD
mmio=$1
svd=$2
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   cli: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL cli: $1: $2"; }
# expect NAME WANTED COMMAND...: the command's stdout must be WANTED.
expect() {
  name=$1 want=$2
  shift 2
  got=$("$@" 2>/tmp/err)
  rc=$?
  if [ "$rc" -eq 0 ] && [ "$got" = "$want" ]; then ok "$name"; else
    fail "$name" "status $rc, got '$got', wanted '$want'; $(cat /tmp/err)"
  fi
}
# status NAME CODE COMMAND...: the command must exit with CODE.
status() {
  name=$1 code=$2
  shift 2
  "$@" >/tmp/out 2>/tmp/err
  rc=$?
  if [ "$rc" -eq "$code" ]; then ok "$name"; else
    fail "$name" "status $rc, wanted $code; $(cat /tmp/out /tmp/err)"
  fi
}

bdf=""
for d in /sys/bus/pci/devices/*; do
  [ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] && bdf=${d##*/}
done
[ -n "$bdf" ] || { echo "FAIL cli: no edu device"; echo "vm-cli: 0 passed, 1 failed"; exit 1; }
bar=$(awk 'NR == 1 { print $1 }' "/sys/bus/pci/devices/$bdf/resource")
bar=$(printf '0x%x' "$bar")
pci="pci:$bdf/bar0"

# ---- mmio list ----
if $mmio list | grep -q "^pci:$bdf .*1234:11e8"; then ok "list shows edu"; else
  fail "list shows edu" "$($mmio list 2>&1)"; fi
if $mmio list --json | grep -q "\"spec\": \"pci:$bdf/bar0\""; then ok "list --json names BAR0's spec"; else
  fail "list --json names BAR0's spec" "$($mmio list --json 2>&1)"; fi

# ---- sysfs ----
expect "sysfs: ID" "0x010000ed" $mmio -q pci:1234:11e8/bar0 read 0
expect "sysfs: liveness inverts" "0xedcba987" $mmio -q -w $pci write 4 0x12345678 \; read 4
status "sysfs: a store without --write is refused" 2 $mmio $pci write 4 1
expect "sysfs: 10! by names from edu.svd" "0x00375f00" \
  $mmio -q -w --regs "$svd" $pci write EDU.FACTORIAL 10 \; poll EDU.STATUS.COMPUTING 0 \; read EDU.FACTORIAL
if $mmio --regs "$svd" $pci read EDU.ID | grep -q "MAJOR\[31:24\]: 0x01"; then
  ok "sysfs: ID decoded"; else fail "sysfs: ID decoded" "$($mmio --regs "$svd" $pci read EDU.ID 2>&1)"; fi
if $mmio $pci info | grep -q "1234:11e8"; then ok "sysfs: info names the function"; else
  fail "sysfs: info names the function" "$($mmio $pci info 2>&1)"; fi
status "sysfs: unaligned refused before the device" 2 $mmio $pci read 2
status "sysfs: past the BAR refused" 2 $mmio $pci read 0x100000

# ---- mmio devmem against busybox devmem ----
for spec in "0 8" "0 16" "0 32" "0 64" "0 b" "0 h" "0 w" "0 l" "4 32" "8 32" "0x20 32" "0x24 32" \
            "0x80 64" "0x80 32"; do
  off=${spec% *} width=${spec#* }
  addr=$(printf '0x%x' $((bar + off)))
  theirs=$(busybox devmem "$addr" "$width" 2>&1)
  ours=$($mmio devmem "$addr" "$width" 2>&1)
  if [ "$ours" = "$theirs" ]; then ok "devmem $addr $width prints '$theirs' as busybox does"; else
    fail "devmem $addr $width" "busybox '$theirs', mmio '$ours'"; fi
done
addr=$(printf '0x%x' $((bar + 4)))
$mmio devmem "$addr" 32 0x0f0f0f0f
expect "devmem write seen by busybox" "0xF0F0F0F0" busybox devmem "$addr" 32
busybox devmem "$addr" 32 0x11111111
expect "busybox write seen by devmem" "0xEEEEEEEE" $mmio devmem "$addr" 32
ln -s "$mmio" /tmp/devmem
expect "run as devmem" "0x010000ED" /tmp/devmem "$bar"
status "devmem: unaligned refused" 2 $mmio devmem $((bar + 2)) 32

# ---- /dev/mem ----
expect "phys: ID" "0x010000ed" $mmio -q "phys:$bar+0x1000" read 0
expect "phys: 5! by offsets" "0x00000078" $mmio -q -w "phys:$bar+0x1000" write 8 5 \; poll 0x20 1 0 \; read 8

# ---- a device with memory decoding off ----
cfg=/sys/bus/pci/devices/$bdf/config
cmd=$(od -An -tx1 -j4 -N1 "$cfg" | tr -d ' \n')
printf "\\$(printf %03o $((0x$cmd & ~2)))" | dd of="$cfg" bs=1 seek=4 conv=notrunc 2>/dev/null
echo "     command register 0x$cmd, now 0x$(od -An -tx1 -j4 -N1 "$cfg" | tr -d ' \n')"
status "decoding off: pci: refuses to map" 1 $mmio $pci read 0
if grep -q "decoding is off" /tmp/err; then ok "decoding off: pci: says so"; else
  fail "decoding off: pci: says so" "$(cat /tmp/err)"; fi
# (QEMU answers an address no BAR decodes with zeros, where hardware gives
# all ones, so the all-ones note of phys: and devmem reads is checked by
# the unit tests on synthetic config space, not here.)
printf "\\$(printf %03o $((0x$cmd)))" | dd of="$cfg" bs=1 seek=4 conv=notrunc 2>/dev/null
expect "decoding back on" "0x010000ed" $mmio -q $pci read 0

# ---- UIO ----
echo "1234 11e8" > /sys/bus/pci/drivers/uio_pci_generic/new_id
sleep 1
expect "uio: ID by the driver's name" "0x010000ed" $mmio -q uio:uio_pci_generic/map0 read 0
expect "uio: interrupt of a factorial" "irq: 1" \
  $mmio -w --regs "$svd" "uio:$bdf/map0" write EDU.STATUS.IRQ_FACT 1 \; write EDU.FACTORIAL 6 \; irq --timeout 5s
expect "uio: cause read and acknowledged" "0x1" \
  $mmio -q -w --regs "$svd" "uio:$bdf/map0" read EDU.IRQ_STATUS.FACT \; write EDU.IRQ_ACK 1 \; write EDU.STATUS 0
echo "$bdf" > "/sys/bus/pci/devices/$bdf/driver/unbind"
echo "1234 11e8" > /sys/bus/pci/drivers/uio_pci_generic/remove_id

# ---- VFIO ----
echo vfio-pci > "/sys/bus/pci/devices/$bdf/driver_override"
echo "$bdf" > /sys/bus/pci/drivers_probe
if [ -e /dev/vfio/vfio ] && [ -L "/sys/bus/pci/devices/$bdf/iommu_group" ]; then
  expect "vfio: ID" "0x010000ed" $mmio -q "vfio:$bdf/bar0" read 0
  expect "vfio: interrupt of a factorial" "irq: 1" \
    $mmio -w --regs "$svd" "vfio:$bdf/bar0" write EDU.STATUS.IRQ_FACT 1 \; write EDU.FACTORIAL 7 \; irq --timeout 5s
  $mmio -w --regs "$svd" "vfio:$bdf/bar0" write EDU.IRQ_ACK 1 \; write EDU.STATUS 0
else
  fail "vfio" "edu has no IOMMU group"
fi
echo "$bdf" > "/sys/bus/pci/devices/$bdf/driver/unbind"
echo > "/sys/bus/pci/devices/$bdf/driver_override"

echo "vm-cli: $passed passed, $failed failed"
