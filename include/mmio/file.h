/*
 * Named shared memory and plain files.
 */
#ifndef MMIO_FILE_H
#define MMIO_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/map.h"
#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Maps the POSIX shared memory object /dev/shm/name (name without '/').
 * With size > 0 the object is created at that size if it does not exist
 * (mode 0600), and an existing one must be at least that large; the region
 * is size bytes. With size 0 the object must exist and the region covers
 * all of it. POSIX shm objects cannot be sealed; for an anonymous object
 * that is, use mmio_vmo_create(). The object stays after the region goes
 * (shm_unlink removes it).
 * flags: 0 or MMIO_MAP_READ_ONLY (which never creates).
 * Returns 0; -EINVAL; MMIO_ERR_OUT_OF_RANGE for an existing object smaller
 * than size, or an empty one with size 0; -errno.
 */
MMIO_API int mmio_shm_map(mmio_region *out, const char *name, size_t size, unsigned flags);

/*
 * Maps size bytes of the file at path, starting offset bytes into it, with
 * mmio_map()'s rules. size 0 means "to the end of the file", which only a
 * regular file has: for a device node give the size (-EINVAL otherwise).
 */
MMIO_API int mmio_file_map(mmio_region *out, const char *path, uint64_t offset, size_t size,
                           enum mmio_cache_policy policy, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_FILE_H */
