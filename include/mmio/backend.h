/*
 * Backends: what a region reads and writes.
 *
 * A region is either memory-backed (a pointer and a length, accessed with
 * the raw single-instruction accessors of mmio/raw.h, inline, with no
 * indirect call) or backed by a table of functions, struct mmio_ops. The
 * function table is the seam where anything that is not directly addressable
 * plugs in: test doubles, VFIO regions reached with pread/pwrite, tracing
 * wrappers. The checked API is the same for both, so code under test cannot
 * tell them apart.
 *
 * Either way, the backing is shared by every region split from the first
 * one and released exactly once, when the last of them is released.
 */
#ifndef MMIO_BACKEND_H
#define MMIO_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmio_region mmio_region;

/*
 * A backend's functions. The region checks alignment, bounds and the write
 * right before it calls any of them, so off is always naturally aligned for
 * the width and off + width never exceeds the length the region was created
 * with. Offsets are in the backend's own space: the first region made by
 * mmio_region_from_ops() starts at offset 0, and regions split from it keep
 * the offsets of the bytes they cover.
 *
 * Each load/store returns 0, or a negative code (an MMIO_ERR_ code or
 * -errno) that the region passes back to its caller unchanged. A load that
 * fails must not write *out.
 *
 * Concurrency: loads may be called concurrently from several threads (loads
 * need only a shared region); stores to one region are never concurrent
 * with any other access to that region, but different split regions may be
 * used from different threads at once, so a backend that keeps state across
 * offsets must protect it.
 *
 * release, if not NULL, runs exactly once, when the last region using this
 * backend is released; it is never called on a failed constructor.
 */
struct mmio_ops {
  int (*load8)(void *ctx, size_t off, uint8_t *out);
  int (*load16)(void *ctx, size_t off, uint16_t *out);
  int (*load32)(void *ctx, size_t off, uint32_t *out);
  int (*load64)(void *ctx, size_t off, uint64_t *out);
  int (*store8)(void *ctx, size_t off, uint8_t v);
  int (*store16)(void *ctx, size_t off, uint16_t v);
  int (*store32)(void *ctx, size_t off, uint32_t v);
  int (*store64)(void *ctx, size_t off, uint64_t v);
  void (*release)(void *ctx);
};

/*
 * Makes *out a region over the len bytes at base (the seed crate's
 * Memory<Claim>): accesses go straight to memory with the raw accessors.
 *
 * release(ctx), when release is not NULL, runs exactly once, from whichever
 * thread releases the last region sharing this memory; it is how the memory
 * is kept alive (the "claim") and freed. A NULL release borrows the memory:
 * the caller keeps it valid until every region over it is released.
 *
 * Returns 0; -EINVAL when out is NULL or base is NULL with len > 0;
 * MMIO_ERR_OUT_OF_RANGE when len > PTRDIFF_MAX or base + len wraps around
 * the address space; -ENOMEM when the shared reference count cannot be
 * allocated. On failure *out is left empty and release is not called: the
 * caller still owns the memory.
 */
MMIO_API int mmio_region_from_memory(mmio_region *out, void *base, size_t len,
                                     void (*release)(void *ctx), void *ctx);

/*
 * Makes *out a region of len bytes whose accesses call ops with ctx.
 *
 * ops must stay valid (usually a static const table) and must provide all
 * eight load and store functions; ops->release may be NULL.
 * On success the region owns ctx: ops->release(ctx) runs once when the last
 * region sharing it is released. On failure *out is left empty and the
 * caller still owns ctx.
 *
 * Returns 0; -EINVAL when out or ops is NULL or a load/store function is
 * missing; MMIO_ERR_OUT_OF_RANGE when len > PTRDIFF_MAX; -ENOMEM.
 */
MMIO_API int mmio_region_from_ops(mmio_region *out, const struct mmio_ops *ops, void *ctx,
                                  size_t len);

/*
 * Defines, at file scope, `static const struct mmio_ops name` whose eight
 * load and store functions all call one access function,
 *
 *   int fn(void *ctx, size_t off, unsigned width, int store, uint64_t *value);
 *
 * which performs one access of width bytes (1, 2, 4 or 8) at off: a load
 * stores what it read in *value, a store writes *value (whose bits above
 * the width are zero). It returns what the load or store returns.
 * release_fn is the table's release function, or NULL. For backends whose
 * accesses differ only in their width, which is most of them. (C only: the
 * table uses designated initializers.)
 */
#define MMIO_DEFINE_OPS(name, fn, release_fn)                                                      \
  MMIO__OPS_WIDTH(name, fn, 8)                                                                     \
  MMIO__OPS_WIDTH(name, fn, 16)                                                                    \
  MMIO__OPS_WIDTH(name, fn, 32)                                                                    \
  MMIO__OPS_WIDTH(name, fn, 64)                                                                    \
  static const struct mmio_ops name = {.load8 = name##_load8,                                      \
                                       .load16 = name##_load16,                                    \
                                       .load32 = name##_load32,                                    \
                                       .load64 = name##_load64,                                    \
                                       .store8 = name##_store8,                                    \
                                       .store16 = name##_store16,                                  \
                                       .store32 = name##_store32,                                  \
                                       .store64 = name##_store64,                                  \
                                       .release = release_fn}
#define MMIO__OPS_WIDTH(name, fn, bits)                                                            \
  static int name##_load##bits(void *ctx, size_t off, uint##bits##_t *out) {                       \
    uint64_t v = 0;                                                                                \
    int err = fn(ctx, off, bits / 8, 0, &v);                                                       \
    if (err == 0) *out = (uint##bits##_t)v;                                                        \
    return err;                                                                                    \
  }                                                                                                \
  static int name##_store##bits(void *ctx, size_t off, uint##bits##_t v) {                         \
    uint64_t w = v;                                                                                \
    return fn(ctx, off, bits / 8, 1, &w);                                                          \
  }

#ifdef __cplusplus
}
#endif

#endif /* MMIO_BACKEND_H */
