/*
 * Fuzzes the spec parser (mmio_spec_parse) against the grammar in
 * mmio/open.h: whatever it accepts must satisfy the grammar's rules, and
 * must come back the same when written out again in canonical form and
 * parsed once more; whatever it refuses must be MMIO_ERR_BAD_SPEC with a
 * reason and a zeroed result. A truncated reason buffer must stay in
 * bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmio/mmio.h>

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "fuzz_spec: %s:%d: %s fails for \"%s\"\n", __FILE__, __LINE__, #cond, text); \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

static int is_hex_lower(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

/* NAME of the grammar: 1 to 255 of [A-Za-z0-9._-], not "." or "..". */
static int name_ok(const char *s) {
  size_t n = strlen(s), i;
  if (n == 0 || n > 255 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) return 0;
  for (i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
          (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
      return 0;
  return 1;
}

/* The canonical PCI address: 4 to 8 lower-case hex digits of domain, then
 * ":bb:ss.f" with slot up to 1f and function up to 7. */
static int canonical_pci(const char *s) {
  size_t n = strlen(s), d, i;
  if (n < 12 || n > 16) return 0;
  d = n - 8;
  for (i = 0; i < d; i++)
    if (!is_hex_lower(s[i])) return 0;
  if (d > 4 && s[0] == '0') return 0; /* only as wide as it must be */
  s += d;
  return s[0] == ':' && is_hex_lower(s[1]) && is_hex_lower(s[2]) && s[3] == ':' &&
         (s[4] == '0' || s[4] == '1') && is_hex_lower(s[5]) && s[6] == '.' && s[7] >= '0' &&
         s[7] <= '7';
}

/* "uio" and a decimal number without leading zeros. */
static int uio_number(const char *s) {
  size_t i;
  if (strncmp(s, "uio", 3) != 0 || s[3] == '\0' || (s[3] == '0' && s[4] != '\0')) return 0;
  for (i = 3; s[i] != '\0'; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

/* The grammar's rules, checked on an accepted spec. */
static void check_accepted(const char *text, const struct mmio_spec *s) {
  size_t i, n = strlen(s->name);
  CHECK(n < sizeof(s->name) && (n > 0) == (s->source != MMIO_SOURCE_PHYS));
  for (i = 0; i < n; i++)
    CHECK((unsigned char)s->name[i] >= 0x20 && s->name[i] != 0x7f);
  CHECK(s->length == 0 || s->offset <= UINT64_MAX - s->length);
  switch (s->source) {
  case MMIO_SOURCE_PCI:
  case MMIO_SOURCE_VFIO:
  case MMIO_SOURCE_UIO:
    /* The region part is optional (a device spec), and then so is
     * everything after it. */
    if (s->has_region)
      CHECK(s->index <= (s->source == MMIO_SOURCE_UIO ? 4u : 5u));
    else
      CHECK(s->index == 0 && s->offset == 0 && s->length == 0);
    if (s->by == MMIO_SPEC_BY_ID) {
      CHECK(s->source != MMIO_SOURCE_UIO);
      CHECK(n == 9 && s->name[4] == ':');
    } else if (s->by == MMIO_SPEC_BY_NAME) {
      CHECK(s->source == MMIO_SOURCE_UIO);
      CHECK(name_ok(s->name) &&
            !(strncmp(s->name, "uio", 3) == 0 && s->name[3] >= '0' && s->name[3] <= '9'));
    } else {
      CHECK(canonical_pci(s->name) || (s->source == MMIO_SOURCE_UIO && uio_number(s->name)));
      CHECK(!s->has_instance);
    }
    CHECK(s->has_instance || s->instance == 0);
    break;
  case MMIO_SOURCE_PHYS:
    CHECK(s->length != 0 && !s->has_region);
    break;
  case MMIO_SOURCE_SHM:
    CHECK(name_ok(s->name) && s->offset == 0 && !s->has_region);
    break;
  case MMIO_SOURCE_FILE:
    CHECK(!s->has_region);
    break;
  default:
    CHECK(!"a source the grammar does not have");
  }
}

static const char *source_prefix(enum mmio_source source) {
  switch (source) {
  case MMIO_SOURCE_PCI:
    return "pci:";
  case MMIO_SOURCE_VFIO:
    return "vfio:";
  case MMIO_SOURCE_UIO:
    return "uio:";
  case MMIO_SOURCE_PHYS:
    return "phys:";
  case MMIO_SOURCE_SHM:
    return "shm:";
  default:
    return "file:";
  }
}

/* Writes s out in the grammar's forms, hex numbers, every part spelled. */
static void unparse(char *buf, size_t cap, const struct mmio_spec *s) {
  size_t n = (size_t)snprintf(buf, cap, "%s", source_prefix(s->source));
  const unsigned long long off = s->offset, len = s->length;
  if (s->source == MMIO_SOURCE_PHYS) {
    snprintf(buf + n, cap - n, "0x%llx+0x%llx", off, len);
    return;
  }
  n += (size_t)snprintf(buf + n, cap - n, "%s", s->name);
  if (s->has_instance) n += (size_t)snprintf(buf + n, cap - n, "#%u", s->instance);
  if (s->has_region)
    n += (size_t)snprintf(buf + n, cap - n, "/%s%u", s->source == MMIO_SOURCE_UIO ? "map" : "bar",
                          s->index);
  /* A file's window is always written, so that a path ending in what
   * looks like one is never read back as one. */
  if (s->offset != 0 || s->source == MMIO_SOURCE_FILE)
    n += (size_t)snprintf(buf + n, cap - n, "@0x%llx", off);
  if (s->length != 0) snprintf(buf + n, cap - n, "+0x%llx", len);
}

static void same_spec(const char *text, const struct mmio_spec *a, const struct mmio_spec *b) {
  CHECK(a->source == b->source && a->by == b->by);
  CHECK(strcmp(a->name, b->name) == 0);
  CHECK(a->vendor == b->vendor && a->device == b->device);
  CHECK(a->instance == b->instance && a->has_instance == b->has_instance);
  CHECK(a->has_region == b->has_region && a->index == b->index);
  CHECK(a->offset == b->offset && a->length == b->length);
}

static int all_zero(const void *p, size_t n) {
  const unsigned char *b = p;
  size_t i;
  for (i = 0; i < n; i++)
    if (b[i] != 0) return 0;
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static struct mmio_spec s, again;
  static char canon[sizeof(s.name) + 128];
  char why[256];
  char *text = malloc(size + 1);
  char *small;
  int err;
  if (text == NULL) return 0;
  memcpy(text, data, size);
  text[size] = '\0';

  memset(&s, 0xa5, sizeof(s));
  err = mmio_spec_parse(&s, text, why, sizeof(why));
  if (err == 0) {
    check_accepted(text, &s);
    unparse(canon, sizeof(canon), &s);
    CHECK(mmio_spec_parse(&again, canon, why, sizeof(why)) == 0);
    same_spec(text, &s, &again);
  } else {
    CHECK(err == MMIO_ERR_BAD_SPEC);
    CHECK(why[0] != '\0' && strlen(why) < sizeof(why));
    CHECK(all_zero(&s, sizeof(s)));
  }

  /* The reason is cut to the buffer it is given, never written past it. */
  small = malloc(7);
  if (small != NULL) {
    CHECK(mmio_spec_parse(&again, text, small, 7) == err);
    CHECK(err == 0 || strlen(small) < 7);
    free(small);
  }
  free(text);
  return 0;
}
