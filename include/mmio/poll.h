/*
 * Waiting for a register to reach a value, with the contract of Linux's
 * read_poll_timeout() (include/linux/iopoll.h).
 */
#ifndef MMIO_POLL_H
#define MMIO_POLL_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/region.h"
#include "mmio/regs.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Reads the N-bit register at byte off of r until (value & mask) ==
 * expected, or until timeout_us microseconds have passed.
 *
 *   timeout_us  0 waits forever. The deadline is taken, on the monotonic
 *               clock (mmio_clock_ns), before the first read.
 *   sleep_us    time to sleep between reads; 0 spins (reads back to back).
 *   last        when not NULL, always holds the last value read (0 before
 *               any read succeeded).
 *
 * After the deadline one final read is made and judged, so a value that
 * arrives while the caller was asleep past the deadline is still a
 * success. Returns 0 when the condition held; -ETIMEDOUT when it did not;
 * the region's error of the first read that failed (MMIO_ERR_UNALIGNED,
 * MMIO_ERR_OUT_OF_RANGE, a backend's), at once; -EINVAL for a NULL region.
 * A sleep cut short by a signal is not resumed: the next read comes early,
 * which the contract allows.
 */
MMIO_API int mmio_poll8(const mmio_region *r, size_t off, uint8_t mask, uint8_t expected,
                        uint64_t timeout_us, uint64_t sleep_us, uint8_t *last);
MMIO_API int mmio_poll16(const mmio_region *r, size_t off, uint16_t mask, uint16_t expected,
                         uint64_t timeout_us, uint64_t sleep_us, uint16_t *last);
MMIO_API int mmio_poll32(const mmio_region *r, size_t off, uint32_t mask, uint32_t expected,
                         uint64_t timeout_us, uint64_t sleep_us, uint32_t *last);
MMIO_API int mmio_poll64(const mmio_region *r, size_t off, uint64_t mask, uint64_t expected,
                         uint64_t timeout_us, uint64_t sleep_us, uint64_t *last);

/*
 * The same with the width (bytes: 1, 2, 4 or 8) known only at run time,
 * from a command line or a description. Returns as mmio_poll32; -EINVAL
 * for another width; -ERANGE, before any read, when mask or expected has
 * bits above the width.
 */
MMIO_API int mmio_poll_width(const mmio_region *r, size_t off, unsigned width, uint64_t mask,
                             uint64_t expected, uint64_t timeout_us, uint64_t sleep_us,
                             uint64_t *last);

/*
 * The field form: waits until field idx of register reg equals expected
 * (shifted down to bit 0, as mmio_field_get returns it), with the contract
 * above; *last is the last value of the field. flags: 0 or
 * MMIO_REGS_READ_EFFECTS (polling a read-to-clear register must be meant).
 * Returns as mmio_poll32, and -ERANGE when expected does not fit the
 * field, MMIO_ERR_WRITE_ONLY and MMIO_ERR_READ_EFFECT as mmio_field_read,
 * before any read.
 */
MMIO_API int mmio_field_poll(const mmio_region *r, const struct mmio_reg *reg, size_t idx,
                             uint64_t expected, uint64_t timeout_us, uint64_t sleep_us,
                             unsigned flags, uint64_t *last);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_POLL_H */
