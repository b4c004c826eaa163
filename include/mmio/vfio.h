/*
 * PCI devices through VFIO: regions (mmap where the device allows it,
 * pread/pwrite otherwise, behind the same checked API) and interrupts
 * delivered to an eventfd. This is the layer under mmio/device.h, whose
 * handle reaches VFIO, UIO and sysfs devices the same way; use it unless
 * you need VFIO itself.
 *
 * The device must be bound to vfio-pci, every other device in its IOMMU
 * group bound to vfio-pci or to no driver, and an IOMMU enabled (for Intel,
 * intel_iommu=on). As root:
 *
 *   echo vfio-pci > /sys/bus/pci/devices/0000:00:02.0/driver_override
 *   echo 0000:00:02.0 > /sys/bus/pci/devices/0000:00:02.0/driver/unbind
 *   echo 0000:00:02.0 > /sys/bus/pci/drivers_probe
 */
#ifndef MMIO_VFIO_H
#define MMIO_VFIO_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/map.h"
#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmio_vfio mmio_vfio;

/* mmio_vfio_map flag: use pread/pwrite even where the region can be mapped. */
#define MMIO_VFIO_NO_MMAP 0x100u

enum mmio_vfio_irq {
  MMIO_VFIO_IRQ_INTX = 0, /* the legacy line; masked after each interrupt */
  MMIO_VFIO_IRQ_MSI = 1   /* message signalled, vector 0 */
};

/*
 * Opens the device at bdf through VFIO: a container with the type 1 IOMMU,
 * the device's group, and the device. *out is the caller's
 * (mmio_vfio_close); regions mapped from it keep it open until released.
 * Returns 0; -EINVAL; -ENODEV (no such device); MMIO_ERR_NO_IOMMU;
 * MMIO_ERR_WRONG_DRIVER (not bound to vfio-pci); MMIO_ERR_VFIO_NOT_VIABLE;
 * -ENOENT (no /dev/vfio: load the vfio-pci module); -EBUSY (the group is
 * open elsewhere); -EPERM (the IOMMU lacks interrupt remapping); -errno.
 * On failure nothing stays open.
 */
MMIO_API int mmio_vfio_open(mmio_vfio **out, const char *bdf);

/* Drops the caller's reference. Accepts NULL. */
MMIO_API void mmio_vfio_close(mmio_vfio *v);

/*
 * Maps size bytes (0: to the end) starting offset bytes into BAR bar.
 * The region is mmapped when VFIO allows it for the whole window (honouring
 * the sparse-mmap areas the device reports) and flags lacks
 * MMIO_VFIO_NO_MMAP; otherwise its accesses are pread/pwrite calls on the
 * device, each exactly one access of the width asked for. Either way
 * alignment is judged on the offset in the BAR.
 * policy: MMIO_CACHE_DEFAULT, _UNCACHED, _UNCACHED_DEVICE (VFIO maps BARs
 * uncached). flags: MMIO_MAP_READ_ONLY, MMIO_VFIO_NO_MMAP.
 * Returns 0; -EINVAL; -ENXIO (no such BAR); MMIO_ERR_OUT_OF_RANGE;
 * MMIO_ERR_CACHE_POLICY; -errno.
 */
MMIO_API int mmio_vfio_map(mmio_region *out, mmio_vfio *v, unsigned bar, uint64_t offset,
                           size_t size, enum mmio_cache_policy policy, unsigned flags);

/*
 * Routes the device's interrupt of the given kind to an eventfd. For MSI
 * this also turns on bus mastering (an MSI is a memory write by the
 * device). One kind at a time; enabling again replaces the previous one.
 * Returns 0; -ENXIO when the device has no such interrupt; -errno.
 */
MMIO_API int mmio_vfio_irq_enable(mmio_vfio *v, enum mmio_vfio_irq kind);

/*
 * Waits up to timeout_ms milliseconds (-1: forever, 0: just check) for the
 * interrupt. Returns 1 (interrupts coalesce: one or more arrived), 0 on
 * timeout, -EINVAL when no interrupt is enabled, -errno.
 * After an INTx interrupt the line stays masked until mmio_vfio_irq_unmask;
 * acknowledge the cause at the device first.
 */
MMIO_API int mmio_vfio_irq_wait(mmio_vfio *v, int timeout_ms);

/* Unmasks INTx after an interrupt (no-op for MSI). Returns 0 or -errno. */
MMIO_API int mmio_vfio_irq_unmask(mmio_vfio *v);

/* Stops interrupt delivery and closes the eventfd. */
MMIO_API void mmio_vfio_irq_disable(mmio_vfio *v);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_VFIO_H */
