#!/bin/sh
# Boots a stock Debian 12 cloud kernel under QEMU (TCG, q35, intel-iommu)
# with QEMU's edu and ivshmem-plain devices, runs tests/vm/guest.c inside,
# and checks the ivshmem exchange from the host.
#
# usage: tests/vm/run.sh [WORK_DIR]     (default: build-vm)
#
# Everything it needs is installed or fetched on the way: qemu-system-x86,
# busybox-static and cpio with apt-get; the kernel package (the one
# linux-image-cloud-amd64 depends on) with apt-get download, unpacked with
# dpkg-deb -x, never installed. It fails, loudly, when any of that or QEMU
# itself does not work: it never skips.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mkdir -p "${1:-$src/build-vm}" && cd "${1:-$src/build-vm}" && pwd)
sh "$src/scripts/deps.sh" vm

# The kernel: resolve the versioned package, fetch once, unpack.
if ! pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}') || [ -z "$pkg" ]; then
  apt-get update -qq
  pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
fi
kver=${pkg#linux-image-}
kroot=$work/kernel-$kver
if [ ! -d "$kroot/boot" ]; then
  mkdir -p "$work/debs"
  (cd "$work/debs" && apt-get download -q "$pkg" 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
  deb=$(ls "$work/debs/${pkg}_"*.deb | head -n 1)
  rm -rf "$kroot.tmp" && dpkg-deb -x "$deb" "$kroot.tmp" && mv "$kroot.tmp" "$kroot"
fi
vmlinuz=$(ls "$kroot"/boot/vmlinuz-* | head -n 1)
mods=$kroot/lib/modules/$kver/kernel

# The initramfs: busybox, the modules, the statically linked tests.
ir=$work/initramfs
rm -rf "$ir" && mkdir -p "$ir/bin" "$ir/proc" "$ir/sys" "$ir/dev" "$ir/modules"
cp /bin/busybox "$ir/bin/busybox"
for m in drivers/uio/uio.ko drivers/uio/uio_pci_generic.ko \
         virt/lib/irqbypass.ko drivers/vfio/vfio.ko drivers/vfio/vfio_iommu_type1.ko \
         drivers/vfio/vfio_virqfd.ko drivers/vfio/pci/vfio-pci-core.ko drivers/vfio/pci/vfio-pci.ko; do
  cp "$mods/$m" "$ir/modules/"
done
cc=${CC:-gcc}
"$cc" -std=c11 -O2 -Wall -Wextra -Werror -static -I"$src/include" -I"$src/examples/edu" \
  "$src"/src/*.c "$src/examples/edu/edu.c" "$src/tests/vm/guest.c" -o "$ir/guest" -lpthread
cp "$src/tests/vm/init" "$ir/init"
chmod +x "$ir/init"
(cd "$ir" && find . | cpio -o -H newc 2>/dev/null) | gzip -1 > "$work/initramfs.gz"

# The host side of ivshmem, built against the same sources.
"$cc" -std=c11 -O2 -Wall -Wextra -Werror -I"$src/include" "$src"/src/*.c "$src/tests/vm/host.c" \
  -o "$work/vm-host" -lpthread
shm=mmio-vm-$$
"$work/vm-host" prepare "$shm"

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
  tr -d '\r' < "$log" | grep -E '^(ok|FAIL|     )' || true
  if [ "$rc" -ne 0 ]; then
    echo "vm: qemu exited with status $rc; console log: $log"
    tail -n 40 "$log"
    status=1
  fi
  summary=$(tr -d '\r' < "$log" | grep -E '^vm-guest: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
  if [ -z "$summary" ]; then
    echo "vm: $name: the guest tests did not report; console log: $log"
    status=1
    summary="vm-guest: 0 passed, 1 failed"
  fi
  total_pass=$((total_pass + $(echo "$summary" | awk '{print $2}')))
  total_fail=$((total_fail + $(echo "$summary" | awk '{print $4}')))
}

total_pass=0
total_fail=0
boot iommu intel_iommu=on
# The host's half of the ivshmem exchange, after the guest has written.
if "$work/vm-host" check "$shm"; then total_pass=$((total_pass + 1)); else total_fail=$((total_fail + 1)); fi
"$work/vm-host" prepare "$shm"
boot no-iommu intel_iommu=off mmio.scenario=no-iommu
"$work/vm-host" check "$shm" >/dev/null 2>&1 || true

# A run that checked less than it should have is a failure too.
[ "$total_fail" -eq 0 ] && [ "$total_pass" -ge 78 ] || status=1
echo "vm: $total_pass passed, $total_fail failed"
exit $status
