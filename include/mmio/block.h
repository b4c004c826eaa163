/*
 * Bulk transfers with a guaranteed access width, and verified stores.
 *
 * memcpy must never touch device memory: the C library's versions issue
 * overlapping, wider or unaligned accesses, in any order, and a device
 * that answers only 32-bit accesses (or counts them, like a FIFO) sees
 * something else than the program said. These functions make exactly one
 * access of the given width per element, at ascending addresses (or all at
 * the same one, for a FIFO), after every check has passed.
 */
#ifndef MMIO_BLOCK_H
#define MMIO_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Copies count elements of width bytes (1, 2, 4 or 8) between region r,
 * from byte off up, and the array at dst/src (uint8_t, uint16_t, uint32_t
 * or uint64_t elements in host order; suitably aligned for them).
 * Everything is checked before the first access: the width, the alignment
 * of off, that off + count * width fits the region (overflow-safe), the
 * write right. count 0 accesses nothing and returns 0.
 * Returns 0; -EINVAL (NULL pointer with count > 0, bad width);
 * MMIO_ERR_UNALIGNED; MMIO_ERR_OUT_OF_RANGE; MMIO_ERR_READ_ONLY; or a
 * backend's error, in which case the elements before the failing one were
 * transferred and the rest were not.
 */
MMIO_API int mmio_read_block(const mmio_region *r, size_t off, void *dst, size_t count,
                             unsigned width);
MMIO_API int mmio_write_block(mmio_region *r, size_t off, const void *src, size_t count,
                              unsigned width);

/* The same, but every access is to the one register at off (a FIFO). */
MMIO_API int mmio_read_fifo(const mmio_region *r, size_t off, void *dst, size_t count,
                            unsigned width);
MMIO_API int mmio_write_fifo(mmio_region *r, size_t off, const void *src, size_t count,
                             unsigned width);

/*
 * Stores v (width bytes) at off, reads it back, and compares the bits in
 * mask: for registers whose every bit is plain read-write, mask is all
 * ones; leave out read-only, write-1-to-clear and self-clearing bits.
 * *readback (when not NULL) gets what was read. Returns 0;
 * MMIO_ERR_WRITE_DROPPED when the masked bits differ (the store was made);
 * the errors of mmio_try_store_width and mmio_try_load_width.
 */
MMIO_API int mmio_store_verify(mmio_region *r, size_t off, unsigned width, uint64_t v,
                               uint64_t mask, uint64_t *readback);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_BLOCK_H */
