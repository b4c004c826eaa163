/*
 * A model of QEMU's edu device on a fake register file (mmio/testing/fake.h), for
 * running the edu driver's logic in unit tests on any machine.
 *
 * Modelled: ID, liveness inversion, factorial with its COMPUTING status and
 * completion interrupt, interrupt raise/acknowledge, the 32-bit-only rule
 * below 0x80 (any other width fails the test, as real drivers must not rely
 * on what the device does then), and write-only registers reading as all
 * ones. Time advances one step per STATUS read and per millisecond a
 * waiter spends in edu_fake_wait_irq; a factorial takes `latency` steps.
 * Not modelled: DMA (starting a transfer fails the access with -ENOTSUP).
 */
#ifndef EDU_FAKE_H
#define EDU_FAKE_H

#include <mmio/mmio.h>
#include <mmio/testing/fake.h>

struct edu_fake;

/*
 * Creates the model with a factorial latency of `latency` time steps
 * (0 finishes at once). Returns 0 and sets *out, owned by the caller;
 * an mmio error code otherwise.
 */
int edu_fake_create(struct edu_fake **out, unsigned latency);

/* Frees the model. Release every region over it first: its hooks use the
 * model. Accepts NULL. */
void edu_fake_destroy(struct edu_fake *e);

/* Makes *out a region over the model's BAR0 (1 MiB). */
int edu_fake_region(mmio_region *out, struct edu_fake *e);

/* The register file, for peeks, counts and a failure handler. */
mmio_fake *edu_fake_registers(struct edu_fake *e);

/* Whether the interrupt line is asserted (IRQ_STATUS is nonzero). */
int edu_fake_irq_asserted(struct edu_fake *e);

/*
 * An edu_wait_irq_fn for the model: advances time one step per
 * millisecond of timeout until the line is asserted. Returns 1 or 0.
 */
int edu_fake_wait_irq(void *edu_fake, int timeout_ms);

#endif /* EDU_FAKE_H */
