/*
 * Mapping memory objects: any offset and size of a memfd, shm or regular
 * file, a PCI BAR's sysfs resource file, /dev/mem, a UIO or VFIO device.
 */
#ifndef MMIO_MAP_H
#define MMIO_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The memory type a mapping must have.
 *
 * On Linux user space cannot change an object's memory type: the driver
 * behind the object chooses it when the object is mapped (a memfd is cached
 * memory, a PCI BAR's resourceN file is uncached device memory, its
 * resourceN_wc file is write-combining, /dev/mem opened with O_SYNC is
 * uncached). mmio_map() therefore checks the request against what the
 * object gives and refuses a mismatch with MMIO_ERR_CACHE_POLICY; it never
 * silently maps with a weaker type than the one asked for.
 *
 * Linux offers user space no uncached *normal* memory type distinct from
 * device memory, so a request for MMIO_CACHE_UNCACHED is met by an object
 * that gives MMIO_CACHE_UNCACHED_DEVICE (which is stricter: no speculation,
 * no merging), never by a cached or write-combining one.
 */
enum mmio_cache_policy {
  /* Whatever the object gives; never refused. */
  MMIO_CACHE_DEFAULT = 0,
  /* Normal cached memory: memfd, shm, regular files, RAM. */
  MMIO_CACHE_CACHED,
  /* Uncached normal memory (see above). */
  MMIO_CACHE_UNCACHED,
  /* Uncached device memory: registers. */
  MMIO_CACHE_UNCACHED_DEVICE,
  /* Write-combining: prefetchable BARs through resourceN_wc, frame buffers. */
  MMIO_CACHE_WRITE_COMBINING
};

/* Returns the policy's name ("uncached-device", ...) or "invalid". */
MMIO_API const char *mmio_cache_policy_name(enum mmio_cache_policy policy);

/* mmio_map flags. */
/* Map without write permission; the region is read-only. */
#define MMIO_MAP_READ_ONLY 0x1u

/*
 * Creates an anonymous memory object (a memfd) of size bytes rounded up to
 * whole pages, sealed against shrinking and growing, so that no mapping of
 * it can ever fault with SIGBUS, and against further seals, so that no
 * holder of the descriptor can make it read-only. Its pages read as zero.
 *
 * Returns the file descriptor (close-on-exec), which the caller owns;
 * -EINVAL for size 0; MMIO_ERR_OUT_OF_RANGE when the rounded size does not
 * fit an off_t; or
 * -errno from memfd_create, ftruncate or the sealing.
 */
MMIO_API int mmio_vmo_create(size_t size);

/*
 * Maps size bytes of the memory object fd, starting offset bytes into it,
 * and makes *out a region whose byte 0 is the object's byte offset and whose
 * length is exactly size.
 *
 * offset need not be page-aligned: the mapping is page-rounded internally
 * and the region starts offset % pagesize bytes into it. The mapping is
 * shared (stores reach the object) and is unmapped exactly once, when the
 * last region sharing it is released.
 *
 * The caller keeps fd: the mapping holds its own reference to the object,
 * so fd may be closed as soon as this returns.
 *
 * policy: see enum mmio_cache_policy. flags: 0 or MMIO_MAP_READ_ONLY.
 *
 * Everything is validated before anything is mapped, and the arguments
 * before fd is looked at (fd -1 with size 0 is -EINVAL). Returns 0, or:
 *   -EINVAL                 out is NULL, size is 0, unknown flags or policy;
 *   MMIO_ERR_OUT_OF_RANGE   size > PTRDIFF_MAX, offset + size overflows, or
 *                           the range runs past the object's size (checked
 *                           for objects with a size: files, memfd, shm and
 *                           sysfs resource files, whose size is the BAR's and
 *                           need not be a page multiple; character devices
 *                           have none, and their driver checks the range);
 *   MMIO_ERR_CACHE_POLICY   the object cannot give the requested policy;
 *   -errno                  from fstat or mmap (-EACCES: fd was opened
 *                           read-only and MMIO_MAP_READ_ONLY was not given;
 *                           -EBADF: fd is not open).
 * On failure *out is left empty and no mapping remains.
 *
 * The unmap, when the last region goes, cannot fail unless the library's
 * record of the mapping has been corrupted (or the range was unmapped or
 * remapped behind its back); since a release cannot return an error and a
 * silent leak would hide the corruption, a failed munmap prints one line
 * ("mmio: munmap(ADDR, LEN) of a released region failed: ...") to stderr
 * and calls abort().
 */
MMIO_API int mmio_map(mmio_region *out, int fd, uint64_t offset, size_t size,
                      enum mmio_cache_policy policy, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_MAP_H */
