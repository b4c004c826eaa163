/*
 * The session commands: read, write, modify, dump, fill, copy, load, poll,
 * watch, irq and info. Each has a row in cli__verbs: its parse, check and
 * run functions and its help. Parsing turns words into a struct cli_cmd
 * before the source is open; checking judges it against the open source
 * and the register rules without an access; running makes the accesses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ---- the command table ---- */

/* Options a command takes after its name (bits of cli_verb.options). */
#define OPT_WIDTH 0x1u    /* --width W */
#define OPT_OUTPUT 0x2u   /* -o FILE */
#define OPT_TIMEOUT 0x4u  /* --timeout D */
#define OPT_INTERVAL 0x8u /* --interval D */
#define OPT_COUNT 0x10u   /* --count N */

struct cli_verb {
  const char *name;
  enum cli_op op;
  int sized;        /* takes a width suffix: read8 .. read64 */
  unsigned options; /* OPT_ */
  /* Positional arguments: at least min, at most max (0: any number). */
  int min, max;
  int (*parse)(struct cli_session *s, struct cli_cmd *c, int argc, char **argv);
  int (*check)(struct cli_session *s, struct cli_cmd *c);
  int (*run)(struct cli_session *s, struct cli_cmd *c);
  /* Prints what the command would do, for --dry-run. */
  void (*plan)(struct cli_session *s, struct cli_cmd *c);
  const char *usage;
  const char *help;
};

static const struct cli_verb *cli__verb(enum cli_op op);

/* Prints "mmio: WHERE: message" and returns CLI_USAGE. */
static int cli__bad(const struct cli_cmd *c, const char *fmt, ...) CLI_PRINTF(2, 3);
static int cli__bad(const struct cli_cmd *c, const char *fmt, ...) {
  char msg[1536];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  cli_say("%s: %s", cli_where(c), msg);
  return CLI_USAGE;
}

/* The bits of a target: the field's, or the width's. */
static unsigned cli__bits(const struct cli_target *t) {
  return t->bits ? t->msb - t->lsb + 1 : 8 * t->width;
}

/* "read32" for width 4. */
static void cli__access_name(char *buf, size_t cap, const char *what, unsigned width) {
  snprintf(buf, cap, "%s%u", what, 8 * width);
}

/* ---- parsing ---- */

/* A number, with the command's place in the message. */
static int cli__num(const struct cli_cmd *c, const char *what, const char *text, unsigned flags,
                    uint64_t *out) {
  char why[256];
  if (cli_number(out, text, flags, why, sizeof(why)) != 0) return cli__bad(c, "%s: %s", what, why);
  return 0;
}

static int cli__width_bits(const struct cli_cmd *c, const char *text, unsigned *width) {
  uint64_t bits;
  int rc = cli__num(c, "width", text, 0, &bits);
  if (rc != 0) return rc;
  if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
    return cli__bad(c, "there is no %s-bit access: the widths are 8, 16, 32 and 64", text);
  *width = (unsigned)bits / 8;
  return 0;
}

/* The offset of a register or field of the description, from byte 0 of
 * the source, as the register map will compute it. */
static int cli__name_offset(struct cli_session *s, struct cli_cmd *c, struct cli_target *t) {
  uint64_t addr = t->name.reg->offset;
  if (s->opt.scope == NULL) {
    const uint64_t start = s->src.parsed.source == MMIO_SOURCE_PHYS ? s->src.parsed.offset : 0;
    addr += t->name.periph->base;
    if (addr < start)
      return cli__bad(c,
                      "%s is at 0x%llx, before the source's start 0x%llx: name a peripheral "
                      "with --peripheral to count from its base",
                      t->text, (unsigned long long)addr, (unsigned long long)start);
    addr -= start;
  }
  t->off = addr;
  return 0;
}

/*
 * Parses a target: OFF, OFF:HI:LO, or a register or field name of the
 * description. width is the suffix's (0: none given).
 */
static int cli__target(struct cli_session *s, struct cli_cmd *c, const char *text, unsigned width,
                       struct cli_target *t) {
  char why[1024], off[256];
  memset(t, 0, sizeof(*t));
  t->text = text;
  if ((text[0] >= '0' && text[0] <= '9') || text[0] == '-' || text[0] == '+') {
    const char *colon = strchr(text, ':');
    uint64_t hi = 0, lo = 0;
    int rc;
    t->width = width ? width : 4;
    if (colon == NULL) return cli__num(c, "offset", text, CLI_NUM_SIZE, &t->off);
    snprintf(off, sizeof(off), "%.*s", (int)(colon - text), text);
    rc = cli__num(c, "offset", off, CLI_NUM_SIZE, &t->off);
    if (rc != 0) return rc;
    if (strchr(colon + 1, ':') == NULL) return cli__bad(c, "'%s': a bit field is OFF:HI:LO", text);
    snprintf(off, sizeof(off), "%.*s", (int)(strchr(colon + 1, ':') - colon - 1), colon + 1);
    if ((rc = cli__num(c, "high bit", off, 0, &hi)) != 0 ||
        (rc = cli__num(c, "low bit", strchr(colon + 1, ':') + 1, 0, &lo)) != 0)
      return rc;
    if (hi < lo || hi >= 8u * t->width)
      return cli__bad(c, "'%s': bits %llu:%llu are not HI:LO within the %u bits of the element",
                      text, (unsigned long long)hi, (unsigned long long)lo, 8 * t->width);
    t->bits = 1;
    t->msb = (unsigned)hi;
    t->lsb = (unsigned)lo;
    return 0;
  }
  if (s->desc == NULL)
    return cli__bad(c, "'%s' is not an offset; register names need --regs FILE", text);
  if (mmio_desc_find(&t->name, s->desc, s->opt.scope, text, why, sizeof(why)) != 0) {
    const size_t n = s->opt.scope != NULL ? strlen(s->opt.scope) : 0;
    /* "EDU.ID" under --peripheral EDU: the names are EDU's own. */
    if (n != 0 && strncmp(text, s->opt.scope, n) == 0 && text[n] == '.')
      return cli__bad(c, "%s; with --peripheral %s, names are %s's registers: write %s", why,
                      s->opt.scope, s->opt.scope, text + n + 1);
    if (n == 0 && strchr(text, '.') == NULL)
      return cli__bad(c,
                      "%s: names are PERIPHERAL.REGISTER[.FIELD], or REGISTER[.FIELD] with "
                      "--peripheral P (mmio regs %s lists them)",
                      why, s->regs_path);
    return cli__bad(c, "%s (mmio regs %s lists the names)", why, s->regs_path);
  }
  if (t->name.reg == NULL)
    return cli__bad(c, "'%s' is a peripheral: name one of its registers (%s.REGISTER)", text, text);
  t->width = t->name.reg->width;
  if (width != 0 && width != t->width)
    return cli__bad(c, "%s is %u bits wide: use %s (the register's width) or %s%u", text,
                    8 * t->width, cli__verb(c->op)->name, cli__verb(c->op)->name, 8 * t->width);
  if (t->name.field != NULL) {
    t->bits = 1;
    t->msb = t->name.field->msb;
    t->lsb = t->name.field->lsb;
  }
  return cli__name_offset(s, c, t);
}

/* A value for target t, called what in messages ("value", "mask"): a
 * number, or an enumerated value's name of its field; it must fit the
 * target's bits. */
static int cli__value(struct cli_cmd *c, const struct cli_target *t, const char *what,
                      const char *text, uint64_t *out) {
  char why[1024];
  const unsigned bits = cli__bits(t);
  if (!(text[0] >= '0' && text[0] <= '9') && t->name.field != NULL) {
    if (mmio_field_enum_value(t->name.field, text, out, why, sizeof(why)) != 0)
      return cli__bad(c, "%s", why);
  } else if (cli__num(c, what, text, 0, out) != 0) {
    return CLI_USAGE;
  }
  if (*out & ~cli_ones(bits))
    return cli__bad(c, "%s %s does not fit the %u bits of %s%s", what, text, bits,
                    t->name.reg != NULL ? "" : "the element at ", t->text);
  return 0;
}

/* Takes the command's options out of argv (in place); the rest are its
 * positional arguments, counted in *npos. */
static int cli__options(struct cli_cmd *c, unsigned allowed, int argc, char **argv, int *npos,
                        unsigned *width) {
  int i, n = 0, rc = 0;
  char why[256];
  for (i = 0; i < argc && rc == 0; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    char *eq;
    unsigned opt;
    /* "-4" is a number with a sign, for the number's own message; "-" a
     * file name (standard input). */
    if (a[0] != '-' || (a[1] >= '0' && a[1] <= '9') || a[1] == '\0') {
      argv[n++] = argv[i];
      continue;
    }
    /* --width=8 as well as --width 8, as getopt_long takes them. */
    if (a[1] == '-' && (eq = strchr(argv[i], '=')) != NULL) {
      *eq = '\0';
      v = eq + 1;
      argv[i] = NULL; /* the value is in this word: none to skip */
    }
    opt = !strcmp(a, "--width")      ? OPT_WIDTH
          : !strcmp(a, "-o")         ? OPT_OUTPUT
          : !strcmp(a, "--timeout")  ? OPT_TIMEOUT
          : !strcmp(a, "--interval") ? OPT_INTERVAL
          : !strcmp(a, "--count")    ? OPT_COUNT
                                     : 0;
    if (!strcmp(a, "--help") || !strcmp(a, "-h"))
      return cli__bad(c,
                      "%s in a batch file runs nothing: mmio %s --help prints the command's help",
                      a, cli__verb(c->op)->name);
    if (!(opt & allowed) && cli_is_global_option(a))
      return cli__bad(c,
                      "%s is an option of the whole run: give it before the source or the "
                      "first command",
                      a);
    if (!(opt & allowed))
      return cli__bad(c, "%s takes no option %s (mmio %s --help)", c->verb, a,
                      cli__verb(c->op)->name);
    if (v == NULL) return cli__bad(c, "%s needs a value", a);
    if (argv[i] != NULL) i++;
    if (opt == OPT_WIDTH)
      rc = cli__width_bits(c, v, width);
    else if (opt == OPT_OUTPUT)
      c->file = v;
    else if (opt == OPT_COUNT && (rc = cli__num(c, "count", v, CLI_NUM_SIZE, &c->count)) == 0 &&
             c->count == 0)
      rc = cli__bad(c, "--count 0 would stop before the first change: give N of at least 1, or "
                       "no --count to watch until Ctrl-C");
    else if (cli_duration(opt == OPT_TIMEOUT ? &c->timeout_us : &c->interval_us, v, why,
                          sizeof(why)) != 0)
      rc = cli__bad(c, "%s: %s", a, why);
  }
  *npos = n;
  return rc;
}

static int cli__parse_read(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  int rc = cli__target(s, c, argv[0], c->t.width, &c->t);
  c->count = 1;
  if (rc == 0 && argc > 1) {
    rc = cli__num(c, "count", argv[1], CLI_NUM_SIZE, &c->count);
    if (rc == 0 && c->count == 0) rc = cli__bad(c, "a count of 0 reads nothing");
    if (rc == 0 && (c->t.bits || c->t.name.reg != NULL) && c->count > 1)
      rc = cli__bad(c, "a count reads consecutive elements: give an offset, not %s", c->t.text);
    /* So that count * width, the span checked before the reads, cannot
     * wrap: no source is that long anyway. */
    if (rc == 0 && c->count > SIZE_MAX / c->t.width)
      rc = cli__bad(c, "a count of %s elements is larger than any source", argv[1]);
  }
  return rc;
}

static int cli__parse_write(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  int rc = cli__target(s, c, argv[0], c->t.width, &c->t), i;
  if (rc != 0) return rc;
  if ((c->t.bits || c->t.name.reg != NULL) && argc > 2)
    return cli__bad(c, "%s takes one value", c->t.text);
  c->nvalues = (size_t)argc - 1;
  c->values = calloc(c->nvalues, sizeof(*c->values));
  if (c->values == NULL) return cli__bad(c, "out of memory");
  for (i = 1; i < argc && rc == 0; i++)
    rc = cli__value(c, &c->t, "value", argv[i], &c->values[i - 1]);
  return rc;
}

static int cli__parse_modify(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  int rc = cli__target(s, c, argv[0], c->t.width, &c->t);
  (void)argc;
  if (rc == 0 && c->t.bits)
    rc = cli__bad(c, "modify takes a register and a mask; write a field with write %s VALUE",
                  c->t.text);
  if (rc == 0) rc = cli__value(c, &c->t, "mask", argv[1], &c->mask);
  if (rc == 0) rc = cli__value(c, &c->t, "value", argv[2], &c->value);
  if (rc == 0 && (c->value & ~c->mask))
    rc = cli__bad(c, "value 0x%llx has bits outside mask 0x%llx", (unsigned long long)c->value,
                  (unsigned long long)c->mask);
  return rc;
}

/* OFF LEN of dump, fill and load's OFF: a whole-element range. */
static int cli__range(struct cli_session *s, struct cli_cmd *c, const char *off, const char *len) {
  int rc = cli__target(s, c, off, 0, &c->t);
  if (rc == 0 && c->t.bits) rc = cli__bad(c, "%s takes an offset, not a bit field", c->verb);
  if (rc == 0 && len != NULL) rc = cli__num(c, "length", len, CLI_NUM_SIZE, &c->len);
  return rc;
}

/* The element width of a transfer: --width, or the named register's, or
 * 32 bits. */
static int cli__transfer_width(struct cli_cmd *c, unsigned width) {
  c->t.width = width ? width : c->t.name.reg != NULL ? c->t.name.reg->width : 4;
  if (c->len == 0) return cli__bad(c, "a length of 0 transfers nothing");
  if (c->len % c->t.width)
    return cli__bad(c,
                    "length %llu is not a whole number of %u-bit elements (--width 8 takes "
                    "any length)",
                    (unsigned long long)c->len, 8 * c->t.width);
  return 0;
}

static int cli__parse_dump(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  const unsigned width = c->t.width;
  int rc = cli__range(s, c, argv[0], argv[1]);
  (void)argc;
  return rc != 0 ? rc : cli__transfer_width(c, width);
}

static int cli__parse_fill(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  const unsigned width = c->t.width;
  int rc = cli__range(s, c, argv[0], argv[1]);
  (void)argc;
  if (rc == 0) rc = cli__transfer_width(c, width);
  if (rc == 0) rc = cli__value(c, &c->t, "value", argv[2], &c->value);
  return rc;
}

static int cli__parse_copy(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  const unsigned width = c->t.width;
  struct cli_target dst = {0};
  int rc = cli__range(s, c, argv[0], argv[2]);
  (void)argc;
  if (rc == 0) rc = cli__target(s, c, argv[1], 0, &dst);
  if (rc == 0 && dst.bits) rc = cli__bad(c, "copy takes offsets, not bit fields");
  c->dst = dst.off;
  return rc != 0 ? rc : cli__transfer_width(c, width);
}

/* Reads the whole file now: a load must not start unless it can finish. */
static int cli__parse_load(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  const unsigned width = c->t.width;
  struct cli_buf data = {0};
  char chunk[65536];
  ssize_t n = 1;
  int fd, rc = cli__range(s, c, argv[0], NULL);
  (void)argc;
  if (rc != 0) return rc;
  c->file = argv[1];
  if (strcmp(c->file, "-") == 0 && s->opt.batch != NULL && strcmp(s->opt.batch, "-") == 0)
    return cli__bad(c, "load - reads standard input, which holds the batch already");
  /* Any file that reads: a pipe or standard input ("-") too. */
  fd = strcmp(c->file, "-") == 0 ? 0 : open(c->file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    cli_say("%s: cannot read %s: %s", cli_where(c), c->file, strerror(errno));
    return CLI_FAILED;
  }
  while (n > 0) {
    n = read(fd, chunk, sizeof(chunk));
    if (n > 0) cli_buf_put(&data, chunk, (size_t)n);
    if (n < 0 && errno == EINTR) n = 1;
  }
  if (fd > 0) close(fd);
  if (n < 0) {
    cli_say("%s: cannot read %s: %s", cli_where(c), c->file, strerror(errno));
    cli_buf_free(&data);
    return CLI_FAILED;
  }
  /* The command owns the bytes from here (cli_cmd_free frees them). */
  c->data = (unsigned char *)data.p;
  c->len = data.len;
  if (c->len == 0) return cli__bad(c, "%s is empty: there is nothing to load", c->file);
  return cli__transfer_width(c, width);
}

static int cli__parse_poll(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  int rc = cli__target(s, c, argv[0], c->t.width, &c->t);
  if (rc != 0) return rc;
  if (c->t.bits) {
    if (argc != 2) return cli__bad(c, "poll %s EXPECTED: the field is the mask", c->t.text);
    c->mask = cli_ones(cli__bits(&c->t));
    return cli__value(c, &c->t, "value", argv[1], &c->value);
  }
  if (argc != 3)
    return cli__bad(c,
                    "usage: poll[W] OFF MASK EXPECTED, or poll FIELD EXPECTED (mmio poll --help)");
  rc = cli__value(c, &c->t, "mask", argv[1], &c->mask);
  if (rc == 0) rc = cli__value(c, &c->t, "value", argv[2], &c->value);
  if (rc == 0 && (c->value & ~c->mask))
    rc = cli__bad(c, "expected value 0x%llx has bits outside mask 0x%llx: it can never match",
                  (unsigned long long)c->value, (unsigned long long)c->mask);
  return rc;
}

static int cli__parse_watch(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  (void)argc;
  return cli__target(s, c, argv[0], c->t.width, &c->t);
}

static int cli__parse_none(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  (void)s, (void)c, (void)argc, (void)argv;
  return 0;
}

/* ---- checking: every command against the open source, no access ---- */

/* Element first .. first + len of width bytes: in range and aligned. */
static int cli__check_span(struct cli_session *s, struct cli_cmd *c, uint64_t off, uint64_t len,
                           unsigned width) {
  const mmio_region *r = &s->src.r;
  /* In the order the accesses would judge them: alignment, then range. */
  int err = mmio_check_aligned(r, (size_t)off, width);
  if (err != 0)
    return cli__bad(c,
                    "offset 0x%llx is not aligned for a %u-bit access: its address must be a "
                    "multiple of %u (%s)",
                    (unsigned long long)off, 8 * width, width, mmio_err_name(err));
  if (off > SIZE_MAX || len > mmio_len(r) || off > mmio_len(r) - len)
    return cli__bad(c,
                    "0x%llx + %llu bytes runs past the end of the source, which is 0x%llx "
                    "bytes long (%s)%s",
                    (unsigned long long)off, (unsigned long long)len,
                    (unsigned long long)mmio_len(r), mmio_err_name(MMIO_ERR_OUT_OF_RANGE),
                    c->t.name.reg != NULL && s->opt.scope == NULL
                        ? "; name the peripheral the source starts at with --peripheral"
                        : "");
  return 0;
}

/* The register layer's verdict on a named access, without making it. */
static int cli__check_name(struct cli_session *s, struct cli_cmd *c, int store, unsigned flags) {
  char name[256];
  uint64_t v = 0;
  size_t off = 0;
  int err = mmio_regmap_offset(s->map, &c->t.name, &off);
  if (err == 0 && off != c->t.off) err = -EINVAL; /* the tool and the map disagree: a bug */
  /* The rules are judged on the stand-in map, whose region is writable
   * even when the source is mapped read-only for --dry-run; the source's
   * own write right, range and alignment are judged separately. */
  if (err == 0)
    err = store ? mmio_regmap_write(s->check_map, &c->t.name, flags | MMIO_REGS_CHECK_ONLY,
                                    c->nvalues ? c->values[0] : c->value)
                : mmio_regmap_read(s->check_map, &c->t.name, flags | MMIO_REGS_CHECK_ONLY, &v);
  /* A whole write is made on the stand-in (which drops it) so that the
   * stand-in map remembers a write-only register's value, as the real
   * map will when the session gets there: a later field write of that
   * register is then judged as it will be run. */
  if (err == 0 && store && c->t.name.field == NULL && c->op == CLI_WRITE)
    err = mmio_regmap_write(s->check_map, &c->t.name, 0, c->values[0]);
  if (err == 0) return 0;
  cli__access_name(name, sizeof(name), store ? "write" : "read", c->t.width);
  if (err == MMIO_ERR_WRITE_ONLY && !store)
    return cli__bad(c, "%s is write-only: reading it means nothing (%s)", c->t.text,
                    mmio_err_name(err));
  if (err == MMIO_ERR_READ_EFFECT && store)
    return cli__bad(c,
                    "%s %s would read the register first, and reading it changes it (read to "
                    "clear): write the whole register instead",
                    c->verb, c->t.text);
  if (err == MMIO_ERR_READ_EFFECT)
    return cli__bad(c,
                    "reading %s changes it (read to clear): only read takes it by name, one "
                    "read per command, so that no read is made you did not ask for",
                    c->t.text);
  if (err == MMIO_ERR_WRITE_ONLY)
    return cli__bad(c,
                    "%s is in a write-only register whose other bits are unknown: write the "
                    "whole register",
                    c->t.text);
  /* The stand-in region is writable: a refusal is the register's. */
  if (err == MMIO_ERR_READ_ONLY)
    return cli__bad(c, "%s is read-only in the description: it cannot be written (%s)", c->t.text,
                    mmio_err_name(err));
  return cli__bad(c, "%s %s: %s (%s)", name, c->t.text, mmio_strerror(err), mmio_err_name(err));
}

static int cli__check_stores(struct cli_session *s, struct cli_cmd *c) {
  if (!s->opt.dry_run && mmio_region_is_read_only(&s->src.r))
    return cli__bad(c, "the source is mapped read-only: %s", mmio_strerror(MMIO_ERR_READ_ONLY));
  return 0;
}

static int cli__check_read(struct cli_session *s, struct cli_cmd *c) {
  int rc = cli__check_span(s, c, c->t.off, c->count * c->t.width, c->t.width);
  if (rc == 0 && c->t.name.reg != NULL) rc = cli__check_name(s, c, 0, MMIO_REGS_READ_EFFECTS);
  return rc;
}

static int cli__check_write(struct cli_session *s, struct cli_cmd *c) {
  int rc = cli__check_stores(s, c);
  if (rc == 0) rc = cli__check_span(s, c, c->t.off, c->nvalues * c->t.width, c->t.width);
  if (rc == 0 && c->t.name.reg != NULL) rc = cli__check_name(s, c, 1, 0);
  return rc;
}

static int cli__check_modify(struct cli_session *s, struct cli_cmd *c) {
  const struct mmio_reg *reg = c->t.name.reg;
  int rc = cli__check_stores(s, c);
  if (rc == 0) rc = cli__check_span(s, c, c->t.off, c->t.width, c->t.width);
  if (rc == 0 && reg != NULL) {
    /* A masked read-modify-write writes back every bit outside the mask
     * as read: refuse when the register says some must not be. */
    const uint64_t unsafe = ~c->mask & cli_ones(8 * reg->width) & ~reg->keep;
    if (reg->access == MMIO_RO || reg->access == MMIO_RC || reg->access == MMIO_WO ||
        reg->access == MMIO_WO_ONCE)
      rc = cli__bad(c, "%s is %s: it cannot be modified", c->t.text, mmio_access_name(reg->access));
    else if (!(reg->derived & MMIO_REG_DERIVED) || unsafe != 0)
      rc = cli__bad(c,
                    "%s has bits that must not be written back as read (0x%llx: write-1-to-"
                    "clear and the like): write its fields by name instead",
                    c->t.text, (unsigned long long)unsafe);
  }
  return rc;
}

/* dump -o FILE: that it can be written, before the first access of the
 * session (the file itself is written only once all was read). */
static int cli__check_output(struct cli_cmd *c) {
  char dir[4096];
  const char *slash = strrchr(c->file, '/');
  struct stat st;
  /* A file that cannot be opened is a failed open (status 1), as a
   * missing input file is; a directory given for a file is bad input. */
  if (stat(c->file, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return cli__bad(c, "-o %s is a directory: name a file", c->file);
    if (access(c->file, W_OK) == 0) return 0;
    cli_say("%s: -o %s cannot be written: %s; nothing was accessed", cli_where(c), c->file,
            strerror(errno));
    return CLI_FAILED;
  }
  if (slash == NULL)
    snprintf(dir, sizeof(dir), ".");
  else
    snprintf(dir, sizeof(dir), "%.*s", (int)(slash == c->file ? 1 : slash - c->file), c->file);
  if (access(dir, W_OK) == 0) return 0;
  cli_say("%s: -o %s cannot be created in %s: %s; nothing was accessed", cli_where(c), c->file, dir,
          strerror(errno));
  return CLI_FAILED;
}

static int cli__check_transfer(struct cli_session *s, struct cli_cmd *c) {
  int rc = c->op == CLI_DUMP ? 0 : cli__check_stores(s, c);
  if (rc == 0) rc = cli__check_span(s, c, c->t.off, c->len, c->t.width);
  if (rc == 0 && c->op == CLI_COPY) rc = cli__check_span(s, c, c->dst, c->len, c->t.width);
  /* A named start: the register's rules, as read or write would apply
   * them (a dump of a write-only or read-to-clear register is refused). */
  if (rc == 0 && c->t.name.reg != NULL)
    rc = cli__check_name(s, c, c->op == CLI_FILL || c->op == CLI_LOAD, 0);
  if (rc == 0 && c->op == CLI_DUMP && c->file != NULL) rc = cli__check_output(c);
  return rc;
}

static int cli__check_poll(struct cli_session *s, struct cli_cmd *c) {
  int rc = cli__check_span(s, c, c->t.off, c->t.width, c->t.width);
  if (rc == 0 && c->t.name.reg != NULL) rc = cli__check_name(s, c, 0, 0);
  return rc;
}

static int cli__check_irq(struct cli_session *s, struct cli_cmd *c) {
  const enum mmio_source k = s->src.parsed.source;
  if (s->src.fake || k == MMIO_SOURCE_UIO || k == MMIO_SOURCE_VFIO) return 0;
  return cli__bad(c, "%s sources have no interrupt: use uio: or vfio: for the device",
                  mmio_source_name(k));
}

static int cli__check_none(struct cli_session *s, struct cli_cmd *c) {
  (void)s, (void)c;
  return 0;
}

/* ---- running ---- */

/* Reports a failed access: which one, why, and what to do. */
int cli_cmd_failed(const struct cli_session *s, const struct cli_cmd *c, const char *what,
                   uint64_t off, unsigned width, int err) {
  char name[32];
  cli__access_name(name, sizeof(name), what, width);
  if (err == MMIO_ERR_REJECTED && s->src.rejected[0] != '\0')
    cli_say("%s: %s at 0x%llx failed: %s", cli_where(c), name, (unsigned long long)off,
            s->src.rejected);
  else
    cli_say("%s: %s at 0x%llx failed: %s (%s)", cli_where(c), name, (unsigned long long)off,
            mmio_strerror(err), mmio_err_name(err));
  return CLI_FAILED;
}

/* The digits of an offset in this source: enough for its last byte. */
static int cli__off_digits(const struct cli_session *s) {
  const uint64_t len = mmio_len(&s->src.r);
  int d = 4;
  while (d < 16 && len > 1 && ((len - 1) >> (4 * d)) != 0)
    d++;
  return d;
}

/* One value read, printed for people, for -q, and into the document. */
static void cli__print_value(struct cli_session *s, const struct cli_cmd *c, uint64_t off,
                             uint64_t v) {
  struct cli_out *o = &s->out;
  const struct cli_target *t = &c->t;
  const int digits = (int)cli_digits(cli__bits(t));
  const char *enum_name = t->name.field != NULL ? mmio_field_enum_name(t->name.field, v) : NULL;
  if (o->quiet) {
    cli_print_hex(stdout, v, digits, '\n');
  } else if (!o->json) {
    if (t->name.reg != NULL) printf("%s @ ", t->text);
    cli_print_hex(stdout, off, cli__off_digits(s), t->bits ? '[' : ':');
    if (t->bits) printf("%u:%u]:", t->msb, t->lsb);
    putchar(' ');
    cli_print_hex(stdout, v, digits, enum_name != NULL ? ' ' : '\n');
    if (enum_name != NULL) printf("%s\n", enum_name);
  }
  if (!o->json) return;
  cli_out_begin(o, "read");
  cli_out_u64(o, "offset", off);
  cli_out_u64(o, "width", 8 * t->width);
  cli_out_u64(o, "value", v);
  if (t->name.reg != NULL) cli_out_str(o, "name", t->text);
  if (t->bits) {
    cli_out_u64(o, "msb", t->msb);
    cli_out_u64(o, "lsb", t->lsb);
  }
  if (enum_name != NULL) cli_out_str(o, "enum", enum_name);
}

/* A register's fields, decoded: indented lines for people, an array in
 * the document. */
static void cli__print_fields(struct cli_session *s, const struct mmio_reg *reg, uint64_t v) {
  struct cli_buf t = {0};
  size_t i;
  if (!s->out.json && !s->out.quiet) {
    /* The decoded text's length first: a register may have many fields. */
    const int n = mmio_reg_decode(NULL, 0, reg, v);
    char *text = n > 0 ? malloc((size_t)n + 1) : NULL, *line, *save = NULL;
    if (text == NULL) return;
    mmio_reg_decode(text, (size_t)n + 1, reg, v);
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
      printf("  %s\n", line);
    free(text);
    return;
  }
  cli_buf_add(&t, "[");
  for (i = 0; i < reg->nfields; i++) {
    const struct mmio_field *f = &reg->fields[i];
    const uint64_t fv = (v >> f->lsb) & cli_ones(f->msb - f->lsb + 1);
    const char *e = mmio_field_enum_name(f, fv);
    cli_buf_add(&t, "%s{\"name\": ", i ? ", " : "");
    cli_buf_json(&t, f->name);
    cli_buf_add(&t, ", \"msb\": %u, \"lsb\": %u, \"value\": %llu", f->msb, f->lsb,
                (unsigned long long)fv);
    if (e != NULL) {
      cli_buf_add(&t, ", \"enum\": ");
      cli_buf_json(&t, e);
    }
    cli_buf_add(&t, "}");
  }
  cli_buf_add(&t, "]");
  cli_out_raw(&s->out, "fields", t.p);
  cli_buf_free(&t);
}

/* Records the access about to be made: the session runs guarded as a
 * whole (mmio_guard_run), and a fault names the last access recorded. */
static void cli__doing(struct cli_session *s, const struct cli_cmd *c, const char *what,
                       uint64_t off, unsigned width) {
  s->doing.cmd = c;
  s->doing.what = what;
  s->doing.off = off;
  s->doing.width = width;
}

/* A whole-element load at off, with the hint for all ones. */
static int cli__load(struct cli_session *s, struct cli_cmd *c, uint64_t off, unsigned width,
                     uint64_t *v) {
  int err;
  cli__doing(s, c, "read", off, width);
  err = mmio_try_load_width(&s->src.r, (size_t)off, width, v);
  if (err != 0) return cli_cmd_failed(s, c, "read", off, width, err);
  cli_source_hint(&s->src, off, *v, width);
  return 0;
}

static int cli__store(struct cli_session *s, struct cli_cmd *c, uint64_t off, unsigned width,
                      uint64_t v) {
  int err;
  cli__doing(s, c, "write", off, width);
  err = mmio_try_store_width(&s->src.r, (size_t)off, width, v);
  return err != 0 ? cli_cmd_failed(s, c, "write", off, width, err) : 0;
}

/* --verify: the bits in mask read back as written. */
static int cli__verify(struct cli_session *s, struct cli_cmd *c, uint64_t off, uint64_t want,
                       uint64_t mask) {
  uint64_t back = 0;
  int rc;
  if (!s->opt.verify) return 0;
  rc = cli__load(s, c, off, c->t.width, &back);
  if (rc != 0 || ((back ^ want) & mask) == 0) return rc;
  cli_say("%s: write%u at 0x%llx did not hold: wrote 0x%llx, read back 0x%llx (mask 0x%llx): %s",
          cli_where(c), 8 * c->t.width, (unsigned long long)off, (unsigned long long)want,
          (unsigned long long)back, (unsigned long long)mask,
          mmio_strerror(MMIO_ERR_WRITE_DROPPED));
  return CLI_FAILED;
}

/* A whole-element store, read back under --verify. */
static int cli__store_verified(struct cli_session *s, struct cli_cmd *c, uint64_t off,
                               unsigned width, uint64_t v) {
  int rc = cli__store(s, c, off, width, v);
  return rc != 0 ? rc : cli__verify(s, c, off, v, cli_ones(8 * width));
}

static int cli__run_read(struct cli_session *s, struct cli_cmd *c) {
  const struct cli_target *t = &c->t;
  uint64_t i, v = 0;
  int rc = 0, err;
  if (t->name.reg != NULL) {
    cli__doing(s, c, "read", t->off, t->width);
    err = mmio_regmap_read(s->map, &t->name, MMIO_REGS_READ_EFFECTS, &v);
    if (err != 0) return cli_cmd_failed(s, c, "read", t->off, t->width, err);
    if (t->name.field == NULL) cli_source_hint(&s->src, t->off, v, t->width);
    cli__print_value(s, c, t->off, v);
    if (t->name.field == NULL && t->name.reg->nfields > 0) cli__print_fields(s, t->name.reg, v);
    cli_out_end(&s->out);
    return 0;
  }
  for (i = 0; i < c->count && rc == 0; i++) {
    const uint64_t off = t->off + i * t->width;
    rc = cli__load(s, c, off, t->width, &v);
    if (rc != 0) break;
    if (t->bits) v = (v >> t->lsb) & cli_ones(cli__bits(t));
    cli__print_value(s, c, off, v);
    cli_out_end(&s->out);
  }
  return rc;
}

/* A result for a store. */
static void cli__print_store(struct cli_session *s, struct cli_cmd *c, const char *op, uint64_t off,
                             uint64_t v) {
  cli_out_begin(&s->out, op);
  cli_out_u64(&s->out, "offset", off);
  cli_out_u64(&s->out, "width", 8 * c->t.width);
  cli_out_u64(&s->out, "value", v);
  if (c->t.name.reg != NULL) cli_out_str(&s->out, "name", c->t.text);
  if (c->t.bits) {
    cli_out_u64(&s->out, "msb", c->t.msb);
    cli_out_u64(&s->out, "lsb", c->t.lsb);
  }
  cli_out_end(&s->out);
}

/* OFF:HI:LO VALUE: one read-modify-write under the lock. */
static int cli__write_bits(struct cli_session *s, struct cli_cmd *c) {
  const struct cli_target *t = &c->t;
  const uint64_t mask = cli_ones(cli__bits(t)) << t->lsb;
  uint64_t old = 0, nv = 0;
  int rc = cli_lock_take(&s->lock);
  if (rc != 0) return rc;
  rc = cli__load(s, c, t->off, t->width, &old);
  nv = (old & ~mask) | (c->values[0] << t->lsb);
  if (rc == 0) rc = cli__store(s, c, t->off, t->width, nv);
  cli_lock_drop(&s->lock);
  /* The store was made: it is in the output, whatever the verify says. */
  if (rc == 0) cli__print_store(s, c, "write", t->off, c->values[0]);
  if (rc == 0) rc = cli__verify(s, c, t->off, nv, mask);
  return rc;
}

static int cli__run_write(struct cli_session *s, struct cli_cmd *c) {
  const struct cli_target *t = &c->t;
  size_t i;
  int rc = 0, err;
  if (t->name.reg != NULL) {
    uint64_t back = 0;
    /* A field write reads the register first: the lock keeps another
     * run's write to the same register out of the gap. */
    rc = t->name.field != NULL ? cli_lock_take(&s->lock) : 0;
    if (rc != 0) return rc;
    cli__doing(s, c, "write", t->off, t->width);
    err = mmio_regmap_write(s->map, &t->name, s->opt.verify ? MMIO_REGS_VERIFY : 0, c->values[0]);
    if (t->name.field != NULL) cli_lock_drop(&s->lock);
    if (err != 0 && err != MMIO_ERR_WRITE_DROPPED)
      return cli_cmd_failed(s, c, "write", t->off, t->width, err);
    cli__print_store(s, c, "write", t->off, c->values[0]);
    if (err == 0) return 0;
    /* A verify that failed: show what the register holds now. */
    if (mmio_regmap_read(s->map, &t->name, MMIO_REGS_READ_EFFECTS, &back) == 0)
      cli_say("%s: write of 0x%llx to %s did not hold: it reads back 0x%llx: %s", cli_where(c),
              (unsigned long long)c->values[0], t->text, (unsigned long long)back,
              mmio_strerror(err));
    else
      cli_cmd_failed(s, c, "write", t->off, t->width, err);
    return CLI_FAILED;
  }
  if (t->bits) return cli__write_bits(s, c);
  for (i = 0; i < c->nvalues && rc == 0; i++) {
    const uint64_t off = t->off + i * t->width;
    rc = cli__store(s, c, off, t->width, c->values[i]);
    if (rc == 0) cli__print_store(s, c, "write", off, c->values[i]);
    if (rc == 0) rc = cli__verify(s, c, off, c->values[i], cli_ones(8 * t->width));
  }
  return rc;
}

static int cli__run_modify(struct cli_session *s, struct cli_cmd *c) {
  int rc = cli_lock_take(&s->lock), err;
  if (rc != 0) return rc;
  cli__doing(s, c, "modify", c->t.off, c->t.width);
  err = mmio_masked_modify_width(&s->src.r, (size_t)c->t.off, c->t.width, c->mask, c->value);
  cli_lock_drop(&s->lock);
  if (err != 0) return cli_cmd_failed(s, c, "modify", c->t.off, c->t.width, err);
  cli_out_begin(&s->out, "modify");
  cli_out_u64(&s->out, "offset", c->t.off);
  cli_out_u64(&s->out, "width", 8 * c->t.width);
  cli_out_u64(&s->out, "mask", c->mask);
  cli_out_u64(&s->out, "value", c->value);
  cli_out_end(&s->out);
  return cli__verify(s, c, c->t.off, c->value, c->mask);
}

/* ---- Ctrl-C during a long command ---- */

/* Set by SIGINT or SIGTERM while a watch or a transfer runs: the command
 * stops at the next element, cleans up, and the session runs no further
 * command. Elsewhere the signals keep their default (they end the run). */
static volatile sig_atomic_t cli__stop;

static void cli__on_signal(int sig) {
  (void)sig;
  cli__stop = 1;
}

static void cli__catch(struct sigaction old[2]) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = cli__on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old[0]);
  sigaction(SIGTERM, &sa, &old[1]);
}

static void cli__uncatch(const struct sigaction old[2]) {
  sigaction(SIGINT, &old[0], NULL);
  sigaction(SIGTERM, &old[1], NULL);
}

int cli_interrupted(void) { return cli__stop != 0; }

/* A transfer cut short: say how far it got. */
static int cli__cut_short(struct cli_cmd *c, uint64_t done) {
  cli_say("%s: interrupted after %llu of %llu bytes", cli_where(c), (unsigned long long)done,
          (unsigned long long)c->len);
  return CLI_FAILED;
}

/* Elements per step of a long transfer, between progress updates. */
#define CLI_CHUNK 4096u

/* Prints bytes as hexdump -C does: offset, 16 bytes in hex, ASCII. */
static void cli__hexdump(uint64_t base, const unsigned char *p, size_t n) {
  size_t i, j;
  for (i = 0; i < n; i += 16) {
    printf("%08llx ", (unsigned long long)(base + i));
    for (j = 0; j < 16; j++) {
      if (j == 8) printf(" ");
      if (i + j < n)
        printf(" %02x", p[i + j]);
      else
        printf("   ");
    }
    printf("  |");
    for (j = 0; j < 16 && i + j < n; j++)
      putchar(p[i + j] >= 0x20 && p[i + j] < 0x7f ? p[i + j] : '.');
    printf("|\n");
  }
}

/* An element of w bytes at p, in host order (a dump's buffer, a loaded
 * file), and back. */
static uint64_t cli__element(const unsigned char *p, unsigned w) {
  uint8_t b;
  uint16_t h;
  uint32_t x;
  uint64_t q;
  if (w == 1) return memcpy(&b, p, 1), b;
  if (w == 2) return memcpy(&h, p, 2), h;
  if (w == 4) return memcpy(&x, p, 4), x;
  return memcpy(&q, p, 8), q;
}

static void cli__put_element(unsigned char *p, unsigned w, uint64_t v) {
  const uint8_t b = (uint8_t)v;
  const uint16_t h = (uint16_t)v;
  const uint32_t x = (uint32_t)v;
  if (w == 1)
    memcpy(p, &b, 1);
  else if (w == 2)
    memcpy(p, &h, 2);
  else if (w == 4)
    memcpy(p, &x, 4);
  else
    memcpy(p, &v, 8);
}

/* Writes the dump to FILE. A regular file (or a new one) is written as
 * FILE.partial and renamed, so that a failed write leaves no file that
 * looks whole; anything else (a device such as /dev/stdout, a FIFO, a
 * symbolic link, which a rename would replace) is written through. */
static int cli__write_file(struct cli_cmd *c, const unsigned char *buf) {
  struct cli_buf tmp = {0};
  struct stat st;
  const int direct = lstat(c->file, &st) == 0 && !S_ISREG(st.st_mode);
  FILE *f;
  int rc = 0, err = 0;
  cli_buf_add(&tmp, direct ? "%s" : "%s.partial", c->file);
  f = fopen(tmp.p, "wb");
  if (f == NULL) err = errno;
  if (f != NULL && fwrite(buf, 1, (size_t)c->len, f) != c->len) err = ferror(f) ? errno : EIO;
  if (f != NULL && fclose(f) != 0 && err == 0) err = errno;
  if (err == 0 && !direct && rename(tmp.p, c->file) != 0) err = errno;
  if (err != 0 && f == NULL && !direct) {
    cli_say("%s: cannot create %s (the dump goes there first, then is renamed to %s): %s",
            cli_where(c), tmp.p, c->file, strerror(err));
    rc = CLI_FAILED;
  } else if (err != 0) {
    cli_say("%s: cannot write %s: %s", cli_where(c), c->file, strerror(err));
    if (!direct) unlink(tmp.p);
    rc = CLI_FAILED;
  }
  cli_buf_free(&tmp);
  return rc;
}

/* Reads everything first, then prints it or writes the file: an
 * interrupted or failed dump writes nothing. Element by element, so that
 * a failure or a fault names the very access. */
static int cli__run_dump(struct cli_session *s, struct cli_cmd *c) {
  const unsigned w = c->t.width;
  struct cli_progress pr;
  struct sigaction old[2];
  unsigned char *buf = malloc((size_t)c->len);
  uint64_t done = 0, i, v = 0;
  int rc = 0;
  if (buf == NULL) {
    cli_say("%s: out of memory for %llu bytes", cli_where(c), (unsigned long long)c->len);
    return CLI_FAILED;
  }
  cli__catch(old);
  cli_progress_start(&pr, "dump", c->len, !s->out.json && !s->out.quiet);
  while (done < c->len && rc == 0) {
    rc = cli__load(s, c, c->t.off + done, w, &v);
    if (rc == 0) cli__put_element(buf + done, w, v), done += w;
    if (rc == 0 && (done / w) % CLI_CHUNK == 0) {
      cli_progress_update(&pr, done);
      if (cli__stop && done < c->len) rc = cli__cut_short(c, done);
    }
  }
  cli_progress_end(&pr, done);
  if (rc == 0 && c->file != NULL) rc = cli__write_file(c, buf);
  cli__uncatch(old);
  if (rc == 0 && c->file == NULL && s->out.quiet) {
    for (i = 0; i < c->len; i += w)
      cli_print_hex(stdout, cli__element(buf + i, w), (int)(2 * w), '\n');
  } else if (rc == 0 && c->file == NULL && !s->out.json) {
    cli__hexdump(c->t.off, buf, (size_t)c->len);
  }
  if (rc == 0) {
    cli_out_begin(&s->out, "dump");
    cli_out_u64(&s->out, "offset", c->t.off);
    cli_out_u64(&s->out, "length", c->len);
    cli_out_u64(&s->out, "width", 8 * w);
    if (c->file != NULL) {
      cli_out_str(&s->out, "file", c->file);
    } else if (s->out.json) {
      struct cli_buf hex = {0};
      cli_buf_put(&hex, "\"", 1);
      for (i = 0; i < c->len; i++)
        cli_buf_add(&hex, "%02x", buf[i]);
      cli_buf_put(&hex, "\"", 1);
      cli_out_raw(&s->out, "bytes", hex.p);
      cli_buf_free(&hex);
    }
    cli_out_end(&s->out);
  }
  free(buf);
  return rc;
}

static int cli__run_fill(struct cli_session *s, struct cli_cmd *c) {
  const unsigned w = c->t.width;
  struct cli_progress pr;
  struct sigaction old[2];
  uint64_t done = 0;
  int rc = 0;
  cli__catch(old);
  cli_progress_start(&pr, "fill", c->len, !s->out.json && !s->out.quiet);
  while (done < c->len && rc == 0) {
    rc = cli__store_verified(s, c, c->t.off + done, w, c->value);
    if (rc == 0) done += w;
    if (rc == 0 && (done / w) % CLI_CHUNK == 0) {
      cli_progress_update(&pr, done);
      if (cli__stop && done < c->len) rc = cli__cut_short(c, done);
    }
  }
  cli_progress_end(&pr, done);
  cli__uncatch(old);
  if (rc == 0) {
    cli_out_begin(&s->out, "fill");
    cli_out_u64(&s->out, "offset", c->t.off);
    cli_out_u64(&s->out, "length", c->len);
    cli_out_u64(&s->out, "width", 8 * w);
    cli_out_u64(&s->out, "value", c->value);
    cli_out_end(&s->out);
  }
  return rc;
}

/* Element by element, one load and one store each; backwards when the
 * destination overlaps the source from above, as memmove does. */
static int cli__run_copy(struct cli_session *s, struct cli_cmd *c) {
  const unsigned w = c->t.width;
  const int down = c->dst > c->t.off && c->dst < c->t.off + c->len;
  struct cli_progress pr;
  struct sigaction old[2];
  uint64_t i = 0, v = 0;
  int rc = 0;
  cli__catch(old);
  cli_progress_start(&pr, "copy", c->len, !s->out.json && !s->out.quiet);
  while (i < c->len && rc == 0) {
    const uint64_t at = down ? c->len - w - i : i;
    rc = cli__load(s, c, c->t.off + at, w, &v);
    if (rc == 0) rc = cli__store_verified(s, c, c->dst + at, w, v);
    if (rc == 0) i += w;
    if (rc == 0 && (i / w) % CLI_CHUNK == 0) {
      cli_progress_update(&pr, i);
      if (cli__stop && i < c->len) rc = cli__cut_short(c, i);
    }
  }
  cli_progress_end(&pr, i);
  cli__uncatch(old);
  if (rc == 0) {
    cli_out_begin(&s->out, "copy");
    cli_out_u64(&s->out, "source", c->t.off);
    cli_out_u64(&s->out, "destination", c->dst);
    cli_out_u64(&s->out, "length", c->len);
    cli_out_u64(&s->out, "width", 8 * w);
    cli_out_end(&s->out);
  }
  return rc;
}

static int cli__run_load(struct cli_session *s, struct cli_cmd *c) {
  const unsigned w = c->t.width;
  struct cli_progress pr;
  struct sigaction old[2];
  uint64_t done = 0;
  int rc = 0;
  cli__catch(old);
  cli_progress_start(&pr, "load", c->len, !s->out.json && !s->out.quiet);
  while (done < c->len && rc == 0) {
    rc = cli__store_verified(s, c, c->t.off + done, w, cli__element(c->data + done, w));
    if (rc == 0) done += w;
    if (rc == 0 && (done / w) % CLI_CHUNK == 0) {
      cli_progress_update(&pr, done);
      if (cli__stop && done < c->len) rc = cli__cut_short(c, done);
    }
  }
  cli_progress_end(&pr, done);
  cli__uncatch(old);
  if (rc == 0) {
    cli_out_begin(&s->out, "load");
    cli_out_u64(&s->out, "offset", c->t.off);
    cli_out_u64(&s->out, "length", c->len);
    cli_out_u64(&s->out, "width", 8 * w);
    cli_out_str(&s->out, "file", c->file);
    cli_out_end(&s->out);
  }
  return rc;
}

static int cli__run_poll(struct cli_session *s, struct cli_cmd *c) {
  const struct cli_target *t = &c->t;
  const uint64_t timeout = c->timeout_us;
  uint64_t last = 0, start;
  char name[32];
  int err;
  /* What was printed so far is seen before a wait that may be long. */
  fflush(stdout);
  start = mmio_clock_ns();
  cli__doing(s, c, "poll", t->off, t->width);
  if (t->name.field != NULL)
    err = mmio_regmap_poll(s->map, &t->name, c->value, timeout, c->interval_us, 0, &last);
  else
    err = mmio_poll_width(&s->src.r, (size_t)t->off, t->width, c->mask << (t->bits ? t->lsb : 0),
                          c->value << (t->bits ? t->lsb : 0), timeout, c->interval_us, &last);
  if (err == 0 && t->bits && t->name.field == NULL)
    last = (last >> t->lsb) & cli_ones(cli__bits(t));
  cli__access_name(name, sizeof(name), "poll", t->width);
  if (err == -ETIMEDOUT) {
    cli_say("%s: %s %s timed out after %.3f s: the last value was 0x%0*llx, not (value & 0x%llx) "
            "== 0x%llx; raise --timeout if the device is slow",
            cli_where(c), name, t->text, (double)(mmio_clock_ns() - start) / 1e9,
            (int)cli_digits(cli__bits(t)), (unsigned long long)last, (unsigned long long)c->mask,
            (unsigned long long)c->value);
    return CLI_TIMEOUT;
  }
  if (err != 0) return cli_cmd_failed(s, c, "poll", t->off, t->width, err);
  /* -q: a poll prints nothing; its value is not a read the script asked for. */
  if (!s->out.json && !s->out.quiet) {
    if (t->name.reg != NULL)
      printf("%s: ", t->text);
    else
      cli_print_hex(stdout, t->off, cli__off_digits(s), ':'), putchar(' ');
    cli_print_hex(stdout, last, (int)cli_digits(cli__bits(t)), '\0');
    printf(" after %.6f s\n", (double)(mmio_clock_ns() - start) / 1e9);
  }
  cli_out_begin(&s->out, "poll");
  cli_out_u64(&s->out, "offset", t->off);
  cli_out_u64(&s->out, "width", 8 * t->width);
  cli_out_u64(&s->out, "mask", c->mask);
  cli_out_u64(&s->out, "expected", c->value);
  cli_out_u64(&s->out, "value", last);
  cli_out_double(&s->out, "seconds", (double)(mmio_clock_ns() - start) / 1e9);
  cli_out_end(&s->out);
  return 0;
}

static void cli__sleep_us(uint64_t us) {
  struct timespec ts = {(time_t)(us / 1000000u), (long)(us % 1000000u) * 1000};
  nanosleep(&ts, NULL);
}

/* Prints the first value and every change, with the time since the start,
 * until --count changes or SIGINT/SIGTERM. */
static int cli__run_watch(struct cli_session *s, struct cli_cmd *c) {
  const struct cli_target *t = &c->t;
  struct sigaction old[2];
  const uint64_t start = mmio_clock_ns();
  uint64_t v = 0, prev = 0, changes = 0;
  int rc = 0, first = 1, err;
  cli__catch(old);
  while (!cli__stop && rc == 0 && (c->count == 0 || changes < c->count)) {
    if (t->name.reg != NULL) {
      cli__doing(s, c, "read", t->off, t->width);
      err = mmio_regmap_read(s->map, &t->name, 0, &v);
      if (err != 0) rc = cli_cmd_failed(s, c, "read", t->off, t->width, err);
    } else {
      rc = cli__load(s, c, t->off, t->width, &v);
      if (t->bits) v = (v >> t->lsb) & cli_ones(cli__bits(t));
    }
    if (rc == 0 && (first || v != prev)) {
      const double at = (double)(mmio_clock_ns() - start) / 1e9;
      if (!s->out.json && !s->out.quiet) printf("%12.6f  ", at);
      cli__print_value(s, c, t->off, v);
      if (t->name.reg != NULL && t->name.field == NULL) cli__print_fields(s, t->name.reg, v);
      cli_out_double(&s->out, "time", at);
      cli_out_end(&s->out);
      fflush(stdout);
      changes += first ? 0 : 1;
      first = 0;
      prev = v;
    }
    if (rc == 0 && (c->count == 0 || changes < c->count)) cli__sleep_us(c->interval_us);
  }
  cli__uncatch(old);
  return rc;
}

static int cli__run_irq(struct cli_session *s, struct cli_cmd *c) {
  uint64_t count = 0;
  int rc;
  fflush(stdout);
  rc = cli_source_irq(&s->src, c->timeout_us, &count);
  if (rc == 0) {
    cli_say("%s: no interrupt within %.3f s (raise --timeout, or check that the device raises "
            "it and that its interrupt is enabled at the device)",
            cli_where(c), (double)c->timeout_us / 1e6);
    return CLI_TIMEOUT;
  }
  if (rc < 0) {
    cli_say("%s: waiting for the interrupt failed: %s (%s)", cli_where(c), mmio_strerror(rc),
            mmio_err_name(rc));
    return CLI_FAILED;
  }
  if (!s->out.json && !s->out.quiet) printf("irq: %llu\n", (unsigned long long)count);
  cli_out_begin(&s->out, "irq");
  cli_out_u64(&s->out, "count", count);
  cli_out_end(&s->out);
  return 0;
}

static int cli__run_info(struct cli_session *s, struct cli_cmd *c) {
  (void)c;
  cli_source_describe(&s->src, &s->out);
  return 0;
}

/* ---- --dry-run: what each command would do ---- */

static void cli__plan_line(struct cli_session *s, struct cli_cmd *c, const char *fmt, ...)
    CLI_PRINTF(3, 4);
static void cli__plan_line(struct cli_session *s, struct cli_cmd *c, const char *fmt, ...) {
  char text[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  /* -q prints only values read, and a dry run reads none. */
  if (!s->out.json && !s->out.quiet) printf("%s: %s\n", cli_where(c), text);
  cli_out_begin(&s->out, cli__verb(c->op)->name);
  cli_out_u64(&s->out, "offset", c->t.off);
  cli_out_u64(&s->out, "width", 8 * c->t.width);
  cli_out_str(&s->out, "plan", text);
  cli_out_end(&s->out);
}

static void cli__plan_access(struct cli_session *s, struct cli_cmd *c) {
  const struct cli_target *t = &c->t;
  const unsigned bits = 8 * t->width;
  const unsigned long long off = t->off;
  const int rmw = c->op == CLI_MODIFY || (c->op == CLI_WRITE && t->bits);
  if (c->op == CLI_READ)
    cli__plan_line(s, c, "%llu read%u from 0x%llx (%s)", (unsigned long long)c->count, bits, off,
                   t->text);
  else if (c->op == CLI_WRITE && !t->bits)
    cli__plan_line(s, c, "%zu write%u from 0x%llx (%s), first value 0x%llx", c->nvalues, bits, off,
                   t->text, (unsigned long long)c->values[0]);
  else if (rmw && c->op == CLI_WRITE)
    cli__plan_line(s, c, "read%u 0x%llx, then write%u it with bits %u:%u = 0x%llx (%s)%s", bits,
                   off, bits, t->msb, t->lsb, (unsigned long long)c->values[0], t->text,
                   s->lock.fd >= 0 ? ", under the lock" : "");
  else if (c->op == CLI_MODIFY)
    cli__plan_line(s, c, "read%u 0x%llx, then write%u (value & ~0x%llx) | 0x%llx%s", bits, off,
                   bits, (unsigned long long)c->mask, (unsigned long long)c->value,
                   s->lock.fd >= 0 ? ", under the lock" : "");
  else if (c->op == CLI_POLL)
    cli__plan_line(s, c, "read%u 0x%llx until (value & 0x%llx) == 0x%llx, for up to %.3f s", bits,
                   off, (unsigned long long)(c->mask << (t->bits ? t->lsb : 0)),
                   (unsigned long long)(c->value << (t->bits ? t->lsb : 0)),
                   (double)c->timeout_us / 1e6);
  else if (c->op == CLI_WATCH)
    cli__plan_line(s, c, "read%u 0x%llx every %.3f s, printing each change", bits, off,
                   (double)c->interval_us / 1e6);
}

static void cli__plan_transfer(struct cli_session *s, struct cli_cmd *c) {
  const unsigned bits = 8 * c->t.width;
  const unsigned long long n = (unsigned long long)(c->len / c->t.width);
  const unsigned long long off = c->t.off, end = c->t.off + c->len;
  if (c->op == CLI_DUMP)
    cli__plan_line(s, c, "%llu read%u from 0x%llx to 0x%llx%s%s", n, bits, off, end,
                   c->file ? " into " : "", c->file ? c->file : "");
  else if (c->op == CLI_FILL)
    cli__plan_line(s, c, "%llu write%u of 0x%llx from 0x%llx to 0x%llx", n, bits,
                   (unsigned long long)c->value, off, end);
  else if (c->op == CLI_COPY)
    cli__plan_line(s, c, "%llu read%u from 0x%llx and write%u to 0x%llx", n, bits, off, bits,
                   (unsigned long long)c->dst);
  else
    cli__plan_line(s, c, "%llu write%u from 0x%llx to 0x%llx, of %s", n, bits, off, end, c->file);
}

static void cli__plan_other(struct cli_session *s, struct cli_cmd *c) {
  if (c->op == CLI_IRQ)
    cli__plan_line(s, c, "wait for the interrupt for up to %.3f s (0: forever)",
                   (double)c->timeout_us / 1e6);
  else
    cli__run_info(s, c); /* info makes no access */
}

/* ---- the table ---- */

static const struct cli_verb cli__verbs[] = {
    [CLI_READ] = {.name = "read",
                  .op = CLI_READ,
                  .sized = 1,
                  .min = 1,
                  .max = 2,
                  .parse = cli__parse_read,
                  .check = cli__check_read,
                  .run = cli__run_read,
                  .plan = cli__plan_access,
                  .usage = "read[W] OFF [COUNT]",
                  .help = "Reads COUNT (default 1) consecutive elements of W bits (8, 16, 32 or "
                          "64; default 32) from byte OFF. OFF:HI:LO reads bits HI..LO of the "
                          "element. With --regs, OFF may be a register (its width is the "
                          "default, and its fields are decoded) or a field."},
    [CLI_WRITE] = {.name = "write",
                   .op = CLI_WRITE,
                   .sized = 1,
                   .min = 2,
                   .max = 0,
                   .parse = cli__parse_write,
                   .check = cli__check_write,
                   .run = cli__run_write,
                   .plan = cli__plan_access,
                   .usage = "write[W] OFF VALUE...",
                   .help = "Writes each VALUE to consecutive W-bit elements from OFF. "
                           "OFF:HI:LO VALUE, or a field name, writes only those bits, by "
                           "read-modify-write under the device's lock, following the "
                           "register's rules (write-1-to-clear bits are written as 0, and so "
                           "on). A field's value may be the name of one of its enumerated "
                           "values."},
    [CLI_MODIFY] = {.name = "modify",
                    .op = CLI_MODIFY,
                    .sized = 1,
                    .min = 3,
                    .max = 3,
                    .parse = cli__parse_modify,
                    .check = cli__check_modify,
                    .run = cli__run_modify,
                    .plan = cli__plan_access,
                    .usage = "modify[W] OFF MASK VALUE",
                    .help = "Replaces the bits in MASK of the element at OFF with those of "
                            "VALUE: one read and one write, under the device's lock."},
    [CLI_DUMP] = {.name = "dump",
                  .op = CLI_DUMP,
                  .options = OPT_WIDTH | OPT_OUTPUT,
                  .min = 2,
                  .max = 2,
                  .parse = cli__parse_dump,
                  .check = cli__check_transfer,
                  .run = cli__run_dump,
                  .plan = cli__plan_transfer,
                  .usage = "dump OFF LEN [--width W] [-o FILE]",
                  .help = "Reads LEN bytes from OFF, one access of W bits (default 32) per "
                          "element, in ascending order, and prints them as hex and ASCII, or "
                          "writes the raw bytes to FILE."},
    [CLI_FILL] = {.name = "fill",
                  .op = CLI_FILL,
                  .options = OPT_WIDTH,
                  .min = 3,
                  .max = 3,
                  .parse = cli__parse_fill,
                  .check = cli__check_transfer,
                  .run = cli__run_fill,
                  .plan = cli__plan_transfer,
                  .usage = "fill OFF LEN VALUE [--width W]",
                  .help = "Writes VALUE to every W-bit element (default 32) of LEN bytes from "
                          "OFF."},
    [CLI_COPY] = {.name = "copy",
                  .op = CLI_COPY,
                  .options = OPT_WIDTH,
                  .min = 3,
                  .max = 3,
                  .parse = cli__parse_copy,
                  .check = cli__check_transfer,
                  .run = cli__run_copy,
                  .plan = cli__plan_transfer,
                  .usage = "copy SRC DST LEN [--width W]",
                  .help = "Copies LEN bytes from SRC to DST within the source, one W-bit "
                          "(default 32) load and store per element; overlapping ranges are "
                          "copied as memmove would."},
    [CLI_LOAD] = {.name = "load",
                  .op = CLI_LOAD,
                  .options = OPT_WIDTH,
                  .min = 2,
                  .max = 2,
                  .parse = cli__parse_load,
                  .check = cli__check_transfer,
                  .run = cli__run_load,
                  .plan = cli__plan_transfer,
                  .usage = "load OFF FILE [--width W]",
                  .help = "Writes the bytes of FILE from OFF, one W-bit (default 32) store per "
                          "element. The file is read whole before the first store."},
    [CLI_POLL] = {.name = "poll",
                  .op = CLI_POLL,
                  .sized = 1,
                  .options = OPT_TIMEOUT | OPT_INTERVAL,
                  .min = 2,
                  .max = 3,
                  .parse = cli__parse_poll,
                  .check = cli__check_poll,
                  .run = cli__run_poll,
                  .plan = cli__plan_access,
                  .usage = "poll[W] OFF MASK EXPECTED [--timeout D] [--interval D]",
                  .help = "Reads OFF until (value & MASK) == EXPECTED, for up to --timeout "
                          "(default 1 s), sleeping --interval between reads (default 0: back "
                          "to back); one more read after the deadline decides. A field (or "
                          "OFF:HI:LO) takes EXPECTED alone. D is seconds, or a number with us, "
                          "ms or s. Exits with 3 on timeout."},
    [CLI_WATCH] = {.name = "watch",
                   .op = CLI_WATCH,
                   .sized = 1,
                   .options = OPT_COUNT | OPT_INTERVAL,
                   .min = 1,
                   .max = 1,
                   .parse = cli__parse_watch,
                   .check = cli__check_poll,
                   .run = cli__run_watch,
                   .plan = cli__plan_access,
                   .usage = "watch[W] OFF [--count N] [--interval D]",
                   .help = "Reads OFF every --interval (default 100 ms) and prints the first "
                           "value and each change with the seconds since the start (and the "
                           "fields of a register); stops after N changes, or on Ctrl-C."},
    [CLI_IRQ] = {.name = "irq",
                 .op = CLI_IRQ,
                 .options = OPT_TIMEOUT,
                 .min = 0,
                 .max = 0,
                 .parse = cli__parse_none,
                 .check = cli__check_irq,
                 .run = cli__run_irq,
                 .plan = cli__plan_other,
                 .usage = "irq [--timeout D]",
                 .help = "Waits for the source's interrupt (uio:, vfio:, fake:) for up to "
                         "--timeout (default: forever) and prints how many arrived. Exits with 3 "
                         "on timeout."},
    [CLI_INFO] = {.name = "info",
                  .op = CLI_INFO,
                  .min = 0,
                  .max = 0,
                  .parse = cli__parse_none,
                  .check = cli__check_none,
                  .run = cli__run_info,
                  .plan = cli__plan_other,
                  .usage = "info",
                  .help = "Says what the source is: its kind, size and cache policy, the PCI "
                          "function's identity and driver, the BAR or UIO map, interrupts."},
};

#define CLI_NVERBS (sizeof(cli__verbs) / sizeof(cli__verbs[0]))

static const struct cli_verb *cli__verb(enum cli_op op) { return &cli__verbs[op]; }

/* The verb of a command word, and its width suffix (bytes, 0: none). */
static const struct cli_verb *cli__find_verb(const char *word, unsigned *width) {
  size_t i;
  *width = 0;
  for (i = 0; i < CLI_NVERBS; i++) {
    const struct cli_verb *v = &cli__verbs[i];
    size_t n = 0;
    while (v->name[n] != '\0' && word[n] == v->name[n])
      n++;
    if (v->name[n] != '\0') continue;
    if (word[n] == '\0') return v;
    if (!v->sized) continue;
    if (!strcmp(word + n, "8") || !strcmp(word + n, "16") || !strcmp(word + n, "32") ||
        !strcmp(word + n, "64")) {
      *width = (unsigned)atoi(word + n) / 8;
      return v;
    }
  }
  return NULL;
}

const char *cli_where(const struct cli_cmd *c) {
  static char where[48];
  if (c->line != 0)
    snprintf(where, sizeof(where), "line %d", c->line);
  else
    snprintf(where, sizeof(where), "command %zu", c->index);
  return where;
}

int cli_cmd_needs_region(const struct cli_cmd *c) { return c->op != CLI_IRQ && c->op != CLI_INFO; }

int cli_cmd_stores(const struct cli_cmd *c) {
  return c->op == CLI_WRITE || c->op == CLI_MODIFY || c->op == CLI_FILL || c->op == CLI_COPY ||
         c->op == CLI_LOAD;
}

int cli_cmd_parse(struct cli_session *s, struct cli_cmd *c, int argc, char **argv) {
  const struct cli_verb *v;
  unsigned width = 0, opt_width = 0;
  int npos = 0, rc;
  c->verb = argv[0];
  v = cli__find_verb(argv[0], &width);
  if (v == NULL) {
    struct cli_buf names = {0};
    size_t i;
    for (i = 0; i < CLI_NVERBS; i++)
      cli_buf_add(&names, "%s%s", i ? ", " : "", cli__verbs[i].name);
    rc = cli__bad(c,
                  "'%s' is not a command: the commands are %s (read8 .. read64 and so on give "
                  "a width)",
                  argv[0], names.p);
    cli_buf_free(&names);
    return rc;
  }
  c->op = v->op;
  c->timeout_us = v->op == CLI_POLL ? 1000000u : 0;
  c->interval_us = v->op == CLI_WATCH ? 100000u : 0;
  rc = cli__options(c, v->options, argc - 1, argv + 1, &npos, &opt_width);
  if (rc != 0) return rc;
  if (npos < v->min || (v->max != 0 && npos > v->max) || (v->max == 0 && v->min == 0 && npos > 0))
    return cli__bad(c, "usage: %s (mmio %s --help)", v->usage, v->name);
  c->t.width = width ? width : opt_width;
  return v->parse(s, c, npos, argv + 1);
}

int cli_cmd_check(struct cli_session *s, struct cli_cmd *c) {
  return cli__verb(c->op)->check(s, c);
}

int cli_cmd_run(struct cli_session *s, struct cli_cmd *c) {
  if (s->opt.dry_run) {
    cli__verb(c->op)->plan(s, c);
    return 0;
  }
  return cli__verb(c->op)->run(s, c);
}

void cli_cmd_free(struct cli_cmd *c) {
  free(c->values);
  free(c->data);
  c->values = NULL;
  c->data = NULL;
}

int cli_cmd_help(FILE *f, const char *name) {
  unsigned width;
  const struct cli_verb *v = cli__find_verb(name, &width);
  if (v == NULL) return -1;
  fprintf(f, "usage: mmio [OPTIONS] SOURCE %s\n\n%s\n", v->usage, v->help);
  return 0;
}

void cli_cmd_summary(FILE *f) {
  size_t i;
  for (i = 0; i < CLI_NVERBS; i++)
    fprintf(f, "  %s\n", cli__verbs[i].usage);
}
