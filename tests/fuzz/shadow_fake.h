/*
 * The shadow of a fake register file (mmio/testing/fake.h), from that
 * header's rules alone: little-endian bytes, registers with read-only,
 * write-1-to-clear, write-1-to-set and clear-on-read bits and accepted
 * widths, strict gaps, and accesses that are judged whole before any part
 * of them is applied.
 */
#ifndef MMIO_FUZZ_SHADOW_FAKE_H
#define MMIO_FUZZ_SHADOW_FAKE_H

#include <stddef.h>
#include <stdint.h>

#define SH_FAKE_MAX 64
#define SH_FAKE_REGS 4

struct sh_fake_reg {
  size_t off;
  unsigned width; /* bytes */
  uint64_t reset, ro, w1c, w1s, rc;
  unsigned widths; /* as mmio_fake_reg.widths: 0 is the width only */
  unsigned long reads, writes;
};

struct sh_fake {
  size_t len;
  int strict;
  uint8_t bytes[SH_FAKE_MAX];
  struct sh_fake_reg reg[SH_FAKE_REGS];
  size_t nregs;
  unsigned long reports; /* failures handed to the failure handler */
};

/* A fake of len bytes (at most SH_FAKE_MAX), all zero, no registers. */
void sh_fake_init(struct sh_fake *f, size_t len, int strict);

/*
 * mmio_fake_add_regs: the answer (0, -EINVAL or MMIO_ERR_OUT_OF_RANGE) and,
 * when the batch breaks rules of both kinds, the other one it may give in
 * *alt (else *alt is the answer). Nothing is added unless all are valid.
 */
int sh_fake_add(struct sh_fake *f, const struct sh_fake_reg *regs, size_t n, int *alt);

/* One device access of width bytes at off (inside the fake): 0, with
 * *value loaded or stored, or MMIO_ERR_REJECTED with nothing changed. */
int sh_fake_access(struct sh_fake *f, size_t off, unsigned width, int store, uint64_t *value);

/* The register starting at off, or NULL. */
const struct sh_fake_reg *sh_fake_reg_at(const struct sh_fake *f, size_t off);

#endif
