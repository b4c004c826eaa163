/*
 * Tracing regions, and the trace line format shared with the mock replay.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "mmio/trace.h"

struct mmio__trace {
  mmio_region inner;
  mmio_trace_fn fn;
  void *arg;
  FILE *file;
  unsigned flags;
  uint64_t start_ns;
  atomic_uint_fast64_t seq;
};

static uint64_t mmio__now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int mmio_trace_format(const struct mmio_trace_record *rec, unsigned flags,
                      char *buf, size_t cap) {
  int n = snprintf(buf, cap, "%" PRIu64 " %s%u 0x%zx 0x%0*" PRIx64, rec->seq,
                   rec->store ? "store" : "load", rec->width * 8, rec->offset,
                   (int)rec->width * 2, rec->value);
  if (n >= 0 && (size_t)n < cap && (flags & MMIO_TRACE_TIME))
    n += snprintf(buf + n, cap - (size_t)n, " t=%" PRIu64, rec->time_ns);
  if (n >= 0 && (size_t)n < cap && rec->err != 0)
    n += snprintf(buf + n, cap - (size_t)n, " err=%s", mmio_err_name(rec->err));
  return (n < 0 || (size_t)n >= cap) ? -ENOSPC : n;
}

/* Parses an unsigned number in the given base that fills the whole token. */
static int mmio__parse_u64(const char *tok, int base, uint64_t *out) {
  char *end;
  if (*tok == '\0' || *tok == '-' || *tok == '+' || *tok == ' ') return -EINVAL;
  errno = 0;
  *out = strtoull(tok, &end, base);
  return (errno != 0 || *end != '\0') ? -EINVAL : 0;
}

int mmio_trace_parse(const char *line, struct mmio_trace_record *rec) {
  char buf[256];
  char *tok[8];
  char *save = NULL, *p;
  size_t len = strlen(line);
  int n = 0, i;
  uint64_t v;
  struct mmio_trace_record r;
  memset(&r, 0, sizeof(r));
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
  if (len >= sizeof(buf)) return -EINVAL;
  memcpy(buf, line, len);
  buf[len] = '\0';
  for (p = strtok_r(buf, " ", &save); p != NULL && n < 8; p = strtok_r(NULL, " ", &save))
    tok[n++] = p;
  if (n < 4 || p != NULL) return -EINVAL;
  if (mmio__parse_u64(tok[0], 10, &r.seq) != 0) return -EINVAL;
  if (strncmp(tok[1], "load", 4) == 0) {
    r.store = 0;
    p = tok[1] + 4;
  } else if (strncmp(tok[1], "store", 5) == 0) {
    r.store = 1;
    p = tok[1] + 5;
  } else {
    return -EINVAL;
  }
  if (mmio__parse_u64(p, 10, &v) != 0 || (v != 8 && v != 16 && v != 32 && v != 64))
    return -EINVAL;
  r.width = (unsigned)v / 8;
  if (strncmp(tok[2], "0x", 2) != 0 || mmio__parse_u64(tok[2] + 2, 16, &v) != 0 ||
      v > SIZE_MAX)
    return -EINVAL;
  r.offset = (size_t)v;
  if (strncmp(tok[3], "0x", 2) != 0 || mmio__parse_u64(tok[3] + 2, 16, &r.value) != 0 ||
      (r.width < 8 && (r.value >> (8 * r.width)) != 0))
    return -EINVAL;
  for (i = 4; i < n; i++) {
    if (strncmp(tok[i], "t=", 2) == 0) {
      if (mmio__parse_u64(tok[i] + 2, 10, &r.time_ns) != 0) return -EINVAL;
    } else if (strncmp(tok[i], "err=", 4) == 0) {
      if (mmio__err_from_name(tok[i] + 4, &r.err) != 0 || r.err == 0) return -EINVAL;
    } else {
      return -EINVAL;
    }
  }
  *rec = r;
  return 0;
}

static void mmio__trace_emit(struct mmio__trace *t, int store, unsigned width,
                             size_t off, uint64_t value, int err) {
  struct mmio_trace_record rec;
  rec.seq = atomic_fetch_add_explicit(&t->seq, 1, memory_order_relaxed) + 1;
  rec.time_ns = mmio__now_ns() - t->start_ns;
  rec.store = store;
  rec.width = width;
  rec.offset = off;
  rec.value = value;
  rec.err = err;
  if (t->fn != NULL) t->fn(t->arg, &rec);
  if (t->file != NULL) {
    char line[160];
    if (mmio_trace_format(&rec, t->flags, line, sizeof(line)) > 0)
      fprintf(t->file, "%s\n", line);
  }
}

static int mmio__trace_access(void *ctx, size_t off, unsigned width, int store,
                              uint64_t *value) {
  struct mmio__trace *t = ctx;
  uint64_t v = store ? *value : 0;
  int err = mmio__region_access(&t->inner, off, width, store, &v);
  mmio__trace_emit(t, store, width, off, err == 0 || store ? v : 0, err);
  if (err == 0) *value = v;
  return err;
}

static void mmio__trace_release(void *ctx) {
  struct mmio__trace *t = ctx;
  mmio_region_release(&t->inner);
  if (t->file != NULL) fflush(t->file);
  free(t);
}

MMIO__DEFINE_OPS(mmio__trace_ops, mmio__trace_access, mmio__trace_release);

static int mmio__trace_new(mmio_region *out, mmio_region *inner,
                           mmio_trace_fn fn, void *arg, FILE *file,
                           unsigned flags) {
  struct mmio__trace *t = NULL;
  int err = 0;
  if (out != NULL) mmio__region_init(out, 0, 0, NULL, NULL, NULL);
  if (out == NULL || inner == NULL || (fn == NULL && file == NULL) ||
      (flags & ~MMIO_TRACE_TIME) != 0)
    err = -EINVAL;
  if (err == 0 && (t = calloc(1, sizeof(*t))) == NULL) err = -ENOMEM;
  if (err == 0) {
    mmio_region_move(&t->inner, inner);
    t->fn = fn;
    t->arg = arg;
    t->file = file;
    t->flags = flags;
    t->start_ns = mmio__now_ns();
    atomic_init(&t->seq, 0);
    err = mmio_region_from_ops(out, &mmio__trace_ops, t, mmio_len(&t->inner));
    if (err != 0) {
      mmio_region_release(&t->inner);
      free(t);
    }
  }
  if (err != 0 && inner != NULL) mmio_region_release(inner);
  return err;
}

int mmio_trace_callback(mmio_region *out, mmio_region *inner, mmio_trace_fn fn,
                        void *arg) {
  return mmio__trace_new(out, inner, fn, arg, NULL, 0);
}

int mmio_trace_file(mmio_region *out, mmio_region *inner, FILE *file,
                    unsigned flags) {
  return mmio__trace_new(out, inner, NULL, NULL, file, flags);
}
