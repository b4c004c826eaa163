/*
 * Register maps: a description bound to a region, with names relative to
 * a peripheral or to the whole device, and the remembered values of
 * write-only registers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "regs_internal.h"

struct mmio_regmap {
  mmio_region *r;
  const mmio_desc *d;
  const struct mmio_periph *scope; /* NULL: the whole device */
  uint64_t region_address;
  unsigned flags;
  size_t *first;    /* per peripheral: its first slot in shadow */
  uint64_t *shadow; /* per register of each peripheral: last written value */
  unsigned char *known;
};

int mmio_regmap_create(mmio_regmap **out, mmio_region *r, const mmio_desc *d, const char *scope,
                       uint64_t region_address, unsigned flags) {
  const size_t np = mmio_desc_nperiphs(d);
  struct mmio_name n;
  mmio_regmap *m;
  size_t i, j, slots = 0;
  int err = 0;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (r == NULL || d == NULL || (flags & ~(MMIO_REGS_READ_EFFECTS | MMIO_REGS_VERIFY)) != 0)
    return -EINVAL;
  /* scope names a peripheral, alone. */
  if (scope != NULL && (err = mmio_desc_find(&n, d, NULL, scope, NULL, 0)) != 0) return err;
  if (scope != NULL && (n.periph == NULL || n.reg != NULL)) return MMIO_ERR_UNKNOWN_NAME;
  if ((m = calloc(1, sizeof(*m))) == NULL) return -ENOMEM;
  m->r = r;
  m->d = d;
  m->scope = scope != NULL ? n.periph : NULL;
  m->region_address = region_address;
  m->flags = flags;
  for (i = 0; i < np; i++)
    slots += mmio_desc_periph(d, i)->nregs;
  m->first = calloc(np + 1, sizeof(*m->first));
  m->shadow = calloc(slots + 1, sizeof(*m->shadow));
  m->known = calloc(slots + 1, 1);
  if (m->first == NULL || m->shadow == NULL || m->known == NULL) {
    mmio_regmap_free(m);
    return -ENOMEM;
  }
  for (i = 0, slots = 0; i < np; i++) {
    const struct mmio_periph *p = mmio_desc_periph(d, i);
    m->first[i] = slots;
    /* Until written, a register holds its reset value, when all of it is
     * defined. */
    for (j = 0; j < p->nregs; j++, slots++) {
      const struct mmio_reg *reg = &p->regs[j];
      const uint64_t all = mmio__width_mask(reg->width);
      m->shadow[slots] = reg->reset & all;
      m->known[slots] = (reg->reset_mask & all) == all;
    }
  }
  *out = m;
  return 0;
}

void mmio_regmap_free(mmio_regmap *m) {
  if (m == NULL) return;
  free(m->first);
  free(m->shadow);
  free(m->known);
  free(m);
}

int mmio_regmap_find(struct mmio_name *out, const mmio_regmap *m, const char *name, char *why,
                     size_t cap) {
  if (m == NULL) return -EINVAL;
  return mmio_desc_find(out, m->d, m->scope != NULL ? m->scope->name : NULL, name, why, cap);
}

int mmio_regmap_offset(const mmio_regmap *m, const struct mmio_name *n, size_t *off) {
  uint64_t at;
  if (m == NULL || n == NULL || n->reg == NULL || n->periph == NULL || off == NULL) return -EINVAL;
  if (m->scope != NULL) {
    if (n->periph != m->scope) return MMIO_ERR_OUT_OF_RANGE;
    at = n->reg->offset;
  } else {
    const uint64_t addr = n->periph->base + n->reg->offset;
    if (addr < n->periph->base || addr < m->region_address) return MMIO_ERR_OUT_OF_RANGE;
    at = addr - m->region_address;
  }
  if (at > SIZE_MAX || mmio_check_capacity(m->r, (size_t)at, n->reg->width) != 0)
    return MMIO_ERR_OUT_OF_RANGE;
  *off = (size_t)at;
  return 0;
}

/* The remembered-value slot of n's register. */
static size_t mmio__slot(const mmio_regmap *m, const struct mmio_name *n) {
  const size_t pi = (size_t)(n->periph - mmio_desc_periph(m->d, 0));
  return m->first[pi] + (size_t)(n->reg - n->periph->regs);
}

static size_t mmio__index(const struct mmio_name *n) {
  return n->field != NULL ? n->field_index : MMIO__WHOLE;
}

int mmio_regmap_read(mmio_regmap *m, const struct mmio_name *n, unsigned flags, uint64_t *out) {
  size_t off;
  int err = mmio_regmap_offset(m, n, &off);
  if (err != 0) return err;
  return mmio__regs_read(m->r, off, n->reg, mmio__index(n), m->flags | flags, NULL, 0, out);
}

int mmio_regmap_write(mmio_regmap *m, const struct mmio_name *n, unsigned flags, uint64_t v) {
  size_t off, slot;
  int known, err = mmio_regmap_offset(m, n, &off);
  if (err != 0) return err;
  slot = mmio__slot(m, n);
  known = m->known[slot];
  err = mmio__regs_write(m->r, off, n->reg, mmio__index(n), m->flags | flags, v, &m->shadow[slot],
                         &known);
  m->known[slot] = (unsigned char)known;
  return err;
}

int mmio_regmap_poll(mmio_regmap *m, const struct mmio_name *n, uint64_t expected,
                     uint64_t timeout_us, uint64_t sleep_us, unsigned flags, uint64_t *last) {
  size_t off;
  int err = mmio_regmap_offset(m, n, &off);
  if (err != 0) return err;
  return mmio__regs_poll(m->r, off, n->reg, mmio__index(n), expected, timeout_us, sleep_us,
                         m->flags | flags, last);
}
