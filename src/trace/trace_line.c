/*
 * The trace line format: written by tracing regions, read back by the
 * mock's replay and by tools.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core_internal.h"
#include "mmio/trace.h"

int mmio_trace_format(char *buf, size_t cap, const struct mmio_trace_record *rec, unsigned flags) {
  int n = snprintf(buf, cap, "%" PRIu64 " %s%u 0x%zx 0x%0*" PRIx64, rec->seq,
                   rec->store ? "store" : "load", rec->width * 8, rec->offset, (int)rec->width * 2,
                   rec->value);
  if (n >= 0 && (size_t)n < cap && (flags & MMIO_TRACE_TIME))
    n += snprintf(buf + n, cap - (size_t)n, " t=%" PRIu64, rec->time_ns);
  if (n >= 0 && (size_t)n < cap && rec->err != 0)
    n += snprintf(buf + n, cap - (size_t)n, " err=%s", mmio_err_name(rec->err));
  return (n < 0 || (size_t)n >= cap) ? -ENOSPC : n;
}

/* A cursor over the line being parsed: [p, end). */
struct mmio__cursor {
  const char *p, *end;
};

/* Takes the literal word w. */
static int mmio__take(struct mmio__cursor *c, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0) return 0;
  c->p += n;
  return 1;
}

/* DEC = "0" | [1-9][0-9]*, within 64 bits. */
static int mmio__take_dec(struct mmio__cursor *c, uint64_t *out) {
  const char *s = c->p;
  uint64_t v = 0;
  while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
    unsigned d = (unsigned)(*c->p - '0');
    if (v > (UINT64_MAX - d) / 10) return 0;
    v = v * 10 + d;
    c->p++;
  }
  if (c->p == s || (*s == '0' && c->p - s > 1)) return 0;
  *out = v;
  return 1;
}

/* "0x" followed by 1 to max_digits lower-case hex digits. */
static int mmio__take_hex(struct mmio__cursor *c, int max_digits, uint64_t *out) {
  const char *s;
  uint64_t v = 0;
  if (!mmio__take(c, "0x")) return 0;
  s = c->p;
  while (c->p < c->end && c->p - s < max_digits) {
    char ch = *c->p;
    unsigned d;
    if (ch >= '0' && ch <= '9')
      d = (unsigned)(ch - '0');
    else if (ch >= 'a' && ch <= 'f')
      d = (unsigned)(ch - 'a' + 10);
    else
      break;
    v = v << 4 | d;
    c->p++;
  }
  if (c->p == s) return 0;
  *out = v;
  return 1;
}

int mmio_trace_parse(struct mmio_trace_record *rec, const char *line) {
  static const unsigned bits[] = {8, 16, 32, 64};
  struct mmio__cursor c;
  struct mmio_trace_record r;
  uint64_t v;
  size_t i;
  if (rec == NULL || line == NULL) return -EINVAL;
  memset(&r, 0, sizeof(r));
  c.p = line;
  c.end = line + strlen(line);
  /* One line ending: "\n" or "\r\n". */
  if (c.end > c.p && c.end[-1] == '\n') c.end--;
  if (c.end > c.p && c.end[-1] == '\r') c.end--;

  if (!mmio__take_dec(&c, &r.seq) || r.seq == 0 || !mmio__take(&c, " ")) return -EINVAL;
  if (mmio__take(&c, "load"))
    r.store = 0;
  else if (mmio__take(&c, "store"))
    r.store = 1;
  else
    return -EINVAL;
  /* One width: the loop stops at the first that matches, or "load8 32"
   * would read on as a 32-bit access. */
  for (i = 0; i < sizeof(bits) / sizeof(bits[0]) && r.width == 0; i++) {
    char w[4];
    snprintf(w, sizeof(w), "%u ", bits[i]);
    if (mmio__take(&c, w)) r.width = bits[i] / 8;
  }
  if (r.width == 0) return -EINVAL;
  if (!mmio__take_hex(&c, 16, &v) || v > SIZE_MAX || !mmio__take(&c, " ")) return -EINVAL;
  r.offset = (size_t)v;
  if (!mmio__take_hex(&c, 2 * (int)r.width, &r.value)) return -EINVAL;
  if (mmio__take(&c, " t=") && !mmio__take_dec(&c, &r.time_ns)) return -EINVAL;
  if (mmio__take(&c, " err=")) {
    char name[40];
    size_t n = (size_t)(c.end - c.p);
    if (n == 0 || n >= sizeof(name) || memchr(c.p, ' ', n) != NULL) return -EINVAL;
    memcpy(name, c.p, n);
    name[n] = '\0';
    if (mmio__err_from_name(name, &r.err) != 0 || r.err == 0) return -EINVAL;
    c.p = c.end;
  }
  /* Nothing else: no repeated or unknown field, no trailing blank. */
  if (c.p != c.end) return -EINVAL;
  *rec = r;
  return 0;
}
