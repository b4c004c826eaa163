/*
 * Parsing source spec strings, by the grammar in mmio/open.h: everything
 * the grammar does not allow is refused with a reason.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "open_internal.h"

const char *mmio_spec_forms(void) {
  return "pci:DDDD:BB:DD.F/barN[@OFF][+LEN]   or pci:VVVV:DDDD[#N]/barN... (vendor:device)\n"
         "vfio:DDDD:BB:DD.F/barN[@OFF][+LEN]  or vfio:VVVV:DDDD[#N]/barN...\n"
         "uio:uioN/mapM[@OFF][+LEN]           or uio:NAME[#N]/mapM..., uio:DDDD:BB:DD.F/mapM...\n"
         "phys:ADDR+LEN\n"
         "shm:NAME[+SIZE]\n"
         "file:PATH[@OFF][+LEN]\n";
}

static int mmio__spec_fail(char *why, size_t cap, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int mmio__spec_fail(char *why, size_t cap, const char *fmt, ...) {
  va_list ap;
  if (why != NULL && cap > 0) {
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
  }
  return MMIO_ERR_BAD_SPEC;
}

static int mmio__is_digit(char c) { return c >= '0' && c <= '9'; }

static int mmio__hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decimal digits spanning exactly [s, end), no leading zeros. */
static int mmio__decimal(const char *s, const char *end, uint64_t *out) {
  uint64_t v = 0;
  if (s >= end || (s[0] == '0' && end - s > 1)) return -EINVAL;
  for (; s < end; s++) {
    if (!mmio__is_digit(*s)) return -EINVAL;
    if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) return -EINVAL;
    v = v * 10 + (uint64_t)(*s - '0');
  }
  *out = v;
  return 0;
}

/* NUMBER spanning exactly [s, end): decimal or 0x hex, then k/K/M/G. */
static int mmio__spec_number(const char *s, const char *end, uint64_t *out) {
  uint64_t v = 0, mul = 1;
  if (end > s && (end[-1] == 'k' || end[-1] == 'K'))
    mul = 1ull << 10, end--;
  else if (end > s && end[-1] == 'M')
    mul = 1ull << 20, end--;
  else if (end > s && end[-1] == 'G')
    mul = 1ull << 30, end--;
  if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    for (s += 2; s < end; s++) {
      int d = mmio__hex_value(*s);
      if (d < 0 || v > (UINT64_MAX >> 4)) return -EINVAL;
      v = v << 4 | (uint64_t)d;
    }
  } else if (mmio__decimal(s, end, &v) != 0) {
    return -EINVAL;
  }
  if (v > UINT64_MAX / mul) return -EINVAL;
  *out = v * mul;
  return 0;
}

/* "[@OFF][+LEN]" spanning [s, end). */
static int mmio__spec_window(const char *s, const char *end, struct mmio_spec *out, char *why,
                             size_t cap) {
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
    if (out->offset > UINT64_MAX - out->length)
      return mmio__spec_fail(why, cap,
                             "the window @0x%llx+0x%llx runs past the end of the "
                             "64-bit address space",
                             (unsigned long long)out->offset, (unsigned long long)out->length);
  }
  return 0;
}

/* "#N" spanning [s, end), or nothing. */
static int mmio__spec_instance(const char *s, const char *end, struct mmio_spec *out, char *why,
                               size_t cap) {
  uint64_t n;
  if (s == end) return 0;
  if (*s != '#' || mmio__decimal(s + 1, end, &n) != 0 || n > 0xffff)
    return mmio__spec_fail(why, cap, "'%.*s' is not #N (which match, from #0)", (int)(end - s), s);
  out->instance = (unsigned)n;
  out->has_instance = 1;
  return 0;
}

/* "<word>N[@OFF][+LEN]" spanning [p, end): "bar0@0x10", "map1+4k". */
static int mmio__spec_region(const char *p, const char *end, const char *word, unsigned max,
                             const char *what, struct mmio_spec *out, char *why, size_t cap) {
  const size_t n = strlen(word);
  const char *num_end;
  uint64_t index;
  if ((size_t)(end - p) < n || strncmp(p, word, n) != 0)
    return mmio__spec_fail(why, cap, "expected %sN after the %s, got '%.*s'", word, what,
                           (int)(end - p), p);
  p += n;
  num_end = p;
  while (num_end < end && mmio__is_digit(*num_end))
    num_end++;
  if (mmio__decimal(p, num_end, &index) != 0 || index > max)
    return mmio__spec_fail(why, cap, "%s number must be 0 to %u, got '%.*s'",
                           strcmp(word, "bar") == 0 ? "BAR" : "UIO map", max, (int)(num_end - p),
                           p);
  out->has_region = 1;
  out->index = (unsigned)index;
  return mmio__spec_window(num_end, end, out, why, cap);
}

/* "hhhh:hhhh" spanning exactly [s, end). */
static int mmio__spec_id(const char *s, const char *end, struct mmio_spec *out) {
  unsigned v = 0, d = 0;
  int i;
  if (end - s != 9 || s[4] != ':') return -EINVAL;
  for (i = 0; i < 9; i++) {
    int h;
    if (i == 4) continue;
    h = mmio__hex_value(s[i]);
    if (h < 0) return -EINVAL;
    if (i < 4)
      v = v << 4 | (unsigned)h;
    else
      d = d << 4 | (unsigned)h;
  }
  out->vendor = (uint16_t)v;
  out->device = (uint16_t)d;
  snprintf(out->name, sizeof(out->name), "%04x:%04x", v, d);
  out->by = MMIO_SPEC_BY_ID;
  return 0;
}

/* The device part of pci: and vfio:, spanning [s, end). */
static int mmio__spec_pci_device(const char *s, const char *end, struct mmio_spec *out, char *why,
                                 size_t cap) {
  const char *hash = memchr(s, '#', (size_t)(end - s));
  const char *id_end = hash != NULL ? hash : end;
  char canon[MMIO__PCI_ADDR_MAX];
  if (hash == NULL && mmio__pci_addr_parse(s, (size_t)(end - s), canon) == 0) {
    snprintf(out->name, sizeof(out->name), "%s", canon);
    return 0;
  }
  if (mmio__spec_id(s, id_end, out) != 0)
    return mmio__spec_fail(why, cap,
                           "'%.*s' is not a PCI address like 0000:00:02.0 or a vendor:device "
                           "ID like 8086:100e",
                           (int)(end - s), s);
  return mmio__spec_instance(id_end, end, out, why, cap);
}

/* The device part of uio:, spanning [s, end). */
static int mmio__spec_uio_device(const char *s, const char *end, struct mmio_spec *out, char *why,
                                 size_t cap) {
  const char *hash = memchr(s, '#', (size_t)(end - s));
  const char *name_end = hash != NULL ? hash : end;
  const size_t n = (size_t)(name_end - s);
  char canon[MMIO__PCI_ADDR_MAX];
  uint64_t num;
  if (n > 3 && strncmp(s, "uio", 3) == 0 && mmio__is_digit(s[3])) {
    /* A device number, all digits: uio1k and uio01 are mistakes. */
    if (hash != NULL || mmio__decimal(s + 3, name_end, &num) != 0 || num > 99999999)
      return mmio__spec_fail(why, cap, "'%.*s' is not a UIO device name like uio0", (int)(end - s),
                             s);
    snprintf(out->name, sizeof(out->name), "uio%u", (unsigned)num);
    return 0;
  }
  if (hash == NULL && mmio__pci_addr_parse(s, n, canon) == 0) {
    snprintf(out->name, sizeof(out->name), "%s", canon);
    return 0;
  }
  if (!mmio__shm_name_ok(s, n))
    return mmio__spec_fail(why, cap,
                           "'%.*s' is not a UIO device name like uio0, a PCI address, or a "
                           "UIO name (letters, digits, '.', '_', '-')",
                           (int)(end - s), s);
  memcpy(out->name, s, n);
  out->name[n] = '\0';
  out->by = MMIO_SPEC_BY_NAME;
  return mmio__spec_instance(name_end, end, out, why, cap);
}

/* pci:, vfio: and uio: are DEVICE[/REGION]. */
static int mmio__spec_device(const char *s, struct mmio_spec *out, char *why, size_t cap,
                             int need_region) {
  const int uio = out->source == MMIO_SOURCE_UIO;
  const char *end = s + strlen(s);
  const char *slash = strchr(s, '/');
  const char *dev_end = slash != NULL ? slash : end;
  int err = uio ? mmio__spec_uio_device(s, dev_end, out, why, cap)
                : mmio__spec_pci_device(s, dev_end, out, why, cap);
  if (err != 0) return err;
  if (slash == NULL) {
    if (!need_region) return 0;
    return mmio__spec_fail(why, cap,
                           uio ? "'%s' is not a UIO device with a map (add /mapM, e.g. /map0)"
                               : "'%s' is not a PCI address with a BAR (add /barN, e.g. /bar0)",
                           s);
  }
  return uio ? mmio__spec_region(slash + 1, end, "map", 4, "UIO device", out, why, cap)
             : mmio__spec_region(slash + 1, end, "bar", 5, "PCI address", out, why, cap);
}

static int mmio__spec_phys(const char *s, struct mmio_spec *out, char *why, size_t cap,
                           int need_region) {
  const char *end = s + strlen(s);
  const char *plus = strchr(s, '+');
  (void)need_region;
  if (plus == NULL || mmio__spec_number(s, plus, &out->offset) != 0)
    return mmio__spec_fail(why, cap, "expected phys:ADDR+LEN, got 'phys:%s'", s);
  return mmio__spec_window(plus, end, out, why, cap);
}

static int mmio__spec_shm(const char *s, struct mmio_spec *out, char *why, size_t cap,
                          int need_region) {
  const char *plus = strchr(s, '+');
  size_t n = plus != NULL ? (size_t)(plus - s) : strlen(s);
  (void)need_region;
  if (!mmio__shm_name_ok(s, n))
    return mmio__spec_fail(why, cap,
                           "shm name must be 1 to 255 letters, digits, '.', '_' or '-' (not "
                           "'.' or '..'), got '%.*s'",
                           (int)n, s);
  memcpy(out->name, s, n);
  out->name[n] = '\0';
  if (plus != NULL &&
      (mmio__spec_number(plus + 1, plus + strlen(plus), &out->length) != 0 || out->length == 0))
    return mmio__spec_fail(why, cap, "'%s' is not +SIZE (a nonzero number)", plus);
  return 0;
}

/*
 * file:PATH[@OFF][+LEN]: the window is the numeric tail after the last
 * '/', so that paths containing '@' or '+' still work; a '+' or '@'
 * followed by a digit there is a window, and must be a valid one.
 */
static int mmio__spec_file(const char *s, struct mmio_spec *out, char *why, size_t cap,
                           int need_region) {
  const char *end = s + strlen(s);
  const char *base = strrchr(s, '/');
  const char *p, *plus = NULL, *at = NULL;
  (void)need_region;
  base = base != NULL ? base + 1 : s;
  for (p = end; p > base; p--)
    if (p[-1] == '+' && plus == NULL && mmio__is_digit(*p)) plus = p - 1;
  if (plus != NULL) end = plus;
  for (p = end; p > base; p--)
    if (p[-1] == '@' && mmio__is_digit(*p)) {
      at = p - 1;
      break;
    }
  if (at != NULL || plus != NULL) {
    int err = mmio__spec_window(at != NULL ? at : end, s + strlen(s), out, why, cap);
    if (err != 0) return err;
    if (at != NULL) end = at;
  }
  if (end == s || (size_t)(end - s) >= sizeof(out->name))
    return mmio__spec_fail(why, cap, "file path is empty or too long");
  for (p = s; p < end; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f)
      return mmio__spec_fail(why, cap, "file path contains a control character");
  memcpy(out->name, s, (size_t)(end - s));
  out->name[end - s] = '\0';
  return 0;
}

int mmio__spec_parse(struct mmio_spec *out, const char *text, char *why, size_t cap,
                     int need_region) {
  static const struct {
    const char *prefix;
    enum mmio_source source;
    int (*parse)(const char *s, struct mmio_spec *out, char *why, size_t cap, int need_region);
  } kinds[] = {
      {"pci:", MMIO_SOURCE_PCI, mmio__spec_device}, {"vfio:", MMIO_SOURCE_VFIO, mmio__spec_device},
      {"uio:", MMIO_SOURCE_UIO, mmio__spec_device}, {"phys:", MMIO_SOURCE_PHYS, mmio__spec_phys},
      {"shm:", MMIO_SOURCE_SHM, mmio__spec_shm},    {"file:", MMIO_SOURCE_FILE, mmio__spec_file},
  };
  size_t i;
  int err;
  if (why != NULL && cap > 0) why[0] = '\0';
  if (text == NULL || out == NULL) return -EINVAL;
  memset(out, 0, sizeof(*out));
  for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
    size_t n = strlen(kinds[i].prefix);
    if (strncmp(text, kinds[i].prefix, n) != 0) continue;
    out->source = kinds[i].source;
    err = kinds[i].parse(text + n, out, why, cap, need_region);
    if (err != 0) memset(out, 0, sizeof(*out));
    return err;
  }
  return mmio__spec_fail(why, cap,
                         "unknown source '%.*s' (expected pci:, vfio:, uio:, phys:, shm: or file:)",
                         (int)strcspn(text, ":"), text);
}

int mmio_spec_parse(struct mmio_spec *out, const char *text, char *why, size_t cap) {
  return mmio__spec_parse(out, text, why, cap, 0);
}
