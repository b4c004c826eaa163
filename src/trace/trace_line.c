/*
 * The trace line format: written by tracing regions, read back by the
 * mock's replay and by tools.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Parses an unsigned number in the given base that fills the whole token. */
static int mmio__parse_u64(const char *tok, int base, uint64_t *out) {
  char *end;
  if (*tok == '\0' || *tok == '-' || *tok == '+' || *tok == ' ') return -EINVAL;
  errno = 0;
  *out = strtoull(tok, &end, base);
  return (errno != 0 || *end != '\0') ? -EINVAL : 0;
}

int mmio_trace_parse(struct mmio_trace_record *rec, const char *line) {
  char buf[256];
  char *tok[8];
  char *save = NULL, *p;
  size_t len = strlen(line);
  int n = 0, i;
  uint64_t v;
  struct mmio_trace_record r;
  memset(&r, 0, sizeof(r));
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    len--;
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
  if (mmio__parse_u64(p, 10, &v) != 0 || (v != 8 && v != 16 && v != 32 && v != 64)) return -EINVAL;
  r.width = (unsigned)v / 8;
  if (strncmp(tok[2], "0x", 2) != 0 || mmio__parse_u64(tok[2] + 2, 16, &v) != 0 || v > SIZE_MAX)
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
