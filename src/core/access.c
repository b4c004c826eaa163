/*
 * The accessors' out-of-line path: exact checks in the documented order,
 * then one access through memory or the backend, and the abort line of the
 * aborting accessors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core_internal.h"

/*
 * One access of one width, to memory or through the backend: the width is
 * chosen once, as an index into this table, instead of being switched on
 * at every access. A memory access is the raw single-instruction accessor.
 */
struct mmio__width_fns {
  int (*load)(const mmio_region *r, uintptr_t a, uint64_t *out);
  int (*store)(mmio_region *r, uintptr_t a, uint64_t v);
};

#define MMIO__WIDTH_FNS(bits)                                                                      \
  static int mmio__load_w##bits(const mmio_region *r, uintptr_t a, uint64_t *out) {                \
    uint##bits##_t v = 0;                                                                          \
    int err = 0;                                                                                   \
    if (r->mmio__ops == NULL)                                                                      \
      v = mmio_raw_load##bits((const volatile void *)a);                                           \
    else                                                                                           \
      err = r->mmio__ops->load##bits(r->mmio__ctx, a, &v);                                         \
    *out = v;                                                                                      \
    return err;                                                                                    \
  }                                                                                                \
  static int mmio__store_w##bits(mmio_region *r, uintptr_t a, uint64_t v) {                        \
    if (r->mmio__ops != NULL)                                                                      \
      return r->mmio__ops->store##bits(r->mmio__ctx, a, (uint##bits##_t)v);                        \
    mmio_raw_store##bits((volatile void *)a, (uint##bits##_t)v);                                   \
    return 0;                                                                                      \
  }
MMIO__WIDTH_FNS(8)
MMIO__WIDTH_FNS(16)
MMIO__WIDTH_FNS(32)
MMIO__WIDTH_FNS(64)

/* Indexed by width / 2 for widths 1, 2, 4 and 8 (0, 1, 2, 4). */
static const struct mmio__width_fns mmio__widths[5] = {
    [0] = {.load = mmio__load_w8, .store = mmio__store_w8},
    [1] = {.load = mmio__load_w16, .store = mmio__store_w16},
    [2] = {.load = mmio__load_w32, .store = mmio__store_w32},
    [4] = {.load = mmio__load_w64, .store = mmio__store_w64},
};

/* The exact checks of a load, in the documented order. The width comes
 * from the inline accessors, so it is always 1, 2, 4 or 8. */
static int mmio__check_load(const mmio_region *r, size_t off, unsigned width) {
  if (((r->mmio__addr + off) & (width - 1)) != 0) return MMIO_ERR_UNALIGNED;
  return mmio_check_capacity(r, off, width);
}

static int mmio__check_store(const mmio_region *r, size_t off, unsigned width) {
  if (r->mmio__flags & MMIO__REGION_READ_ONLY) return MMIO_ERR_READ_ONLY;
  return mmio__check_load(r, off, width);
}

/* One checked access, packed so that a guarded region can run it inside
 * mmio__guarded(). */
struct mmio__one {
  const struct mmio__width_fns *fns;
  mmio_region *r;
  uintptr_t a;
  uint64_t v;
};

static int mmio__one_load(void *arg) {
  struct mmio__one *o = arg;
  return o->fns->load(o->r, o->a, &o->v);
}

static int mmio__one_store(void *arg) {
  struct mmio__one *o = arg;
  return o->fns->store(o->r, o->a, o->v);
}

static int mmio__run(int (*fn)(void *arg), struct mmio__one *o) {
  return (o->r->mmio__flags & MMIO__REGION_GUARDED) ? mmio__guarded(fn, o) : fn(o);
}

/* The loads never write through r; the struct is shared with stores. */
static struct mmio__one mmio__one_at(const mmio_region *r, size_t off, unsigned width, uint64_t v) {
  struct mmio__one o;
  o.fns = &mmio__widths[width / 2];
  o.r = (mmio_region *)(uintptr_t)r;
  o.a = r->mmio__addr + off;
  o.v = v;
  return o;
}

struct mmio__load_result mmio__load_slow(const mmio_region *r, size_t off, unsigned width) {
  struct mmio__load_result res = {0, 0};
  struct mmio__one o = mmio__one_at(r, off, width, 0);
  res.err = mmio__check_load(r, off, width);
  if (res.err == 0) res.err = mmio__run(mmio__one_load, &o);
  if (res.err == 0) res.value = o.v;
  return res;
}

int mmio__store_slow(mmio_region *r, size_t off, unsigned width, uint64_t v) {
  struct mmio__one o = mmio__one_at(r, off, width, v);
  int err = mmio__check_store(r, off, width);
  return err != 0 ? err : mmio__run(mmio__one_store, &o);
}

int mmio__modify_slow(mmio_region *r, size_t off, unsigned width, uint64_t mask, uint64_t value) {
  struct mmio__one o = mmio__one_at(r, off, width, 0);
  /* Every check before the load: a refused call performs no access. */
  int err = mmio__check_store(r, off, width);
  if (err == 0) err = mmio__run(mmio__one_load, &o);
  o.v = (o.v & ~mask) | (value & mask);
  if (err == 0) err = mmio__run(mmio__one_store, &o);
  return err;
}

/* A width the run-time accessors accept, and the bits it holds. */
static int mmio__width_ok(unsigned width, uint64_t *bits) {
  if (width != 1 && width != 2 && width != 4 && width != 8) return 0;
  *bits = width == 8 ? ~0ull : (1ull << (8 * width)) - 1;
  return 1;
}

/*
 * The typed accessors of each width, so that an access whose width is
 * known only at run time still takes the inline fast path (and the
 * out-of-line path, with its guard, only when the typed one would);
 * indexed by width / 2, like mmio__widths.
 */
#define MMIO__TYPED(bits)                                                                          \
  static int mmio__typed_load##bits(const mmio_region *r, size_t off, uint64_t *out) {             \
    uint##bits##_t v = 0;                                                                          \
    int err = mmio_try_load##bits(r, off, &v);                                                     \
    if (err == 0) *out = v;                                                                        \
    return err;                                                                                    \
  }                                                                                                \
  static int mmio__typed_store##bits(mmio_region *r, size_t off, uint64_t v) {                     \
    return mmio_try_store##bits(r, off, (uint##bits##_t)v);                                        \
  }
MMIO__TYPED(8)
MMIO__TYPED(16)
MMIO__TYPED(32)
MMIO__TYPED(64)

static const struct {
  int (*load)(const mmio_region *r, size_t off, uint64_t *out);
  int (*store)(mmio_region *r, size_t off, uint64_t v);
} mmio__typed[5] = {
    [0] = {.load = mmio__typed_load8, .store = mmio__typed_store8},
    [1] = {.load = mmio__typed_load16, .store = mmio__typed_store16},
    [2] = {.load = mmio__typed_load32, .store = mmio__typed_store32},
    [4] = {.load = mmio__typed_load64, .store = mmio__typed_store64},
};

int mmio_try_load_width(const mmio_region *r, size_t off, unsigned width, uint64_t *out) {
  uint64_t bits;
  if (r == NULL || out == NULL || !mmio__width_ok(width, &bits)) return -EINVAL;
  return mmio__typed[width / 2].load(r, off, out);
}

int mmio_try_store_width(mmio_region *r, size_t off, unsigned width, uint64_t v) {
  uint64_t bits;
  if (r == NULL || !mmio__width_ok(width, &bits)) return -EINVAL;
  if (v & ~bits) return -ERANGE;
  return mmio__typed[width / 2].store(r, off, v);
}

int mmio_masked_modify_width(mmio_region *r, size_t off, unsigned width, uint64_t mask,
                             uint64_t value) {
  uint64_t bits;
  if (r == NULL || !mmio__width_ok(width, &bits)) return -EINVAL;
  if ((mask | value) & ~bits) return -ERANGE;
  return mmio__modify_slow(r, off, width, mask, value);
}

void mmio__access_failed(const char *op, const mmio_region *r, size_t off, size_t width, int err) {
  fprintf(stderr,
          "mmio: %s at offset 0x%zx (width %zu) of a region of length 0x%zx "
          "failed: %s (%s)\n",
          op, off, width, r->mmio__len, mmio_strerror(err), mmio_err_name(err));
  fflush(stderr);
  abort();
}
