/*
 * The project's own register description format: one statement per line,
 * for devices that have no SVD. Its grammar is in
 * docs/register-descriptions.md; every line is parsed completely and
 * anything else is refused with the file, the line and the reason.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "regs_internal.h"

/* One line split into words, and a description in double quotes. */
#define MMIO__MAX_WORDS 16
struct mmio__line {
  unsigned long no;
  const char *word[MMIO__MAX_WORDS];
  size_t len[MMIO__MAX_WORDS];
  size_t nwords;
  const char *desc; /* builder copy, unescaped; NULL when none */
};

struct mmio__text_state {
  struct mmio__builder *b;
  int in_periph, in_reg, in_field;
  unsigned field_bits; /* the current field's width, for its values */
  const char *field;   /* and its name */
};

static int mmio__word_is(const struct mmio__line *l, size_t i, const char *w) {
  return i < l->nwords && l->len[i] == strlen(w) && strncmp(l->word[i], w, l->len[i]) == 0;
}

/* Splits [p, end) into words; a "..." description ends the line. */
static int mmio__split(struct mmio__builder *b, struct mmio__line *l, const char *p,
                       const char *end) {
  l->nwords = 0;
  l->desc = NULL;
  while (p < end) {
    const char *start;
    if (*p == ' ' || *p == '\t' || *p == '\r') {
      p++;
      continue;
    }
    if (*p == '#') break;
    if (*p == '"') {
      char buf[1024];
      size_t n = 0;
      for (p++; p < end && *p != '"'; p++) {
        if (*p == '\\' && p + 1 < end) p++;
        if (n + 1 >= sizeof(buf)) return mmio__b_fail(b, l->no, "description too long");
        buf[n++] = *p;
      }
      if (p >= end) return mmio__b_fail(b, l->no, "unterminated description (missing \")");
      for (p++; p < end && (*p == ' ' || *p == '\t' || *p == '\r'); p++) {
      }
      if (p < end && *p != '#')
        return mmio__b_fail(b, l->no, "text after the description: '%.*s'", (int)(end - p), p);
      if ((l->desc = mmio__b_string(b, buf, n)) == NULL) return -ENOMEM;
      break;
    }
    if (l->nwords == MMIO__MAX_WORDS) return mmio__b_fail(b, l->no, "too many words");
    start = p;
    while (p < end && *p != ' ' && *p != '\t' && *p != '\r' && *p != '"' && *p != '#')
      p++;
    l->word[l->nwords] = start;
    l->len[l->nwords++] = (size_t)(p - start);
  }
  return 0;
}

/* A number spanning the word: decimal, 0x hex or 0b binary, with '_'
 * separators between digits. */
static int mmio__number(const char *s, size_t n, uint64_t *out) {
  unsigned base = 10, digits = 0;
  uint64_t v = 0;
  size_t i = 0;
  if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    base = 16, i = 2;
  else if (n > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
    base = 2, i = 2;
  for (; i < n; i++) {
    unsigned d;
    const char c = s[i];
    if (c == '_' && digits > 0 && i + 1 < n && s[i + 1] != '_') continue;
    if (c >= '0' && c <= '9')
      d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else
      return -EINVAL;
    if (d >= base || v > (UINT64_MAX - d) / base) return -EINVAL;
    v = v * base + d;
    digits++;
  }
  if (digits == 0) return -EINVAL;
  *out = v;
  return 0;
}

/* A name: letters, digits, '_', '[', ']', '.', and '%' for an array's
 * index; not starting with a digit. */
static int mmio__name_ok(const char *s, size_t n) {
  size_t i;
  if (n == 0 || (s[0] >= '0' && s[0] <= '9')) return 0;
  for (i = 0; i < n; i++) {
    const char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '[' || c == ']' || c == '.' || c == '%'))
      return 0;
  }
  return 1;
}

static const struct {
  const char *word;
  enum mmio_read_effect effect;
} mmio__read_words[] = {
    {"read=clear", MMIO_READ_CLEARS},
    {"read=set", MMIO_READ_SETS},
    {"read=modify", MMIO_READ_MODIFIES},
};

/* Parses the optional words from index first on: access, read=, reset=,
 * dim=, step=. A word none of them knows is an error. */
struct mmio__options {
  enum mmio_access access;
  enum mmio_read_effect read_effect;
  int has_reset;
  uint64_t reset, dim, step;
  int has_width;
  uint64_t width;
};

static int mmio__options(struct mmio__builder *b, const struct mmio__line *l, size_t first,
                         int allow_width, int allow_reset, struct mmio__options *o) {
  size_t i, k;
  for (i = first; i < l->nwords; i++) {
    const char *w = l->word[i];
    const size_t n = l->len[i];
    int known = 0;
    for (k = MMIO_RW; k <= MMIO_WO_ONCE; k++) {
      const char *name = mmio_access_name((enum mmio_access)k);
      if (n == strlen(name) && strncmp(w, name, n) == 0) {
        o->access = (enum mmio_access)k;
        known = 1;
      }
    }
    for (k = 0; k < sizeof(mmio__read_words) / sizeof(mmio__read_words[0]); k++)
      if (n == strlen(mmio__read_words[k].word) && strncmp(w, mmio__read_words[k].word, n) == 0) {
        o->read_effect = mmio__read_words[k].effect;
        known = 1;
      }
    if (known) continue;
    if (allow_reset && n > 6 && strncmp(w, "reset=", 6) == 0) {
      if (mmio__number(w + 6, n - 6, &o->reset) != 0)
        return mmio__b_fail(b, l->no, "'%.*s' is not reset=NUMBER", (int)n, w);
      o->has_reset = 1;
    } else if (allow_width && n > 4 && strncmp(w, "dim=", 4) == 0) {
      if (mmio__number(w + 4, n - 4, &o->dim) != 0 || o->dim == 0 || o->dim > 65536)
        return mmio__b_fail(b, l->no, "'%.*s' is not dim=COUNT (1 to 65536)", (int)n, w);
    } else if (allow_width && n > 5 && strncmp(w, "step=", 5) == 0) {
      if (mmio__number(w + 5, n - 5, &o->step) != 0 || o->step == 0)
        return mmio__b_fail(b, l->no, "'%.*s' is not step=BYTES", (int)n, w);
    } else if (allow_width && !o->has_width && mmio__number(w, n, &o->width) == 0) {
      if (o->width != 8 && o->width != 16 && o->width != 32 && o->width != 64)
        return mmio__b_fail(b, l->no, "register width %.*s is not 8, 16, 32 or 64", (int)n, w);
      o->has_width = 1;
    } else {
      return mmio__b_fail(b, l->no, "unknown word '%.*s'", (int)n, w);
    }
  }
  return 0;
}

static int mmio__need_name(struct mmio__builder *b, const struct mmio__line *l, const char *what,
                           const char **name) {
  if (l->nwords < 2 || !mmio__name_ok(l->word[1], l->len[1]))
    return mmio__b_fail(b, l->no, "%s needs a name (letters, digits, '_', '.', '[]', '%%s')", what);
  *name = mmio__b_string(b, l->word[1], l->len[1]);
  return *name != NULL ? 0 : -ENOMEM;
}

static int mmio__text_device(struct mmio__text_state *s, const struct mmio__line *l) {
  if (l->nwords != 2 || !mmio__name_ok(l->word[1], l->len[1]))
    return mmio__b_fail(s->b, l->no, "expected: device NAME");
  return mmio__b_device(s->b, l->word[1], l->len[1]);
}

/* peripheral NAME [BASE] [from OTHER] ["description"] */
static int mmio__text_periph(struct mmio__text_state *s, const struct mmio__line *l) {
  const char *name, *from = NULL;
  uint64_t base = 0;
  size_t i = 2;
  int err = mmio__need_name(s->b, l, "peripheral", &name);
  if (err != 0) return err;
  if (i < l->nwords && !mmio__word_is(l, i, "from")) {
    if (mmio__number(l->word[i], l->len[i], &base) != 0)
      return mmio__b_fail(s->b, l->no, "'%.*s' is not a base address", (int)l->len[i], l->word[i]);
    i++;
  }
  if (mmio__word_is(l, i, "from")) {
    if (i + 2 != l->nwords || !mmio__name_ok(l->word[i + 1], l->len[i + 1]))
      return mmio__b_fail(s->b, l->no, "expected: peripheral NAME [BASE] from OTHER");
    if ((from = mmio__b_string(s->b, l->word[i + 1], l->len[i + 1])) == NULL) return -ENOMEM;
    i += 2;
  }
  if (i != l->nwords)
    return mmio__b_fail(s->b, l->no, "unknown word '%.*s'", (int)l->len[i], l->word[i]);
  s->in_periph = 1;
  s->in_reg = s->in_field = 0;
  return from != NULL ? mmio__b_periph_alias(s->b, l->no, name, base, l->desc, from)
                      : mmio__b_periph(s->b, l->no, name, base, l->desc);
}

/* register NAME OFFSET [WIDTH] [ACCESS] [read=...] [reset=N] [dim=N step=N] */
static int mmio__text_register(struct mmio__text_state *s, const struct mmio__line *l) {
  struct mmio__options o;
  struct mmio_reg reg;
  const char *name;
  uint64_t offset, k;
  int err;
  if (!s->in_periph) return mmio__b_fail(s->b, l->no, "register outside a peripheral");
  if ((err = mmio__need_name(s->b, l, "register", &name)) != 0) return err;
  if (l->nwords < 3 || mmio__number(l->word[2], l->len[2], &offset) != 0)
    return mmio__b_fail(s->b, l->no, "expected: register NAME OFFSET [WIDTH] [ACCESS] ...");
  memset(&o, 0, sizeof(o));
  o.width = 32;
  o.dim = 1;
  if ((err = mmio__options(s->b, l, 3, 1, 1, &o)) != 0) return err;
  if (o.dim > 1 && strstr(name, "%s") == NULL)
    return mmio__b_fail(s->b, l->no, "register %s has dim= but no %%s for the index", name);
  if (o.step == 0) o.step = o.width / 8;
  memset(&reg, 0, sizeof(reg));
  reg.width = (unsigned)(o.width / 8);
  reg.access = o.access;
  reg.read_effect = o.read_effect;
  reg.reset = o.reset;
  reg.reset_mask = o.has_reset ? mmio__width_mask(reg.width) : 0;
  reg.description = l->desc;
  if (o.has_reset && (o.reset & ~mmio__width_mask(reg.width)))
    return mmio__b_fail(s->b, l->no, "reset value of %s is wider than its %u bits", name,
                        (unsigned)o.width);
  s->in_reg = 1;
  s->in_field = 0;
  for (k = 0; k < o.dim; k++) {
    const char *pct = strstr(name, "%s");
    if (o.dim > 1 || pct != NULL) {
      if (pct == NULL) return mmio__b_fail(s->b, l->no, "internal: no %%s");
      reg.name = mmio__b_printf(s->b, "%.*s%llu%s", (int)(pct - name), name, (unsigned long long)k,
                                pct + 2);
    } else {
      reg.name = name;
    }
    if (reg.name == NULL) return -ENOMEM;
    if (k > 0 && offset > UINT64_MAX - o.step)
      return mmio__b_fail(s->b, l->no, "register array %s runs past 2^64", name);
    reg.offset = offset + k * o.step;
    if ((err = mmio__b_reg(s->b, l->no, &reg)) != 0) return err;
  }
  /* Fields after an array apply to its last element only: say so. */
  if (o.dim > 1) s->in_reg = 2;
  return 0;
}

/* field NAME BITS [ACCESS] [read=...] */
static int mmio__text_field(struct mmio__text_state *s, const struct mmio__line *l) {
  struct mmio__options o;
  struct mmio_field f;
  const char *colon;
  uint64_t hi, lo;
  int err;
  if (!s->in_reg) return mmio__b_fail(s->b, l->no, "field outside a register");
  if (s->in_reg == 2)
    return mmio__b_fail(s->b, l->no,
                        "a register with dim= cannot have fields; list them before "
                        "repeating it, or write the registers out");
  if ((err = mmio__need_name(s->b, l, "field", &f.name)) != 0) return err;
  if (l->nwords < 3) return mmio__b_fail(s->b, l->no, "expected: field NAME BIT or HI:LO ...");
  colon = memchr(l->word[2], ':', l->len[2]);
  if (colon != NULL) {
    if (mmio__number(l->word[2], (size_t)(colon - l->word[2]), &hi) != 0 ||
        mmio__number(colon + 1, l->len[2] - (size_t)(colon - l->word[2]) - 1, &lo) != 0)
      return mmio__b_fail(s->b, l->no, "'%.*s' is not HI:LO", (int)l->len[2], l->word[2]);
  } else if (mmio__number(l->word[2], l->len[2], &hi) == 0) {
    lo = hi;
  } else {
    return mmio__b_fail(s->b, l->no, "'%.*s' is not a bit or HI:LO", (int)l->len[2], l->word[2]);
  }
  if (hi > 63 || lo > 63 || lo > hi)
    return mmio__b_fail(s->b, l->no, "bits %.*s: need 63 >= HI >= LO", (int)l->len[2], l->word[2]);
  memset(&o, 0, sizeof(o));
  if ((err = mmio__options(s->b, l, 3, 0, 0, &o)) != 0) return err;
  f.lsb = (unsigned)lo;
  f.msb = (unsigned)hi;
  f.access = o.access;
  f.read_effect = o.read_effect;
  f.enums = NULL;
  f.nenums = 0;
  f.description = l->desc;
  s->in_field = 1;
  s->field_bits = f.msb - f.lsb + 1;
  s->field = f.name;
  return mmio__b_field(s->b, l->no, &f);
}

/* value NAME NUMBER */
static int mmio__text_value(struct mmio__text_state *s, const struct mmio__line *l) {
  struct mmio_enum e;
  int err;
  if (!s->in_field) return mmio__b_fail(s->b, l->no, "value outside a field");
  if ((err = mmio__need_name(s->b, l, "value", &e.name)) != 0) return err;
  if (l->nwords != 3 || mmio__number(l->word[2], l->len[2], &e.value) != 0)
    return mmio__b_fail(s->b, l->no, "expected: value NAME NUMBER");
  /* A value the field cannot hold could be neither written nor read. */
  if (s->field_bits < 64 && (e.value >> s->field_bits) != 0)
    return mmio__b_fail(s->b, l->no, "value %s (%.*s) does not fit the %u bits of field %s", e.name,
                        (int)l->len[2], l->word[2], s->field_bits, s->field);
  e.usage = 0;
  e.description = l->desc;
  return mmio__b_enum(s->b, l->no, &e);
}

int mmio__text_parse(struct mmio__builder *b, const char *data, size_t len) {
  static const struct {
    const char *keyword;
    int (*parse)(struct mmio__text_state *s, const struct mmio__line *l);
  } statements[] = {
      {"device", mmio__text_device},     {"peripheral", mmio__text_periph},
      {"register", mmio__text_register}, {"field", mmio__text_field},
      {"value", mmio__text_value},
  };
  struct mmio__text_state s;
  struct mmio__line l;
  const char *p = data, *end = data + len;
  size_t k;
  int err = 0;
  memset(&s, 0, sizeof(s));
  s.b = b;
  memset(&l, 0, sizeof(l));
  while (err == 0 && p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (eol == NULL) eol = end;
    l.no++;
    if (memchr(p, '\0', (size_t)(eol - p)) != NULL)
      return mmio__b_fail(b, l.no, "a NUL byte: not a text description");
    err = mmio__split(b, &l, p, eol);
    p = eol < end ? eol + 1 : end;
    if (err != 0 || l.nwords == 0) continue;
    for (k = 0; k < sizeof(statements) / sizeof(statements[0]); k++)
      if (mmio__word_is(&l, 0, statements[k].keyword)) break;
    if (k == sizeof(statements) / sizeof(statements[0]))
      return mmio__b_fail(b, l.no,
                          "unknown statement '%.*s' (expected device, peripheral, register, "
                          "field or value)",
                          (int)l.len[0], l.word[0]);
    err = statements[k].parse(&s, &l);
  }
  return err;
}
