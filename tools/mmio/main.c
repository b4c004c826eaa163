/*
 * mmio: devmem, pcimem, memtool and rwmem in one tool, on the library's
 * checks. This file reads the command line, runs a session's stages in
 * order (see cli.h) and maps every outcome to an exit status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const char *cli_name = "mmio";

/* The last message, for the JSON document's "error". */
static char cli__last[2048];

void cli_say(const char *fmt, ...) {
  va_list ap;
  char *p;
  va_start(ap, fmt);
  vsnprintf(cli__last, sizeof(cli__last), fmt, ap);
  va_end(ap);
  /* Words from the command line or a batch file may hold any byte: none
   * of them may reach the terminal as a control sequence. */
  for (p = cli__last; *p != '\0'; p++)
    if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f) *p = '?';
  fprintf(stderr, "%s: %s\n", cli_name, cli__last);
}

static void cli__usage(FILE *f) {
  const char *const *m;
  fprintf(f,
          "usage: mmio [OPTIONS] SOURCE COMMAND [ARGS]... [';' COMMAND [ARGS]...]...\n"
          "       mmio [OPTIONS] SOURCE --batch FILE     one command per line ('-': stdin)\n"
          "       mmio list [--json]                     what can be opened here\n"
          "       mmio regs DESCRIPTION [NAME] [--json]  registers and fields of a description\n"
          "       mmio devmem ADDRESS [WIDTH [VALUE]]    busybox devmem, with the checks\n"
          "       mmio --help | --version | COMMAND --help\n"
          "\n"
          "Every command is parsed and checked before the first access, and one mapping\n"
          "serves them all. A lone ';' separates commands (type \\; or ';' in a shell).\n"
          "\nSOURCE:\n%s",
          mmio_spec_forms());
  for (m = mmio_model_names(); *m != NULL; m++)
    fprintf(f, "fake:%s%*s a device model in this process: no hardware, no root\n", *m,
            (int)(31 - strlen(*m)), "");
  fprintf(f, "\nCOMMANDS (W: 8, 16, 32 or 64 bits; default 32, or the register's width):\n");
  cli_cmd_summary(f);
  fprintf(f, "\nOPTIONS:\n"
             "  -w, --write        allow stores to a device (pci:, vfio:, uio:, phys:)\n"
             "      --dry-run      open read-only, check, print the accesses; make none\n"
             "      --verify       read each write back; a difference is an error\n"
             "      --regs FILE[:P]  a CMSIS-SVD or text register description: names for offsets\n"
             "      --peripheral P names are P's registers, offsets from P's base\n"
             "      --json         one JSON document on stdout\n"
             "  -q, --quiet        only the values read, one per line\n"
             "      --cache POLICY default, cached, uncached, uncached-device, write-combining\n"
             "      --no-lock      no advisory lock around read-modify-writes\n"
             "      --batch FILE   the commands, one per line\n"
             "  -h, --help         this text; mmio COMMAND --help for a command\n"
             "  -V, --version\n"
             "\nNUMBERS: decimal, 0x hex, 0o octal, 0b binary, '_' between digits; offsets and\n"
             "lengths also take k, M, G. DURATIONS: seconds, or with us, ms or s (250ms).\n"
             "\nEXIT STATUS: 0 done; 1 an access, open or verify failed; 2 usage or bad input\n"
             "(nothing accessed); 3 a poll or irq timed out. See mmio(1).\n");
}

enum {
  OPT_DRY_RUN = 256,
  OPT_VERIFY,
  OPT_JSON,
  OPT_CACHE,
  OPT_NO_LOCK,
  OPT_REGS,
  OPT_PERIPHERAL,
  OPT_BATCH,
};

static const struct option cli__long[] = {
    {"write", no_argument, NULL, 'w'},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"verify", no_argument, NULL, OPT_VERIFY},
    {"json", no_argument, NULL, OPT_JSON},
    {"quiet", no_argument, NULL, 'q'},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"no-lock", no_argument, NULL, OPT_NO_LOCK},
    {"regs", required_argument, NULL, OPT_REGS},
    {"peripheral", required_argument, NULL, OPT_PERIPHERAL},
    {"batch", required_argument, NULL, OPT_BATCH},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

int cli_is_global_option(const char *word) {
  const struct option *o;
  if (!strcmp(word, "-w") || !strcmp(word, "-q")) return 1;
  for (o = cli__long; o->name != NULL; o++)
    if (word[0] == '-' && word[1] == '-' && strcmp(word + 2, o->name) == 0) return 1;
  return 0;
}

/* The cache policy called name. */
static int cli__cache(enum mmio_cache_policy *out, const char *name) {
  int p;
  for (p = MMIO_CACHE_DEFAULT; p <= MMIO_CACHE_WRITE_COMBINING; p++)
    if (strcmp(mmio_cache_policy_name((enum mmio_cache_policy)p), name) == 0) {
      *out = (enum mmio_cache_policy)p;
      return 0;
    }
  cli_say("--cache %s: the policies are default, cached, uncached, uncached-device and "
          "write-combining",
          name);
  return CLI_USAGE;
}

/* Reads options from argv[1..] up to the first other word; returns its
 * index in argv, or -1 after a message (-2 after --help or --version). */
static int cli__options(struct cli_options *o, int argc, char **argv) {
  int c;
  optind = 0; /* glibc: start afresh, also on a second call */
  opterr = 0;
  while ((c = getopt_long(argc, argv, "+:wqhV", cli__long, NULL)) != -1) {
    if (c == 'w')
      o->write = 1;
    else if (c == 'q')
      o->quiet = 1;
    else if (c == OPT_DRY_RUN)
      o->dry_run = 1;
    else if (c == OPT_VERIFY)
      o->verify = 1;
    else if (c == OPT_JSON)
      o->json = 1;
    else if (c == OPT_NO_LOCK)
      o->no_lock = 1;
    else if (c == OPT_CACHE && cli__cache(&o->cache, optarg) != 0)
      return -1;
    else if (c == OPT_REGS)
      o->regs_file = optarg;
    else if (c == OPT_PERIPHERAL)
      o->scope = optarg;
    else if (c == OPT_BATCH)
      o->batch = optarg;
    else if (c == 'h') {
      cli__usage(stdout);
      return -2;
    } else if (c == 'V') {
      printf("mmio %d.%d.%d\n", MMIO_VERSION_MAJOR, MMIO_VERSION_MINOR, MMIO_VERSION_PATCH);
      return -2;
    } else if (c == ':') {
      cli_say("%s needs a value (mmio --help)", argv[optind - 1]);
      return -1;
    } else if (c == '?') {
      if (optopt != 0)
        cli_say("unknown option '-%c' (mmio --help)", optopt);
      else
        cli_say("unknown option '%s' (mmio --help)", argv[optind - 1]);
      return -1;
    }
  }
  if (o->json && o->quiet) {
    cli_say("--json and --quiet ask for two different outputs: give one");
    return -1;
  }
  return optind;
}

/* ---- the commands as words ---- */

/*
 * Where the commands come from: the command line's words after the
 * source, or a batch file's text. cli__next hands out one command's words
 * at a time, so that each is parsed as it is read and nothing per word
 * outlives its command: a batch of many thousand lines costs its text and
 * its parsed commands, no more.
 */
struct cli__reader {
  char **args; /* the command line's words (NULL for a batch) */
  int nargs, at;
  char *text;  /* a batch file's text, which the words point into */
  char *p;     /* where the scan goes on */
  int line;    /* the line the scan is on, from 1 */
  size_t most; /* at most this many commands are coming (a hint, not a limit) */
  /* The command handed out: n words, then NULL. */
  char **words;
  size_t n, cap;
};

static int cli__word(struct cli__reader *r, char *word) {
  if (r->n + 1 >= r->cap) {
    const size_t cap = r->cap ? 2 * r->cap : 16;
    char **a = realloc(r->words, cap * sizeof(*a));
    if (a == NULL) return -1;
    r->words = a;
    r->cap = cap;
  }
  r->words[r->n++] = word;
  r->words[r->n] = NULL;
  return 0;
}

/* What a batch file's bytes are to the scanner: 0 for a word's byte. */
enum { CLI__WORD = 0, CLI__BLANK, CLI__NEWLINE, CLI__HASH, CLI__END };
static const unsigned char cli__class[256] = {
    ['\0'] = CLI__END,   [' '] = CLI__BLANK,  ['\t'] = CLI__BLANK,   ['\r'] = CLI__BLANK,
    ['\f'] = CLI__BLANK, ['\v'] = CLI__BLANK, ['\n'] = CLI__NEWLINE, ['#'] = CLI__HASH,
};

/* The next command of a batch: words end at blanks, commands at '\n' or
 * a lone ';', and '#' starts a comment to the end of the line (glued to a
 * word, too). *line is the command's line. */
static int cli__next_line(struct cli__reader *r, int *line) {
  char *p = r->p;
  int rc = 0;
  for (;;) {
    const unsigned char k = cli__class[(unsigned char)*p];
    if (k == CLI__END) break;
    if (k == CLI__NEWLINE && r->n > 0) {
      /* The command is this line's: the next one starts on the next. */
      *line = r->line++;
      *p++ = '\0';
      r->p = p;
      return 1;
    }
    if (k == CLI__NEWLINE || k == CLI__BLANK) {
      r->line += k == CLI__NEWLINE;
      *p++ = '\0';
    } else if (k == CLI__HASH) {
      while (*p != '\0' && *p != '\n')
        *p++ = '\0';
    } else {
      char *word = p;
      while (cli__class[(unsigned char)*p] == CLI__WORD)
        p++;
      /* What ends the word is handled by the next turn, which also writes
       * the word's terminating NUL; a ';' ends the command there. */
      if (p - word == 1 && word[0] == ';') {
        if (r->n > 0) break;
      } else if ((rc = cli__word(r, word)) != 0) {
        break;
      }
    }
  }
  r->p = p;
  *line = r->line;
  return rc != 0 ? -1 : r->n > 0;
}

/* The next command of the command line, split at lone ';' words. */
static int cli__next_arg(struct cli__reader *r) {
  for (; r->at < r->nargs; r->at++) {
    if (strcmp(r->args[r->at], ";") != 0) {
      if (cli__word(r, r->args[r->at]) != 0) return -1;
    } else if (r->n > 0) {
      r->at++;
      break;
    }
  }
  return r->n > 0;
}

/* Hands out the next command's words in r->words (r->n of them); *line
 * is its batch line, or 0. Returns 1, 0 after the last, -1 out of memory. */
static int cli__next(struct cli__reader *r, int *line) {
  r->n = 0;
  *line = 0;
  return r->args != NULL ? cli__next_arg(r) : cli__next_line(r, line);
}

/* How many times c is in the n bytes at p. */
static size_t cli__count(const char *p, size_t n, char c) {
  const char *end = p + n;
  size_t k = 0;
  while ((p = memchr(p, c, (size_t)(end - p))) != NULL)
    k++, p++;
  return k;
}

/* Reads a batch file whole (a pipe in growing steps); returns 0, or an
 * exit status after a message. */
static int cli__read_batch(struct cli__reader *r, const char *path) {
  const int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  size_t len = 0, cap;
  ssize_t got = 1;
  int err = 0;
  if (fd < 0 || fstat(fd, &st) != 0) {
    cli_say("cannot read the batch file %s: %s", path, strerror(errno));
    if (fd > 0) close(fd);
    return CLI_FAILED;
  }
  cap = S_ISREG(st.st_mode) && (uint64_t)st.st_size < SIZE_MAX / 2 ? (size_t)st.st_size + 1 : 65536;
  while (got > 0 && err == 0) {
    if (len + 1 >= cap) {
      char *t = realloc(r->text, cap *= 2);
      if (t == NULL)
        err = ENOMEM;
      else
        r->text = t;
    } else if (r->text == NULL && (r->text = malloc(cap)) == NULL) {
      err = ENOMEM;
    }
    if (err == 0 && (got = read(fd, r->text + len, cap - len - 1)) > 0) len += (size_t)got;
    if (got < 0 && errno != EINTR) err = errno;
    if (got < 0 && errno == EINTR) got = 1;
    if (S_ISREG(st.st_mode) && len == (size_t)st.st_size) got = 0;
  }
  if (fd > 0) close(fd);
  if (err != 0) {
    cli_say("cannot read the batch file %s: %s", path, strerror(err));
    return CLI_FAILED;
  }
  r->text[len] = '\0';
  if (memchr(r->text, '\0', len) != NULL) {
    cli_say("%s is not a text file of commands", path);
    return CLI_USAGE;
  }
  r->p = r->text;
  r->line = 1;
  /* Each command ends at a '\n', a ';' or the end: the session's commands
   * are allocated once, and each page of them is touched once (a page
   * fault per page counts when the machine is emulated). */
  r->most = 1 + cli__count(r->text, len, '\n') + cli__count(r->text, len, ';');
  return 0;
}

static void cli__reader_free(struct cli__reader *r) {
  free(r->words);
  free(r->text);
}

/* The usage of the subcommand called word (list, regs, devmem), or NULL:
 * for "mmio --json list", which puts an option before it. */
static const char *cli__subcommand_usage(const char *word) {
  static const char *const usage[][2] = {
      {"list", "mmio list [--json]"},
      {"regs", "mmio regs DESCRIPTION [NAME] [--json]"},
      {"devmem", "mmio devmem ADDRESS [WIDTH [VALUE]]"},
  };
  size_t i;
  for (i = 0; i < sizeof(usage) / sizeof(usage[0]); i++)
    if (strcmp(word, usage[i][0]) == 0) return usage[i][1];
  return NULL;
}

/* "mmio SOURCE ... COMMAND ... --help": that command's help, and nothing
 * opened or run. Returns an exit status, or -1 when no command asks. */
static int cli__command_help(char **args, int n) {
  int i, start = 0;
  for (i = 0; i < n; i++) {
    if (strcmp(args[i], ";") == 0) {
      start = i + 1;
    } else if (i > start && (!strcmp(args[i], "--help") || !strcmp(args[i], "-h"))) {
      if (cli_cmd_help(stdout, args[start]) == 0) return CLI_OK;
      cli_say("'%s' is not a command (mmio --help lists them)", args[start]);
      return CLI_USAGE;
    }
  }
  return -1;
}

/* ---- a session ---- */

static int cli__load_description(struct cli_session *s) {
  struct cli_options *o = &s->opt;
  struct cli_buf file = {0};
  const char *colon = strrchr(o->regs_file, ':');
  /* FILE:P, unless FILE itself has that name. */
  if (colon != NULL && access(o->regs_file, F_OK) != 0) {
    if (o->scope != NULL && strcmp(o->scope, colon + 1) != 0) {
      cli_say("--regs %s and --peripheral %s name two peripherals: give one", o->regs_file,
              o->scope);
      return CLI_USAGE;
    }
    cli_buf_put(&file, o->regs_file, (size_t)(colon - o->regs_file));
    o->scope = colon + 1;
  } else {
    cli_buf_add(&file, "%s", o->regs_file);
  }
  /* What `mmio regs` lists, for the messages that point to it. */
  s->regs_path = file.p;
  return cli_desc_load(&s->desc, file.p, "--regs ");
}

/* A stand-in for the source when checking register rules: checks make no
 * access, and the whole-register writes that teach the stand-in map a
 * write-only register's value are dropped. Nothing reads it. */
static int cli__never(void *ctx, size_t off, unsigned width, int store, uint64_t *value) {
  (void)ctx, (void)off, (void)width, (void)value;
  return store ? 0 : -EIO;
}
MMIO_DEFINE_OPS(cli__never_ops, cli__never, NULL);

/* Binds the description to the source (and to the stand-in). */
static int cli__bind(struct cli_session *s) {
  const uint64_t start =
      s->src.parsed.source == MMIO_SOURCE_PHYS && s->opt.scope == NULL ? s->src.parsed.offset : 0;
  int err = mmio_regmap_create(&s->map, &s->src.r, s->desc, s->opt.scope, start, 0);
  if (err == 0) err = mmio_region_from_ops(&s->check_r, &cli__never_ops, NULL, mmio_len(&s->src.r));
  if (err == 0)
    err = mmio_regmap_create(&s->check_map, &s->check_r, s->desc, s->opt.scope, start, 0);
  if (err == MMIO_ERR_UNKNOWN_NAME) {
    cli_say("--peripheral %s: the description has no such peripheral (mmio regs %s lists them)",
            s->opt.scope, s->regs_path);
    return CLI_USAGE;
  }
  if (err != 0) cli_say("cannot bind the description: %s", mmio_strerror(err));
  return err != 0 ? CLI_FAILED : 0;
}

/* Whether any command is an op. */
static int cli__any(const struct cli_session *s, enum cli_op op) {
  size_t i;
  for (i = 0; i < s->ncmds; i++)
    if (s->cmds[i].op == op) return 1;
  return 0;
}

/* Whether any command reads, modifies and writes: they take the lock. */
static int cli__any_rmw(const struct cli_session *s) {
  size_t i;
  for (i = 0; i < s->ncmds; i++) {
    const struct cli_cmd *c = &s->cmds[i];
    if (c->op == CLI_MODIFY || (c->op == CLI_WRITE && c->t.bits)) return 1;
  }
  return 0;
}

/* Parses every command as it is read; then the rules that need all of
 * them. */
static int cli__parse_all(struct cli_session *s, struct cli__reader *r, int *any_store) {
  /* The hint, within reason: a file of blank lines needs no room. */
  size_t cap = r->most < ((size_t)1 << 20) ? r->most : (size_t)1 << 20;
  int stores = 0, needs_region = 0, rc = 0, line, more = -1;
  s->cmds = calloc(cap, sizeof(*s->cmds));
  while (s->cmds != NULL && rc == 0 && (more = cli__next(r, &line)) > 0) {
    struct cli_cmd *c;
    if (s->ncmds == cap) {
      if ((c = realloc(s->cmds, 2 * cap * sizeof(*c))) == NULL) {
        more = -1;
        break;
      }
      memset(c + cap, 0, cap * sizeof(*c));
      s->cmds = c;
      cap *= 2;
    }
    c = &s->cmds[s->ncmds++];
    c->line = line;
    c->index = s->ncmds;
    rc = cli_cmd_parse(s, c, (int)r->n, r->words);
    stores |= cli_cmd_stores(c);
    needs_region |= cli_cmd_needs_region(c);
  }
  *any_store = stores;
  if (rc != 0) return rc;
  if (more < 0) {
    cli_say("out of memory for the commands");
    return CLI_FAILED;
  }
  if (s->ncmds == 0) {
    cli_say("no command given for %s (mmio --help lists them)", s->out.spec);
    return CLI_USAGE;
  }
  if (stores && s->src.device && !s->opt.write && !s->opt.dry_run) {
    cli_say("storing to a %s device needs --write (-w), or --dry-run to see what would be "
            "written; nothing was accessed",
            mmio_source_name(s->src.parsed.source));
    return CLI_USAGE;
  }
  if (needs_region && !s->src.has_region) {
    cli_say("%s names a device, not one of its regions: add /barN (pci:, vfio:) or /mapN (uio:)",
            s->src.spec);
    return CLI_USAGE;
  }
  return 0;
}

/* The commands, in order; run inside mmio_guard_run. */
static int cli__run_all(void *arg) {
  struct cli_session *s = arg;
  size_t i;
  int rc = 0;
  for (i = 0; i < s->ncmds && rc == 0; i++) {
    rc = cli_cmd_run(s, &s->cmds[i]);
    /* Ctrl-C ends a watch as it should, and the session with it. */
    if (rc == 0 && cli_interrupted() && i + 1 < s->ncmds) {
      cli_say("interrupted: %s and the commands after it were not run", cli_where(&s->cmds[i + 1]));
      rc = CLI_FAILED;
    }
  }
  return rc;
}

static int cli__session(struct cli_session *s, struct cli__reader *r) {
  size_t i;
  int rc = cli_source_parse(&s->src, s->out.spec);
  int stores = 0;
  if (rc == 0 && s->opt.regs_file != NULL) rc = cli__load_description(s);
  if (rc == 0 && s->opt.scope != NULL && s->desc == NULL) {
    cli_say("--peripheral needs --regs FILE");
    rc = CLI_USAGE;
  }
  if (rc == 0) rc = cli__parse_all(s, r, &stores);
  if (rc == 0) rc = cli_source_open(&s->src, &s->opt, stores && !s->opt.dry_run);
  if (rc == 0 && s->desc != NULL && s->src.has_region) rc = cli__bind(s);
  for (i = 0; i < s->ncmds && rc == 0; i++)
    rc = cli_cmd_check(s, &s->cmds[i]);
  /* Refused: nothing was accessed, and nothing the run made stays. */
  if (rc != 0) cli_source_undo(&s->src);
  if (rc == 0 && cli__any_rmw(s) && !s->opt.no_lock && !s->opt.dry_run) {
    char id[4200];
    cli_source_lock_id(id, sizeof(id), &s->src);
    rc = cli_lock_open(&s->lock, id);
  }
  if (rc == 0 && cli__any(s, CLI_IRQ) && !s->opt.dry_run) rc = cli_source_arm_irq(&s->src);
  if (rc != 0) return rc;
  /* One guard for the whole run: every access keeps the inline fast path,
   * and a fault ends the run with the access it was making named. */
  rc = mmio_guard_run(cli__run_all, s);
  if (rc == MMIO_ERR_BUS_ERROR && s->doing.cmd != NULL) {
    rc = cli_cmd_failed(s, s->doing.cmd, s->doing.what, s->doing.off, s->doing.width, rc);
  } else if (rc < 0) {
    cli_say("cannot guard the accesses against bus errors: %s", mmio_strerror(rc));
    rc = CLI_FAILED;
  }
  return rc;
}

static void cli__session_free(struct cli_session *s) {
  size_t i;
  for (i = 0; i < s->ncmds; i++)
    cli_cmd_free(&s->cmds[i]);
  free(s->cmds);
  mmio_regmap_free(s->map);
  mmio_regmap_free(s->check_map);
  mmio_region_release(&s->check_r);
  cli_source_close(&s->src);
  mmio_desc_free(s->desc);
  free(s->regs_path);
  cli_lock_close(&s->lock);
}

int main(int argc, char **argv) {
  struct cli_session s;
  struct cli__reader r;
  const char *base = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 : argv[0];
  int first, more, rc;
  if (strcmp(base, "devmem") == 0) {
    cli_name = "devmem";
    return cli_devmem_main(argc, argv);
  }
  if (argc >= 2 && strcmp(argv[1], "list") == 0) return cli_list_main(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "regs") == 0) return cli_regs_main(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "devmem") == 0) return cli_devmem_main(argc - 1, argv + 1);
  if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")) && argv[1][0] != '-' &&
      strchr(argv[1], ':') == NULL) {
    if (cli_cmd_help(stdout, argv[1]) == 0) return CLI_OK;
    cli_say("'%s' is not a command (mmio --help lists them)", argv[1]);
    return CLI_USAGE;
  }
  memset(&s, 0, sizeof(s));
  memset(&r, 0, sizeof(r));
  s.lock.fd = -1;
  first = cli__options(&s.opt, argc, argv);
  if (first == -2) return CLI_OK;
  more = first < 0 || first >= argc ? 0 : cli__options(&s.opt, argc - first, argv + first);
  if (more == -2) return CLI_OK;
  if (first > 0 && more >= 0 && s.opt.batch == NULL) {
    rc = cli__command_help(argv + first + more, argc - first - more);
    if (rc >= 0) return rc;
  }
  /* From here --json gets its document, errors included. */
  cli_out_init(&s.out, &s.opt, first > 0 && first < argc ? argv[first] : "");
  if (first < 0 || more < 0) {
    rc = CLI_USAGE;
  } else if (first >= argc) {
    cli_say("no SOURCE given (mmio --help)");
    rc = CLI_USAGE;
  } else if (cli__subcommand_usage(argv[first]) != NULL) {
    cli_say("%s comes first, its options after it: %s", argv[first],
            cli__subcommand_usage(argv[first]));
    rc = CLI_USAGE;
  } else if (s.opt.batch != NULL && first + more < argc) {
    cli_say("give the commands on the command line or with --batch, not both");
    rc = CLI_USAGE;
  } else if (s.opt.batch != NULL) {
    rc = cli__read_batch(&r, s.opt.batch);
  } else {
    r.args = argv + first + more;
    r.nargs = argc - first - more;
    r.most = (size_t)r.nargs + 1;
    rc = 0;
  }
  if (rc == 0) rc = cli__session(&s, &r);
  cli_out_finish(&s.out, rc != 0 ? cli__last : NULL);
  cli__session_free(&s);
  cli__reader_free(&r);
  /* Output that did not reach its file (a full disk, a closed pipe) is a
   * failure too, not a silent success. */
  if (fflush(stdout) != 0 || ferror(stdout)) {
    cli_say("cannot write the output: %s", strerror(errno));
    if (rc == 0) rc = CLI_FAILED;
  }
  return rc;
}
