/*
 * Fake register files: a backend whose storage is plain little-endian
 * bytes and whose registers apply declared bit rules and hooks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testing_internal.h"

struct mmio__fake_reg {
  struct mmio_fake_reg def;
  unsigned accepts; /* MMIO_FAKE_W* set, with the default filled in */
  unsigned long reads;
  unsigned long writes;
};

struct mmio_fake {
  struct mmio__double base; /* first: the double's shared head */
  unsigned flags;
  uint8_t *mem;
  struct mmio__fake_reg *regs; /* sorted by offset, disjoint */
  size_t nregs;
  pthread_mutex_t lock; /* used with MMIO_FAKE_THREADSAFE only */
};

static unsigned mmio__width_bit(size_t width) {
  switch (width) {
  case 1:
    return MMIO_FAKE_W8;
  case 2:
    return MMIO_FAKE_W16;
  case 4:
    return MMIO_FAKE_W32;
  case 8:
    return MMIO_FAKE_W64;
  default:
    return 0;
  }
}

static uint64_t mmio__byte_mask(size_t nbytes) {
  return nbytes >= 8 ? ~0ull : (1ull << (8 * nbytes)) - 1;
}

static uint64_t mmio__get_le(const uint8_t *p, size_t n) {
  uint64_t v = 0;
  size_t i;
  for (i = 0; i < n; i++)
    v |= (uint64_t)p[i] << (8 * i);
  return v;
}

static void mmio__put_le(uint8_t *p, size_t n, uint64_t v) {
  size_t i;
  for (i = 0; i < n; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

static void mmio__fake_lock(mmio_fake *f) {
  if (f->flags & MMIO_FAKE_THREADSAFE) pthread_mutex_lock(&f->lock);
}

static void mmio__fake_unlock(mmio_fake *f) {
  if (f->flags & MMIO_FAKE_THREADSAFE) pthread_mutex_unlock(&f->lock);
}

/* Index of the first register whose offset is greater than off. */
static size_t mmio__fake_upper(const mmio_fake *f, size_t off) {
  size_t lo = 0, hi = f->nregs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (f->regs[mid].def.offset <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The register at exactly reg_off, or NULL. */
static struct mmio__fake_reg *mmio__fake_reg_at(mmio_fake *f, size_t reg_off) {
  size_t i = mmio__fake_upper(f, reg_off);
  if (i > 0 && f->regs[i - 1].def.offset == reg_off) return &f->regs[i - 1];
  return NULL;
}

/* "8/32-bit" style list of the widths in set, into buf. */
static const char *mmio__widths_text(unsigned set, char *buf, size_t cap) {
  static const char *const names[] = {"8", "16", "32", "64"};
  size_t used = 0;
  int i;
  buf[0] = '\0';
  for (i = 0; i < 4; i++)
    if (set & (1u << i))
      used += (size_t)snprintf(buf + used, cap - used, "%s%s", used != 0 ? "/" : "", names[i]);
  snprintf(buf + used, cap - used, "-bit");
  return buf;
}

static const char *mmio__op_name(int store) { return store ? "store" : "load"; }

/*
 * The segment of an access that starts at pos: the register covering pos
 * (NULL for bytes no register covers), and in *seg_end where the segment
 * ends (the register's end, the next register's start, or end).
 */
static struct mmio__fake_reg *mmio__fake_segment(mmio_fake *f, size_t pos, size_t end,
                                                 size_t *seg_end) {
  size_t i = mmio__fake_upper(f, pos);
  if (i > 0 && f->regs[i - 1].def.offset + f->regs[i - 1].def.width > pos) {
    struct mmio__fake_reg *rg = &f->regs[i - 1];
    *seg_end = rg->def.offset + rg->def.width < end ? rg->def.offset + rg->def.width : end;
    return rg;
  }
  *seg_end = i < f->nregs && f->regs[i].def.offset < end ? f->regs[i].def.offset : end;
  return NULL;
}

/*
 * Whether every segment of the access may be made: each register it
 * touches accepts the width, and a strict fake has no uncovered byte in
 * it. Runs before anything is applied, so that a rejected access changes
 * no byte, count, hook or clear-on-read bit. Returns 0 or the report.
 */
static int mmio__fake_validate(mmio_fake *f, size_t off, unsigned width, int store) {
  const size_t end = off + width;
  size_t pos, seg_end;
  for (pos = off; pos < end; pos = seg_end) {
    const struct mmio__fake_reg *rg = mmio__fake_segment(f, pos, end, &seg_end);
    if (rg != NULL && !(rg->accepts & mmio__width_bit(width))) {
      const struct mmio_fake_reg *d = &rg->def;
      char acc[32];
      return mmio__report(f->base.fail, f->base.fail_arg,
                          "fake: %s %s at 0x%zx touches register %s%s0x%zx, %s), which accepts "
                          "only %s accesses",
                          mmio__width_name(width), mmio__op_name(store), off,
                          d->name != NULL ? d->name : "", d->name != NULL ? " (at " : "(at ",
                          d->offset, mmio__width_name(d->width),
                          mmio__widths_text(rg->accepts, acc, sizeof(acc)));
    }
    if (rg == NULL && (f->flags & MMIO_FAKE_STRICT))
      return mmio__report(f->base.fail, f->base.fail_arg,
                          "fake: %s %s at 0x%zx touches 0x%zx, which no "
                          "register covers (strict fake)",
                          mmio__width_name(width), mmio__op_name(store), off, pos);
  }
  return 0;
}

/* The bits of a register that bytes [pos, seg_end) cover, in its positions. */
static uint64_t mmio__fake_bytes(const struct mmio_fake_reg *d, size_t pos, size_t seg_end) {
  return mmio__byte_mask(seg_end - pos) << ((pos - d->offset) * 8);
}

/* A register's share of a store: the bit rules, the count, the hook. */
static int mmio__fake_reg_store(mmio_fake *f, struct mmio__fake_reg *rg, size_t off, size_t pos,
                                size_t seg_end, uint64_t val) {
  const struct mmio_fake_reg *d = &rg->def;
  const uint64_t bytes = mmio__fake_bytes(d, pos, seg_end);
  uint8_t *p = f->mem + d->offset;
  const uint64_t cur = mmio__get_le(p, d->width);
  const uint64_t wr = ((val >> ((pos - off) * 8)) << ((pos - d->offset) * 8)) & bytes;
  const uint64_t plain = bytes & ~(d->ro | d->w1c | d->w1s);
  uint64_t nv = (cur & ~plain) | (wr & plain);
  nv &= ~(wr & d->w1c);
  nv |= wr & d->w1s;
  rg->writes++;
  mmio__put_le(p, d->width, nv);
  return d->on_write != NULL ? d->on_write(f, d->offset, cur, wr, d->arg) : 0;
}

/* A register's share of a load, into *loaded: the count and the hook (the
 * clear-on-read bits are cleared once the whole load has succeeded). */
static int mmio__fake_reg_load(mmio_fake *f, struct mmio__fake_reg *rg, size_t off, size_t pos,
                               size_t seg_end, uint64_t *loaded) {
  const struct mmio_fake_reg *d = &rg->def;
  uint64_t v = mmio__get_le(f->mem + d->offset, d->width);
  int err = 0;
  rg->reads++;
  if (d->on_read != NULL) err = d->on_read(f, d->offset, &v, d->arg);
  if (err == 0)
    *loaded |= ((v & mmio__fake_bytes(d, pos, seg_end)) >> ((pos - d->offset) * 8))
               << ((pos - off) * 8);
  return err;
}

/*
 * A device access of width bytes at off (checked by the region already):
 * split at register boundaries, each part following its register's rules,
 * and the bytes between registers acting as memory. Every part is
 * validated before any is applied; a load clears its clear-on-read bits
 * only when every part of it succeeded.
 */
static int mmio__fake_access(void *ctx, size_t off, unsigned width, int store, uint64_t *val) {
  mmio_fake *f = ctx;
  const size_t end = off + width;
  size_t pos, seg_end;
  uint64_t loaded = 0;
  int err;
  mmio__fake_lock(f);
  err = mmio__fake_validate(f, off, width, store);
  for (pos = off; err == 0 && pos < end; pos = seg_end) {
    struct mmio__fake_reg *rg = mmio__fake_segment(f, pos, end, &seg_end);
    if (rg != NULL)
      err = store ? mmio__fake_reg_store(f, rg, off, pos, seg_end, *val)
                  : mmio__fake_reg_load(f, rg, off, pos, seg_end, &loaded);
    else if (store)
      mmio__put_le(f->mem + pos, seg_end - pos, *val >> ((pos - off) * 8));
    else
      loaded |= mmio__get_le(f->mem + pos, seg_end - pos) << ((pos - off) * 8);
  }
  for (pos = off; err == 0 && !store && pos < end; pos = seg_end) {
    const struct mmio__fake_reg *rg = mmio__fake_segment(f, pos, end, &seg_end);
    const uint64_t rc = rg != NULL ? rg->def.rc & mmio__fake_bytes(&rg->def, pos, seg_end) : 0;
    uint8_t *p = rg != NULL ? f->mem + rg->def.offset : NULL;
    if (rc != 0) mmio__put_le(p, rg->def.width, mmio__get_le(p, rg->def.width) & ~rc);
  }
  mmio__fake_unlock(f);
  if (err == 0 && !store) *val = loaded;
  return err;
}

static void mmio__fake_free(struct mmio__double *d) {
  mmio_fake *f = (mmio_fake *)d;
  if (f->flags & MMIO_FAKE_THREADSAFE) pthread_mutex_destroy(&f->lock);
  free(f->regs);
  free(f->mem);
  free(f);
}

MMIO_DEFINE_OPS(mmio__fake_ops, mmio__fake_access, mmio__double_unref);

int mmio_fake_create(mmio_fake **out, size_t len, unsigned flags) {
  mmio_fake *f;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if ((flags & ~(MMIO_FAKE_STRICT | MMIO_FAKE_THREADSAFE)) != 0 || len == 0) return -EINVAL;
  if (len > PTRDIFF_MAX) return MMIO_ERR_OUT_OF_RANGE;
  f = calloc(1, sizeof(*f));
  if (f == NULL) return -ENOMEM;
  f->mem = calloc(1, len);
  if (f->mem == NULL) {
    free(f);
    return -ENOMEM;
  }
  mmio__double_init(&f->base, len, &mmio__fake_ops, mmio__fake_free);
  f->flags = flags;
  if (flags & MMIO_FAKE_THREADSAFE) {
    /* Either can fail (no memory): a fake whose lock was never made must
     * not be handed out to serialise anything. */
    pthread_mutexattr_t attr;
    int err = pthread_mutexattr_init(&attr);
    if (err == 0) {
      pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
      err = pthread_mutex_init(&f->lock, &attr);
      pthread_mutexattr_destroy(&attr);
    }
    if (err != 0) {
      free(f->mem);
      free(f);
      return -err;
    }
  }
  *out = f;
  return 0;
}

static int mmio__fake_reg_cmp(const void *a, const void *b) {
  const struct mmio__fake_reg *x = a, *y = b;
  return x->def.offset < y->def.offset ? -1 : x->def.offset > y->def.offset;
}

static void mmio__fake_reg_reset(mmio_fake *f, struct mmio__fake_reg *rg) {
  mmio__put_le(f->mem + rg->def.offset, rg->def.width, rg->def.reset);
  rg->reads = 0;
  rg->writes = 0;
}

int mmio_fake_add_regs(mmio_fake *f, const struct mmio_fake_reg *regs, size_t count) {
  struct mmio__fake_reg *all;
  size_t i, n;
  if (f == NULL || (regs == NULL && count > 0)) return -EINVAL;
  for (i = 0; i < count; i++) {
    const struct mmio_fake_reg *d = &regs[i];
    if (mmio__width_bit(d->width) == 0 || d->offset % d->width != 0 ||
        (d->widths & ~MMIO_FAKE_WANY) != 0)
      return -EINVAL;
    if (d->offset >= f->base.len || f->base.len - d->offset < d->width)
      return MMIO_ERR_OUT_OF_RANGE;
  }
  /* count comes from the caller: the sum and the product must not wrap. */
  if (count > SIZE_MAX / sizeof(*all) - f->nregs) return -ENOMEM;
  n = f->nregs + count;
  all = malloc((n != 0 ? n : 1) * sizeof(*all));
  if (all == NULL) return -ENOMEM;
  if (f->nregs != 0) memcpy(all, f->regs, f->nregs * sizeof(*all));
  for (i = 0; i < count; i++) {
    struct mmio__fake_reg *rg = &all[f->nregs + i];
    rg->def = regs[i];
    rg->accepts = regs[i].widths != 0 ? regs[i].widths : mmio__width_bit(regs[i].width);
    rg->reads = 0;
    rg->writes = 0;
  }
  qsort(all, n, sizeof(*all), mmio__fake_reg_cmp);
  for (i = 1; i < n; i++) {
    if (all[i - 1].def.offset + all[i - 1].def.width > all[i].def.offset) {
      free(all);
      return -EINVAL;
    }
  }
  mmio__fake_lock(f);
  free(f->regs);
  f->regs = all;
  f->nregs = n;
  for (i = 0; i < count; i++)
    mmio__put_le(f->mem + regs[i].offset, regs[i].width, regs[i].reset);
  mmio__fake_unlock(f);
  return 0;
}

int mmio_fake_region(mmio_region *out, mmio_fake *f) {
  return mmio__double_region(out, f != NULL ? &f->base : NULL);
}

void mmio_fake_destroy(mmio_fake *f) { mmio__double_unref(f != NULL ? &f->base : NULL); }

void mmio_fake_on_failure(mmio_fake *f, mmio_fail_fn fn, void *arg) {
  mmio__double_on_failure(f != NULL ? &f->base : NULL, fn, arg, "mmio_fake_on_failure");
}

void mmio_fake_reset(mmio_fake *f) {
  size_t i;
  if (f == NULL) {
    mmio__double_null("mmio_fake_reset");
    return;
  }
  mmio__fake_lock(f);
  memset(f->mem, 0, f->base.len);
  for (i = 0; i < f->nregs; i++)
    mmio__fake_reg_reset(f, &f->regs[i]);
  mmio__fake_unlock(f);
}

/* Peek and poke: plain bytes, no rules, no counts. */
static int mmio__fake_direct(mmio_fake *f, size_t off, size_t width, int store, uint64_t *v) {
  int err = 0;
  if (f == NULL) {
    mmio__double_null(store ? "mmio_fake_poke" : "mmio_fake_peek");
    return MMIO_ERR_REJECTED;
  }
  mmio__fake_lock(f);
  if (off >= f->base.len || f->base.len - off < width)
    err = mmio__report(
        f->base.fail, f->base.fail_arg, "fake: %s %s at 0x%zx is outside the fake (length 0x%zx)",
        mmio__width_name((unsigned)width), store ? "poke" : "peek", off, f->base.len);
  else if (store)
    mmio__put_le(f->mem + off, width, *v);
  else
    *v = mmio__get_le(f->mem + off, width);
  mmio__fake_unlock(f);
  return err;
}

#define MMIO__FAKE_DIRECT(bits)                                                                    \
  uint##bits##_t mmio_fake_peek##bits(mmio_fake *f, size_t off) {                                  \
    uint64_t v = 0;                                                                                \
    mmio__fake_direct(f, off, bits / 8, 0, &v);                                                    \
    return (uint##bits##_t)v;                                                                      \
  }                                                                                                \
  void mmio_fake_poke##bits(mmio_fake *f, size_t off, uint##bits##_t v) {                          \
    uint64_t w = v;                                                                                \
    mmio__fake_direct(f, off, bits / 8, 1, &w);                                                    \
  }
MMIO__FAKE_DIRECT(8)
MMIO__FAKE_DIRECT(16)
MMIO__FAKE_DIRECT(32)
MMIO__FAKE_DIRECT(64)

/* The read or write count of the register at reg_off, 0 when none. */
static unsigned long mmio__fake_count(mmio_fake *f, size_t reg_off, int writes) {
  struct mmio__fake_reg *rg;
  unsigned long n = 0;
  if (f == NULL) {
    mmio__double_null(writes ? "mmio_fake_writes" : "mmio_fake_reads");
    return 0;
  }
  mmio__fake_lock(f);
  rg = mmio__fake_reg_at(f, reg_off);
  if (rg != NULL) n = writes ? rg->writes : rg->reads;
  mmio__fake_unlock(f);
  return n;
}

unsigned long mmio_fake_reads(mmio_fake *f, size_t reg_off) {
  return mmio__fake_count(f, reg_off, 0);
}

unsigned long mmio_fake_writes(mmio_fake *f, size_t reg_off) {
  return mmio__fake_count(f, reg_off, 1);
}
