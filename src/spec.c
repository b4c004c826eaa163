/*
 * Parsing source spec strings.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "mmio/open.h"

const char *mmio_spec_forms(void) {
  return "pci:DDDD:BB:DD.F/barN[@OFF][+LEN]\n"
         "vfio:DDDD:BB:DD.F/barN[@OFF][+LEN]\n"
         "uio:uioN/mapM[@OFF][+LEN]\n"
         "phys:ADDR+LEN\n"
         "shm:NAME[+SIZE]\n"
         "file:PATH[@OFF][+LEN]\n";
}

static int mmio__spec_fail(char *why, size_t cap, const char *fmt, ...) {
  va_list ap;
  if (why != NULL && cap > 0) {
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
  }
  return MMIO_ERR_BAD_SPEC;
}

/*
 * Parses a number that spans exactly [s, end): decimal or 0x hex, with an
 * optional k/M/G suffix. Returns 0 or -EINVAL (also on overflow).
 */
static int mmio__spec_number(const char *s, const char *end, uint64_t *out) {
  uint64_t v = 0, mul = 1;
  unsigned base = 10;
  const char *p = s;
  if (end > s && (end[-1] == 'k' || end[-1] == 'K')) mul = 1ull << 10, end--;
  else if (end > s && end[-1] == 'M') mul = 1ull << 20, end--;
  else if (end > s && end[-1] == 'G') mul = 1ull << 30, end--;
  if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) base = 16, p += 2;
  if (p >= end) return -EINVAL;
  for (; p < end; p++) {
    unsigned d;
    if (*p >= '0' && *p <= '9') d = (unsigned)(*p - '0');
    else if (base == 16 && *p >= 'a' && *p <= 'f') d = (unsigned)(*p - 'a' + 10);
    else if (base == 16 && *p >= 'A' && *p <= 'F') d = (unsigned)(*p - 'A' + 10);
    else return -EINVAL;
    if (v > (UINT64_MAX - d) / base) return -EINVAL;
    v = v * base + d;
  }
  if (v > UINT64_MAX / mul) return -EINVAL;
  *out = v * mul;
  return 0;
}

/* Parses "[@OFF][+LEN]" that spans [s, end). */
static int mmio__spec_window(const char *s, const char *end, struct mmio_spec *out,
                             char *why, size_t cap) {
  const char *plus = memchr(s, '+', (size_t)(end - s));
  const char *at_end = plus != NULL ? plus : end;
  if (s < at_end) {
    if (*s != '@' || mmio__spec_number(s + 1, at_end, &out->offset) != 0)
      return mmio__spec_fail(why, cap, "'%.*s' is not @OFFSET", (int)(at_end - s), s);
  }
  if (plus != NULL) {
    if (mmio__spec_number(plus + 1, end, &out->length) != 0 || out->length == 0)
      return mmio__spec_fail(why, cap, "'%.*s' is not +LENGTH (a nonzero number)",
                             (int)(end - plus), plus);
  }
  return 0;
}

static int mmio__hex_field(const char *s, size_t n, unsigned max, unsigned *out) {
  unsigned v = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    char c = s[i];
    unsigned d;
    if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
    else return -EINVAL;
    v = v * 16 + d;
  }
  if (v > max) return -EINVAL;
  *out = v;
  return 0;
}

int mmio__pci_canonical(const char *s, size_t n, char out[13]) {
  unsigned dom = 0, bus, dev, fn;
  if (n == 7) { /* BB:DD.F */
    if (s[2] != ':' || s[5] != '.') return -EINVAL;
  } else if (n == 12) { /* DDDD:BB:DD.F */
    if (s[4] != ':' || mmio__hex_field(s, 4, 0xffff, &dom) != 0) return -EINVAL;
    s += 5;
    if (s[2] != ':' || s[5] != '.') return -EINVAL;
  } else {
    return -EINVAL;
  }
  if (mmio__hex_field(s, 2, 0xff, &bus) != 0 || mmio__hex_field(s + 3, 2, 0x1f, &dev) != 0 ||
      mmio__hex_field(s + 6, 1, 7, &fn) != 0)
    return -EINVAL;
  snprintf(out, 13, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
  return 0;
}

/*
 * Parses "<word>N[@OFF][+LEN]" at p (after the device name): "bar0@0x10",
 * "map1+4k". N must be at most max; what names it in messages.
 */
static int mmio__spec_indexed(const char *p, const char *word, unsigned max,
                              const char *what, struct mmio_spec *out, char *why, size_t cap) {
  const size_t n = strlen(word);
  const char *num_end;
  uint64_t index;
  if (strncmp(p, word, n) != 0)
    return mmio__spec_fail(why, cap, "expected %sN after the %s, got '%s'", word, what, p);
  p += n;
  num_end = p;
  while (*num_end >= '0' && *num_end <= '9') num_end++;
  if (mmio__spec_number(p, num_end, &index) != 0 || index > max)
    return mmio__spec_fail(why, cap, "%s number must be 0 to %u, got '%.*s'",
                           strcmp(word, "bar") == 0 ? "BAR" : "UIO map", max,
                           (int)(num_end - p), p);
  out->index = (unsigned)index;
  return mmio__spec_window(num_end, num_end + strlen(num_end), out, why, cap);
}

/* "BDF/barN[window]" for pci: and vfio:. */
static int mmio__spec_pci(const char *s, struct mmio_spec *out, char *why, size_t cap) {
  const char *slash = strchr(s, '/');
  if (slash == NULL || mmio__pci_canonical(s, (size_t)(slash - s), out->name) != 0)
    return mmio__spec_fail(why, cap, "'%.*s' is not a PCI address like 0000:00:02.0",
                           (int)(slash != NULL ? slash - s : (ptrdiff_t)strlen(s)), s);
  return mmio__spec_indexed(slash + 1, "bar", 5, "PCI address", out, why, cap);
}

static int mmio__spec_uio(const char *s, struct mmio_spec *out, char *why, size_t cap) {
  const char *slash = strchr(s, '/');
  uint64_t n;
  size_t namelen = slash != NULL ? (size_t)(slash - s) : 0;
  if (slash == NULL || namelen < 4 || strncmp(s, "uio", 3) != 0 ||
      mmio__spec_number(s + 3, slash, &n) != 0 || (s[3] == '0' && namelen > 4))
    return mmio__spec_fail(why, cap, "'%.*s' is not a UIO device name like uio0",
                           (int)(slash != NULL ? namelen : strlen(s)), s);
  memcpy(out->name, s, namelen);
  out->name[namelen] = '\0';
  return mmio__spec_indexed(slash + 1, "map", 4, "UIO device", out, why, cap);
}

static int mmio__spec_phys(const char *s, struct mmio_spec *out, char *why, size_t cap) {
  const char *plus = strchr(s, '+');
  if (plus == NULL || mmio__spec_number(s, plus, &out->offset) != 0)
    return mmio__spec_fail(why, cap, "expected phys:ADDR+LEN, got 'phys:%s'", s);
  if (mmio__spec_number(plus + 1, plus + strlen(plus), &out->length) != 0 || out->length == 0)
    return mmio__spec_fail(why, cap, "'%s' is not +LENGTH (a nonzero number)", plus);
  return 0;
}

static int mmio__spec_shm(const char *s, struct mmio_spec *out, char *why, size_t cap) {
  const char *plus = strchr(s, '+');
  size_t n = plus != NULL ? (size_t)(plus - s) : strlen(s);
  if (n == 0 || n > 255 || memchr(s, '/', n) != NULL)
    return mmio__spec_fail(why, cap, "shm name must be 1 to 255 characters without '/'");
  memcpy(out->name, s, n);
  out->name[n] = '\0';
  if (plus != NULL &&
      (mmio__spec_number(plus + 1, plus + strlen(plus), &out->length) != 0 || out->length == 0))
    return mmio__spec_fail(why, cap, "'%s' is not +SIZE (a nonzero number)", plus);
  return 0;
}

/*
 * file:PATH[@OFF][+LEN]: the window is taken from the end of the string,
 * and only when it parses, so that paths containing '@' or '+' still work.
 */
static int mmio__spec_file(const char *s, struct mmio_spec *out, char *why, size_t cap) {
  const char *end = s + strlen(s);
  const char *plus = strrchr(s, '+');
  const char *at;
  if (plus != NULL && mmio__spec_number(plus + 1, end, &out->length) == 0 && out->length > 0)
    end = plus;
  else
    out->length = 0;
  at = NULL;
  for (const char *q = end; q > s; q--)
    if (q[-1] == '@') {
      at = q - 1;
      break;
    }
  if (at != NULL && mmio__spec_number(at + 1, end, &out->offset) == 0)
    end = at;
  else
    out->offset = 0;
  if (end == s || (size_t)(end - s) >= sizeof(out->name))
    return mmio__spec_fail(why, cap, "file path is empty or too long");
  memcpy(out->name, s, (size_t)(end - s));
  out->name[end - s] = '\0';
  return 0;
}

int mmio_spec_parse(const char *text, struct mmio_spec *out, char *why, size_t cap) {
  static const struct {
    const char *prefix;
    enum mmio_source source;
  } kinds[] = {{"pci:", MMIO_SOURCE_PCI},   {"vfio:", MMIO_SOURCE_VFIO},
               {"uio:", MMIO_SOURCE_UIO},   {"phys:", MMIO_SOURCE_PHYS},
               {"shm:", MMIO_SOURCE_SHM},   {"file:", MMIO_SOURCE_FILE}};
  size_t i;
  int err;
  if (why != NULL && cap > 0) why[0] = '\0';
  if (text == NULL || out == NULL) return -EINVAL;
  memset(out, 0, sizeof(*out));
  for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
    size_t n = strlen(kinds[i].prefix);
    if (strncmp(text, kinds[i].prefix, n) != 0) continue;
    out->source = kinds[i].source;
    switch (out->source) {
    case MMIO_SOURCE_PCI:
    case MMIO_SOURCE_VFIO: err = mmio__spec_pci(text + n, out, why, cap); break;
    case MMIO_SOURCE_UIO: err = mmio__spec_uio(text + n, out, why, cap); break;
    case MMIO_SOURCE_PHYS: err = mmio__spec_phys(text + n, out, why, cap); break;
    case MMIO_SOURCE_SHM: err = mmio__spec_shm(text + n, out, why, cap); break;
    default: err = mmio__spec_file(text + n, out, why, cap); break;
    }
    if (err != 0) memset(out, 0, sizeof(*out));
    return err;
  }
  return mmio__spec_fail(why, cap, "unknown source '%.*s' (expected pci:, vfio:, uio:, "
                                   "phys:, shm: or file:)",
                         (int)strcspn(text, ":"), text);
}
