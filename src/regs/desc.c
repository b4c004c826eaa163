/*
 * The description model: built by the file formats through a builder,
 * checked and indexed once, then read-only. Names are found by binary
 * search in case-insensitive order (exact match first, then the only
 * case-insensitive one); an unknown name gets its closest candidates.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regs_internal.h"

/* ---- storage ---- */

/* A growable array of elem-byte elements. */
struct mmio__vec {
  void *data;
  size_t n, cap, elem;
};

/* Appends one zeroed element; returns it, or NULL when out of memory. */
static void *mmio__vec_push(struct mmio__vec *v) {
  if (v->n == v->cap) {
    size_t cap = v->cap != 0 ? v->cap * 2 : 64;
    void *grown;
    if (cap > SIZE_MAX / v->elem) return NULL;
    if ((grown = realloc(v->data, cap * v->elem)) == NULL) return NULL;
    v->data = grown;
    v->cap = cap;
  }
  memset((char *)v->data + v->n * v->elem, 0, v->elem);
  return (char *)v->data + v->n++ * v->elem;
}

#define MMIO__AT(vec, type, i) (&((type *)(vec).data)[i])

/* ---- the model ---- */

struct mmio__pindex {
  uint32_t *regs_by_name; /* indexes into the peripheral's regs, by name */
};

struct mmio_desc {
  const char *name;
  struct mmio_periph *periphs; /* by base address */
  size_t nperiphs;
  uint32_t *periphs_by_name;
  struct mmio__pindex *pindex; /* per peripheral (aliases share their source's) */
  struct mmio_reg *regs;
  struct mmio_field *fields;
  struct mmio_enum *enums;
  const char **warnings;
  size_t nwarnings;
  struct mmio__arena arena;
};

/* What the builder knows of each element beyond the public struct. */
struct mmio__b_periph {
  struct mmio_periph p;
  size_t first_reg, nregs;
  const char *from; /* an alias's source */
  unsigned long line;
};
struct mmio__b_reg {
  size_t first_field, nfields;
  unsigned long line;
};
struct mmio__b_field {
  size_t first_enum, nenums;
  unsigned long line;
};

struct mmio__builder {
  const char *file;
  char *why;
  size_t cap;
  int failed;
  const char *device;
  struct mmio__arena arena;
  struct mmio__vec periphs;  /* struct mmio__b_periph */
  struct mmio__vec regs;     /* struct mmio_reg */
  struct mmio__vec bregs;    /* struct mmio__b_reg, parallel */
  struct mmio__vec fields;   /* struct mmio_field */
  struct mmio__vec bfields;  /* struct mmio__b_field, parallel */
  struct mmio__vec enums;    /* struct mmio_enum */
  struct mmio__vec warnings; /* const char * */
};

const char *mmio__b_string(struct mmio__builder *b, const char *s, size_t n) {
  char *p;
  if (s == NULL) return NULL;
  if (n == (size_t)-1) n = strlen(s);
  if (n == SIZE_MAX || (p = mmio__arena_alloc(&b->arena, n + 1)) == NULL) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static const char *mmio__b_vprintf(struct mmio__builder *b, const char *fmt, va_list ap) {
  char small[512];
  va_list again;
  int n;
  va_copy(again, ap);
  n = vsnprintf(small, sizeof(small), fmt, ap);
  if (n < 0) {
    va_end(again);
    return NULL;
  }
  if ((size_t)n < sizeof(small)) {
    va_end(again);
    return mmio__b_string(b, small, (size_t)n);
  } else {
    char *p = mmio__arena_alloc(&b->arena, (size_t)n + 1);
    if (p != NULL) vsnprintf(p, (size_t)n + 1, fmt, again);
    va_end(again);
    return p;
  }
}

const char *mmio__b_printf(struct mmio__builder *b, const char *fmt, ...) {
  va_list ap;
  const char *s;
  va_start(ap, fmt);
  s = mmio__b_vprintf(b, fmt, ap);
  va_end(ap);
  return s;
}

int mmio__b_fail(struct mmio__builder *b, unsigned long line, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  /* The first failure is the one to report; later ones follow from it. */
  if (!b->failed && b->why != NULL && b->cap > 0) {
    if (line != 0)
      snprintf(b->why, b->cap, "%s:%lu: %s", b->file, line, msg);
    else
      snprintf(b->why, b->cap, "%s: %s", b->file, msg);
  }
  b->failed = 1;
  return MMIO_ERR_BAD_DESCRIPTION;
}

int mmio__b_warn(struct mmio__builder *b, unsigned long line, const char *fmt, ...) {
  char msg[512];
  const char *s, **slot;
  size_t i;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  s = line != 0 ? mmio__b_printf(b, "%s:%lu: %s", b->file, line, msg)
                : mmio__b_printf(b, "%s: %s", b->file, msg);
  if (s == NULL) return -ENOMEM;
  for (i = 0; i < b->warnings.n; i++)
    if (strcmp(*MMIO__AT(b->warnings, const char *, i), s) == 0) return 0;
  if ((slot = mmio__vec_push(&b->warnings)) == NULL) return -ENOMEM;
  *slot = s;
  return 0;
}

int mmio__b_device(struct mmio__builder *b, const char *name, size_t n) {
  b->device = mmio__b_string(b, name, n);
  return b->device != NULL ? 0 : -ENOMEM;
}

static int mmio__b_add_periph(struct mmio__builder *b, unsigned long line, const char *name,
                              uint64_t base, const char *description, const char *from) {
  struct mmio__b_periph *p;
  size_t i;
  /* Lookups split names at dots (PERIPHERAL.REGISTER.FIELD): a dot in a
   * peripheral's name, or no name, would make it one that nothing can find. */
  if (name[0] == '\0') return mmio__b_fail(b, line, "a peripheral has an empty name");
  if (strchr(name, '.') != NULL)
    return mmio__b_fail(b, line, "peripheral name %s has a '.', which separates names", name);
  for (i = 0; i < b->periphs.n; i++)
    if (strcmp(MMIO__AT(b->periphs, struct mmio__b_periph, i)->p.name, name) == 0)
      return mmio__b_fail(b, line, "peripheral %s is defined twice", name);
  if ((p = mmio__vec_push(&b->periphs)) == NULL) return -ENOMEM;
  p->p.name = name;
  p->p.base = base;
  p->p.description = description;
  p->first_reg = b->regs.n;
  p->from = from;
  p->line = line;
  return 0;
}

int mmio__b_periph(struct mmio__builder *b, unsigned long line, const char *name, uint64_t base,
                   const char *description) {
  return mmio__b_add_periph(b, line, name, base, description, NULL);
}

int mmio__b_periph_alias(struct mmio__builder *b, unsigned long line, const char *name,
                         uint64_t base, const char *description, const char *from) {
  return mmio__b_add_periph(b, line, name, base, description, from);
}

int mmio__b_reg(struct mmio__builder *b, unsigned long line, const struct mmio_reg *reg) {
  struct mmio__b_periph *p;
  struct mmio_reg *r;
  struct mmio__b_reg *br;
  if (b->periphs.n == 0)
    return mmio__b_fail(b, line, "register %s outside a peripheral", reg->name);
  if (reg->name[0] == '\0') return mmio__b_fail(b, line, "a register has an empty name");
  p = MMIO__AT(b->periphs, struct mmio__b_periph, b->periphs.n - 1);
  if (p->from != NULL)
    return mmio__b_fail(b, line, "peripheral %s copies %s and cannot add registers", p->p.name,
                        p->from);
  if ((r = mmio__vec_push(&b->regs)) == NULL || (br = mmio__vec_push(&b->bregs)) == NULL)
    return -ENOMEM;
  *r = *reg;
  r->fields = NULL;
  r->nfields = 0;
  br->first_field = b->fields.n;
  br->line = line;
  p->nregs++;
  return 0;
}

int mmio__b_field(struct mmio__builder *b, unsigned long line, const struct mmio_field *f) {
  struct mmio_field *nf;
  struct mmio__b_field *bf;
  if (b->regs.n == 0) return mmio__b_fail(b, line, "field %s outside a register", f->name);
  /* As for peripherals: a field's name is the part after the last dot. */
  if (f->name[0] == '\0') return mmio__b_fail(b, line, "a field has an empty name");
  if (strchr(f->name, '.') != NULL)
    return mmio__b_fail(b, line, "field name %s has a '.', which separates names", f->name);
  if ((nf = mmio__vec_push(&b->fields)) == NULL || (bf = mmio__vec_push(&b->bfields)) == NULL)
    return -ENOMEM;
  *nf = *f;
  nf->enums = NULL;
  nf->nenums = 0;
  bf->first_enum = b->enums.n;
  bf->line = line;
  MMIO__AT(b->bregs, struct mmio__b_reg, b->bregs.n - 1)->nfields++;
  return 0;
}

int mmio__b_enum(struct mmio__builder *b, unsigned long line, const struct mmio_enum *e) {
  struct mmio_enum *ne;
  if (b->fields.n == 0) return mmio__b_fail(b, line, "value %s outside a field", e->name);
  if (e->name[0] == '\0') return mmio__b_fail(b, line, "a value has an empty name");
  if ((ne = mmio__vec_push(&b->enums)) == NULL) return -ENOMEM;
  *ne = *e;
  MMIO__AT(b->bfields, struct mmio__b_field, b->bfields.n - 1)->nenums++;
  return 0;
}

/* ---- finishing: check, lay out, index ---- */

/* Case-insensitive order, then exact order: names that differ only in
 * case sit next to each other. */
static int mmio__name_cmp(const char *a, const char *b) {
  int c = strcasecmp(a, b);
  return c != 0 ? c : strcmp(a, b);
}

/* A name and its index, sorted by name to build an index without any
 * state outside the call (loading may run in several threads). */
struct mmio__named {
  const char *name;
  uint32_t index;
};
static int mmio__cmp_named(const void *x, const void *y) {
  return mmio__name_cmp(((const struct mmio__named *)x)->name,
                        ((const struct mmio__named *)y)->name);
}

/* Fills index[0..n) with the positions of names[0..n) (every stride bytes
 * from the first name pointer) in name order. 0 or -ENOMEM. */
static int mmio__name_index(uint32_t *index, const char *const *first, size_t stride, size_t n) {
  struct mmio__named *tmp = malloc((n + 1) * sizeof(*tmp));
  size_t i;
  if (tmp == NULL) return -ENOMEM;
  for (i = 0; i < n; i++) {
    tmp[i].name = *(const char *const *)((const char *)first + i * stride);
    tmp[i].index = (uint32_t)i;
  }
  qsort(tmp, n, sizeof(*tmp), mmio__cmp_named);
  for (i = 0; i < n; i++)
    index[i] = tmp[i].index;
  free(tmp);
  return 0;
}

/* A register and what the builder knows of it, for sorting by offset. */
struct mmio__reg_slot {
  struct mmio_reg r;
  struct mmio__b_reg b;
  size_t seq;
};
static int mmio__cmp_reg_offsets(const void *x, const void *y) {
  const struct mmio__reg_slot *a = x, *c = y;
  if (a->r.offset != c->r.offset) return a->r.offset < c->r.offset ? -1 : 1;
  return a->seq < c->seq ? -1 : a->seq > c->seq;
}

static int mmio__cmp_periph_bases(const void *x, const void *y) {
  const struct mmio__b_periph *a = x, *c = y;
  if (a->p.base != c->p.base) return a->p.base < c->p.base ? -1 : 1;
  return strcmp(a->p.name, c->p.name);
}

/* Checks one register's fields and enumerated values. */
static int mmio__check_reg(struct mmio__builder *b, const struct mmio_reg *r,
                           const struct mmio__b_reg *br, const struct mmio__b_field *bf) {
  const unsigned bits = 8 * r->width;
  size_t i, j;
  if (r->width != 1 && r->width != 2 && r->width != 4 && r->width != 8)
    return mmio__b_fail(b, br->line, "register %s is %u bits wide; only 8, 16, 32 and 64 are",
                        r->name, bits);
  /* Every address the tools compute from it must be a number. */
  if (r->offset > UINT64_MAX - r->width)
    return mmio__b_fail(b, br->line, "register %s at offset 0x%llx runs past 2^64", r->name,
                        (unsigned long long)r->offset);
  for (i = 0; i < r->nfields; i++) {
    const struct mmio_field *f = &r->fields[i];
    if (f->lsb > f->msb)
      return mmio__b_fail(b, bf[i].line, "field %s.%s has its lowest bit %u above its highest %u",
                          r->name, f->name, f->lsb, f->msb);
    if (f->msb >= bits)
      return mmio__b_fail(b, bf[i].line, "field %s.%s (bits %u:%u) lies beyond its %u-bit register",
                          r->name, f->name, f->msb, f->lsb, bits);
    for (j = 0; j < i; j++) {
      if (strcmp(f->name, r->fields[j].name) == 0)
        return mmio__b_fail(b, bf[i].line, "register %s has two fields named %s", r->name, f->name);
      if (mmio_field_mask(f) & mmio_field_mask(&r->fields[j]))
        return mmio__b_fail(b, bf[i].line, "fields %s.%s (bits %u:%u) and %s (bits %u:%u) overlap",
                            r->name, f->name, f->msb, f->lsb, r->fields[j].name, r->fields[j].msb,
                            r->fields[j].lsb);
    }
  }
  return 0;
}

/*
 * A register name with dots (a cluster's registers, CLUSTER.REG) is also
 * the name of a field when a register CLUSTER has a field REG: a lookup
 * would find the register, and the field could never be named. regs are
 * p's registers, whose builder records start at br.
 */
static int mmio__check_dotted_names(struct mmio__builder *b, const struct mmio_periph *p,
                                    const struct mmio__b_reg *br) {
  size_t i, j, k;
  for (i = 0; i < p->nregs; i++) {
    const char *name = p->regs[i].name, *dot = strrchr(name, '.');
    if (dot == NULL) continue;
    for (j = 0; j < p->nregs; j++) {
      const struct mmio_reg *owner = &p->regs[j];
      if (strncmp(owner->name, name, (size_t)(dot - name)) != 0 || owner->name[dot - name] != '\0')
        continue;
      for (k = 0; k < owner->nfields; k++)
        if (strcmp(owner->fields[k].name, dot + 1) == 0)
          return mmio__b_fail(b, br[i].line,
                              "register %s.%s has the name of field %s of register %s.%s", p->name,
                              name, dot + 1, p->name, owner->name);
    }
  }
  return 0;
}

/* Resolves each alias's registers to its source's (chains included). */
static int mmio__resolve_aliases(struct mmio__builder *b, struct mmio__b_periph *ps, size_t n) {
  size_t i, j, hops;
  for (i = 0; i < n; i++) {
    const struct mmio__b_periph *src = &ps[i];
    for (hops = 0; src->from != NULL && hops <= n; hops++) {
      for (j = 0; j < n && strcmp(ps[j].p.name, src->from) != 0; j++) {
      }
      if (j == n)
        return mmio__b_fail(b, src->line, "peripheral %s is derived from %s, which does not exist",
                            src->p.name, src->from);
      src = &ps[j];
    }
    if (hops > n)
      return mmio__b_fail(b, ps[i].line, "peripheral %s is derived from itself", ps[i].p.name);
    ps[i].first_reg = src->first_reg;
    ps[i].nregs = src->nregs;
  }
  return 0;
}

static void mmio__desc_destroy(mmio_desc *d) {
  size_t i;
  if (d == NULL) return;
  /* A description that failed half-built may have its count but not yet
   * its index. */
  for (i = 0; d->pindex != NULL && i < d->nperiphs; i++) {
    /* Aliases share their source's index; free each once. */
    size_t j;
    int shared = 0;
    for (j = 0; j < i && !shared; j++)
      shared = d->pindex[j].regs_by_name == d->pindex[i].regs_by_name;
    if (!shared) free(d->pindex[i].regs_by_name);
  }
  free(d->pindex);
  free(d->periphs_by_name);
  free(d->periphs);
  free(d->regs);
  free(d->fields);
  free(d->enums);
  free(d->warnings);
  mmio__arena_free(&d->arena);
  free(d);
}

/* Makes the finished, indexed description from what the builder holds. */
static int mmio__b_finish(struct mmio__builder *b, mmio_desc **out) {
  struct mmio__b_periph *ps = b->periphs.data;
  const size_t np = b->periphs.n;
  struct mmio__reg_slot *slots = NULL;
  mmio_desc *d;
  size_t i, j;
  int err = 0;

  if ((d = calloc(1, sizeof(*d))) == NULL) return -ENOMEM;
  err = mmio__resolve_aliases(b, ps, np);
  /* Registers of each peripheral in offset order (declaration order among
   * registers at one address: alternates). The fields stay where they are. */
  for (i = 0; err == 0 && i < np; i++) {
    const size_t first = ps[i].first_reg, n = ps[i].nregs;
    if (ps[i].from != NULL || n < 2) continue;
    free(slots);
    if ((slots = malloc(n * sizeof(*slots))) == NULL) {
      err = -ENOMEM;
      break;
    }
    for (j = 0; j < n; j++) {
      slots[j].r = *MMIO__AT(b->regs, struct mmio_reg, first + j);
      slots[j].b = *MMIO__AT(b->bregs, struct mmio__b_reg, first + j);
      slots[j].seq = j;
    }
    qsort(slots, n, sizeof(*slots), mmio__cmp_reg_offsets);
    for (j = 0; j < n; j++) {
      *MMIO__AT(b->regs, struct mmio_reg, first + j) = slots[j].r;
      *MMIO__AT(b->bregs, struct mmio__b_reg, first + j) = slots[j].b;
    }
  }
  free(slots);
  if (err != 0) goto out;

  /* The arrays become the description's; pointers are set now that they
   * no longer move. */
  d->regs = b->regs.data;
  d->fields = b->fields.data;
  d->enums = b->enums.data;
  b->regs.data = b->fields.data = b->enums.data = NULL;
  for (i = 0; i < b->fields.n; i++) {
    const struct mmio__b_field *bf = MMIO__AT(b->bfields, struct mmio__b_field, i);
    d->fields[i].enums = bf->nenums > 0 ? &d->enums[bf->first_enum] : NULL;
    d->fields[i].nenums = bf->nenums;
  }
  for (i = 0; i < b->regs.n && err == 0; i++) {
    const struct mmio__b_reg *br = MMIO__AT(b->bregs, struct mmio__b_reg, i);
    d->regs[i].fields = br->nfields > 0 ? &d->fields[br->first_field] : NULL;
    d->regs[i].nfields = br->nfields;
    /* No fields, no field array to point into (it may be NULL). */
    err = mmio__check_reg(
        b, &d->regs[i], br,
        br->nfields > 0 ? MMIO__AT(b->bfields, struct mmio__b_field, br->first_field) : NULL);
    if (err == 0) mmio__reg_derive_one(&d->regs[i]);
  }
  if (err != 0) goto out;

  /* Peripherals by address; each with its extent and its name index. */
  if (np > 1) qsort(ps, np, sizeof(*ps), mmio__cmp_periph_bases); /* ps is NULL when np is 0 */
  d->nperiphs = np;
  if ((d->periphs = calloc(np + 1, sizeof(*d->periphs))) == NULL ||
      (d->pindex = calloc(np + 1, sizeof(*d->pindex))) == NULL ||
      (d->periphs_by_name = calloc(np + 1, sizeof(*d->periphs_by_name))) == NULL) {
    err = -ENOMEM;
    goto out;
  }
  for (i = 0; i < np && err == 0; i++) {
    struct mmio_periph *p = &d->periphs[i];
    *p = ps[i].p;
    p->regs = ps[i].nregs > 0 ? &d->regs[ps[i].first_reg] : NULL;
    p->nregs = ps[i].nregs;
    p->derived_from = ps[i].from;
    for (j = 0; j < p->nregs; j++) {
      const uint64_t end = p->regs[j].offset + p->regs[j].width;
      if (end > p->size) p->size = end;
    }
    if (p->base > UINT64_MAX - p->size) {
      err = mmio__b_fail(b, ps[i].line, "peripheral %s at 0x%llx has registers past 2^64", p->name,
                         (unsigned long long)p->base);
      break;
    }
    for (j = 0; j < i && d->pindex[i].regs_by_name == NULL; j++)
      if (d->periphs[j].regs == p->regs && p->nregs > 0)
        d->pindex[i].regs_by_name = d->pindex[j].regs_by_name;
    if (d->pindex[i].regs_by_name == NULL) {
      if ((d->pindex[i].regs_by_name = malloc((p->nregs + 1) * sizeof(uint32_t))) == NULL) {
        err = -ENOMEM;
        break;
      }
      if (p->nregs > 0 && mmio__name_index(d->pindex[i].regs_by_name, &p->regs[0].name,
                                           sizeof(p->regs[0]), p->nregs) != 0) {
        err = -ENOMEM;
        break;
      }
      for (j = 1; j < p->nregs; j++)
        if (strcmp(p->regs[d->pindex[i].regs_by_name[j]].name,
                   p->regs[d->pindex[i].regs_by_name[j - 1]].name) == 0) {
          err = mmio__b_fail(b, 0, "peripheral %s has two registers named %s", p->name,
                             p->regs[d->pindex[i].regs_by_name[j]].name);
          break;
        }
      if (err == 0 && p->nregs > 0)
        err =
            mmio__check_dotted_names(b, p, MMIO__AT(b->bregs, struct mmio__b_reg, ps[i].first_reg));
    }
  }
  if (err == 0 && np > 0)
    err = mmio__name_index(d->periphs_by_name, &d->periphs[0].name, sizeof(d->periphs[0]), np);
  if (err != 0) goto out;

  d->name = b->device != NULL ? b->device : "";
  d->warnings = b->warnings.data;
  d->nwarnings = b->warnings.n;
  b->warnings.data = NULL;
  d->arena = b->arena;
  memset(&b->arena, 0, sizeof(b->arena));
out:
  if (err != 0) {
    mmio__desc_destroy(d);
    return err;
  }
  *out = d;
  return 0;
}

static void mmio__b_release(struct mmio__builder *b) {
  free(b->periphs.data);
  free(b->regs.data);
  free(b->bregs.data);
  free(b->fields.data);
  free(b->bfields.data);
  free(b->enums.data);
  free(b->warnings.data);
  mmio__arena_free(&b->arena);
}

/* The format of a description: SVD is XML, so it starts with '<'. */
static mmio__desc_parser mmio__format_of(const char *data, size_t len) {
  size_t i = 0;
  if (len >= 3 && (unsigned char)data[0] == 0xef && (unsigned char)data[1] == 0xbb &&
      (unsigned char)data[2] == 0xbf)
    i = 3; /* a UTF-8 byte order mark */
  while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
    i++;
  return i < len && data[i] == '<' ? mmio__svd_parse : mmio__text_parse;
}

int mmio_desc_parse(mmio_desc **out, const char *data, size_t len, const char *name, char *why,
                    size_t cap) {
  struct mmio__builder b;
  int err;
  if (why != NULL && cap > 0) why[0] = '\0';
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (data == NULL && len > 0) return -EINVAL;
  memset(&b, 0, sizeof(b));
  b.file = name != NULL ? name : "(description)";
  b.why = why;
  b.cap = cap;
  b.periphs.elem = sizeof(struct mmio__b_periph);
  b.regs.elem = sizeof(struct mmio_reg);
  b.bregs.elem = sizeof(struct mmio__b_reg);
  b.fields.elem = sizeof(struct mmio_field);
  b.bfields.elem = sizeof(struct mmio__b_field);
  b.enums.elem = sizeof(struct mmio_enum);
  b.warnings.elem = sizeof(const char *);
  err = mmio__format_of(data, len)(&b, data, len);
  if (err == 0 && b.failed) err = MMIO_ERR_BAD_DESCRIPTION;
  if (err == 0) err = mmio__b_finish(&b, out);
  if (err == -ENOMEM && why != NULL && cap > 0) snprintf(why, cap, "%s: out of memory", b.file);
  mmio__b_release(&b);
  return err;
}

int mmio_desc_load(mmio_desc **out, const char *path, char *why, size_t cap) {
  struct stat st;
  char *data = NULL;
  size_t got = 0;
  int fd, err = 0;
  if (why != NULL && cap > 0) why[0] = '\0';
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (path == NULL) return -EINVAL;
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) err = -errno;
  if (err == 0 && fstat(fd, &st) != 0) err = -errno;
  if (err == 0 && !S_ISREG(st.st_mode)) err = -EINVAL;
  if (err == 0 && (uint64_t)st.st_size > SIZE_MAX / 2) err = -EFBIG;
  if (err == 0 && (data = malloc((size_t)st.st_size + 1)) == NULL) err = -ENOMEM;
  while (err == 0 && got < (size_t)st.st_size) {
    ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) err = -errno;
    if (n == 0) break; /* the file shrank: parse what there is */
    if (n > 0) got += (size_t)n;
  }
  if (fd >= 0) close(fd);
  if (err == 0)
    err = mmio_desc_parse(out, data, got, path, why, cap);
  else if (why != NULL && cap > 0)
    snprintf(why, cap, "%s: %s", path, mmio_strerror(err));
  free(data);
  return err;
}

void mmio_desc_free(mmio_desc *d) { mmio__desc_destroy(d); }

const char *mmio_desc_name(const mmio_desc *d) { return d != NULL ? d->name : ""; }

size_t mmio_desc_nperiphs(const mmio_desc *d) { return d != NULL ? d->nperiphs : 0; }

const struct mmio_periph *mmio_desc_periph(const mmio_desc *d, size_t i) {
  return d != NULL && i < d->nperiphs ? &d->periphs[i] : NULL;
}

const char *mmio_desc_warning(const mmio_desc *d, size_t i) {
  return d != NULL && i < d->nwarnings ? d->warnings[i] : NULL;
}

/* ---- finding names ---- */

/*
 * Binary search in an index sorted by mmio__name_cmp for the n bytes at
 * name: the exact match if there is one, else the one case-insensitive
 * match. Returns the index position, -1 when none, -2 when ambiguous.
 */
static long mmio__search(const uint32_t *index, size_t count,
                         const char *(*name_of)(const void *, uint32_t), const void *ctx,
                         const char *name, size_t n) {
  size_t lo = 0, hi = count, i, matches = 0;
  long found = -1;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    const char *s = name_of(ctx, index[mid]);
    int c = strncasecmp(s, name, n);
    if (c == 0 && s[n] != '\0') c = 1;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (i = lo; i < count; i++) {
    const char *s = name_of(ctx, index[i]);
    if (strncasecmp(s, name, n) != 0 || s[n] != '\0') break;
    if (strncmp(s, name, n) == 0) return (long)i;
    found = (long)i;
    matches++;
  }
  return matches > 1 ? -2 : found;
}

static const char *mmio__periph_name_of(const void *ctx, uint32_t i) {
  return ((const mmio_desc *)ctx)->periphs[i].name;
}
static const char *mmio__reg_name_of(const void *ctx, uint32_t i) {
  return ((const struct mmio_periph *)ctx)->regs[i].name;
}

/* Edit distance, case-insensitive, for suggestions. */
static size_t mmio__distance(const char *a, const char *b) {
  size_t row[64], i, j, la = strlen(a), lb = strlen(b);
  if (la >= 63 || lb >= 63) return (size_t)-1;
  for (j = 0; j <= lb; j++)
    row[j] = j;
  for (i = 1; i <= la; i++) {
    size_t diag = row[0], tmp;
    row[0] = i;
    for (j = 1; j <= lb; j++) {
      const int same = (a[i - 1] | 0x20) == (b[j - 1] | 0x20);
      tmp = row[j];
      row[j] = diag + !same;
      if (row[j - 1] + 1 < row[j]) row[j] = row[j - 1] + 1;
      if (tmp + 1 < row[j]) row[j] = tmp + 1;
      diag = tmp;
    }
  }
  return row[lb];
}

/* Appends the (up to five) candidates closest to name. */
struct mmio__suggest {
  const char *name;
  const char *best[5];
  size_t dist[5];
};

static void mmio__consider(struct mmio__suggest *s, const char *candidate) {
  size_t d = mmio__distance(s->name, candidate), i, j;
  const size_t limit = strlen(s->name) / 3 + 1;
  if (d > limit) return;
  for (i = 0; i < 5; i++)
    if (s->best[i] == NULL || d < s->dist[i]) break;
  if (i == 5) return;
  for (j = 4; j > i; j--) {
    s->best[j] = s->best[j - 1];
    s->dist[j] = s->dist[j - 1];
  }
  s->best[i] = candidate;
  s->dist[i] = d;
}

static int mmio__unknown(char *why, size_t cap, const char *what, const char *name,
                         const char *prefix, const struct mmio__suggest *s) {
  size_t len, i;
  if (why == NULL || cap == 0) return MMIO_ERR_UNKNOWN_NAME;
  snprintf(why, cap, "no %s named '%s'", what, name);
  for (i = 0; i < 5 && s->best[i] != NULL; i++) {
    len = strlen(why);
    snprintf(why + len, cap - len, "%s%s%s", i == 0 ? "; did you mean " : ", ", prefix, s->best[i]);
  }
  len = strlen(why);
  if (s->best[0] != NULL && len + 1 < cap) snprintf(why + len, cap - len, "?");
  return MMIO_ERR_UNKNOWN_NAME;
}

static int mmio__ambiguous(char *why, size_t cap, const char *what, const char *name) {
  if (why != NULL && cap > 0)
    snprintf(why, cap, "%s '%s' matches several names that differ only in case: spell it exactly",
             what, name);
  return MMIO_ERR_AMBIGUOUS;
}

/* Finds a peripheral by the n bytes at name. */
static int mmio__find_periph(const mmio_desc *d, const char *name, size_t n,
                             const struct mmio_periph **out, char *why, size_t cap) {
  long pos = mmio__search(d->periphs_by_name, d->nperiphs, mmio__periph_name_of, d, name, n);
  char buf[256];
  size_t i;
  if (pos >= 0) {
    *out = &d->periphs[d->periphs_by_name[pos]];
    return 0;
  }
  snprintf(buf, sizeof(buf), "%.*s", (int)n, name);
  if (pos == -2) return mmio__ambiguous(why, cap, "peripheral", buf);
  {
    struct mmio__suggest s = {buf, {NULL}, {0}};
    for (i = 0; i < d->nperiphs; i++)
      mmio__consider(&s, d->periphs[i].name);
    return mmio__unknown(why, cap, "peripheral", buf, "", &s);
  }
}

/* A field of p by "REG.FIELD" (split at the last dot; REG may contain
 * dots: clusters), each part exact first, then case-insensitive when
 * unambiguous. Returns 1 and sets *reg, *idx and *exact (both parts
 * matched exactly); 0 when REG names no register (or there is no dot);
 * -2 when REG is ambiguous; -3 when FIELD is, or -4 when FIELD is unknown
 * (with *reg set). */
static int mmio__find_field(const mmio_desc *d, const struct mmio_periph *p, const char *name,
                            const struct mmio_reg **reg, size_t *idx, int *exact) {
  const struct mmio__pindex *ix = &d->pindex[p - d->periphs];
  const char *dot = strrchr(name, '.'), *field;
  long pos, found = -1, folded = -1;
  size_t i, nfolded = 0;
  if (dot == NULL) return 0;
  pos = mmio__search(ix->regs_by_name, p->nregs, mmio__reg_name_of, p, name, (size_t)(dot - name));
  if (pos < 0) return pos == -2 ? -2 : 0;
  *reg = &p->regs[ix->regs_by_name[pos]];
  field = dot + 1;
  for (i = 0; i < (*reg)->nfields; i++) {
    if (strcmp((*reg)->fields[i].name, field) == 0) found = (long)i;
    if (strcasecmp((*reg)->fields[i].name, field) == 0) folded = (long)i, nfolded++;
  }
  if (found < 0 && nfolded > 1) return -3;
  if (found < 0) found = folded;
  if (found < 0) return -4;
  *idx = (size_t)found;
  *exact = strncmp((*reg)->name, name, (size_t)(dot - name)) == 0 &&
           (*reg)->name[dot - name] == '\0' && strcmp((*reg)->fields[found].name, field) == 0;
  return 1;
}

/*
 * Finds "REG" or "REG.FIELD" in p. An exact match of either reading wins;
 * then a case-insensitive one, when only one reading has one (a register
 * and a field whose names differ only in case are ambiguous). scoped:
 * names are p's own, so suggestions leave out "P." as the caller must.
 */
static int mmio__find_in_periph(const mmio_desc *d, const struct mmio_periph *p, const char *name,
                                int scoped, struct mmio_name *out, char *why, size_t cap) {
  const struct mmio__pindex *ix = &d->pindex[p - d->periphs];
  const size_t n = strlen(name);
  const long pos = mmio__search(ix->regs_by_name, p->nregs, mmio__reg_name_of, p, name, n);
  const struct mmio_reg *reg = pos >= 0 ? &p->regs[ix->regs_by_name[pos]] : NULL, *freg = NULL;
  size_t idx = 0, i;
  int fexact = 0;
  const int f = mmio__find_field(d, p, name, &freg, &idx, &fexact);
  if (reg != NULL && strcmp(reg->name, name) == 0) {
    out->reg = reg;
    return 0;
  }
  if (f == 1 && (fexact || (reg == NULL && pos != -2))) {
    out->reg = freg;
    out->field = &freg->fields[idx];
    out->field_index = idx;
    return 0;
  }
  if (pos == -2 || (reg != NULL && f == 1)) return mmio__ambiguous(why, cap, "register", name);
  if (reg != NULL) {
    out->reg = reg;
    return 0;
  }
  if (f == -2) return mmio__ambiguous(why, cap, "register", name);
  if (f == -3) return mmio__ambiguous(why, cap, "field", name);
  if (f == -4) {
    char prefix[300];
    const char *field = strrchr(name, '.') + 1;
    struct mmio__suggest s = {field, {NULL}, {0}};
    for (i = 0; i < freg->nfields; i++)
      mmio__consider(&s, freg->fields[i].name);
    snprintf(prefix, sizeof(prefix), "%s%s%s.", scoped ? "" : p->name, scoped ? "" : ".",
             freg->name);
    return mmio__unknown(why, cap, "field", field, prefix, &s);
  }
  {
    char prefix[300];
    struct mmio__suggest s = {name, {NULL}, {0}};
    for (i = 0; i < p->nregs; i++)
      mmio__consider(&s, p->regs[i].name);
    snprintf(prefix, sizeof(prefix), "%s%s", scoped ? "" : p->name, scoped ? "" : ".");
    return mmio__unknown(why, cap, "register", name, prefix, &s);
  }
}

/* A bare name that is no peripheral may be a register of some: the
 * message then names the whole names to write (up to three). */
static void mmio__register_hint(const mmio_desc *d, const char *name, char *why, size_t cap) {
  size_t i, k = 0, len;
  if (why == NULL || cap == 0) return;
  for (i = 0; i < d->nperiphs && k < 3; i++) {
    const struct mmio_periph *p = &d->periphs[i];
    const struct mmio__pindex *ix = &d->pindex[i];
    const long pos =
        mmio__search(ix->regs_by_name, p->nregs, mmio__reg_name_of, p, name, strlen(name));
    if (pos < 0) continue;
    len = strlen(why);
    snprintf(why + len, cap - len, "%s%s.%s", k++ == 0 ? "; it is a register: write " : " or ",
             p->name, p->regs[ix->regs_by_name[pos]].name);
  }
}

int mmio_desc_find(struct mmio_name *out, const mmio_desc *d, const char *scope, const char *name,
                   char *why, size_t cap) {
  const struct mmio_periph *p = NULL;
  const char *rest = name;
  int err;
  if (why != NULL && cap > 0) why[0] = '\0';
  if (out == NULL || d == NULL || name == NULL) return -EINVAL;
  memset(out, 0, sizeof(*out));
  if (scope != NULL) {
    err = mmio__find_periph(d, scope, strlen(scope), &p, why, cap);
  } else {
    const char *dot = strchr(name, '.');
    err =
        mmio__find_periph(d, name, dot != NULL ? (size_t)(dot - name) : strlen(name), &p, why, cap);
    rest = dot != NULL ? dot + 1 : NULL;
  }
  if (err == MMIO_ERR_UNKNOWN_NAME && scope == NULL && rest == NULL)
    mmio__register_hint(d, name, why, cap);
  if (err != 0) return err;
  out->periph = p;
  if (rest == NULL) return 0;
  err = mmio__find_in_periph(d, p, rest, scope != NULL, out, why, cap);
  if (err != 0) out->periph = NULL;
  return err;
}
