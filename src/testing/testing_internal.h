/*
 * The testing layer's internal interface: what the test doubles (fake
 * register files, strict mocks, the concurrency checker) share. Nothing
 * here is exported from the shared library. The doubles are a library of
 * their own over libmmio, so they stand on its public API only.
 */
#ifndef MMIO_TESTING_INTERNAL_H
#define MMIO_TESTING_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>

#include "mmio/backend.h"
#include "mmio/clock.h"
#include "mmio/desc.h"
#include "mmio/error.h"
#include "mmio/region.h"
#include "mmio/testing/checker.h"
#include "mmio/testing/fake.h"
#include "mmio/testing/mock.h"
#include "mmio/testing/model.h"
#include "mmio/testing/report.h"
#include "mmio/trace.h"

/*
 * Formats a failure message and hands it to fn (mmio_fail_abort when fn is
 * NULL). Returns MMIO_ERR_REJECTED, for the failing access to return.
 */
int mmio__report(mmio_fail_fn fn, void *arg, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* "8-bit", "16-bit", "32-bit" or "64-bit" for a width in bytes. */
const char *mmio__width_name(unsigned width);

/*
 * The head every double's struct starts with: the reference count that
 * its regions share with its owner, its length and backend, and its
 * failure handler.
 */
struct mmio__double {
  atomic_size_t refs; /* the creator's and one per region */
  size_t len;
  /* The backend offset of the double's byte 0 (0 but for the checker,
   * whose regions carry the inner region's address alignment). */
  size_t skew;
  const struct mmio_ops *ops;
  mmio_fail_fn fail;
  void *fail_arg;
  void (*free)(struct mmio__double *d); /* frees the whole double */
};

/* Fills the head: one reference (the creator's), default failure handler. */
void mmio__double_init(struct mmio__double *d, size_t len, const struct mmio_ops *ops,
                       void (*free_fn)(struct mmio__double *d));

/* Makes *out a region over the whole double. 0, -EINVAL or -ENOMEM. */
int mmio__double_region(mmio_region *out, struct mmio__double *d);

/* Drops a reference (ctx is the double); frees it with the last. Usable
 * as the backend's release function. Accepts NULL. */
void mmio__double_unref(void *ctx);

/* Sets the failure handler; what is the caller's name, for the report of a
 * NULL double. */
void mmio__double_on_failure(struct mmio__double *d, mmio_fail_fn fn, void *arg, const char *what);

/* Reports a NULL double passed to a function that cannot return an error
 * (peek, poke, counters) to the default handler. */
void mmio__double_null(const char *what);

/* ---- device models (model.c and one file per model) ---- */

/* What a model is: its fake, its time, and the operations of its kind. */
struct mmio_model {
  const struct mmio__model_kind *kind;
  mmio_fake *fake;
  unsigned latency;    /* steps a slow operation takes */
  unsigned steps_left; /* of the operation in flight */
};

struct mmio__model_kind {
  const char *name;
  const char *title;
  /* Creates m->fake and its registers. 0 or an error. */
  int (*init)(mmio_model *m);
  /* Advances the model's time by one step. */
  void (*step)(mmio_model *m);
  /* Whether the interrupt line is asserted. */
  int (*irq_pending)(mmio_model *m);
};

extern const struct mmio__model_kind mmio__model_edu;

#endif /* MMIO_TESTING_INTERNAL_H */
