/*
 * Physical memory through /dev/mem.
 */
#ifndef MMIO_PHYS_H
#define MMIO_PHYS_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/map.h"
#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Maps size bytes of physical address space at addr (any alignment: the
 * mapping is page-rounded internally) through /dev/mem opened with O_SYNC,
 * so the kernel maps it uncached.
 *
 * policy: MMIO_CACHE_DEFAULT, _UNCACHED or _UNCACHED_DEVICE; _CACHED and
 * _WRITE_COMBINING are refused (MMIO_ERR_CACHE_POLICY). flags: 0 or
 * MMIO_MAP_READ_ONLY.
 *
 * Returns 0; -EINVAL for size 0; MMIO_ERR_OUT_OF_RANGE when addr + size
 * overflows; -EPERM when the kernel's STRICT_DEVMEM refuses the range (RAM,
 * or with IO_STRICT_DEVMEM a range a driver has claimed: mmio_explain()
 * names the device and driver); -EACCES without root; other -errno.
 */
MMIO_API int mmio_phys_map(mmio_region *out, uint64_t addr, size_t size,
                           enum mmio_cache_policy policy, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_PHYS_H */
