/*
 * Device models the project ships: fake register files with the
 * behaviour of a real device, by name, for tests, the command-line tool
 * (`mmio fake:edu ...`) and the Python binding, on any machine.
 *
 *   edu   QEMU's "edu" teaching device (QEMU's docs/specs/edu.rst), BAR0:
 *         ID, liveness, factorial with its COMPUTING status and completion
 *         interrupt, interrupt raise/acknowledge, 32-bit accesses only below
 *         0x80 (others fail the test), write-only registers reading as all
 *         ones. Time advances one step per STATUS read and per millisecond
 *         of mmio_model_irq_wait; a factorial takes `latency` steps. DMA is
 *         not modelled (starting it fails the access with -ENOTSUP).
 *
 *   mmio_model *m;
 *   mmio_region bar0;
 *   mmio_model_create(&m, "edu", 3);
 *   mmio_model_region(&bar0, m);      // hand it to the driver under test
 *   ...
 *   mmio_region_release(&bar0);
 *   mmio_model_destroy(m);
 */
#ifndef MMIO_TESTING_MODEL_H
#define MMIO_TESTING_MODEL_H

#include <stddef.h>

#include "mmio/region.h"
#include "mmio/testing/fake.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmio_model mmio_model;

/* The models' names, NULL-terminated. Static. */
MMIO_API const char *const *mmio_model_names(void);

/*
 * Creates the model called name. latency: how many time steps its slow
 * operations take (0: they finish at once). *out is the caller's
 * (mmio_model_destroy). Returns 0; -EINVAL for a NULL argument;
 * MMIO_ERR_UNKNOWN_NAME for a model that does not exist; -ENOMEM.
 */
MMIO_API int mmio_model_create(mmio_model **out, const char *name, unsigned latency);

/* Frees the model. Release every region over it first: its hooks use it.
 * Accepts NULL. */
MMIO_API void mmio_model_destroy(mmio_model *m);

/* One line describing the model ("QEMU edu (1234:11e8) BAR0, 1 MiB"). */
MMIO_API const char *mmio_model_title(const mmio_model *m);

/* Makes *out a region over the model's registers. 0, -EINVAL, -ENOMEM. */
MMIO_API int mmio_model_region(mmio_region *out, mmio_model *m);

/* The model's fake register file, for peeks, counts and a failure
 * handler. Owned by the model. */
MMIO_API mmio_fake *mmio_model_fake(mmio_model *m);

/* 1 when the model's interrupt line is asserted, else 0 (or -EINVAL). */
MMIO_API int mmio_model_irq_pending(mmio_model *m);

/*
 * Waits up to timeout_ms milliseconds of the model's time (one step per
 * millisecond; no real time passes) for its interrupt. Returns 1 when it
 * is asserted, 0 when it is not by then, -EINVAL.
 */
MMIO_API int mmio_model_irq_wait(mmio_model *m, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_TESTING_MODEL_H */
