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

void mmio__region_init(mmio_region *out, uintptr_t addr, size_t len,
                       const struct mmio_ops *ops, void *ctx,
                       struct mmio__claim *claim) {
  *out = mmio__empty_region;
  out->mmio__addr = addr;
  out->mmio__len = len;
  out->mmio__wlen = len;
  out->mmio__ops = ops;
  out->mmio__ctx = ctx;
  out->mmio__claim = claim;
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
  lhs->mmio__len = mid;
  lhs->mmio__wlen = r->mmio__wlen < mid ? r->mmio__wlen : mid;
  r->mmio__addr += mid;
  r->mmio__len -= mid;
  r->mmio__wlen = r->mmio__wlen > mid ? r->mmio__wlen - mid : 0;
  return 0;
}

void mmio_region_move(mmio_region *dst, mmio_region *src) {
  *dst = *src;
  *src = mmio__empty_region;
}

int mmio_region_make_read_only(mmio_region *r) {
  if (r == NULL) return -EINVAL;
  r->mmio__flags |= MMIO__REGION_READ_ONLY;
  r->mmio__wlen = 0;
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

void mmio__access_failed(const char *op, const mmio_region *r, size_t off,
                         size_t width, int err) {
  fprintf(stderr,
          "mmio: %s at offset 0x%zx (width %zu) of a region of length 0x%zx "
          "failed: %s (%s)\n",
          op, off, width, r->mmio__len, mmio_strerror(err), mmio_err_name(err));
  fflush(stderr);
  abort();
}
