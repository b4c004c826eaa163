/*
 * Registers and fields: the access rules, the read-modify-write that never
 * writes back what it must not, and the masks that let it inline.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "regs_internal.h"

enum mmio_access mmio__field_access(const struct mmio_reg *reg, const struct mmio_field *f) {
  enum mmio_access a = f->access != MMIO_ACCESS_DEFAULT ? f->access : reg->access;
  return a != MMIO_ACCESS_DEFAULT ? a : MMIO_RW;
}

enum mmio_read_effect mmio__field_read_effect(const struct mmio_reg *reg,
                                              const struct mmio_field *f) {
  if (f->read_effect != MMIO_READ_PLAIN) return f->read_effect;
  if (mmio__field_access(reg, f) == MMIO_RC) return MMIO_READ_CLEARS;
  return MMIO_READ_PLAIN;
}

const char *mmio_access_name(enum mmio_access a) {
  static const char *const names[] = {
      [MMIO_ACCESS_DEFAULT] = "default",
      [MMIO_RW] = "rw",
      [MMIO_RO] = "ro",
      [MMIO_WO] = "wo",
      [MMIO_W1C] = "w1c",
      [MMIO_W1S] = "w1s",
      [MMIO_W1T] = "w1t",
      [MMIO_W0C] = "w0c",
      [MMIO_W0S] = "w0s",
      [MMIO_W0T] = "w0t",
      [MMIO_WC] = "wc",
      [MMIO_WS] = "ws",
      [MMIO_RC] = "rc",
      [MMIO_WRITE_ONCE] = "once",
      [MMIO_WO_ONCE] = "wo-once",
  };
  return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "invalid";
}

static enum mmio_access mmio__reg_access(const struct mmio_reg *reg) {
  return reg->access != MMIO_ACCESS_DEFAULT ? reg->access : MMIO_RW;
}

/*
 * What each access means for a read-modify-write of another field of the
 * register:
 *   effect     writing the bit acts, whatever was read: it is written as
 *              its neutral value, never as read
 *   neutral    that value (0, or 1 for the write-0-to-X kinds)
 *   unread     reading it means nothing (write-only): it is written from
 *              the remembered value, or as 0
 *   readonly   it cannot be the target of a write
 *   once       only the first write counts: writing it back could lock it
 */
static const struct {
  unsigned char effect, neutral, unread, readonly, once;
} mmio__rules[] = {
    [MMIO_ACCESS_DEFAULT] = {0, 0, 0, 0, 0},
    [MMIO_RW] = {0, 0, 0, 0, 0},
    [MMIO_RO] = {0, 0, 0, 1, 0},
    [MMIO_WO] = {0, 0, 1, 0, 0},
    [MMIO_W1C] = {1, 0, 0, 0, 0},
    [MMIO_W1S] = {1, 0, 0, 0, 0},
    [MMIO_W1T] = {1, 0, 0, 0, 0},
    [MMIO_W0C] = {1, 1, 0, 0, 0},
    [MMIO_W0S] = {1, 1, 0, 0, 0},
    [MMIO_W0T] = {1, 1, 0, 0, 0},
    [MMIO_WC] = {1, 0, 0, 0, 0},
    [MMIO_WS] = {1, 0, 0, 0, 0},
    [MMIO_RC] = {0, 0, 0, 1, 0},
    [MMIO_WRITE_ONCE] = {0, 0, 0, 0, 1},
    [MMIO_WO_ONCE] = {0, 0, 1, 0, 1},
};

/* The rules of an access; out-of-range values (a corrupt table) are
 * treated as the most cautious kind. */
#define MMIO__RULE(a, member)                                                                      \
  ((unsigned)(a) < sizeof(mmio__rules) / sizeof(mmio__rules[0]) ? mmio__rules[a].member : 1)

static int mmio__is_write_only(enum mmio_access a) { return MMIO__RULE(a, unread); }
static int mmio__is_read_only(enum mmio_access a) { return MMIO__RULE(a, readonly); }
static int mmio__is_write_once(enum mmio_access a) { return MMIO__RULE(a, once); }

/*
 * The bits a read-modify-write keeps from the old value and those it sets
 * to 1. remembered: the old value's write-only bits are known (a register
 * map's shadow), so they are kept too.
 */
static void mmio__reg_masks(const struct mmio_reg *reg, int remembered, uint64_t *keep,
                            uint64_t *ones) {
  const uint64_t all = mmio__width_mask(reg->width);
  uint64_t k = 0, o = 0, covered = 0;
  size_t i;
  for (i = 0; i <= reg->nfields; i++) {
    /* The register's own access covers the bits no field does, last. */
    const enum mmio_access a =
        i < reg->nfields ? mmio__field_access(reg, &reg->fields[i]) : mmio__reg_access(reg);
    const uint64_t m = i < reg->nfields ? mmio_field_mask(&reg->fields[i]) & all : all & ~covered;
    const int kept = !MMIO__RULE(a, effect) && (remembered || !MMIO__RULE(a, unread));
    covered |= m;
    k |= kept ? m : 0;
    o |= MMIO__RULE(a, effect) && MMIO__RULE(a, neutral) ? m : 0;
  }
  *keep = k;
  *ones = o;
}

/* Whether reading reg has a side effect on any of its bits. */
static int mmio__reg_read_effect(const struct mmio_reg *reg) {
  size_t i;
  if (reg->read_effect != MMIO_READ_PLAIN || mmio__reg_access(reg) == MMIO_RC) return 1;
  for (i = 0; i < reg->nfields; i++)
    if (mmio__field_read_effect(reg, &reg->fields[i]) != MMIO_READ_PLAIN) return 1;
  return 0;
}

void mmio__reg_derive_one(struct mmio_reg *reg) {
  const enum mmio_access ra = mmio__reg_access(reg);
  int slow = mmio__is_write_only(ra) || mmio__is_write_once(ra) || mmio__reg_read_effect(reg);
  size_t i;
  for (i = 0; i < reg->nfields; i++) {
    const enum mmio_access a = mmio__field_access(reg, &reg->fields[i]);
    slow = slow || mmio__is_write_only(a) || mmio__is_write_once(a);
  }
  mmio__reg_masks(reg, 0, &reg->keep, &reg->ones);
  reg->derived = MMIO_REG_DERIVED | (slow ? 0 : MMIO_REG_INLINE);
}

int mmio_reg_derive(struct mmio_reg *regs, size_t n) {
  size_t i, j, k;
  if (regs == NULL && n > 0) return -EINVAL;
  /* Everything is checked before anything changes. */
  for (i = 0; i < n; i++) {
    const struct mmio_reg *reg = &regs[i];
    const unsigned w = reg->width;
    if ((w != 1 && w != 2 && w != 4 && w != 8) || (reg->fields == NULL && reg->nfields > 0))
      return -EINVAL;
    for (j = 0; j < reg->nfields; j++) {
      const struct mmio_field *f = &reg->fields[j];
      if (f->lsb > f->msb || f->msb >= 8 * w) return -EINVAL;
      for (k = 0; k < j; k++)
        if (mmio_field_mask(f) & mmio_field_mask(&reg->fields[k])) return -EINVAL;
    }
  }
  for (i = 0; i < n; i++)
    mmio__reg_derive_one(&regs[i]);
  return 0;
}

/* Checks that idx names a field of reg (or the whole register). */
static int mmio__check_index(const struct mmio_reg *reg, size_t idx) {
  if (reg->width != 1 && reg->width != 2 && reg->width != 4 && reg->width != 8) return -EINVAL;
  return (idx == MMIO__WHOLE || idx < reg->nfields) ? 0 : -EINVAL;
}

/* The bits a verify compares: plain read-write ones. */
static uint64_t mmio__verify_mask(const struct mmio_reg *reg, size_t idx) {
  const uint64_t all = mmio__width_mask(reg->width);
  uint64_t m = mmio__reg_access(reg) == MMIO_RW ? all : 0;
  size_t i;
  for (i = 0; i < reg->nfields; i++) {
    const uint64_t fm = mmio_field_mask(&reg->fields[i]) & all;
    const int plain = mmio__field_access(reg, &reg->fields[i]) == MMIO_RW &&
                      mmio__field_read_effect(reg, &reg->fields[i]) == MMIO_READ_PLAIN;
    m = plain ? m | fm : m & ~fm;
  }
  return idx == MMIO__WHOLE ? m : m & mmio_field_mask(&reg->fields[idx]);
}

int mmio__regs_read(const mmio_region *r, size_t off, const struct mmio_reg *reg, size_t idx,
                    unsigned flags, const uint64_t *shadow, int shadow_valid, uint64_t *out) {
  uint64_t v = 0;
  int err;
  (void)shadow, (void)shadow_valid;
  if (r == NULL || reg == NULL || out == NULL) return -EINVAL;
  err = mmio__check_index(reg, idx);
  if (err != 0) return err;
  /* A write-only register or field has nothing to read; its remembered
   * value is for read-modify-writes, not for answering reads. */
  if (mmio__is_write_only(mmio__reg_access(reg)) ||
      (idx != MMIO__WHOLE && mmio__is_write_only(mmio__field_access(reg, &reg->fields[idx]))))
    return MMIO_ERR_WRITE_ONLY;
  if (!(flags & MMIO_REGS_READ_EFFECTS) && mmio__reg_read_effect(reg)) return MMIO_ERR_READ_EFFECT;
  if (flags & MMIO_REGS_CHECK_ONLY) return mmio_check_suitable(r, off, reg->width);
  err = mmio_try_load_width(r, off, reg->width, &v);
  if (err != 0) return err;
  *out = idx == MMIO__WHOLE ? v : (v & mmio_field_mask(&reg->fields[idx])) >> reg->fields[idx].lsb;
  return 0;
}

/* Reads back what was stored and compares the plain read-write bits. */
static int mmio__verify(const mmio_region *r, size_t off, const struct mmio_reg *reg, size_t idx,
                        uint64_t stored) {
  const uint64_t mask = mmio__verify_mask(reg, idx);
  uint64_t back = 0;
  int err;
  if (mask == 0 || mmio__reg_read_effect(reg)) return 0;
  err = mmio_try_load_width(r, off, reg->width, &back);
  if (err != 0) return err;
  return ((back ^ stored) & mask) != 0 ? MMIO_ERR_WRITE_DROPPED : 0;
}

/* What a store of width bytes at off of r would be refused with, in the
 * accessors' order. */
static int mmio__check_region_store(const mmio_region *r, size_t off, unsigned width) {
  if (mmio_region_is_read_only(r)) return MMIO_ERR_READ_ONLY;
  return mmio_check_suitable(r, off, width);
}

/* The checks of a field write, before any access. */
static int mmio__check_field_write(const struct mmio_reg *reg, size_t idx, uint64_t v) {
  const struct mmio_field *f = &reg->fields[idx];
  const enum mmio_access a = mmio__field_access(reg, f);
  size_t i;
  if (mmio__is_read_only(a) || mmio__is_read_only(mmio__reg_access(reg))) return MMIO_ERR_READ_ONLY;
  if (v > (mmio_field_mask(f) >> f->lsb)) return -ERANGE;
  /* Writing other write-once bits back could lock them at what was read. */
  if (mmio__is_write_once(mmio__reg_access(reg)) &&
      (mmio_field_mask(f) & mmio__width_mask(reg->width)) != mmio__width_mask(reg->width))
    return -EINVAL;
  for (i = 0; i < reg->nfields; i++)
    if (i != idx && reg->fields[i].access != MMIO_ACCESS_DEFAULT &&
        mmio__is_write_once(reg->fields[i].access))
      return -EINVAL;
  return 0;
}

int mmio__regs_write(mmio_region *r, size_t off, const struct mmio_reg *reg, size_t idx,
                     unsigned flags, uint64_t v, uint64_t *shadow, int *shadow_valid) {
  const enum mmio_access ra = reg != NULL ? mmio__reg_access(reg) : MMIO_RW;
  uint64_t old = 0, nv, keep, ones, fm;
  int remembered, err;
  if (r == NULL || reg == NULL) return -EINVAL;
  err = mmio__check_index(reg, idx);
  if (err != 0) return err;
  if (idx == MMIO__WHOLE) {
    if (mmio__is_read_only(ra)) return MMIO_ERR_READ_ONLY;
    if (v & ~mmio__width_mask(reg->width)) return -ERANGE;
    if (flags & MMIO_REGS_CHECK_ONLY) return mmio__check_region_store(r, off, reg->width);
    nv = v;
  } else {
    err = mmio__check_field_write(reg, idx, v);
    if (err != 0) return err;
    if (mmio__is_write_only(ra)) {
      /* Never read: the remembered value stands in, or nothing can. */
      if (shadow == NULL || shadow_valid == NULL || !*shadow_valid) return MMIO_ERR_WRITE_ONLY;
      if (flags & MMIO_REGS_CHECK_ONLY) return mmio__check_region_store(r, off, reg->width);
      old = *shadow;
    } else {
      if (!(flags & MMIO_REGS_READ_EFFECTS) && mmio__reg_read_effect(reg))
        return MMIO_ERR_READ_EFFECT;
      if (flags & MMIO_REGS_CHECK_ONLY) return mmio__check_region_store(r, off, reg->width);
      err = mmio_try_load_width(r, off, reg->width, &old);
      if (err != 0) return err;
    }
    remembered = shadow != NULL && shadow_valid != NULL && *shadow_valid;
    mmio__reg_masks(reg, remembered, &keep, &ones);
    fm = mmio_field_mask(&reg->fields[idx]) & mmio__width_mask(reg->width);
    /* Write-only fields of a readable register read as nothing: take what
     * was last written to them (the masks keep them only when known). */
    if (remembered && !mmio__is_write_only(ra)) {
      size_t i;
      for (i = 0; i < reg->nfields; i++) {
        const uint64_t m = mmio_field_mask(&reg->fields[i]);
        if (mmio__is_write_only(mmio__field_access(reg, &reg->fields[i])))
          old = (old & ~m) | (*shadow & m);
      }
    }
    nv = (((old & keep) | ones) & ~fm) | (v << reg->fields[idx].lsb);
  }
  err = mmio_try_store_width(r, off, reg->width, nv);
  if (err != 0) return err;
  if (shadow != NULL && shadow_valid != NULL) {
    *shadow = nv;
    *shadow_valid = 1;
  }
  return (flags & MMIO_REGS_VERIFY) ? mmio__verify(r, off, reg, idx, nv) : 0;
}

int mmio_reg_read(const mmio_region *r, const struct mmio_reg *reg, unsigned flags, uint64_t *out) {
  if (reg == NULL || reg->offset > SIZE_MAX) return -EINVAL;
  return mmio__regs_read(r, (size_t)reg->offset, reg, MMIO__WHOLE, flags, NULL, 0, out);
}

int mmio_reg_write(mmio_region *r, const struct mmio_reg *reg, unsigned flags, uint64_t v) {
  if (reg == NULL || reg->offset > SIZE_MAX) return -EINVAL;
  return mmio__regs_write(r, (size_t)reg->offset, reg, MMIO__WHOLE, flags, v, NULL, NULL);
}

int mmio_field_read(const mmio_region *r, const struct mmio_reg *reg, size_t idx, unsigned flags,
                    uint64_t *out) {
  if (reg == NULL || reg->offset > SIZE_MAX || idx == MMIO__WHOLE) return -EINVAL;
  return mmio__regs_read(r, (size_t)reg->offset, reg, idx, flags, NULL, 0, out);
}

int mmio_field_write(mmio_region *r, const struct mmio_reg *reg, size_t idx, unsigned flags,
                     uint64_t v) {
  if (reg == NULL || reg->offset > SIZE_MAX || idx == MMIO__WHOLE) return -EINVAL;
  return mmio__regs_write(r, (size_t)reg->offset, reg, idx, flags, v, NULL, NULL);
}

int mmio__field_read_slow(const mmio_region *r, const struct mmio_reg *reg, size_t idx,
                          uint64_t *out) {
  return mmio_field_read(r, reg, idx, 0, out);
}

int mmio__field_write_slow(mmio_region *r, const struct mmio_reg *reg, size_t idx, uint64_t v) {
  return mmio_field_write(r, reg, idx, 0, v);
}

int mmio_field_index(const struct mmio_reg *reg, const char *name, size_t *idx) {
  size_t i, folded = 0, found = 0;
  if (reg == NULL || name == NULL || idx == NULL || (reg->fields == NULL && reg->nfields > 0))
    return -EINVAL;
  for (i = 0; i < reg->nfields; i++) {
    if (strcmp(reg->fields[i].name, name) == 0) {
      *idx = i;
      return 0;
    }
    if (strcasecmp(reg->fields[i].name, name) == 0) found = i, folded++;
  }
  if (folded == 1) *idx = found;
  return folded == 1 ? 0 : folded > 1 ? MMIO_ERR_AMBIGUOUS : MMIO_ERR_UNKNOWN_NAME;
}
