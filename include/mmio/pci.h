/*
 * PCI BARs through sysfs (/sys/bus/pci/devices/ADDR/resourceN).
 */
#ifndef MMIO_PCI_H
#define MMIO_PCI_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/map.h"
#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Maps size bytes (0: to the end of the BAR) starting offset bytes into
 * memory BAR bar (0-5) of the PCI device at address bdf ("0000:00:02.0" or
 * "00:02.0").
 *
 * policy: MMIO_CACHE_WRITE_COMBINING maps resourceN_wc, which exists only
 * for prefetchable BARs (refused otherwise); MMIO_CACHE_DEFAULT, _UNCACHED
 * and _UNCACHED_DEVICE map resourceN, uncached; _CACHED is refused: BARs
 * are never mapped cached. flags: 0 or MMIO_MAP_READ_ONLY.
 *
 * Checks, before mapping: the device and BAR exist (-ENODEV, -ENXIO), the
 * BAR decodes memory (MMIO_ERR_IO_BAR), the window fits the BAR
 * (MMIO_ERR_OUT_OF_RANGE), the device's memory decoding is on
 * (MMIO_ERR_DECODING_OFF; enable it with "echo 1 > .../enable" or bind a
 * driver). The kernel then refuses with -EINVAL a BAR that a driver holds
 * exclusively (vfio-pci), and with -EPERM/-EACCES when not root or locked
 * down. mmio_explain() (mmio/open.h) words each case.
 * On failure *out is left empty and nothing stays open.
 */
MMIO_API int mmio_pci_map(mmio_region *out, const char *bdf, unsigned bar, uint64_t offset,
                          size_t size, enum mmio_cache_policy policy, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_PCI_H */
