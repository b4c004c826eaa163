/*
 * A user-space driver for QEMU's "edu" teaching device (QEMU's
 * docs/specs/edu.rst), written only against the public mmio API, so that
 * the same source runs on the edu model of libmmio-testing
 * (mmio/testing/model.h) in unit tests and on the real device's BAR0 in a
 * virtual machine.
 */
#ifndef EDU_H
#define EDU_H

#include <stdint.h>

#include <mmio/mmio.h>

/* BAR0 register map. Offsets below 0x80 accept only 32-bit accesses. */
#define EDU_REG_ID 0x00         /* RO: 0xRRrr00ed, major RR, minor rr */
#define EDU_REG_LIVENESS 0x04   /* RW: reads back the inverse of a write */
#define EDU_REG_FACTORIAL 0x08  /* RW: write n, read n! when done */
#define EDU_REG_STATUS 0x20     /* RW: see EDU_STATUS_* */
#define EDU_REG_IRQ_STATUS 0x24 /* RO: bits of raised interrupts */
#define EDU_REG_IRQ_RAISE 0x60  /* WO: OR bits into IRQ_STATUS */
#define EDU_REG_IRQ_ACK 0x64    /* WO: clear bits from IRQ_STATUS */
#define EDU_REG_DMA_SRC 0x80    /* RW, 32 or 64-bit */
#define EDU_REG_DMA_DST 0x88
#define EDU_REG_DMA_COUNT 0x90
#define EDU_REG_DMA_CMD 0x98

#define EDU_ID_MAGIC 0xedu         /* low byte of ID */
#define EDU_STATUS_COMPUTING 0x01u /* RO: factorial in progress */
#define EDU_STATUS_IRQ_FACT 0x80u  /* raise EDU_IRQ_FACT when done */
#define EDU_IRQ_FACT 0x01u         /* the factorial-done interrupt bit */
#define EDU_BAR_SIZE (1u << 20)

/*
 * How the driver waits for the device's interrupt line: returns 1 when an
 * interrupt has arrived, 0 when timeout_ms (milliseconds, > 0) passed
 * without one, or a negative error. The device handle of mmio/device.h
 * gives one for UIO and VFIO alike; for the model, mmio_model_irq_wait.
 */
typedef int (*edu_wait_irq_fn)(void *arg, int timeout_ms);

struct edu {
  mmio_region regs;
  edu_wait_irq_fn wait_irq; /* NULL: completion is found by polling */
  void *wait_arg;
};

/*
 * Takes bar0 (always consumed, also on failure: it is released or moved
 * into dev) and checks that it is an edu device: at least 0x100 bytes, ID
 * magic present. wait_irq may be NULL.
 * Returns 0; -ENODEV when the ID does not match; an mmio error code.
 */
int edu_open(struct edu *dev, mmio_region *bar0, edu_wait_irq_fn wait_irq, void *wait_arg);

/* Releases the registers. Accepts a closed device. */
void edu_close(struct edu *dev);

/* Reads the version from ID. Returns 0 or an mmio error code. */
int edu_version(struct edu *dev, unsigned *major, unsigned *minor);

/*
 * Writes probe to LIVENESS and checks that the inverse reads back.
 * Returns 0, -EIO when it does not, or an mmio error code.
 */
int edu_check_liveness(struct edu *dev, uint32_t probe);

/*
 * Computes n! on the device (32-bit, wrapping as the device does). With a
 * wait function, asks for the completion interrupt and waits for it,
 * acknowledging it; without one, polls STATUS. timeout_ms bounds the wait.
 * Returns 0 and sets *out; -ETIMEDOUT; -EBUSY when a computation is already
 * running; or an mmio error code.
 */
int edu_factorial(struct edu *dev, uint32_t n, uint32_t *out, int timeout_ms);

/* Raises interrupt bits through IRQ_RAISE; reads and acknowledges them. */
int edu_raise_irq(struct edu *dev, uint32_t bits);
int edu_irq_status(struct edu *dev, uint32_t *bits);
int edu_ack_irq(struct edu *dev, uint32_t bits);

#endif /* EDU_H */
