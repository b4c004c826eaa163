/*
 * The concurrency checker: a region that forwards to another region and
 * fails loudly when the ownership rules are broken at run time.
 *
 * The rules (mmio/region.h): loads may run concurrently; a store must not
 * overlap any other access in time; accesses are naturally aligned. Split
 * regions make this true by construction; a region shared between threads
 * without splitting, or a backend used directly, can break it.
 *
 * Each byte carries a reader/writer state. An access takes its bytes (a
 * store exclusively, a load shared), holds them for a random, roughly
 * exponentially distributed time to widen the window in which a racing
 * access would meet them, performs the access on the inner region, and
 * gives the bytes back. A store that finds a byte taken, or a load that
 * finds a byte being stored, is a violation: the failure handler
 * (mmio/testing/report.h) gets a message naming both accesses (width, op,
 * offset, thread), and the access returns MMIO_ERR_REJECTED without
 * touching the inner region.
 *
 * Alignment is judged as on the inner region: the checker's regions carry
 * the inner region's address alignment (up to a page), so an access that
 * the inner region would refuse as MMIO_ERR_UNALIGNED is refused the same
 * way, and mmio_align_offset() gives the same answers. They carry its
 * write right too: over a read-only region they are read-only.
 *
 * The checker adds about 12 bytes of state per byte of the region.
 */
#ifndef MMIO_TESTING_CHECKER_H
#define MMIO_TESTING_CHECKER_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/region.h"
#include "mmio/testing/report.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmio_checker mmio_checker;

/*
 * Creates a checker over *inner, which it always consumes (also on error).
 * The inner region must tolerate concurrent accesses to disjoint bytes
 * (memory does; a fake needs MMIO_FAKE_THREADSAFE).
 * mean_hold_ns: the mean time an access holds its bytes; 0 picks 2000.
 * seed: the random sequence of hold times (0 picks one from the clock).
 * Returns 0 and sets *out, owned by the caller (mmio_checker_destroy);
 * -EINVAL (also for an empty inner region); -ENOMEM (also for a region
 * whose per-byte state would not fit the address space).
 */
MMIO_API int mmio_checker_create(mmio_checker **out, mmio_region *inner, unsigned mean_hold_ns,
                                 uint64_t seed);

/* Drops the caller's reference; regions keep the checker alive until
 * released. Accepts NULL. */
MMIO_API void mmio_checker_destroy(mmio_checker *c);

/* Makes *out a region over the whole checker. Returns 0, -EINVAL, -ENOMEM. */
MMIO_API int mmio_checker_region(mmio_region *out, mmio_checker *c);

/* Sets the failure handler (NULL restores mmio_fail_abort). Set it before
 * the checker is shared between threads. */
MMIO_API void mmio_checker_on_failure(mmio_checker *c, mmio_fail_fn fn, void *arg);

/* Violations seen so far. */
MMIO_API unsigned long mmio_checker_violations(mmio_checker *c);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_TESTING_CHECKER_H */
