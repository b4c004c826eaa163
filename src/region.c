/*
 * Region ownership: construction, splitting, the shared reference count and
 * release; the out-of-line checks and the abort path of the accessors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const mmio_region mmio__empty_region;

struct mmio__claim *mmio__claim_new(void (*release)(void *ctx), void *ctx,
                                    size_t extra) {
  struct mmio__claim *c = malloc(sizeof(*c) + extra);
  if (c == NULL) return NULL;
  atomic_init(&c->refs, 1);
  c->release = release;
  c->ctx = ctx;
  return c;
}

/* Sets the window and derives the inline fast path's bounds from it, the
 * backend kind and the write right: the one place they are computed. */
static void mmio__region_set_window(mmio_region *r, uintptr_t addr, size_t len) {
  size_t lim = (r->mmio__ops == NULL && (addr & 7) == 0 && len >= 8) ? len - 7 : 0;
  r->mmio__addr = addr;
  r->mmio__len = len;
  r->mmio__fast_lim = lim;
  r->mmio__fast_wlim = (r->mmio__flags & MMIO__REGION_READ_ONLY) ? 0 : lim;
}

void mmio__region_init(mmio_region *out, uintptr_t addr, size_t len,
                       const struct mmio_ops *ops, void *ctx,
                       struct mmio__claim *claim) {
  *out = mmio__empty_region;
  out->mmio__ops = ops;
  out->mmio__ctx = ctx;
  out->mmio__claim = claim;
  mmio__region_set_window(out, addr, len);
}

int mmio_region_from_memory(mmio_region *out, void *base, size_t len,
                            void (*release)(void *ctx), void *ctx) {
  struct mmio__claim *claim = NULL;
  if (out == NULL) return -EINVAL;
  *out = mmio__empty_region;
  if (base == NULL && len > 0) return -EINVAL;
  if (len > PTRDIFF_MAX || (uintptr_t)base > UINTPTR_MAX - len)
    return MMIO_ERR_OUT_OF_RANGE;
  if (release != NULL) {
    claim = mmio__claim_new(release, ctx, 0);
    if (claim == NULL) return -ENOMEM;
  }
  mmio__region_init(out, (uintptr_t)base, len, NULL, NULL, claim);
  return 0;
}

int mmio_region_from_ops(mmio_region *out, const struct mmio_ops *ops,
                         void *ctx, size_t len) {
  struct mmio__claim *claim = NULL;
  if (out == NULL) return -EINVAL;
  *out = mmio__empty_region;
  if (ops == NULL || ops->load8 == NULL || ops->load16 == NULL ||
      ops->load32 == NULL || ops->load64 == NULL || ops->store8 == NULL ||
      ops->store16 == NULL || ops->store32 == NULL || ops->store64 == NULL)
    return -EINVAL;
  if (len > PTRDIFF_MAX) return MMIO_ERR_OUT_OF_RANGE;
  claim = mmio__claim_new(ops->release, ctx, 0);
  if (claim == NULL) return -ENOMEM;
  mmio__region_init(out, 0, len, ops, ctx, claim);
  return 0;
}

size_t mmio_align_offset(const mmio_region *r, size_t align) {
  if (align == 0 || (align & (align - 1)) != 0) return SIZE_MAX;
  return (size_t)(-r->mmio__addr) & (align - 1);
}

int mmio_check_aligned(const mmio_region *r, size_t off, size_t width) {
  if (width == 0 || (width & (width - 1)) != 0) return -EINVAL;
  return ((r->mmio__addr + off) & (width - 1)) == 0 ? 0 : MMIO_ERR_UNALIGNED;
}

int mmio_check_capacity(const mmio_region *r, size_t off, size_t width) {
  if (r->mmio__len < width || off > r->mmio__len - width)
    return MMIO_ERR_OUT_OF_RANGE;
  return 0;
}

int mmio_check_suitable(const mmio_region *r, size_t off, size_t width) {
  int err = mmio_check_aligned(r, off, width);
  return err != 0 ? err : mmio_check_capacity(r, off, width);
}

int mmio_try_split_off(mmio_region *r, size_t mid, mmio_region *lhs) {
  if (r == NULL || lhs == NULL || r == lhs) return -EINVAL;
  if (mid > r->mmio__len) return MMIO_ERR_OUT_OF_RANGE;
  /* Relaxed is enough for taking a reference: the caller already holds
   * one, so the backing cannot go away under us (the same reasoning as
   * for shared_ptr copies). */
  if (r->mmio__claim != NULL)
    atomic_fetch_add_explicit(&r->mmio__claim->refs, 1, memory_order_relaxed);
  *lhs = *r;
  mmio__region_set_window(lhs, r->mmio__addr, mid);
  mmio__region_set_window(r, r->mmio__addr + mid, r->mmio__len - mid);
  return 0;
}

void mmio_region_move(mmio_region *dst, mmio_region *src) {
  if (dst == NULL || src == NULL || dst == src) return;
  *dst = *src;
  *src = mmio__empty_region;
}

int mmio_region_make_read_only(mmio_region *r) {
  if (r == NULL) return -EINVAL;
  r->mmio__flags |= MMIO__REGION_READ_ONLY;
  mmio__region_set_window(r, r->mmio__addr, r->mmio__len);
  return 0;
}

void mmio_region_release(mmio_region *r) {
  struct mmio__claim *c;
  if (r == NULL) return;
  c = r->mmio__claim;
  *r = mmio__empty_region;
  if (c == NULL) return;
  /* acq_rel: every access made through any region of this backing
   * happens-before the release function runs, whichever thread drops the
   * last reference. */
  if (atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) != 1)
    return;
  if (c->release != NULL) c->release(c->ctx);
  free(c);
}

/* The exact checks of a load, in the documented order. */
static int mmio__check_load(const mmio_region *r, size_t off, unsigned width) {
  if (((r->mmio__addr + off) & (width - 1)) != 0) return MMIO_ERR_UNALIGNED;
  return mmio_check_capacity(r, off, width);
}

static int mmio__check_store(const mmio_region *r, size_t off, unsigned width) {
  if (r->mmio__flags & MMIO__REGION_READ_ONLY) return MMIO_ERR_READ_ONLY;
  return mmio__check_load(r, off, width);
}

/* The access itself, once checked: memory or backend, by width. */
static int mmio__do_load(const mmio_region *r, uintptr_t a, unsigned width,
                         uint64_t *out) {
  const struct mmio_ops *ops = r->mmio__ops;
  int err = 0;
  uint8_t v8 = 0;
  uint16_t v16 = 0;
  uint32_t v32 = 0;
  uint64_t v64 = 0;
  switch (width) {
  case 1:
    if (ops == NULL) v8 = mmio_raw_load8((const volatile void *)a);
    else err = ops->load8(r->mmio__ctx, a, &v8);
    *out = v8;
    break;
  case 2:
    if (ops == NULL) v16 = mmio_raw_load16((const volatile void *)a);
    else err = ops->load16(r->mmio__ctx, a, &v16);
    *out = v16;
    break;
  case 4:
    if (ops == NULL) v32 = mmio_raw_load32((const volatile void *)a);
    else err = ops->load32(r->mmio__ctx, a, &v32);
    *out = v32;
    break;
  default:
    if (ops == NULL) v64 = mmio_raw_load64((const volatile void *)a);
    else err = ops->load64(r->mmio__ctx, a, &v64);
    *out = v64;
    break;
  }
  return err;
}

static int mmio__do_store(mmio_region *r, uintptr_t a, unsigned width,
                          uint64_t v) {
  const struct mmio_ops *ops = r->mmio__ops;
  switch (width) {
  case 1:
    if (ops != NULL) return ops->store8(r->mmio__ctx, a, (uint8_t)v);
    mmio_raw_store8((volatile void *)a, (uint8_t)v);
    return 0;
  case 2:
    if (ops != NULL) return ops->store16(r->mmio__ctx, a, (uint16_t)v);
    mmio_raw_store16((volatile void *)a, (uint16_t)v);
    return 0;
  case 4:
    if (ops != NULL) return ops->store32(r->mmio__ctx, a, (uint32_t)v);
    mmio_raw_store32((volatile void *)a, (uint32_t)v);
    return 0;
  default:
    if (ops != NULL) return ops->store64(r->mmio__ctx, a, v);
    mmio_raw_store64((volatile void *)a, v);
    return 0;
  }
}

struct mmio__load_result mmio__load_slow(const mmio_region *r, size_t off,
                                         unsigned width) {
  struct mmio__load_result res = {0, 0};
  uint64_t v = 0;
  res.err = mmio__check_load(r, off, width);
  if (res.err == 0) res.err = mmio__do_load(r, r->mmio__addr + off, width, &v);
  if (res.err == 0) res.value = v;
  return res;
}

int mmio__store_slow(mmio_region *r, size_t off, unsigned width, uint64_t v) {
  int err = mmio__check_store(r, off, width);
  return err != 0 ? err : mmio__do_store(r, r->mmio__addr + off, width, v);
}

int mmio__modify_slow(mmio_region *r, size_t off, unsigned width,
                      uint64_t mask, uint64_t value) {
  uintptr_t a = r->mmio__addr + off;
  uint64_t old = 0;
  /* Every check before the load: a refused call performs no access. */
  int err = mmio__check_store(r, off, width);
  if (err == 0) err = mmio__do_load(r, a, width, &old);
  if (err == 0) err = mmio__do_store(r, a, width, (old & ~mask) | (value & mask));
  return err;
}

void mmio__access_failed(const char *op, const mmio_region *r, size_t off,
                         size_t width, int err) {
  fprintf(stderr,
          "mmio: %s at offset 0x%zx (width %zu) of a region of length 0x%zx "
          "failed: %s (%s)\n",
          op, off, width, r->mmio__len, mmio_strerror(err), mmio_err_name(err));
  fflush(stderr);
  abort();
}

int mmio__region_access(mmio_region *r, size_t off, unsigned width, int store,
                        uint64_t *value) {
  struct mmio__load_result res;
  if (store) return mmio__store_slow(r, off, width, *value);
  res = mmio__load_slow(r, off, width);
  if (res.err == 0) *value = res.value;
  return res.err;
}

int mmio__ref_region(mmio_region *out, atomic_size_t *refs,
                     const struct mmio_ops *ops, void *ctx, size_t len) {
  int err;
  if (out == NULL) return -EINVAL;
  atomic_fetch_add_explicit(refs, 1, memory_order_relaxed);
  err = mmio_region_from_ops(out, ops, ctx, len);
  if (err != 0) atomic_fetch_sub_explicit(refs, 1, memory_order_relaxed);
  return err;
}

int mmio__unref(atomic_size_t *refs) {
  /* acq_rel: everything done through the object happens before whoever
   * frees it after the last reference goes. */
  return atomic_fetch_sub_explicit(refs, 1, memory_order_acq_rel) == 1;
}
