/*
 * Fuzzes the trace-line parser (mmio_trace_parse) and the mock's reading
 * of whole traces (mmio_mock_expect_trace).
 *
 * A line is judged by a reference reading of the grammar in mmio/trace.h,
 * written here from the header alone: the parser must accept exactly what
 * it accepts, with the same fields, and a record must survive being
 * formatted (mmio_trace_format) and parsed again. The whole input, read
 * as a trace file, must be refused at its first bad line, with that line's
 * number, or else become expectations that a replay of the same accesses
 * meets exactly.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmio/mmio.h>
#include <mmio/testing/mock.h>

static const char *current; /* the input, for messages */

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "fuzz_trace: %s:%d: %s fails for \"%s\"\n", __FILE__, __LINE__, #cond,       \
              current);                                                                            \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

/* ---- the reference reading ---- */

/* DEC: "0" or digits without a leading zero, at most 2^64 - 1. */
static int ref_dec(const char *s, size_t n, uint64_t *out) {
  uint64_t v = 0;
  size_t i;
  if (n == 0 || (s[0] == '0' && n > 1) || n > 20) return 0;
  for (i = 0; i < n; i++) {
    uint64_t d;
    if (s[i] < '0' || s[i] > '9') return 0;
    d = (uint64_t)(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return 0;
    v = v * 10 + d;
  }
  *out = v;
  return 1;
}

/* "0x" and 1 to max lower-case hex digits. */
static int ref_hex(const char *s, size_t n, size_t max, uint64_t *out) {
  uint64_t v = 0;
  size_t i;
  if (n < 3 || n - 2 > max || s[0] != '0' || s[1] != 'x') return 0;
  for (i = 2; i < n; i++) {
    unsigned d;
    if (s[i] >= '0' && s[i] <= '9')
      d = (unsigned)(s[i] - '0');
    else if (s[i] >= 'a' && s[i] <= 'f')
      d = (unsigned)(s[i] - 'a' + 10);
    else
      return 0;
    v = v << 4 | d;
  }
  *out = v;
  return 1;
}

/* The code whose mmio_err_name() is the n bytes at s, or 0. */
static int ref_err(const char *s, size_t n) {
  static const int own[] = {
#define ROW(name, code, message) code,
      MMIO_ERRNO_MAP(ROW)
#undef ROW
  };
  char name[64];
  size_t i;
  int e;
  if (n == 0 || n >= sizeof(name)) return 0;
  memcpy(name, s, n);
  name[n] = '\0';
  if (strcmp(name, "UNKNOWN") == 0) return 0;
  for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
    if (strcmp(mmio_err_name(own[i]), name) == 0) return own[i];
  for (e = 1; e < 4096; e++)
    if (strcmp(mmio_err_name(-e), name) == 0) return -e;
  return 0;
}

/* Reads a line by the grammar; returns 1 and fills *r when it is one, and
 * sets *timed when it had t=. */
static int ref_parse(const char *line, size_t len, struct mmio_trace_record *r, int *timed) {
  static const char *const ops[] = {"load8",  "load16",  "load32",  "load64",
                                    "store8", "store16", "store32", "store64"};
  const char *field[8];
  size_t flen[8], nf = 0, i;
  const char *p = line, *end = line + len;
  int seen_t = 0, seen_err = 0;
  memset(r, 0, sizeof(*r));
  *timed = 0;
  if (memchr(line, '\0', len) != NULL) return 0;
  if (end > p && end[-1] == '\n') end--;
  if (end > p && end[-1] == '\r') end--;
  /* Fields separated by exactly one space. */
  for (;;) {
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    const char *fe = sp != NULL ? sp : end;
    if (nf == 8) return 0;
    field[nf] = p;
    flen[nf++] = (size_t)(fe - p);
    if (fe == p) return 0;
    if (sp == NULL) break;
    p = sp + 1;
  }
  if (nf < 4 || nf > 6) return 0;
  if (!ref_dec(field[0], flen[0], &r->seq) || r->seq == 0) return 0;
  for (i = 0; i < 8; i++)
    if (flen[1] == strlen(ops[i]) && memcmp(field[1], ops[i], flen[1]) == 0) break;
  if (i == 8) return 0;
  r->store = i >= 4;
  r->width = 1u << (i % 4);
  {
    uint64_t off;
    if (!ref_hex(field[2], flen[2], 16, &off) || off > SIZE_MAX) return 0;
    r->offset = (size_t)off;
  }
  if (!ref_hex(field[3], flen[3], 2 * r->width, &r->value)) return 0;
  for (i = 4; i < nf; i++) {
    if (flen[i] > 2 && memcmp(field[i], "t=", 2) == 0 && !seen_t && !seen_err) {
      if (!ref_dec(field[i] + 2, flen[i] - 2, &r->time_ns)) return 0;
      seen_t = 1;
    } else if (flen[i] > 4 && memcmp(field[i], "err=", 4) == 0 && !seen_err) {
      if ((r->err = ref_err(field[i] + 4, flen[i] - 4)) == 0) return 0;
      seen_err = 1;
    } else {
      return 0;
    }
  }
  *timed = seen_t;
  return 1;
}

static int same_record(const struct mmio_trace_record *a, const struct mmio_trace_record *b) {
  return a->seq == b->seq && a->time_ns == b->time_ns && a->store == b->store &&
         a->width == b->width && a->offset == b->offset && a->value == b->value && a->err == b->err;
}

/* ---- one line ---- */

static void check_line(const char *line) {
  struct mmio_trace_record want, got, again;
  char buf[256];
  int timed, n;
  const int ok = ref_parse(line, strlen(line), &want, &timed);
  memset(&got, 0x5a, sizeof(got));
  memcpy(&again, &got, sizeof(got));
  CHECK(mmio_trace_parse(&got, line) == (ok ? 0 : -EINVAL));
  if (!ok) {
    CHECK(memcmp(&got, &again, sizeof(got)) == 0); /* unchanged */
    return;
  }
  CHECK(same_record(&got, &want));
  n = mmio_trace_format(buf, sizeof(buf), &got, timed ? MMIO_TRACE_TIME : 0);
  CHECK(n > 0 && (size_t)n == strlen(buf));
  CHECK(ref_parse(buf, (size_t)n, &want, &timed));
  CHECK(mmio_trace_parse(&again, buf) == 0 && same_record(&again, &got));
}

/* ---- a whole trace, through the mock ---- */

#define MOCK_LEN 0x1000u

static int failures;
static char failure[1024];

static void on_failure(void *arg, const char *message) {
  (void)arg;
  failures++;
  snprintf(failure, sizeof(failure), "%s", message);
}

static int replay(mmio_region *r, const struct mmio_trace_record *rec) {
  uint64_t v = 0;
  int err;
  if (rec->store) return mmio_try_store_width(r, rec->offset, rec->width, rec->value);
  err = mmio_try_load_width(r, rec->offset, rec->width, &v);
  CHECK(err != 0 || v == rec->value);
  return err;
}

static void check_trace(const uint8_t *data, size_t size) {
  struct mmio_trace_record *recs = calloc(size / 8 + 1, sizeof(*recs));
  size_t nrec = 0, pos = 0, i;
  unsigned long lineno = 0, bad = 0;
  int expect_err = 0, err, timed;
  mmio_mock *m = NULL;
  mmio_region r = {0};
  FILE *f;
  if (recs == NULL) return;
  /* The reference: lines end after '\n'; blank ones (nothing before the
   * line ending) and comments are skipped; any other line must parse. */
  while (pos < size && bad == 0) {
    const uint8_t *nl = memchr(data + pos, '\n', size - pos);
    size_t len = nl != NULL ? (size_t)(nl - (data + pos)) + 1 : size - pos;
    const char *line = (const char *)data + pos;
    size_t body = len;
    lineno++;
    pos += len;
    if (body > 0 && line[body - 1] == '\n') body--;
    if (body > 0 && line[body - 1] == '\r') body--;
    if (body == 0 || line[0] == '#') continue;
    if (!ref_parse(line, len, &recs[nrec], &timed))
      bad = lineno;
    else
      nrec++;
  }
  if (mmio_mock_create(&m, MOCK_LEN) != 0) goto out;
  mmio_mock_on_failure(m, on_failure, NULL);
  f = fmemopen((void *)(uintptr_t)data, size, "r");
  if (size == 0 || f == NULL) {
    if (f != NULL) fclose(f);
    goto out;
  }
  failures = 0;
  err = mmio_mock_expect_trace(m, f);
  fclose(f);
  if (bad != 0) {
    char want[64];
    snprintf(want, sizeof(want), "line %lu ", bad);
    CHECK(err == -EINVAL && failures == 1 && strstr(failure, want) != NULL);
    goto out;
  }
  for (i = 0; i < nrec && expect_err == 0; i++) {
    if (recs[i].offset % recs[i].width != 0)
      expect_err = -EINVAL;
    else if (recs[i].offset > MOCK_LEN - recs[i].width)
      expect_err = MMIO_ERR_OUT_OF_RANGE;
  }
  CHECK(failures == 0);
  if (expect_err != 0) {
    CHECK(err == -EINVAL || err == MMIO_ERR_OUT_OF_RANGE);
    goto out;
  }
  CHECK(err == 0);
  /* The recording, played back, meets every expectation. */
  CHECK(mmio_mock_region(&r, m) == 0);
  for (i = 0; i < nrec; i++)
    CHECK(replay(&r, &recs[i]) == recs[i].err);
  CHECK(mmio_mock_verify(m) == 0 && failures == 0);
out:
  mmio_region_release(&r);
  mmio_mock_destroy(m);
  free(recs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size + 1);
  if (text == NULL) return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  current = text;
  check_line(text);
  check_trace(data, size);
  free(text);
  return 0;
}
