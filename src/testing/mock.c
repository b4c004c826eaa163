/*
 * Strict mocks: an ordered list of expected accesses, checked one by one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testing_internal.h"

struct mmio__expect {
  int store;
  unsigned width;
  size_t off;
  uint64_t value; /* returned by a load, compared for a store */
  uint64_t mask;  /* bits of a store's value that must match */
  int err;        /* nonzero: the access fails with this code */
};

struct mmio_mock {
  struct mmio__double base; /* first: the double's shared head */
  struct mmio__expect *exp;
  size_t nexp, cap;
  size_t next;       /* index of the next expectation to meet */
  uint64_t accesses; /* accesses seen, for positions in messages */
  int sealed;
  int failed;
};

/* "a 32-bit store of 0x00000001 at 0x4" into buf. */
static const char *mmio__describe(char *buf, size_t cap, int store, unsigned width, size_t off,
                                  uint64_t value, int show_value) {
  if (show_value)
    snprintf(buf, cap, "a %s %s of 0x%0*" PRIx64 " at 0x%zx", mmio__width_name(width),
             store ? "store" : "load", (int)width * 2, value, off);
  else
    snprintf(buf, cap, "a %s %s at 0x%zx", mmio__width_name(width), store ? "store" : "load", off);
  return buf;
}

static const char *mmio__describe_expect(char *buf, size_t cap, const struct mmio__expect *e) {
  char what[96];
  mmio__describe(what, sizeof(what), e->store, e->width, e->off, e->value, e->store);
  if (e->err != 0)
    snprintf(buf, cap, "%s (failing with %s)", what, mmio_err_name(e->err));
  else if (!e->store)
    snprintf(buf, cap, "%s (returning 0x%0*" PRIx64 ")", what, (int)e->width * 2, e->value);
  else if (e->mask != ~0ull >> (64 - 8 * e->width))
    snprintf(buf, cap, "%s under mask 0x%0*" PRIx64, what, (int)e->width * 2, e->mask);
  else
    snprintf(buf, cap, "%s", what);
  return buf;
}

static int mmio__mock_access(void *ctx, size_t off, unsigned width, int store, uint64_t *value) {
  struct mmio_mock *m = ctx;
  char got[96], want[160];
  const struct mmio__expect *e;
  const uint64_t pos = ++m->accesses;
  if (m->next >= m->nexp) {
    mmio__describe(got, sizeof(got), store, width, off, *value, store);
    m->failed = 1;
    return mmio__report(m->base.fail, m->base.fail_arg,
                        "mock: access #%" PRIu64 " was %s; no more accesses were "
                        "expected (%zu expected in all)",
                        pos, got, m->nexp);
  }
  e = &m->exp[m->next];
  if (e->store != store || e->width != width || e->off != off ||
      (store && ((*value ^ e->value) & e->mask) != 0)) {
    mmio__describe(got, sizeof(got), store, width, off, *value, store);
    m->failed = 1;
    return mmio__report(m->base.fail, m->base.fail_arg,
                        "mock: access #%" PRIu64 " was %s; expected #%zu: %s", pos, got,
                        m->next + 1, mmio__describe_expect(want, sizeof(want), e));
  }
  m->next++;
  if (e->err != 0) return e->err;
  if (!store) *value = e->value;
  return 0;
}

static void mmio__mock_free(struct mmio__double *d) {
  struct mmio_mock *m = (struct mmio_mock *)d;
  free(m->exp);
  free(m);
}

MMIO_DEFINE_OPS(mmio__mock_ops, mmio__mock_access, mmio__double_unref);

int mmio_mock_create(mmio_mock **out, size_t len) {
  struct mmio_mock *m;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (len == 0) return -EINVAL;
  if (len > PTRDIFF_MAX) return MMIO_ERR_OUT_OF_RANGE;
  m = calloc(1, sizeof(*m));
  if (m == NULL) return -ENOMEM;
  mmio__double_init(&m->base, len, &mmio__mock_ops, mmio__mock_free);
  *out = m;
  return 0;
}

void mmio_mock_destroy(mmio_mock *m) { mmio__double_unref(m != NULL ? &m->base : NULL); }

int mmio_mock_region(mmio_region *out, mmio_mock *m) {
  return mmio__double_region(out, m != NULL ? &m->base : NULL);
}

void mmio_mock_on_failure(mmio_mock *m, mmio_fail_fn fn, void *arg) {
  mmio__double_on_failure(m != NULL ? &m->base : NULL, fn, arg, "mmio_mock_on_failure");
}

/* Checks one expectation against the mock's shape. */
static int mmio__mock_check(const struct mmio_mock *m, const struct mmio__expect *e) {
  if (e->width != 1 && e->width != 2 && e->width != 4 && e->width != 8) return -EINVAL;
  if (e->off % e->width != 0) return -EINVAL;
  if (e->off >= m->base.len || m->base.len - e->off < e->width) return MMIO_ERR_OUT_OF_RANGE;
  return 0;
}

/* Appends n checked expectations, all or none. */
static int mmio__mock_append(struct mmio_mock *m, const struct mmio__expect *e, size_t n) {
  size_t i;
  int err;
  if (m == NULL || m->sealed) return -EINVAL;
  if (n == 0) return 0; /* e and m->exp may be NULL: nothing to copy */
  for (i = 0; i < n; i++)
    if ((err = mmio__mock_check(m, &e[i])) != 0) return err;
  /* The sum, the doubling and the product below must not wrap. */
  if (n > SIZE_MAX / 2 / sizeof(*m->exp) - m->nexp) return -ENOMEM;
  if (m->nexp + n > m->cap) {
    size_t cap = m->cap != 0 ? m->cap : 16;
    struct mmio__expect *grown;
    while (cap < m->nexp + n)
      cap *= 2;
    grown = realloc(m->exp, cap * sizeof(*grown));
    if (grown == NULL) return -ENOMEM;
    m->exp = grown;
    m->cap = cap;
  }
  memcpy(m->exp + m->nexp, e, n * sizeof(*e));
  m->nexp += n;
  return 0;
}

static struct mmio__expect mmio__expectation(int store, unsigned width, size_t off, uint64_t value,
                                             uint64_t mask) {
  struct mmio__expect e;
  const uint64_t all = width >= 1 && width <= 8 ? ~0ull >> (64 - 8 * width) : 0;
  e.store = store;
  e.width = width;
  e.off = off;
  e.value = value & all;
  e.mask = mask & all;
  e.err = 0;
  return e;
}

int mmio_mock_expect_load(mmio_mock *m, unsigned width, size_t off, uint64_t value) {
  struct mmio__expect e = mmio__expectation(0, width, off, value, ~0ull);
  return mmio__mock_append(m, &e, 1);
}

int mmio_mock_expect_store(mmio_mock *m, unsigned width, size_t off, uint64_t value) {
  struct mmio__expect e = mmio__expectation(1, width, off, value, ~0ull);
  return mmio__mock_append(m, &e, 1);
}

int mmio_mock_expect_store_masked(mmio_mock *m, unsigned width, size_t off, uint64_t value,
                                  uint64_t mask) {
  struct mmio__expect e = mmio__expectation(1, width, off, value, mask);
  return mmio__mock_append(m, &e, 1);
}

int mmio_mock_expect_no_more(mmio_mock *m) {
  if (m == NULL) return -EINVAL;
  m->sealed = 1;
  return 0;
}

int mmio_mock_expect_trace(mmio_mock *m, FILE *trace) {
  struct mmio__expect *list = NULL;
  size_t n = 0, cap = 0, linecap = 0;
  unsigned long lineno = 0;
  char *line = NULL;
  ssize_t len = 0;
  int err = 0;
  if (m == NULL || trace == NULL) return -EINVAL;
  /* getline, not a fixed buffer: a long line is one line, so it is
   * skipped or reported whole and the line numbers stay right. */
  while (err == 0 && (len = getline(&line, &linecap, trace)) >= 0) {
    struct mmio_trace_record rec;
    const int shown = (int)strcspn(line, "\r\n");
    size_t body = (size_t)len;
    lineno++;
    /* Blank is nothing before the line's ending: a line that merely
     * starts with '\r' or a NUL byte is not, and must parse. */
    if (body > 0 && line[body - 1] == '\n') body--;
    if (body > 0 && line[body - 1] == '\r') body--;
    if (body == 0 || line[0] == '#') continue;
    if ((size_t)len != strlen(line) || mmio_trace_parse(&rec, line) != 0) {
      mmio__report(m->base.fail, m->base.fail_arg, "mock: trace line %lu does not parse: %.*s%s",
                   lineno, shown < 200 ? shown : 200, line, shown < 200 ? "" : " ...");
      err = -EINVAL;
      break;
    }
    if (n == cap) {
      size_t ncap = cap != 0 ? cap * 2 : 64;
      struct mmio__expect *grown =
          cap <= SIZE_MAX / 2 / sizeof(*list) ? realloc(list, ncap * sizeof(*grown)) : NULL;
      if (grown == NULL) {
        err = -ENOMEM;
        break;
      }
      list = grown;
      cap = ncap;
    }
    list[n] = mmio__expectation(rec.store, rec.width, rec.offset, rec.value, ~0ull);
    list[n].err = rec.err;
    n++;
  }
  /* getline's -1 is the end of the trace only when the stream says so: a
   * buffer it could not grow sets no error indicator, and the rest of the
   * trace would be lost without a word. */
  if (err == 0 && len < 0 && !feof(trace) && !ferror(trace)) err = -ENOMEM;
  if (err == 0 && ferror(trace)) err = -EIO;
  if (err == 0) err = mmio__mock_append(m, list, n);
  free(line);
  free(list);
  return err;
}

int mmio_mock_verify(mmio_mock *m) {
  char want[160];
  if (m == NULL) return -EINVAL;
  if (m->failed) return MMIO_ERR_REJECTED;
  if (m->next < m->nexp) {
    m->failed = 1;
    return mmio__report(m->base.fail, m->base.fail_arg,
                        "mock: %zu expected access%s did not happen; next was #%zu: %s",
                        m->nexp - m->next, m->nexp - m->next == 1 ? "" : "es", m->next + 1,
                        mmio__describe_expect(want, sizeof(want), &m->exp[m->next]));
  }
  return 0;
}
