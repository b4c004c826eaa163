/*
 * The edu model: register declarations and the hooks that give them
 * behaviour, following QEMU's hw/misc/edu.c as documented in its spec.
 */
#include "edu_fake.h"

#include <errno.h>
#include <stdlib.h>

#include "edu.h"

struct edu_fake {
  mmio_fake *regs;
  unsigned latency;
  unsigned steps_left; /* of the running factorial */
};

static void raise_irq(struct edu_fake *e, uint32_t bits) {
  mmio_fake_poke32(e->regs, EDU_REG_IRQ_STATUS,
                   mmio_fake_peek32(e->regs, EDU_REG_IRQ_STATUS) | bits);
}

/* Finishes the factorial in flight, as the device's worker thread does. */
static void finish(struct edu_fake *e) {
  uint32_t n = mmio_fake_peek32(e->regs, EDU_REG_FACTORIAL), r = 1;
  uint32_t status = mmio_fake_peek32(e->regs, EDU_REG_STATUS);
  while (n > 0)
    r *= n--;
  mmio_fake_poke32(e->regs, EDU_REG_FACTORIAL, r);
  mmio_fake_poke32(e->regs, EDU_REG_STATUS, status & ~EDU_STATUS_COMPUTING);
  if (status & EDU_STATUS_IRQ_FACT) raise_irq(e, EDU_IRQ_FACT);
}

static void step(struct edu_fake *e) {
  if (!(mmio_fake_peek32(e->regs, EDU_REG_STATUS) & EDU_STATUS_COMPUTING)) return;
  if (e->steps_left > 0) e->steps_left--;
  if (e->steps_left == 0) finish(e);
}

static int liveness_written(mmio_fake *f, size_t reg, uint64_t old, uint64_t v, void *arg) {
  (void)old, (void)arg;
  mmio_fake_poke32(f, reg, ~(uint32_t)v);
  return 0;
}

static int factorial_written(mmio_fake *f, size_t reg, uint64_t old, uint64_t v, void *arg) {
  struct edu_fake *e = arg;
  uint32_t status = mmio_fake_peek32(f, EDU_REG_STATUS);
  (void)v;
  if (status & EDU_STATUS_COMPUTING) {
    /* The device ignores a new operand while it computes. */
    mmio_fake_poke32(f, reg, (uint32_t)old);
    return 0;
  }
  mmio_fake_poke32(f, EDU_REG_STATUS, status | EDU_STATUS_COMPUTING);
  e->steps_left = e->latency;
  if (e->latency == 0) finish(e);
  return 0;
}

static int status_read(mmio_fake *f, size_t reg, uint64_t *v, void *arg) {
  step(arg);
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
  mmio_fake_poke32(f, EDU_REG_IRQ_STATUS, mmio_fake_peek32(f, EDU_REG_IRQ_STATUS) & ~(uint32_t)v);
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

int edu_fake_create(struct edu_fake **out, unsigned latency) {
  const unsigned dma_widths = MMIO_FAKE_W32 | MMIO_FAKE_W64;
  struct edu_fake *e = calloc(1, sizeof(*e));
  int err = e != NULL ? 0 : -ENOMEM;
  *out = NULL;
  if (err == 0) err = mmio_fake_create(&e->regs, EDU_BAR_SIZE, MMIO_FAKE_STRICT);
  if (err == 0) {
    const struct mmio_fake_reg regs[] = {
        {.name = "ID", .offset = EDU_REG_ID, .width = 4, .reset = 0x010000edu, .ro = ~0ull},
        {.name = "LIVENESS", .offset = EDU_REG_LIVENESS, .width = 4, .on_write = liveness_written},
        {.name = "FACTORIAL",
         .offset = EDU_REG_FACTORIAL,
         .width = 4,
         .on_write = factorial_written,
         .arg = e},
        {.name = "STATUS",
         .offset = EDU_REG_STATUS,
         .width = 4,
         .ro = ~(uint64_t)EDU_STATUS_IRQ_FACT,
         .on_read = status_read,
         .arg = e},
        {.name = "IRQ_STATUS", .offset = EDU_REG_IRQ_STATUS, .width = 4, .ro = ~0ull},
        {.name = "IRQ_RAISE",
         .offset = EDU_REG_IRQ_RAISE,
         .width = 4,
         .ro = ~0ull,
         .on_read = reads_all_ones,
         .on_write = raise_written,
         .arg = e},
        {.name = "IRQ_ACK",
         .offset = EDU_REG_IRQ_ACK,
         .width = 4,
         .ro = ~0ull,
         .on_read = reads_all_ones,
         .on_write = ack_written},
        {.name = "DMA_SRC", .offset = EDU_REG_DMA_SRC, .width = 8, .widths = dma_widths},
        {.name = "DMA_DST", .offset = EDU_REG_DMA_DST, .width = 8, .widths = dma_widths},
        {.name = "DMA_COUNT", .offset = EDU_REG_DMA_COUNT, .width = 8, .widths = dma_widths},
        {.name = "DMA_CMD",
         .offset = EDU_REG_DMA_CMD,
         .width = 8,
         .widths = dma_widths,
         .on_write = dma_cmd_written},
    };
    e->latency = latency;
    err = mmio_fake_add_regs(e->regs, regs, sizeof(regs) / sizeof(regs[0]));
  }
  if (err != 0) {
    edu_fake_destroy(e);
    return err;
  }
  *out = e;
  return 0;
}

void edu_fake_destroy(struct edu_fake *e) {
  if (e == NULL) return;
  mmio_fake_destroy(e->regs);
  free(e);
}

int edu_fake_region(mmio_region *out, struct edu_fake *e) { return mmio_fake_region(out, e->regs); }

mmio_fake *edu_fake_registers(struct edu_fake *e) { return e->regs; }

int edu_fake_irq_asserted(struct edu_fake *e) {
  return mmio_fake_peek32(e->regs, EDU_REG_IRQ_STATUS) != 0;
}

int edu_fake_wait_irq(void *arg, int timeout_ms) {
  struct edu_fake *e = arg;
  int t;
  for (t = 0; t < timeout_ms && !edu_fake_irq_asserted(e); t++)
    step(e);
  return edu_fake_irq_asserted(e);
}
