/*
 * Regions: bounded, checked, splittable views of device memory.
 *
 * A region covers len bytes of a backing (mapped memory, plain memory or a
 * backend, see mmio/backend.h). Every access through the mmio_try_ functions
 * is checked, in this order, and touches nothing when a check fails:
 *
 *   1. stores only: the region has the write right   -> MMIO_ERR_READ_ONLY
 *   2. widths > 1: the address of byte off is naturally aligned for the
 *      width (judged on the real address, so a region that starts at an odd
 *      address has odd aligned offsets; see mmio_align_offset())
 *                                                     -> MMIO_ERR_UNALIGNED
 *   3. the access fits: off + width <= len, computed without overflow
 *                                                     -> MMIO_ERR_OUT_OF_RANGE
 *
 * Each access is one volatile load or store of exactly the named width (see
 * mmio/raw.h): never merged, split, cached or elided. Accesses promise no
 * ordering against other memory; use the barriers of mmio/raw.h.
 *
 * Ownership and threads. A region is moved, never copied: the struct holds
 * one reference to the shared backing, and a byte-wise copy would be a
 * second owner of the same reference (released twice) and a second writer
 * of the same bytes. Hand a region to another owner with mmio_region_move().
 * A region remembers the address it was made at, and mmio_region_release(),
 * mmio_region_move() and mmio_try_split_off() abort with "region copied by
 * value" when given a copy (an assignment, a memcpy, a realloc of an array
 * of regions); the accessors do not check, so this costs them nothing.
 * To give parts of a device to different owners or threads, split it with
 * mmio_try_split_off(): split regions never overlap, so each may be used
 * from its own thread without locks, and they may be split and released from
 * several threads at once. Loads need only a shared (const) region and may
 * run concurrently; a store needs the region exclusively.
 *
 * The struct is visible so that the memory-backed accessors inline to a
 * couple of compares and one instruction; its fields are private.
 * A zero-initialised region ({0}) is a valid empty region, the same state
 * that mmio_region_release() leaves behind.
 */
#ifndef MMIO_REGION_H
#define MMIO_REGION_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/backend.h"
#include "mmio/error.h"
#include "mmio/raw.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mmio__claim;

struct mmio_region {
  /* Memory-backed: address of byte 0. Backend: backend offset of byte 0.
   * Alignment is checked on this value plus the offset. */
  uintptr_t mmio__addr;
  /* The inline fast path's bound. It is nonzero only for memory-backed
   * regions whose byte 0 is 8-byte aligned, so that alignment can be tested
   * on the offset alone (free for constant offsets), and it is len - 7, so
   * that off < mmio__fast_lim proves off + 8 <= len for every width with one
   * overflow-free compare. Everything it does not admit (backends,
   * misaligned bases after odd splits, the last 7 bytes, every error) takes
   * the out-of-line path, which makes the exact checks. */
  size_t mmio__fast_lim;
  /* The same for stores: 0 when the region is read-only. */
  size_t mmio__fast_wlim;
  /* Bytes from byte 0. */
  size_t mmio__len;
  unsigned mmio__flags;
  /* NULL for memory-backed regions. */
  const struct mmio_ops *mmio__ops;
  void *mmio__ctx;
  /* Shared reference count and release; NULL for borrowed memory. */
  struct mmio__claim *mmio__claim;
  /* The address of the struct this region was made in (NULL when empty):
   * a byte-wise copy sits elsewhere, so release, move and split tell a
   * copy from the original and abort instead of dropping a reference
   * that is not theirs. Last, so the fast path's fields do not move. */
  const struct mmio_region *mmio__self;
};

#define MMIO__REGION_READ_ONLY 1u
#define MMIO__REGION_GUARDED 2u /* see mmio/guard.h */

#if defined(__GNUC__) || defined(__clang__)
#define MMIO__UNLIKELY(x) __builtin_expect(!!(x), 0)
#define MMIO__NORETURN __attribute__((noreturn, cold))
#define MMIO__COLD __attribute__((cold))
/* The accessors are always inlined whole. Left to itself, gcc inlines only
 * their fast path and moves the rest into a shared out-of-line part that
 * takes the caller's out pointer, which forces the caller's variable into
 * memory on the fast path as well (about 20% on a tight loop). */
#define MMIO__INLINE static inline __attribute__((always_inline))
#else
#define MMIO__COLD
#define MMIO__INLINE static inline
#define MMIO__UNLIKELY(x) (x)
#define MMIO__NORETURN _Noreturn
#endif

/* Returns the region's length in bytes (0 for an empty or released region). */
static inline size_t mmio_len(const mmio_region *r) { return r->mmio__len; }

/*
 * Returns the first offset whose address is aligned to align, which must be
 * a power of two; the result may be >= mmio_len(r) when no byte of the region
 * is so aligned. Returns SIZE_MAX when align is not a power of two.
 */
MMIO_API size_t mmio_align_offset(const mmio_region *r, size_t align);

/*
 * Check an access without performing it. width is in bytes.
 *
 * mmio_check_aligned:  0, or MMIO_ERR_UNALIGNED when the address of byte off
 *                      is not a multiple of width; -EINVAL when width is 0
 *                      or not a power of two.
 * mmio_check_capacity: 0, or MMIO_ERR_OUT_OF_RANGE unless off + width <=
 *                      mmio_len(r) (overflow-safe); any width is allowed.
 * mmio_check_suitable: mmio_check_aligned, then mmio_check_capacity: the
 *                      result mmio_try_load with that width would give.
 */
MMIO_API int mmio_check_aligned(const mmio_region *r, size_t off, size_t width);
MMIO_API int mmio_check_capacity(const mmio_region *r, size_t off, size_t width);
MMIO_API int mmio_check_suitable(const mmio_region *r, size_t off, size_t width);

/*
 * Checked loads: read the naturally aligned 8/16/32/64-bit value at byte off.
 * Return 0 and set *out; or MMIO_ERR_UNALIGNED, MMIO_ERR_OUT_OF_RANGE, or a
 * backend's error, leaving *out untouched and the device not accessed.
 */
static inline int mmio_try_load8(const mmio_region *r, size_t off, uint8_t *out);
static inline int mmio_try_load16(const mmio_region *r, size_t off, uint16_t *out);
static inline int mmio_try_load32(const mmio_region *r, size_t off, uint32_t *out);
static inline int mmio_try_load64(const mmio_region *r, size_t off, uint64_t *out);

/*
 * Checked stores: write v to the naturally aligned 8/16/32/64-bit location at
 * byte off. Return 0; or MMIO_ERR_READ_ONLY, MMIO_ERR_UNALIGNED,
 * MMIO_ERR_OUT_OF_RANGE, or a backend's error, with nothing written.
 */
static inline int mmio_try_store8(mmio_region *r, size_t off, uint8_t v);
static inline int mmio_try_store16(mmio_region *r, size_t off, uint16_t v);
static inline int mmio_try_store32(mmio_region *r, size_t off, uint32_t v);
static inline int mmio_try_store64(mmio_region *r, size_t off, uint64_t v);

/*
 * Aborting loads and stores: as the mmio_try_ forms, but any error prints
 * one line to stderr naming the operation, offset, width, region length and
 * error, then calls abort(). For offsets the caller has proven valid (a
 * register map's constants), where an error is a bug, not a condition.
 */
static inline uint8_t mmio_load8(const mmio_region *r, size_t off);
static inline uint16_t mmio_load16(const mmio_region *r, size_t off);
static inline uint32_t mmio_load32(const mmio_region *r, size_t off);
static inline uint64_t mmio_load64(const mmio_region *r, size_t off);
static inline void mmio_store8(mmio_region *r, size_t off, uint8_t v);
static inline void mmio_store16(mmio_region *r, size_t off, uint16_t v);
static inline void mmio_store32(mmio_region *r, size_t off, uint32_t v);
static inline void mmio_store64(mmio_region *r, size_t off, uint64_t v);

/*
 * Masked load: one checked load, then *out = value & mask.
 * Returns as the matching mmio_try_load.
 */
static inline int mmio_masked_load8(const mmio_region *r, size_t off, uint8_t mask, uint8_t *out);
static inline int mmio_masked_load16(const mmio_region *r, size_t off, uint16_t mask,
                                     uint16_t *out);
static inline int mmio_masked_load32(const mmio_region *r, size_t off, uint32_t mask,
                                     uint32_t *out);
static inline int mmio_masked_load64(const mmio_region *r, size_t off, uint64_t mask,
                                     uint64_t *out);

/*
 * Masked read-modify-write: loads the register, replaces the bits set in
 * mask with those of value, and stores the result, so bits outside mask are
 * written back as read. All checks (write right, alignment, range) happen
 * before the load, so a failing call performs no access at all.
 *
 * This is not atomic with respect to the device: if the device changes a
 * bit outside mask between the load and the store, the store writes the old
 * value back. Registers with write-1-to-clear or clear-on-read bits need a
 * plain store instead. Concurrent software writers must hold the region
 * exclusively, which the ownership rules already require.
 */
static inline int mmio_masked_modify8(mmio_region *r, size_t off, uint8_t mask, uint8_t value);
static inline int mmio_masked_modify16(mmio_region *r, size_t off, uint16_t mask, uint16_t value);
static inline int mmio_masked_modify32(mmio_region *r, size_t off, uint32_t mask, uint32_t value);
static inline int mmio_masked_modify64(mmio_region *r, size_t off, uint64_t mask, uint64_t value);

/*
 * Width chosen by the operand's type: ptr must be uint8_t *, uint16_t *,
 * uint32_t * or uint64_t *, value one of those integer types. Any other type
 * (int, a plain literal, float, a signed type) is a compile error, so write
 * mmio_try_store(r, 0x10, (uint32_t)1).
 */
/* clang-format cannot lay out _Generic associations. */
/* clang-format off */
#ifndef __cplusplus
#define mmio_try_load(r, off, ptr)                                                                 \
  _Generic((ptr), uint8_t *: mmio_try_load8, uint16_t *: mmio_try_load16,                          \
           uint32_t *: mmio_try_load32, uint64_t *: mmio_try_load64)((r), (off), (ptr))
#define mmio_try_store(r, off, value)                                                              \
  _Generic((value), uint8_t: mmio_try_store8, uint16_t: mmio_try_store16,                          \
           uint32_t: mmio_try_store32, uint64_t: mmio_try_store64)((r), (off), (value))
#endif
/* clang-format on */

/*
 * Checked accesses whose width is known only at run time (from a register
 * description or a command line). width is in bytes, 1, 2, 4 or 8; each
 * call is exactly the mmio_try_loadN, mmio_try_storeN or
 * mmio_masked_modifyN of that width, with the same checks in the same
 * order and the same results. Returns those, or -EINVAL for a NULL region
 * or output or another width, and -ERANGE when v, mask or value has bits
 * above the width (nothing is accessed). Out of line: the width picks the
 * typed accessor from a table, whose inline fast path then applies.
 */
MMIO_API int mmio_try_load_width(const mmio_region *r, size_t off, unsigned width, uint64_t *out);
MMIO_API int mmio_try_store_width(mmio_region *r, size_t off, unsigned width, uint64_t v);
MMIO_API int mmio_masked_modify_width(mmio_region *r, size_t off, unsigned width, uint64_t mask,
                                      uint64_t value);

/*
 * Splits r in two at mid: *lhs becomes the region [0, mid) of r and r keeps
 * [mid, len), renumbered from 0. Both share r's backing and write right; the
 * backing is released when the last of them goes. mid == 0 and mid == len
 * are allowed (one side is empty).
 *
 * *lhs is overwritten: it must be empty (zeroed or released), or it leaks.
 * Returns 0; MMIO_ERR_OUT_OF_RANGE when mid > mmio_len(r), changing nothing;
 * -EINVAL when r or lhs is NULL or they are the same region.
 */
MMIO_API int mmio_try_split_off(mmio_region *r, size_t mid, mmio_region *lhs);

/*
 * Moves the region *src to *dst and leaves *src empty. *dst must be empty
 * (zeroed or released). Use it instead of assigning the struct. Does
 * nothing when either is NULL or both are the same region.
 */
MMIO_API void mmio_region_move(mmio_region *dst, mmio_region *src);

/*
 * Drops the write right of r, and of every region split from r afterwards:
 * their stores fail with MMIO_ERR_READ_ONLY and touch nothing. Regions split
 * from r earlier keep their rights. Cannot be undone.
 * Returns 0, or -EINVAL when r is NULL.
 */
MMIO_API int mmio_region_make_read_only(mmio_region *r);

/* Returns 1 when stores to r are refused with MMIO_ERR_READ_ONLY, else 0. */
static inline int mmio_region_is_read_only(const mmio_region *r) {
  return (r->mmio__flags & MMIO__REGION_READ_ONLY) != 0;
}

/*
 * Releases r's reference to its backing and leaves r empty. The backing
 * (mapping, memory claim or backend) is released when the last region
 * sharing it is released, from whichever thread that is. Accepts NULL, an
 * empty region, and a region already released.
 */
MMIO_API void mmio_region_release(mmio_region *r);

/*
 * The out-of-line entry points of the inline accessors below. They are the
 * only mmio__ symbols libmmio.so exports beyond the public API, because
 * code that inlines the accessors calls them: mmio__access_failed,
 * mmio__load_slow, mmio__store_slow and mmio__modify_slow. They are not
 * an API: call the mmio_ accessors.
 */

/* Prints the abort line for a failed aborting accessor and aborts. */
MMIO_API MMIO__NORETURN void mmio__access_failed(const char *op, const mmio_region *r, size_t off,
                                                 size_t width, int err);

/*
 * The out-of-line path: exact checks in the documented order, then the
 * access through memory or the backend. The value comes back in the return
 * value, not through a pointer, so that inlined callers can keep it in a
 * register (an escaping pointer would force it onto the stack on the fast
 * path too). They are marked cold so that compilers lay the call out of the
 * loop body and keep the fast path a straight line.
 */
struct mmio__load_result {
  uint64_t value;
  int err;
};
MMIO_API MMIO__COLD struct mmio__load_result mmio__load_slow(const mmio_region *r, size_t off,
                                                             unsigned width);
MMIO_API MMIO__COLD int mmio__store_slow(mmio_region *r, size_t off, unsigned width, uint64_t v);
MMIO_API MMIO__COLD int mmio__modify_slow(mmio_region *r, size_t off, unsigned width, uint64_t mask,
                                          uint64_t value);

/*
 * The accessors of one width. The fast path is the whole cost of checking a
 * memory-backed access: an alignment test of the offset (folded away when
 * the offset is a constant) and one compare against mmio__fast_lim.
 */
/* The address of byte off of a memory-backed region. */
MMIO__INLINE volatile void *mmio__ptr(const mmio_region *r, size_t off) {
  return (volatile unsigned char *)r->mmio__addr + off;
}

#define MMIO__ACCESSORS(bits, type)                                                                \
  MMIO__INLINE int mmio__fast##bits(size_t off, size_t lim) {                                      \
    return (off & (sizeof(type) - 1)) == 0 && off < lim;                                           \
  }                                                                                                \
  MMIO__INLINE int mmio_try_load##bits(const mmio_region *r, size_t off, type *out) {              \
    struct mmio__load_result res;                                                                  \
    if (mmio__fast##bits(off, r->mmio__fast_lim)) {                                                \
      *out = mmio_raw_load##bits(mmio__ptr(r, off));                                               \
      return 0;                                                                                    \
    }                                                                                              \
    res = mmio__load_slow(r, off, sizeof(type));                                                   \
    if (res.err == 0) *out = (type)res.value;                                                      \
    return res.err;                                                                                \
  }                                                                                                \
  MMIO__INLINE int mmio_try_store##bits(mmio_region *r, size_t off, type v) {                      \
    if (mmio__fast##bits(off, r->mmio__fast_wlim)) {                                               \
      mmio_raw_store##bits(mmio__ptr(r, off), v);                                                  \
      return 0;                                                                                    \
    }                                                                                              \
    return mmio__store_slow(r, off, sizeof(type), v);                                              \
  }                                                                                                \
  MMIO__INLINE type mmio_load##bits(const mmio_region *r, size_t off) {                            \
    type v = 0;                                                                                    \
    int err = mmio_try_load##bits(r, off, &v);                                                     \
    if (MMIO__UNLIKELY(err != 0)) mmio__access_failed("load" #bits, r, off, sizeof(type), err);    \
    return v;                                                                                      \
  }                                                                                                \
  MMIO__INLINE void mmio_store##bits(mmio_region *r, size_t off, type v) {                         \
    int err = mmio_try_store##bits(r, off, v);                                                     \
    if (MMIO__UNLIKELY(err != 0)) mmio__access_failed("store" #bits, r, off, sizeof(type), err);   \
  }                                                                                                \
  MMIO__INLINE int mmio_masked_load##bits(const mmio_region *r, size_t off, type mask,             \
                                          type *out) {                                             \
    type v;                                                                                        \
    int err = mmio_try_load##bits(r, off, &v);                                                     \
    if (err != 0) return err;                                                                      \
    *out = (type)(v & mask);                                                                       \
    return 0;                                                                                      \
  }                                                                                                \
  MMIO__INLINE int mmio_masked_modify##bits(mmio_region *r, size_t off, type mask, type value) {   \
    type old;                                                                                      \
    if (mmio__fast##bits(off, r->mmio__fast_wlim)) {                                               \
      volatile void *p = mmio__ptr(r, off);                                                        \
      old = mmio_raw_load##bits(p);                                                                \
      mmio_raw_store##bits(p, (type)((old & (type)~mask) | (value & mask)));                       \
      return 0;                                                                                    \
    }                                                                                              \
    return mmio__modify_slow(r, off, sizeof(type), mask, value);                                   \
  }

MMIO__ACCESSORS(8, uint8_t)
MMIO__ACCESSORS(16, uint16_t)
MMIO__ACCESSORS(32, uint32_t)
MMIO__ACCESSORS(64, uint64_t)

#undef MMIO__ACCESSORS

#ifdef __cplusplus
}
#endif

#endif /* MMIO_REGION_H */
