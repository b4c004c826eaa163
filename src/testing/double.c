/*
 * What every test double shares: its reference count, its region, its
 * failure handler.
 */
#include <errno.h>
#include <stdint.h>

#include "testing_internal.h"

void mmio__double_init(struct mmio__double *d, size_t len, const struct mmio_ops *ops,
                       void (*free_fn)(struct mmio__double *d)) {
  atomic_init(&d->refs, 1);
  d->len = len;
  d->skew = 0;
  d->ops = ops;
  d->fail = NULL;
  d->fail_arg = NULL;
  d->free = free_fn;
}

int mmio__double_region(mmio_region *out, struct mmio__double *d) {
  static const mmio_region empty;
  int err;
  if (out == NULL) return -EINVAL;
  *out = empty;
  if (d == NULL) return -EINVAL;
  /* Relaxed: the caller holds a reference, so the double cannot go. */
  atomic_fetch_add_explicit(&d->refs, 1, memory_order_relaxed);
  /* The region covers [skew, skew + len) of the backend: made over
   * [0, skew + len), with the head split off and dropped. */
  err = d->len > PTRDIFF_MAX - d->skew ? MMIO_ERR_OUT_OF_RANGE
                                       : mmio_region_from_ops(out, d->ops, d, d->skew + d->len);
  if (err != 0) {
    atomic_fetch_sub_explicit(&d->refs, 1, memory_order_relaxed);
  } else if (d->skew != 0) {
    mmio_region head = empty;
    mmio_try_split_off(out, d->skew, &head);
    mmio_region_release(&head);
  }
  return err;
}

void mmio__double_unref(void *ctx) {
  struct mmio__double *d = ctx;
  /* acq_rel: everything done through the double happens before it is
   * freed, whichever thread drops the last reference. */
  if (d != NULL && atomic_fetch_sub_explicit(&d->refs, 1, memory_order_acq_rel) == 1) d->free(d);
}

void mmio__double_null(const char *what) {
  mmio__report(NULL, NULL, "%s called with a NULL double", what);
}

void mmio__double_on_failure(struct mmio__double *d, mmio_fail_fn fn, void *arg, const char *what) {
  if (d == NULL) {
    mmio__double_null(what);
    return;
  }
  d->fail = fn;
  d->fail_arg = arg;
}
