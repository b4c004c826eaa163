#include "desc_exercise.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmio/mmio.h>
#include <mmio/testing/fake.h>

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "desc_exercise: %s:%d: %s fails\n", __FILE__, __LINE__, #cond);              \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

/* Peripherals larger than this get no fake (its bytes are allocated). */
#define FAKE_MAX 0x10000u
/* Names are looked up in buffers of this size; longer ones are skipped. */
#define NAME_MAX_LEN 600

static uint64_t width_bits(unsigned width) {
  return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
}

static uint64_t field_bits(const struct mmio_field *f) {
  const unsigned n = f->msb - f->lsb + 1;
  return n >= 64 ? ~0ull : (1ull << n) - 1;
}

/* A value stream from the input, for what gets written. */
static uint64_t next_value(uint64_t *state) {
  uint64_t x = (*state += 0x9e3779b97f4a7c15ull);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/* ---- what a parsed description promises ---- */

static void check_field(const struct mmio_reg *r, const struct mmio_field *f, uint64_t *seen) {
  uint64_t mask;
  size_t k;
  CHECK(f->name != NULL && f->name[0] != '\0');
  CHECK(f->lsb <= f->msb && f->msb < 8 * r->width);
  mask = field_bits(f) << f->lsb;
  CHECK((*seen & mask) == 0); /* fields do not overlap */
  *seen |= mask;
  CHECK(f->nenums == 0 || f->enums != NULL);
  for (k = 0; k < f->nenums; k++) {
    CHECK(f->enums[k].name != NULL);
    CHECK((f->enums[k].value & ~field_bits(f)) == 0);
  }
}

static void check_structure(const mmio_desc *d) {
  uint64_t prev_base = 0;
  size_t i, j, k;
  const char *w;
  CHECK(mmio_desc_name(d) != NULL);
  for (i = 0; (w = mmio_desc_warning(d, i)) != NULL; i++)
    CHECK(w[0] != '\0');
  for (i = 0; i < mmio_desc_nperiphs(d); i++) {
    const struct mmio_periph *p = mmio_desc_periph(d, i);
    uint64_t end = 0;
    CHECK(p != NULL && p->name != NULL && p->name[0] != '\0');
    CHECK(p->base >= prev_base); /* address order */
    prev_base = p->base;
    CHECK(p->nregs == 0 || p->regs != NULL);
    for (j = 0; j < p->nregs; j++) {
      const struct mmio_reg *r = &p->regs[j];
      uint64_t seen = 0;
      CHECK(r->name != NULL && r->name[0] != '\0');
      CHECK(r->width == 1 || r->width == 2 || r->width == 4 || r->width == 8);
      CHECK(j == 0 || r->offset >= p->regs[j - 1].offset); /* ascending offsets */
      CHECK(r->offset <= UINT64_MAX - r->width);
      CHECK(((r->reset | r->reset_mask) & ~width_bits(r->width)) == 0);
      if (r->offset + r->width > end) end = r->offset + r->width;
      CHECK(r->nfields == 0 || r->fields != NULL);
      for (k = 0; k < r->nfields; k++)
        check_field(r, &r->fields[k], &seen);
    }
    CHECK(p->size == end); /* to the end of its last register */
  }
}

/* ---- names ---- */

static void check_names(const mmio_desc *d) {
  char name[NAME_MAX_LEN], why[256];
  struct mmio_name n;
  size_t i, j, k;
  for (i = 0; i < mmio_desc_nperiphs(d); i++) {
    const struct mmio_periph *p = mmio_desc_periph(d, i);
    CHECK(mmio_desc_find(&n, d, NULL, p->name, why, sizeof(why)) == 0);
    CHECK(n.periph == p && n.reg == NULL && n.field == NULL);
    for (j = 0; j < p->nregs; j++) {
      const struct mmio_reg *r = &p->regs[j];
      if ((size_t)snprintf(name, sizeof(name), "%s.%s", p->name, r->name) >= sizeof(name)) continue;
      CHECK(mmio_desc_find(&n, d, NULL, name, why, sizeof(why)) == 0);
      CHECK(n.periph == p && n.reg == r && n.field == NULL);
      CHECK(mmio_desc_find(&n, d, p->name, r->name, why, sizeof(why)) == 0);
      CHECK(n.periph == p && n.reg == r && n.field == NULL);
      for (k = 0; k < r->nfields; k++) {
        const struct mmio_field *f = &r->fields[k];
        size_t idx = (size_t)-1, e;
        if ((size_t)snprintf(name, sizeof(name), "%s.%s.%s", p->name, r->name, f->name) >=
            sizeof(name))
          continue;
        CHECK(mmio_desc_find(&n, d, NULL, name, why, sizeof(why)) == 0);
        CHECK(n.periph == p && n.reg == r && n.field == f && n.field_index == k);
        CHECK(mmio_field_index(r, f->name, &idx) == 0 && idx == k);
        for (e = 0; e < f->nenums; e++) {
          const struct mmio_enum *en = &f->enums[e];
          uint64_t v = ~0ull;
          /* Values for writes are found by name, values read by value. */
          if (en->usage == 0 || (en->usage & MMIO_ENUM_WRITE)) {
            CHECK(mmio_field_enum_value(f, en->name, &v, why, sizeof(why)) == 0);
            CHECK((v & ~field_bits(f)) == 0);
          }
          if (en->usage == 0 || (en->usage & MMIO_ENUM_READ))
            CHECK(mmio_field_enum_name(f, en->value) != NULL);
        }
      }
    }
  }
  /* A name that is not there gets a reason, never a match. */
  CHECK(mmio_desc_find(&n, d, NULL, "no such peripheral.X", why, sizeof(why)) ==
            MMIO_ERR_UNKNOWN_NAME &&
        why[0] != '\0');
}

static void check_decode(const struct mmio_reg *r, uint64_t v) {
  char buf[64];
  int full = mmio_reg_decode(NULL, 0, r, v), cut = mmio_reg_decode(buf, sizeof(buf), r, v);
  CHECK(full >= 0 && cut == full);
  CHECK(strlen(buf) == ((size_t)full < sizeof(buf) ? (size_t)full : sizeof(buf) - 1));
}

/* ---- a register map over a fake of each peripheral ---- */

static int failures;
static void count_failure(void *arg, const char *message) {
  (void)arg, (void)message;
  failures++;
}

/* What a map's access may answer (mmio/desc.h, mmio/regs.h). */
static int allowed(int err) {
  switch (err) {
  case 0:
  case -EINVAL:
  case -ERANGE:
  case MMIO_ERR_WRITE_ONLY:
  case MMIO_ERR_READ_EFFECT:
  case MMIO_ERR_READ_ONLY:
  case MMIO_ERR_WRITE_DROPPED:
  case MMIO_ERR_UNALIGNED:
  case MMIO_ERR_OUT_OF_RANGE:
  case MMIO_ERR_REJECTED:
    return 1;
  default:
    return 0;
  }
}

/* The fake's device accesses of the register at off, so far. */
static unsigned long touches(mmio_fake *f, size_t off) {
  return mmio_fake_reads(f, off) + mmio_fake_writes(f, off);
}

/*
 * One read or write through the map: a check-only call first, which must
 * touch nothing and, when it refuses, predict the real call's answer;
 * then the real call, whose answer must be one the headers name, with a
 * failure report exactly when the fake rejected it.
 */
static void map_access(mmio_regmap *m, mmio_fake *f, const struct mmio_name *n, unsigned flags,
                       int write, uint64_t v) {
  const size_t off = (size_t)n->reg->offset;
  unsigned long before = touches(f, off);
  uint64_t out = 0x5a5a;
  int checked, err, reports = failures;
  checked = write ? mmio_regmap_write(m, n, flags | MMIO_REGS_CHECK_ONLY, v)
                  : mmio_regmap_read(m, n, flags | MMIO_REGS_CHECK_ONLY, &out);
  CHECK(touches(f, off) == before && failures == reports);
  CHECK(write || out == 0x5a5a);
  err = write ? mmio_regmap_write(m, n, flags, v) : mmio_regmap_read(m, n, flags, &out);
  CHECK(allowed(err));
  CHECK(checked == 0 || err == checked);
  CHECK((err == MMIO_ERR_REJECTED) == (failures > reports));
  if (err == -ERANGE) CHECK(touches(f, off) == before); /* refused before any access */
  if (!write && err == 0)
    CHECK((out & ~(n->field != NULL ? field_bits(n->field) : width_bits(n->reg->width))) == 0);
}

static void exercise_periph(const mmio_desc *d, const struct mmio_periph *p, uint64_t *seed) {
  mmio_fake *f = NULL;
  mmio_regmap *m = NULL;
  mmio_region r = {0};
  char why[256];
  size_t j, k;
  int err;
  if (p->size == 0 || p->size > FAKE_MAX) return;
  CHECK(mmio_fake_create(&f, (size_t)p->size, next_value(seed) & 1 ? MMIO_FAKE_STRICT : 0) == 0);
  mmio_fake_on_failure(f, count_failure, NULL);
  err = mmio_fake_add_periph(f, p, 0);
  CHECK(err == 0 || err == -EINVAL || err == MMIO_ERR_OUT_OF_RANGE);
  CHECK(mmio_fake_region(&r, f) == 0);
  CHECK(mmio_regmap_create(&m, &r, d, p->name, 0, 0) == 0);
  for (j = 0; j < p->nregs; j++) {
    const struct mmio_reg *reg = &p->regs[j];
    const unsigned flags = (unsigned)next_value(seed) & (MMIO_REGS_READ_EFFECTS | MMIO_REGS_VERIFY);
    struct mmio_name n;
    size_t off = 1;
    if (mmio_regmap_find(&n, m, reg->name, why, sizeof(why)) != 0) continue; /* name too long */
    CHECK(n.reg == reg && n.field == NULL);
    CHECK(mmio_regmap_offset(m, &n, &off) == 0 && off == reg->offset);
    check_decode(reg, next_value(seed) & width_bits(reg->width));
    map_access(m, f, &n, flags, 0, 0);
    map_access(m, f, &n, flags, 1, next_value(seed) & width_bits(reg->width));
    if (reg->width < 8) map_access(m, f, &n, flags, 1, width_bits(reg->width) + 1);
    for (k = 0; k < reg->nfields; k++) {
      const struct mmio_field *fd = &reg->fields[k];
      n.field = fd;
      n.field_index = k;
      map_access(m, f, &n, flags, 0, 0);
      map_access(m, f, &n, flags, 1, next_value(seed) & field_bits(fd));
      if (field_bits(fd) != ~0ull) map_access(m, f, &n, flags, 1, field_bits(fd) + 1);
    }
  }
  mmio_regmap_free(m);
  mmio_region_release(&r);
  mmio_fake_destroy(f);
}

void desc_exercise(const uint8_t *data, size_t size) {
  mmio_desc *d = (mmio_desc *)1;
  char why[256];
  uint64_t seed = size;
  size_t i;
  int err = mmio_desc_parse(&d, (const char *)data, size, "fuzz", why, sizeof(why));
  if (err != 0) {
    CHECK(err == MMIO_ERR_BAD_DESCRIPTION || err == -ENOMEM || err == -ENOTSUP);
    CHECK(d == NULL && why[0] != '\0');
    return;
  }
  for (i = 0; i < size && i < 64; i++)
    seed = seed * 131 + data[i];
  check_structure(d);
  check_names(d);
  for (i = 0; i < mmio_desc_nperiphs(d) && i < 4; i++)
    exercise_periph(d, mmio_desc_periph(d, i), &seed);
  mmio_desc_free(d);
}
