/*
 * Regions over plain memory and over function tables, and the reference
 * counts of the objects that backends keep alive.
 */
#include <errno.h>
#include <stdint.h>

#include "core_internal.h"

int mmio_region_from_memory(mmio_region *out, void *base, size_t len, void (*release)(void *ctx),
                            void *ctx) {
  struct mmio__claim *claim = NULL;
  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (base == NULL && len > 0) return -EINVAL;
  if (len > PTRDIFF_MAX || (uintptr_t)base > UINTPTR_MAX - len) return MMIO_ERR_OUT_OF_RANGE;
  if (release != NULL) {
    claim = mmio__claim_new(release, ctx, 0);
    if (claim == NULL) return -ENOMEM;
  }
  mmio__region_init(out, (uintptr_t)base, len, NULL, NULL, claim);
  return 0;
}

int mmio_region_from_ops(mmio_region *out, const struct mmio_ops *ops, void *ctx, size_t len) {
  struct mmio__claim *claim = NULL;
  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (ops == NULL || ops->load8 == NULL || ops->load16 == NULL || ops->load32 == NULL ||
      ops->load64 == NULL || ops->store8 == NULL || ops->store16 == NULL || ops->store32 == NULL ||
      ops->store64 == NULL)
    return -EINVAL;
  if (len > PTRDIFF_MAX) return MMIO_ERR_OUT_OF_RANGE;
  claim = mmio__claim_new(ops->release, ctx, 0);
  if (claim == NULL) return -ENOMEM;
  mmio__region_init(out, 0, len, ops, ctx, claim);
  return 0;
}

void mmio__ref_get(atomic_size_t *refs) {
  /* Relaxed: the caller holds a reference, so the object cannot go. */
  atomic_fetch_add_explicit(refs, 1, memory_order_relaxed);
}

int mmio__ref_put(atomic_size_t *refs) {
  /* acq_rel: everything done through the object happens before whoever
   * frees it after the last reference goes. */
  return atomic_fetch_sub_explicit(refs, 1, memory_order_acq_rel) == 1;
}

int mmio__ref_region(mmio_region *out, atomic_size_t *refs, const struct mmio_ops *ops, void *ctx,
                     size_t len) {
  int err;
  if (out == NULL) return -EINVAL;
  mmio__ref_get(refs);
  err = mmio_region_from_ops(out, ops, ctx, len);
  if (err != 0) mmio__ref_put(refs);
  return err;
}
