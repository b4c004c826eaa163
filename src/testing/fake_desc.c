/*
 * Fake register files from register descriptions: a peripheral of an SVD
 * file or a text description becomes a fake whose reset values and bit
 * rules are the vendor's, so a driver can be tested against the vendor's
 * own register file without a hand-written model.
 */
#include <errno.h>
#include <stdlib.h>

#include "testing_internal.h"

/* The fake's rules for one field's access; bits of kinds a fake register
 * file does not model (toggles, write-0-to-X, clear-on-any-write) behave
 * as plain read-write bits. */
static void mmio__fake_rules(enum mmio_access a, enum mmio_read_effect e, uint64_t m,
                             struct mmio_fake_reg *fr) {
  if (a == MMIO_RO || a == MMIO_RC) fr->ro |= m;
  if (a == MMIO_W1C) fr->w1c |= m;
  if (a == MMIO_W1S) fr->w1s |= m;
  if (a == MMIO_RC || e == MMIO_READ_CLEARS) fr->rc |= m;
}

int mmio_fake_add_periph(mmio_fake *fake, const struct mmio_periph *p, size_t offset) {
  struct mmio_fake_reg *regs;
  size_t i, j, n = 0;
  uint64_t end = 0;
  int err;
  if (fake == NULL || p == NULL || (p->regs == NULL && p->nregs > 0)) return -EINVAL;
  if ((regs = calloc(p->nregs + 1, sizeof(*regs))) == NULL) return -ENOMEM;
  for (i = 0; i < p->nregs; i++) {
    const struct mmio_reg *r = &p->regs[i];
    const uint64_t all = r->width >= 8 ? ~0ull : (1ull << (8 * r->width)) - 1;
    const enum mmio_access ra = r->access != MMIO_ACCESS_DEFAULT ? r->access : MMIO_RW;
    struct mmio_fake_reg *fr;
    uint64_t covered = 0;
    /* Registers sharing an address (alternates, a read-only and a
     * write-only one) are one register of the device: the first stands
     * for all. */
    if (n > 0 && offset + r->offset < end) continue;
    if (r->offset > SIZE_MAX - offset) {
      free(regs);
      return MMIO_ERR_OUT_OF_RANGE;
    }
    fr = &regs[n++];
    fr->name = r->name;
    fr->offset = offset + (size_t)r->offset;
    fr->width = r->width;
    fr->reset = r->reset & r->reset_mask;
    for (j = 0; j < r->nfields; j++) {
      const struct mmio_field *f = &r->fields[j];
      const uint64_t m = mmio_field_mask(f) & all;
      mmio__fake_rules(f->access != MMIO_ACCESS_DEFAULT ? f->access : ra, f->read_effect, m, fr);
      covered |= m;
    }
    mmio__fake_rules(ra, r->read_effect, all & ~covered, fr);
    end = fr->offset + fr->width;
  }
  err = mmio_fake_add_regs(fake, regs, n);
  free(regs);
  return err;
}
