/*
 * Region ownership: construction, the inline fast path's bounds, splitting,
 * moving, the write right and the shared reference count.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core_internal.h"

static const mmio_region mmio__empty_region;

struct mmio__claim *mmio__claim_new(void (*release)(void *ctx), void *ctx, size_t extra) {
  struct mmio__claim *c;
  if (extra > SIZE_MAX - sizeof(*c)) return NULL;
  c = malloc(sizeof(*c) + extra);
  if (c == NULL) return NULL;
  atomic_init(&c->refs, 1);
  c->release = release;
  c->ctx = ctx;
  return c;
}

/* Sets the window and derives the inline fast path's bounds from it, the
 * backend kind and the write right: the one place they are computed. */
static void mmio__region_set_window(mmio_region *r, uintptr_t addr, size_t len) {
  size_t lim = (r->mmio__ops == NULL && !(r->mmio__flags & MMIO__REGION_GUARDED) &&
                (addr & 7) == 0 && len >= 8)
                   ? len - 7
                   : 0;
  r->mmio__addr = addr;
  r->mmio__len = len;
  r->mmio__fast_lim = lim;
  r->mmio__fast_wlim = (r->mmio__flags & MMIO__REGION_READ_ONLY) ? 0 : lim;
}

/*
 * The one check that tells a copy from the region it was copied from: a
 * region that is not empty records where it was made. A copy would be a
 * second owner of one reference (a double release decrements freed
 * memory), so it is a bug to stop at once, like a failed aborting access.
 */
static void mmio__region_check_self(const mmio_region *r, const char *op) {
  if (MMIO__UNLIKELY(r->mmio__self != NULL && r->mmio__self != r)) {
    fprintf(stderr,
            "mmio: %s: region copied by value: the region at %p was made at %p "
            "(hand regions over with mmio_region_move)\n",
            op, (const void *)r, (const void *)r->mmio__self);
    fflush(stderr);
    abort();
  }
}

void mmio__region_clear(mmio_region *out) {
  if (out != NULL) *out = mmio__empty_region;
}

void mmio__region_init(mmio_region *out, uintptr_t addr, size_t len, const struct mmio_ops *ops,
                       void *ctx, struct mmio__claim *claim) {
  *out = mmio__empty_region;
  out->mmio__ops = ops;
  out->mmio__ctx = ctx;
  out->mmio__claim = claim;
  out->mmio__self = out;
  mmio__region_set_window(out, addr, len);
}

size_t mmio_align_offset(const mmio_region *r, size_t align) {
  if (r == NULL || align == 0 || (align & (align - 1)) != 0) return SIZE_MAX;
  return (size_t)(-r->mmio__addr) & (align - 1);
}

int mmio_check_aligned(const mmio_region *r, size_t off, size_t width) {
  if (r == NULL || width == 0 || (width & (width - 1)) != 0) return -EINVAL;
  return ((r->mmio__addr + off) & (width - 1)) == 0 ? 0 : MMIO_ERR_UNALIGNED;
}

int mmio_check_capacity(const mmio_region *r, size_t off, size_t width) {
  if (r == NULL) return -EINVAL;
  if (r->mmio__len < width || off > r->mmio__len - width) return MMIO_ERR_OUT_OF_RANGE;
  return 0;
}

int mmio_check_suitable(const mmio_region *r, size_t off, size_t width) {
  int err = mmio_check_aligned(r, off, width);
  return err != 0 ? err : mmio_check_capacity(r, off, width);
}

int mmio_try_split_off(mmio_region *r, size_t mid, mmio_region *lhs) {
  if (r == NULL || lhs == NULL || r == lhs) return -EINVAL;
  mmio__region_check_self(r, "mmio_try_split_off");
  if (mid > r->mmio__len) return MMIO_ERR_OUT_OF_RANGE;
  /* Relaxed is enough for taking a reference: the caller already holds
   * one, so the backing cannot go away under us (the same reasoning as
   * for shared_ptr copies). */
  if (r->mmio__claim != NULL)
    atomic_fetch_add_explicit(&r->mmio__claim->refs, 1, memory_order_relaxed);
  *lhs = *r;
  lhs->mmio__self = r->mmio__self != NULL ? lhs : NULL;
  mmio__region_set_window(lhs, r->mmio__addr, mid);
  mmio__region_set_window(r, r->mmio__addr + mid, r->mmio__len - mid);
  return 0;
}

void mmio_region_move(mmio_region *dst, mmio_region *src) {
  if (dst == NULL || src == NULL || dst == src) return;
  mmio__region_check_self(src, "mmio_region_move");
  *dst = *src;
  dst->mmio__self = src->mmio__self != NULL ? dst : NULL;
  *src = mmio__empty_region;
}

void mmio__region_set_flags(mmio_region *r, unsigned flags) {
  r->mmio__flags = flags;
  mmio__region_set_window(r, r->mmio__addr, r->mmio__len);
}

int mmio_region_make_read_only(mmio_region *r) {
  if (r == NULL) return -EINVAL;
  mmio__region_set_flags(r, r->mmio__flags | MMIO__REGION_READ_ONLY);
  return 0;
}

void mmio_region_release(mmio_region *r) {
  struct mmio__claim *c;
  if (r == NULL) return;
  mmio__region_check_self(r, "mmio_region_release");
  c = r->mmio__claim;
  *r = mmio__empty_region;
  if (c == NULL) return;
  /* acq_rel: every access made through any region of this backing
   * happens-before the release function runs, whichever thread drops the
   * last reference. */
  if (atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) != 1) return;
  if (c->release != NULL) c->release(c->ctx);
  free(c);
}
