/*
 * The edu driver. Every register access goes through a checked mmio_try_
 * accessor, so on an unexpected region (too small, read-only) it reports an
 * error instead of touching memory it does not own.
 */
#define _POSIX_C_SOURCE 200809L
#include "edu.h"

#include <errno.h>
#include <time.h>

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int edu_open(struct edu *dev, mmio_region *bar0, edu_wait_irq_fn wait_irq, void *wait_arg) {
  uint32_t id = 0;
  int err = 0;
  dev->regs = (mmio_region){0};
  mmio_region_move(&dev->regs, bar0);
  dev->wait_irq = wait_irq;
  dev->wait_arg = wait_arg;
  if (mmio_len(&dev->regs) < 0x100) err = MMIO_ERR_OUT_OF_RANGE;
  if (err == 0) err = mmio_try_load32(&dev->regs, EDU_REG_ID, &id);
  if (err == 0 && (id & 0xff) != EDU_ID_MAGIC) err = -ENODEV;
  if (err != 0) edu_close(dev);
  return err;
}

void edu_close(struct edu *dev) { mmio_region_release(&dev->regs); }

int edu_version(struct edu *dev, unsigned *major, unsigned *minor) {
  uint32_t id = 0;
  int err = mmio_try_load32(&dev->regs, EDU_REG_ID, &id);
  if (err != 0) return err;
  *major = id >> 24;
  *minor = (id >> 16) & 0xff;
  return 0;
}

int edu_check_liveness(struct edu *dev, uint32_t probe) {
  uint32_t back = 0;
  int err = mmio_try_store32(&dev->regs, EDU_REG_LIVENESS, probe);
  if (err == 0) err = mmio_try_load32(&dev->regs, EDU_REG_LIVENESS, &back);
  if (err == 0 && back != (uint32_t)~probe) err = -EIO;
  return err;
}

/*
 * Waits for the factorial-done interrupt and acknowledges it. The wait
 * function owns the clock: when it reports a timeout, that is final. An
 * interrupt for another cause (a raise by someone else) waits again for
 * what is left of the time.
 */
static int wait_fact_irq(struct edu *dev, int timeout_ms) {
  const long long deadline = now_ms() + timeout_ms;
  uint32_t pending = 0;
  int err = 0;
  while (err == 0 && !(pending & EDU_IRQ_FACT)) {
    long long left = deadline - now_ms();
    int got = dev->wait_irq(dev->wait_arg, left > 0 ? (int)left : 1);
    if (got < 0) return got;
    if (got == 0) return -ETIMEDOUT;
    err = mmio_try_load32(&dev->regs, EDU_REG_IRQ_STATUS, &pending);
  }
  if (err == 0) err = mmio_try_store32(&dev->regs, EDU_REG_IRQ_ACK, EDU_IRQ_FACT);
  return err;
}

/* Polls STATUS until COMPUTING clears. */
static int poll_fact_done(struct edu *dev, int timeout_ms) {
  const long long deadline = now_ms() + timeout_ms;
  uint32_t status = EDU_STATUS_COMPUTING;
  int err = 0;
  while (err == 0 && (status & EDU_STATUS_COMPUTING)) {
    err = mmio_try_load32(&dev->regs, EDU_REG_STATUS, &status);
    if (err == 0 && (status & EDU_STATUS_COMPUTING) && now_ms() > deadline) err = -ETIMEDOUT;
  }
  return err;
}

int edu_factorial(struct edu *dev, uint32_t n, uint32_t *out, int timeout_ms) {
  const uint32_t irq = dev->wait_irq != NULL ? EDU_STATUS_IRQ_FACT : 0;
  uint32_t status = 0;
  int err = mmio_try_load32(&dev->regs, EDU_REG_STATUS, &status);
  if (err == 0 && (status & EDU_STATUS_COMPUTING)) err = -EBUSY;
  /* Ask for the interrupt before starting, so that a fast device cannot
   * finish before the request is in place. */
  if (err == 0) err = mmio_try_store32(&dev->regs, EDU_REG_STATUS, irq);
  if (err == 0) err = mmio_try_store32(&dev->regs, EDU_REG_FACTORIAL, n);
  if (err == 0) err = irq ? wait_fact_irq(dev, timeout_ms) : poll_fact_done(dev, timeout_ms);
  if (err == 0) err = poll_fact_done(dev, timeout_ms);
  if (err == 0) err = mmio_try_load32(&dev->regs, EDU_REG_FACTORIAL, out);
  return err;
}

int edu_raise_irq(struct edu *dev, uint32_t bits) {
  return mmio_try_store32(&dev->regs, EDU_REG_IRQ_RAISE, bits);
}

int edu_irq_status(struct edu *dev, uint32_t *bits) {
  return mmio_try_load32(&dev->regs, EDU_REG_IRQ_STATUS, bits);
}

int edu_ack_irq(struct edu *dev, uint32_t bits) {
  return mmio_try_store32(&dev->regs, EDU_REG_IRQ_ACK, bits);
}
