#!/bin/sh
# Boots a stock Debian 12 cloud kernel under QEMU (TCG, q35, intel-iommu)
# with QEMU's edu and ivshmem-plain devices, runs tests/vm/guest.c inside,
# and checks the ivshmem exchange from the host.
#
# usage: tests/vm/run.sh [WORK_DIR]     (default: build-vm)
#
# It installs and downloads nothing: QEMU, busybox-static and cpio must be
# installed and the kernel unpacked in build-vm/kernel, which
# scripts/deps.sh vm does (scripts/test.sh runs it). When something is
# missing it fails and says what: it never skips.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mkdir -p "${1:-$src/build-vm}" && cd "${1:-$src/build-vm}" && pwd)
kroot=${MMIO_VM_KERNEL:-$src/build-vm/kernel}

missing=""
for tool in qemu-system-x86_64:qemu-system-x86 cpio:cpio gzip:gzip cmake:cmake; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing="$missing ${tool#*:}"
done
[ -x /bin/busybox ] || missing="$missing busybox-static"
if [ -n "$missing" ]; then
  echo "vm: missing packages:$missing; install them (scripts/deps.sh vm does, as root)"
  exit 1
fi
vmlinuz=$(ls "$kroot"/boot/vmlinuz-* 2>/dev/null | head -n 1 || true)
if [ -z "$vmlinuz" ]; then
  echo "vm: no kernel in $kroot; fetch and unpack it with scripts/deps.sh vm"
  exit 1
fi
mods=$(ls -d "$kroot"/lib/modules/*/kernel | head -n 1)

# The guest and host programs, through CMake.
cmake -S "$src/tests/vm" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DMMIO_WERROR=ON \
  ${CC:+-DCMAKE_C_COMPILER="$CC"} >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" --target vm_guest vm_host mmio_tool vm_bench_cli -j "$(nproc 2>/dev/null || echo 2)" \
  >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

# The initramfs: busybox, the modules, the statically linked guest.
ir=$work/initramfs
rm -rf "$ir" && mkdir -p "$ir/bin" "$ir/proc" "$ir/sys" "$ir/dev" "$ir/modules" "$ir/tmp"
cp /bin/busybox "$ir/bin/busybox"
for m in drivers/uio/uio.ko drivers/uio/uio_pci_generic.ko \
         virt/lib/irqbypass.ko drivers/vfio/vfio.ko drivers/vfio/vfio_iommu_type1.ko \
         drivers/vfio/vfio_virqfd.ko drivers/vfio/pci/vfio-pci-core.ko drivers/vfio/pci/vfio-pci.ko; do
  cp "$mods/$m" "$ir/modules/"
done
cp "$work/build/vm_guest" "$ir/guest"
cp "$work/build/mmio/tools/mmio/mmio" "$ir/mmio"
cp "$work/build/vm_bench_cli" "$ir/bench_cli"
cp "$src/tests/vm/cli.sh" "$ir/cli.sh"
cp "$src/examples/edu/edu.svd" "$ir/edu.svd"
cp "$src/tests/vm/init" "$ir/init"
chmod +x "$ir/init"
(cd "$ir" && find . | cpio -o -H newc 2>/dev/null) | gzip -1 > "$work/initramfs.gz"

shm=mmio-vm-$$
"$work/build/vm_host" prepare "$shm"

# boot NAME APPEND...: runs the VM with extra kernel parameters; the
# console goes to $work/NAME.log and the guest's summary line to stdout.
status=0
boot() {
  name=$1
  shift
  log=$work/$name.log
  rc=0
  timeout 600 qemu-system-x86_64 -machine q35 -accel tcg -m 512 -smp 1 \
    -nographic -no-reboot -vga none -nic none \
    -kernel "$vmlinuz" -initrd "$work/initramfs.gz" \
    -append "console=ttyS0 quiet panic=-1 $*" \
    -device intel-iommu,intremap=on \
    -device edu \
    -object "memory-backend-file,id=hmem,share=on,mem-path=/dev/shm/$shm,size=1M" \
    -device ivshmem-plain,memdev=hmem \
    > "$log" 2>&1 || rc=$?
  echo "== $name"
  tr -d '\r' < "$log" | grep -E '^(ok|FAIL|     |bench:)' || true
  if [ "$rc" -ne 0 ]; then
    echo "vm: qemu exited with status $rc; console log: $log"
    tail -n 40 "$log"
    status=1
  fi
  # The guest program's summary, and the mmio command's where it ran.
  summaries=$(tr -d '\r' < "$log" | grep -E '^vm-(guest|cli): [0-9]+ passed, [0-9]+ failed$')
  if ! echo "$summaries" | grep -q '^vm-guest:'; then
    echo "vm: $name: the guest tests did not report; console log: $log"
    status=1
    summaries="vm-guest: 0 passed, 1 failed"
  fi
  total_pass=$((total_pass + $(echo "$summaries" | awk '{s += $2} END {print s + 0}')))
  total_fail=$((total_fail + $(echo "$summaries" | awk '{s += $4} END {print s + 0}')))
}

total_pass=0
total_fail=0
boot iommu intel_iommu=on
# The host's half of the ivshmem exchange, after the guest has written.
if "$work/build/vm_host" check "$shm"; then total_pass=$((total_pass + 1)); else total_fail=$((total_fail + 1)); fi
"$work/build/vm_host" prepare "$shm"
boot no-iommu intel_iommu=off mmio.scenario=no-iommu
"$work/build/vm_host" check "$shm" >/dev/null 2>&1 || true

# A run that checked less than it should have is a failure too.
[ "$total_fail" -eq 0 ] && [ "$total_pass" -ge 120 ] || status=1
echo "vm: $total_pass passed, $total_fail failed"
exit $status
