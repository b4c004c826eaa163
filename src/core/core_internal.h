/*
 * The core layer's internal interface: what the other layers of the library
 * need to build regions and backends. Nothing here is exported from the
 * shared library. Portable C11 plus POSIX clocks; no Linux headers, no
 * threads library.
 */
#ifndef MMIO_CORE_INTERNAL_H
#define MMIO_CORE_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "mmio/backend.h"
#include "mmio/clock.h"
#include "mmio/error.h"
#include "mmio/region.h"

/*
 * The shared part of a backing: every region split from one original holds
 * a reference. release(ctx) runs when the count drops to zero, and then the
 * claim itself is freed.
 */
struct mmio__claim {
  atomic_size_t refs;
  void (*release)(void *ctx);
  void *ctx;
};

/*
 * Returns a new claim with one reference, or NULL when out of memory.
 * extra bytes are allocated after the claim for the caller's use: the
 * caller may point ctx at them, and they are freed with the claim.
 */
struct mmio__claim *mmio__claim_new(void (*release)(void *ctx), void *ctx, size_t extra);

/*
 * Makes *out a region over [addr, addr + len) of a backing. claim may be
 * NULL (borrowed memory); otherwise it carries one reference, which the new
 * region takes over. Does not validate: callers have.
 */
void mmio__region_init(mmio_region *out, uintptr_t addr, size_t len, const struct mmio_ops *ops,
                       void *ctx, struct mmio__claim *claim);

/* Sets r's flags (MMIO__REGION_*) and recomputes the inline fast path's
 * bounds, which depend on them. */
void mmio__region_set_flags(mmio_region *r, unsigned flags);

/*
 * Runs fn(arg) as a guarded access (mmio/guard.h): returns fn's result, or
 * MMIO_ERR_BUS_ERROR when a SIGBUS or SIGSEGV of this thread interrupted
 * it, in which case fn did not return and whatever it was to write
 * through arg may be unwritten.
 */
int mmio__guarded(int (*fn)(void *arg), void *arg);

/* Empties *out when out is not NULL: the first step of every constructor,
 * so that a failed call leaves an empty region behind. */
void mmio__region_clear(mmio_region *out);

/*
 * Makes *out a region of len bytes over a backend whose context is kept
 * alive by the reference count *refs (a test double, a VFIO device): takes
 * one reference for the region, which the region's release drops, and gives
 * it back when the region cannot be made.
 * Returns as mmio_region_from_ops.
 */
int mmio__ref_region(mmio_region *out, atomic_size_t *refs, const struct mmio_ops *ops, void *ctx,
                     size_t len);

/* Takes a reference on an object whose caller already holds one. */
void mmio__ref_get(atomic_size_t *refs);

/* Drops a reference; returns 1 when it was the last, and the caller must
 * then free the object. */
int mmio__ref_put(atomic_size_t *refs);

/* The code whose mmio_err_name() is name. Returns 0 or -EINVAL. */
int mmio__err_from_name(const char *name, int *err);

#endif /* MMIO_CORE_INTERNAL_H */
