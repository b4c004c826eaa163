/*
 * The edu model: QEMU's teaching device (hw/misc/edu.c, as documented in
 * QEMU's docs/specs/edu.rst) as register declarations and the hooks that
 * give them behaviour. Its register map is the device's, written down here
 * as the device would: the driver in examples/edu has its own copy.
 */
#include <errno.h>
#include <stdlib.h>

#include "testing_internal.h"

enum {
  EDU_ID = 0x00,
  EDU_LIVENESS = 0x04,
  EDU_FACTORIAL = 0x08,
  EDU_STATUS = 0x20,
  EDU_IRQ_STATUS = 0x24,
  EDU_IRQ_RAISE = 0x60,
  EDU_IRQ_ACK = 0x64,
  EDU_DMA_SRC = 0x80,
  EDU_DMA_DST = 0x88,
  EDU_DMA_COUNT = 0x90,
  EDU_DMA_CMD = 0x98,
  EDU_COMPUTING = 0x01,   /* STATUS: factorial in progress */
  EDU_IRQ_ON_FACT = 0x80, /* STATUS: interrupt when done */
  EDU_IRQ_FACT = 0x01,    /* IRQ_STATUS: the factorial is done */
  EDU_SIZE = 1 << 20      /* BAR0 */
};

static void raise_irq(mmio_model *m, uint32_t bits) {
  mmio_fake_poke32(m->fake, EDU_IRQ_STATUS, mmio_fake_peek32(m->fake, EDU_IRQ_STATUS) | bits);
}

/* Finishes the factorial in flight, as the device's worker thread does. */
static void finish(mmio_model *m) {
  uint32_t n = mmio_fake_peek32(m->fake, EDU_FACTORIAL), r = 1;
  uint32_t status = mmio_fake_peek32(m->fake, EDU_STATUS);
  while (n > 0)
    r *= n--;
  mmio_fake_poke32(m->fake, EDU_FACTORIAL, r);
  mmio_fake_poke32(m->fake, EDU_STATUS, status & ~(uint32_t)EDU_COMPUTING);
  if (status & EDU_IRQ_ON_FACT) raise_irq(m, EDU_IRQ_FACT);
}

static void edu_step(mmio_model *m) {
  if (!(mmio_fake_peek32(m->fake, EDU_STATUS) & EDU_COMPUTING)) return;
  if (m->steps_left > 0) m->steps_left--;
  if (m->steps_left == 0) finish(m);
}

static int edu_irq_pending(mmio_model *m) { return mmio_fake_peek32(m->fake, EDU_IRQ_STATUS) != 0; }

static int liveness_written(mmio_fake *f, size_t reg, uint64_t old, uint64_t v, void *arg) {
  (void)old, (void)arg;
  mmio_fake_poke32(f, reg, ~(uint32_t)v);
  return 0;
}

static int factorial_written(mmio_fake *f, size_t reg, uint64_t old, uint64_t v, void *arg) {
  mmio_model *m = arg;
  uint32_t status = mmio_fake_peek32(f, EDU_STATUS);
  (void)v;
  if (status & EDU_COMPUTING) {
    /* The device ignores a new operand while it computes. */
    mmio_fake_poke32(f, reg, (uint32_t)old);
    return 0;
  }
  mmio_fake_poke32(f, EDU_STATUS, status | EDU_COMPUTING);
  m->steps_left = m->latency;
  if (m->latency == 0) finish(m);
  return 0;
}

static int status_read(mmio_fake *f, size_t reg, uint64_t *v, void *arg) {
  edu_step(arg);
  *v = mmio_fake_peek32(f, reg);
  return 0;
}

static int raise_written(mmio_fake *f, size_t reg, uint64_t old, uint64_t v, void *arg) {
  (void)f, (void)reg, (void)old;
  raise_irq(arg, (uint32_t)v);
  return 0;
}

static int ack_written(mmio_fake *f, size_t reg, uint64_t old, uint64_t v, void *arg) {
  (void)reg, (void)old, (void)arg;
  mmio_fake_poke32(f, EDU_IRQ_STATUS, mmio_fake_peek32(f, EDU_IRQ_STATUS) & ~(uint32_t)v);
  return 0;
}

/* Write-only registers read as all ones, as on the device. */
static int reads_all_ones(mmio_fake *f, size_t reg, uint64_t *v, void *arg) {
  (void)f, (void)reg, (void)arg;
  *v = 0xffffffffu;
  return 0;
}

static int dma_cmd_written(mmio_fake *f, size_t reg, uint64_t old, uint64_t v, void *arg) {
  (void)f, (void)reg, (void)old, (void)arg;
  return (v & 1u) ? -ENOTSUP : 0;
}

static int edu_init(mmio_model *m) {
  const unsigned dma_widths = MMIO_FAKE_W32 | MMIO_FAKE_W64;
  const struct mmio_fake_reg regs[] = {
      {.name = "ID", .offset = EDU_ID, .width = 4, .reset = 0x010000edu, .ro = ~0ull},
      {.name = "LIVENESS", .offset = EDU_LIVENESS, .width = 4, .on_write = liveness_written},
      {.name = "FACTORIAL",
       .offset = EDU_FACTORIAL,
       .width = 4,
       .on_write = factorial_written,
       .arg = m},
      {.name = "STATUS",
       .offset = EDU_STATUS,
       .width = 4,
       .ro = ~(uint64_t)EDU_IRQ_ON_FACT,
       .on_read = status_read,
       .arg = m},
      {.name = "IRQ_STATUS", .offset = EDU_IRQ_STATUS, .width = 4, .ro = ~0ull},
      {.name = "IRQ_RAISE",
       .offset = EDU_IRQ_RAISE,
       .width = 4,
       .ro = ~0ull,
       .on_read = reads_all_ones,
       .on_write = raise_written,
       .arg = m},
      {.name = "IRQ_ACK",
       .offset = EDU_IRQ_ACK,
       .width = 4,
       .ro = ~0ull,
       .on_read = reads_all_ones,
       .on_write = ack_written},
      {.name = "DMA_SRC", .offset = EDU_DMA_SRC, .width = 8, .widths = dma_widths},
      {.name = "DMA_DST", .offset = EDU_DMA_DST, .width = 8, .widths = dma_widths},
      {.name = "DMA_COUNT", .offset = EDU_DMA_COUNT, .width = 8, .widths = dma_widths},
      {.name = "DMA_CMD",
       .offset = EDU_DMA_CMD,
       .width = 8,
       .widths = dma_widths,
       .on_write = dma_cmd_written},
  };
  int err = mmio_fake_create(&m->fake, EDU_SIZE, MMIO_FAKE_STRICT);
  return err != 0 ? err : mmio_fake_add_regs(m->fake, regs, sizeof(regs) / sizeof(regs[0]));
}

const struct mmio__model_kind mmio__model_edu = {
    .name = "edu",
    .title = "QEMU edu (1234:11e8) BAR0, 1 MiB, modelled",
    .init = edu_init,
    .step = edu_step,
    .irq_pending = edu_irq_pending,
};
