/*
 * CMSIS-SVD descriptions. libexpat reads the XML into a small tree of
 * elements (kept only while loading); the tree is then walked with the
 * schema's rules and fed to the builder:
 *
 *   - registerPropertiesGroup (size, access, resetValue, resetMask) is
 *     inherited device -> peripheral -> cluster -> register;
 *   - derivedFrom copies what the element does not say itself, for
 *     peripherals, clusters, registers, fields and enumeratedValues, by a
 *     name in the same scope or a dotted path;
 *   - dim, dimIncrement and dimIndex expand peripherals, clusters,
 *     registers and fields into arrays ("NAME[%s]") and lists ("NAME%s",
 *     dimIndex "A,B,C" or "0-3"); a field array steps its bit position;
 *   - access, modifiedWriteValues and readAction combine into the access
 *     rules of mmio/regs.h (read-write + oneToClear is MMIO_W1C, read-only
 *     + readAction clear is MMIO_RC, ...).
 *
 * What the schema requires and a file lacks is an error with its line;
 * what is contradictory but harmless is a warning, once per element.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regs_internal.h"

#if defined(MMIO_HAVE_EXPAT)
#include <expat.h>

/* ---- the element tree ---- */

struct svd_node {
  const char *tag;
  const char *text;    /* the element's own text, trimmed */
  const char *derived; /* the derivedFrom attribute, or NULL */
  struct svd_node *parent, *child, *last, *next;
  unsigned long line;
};

struct svd {
  struct mmio__builder *b;
  XML_Parser xp;
  struct mmio__arena tree; /* the nodes, freed when loading ends */
  struct svd_node *root, *cur;
  char *text; /* character data of the open elements */
  size_t tlen, tcap;
  size_t *starts; /* where each open element's text starts */
  size_t depth, scap;
  int err;
};

static void svd_start(void *ud, const XML_Char *tag, const XML_Char **attr) {
  struct svd *s = ud;
  struct svd_node *n;
  size_t i, len = strlen(tag);
  char *t;
  if (s->err != 0) return;
  n = mmio__arena_alloc(&s->tree, sizeof(*n));
  t = mmio__arena_alloc(&s->tree, len + 1);
  if (n == NULL || t == NULL) goto nomem;
  memcpy(t, tag, len + 1);
  memset(n, 0, sizeof(*n));
  n->tag = t;
  n->line = (unsigned long)XML_GetCurrentLineNumber(s->xp);
  for (i = 0; attr[i] != NULL; i += 2) {
    if (strcmp(attr[i], "derivedFrom") == 0) {
      size_t al = strlen(attr[i + 1]);
      char *v = mmio__arena_alloc(&s->tree, al + 1);
      if (v == NULL) goto nomem;
      memcpy(v, attr[i + 1], al + 1);
      n->derived = v;
    }
  }
  n->parent = s->cur;
  if (s->cur == NULL) {
    if (s->root == NULL) s->root = n;
  } else if (s->cur->last == NULL) {
    s->cur->child = s->cur->last = n;
  } else {
    s->cur->last->next = n;
    s->cur->last = n;
  }
  s->cur = n;
  if (s->depth == s->scap) {
    size_t cap = s->scap != 0 ? s->scap * 2 : 32;
    size_t *grown = realloc(s->starts, cap * sizeof(*grown));
    if (grown == NULL) goto nomem;
    s->starts = grown;
    s->scap = cap;
  }
  s->starts[s->depth++] = s->tlen;
  return;
nomem:
  s->err = -ENOMEM;
  XML_StopParser(s->xp, XML_FALSE);
}

static int svd_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static void svd_end(void *ud, const XML_Char *tag) {
  struct svd *s = ud;
  size_t begin, start, end;
  char *t;
  (void)tag;
  if (s->err != 0 || s->cur == NULL) return;
  /* The buffer holds this element's own text from where it started: its
   * children's text went when they ended. */
  begin = s->starts[--s->depth];
  start = begin;
  end = s->tlen;
  while (start < end && svd_space(s->text[start]))
    start++;
  while (end > start && svd_space(s->text[end - 1]))
    end--;
  if ((t = mmio__arena_alloc(&s->tree, end - start + 1)) == NULL) {
    s->err = -ENOMEM;
    XML_StopParser(s->xp, XML_FALSE);
    return;
  }
  if (end > start) memcpy(t, s->text + start, end - start); /* s->text is NULL until text comes */
  t[end - start] = '\0';
  s->cur->text = t;
  s->tlen = begin;
  s->cur = s->cur->parent;
}

static void svd_chars(void *ud, const XML_Char *data, int len) {
  struct svd *s = ud;
  if (s->err != 0 || len <= 0) return;
  if (s->tlen + (size_t)len > s->tcap) {
    size_t cap = s->tcap != 0 ? s->tcap : 4096;
    char *grown;
    while (cap < s->tlen + (size_t)len)
      cap *= 2;
    if ((grown = realloc(s->text, cap)) == NULL) {
      s->err = -ENOMEM;
      XML_StopParser(s->xp, XML_FALSE);
      return;
    }
    s->text = grown;
    s->tcap = cap;
  }
  memcpy(s->text + s->tlen, data, (size_t)len);
  s->tlen += (size_t)len;
}

/* ---- reading elements ---- */

static const struct svd_node *svd_child(const struct svd_node *n, const char *tag) {
  const struct svd_node *c;
  for (c = n != NULL ? n->child : NULL; c != NULL; c = c->next)
    if (strcmp(c->tag, tag) == 0) return c;
  return NULL;
}

static const char *svd_text(const struct svd_node *n, const char *tag) {
  const struct svd_node *c = svd_child(n, tag);
  return c != NULL ? c->text : NULL;
}

/* The number of a scaledNonNegativeInteger: decimal, 0x hex or #binary,
 * with an optional k/M/G/T multiplier. Returns 0 or -EINVAL. */
static int svd_number(const char *s, uint64_t *out) {
  uint64_t v = 0, mul = 1;
  unsigned base = 10;
  size_t n, i = 0, digits = 0;
  if (s == NULL) return -EINVAL;
  n = strlen(s);
  if (n > 0 && s[0] == '+') i = 1;
  if (n > 0) {
    switch (s[n - 1]) {
    case 'k':
    case 'K':
      mul = 1ull << 10, n--;
      break;
    case 'm':
    case 'M':
      mul = 1ull << 20, n--;
      break;
    case 'g':
    case 'G':
      mul = 1ull << 30, n--;
      break;
    case 't':
    case 'T':
      mul = 1ull << 40, n--;
      break;
    default:
      break;
    }
  }
  if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
    base = 16, i += 2;
  else if (n - i > 1 && s[i] == '#')
    base = 2, i += 1;
  for (; i < n; i++) {
    unsigned d;
    const char c = s[i];
    if (c >= '0' && c <= '9')
      d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else if (base == 2 && (c == 'x' || c == 'X'))
      d = 0; /* a don't-care bit */
    else
      return -EINVAL;
    if (d >= base || v > (UINT64_MAX - d) / base) return -EINVAL;
    v = v * base + d;
    digits++;
  }
  if (digits == 0 || v > UINT64_MAX / mul) return -EINVAL;
  *out = v * mul;
  return 0;
}

/* ---- derivedFrom ---- */

/* The elements a container names: peripherals of a device, registers and
 * clusters of a peripheral or cluster, fields of a register. */
static const struct svd_node *svd_items(const struct svd_node *n) {
  if (n == NULL) return NULL;
  if (strcmp(n->tag, "device") == 0) return svd_child(n, "peripherals");
  if (strcmp(n->tag, "peripheral") == 0) return svd_child(n, "registers");
  if (strcmp(n->tag, "cluster") == 0) return n;
  if (strcmp(n->tag, "register") == 0) return svd_child(n, "fields");
  return NULL;
}

static const struct svd_node *svd_named(const struct svd_node *container, const char *name,
                                        size_t n) {
  const struct svd_node *c;
  const struct svd_node *items = svd_items(container);
  for (c = items != NULL ? items->child : NULL; c != NULL; c = c->next) {
    const char *cn = svd_text(c, "name");
    if (cn != NULL && strlen(cn) == n && strncmp(cn, name, n) == 0 &&
        (strcmp(c->tag, "peripheral") == 0 || strcmp(c->tag, "register") == 0 ||
         strcmp(c->tag, "cluster") == 0 || strcmp(c->tag, "field") == 0))
      return c;
  }
  return NULL;
}

/* Follows a dotted path from container. */
static const struct svd_node *svd_path(const struct svd_node *container, const char *path) {
  while (container != NULL && *path != '\0') {
    const char *dot = strchr(path, '.');
    const size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);
    container = svd_named(container, path, n);
    path = dot != NULL ? dot + 1 : path + n;
  }
  return container;
}

/* The element node is derived from: in its own scope first, then as a
 * path from each enclosing container up to the device. */
static const struct svd_node *svd_source(struct svd *s, const struct svd_node *node) {
  const struct svd_node *scope;
  if (node->derived == NULL) return NULL;
  for (scope = node->parent; scope != NULL; scope = scope->parent) {
    const struct svd_node *found;
    if (svd_items(scope) == NULL) continue;
    found = svd_path(scope, node->derived);
    if (found != NULL && found != node) return found;
  }
  (void)s;
  return NULL;
}

/* A property of node, or of what it derives from (a chain of up to 16). */
static const char *svd_prop(struct svd *s, const struct svd_node *node, const char *tag) {
  int hops;
  for (hops = 0; node != NULL && hops < 16; hops++) {
    const char *t = svd_text(node, tag);
    if (t != NULL) return t;
    node = svd_source(s, node);
  }
  return NULL;
}

/* The same for a child element (fields, enumeratedValues...). */
static const struct svd_node *svd_prop_node(struct svd *s, const struct svd_node *node,
                                            const char *tag) {
  int hops;
  for (hops = 0; node != NULL && hops < 16; hops++) {
    const struct svd_node *c = svd_child(node, tag);
    if (c != NULL) return c;
    node = svd_source(s, node);
  }
  return NULL;
}

/* Checks that node's derivedFrom, if any, names something. */
static int svd_check_derived(struct svd *s, const struct svd_node *node, const char *what) {
  if (node->derived != NULL && svd_source(s, node) == NULL)
    return mmio__b_fail(s->b, node->line, "%s is derived from %s, which does not exist", what,
                        node->derived);
  return 0;
}

/* ---- arrays and lists ---- */

#define SVD_MAX_DIM 4096

struct svd_dim {
  uint64_t count, step;
  const char **index; /* the %s substitutes, count of them; NULL without dim */
};

/* Reads dim, dimIncrement and dimIndex of node into *d (count 1 and no
 * substitute when there is no dim). */
static int svd_dims(struct svd *s, const struct svd_node *node, const char *name,
                    struct svd_dim *d) {
  const char *dim = svd_prop(s, node, "dim"), *inc = svd_prop(s, node, "dimIncrement");
  const char *index = svd_prop(s, node, "dimIndex");
  uint64_t i;
  d->count = 1;
  d->step = 0;
  d->index = NULL;
  if (dim == NULL) {
    if (strstr(name, "%s") != NULL)
      return mmio__b_fail(s->b, node->line, "%s has %%s in its name but no dim", name);
    return 0;
  }
  if (svd_number(dim, &d->count) != 0 || d->count == 0 || d->count > SVD_MAX_DIM)
    return mmio__b_fail(s->b, node->line, "dim of %s is '%s', not a count from 1 to %u", name, dim,
                        SVD_MAX_DIM);
  if (inc == NULL || svd_number(inc, &d->step) != 0)
    return mmio__b_fail(s->b, node->line, "%s has dim but no valid dimIncrement", name);
  if (strstr(name, "%s") == NULL)
    return mmio__b_fail(s->b, node->line, "%s has dim but no %%s in its name", name);
  if ((d->index = mmio__arena_alloc(&s->tree, (size_t)d->count * sizeof(*d->index))) == NULL)
    return -ENOMEM;
  if (index == NULL) {
    for (i = 0; i < d->count; i++)
      if ((d->index[i] = mmio__b_printf(s->b, "%llu", (unsigned long long)i)) == NULL)
        return -ENOMEM;
    return 0;
  }
  {
    /* "A,B,C" or "0-3" or "A-D". */
    const char *dash = strchr(index, '-');
    uint64_t lo, hi, k = 0;
    if (strchr(index, ',') == NULL && dash != NULL && dash != index) {
      char a[32], b[32];
      snprintf(a, sizeof(a), "%.*s", (int)(dash - index), index);
      snprintf(b, sizeof(b), "%s", dash + 1);
      if (svd_number(a, &lo) == 0 && svd_number(b, &hi) == 0 && lo <= hi) {
        if (hi - lo + 1 != d->count)
          return mmio__b_fail(s->b, node->line,
                              "dimIndex %s of %s gives %llu elements, but dim is %llu", index, name,
                              (unsigned long long)(hi - lo + 1), (unsigned long long)d->count);
        for (i = 0; i < d->count; i++)
          if ((d->index[i] = mmio__b_printf(s->b, "%llu", (unsigned long long)(lo + i))) == NULL)
            return -ENOMEM;
        return 0;
      }
      if (strlen(a) == 1 && strlen(b) == 1 && a[0] <= b[0] &&
          ((a[0] >= 'A' && b[0] <= 'Z') || (a[0] >= 'a' && b[0] <= 'z'))) {
        if ((uint64_t)(b[0] - a[0] + 1) != d->count)
          return mmio__b_fail(s->b, node->line,
                              "dimIndex %s of %s gives %d elements, but dim is %llu", index, name,
                              b[0] - a[0] + 1, (unsigned long long)d->count);
        for (i = 0; i < d->count; i++)
          if ((d->index[i] = mmio__b_printf(s->b, "%c", (char)(a[0] + (int)i))) == NULL)
            return -ENOMEM;
        return 0;
      }
    }
    for (i = 0; index[0] != '\0';) {
      const char *comma = strchr(index, ',');
      const size_t n = comma != NULL ? (size_t)(comma - index) : strlen(index);
      if (i < d->count && (d->index[i] = mmio__b_string(s->b, index, n)) == NULL) return -ENOMEM;
      i++;
      if (comma == NULL) break;
      index = comma + 1;
    }
    k = i;
    if (k != d->count)
      return mmio__b_fail(s->b, node->line, "dimIndex of %s lists %llu elements, but dim is %llu",
                          name, (unsigned long long)k, (unsigned long long)d->count);
  }
  return 0;
}

/* name with its %s (or [%s]) replaced by index; name itself when count 1
 * and no %s. */
static const char *svd_expand(struct svd *s, const char *name, const char *index) {
  const char *pct = strstr(name, "%s");
  if (pct == NULL || index == NULL) return name;
  return mmio__b_printf(s->b, "%.*s%s%s", (int)(pct - name), name, index, pct + 2);
}

/* ---- access rules ---- */

/* Inherited register properties. */
struct svd_props {
  const char *size, *access, *reset, *reset_mask;
};

static void svd_inherit(struct svd *s, const struct svd_node *node, struct svd_props *p) {
  const char *v;
  if ((v = svd_prop(s, node, "size")) != NULL) p->size = v;
  if ((v = svd_prop(s, node, "access")) != NULL) p->access = v;
  if ((v = svd_prop(s, node, "resetValue")) != NULL) p->reset = v;
  if ((v = svd_prop(s, node, "resetMask")) != NULL) p->reset_mask = v;
}

static const struct {
  const char *name;
  enum mmio_access access;
} svd_accesses[] = {
    {"read-only", MMIO_RO},
    {"write-only", MMIO_WO},
    {"read-write", MMIO_RW},
    {"writeOnce", MMIO_WO_ONCE},
    {"read-writeOnce", MMIO_WRITE_ONCE},
};

static const struct {
  const char *name;
  enum mmio_access access; /* for writable bits; 0: no change */
} svd_write_values[] = {
    {"oneToClear", MMIO_W1C},  {"oneToSet", MMIO_W1S},  {"oneToToggle", MMIO_W1T},
    {"zeroToClear", MMIO_W0C}, {"zeroToSet", MMIO_W0S}, {"zeroToToggle", MMIO_W0T},
    {"clear", MMIO_WC},        {"set", MMIO_WS},        {"modify", MMIO_ACCESS_DEFAULT},
};

static const struct {
  const char *name;
  enum mmio_read_effect effect;
} svd_read_actions[] = {
    {"clear", MMIO_READ_CLEARS},
    {"set", MMIO_READ_SETS},
    {"modify", MMIO_READ_MODIFIES},
    {"modifyExternal", MMIO_READ_MODIFIES},
};

/*
 * The access rule of access + modifiedWriteValues + readAction, for the
 * element called what. A write effect on a read-only element is a vendor
 * slip the device does not care about: the effect wins, with a warning.
 */
static int svd_rule(struct svd *s, unsigned long line, const char *what, const char *access,
                    const char *mwv, const char *read_action, enum mmio_access *out,
                    enum mmio_read_effect *effect) {
  enum mmio_access a = MMIO_RW;
  size_t i;
  int err;
  *effect = MMIO_READ_PLAIN;
  if (access != NULL) {
    for (i = 0; i < sizeof(svd_accesses) / sizeof(svd_accesses[0]); i++)
      if (strcmp(access, svd_accesses[i].name) == 0) break;
    if (i == sizeof(svd_accesses) / sizeof(svd_accesses[0]))
      return mmio__b_fail(s->b, line,
                          "%s has access '%s' (expected read-only, write-only, "
                          "read-write, writeOnce or read-writeOnce)",
                          what, access);
    a = svd_accesses[i].access;
  }
  if (mwv != NULL) {
    for (i = 0; i < sizeof(svd_write_values) / sizeof(svd_write_values[0]); i++)
      if (strcmp(mwv, svd_write_values[i].name) == 0) break;
    if (i == sizeof(svd_write_values) / sizeof(svd_write_values[0]))
      return mmio__b_fail(s->b, line,
                          "%s has modifiedWriteValues '%s', which the schema does "
                          "not define",
                          what, mwv);
    if (svd_write_values[i].access != MMIO_ACCESS_DEFAULT) {
      if (a == MMIO_RO &&
          (err = mmio__b_warn(s->b, line,
                              "%s is read-only but has modifiedWriteValues %s: taken "
                              "as writable that way",
                              what, mwv)) != 0)
        return err;
      if (a == MMIO_WO_ONCE || a == MMIO_WRITE_ONCE) {
        if ((err = mmio__b_warn(s->b, line,
                                "%s is written once but has modifiedWriteValues %s: "
                                "kept as written once",
                                what, mwv)) != 0)
          return err;
      } else {
        a = svd_write_values[i].access;
      }
    }
  }
  if (read_action != NULL) {
    for (i = 0; i < sizeof(svd_read_actions) / sizeof(svd_read_actions[0]); i++)
      if (strcmp(read_action, svd_read_actions[i].name) == 0) break;
    if (i == sizeof(svd_read_actions) / sizeof(svd_read_actions[0]))
      return mmio__b_fail(s->b, line, "%s has readAction '%s', which the schema does not define",
                          what, read_action);
    if (a == MMIO_WO || a == MMIO_WO_ONCE) {
      if ((err = mmio__b_warn(s->b, line, "%s is write-only but has readAction %s: ignored", what,
                              read_action)) != 0)
        return err;
    } else if (a == MMIO_RO && svd_read_actions[i].effect == MMIO_READ_CLEARS) {
      a = MMIO_RC;
    } else {
      *effect = svd_read_actions[i].effect;
    }
  }
  *out = a;
  return 0;
}

/* ---- fields ---- */

/* The bit position of a field, in any of the three forms. */
static int svd_bits(struct svd *s, const struct svd_node *f, const char *name, unsigned *lsb,
                    unsigned *msb) {
  const char *range = svd_prop(s, f, "bitRange");
  const char *l = svd_prop(s, f, "lsb"), *m = svd_prop(s, f, "msb");
  const char *off = svd_prop(s, f, "bitOffset"), *width = svd_prop(s, f, "bitWidth");
  uint64_t a = 0, b = 0;
  if (range != NULL) {
    unsigned hi, lo;
    char tail;
    if (sscanf(range, "[%u:%u]%c", &hi, &lo, &tail) != 2)
      return mmio__b_fail(s->b, f->line, "field %s has bitRange '%s', not [msb:lsb]", name, range);
    a = lo;
    b = hi;
  } else if (l != NULL && m != NULL) {
    if (svd_number(l, &a) != 0 || svd_number(m, &b) != 0)
      return mmio__b_fail(s->b, f->line, "field %s has lsb/msb that are not numbers", name);
  } else if (off != NULL) {
    uint64_t w = 1;
    if (svd_number(off, &a) != 0 || (width != NULL && svd_number(width, &w) != 0) || w == 0 ||
        a > 63 || w > 64)
      return mmio__b_fail(s->b, f->line, "field %s has a bitOffset/bitWidth that is not valid",
                          name);
    b = a + w - 1;
  } else {
    return mmio__b_fail(s->b, f->line,
                        "field %s has no bit position (bitRange, lsb and msb, or "
                        "bitOffset and bitWidth)",
                        name);
  }
  if (a > 63 || b > 63 || a > b)
    return mmio__b_fail(s->b, f->line, "field %s has bits %llu:%llu, which no register holds", name,
                        (unsigned long long)b, (unsigned long long)a);
  *lsb = (unsigned)a;
  *msb = (unsigned)b;
  return 0;
}

/* The enumeratedValues of a field (own, or derived by name). */
static int svd_enums(struct svd *s, const struct svd_node *field, const char *fname,
                     unsigned width) {
  const struct svd_node *src = field, *c;
  int hops, err;
  /* A field may list its values, or take them from the field it derives
   * from. */
  for (hops = 0; src != NULL && svd_child(src, "enumeratedValues") == NULL && hops < 16; hops++)
    src = svd_source(s, src);
  if (src == NULL) return 0;
  for (c = src->child; c != NULL; c = c->next) {
    const struct svd_node *ev = c, *v;
    const char *usage;
    unsigned u = 0;
    if (strcmp(c->tag, "enumeratedValues") != 0) continue;
    if (c->derived != NULL) {
      /* derivedFrom names another enumeratedValues: in this register's
       * fields, or anywhere in the device. */
      const struct svd_node *p;
      ev = NULL;
      for (p = s->root; p != NULL && ev == NULL;) {
        /* a depth-first walk over the tree */
        if (strcmp(p->tag, "enumeratedValues") == 0 && p != c) {
          const char *n = svd_text(p, "name");
          const char *last = strrchr(c->derived, '.');
          if (n != NULL && strcmp(n, last != NULL ? last + 1 : c->derived) == 0) ev = p;
        }
        if (p->child != NULL) {
          p = p->child;
        } else {
          while (p != NULL && p->next == NULL)
            p = p->parent;
          if (p != NULL) p = p->next;
        }
      }
      if (ev == NULL)
        return mmio__b_fail(s->b, c->line,
                            "enumeratedValues of field %s is derived from %s, "
                            "which does not exist",
                            fname, c->derived);
    }
    usage = svd_prop(s, c, "usage");
    if (usage == NULL) usage = svd_text(ev, "usage");
    if (usage != NULL && strcmp(usage, "read") == 0)
      u = MMIO_ENUM_READ;
    else if (usage != NULL && strcmp(usage, "write") == 0)
      u = MMIO_ENUM_WRITE;
    for (v = ev->child; v != NULL; v = v->next) {
      struct mmio_enum e;
      const char *value;
      if (strcmp(v->tag, "enumeratedValue") != 0) continue;
      e.name = svd_text(v, "name");
      value = svd_text(v, "value");
      if (e.name == NULL)
        return mmio__b_fail(s->b, v->line, "an enumeratedValue of field %s has no name", fname);
      if (value == NULL) {
        if (svd_text(v, "isDefault") != NULL) continue; /* "any other value": nothing to store */
        return mmio__b_fail(s->b, v->line, "enumeratedValue %s of field %s has no value", e.name,
                            fname);
      }
      if (svd_number(value, &e.value) != 0)
        return mmio__b_fail(s->b, v->line,
                            "enumeratedValue %s of field %s has value '%s', not a "
                            "number",
                            e.name, fname, value);
      if (width < 64 && (e.value >> width) != 0) {
        if ((err = mmio__b_warn(s->b, v->line,
                                "enumeratedValue %s (%s) does not fit the %u bits of "
                                "field %s: left out",
                                e.name, value, width, fname)) != 0)
          return err;
        continue;
      }
      if ((e.name = mmio__b_string(s->b, e.name, (size_t)-1)) == NULL) return -ENOMEM;
      e.description = svd_text(v, "description");
      if (e.description != NULL &&
          (e.description = mmio__b_string(s->b, e.description, (size_t)-1)) == NULL)
        return -ENOMEM;
      e.usage = u;
      if ((err = mmio__b_enum(s->b, v->line, &e)) != 0) return err;
    }
  }
  return 0;
}

static int svd_fields(struct svd *s, const struct svd_node *reg, const char *rname,
                      const char *reg_access, const char *reg_mwv) {
  const struct svd_node *fields = svd_prop_node(s, reg, "fields"), *f;
  int err;
  for (f = fields != NULL ? fields->child : NULL; f != NULL; f = f->next) {
    struct svd_dim dim_, *dim = &dim_;
    struct mmio_field field;
    const char *name, *mwv, *access;
    unsigned lsb = 0, msb = 0;
    uint64_t i;
    if (strcmp(f->tag, "field") != 0) continue;
    if ((err = svd_check_derived(s, f, "a field")) != 0) return err;
    name = svd_prop(s, f, "name");
    if (name == NULL) return mmio__b_fail(s->b, f->line, "a field of %s has no name", rname);
    if ((err = svd_bits(s, f, name, &lsb, &msb)) != 0) return err;
    access = svd_prop(s, f, "access");
    mwv = svd_prop(s, f, "modifiedWriteValues");
    memset(&field, 0, sizeof(field));
    if ((err = svd_rule(s, f->line, name, access != NULL ? access : reg_access,
                        mwv != NULL ? mwv : reg_mwv, svd_prop(s, f, "readAction"), &field.access,
                        &field.read_effect)) != 0)
      return err;
    field.description = svd_prop(s, f, "description");
    if (field.description != NULL &&
        (field.description = mmio__b_string(s->b, field.description, (size_t)-1)) == NULL)
      return -ENOMEM;
    err = svd_dims(s, f, name, dim);
    for (i = 0; err == 0 && i < dim->count; i++) {
      const uint64_t shift = i * dim->step;
      field.name = svd_expand(s, name, dim->index != NULL ? dim->index[i] : NULL);
      if (field.name == NULL ||
          (field.name = mmio__b_string(s->b, field.name, (size_t)-1)) == NULL) {
        err = -ENOMEM;
        break;
      }
      if (msb + shift > 63) {
        err = mmio__b_fail(s->b, f->line, "field array %s runs past bit 63", name);
        break;
      }
      field.lsb = lsb + (unsigned)shift;
      field.msb = msb + (unsigned)shift;
      if ((err = mmio__b_field(s->b, f->line, &field)) == 0)
        err = svd_enums(s, f, field.name, msb - lsb + 1);
    }
    if (err != 0) return err;
  }
  return 0;
}

/* ---- registers and clusters ---- */

static int svd_registers(struct svd *s, const struct svd_node *container, struct svd_props props,
                         const char *prefix, uint64_t base, int depth,
                         const struct svd_node *except);

static int svd_register(struct svd *s, const struct svd_node *r, struct svd_props props,
                        const char *prefix, uint64_t base) {
  struct svd_dim dim_, *dim = &dim_;
  struct mmio_reg reg;
  const char *name, *offset;
  uint64_t off, size = 32, reset = 0, mask = 0, i;
  int err;
  if ((err = svd_check_derived(s, r, "a register")) != 0) return err;
  name = svd_prop(s, r, "name");
  offset = svd_prop(s, r, "addressOffset");
  if (name == NULL) return mmio__b_fail(s->b, r->line, "a register has no name");
  if (offset == NULL || svd_number(offset, &off) != 0)
    return mmio__b_fail(s->b, r->line, "register %s has no valid addressOffset", name);
  svd_inherit(s, r, &props);
  if (props.size != NULL && svd_number(props.size, &size) != 0)
    return mmio__b_fail(s->b, r->line, "register %s has size '%s', not a number", name, props.size);
  if (size != 8 && size != 16 && size != 32 && size != 64)
    return mmio__b_fail(s->b, r->line, "register %s is %llu bits wide; only 8, 16, 32 and 64 are",
                        name, (unsigned long long)size);
  if (props.reset != NULL && svd_number(props.reset, &reset) != 0)
    return mmio__b_fail(s->b, r->line, "register %s has a resetValue that is not a number", name);
  if (props.reset_mask != NULL && svd_number(props.reset_mask, &mask) != 0)
    return mmio__b_fail(s->b, r->line, "register %s has a resetMask that is not a number", name);
  memset(&reg, 0, sizeof(reg));
  reg.width = (unsigned)(size / 8);
  /* Device-wide defaults are often wider than a narrow register; only a
   * register's own value that does not fit is worth a word. */
  if (((svd_text(r, "resetValue") != NULL ? reset : 0) |
       (svd_text(r, "resetMask") != NULL ? mask : 0)) &
      ~mmio__width_mask(reg.width)) {
    if ((err = mmio__b_warn(s->b, r->line,
                            "register %s: reset value or mask wider than its %llu "
                            "bits: cut to them",
                            name, (unsigned long long)size)) != 0)
      return err;
  }
  reg.reset = reset & mmio__width_mask(reg.width);
  reg.reset_mask = props.reset != NULL ? (props.reset_mask != NULL ? mask : ~0ull) : 0;
  reg.reset_mask &= mmio__width_mask(reg.width);
  if ((err = svd_rule(s, r->line, name, props.access, svd_prop(s, r, "modifiedWriteValues"),
                      svd_prop(s, r, "readAction"), &reg.access, &reg.read_effect)) != 0)
    return err;
  reg.description = svd_prop(s, r, "description");
  if (reg.description != NULL &&
      (reg.description = mmio__b_string(s->b, reg.description, (size_t)-1)) == NULL)
    return -ENOMEM;
  err = svd_dims(s, r, name, dim);
  for (i = 0; err == 0 && i < dim->count; i++) {
    const char *n = svd_expand(s, name, dim->index != NULL ? dim->index[i] : NULL);
    reg.name = n != NULL ? mmio__b_printf(s->b, "%s%s", prefix, n) : NULL;
    if (reg.name == NULL) {
      err = -ENOMEM;
      break;
    }
    reg.offset = base + off + i * dim->step;
    if ((err = mmio__b_reg(s->b, r->line, &reg)) == 0)
      err = svd_fields(s, r, reg.name, props.access, svd_prop(s, r, "modifiedWriteValues"));
  }
  return err;
}

static int svd_cluster(struct svd *s, const struct svd_node *c, struct svd_props props,
                       const char *prefix, uint64_t base, int depth) {
  struct svd_dim dim_, *dim = &dim_;
  const struct svd_node *src = c;
  const char *name, *offset;
  uint64_t off = 0, i;
  int err, hops;
  if ((err = svd_check_derived(s, c, "a cluster")) != 0) return err;
  name = svd_prop(s, c, "name");
  offset = svd_prop(s, c, "addressOffset");
  if (name == NULL) return mmio__b_fail(s->b, c->line, "a cluster has no name");
  if (offset == NULL || svd_number(offset, &off) != 0)
    return mmio__b_fail(s->b, c->line, "cluster %s has no valid addressOffset", name);
  if (depth > 16) return mmio__b_fail(s->b, c->line, "clusters nested more than 16 deep");
  svd_inherit(s, c, &props);
  /* The registers are the cluster's own, or those of the cluster it
   * derives from. */
  for (hops = 0; src != NULL && svd_child(src, "register") == NULL &&
                 svd_child(src, "cluster") == NULL && hops < 16;
       hops++)
    src = svd_source(s, src);
  if (src == NULL) return mmio__b_fail(s->b, c->line, "cluster %s has no registers", name);
  err = svd_dims(s, c, name, dim);
  for (i = 0; err == 0 && i < dim->count; i++) {
    const char *n = svd_expand(s, name, dim->index != NULL ? dim->index[i] : NULL);
    const char *p = n != NULL ? mmio__b_printf(s->b, "%s%s.", prefix, n) : NULL;
    if (p == NULL) {
      err = -ENOMEM;
      break;
    }
    err = svd_registers(s, src, props, p, base + off + i * dim->step, depth + 1, NULL);
  }
  return err;
}

/* Whether container has a register or cluster child called name. */
static int svd_redefines(const struct svd_node *container, const char *name) {
  const struct svd_node *c;
  for (c = container != NULL ? container->child : NULL; c != NULL; c = c->next) {
    const char *n = svd_text(c, "name");
    if (n != NULL && strcmp(n, name) == 0) return 1;
  }
  return 0;
}

/* The register and cluster children of container (a <registers> or a
 * <cluster>), but those that except redefines (a derived peripheral's own
 * registers replace its source's of the same name). */
static int svd_registers(struct svd *s, const struct svd_node *container, struct svd_props props,
                         const char *prefix, uint64_t base, int depth,
                         const struct svd_node *except) {
  const struct svd_node *c;
  int err = 0;
  for (c = container->child; c != NULL && err == 0; c = c->next) {
    const char *n = svd_text(c, "name");
    if (except != NULL && n != NULL && svd_redefines(except, n)) continue;
    if (strcmp(c->tag, "register") == 0)
      err = svd_register(s, c, props, prefix, base);
    else if (strcmp(c->tag, "cluster") == 0)
      err = svd_cluster(s, c, props, prefix, base, depth);
  }
  return err;
}

/* ---- peripherals and the device ---- */

static int svd_peripheral(struct svd *s, const struct svd_node *p, struct svd_props props) {
  struct svd_dim dim_, *dim = &dim_;
  const struct svd_node *src = NULL, *regs;
  const char *name, *base_text, *desc, *first = NULL;
  uint64_t base, i;
  int err;
  if (p->derived != NULL) {
    src = svd_path(p->parent->parent, p->derived);
    if (src == NULL || src == p)
      return mmio__b_fail(s->b, p->line, "peripheral %s is derived from %s, which does not exist",
                          svd_text(p, "name") != NULL ? svd_text(p, "name") : "(no name)",
                          p->derived);
  }
  name = svd_text(p, "name");
  if (name == NULL) return mmio__b_fail(s->b, p->line, "a peripheral has no name");
  base_text = svd_prop(s, p, "baseAddress");
  if (base_text == NULL || svd_number(base_text, &base) != 0)
    return mmio__b_fail(s->b, p->line, "peripheral %s has no valid baseAddress", name);
  desc = svd_prop(s, p, "description");
  if (desc != NULL && (desc = mmio__b_string(s->b, desc, (size_t)-1)) == NULL) return -ENOMEM;
  svd_inherit(s, p, &props);
  regs = svd_child(p, "registers");
  err = svd_dims(s, p, name, dim);
  for (i = 0; err == 0 && i < dim->count; i++) {
    const char *n = svd_expand(s, name, dim->index != NULL ? dim->index[i] : NULL);
    const uint64_t at = base + i * dim->step;
    if (n == NULL || (n = mmio__b_string(s->b, n, (size_t)-1)) == NULL) {
      err = -ENOMEM;
      break;
    }
    if (first != NULL) {
      /* The other elements of an array share the first one's registers. */
      err = mmio__b_periph_alias(s->b, p->line, n, at, desc, first);
    } else if (src != NULL && regs == NULL) {
      /* derivedFrom adding nothing: the same registers at another base. */
      const char *from = mmio__b_string(s->b, svd_text(src, "name"), (size_t)-1);
      err = from != NULL ? mmio__b_periph_alias(s->b, p->line, n, at, desc, from) : -ENOMEM;
    } else {
      err = mmio__b_periph(s->b, p->line, n, at, desc);
      /* A derived peripheral with registers of its own has its source's
       * too. */
      if (err == 0 && src != NULL && svd_child(src, "registers") != NULL)
        err = svd_registers(s, svd_child(src, "registers"), props, "", 0, 0, regs);
      if (err == 0 && regs != NULL) err = svd_registers(s, regs, props, "", 0, 0, NULL);
      first = n;
    }
    if (dim->count == 1) first = NULL;
  }
  return err;
}

static int svd_device(struct svd *s) {
  const struct svd_node *dev = s->root, *periphs, *p;
  struct svd_props props = {NULL, NULL, NULL, NULL};
  const char *name;
  int err = 0;
  if (dev == NULL || strcmp(dev->tag, "device") != 0)
    return mmio__b_fail(s->b, dev != NULL ? dev->line : 0,
                        "not a CMSIS-SVD file: the root element is <%s>, not <device>",
                        dev != NULL ? dev->tag : "");
  name = svd_text(dev, "name");
  if (name == NULL) return mmio__b_fail(s->b, dev->line, "the device has no name");
  if ((err = mmio__b_device(s->b, name, strlen(name))) != 0) return err;
  svd_inherit(s, dev, &props);
  periphs = svd_child(dev, "peripherals");
  if (periphs == NULL) return mmio__b_fail(s->b, dev->line, "the device has no <peripherals>");
  for (p = periphs->child; p != NULL && err == 0; p = p->next)
    if (strcmp(p->tag, "peripheral") == 0) err = svd_peripheral(s, p, props);
  return err;
}

int mmio__svd_parse(struct mmio__builder *b, const char *data, size_t len) {
  struct svd s;
  int err = 0;
  memset(&s, 0, sizeof(s));
  s.b = b;
  if (len > INT32_MAX) return mmio__b_fail(b, 0, "file too large for the XML parser");
  if ((s.xp = XML_ParserCreate(NULL)) == NULL) return -ENOMEM;
  XML_SetUserData(s.xp, &s);
  XML_SetElementHandler(s.xp, svd_start, svd_end);
  XML_SetCharacterDataHandler(s.xp, svd_chars);
  if (XML_Parse(s.xp, data, (int)len, XML_TRUE) == XML_STATUS_ERROR && s.err == 0)
    err = mmio__b_fail(b, (unsigned long)XML_GetCurrentLineNumber(s.xp), "not well-formed XML: %s",
                       XML_ErrorString(XML_GetErrorCode(s.xp)));
  if (err == 0) err = s.err;
  if (err == 0) err = svd_device(&s);
  XML_ParserFree(s.xp);
  free(s.text);
  free(s.starts);
  mmio__arena_free(&s.tree);
  return err;
}

#else

int mmio__svd_parse(struct mmio__builder *b, const char *data, size_t len) {
  (void)data, (void)len;
  (void)mmio__b_fail(b, 0,
                     "this build of mmio reads no SVD files: it was built without libexpat "
                     "(install libexpat1-dev and rebuild)");
  return -ENOTSUP;
}

#endif
