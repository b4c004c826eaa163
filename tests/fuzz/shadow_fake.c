#include "shadow_fake.h"

#include <errno.h>
#include <string.h>

#include <mmio/error.h>

static uint64_t bits_of(unsigned width) { return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1; }

static int width_ok(unsigned width) { return width == 1 || width == 2 || width == 4 || width == 8; }

/* The widths a register takes, as the MMIO_FAKE_W bits (1, 2, 4, 8 bytes
 * are bits 0 to 3). */
static unsigned accepts(const struct sh_fake_reg *r) {
  if (r->widths != 0) return r->widths;
  return r->width == 1 ? 1u : r->width == 2 ? 2u : r->width == 4 ? 4u : 8u;
}

static unsigned width_bit(unsigned width) {
  return width == 1 ? 1u : width == 2 ? 2u : width == 4 ? 4u : 8u;
}

void sh_fake_init(struct sh_fake *f, size_t len, int strict) {
  memset(f, 0, sizeof(*f));
  f->len = len;
  f->strict = strict;
}

static int overlap(const struct sh_fake_reg *a, const struct sh_fake_reg *b) {
  return a->off < b->off + b->width && b->off < a->off + a->width;
}

int sh_fake_add(struct sh_fake *f, const struct sh_fake_reg *regs, size_t n, int *alt) {
  int bad_arg = 0, bad_range = 0;
  size_t i, j;
  if (f->nregs + n > SH_FAKE_REGS) n = SH_FAKE_REGS - f->nregs; /* the caller never asks more */
  for (i = 0; i < n; i++) {
    const struct sh_fake_reg *r = &regs[i];
    if (!width_ok(r->width) || r->off % r->width != 0 || (r->widths & ~0xfu) != 0) {
      bad_arg = 1;
      continue;
    }
    if (r->off >= f->len || f->len - r->off < r->width) {
      bad_range = 1;
      continue;
    }
    for (j = 0; j < f->nregs; j++)
      if (overlap(r, &f->reg[j])) bad_arg = 1;
    for (j = 0; j < i; j++)
      if (width_ok(regs[j].width) && overlap(r, &regs[j])) bad_arg = 1;
  }
  if (bad_arg || bad_range) {
    const int err = bad_arg ? -EINVAL : MMIO_ERR_OUT_OF_RANGE;
    *alt = bad_arg && bad_range ? MMIO_ERR_OUT_OF_RANGE : err;
    return err;
  }
  *alt = 0;
  for (i = 0; i < n; i++) {
    struct sh_fake_reg *r = &f->reg[f->nregs++];
    unsigned k;
    *r = regs[i];
    r->reads = r->writes = 0;
    for (k = 0; k < r->width; k++)
      f->bytes[r->off + k] = (uint8_t)(r->reset >> (8 * k));
  }
  return 0;
}

const struct sh_fake_reg *sh_fake_reg_at(const struct sh_fake *f, size_t off) {
  size_t i;
  for (i = 0; i < f->nregs; i++)
    if (f->reg[i].off == off) return &f->reg[i];
  return NULL;
}

static struct sh_fake_reg *covering(struct sh_fake *f, size_t pos) {
  size_t i;
  for (i = 0; i < f->nregs; i++)
    if (pos >= f->reg[i].off && pos < f->reg[i].off + f->reg[i].width) return &f->reg[i];
  return NULL;
}

static uint64_t get_le(const uint8_t *p, unsigned n) {
  uint64_t v = 0;
  unsigned i;
  for (i = 0; i < n; i++)
    v |= (uint64_t)p[i] << (8 * i);
  return v;
}

static void put_le(uint8_t *p, unsigned n, uint64_t v) {
  unsigned i;
  for (i = 0; i < n; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

int sh_fake_access(struct sh_fake *f, size_t off, unsigned width, int store, uint64_t *value) {
  size_t i, b;
  /* Judged whole first: every register touched takes the width; a strict
   * fake has no byte outside its registers in it. */
  for (b = off; b < off + width; b++) {
    const struct sh_fake_reg *r = covering(f, b);
    if ((r != NULL && !(accepts(r) & width_bit(width))) || (r == NULL && f->strict)) {
      f->reports++;
      return MMIO_ERR_REJECTED;
    }
  }
  if (!store) *value = get_le(f->bytes + off, width);
  for (i = 0; i < f->nregs; i++) {
    struct sh_fake_reg *r = &f->reg[i];
    const uint64_t all = bits_of(r->width);
    uint64_t covered = 0, written = 0, cur, plain, next;
    if (!(r->off < off + width && off < r->off + r->width)) continue;
    for (b = off; b < off + width; b++) {
      if (b < r->off || b >= r->off + r->width) continue;
      covered |= 0xffull << (8 * (b - r->off));
      written |= ((*value >> (8 * (b - off))) & 0xff) << (8 * (b - r->off));
    }
    cur = get_le(f->bytes + r->off, r->width);
    if (store) {
      /* Bits in none of ro, w1c, w1s are plain; w1c and w1s act on 1s. */
      plain = covered & ~((r->ro | r->w1c | r->w1s) & all);
      next = (cur & ~plain) | (written & plain);
      next &= ~(written & r->w1c & all);
      next |= written & r->w1s & all;
      r->writes++;
    } else {
      /* A read clears the clear-on-read bits it covers. */
      next = cur & ~(covered & r->rc & all);
      r->reads++;
    }
    put_le(f->bytes + r->off, r->width, next);
  }
  /* Bytes no register covers are memory. */
  if (store)
    for (b = off; b < off + width; b++)
      if (covering(f, b) == NULL) f->bytes[b] = (uint8_t)(*value >> (8 * (b - off)));
  return 0;
}
