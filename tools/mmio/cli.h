/*
 * The mmio command's internal interface: what its files share. The tool
 * stands on the library's public headers only.
 *
 * A run goes through three stages, each complete before the next starts:
 *   1. parse:    each command, as its words are read (argv split at ';',
 *                or a batch file's lines), into a struct cli_cmd (numbers,
 *                widths, names from the description) - no source is open yet
 *   2. open and check: the source is opened, and every command is judged
 *                against it (range, alignment, register rules) - no access
 *   3. run:      the accesses, in order
 * so that bad input is found before the first access, and one mapping
 * serves every command.
 */
#ifndef MMIO_TOOL_CLI_H
#define MMIO_TOOL_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <mmio/block.h>
#include <mmio/desc.h>
#include <mmio/mmio.h>
#include <mmio/poll.h>
#include <mmio/regs.h>
#include <mmio/testing/model.h>

#if defined(__GNUC__) || defined(__clang__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* The exit statuses (mmio(1) lists them). */
enum {
  CLI_OK = 0,      /* everything done */
  CLI_FAILED = 1,  /* an access, open or verify failed */
  CLI_USAGE = 2,   /* usage or bad input, found before the first access */
  CLI_TIMEOUT = 3, /* a poll or irq timed out */
};

/* ---- messages (main.c) ---- */

/* The program's name for messages: "mmio", or "devmem" when run as that. */
extern const char *cli_name;

/* Prints "NAME: message" as one line to stderr. */
void cli_say(const char *fmt, ...) CLI_PRINTF(1, 2);

/* Whether word is one of the run's options (-w, --json, ...): a command
 * that meets one says where it goes. */
int cli_is_global_option(const char *word);

/* ---- numbers (number.c) ---- */

/* Flags of cli_number. */
#define CLI_NUM_SIZE 0x1u /* k, M and G suffixes (binary multiples) allowed */

/*
 * Parses a whole word as an unsigned number: decimal (no leading zeros),
 * 0x hex, 0o octal, 0b binary, with '_' between digits. Returns 0, or -1
 * with the reason in why: empty, a sign, a bad digit, trailing junk, a
 * misplaced '_', or more than 64 bits.
 */
int cli_number(uint64_t *out, const char *text, unsigned flags, char *why, size_t cap);

/*
 * Parses a duration: a decimal number of seconds, with an optional
 * fraction and an optional unit "us", "ms" or "s" ("1.5", "250ms").
 * *out is in microseconds. Returns 0, or -1 with the reason in why.
 */
int cli_duration(uint64_t *out_us, const char *text, char *why, size_t cap);

/* The hex digits a value of bits bits takes: 1 to 16. */
unsigned cli_digits(unsigned bits);
/* The value with the low bits bits set (all 64 for 64 or more). */
static inline uint64_t cli_ones(unsigned bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }

/* ---- options of a session (main.c) ---- */

struct cli_options {
  int write;   /* -w: stores to device sources allowed */
  int dry_run; /* open read-only, print what would be done, do nothing */
  int verify;  /* read each write back */
  int json;
  int quiet;
  int no_lock;
  enum mmio_cache_policy cache;
  const char *regs_file; /* --regs FILE (without any :PERIPHERAL) */
  const char *scope;     /* --peripheral P, or the P of --regs FILE:P */
  const char *batch;     /* --batch FILE ("-": stdin) */
};

/* ---- the source (source.c) ---- */

struct cli_source {
  const char *spec;
  int fake;   /* fake:MODEL */
  int device; /* a device source: stores need --write */
  struct mmio_spec parsed;
  mmio_device *dev;   /* NULL for fake: */
  mmio_model *model;  /* fake: only */
  mmio_region r;      /* guarded: faults are errors */
  int has_region;     /* the spec names a region (always, but for bare devices) */
  uint64_t address;   /* byte 0's physical or bus address, when known; else 0 */
  char rejected[512]; /* the fake's last refusal, for the message */
  int created;        /* shm:NAME+SIZE made NAME: removed if the session is refused */
};

/*
 * Judges the spec without opening anything: Returns 0, or CLI_USAGE after
 * saying why (and the accepted forms).
 */
int cli_source_parse(struct cli_source *s, const char *spec);

/*
 * Opens the source and maps its region (when the spec names one), read-only
 * unless writable. Returns 0, or CLI_FAILED after printing the library's
 * advice (mmio_explain). Leaves nothing open on failure.
 */
int cli_source_open(struct cli_source *s, const struct cli_options *o, int writable);

/* After a refused session: removes a shm object that the open created
 * (shm:NAME+SIZE where NAME did not exist), and closes the source. */
void cli_source_undo(struct cli_source *s);

/* Closes whatever is open. Accepts a source never opened. */
void cli_source_close(struct cli_source *s);

/*
 * Enables the source's interrupt, when the session waits for it: at open,
 * so that one raised by an earlier command of the session is not missed.
 * Returns 0 or CLI_FAILED (message printed).
 */
int cli_source_arm_irq(struct cli_source *s);

/*
 * Waits up to timeout_us (0: forever) for the source's interrupt, armed
 * by cli_source_arm_irq. Returns 1 with *count set, 0 on timeout, or a
 * negative error.
 */
int cli_source_irq(struct cli_source *s, uint64_t timeout_us, uint64_t *count);

/* After a read of all ones at off: when the source is a PCI function (or
 * a phys: window into one's BAR), says on stderr (once per run) what its
 * config space shows, when that explains it. */
void cli_source_explain_ones(struct cli_source *s, uint64_t off);

/* cli_source_explain_ones when value, read at off, is all ones for its
 * width (bytes). */
static inline void cli_source_hint(struct cli_source *s, uint64_t off, uint64_t value,
                                   unsigned width) {
  /* Every read passes here: the common case costs a compare, not a call. */
  if (value == cli_ones(8 * width)) cli_source_explain_ones(s, off);
}

/* The info command: what the source is, for people or in the JSON
 * document. */
struct cli_out;
void cli_source_describe(struct cli_source *s, struct cli_out *o);

/* The identity of the device for its lock file ("pci-0000:00:03.0"), or
 * "" when it needs none (fake:). */
void cli_source_lock_id(char *buf, size_t cap, const struct cli_source *s);

/* ---- the advisory lock (lock.c) ---- */

struct cli_lock {
  int fd; /* -1: no lock (--no-lock, or a source that needs none) */
  char path[4096];
};

/* Opens (creating) the lock file for id. Returns 0 or CLI_FAILED. */
int cli_lock_open(struct cli_lock *l, const char *id);
/* Takes and drops the lock: around each read-modify-write. */
int cli_lock_take(struct cli_lock *l);
void cli_lock_drop(struct cli_lock *l);
void cli_lock_close(struct cli_lock *l);

/* ---- output (output.c) ---- */

/* Growable text, for JSON: never cut short. {0} is empty; free with
 * cli_buf_free. */
struct cli_buf {
  char *p;
  size_t len, cap;
};
void cli_buf_put(struct cli_buf *b, const char *s, size_t n);
void cli_buf_add(struct cli_buf *b, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Appends s as a JSON string literal (quoted, escaped). */
void cli_buf_json(struct cli_buf *b, const char *s);
void cli_buf_free(struct cli_buf *b);

struct cli_out {
  int json, quiet, dry_run;
  const char *spec;
  struct cli_buf doc; /* the results, built as the commands run */
  int results;        /* results written so far */
  int in_result;      /* a result object is open */
};

void cli_out_init(struct cli_out *o, const struct cli_options *opt, const char *spec);
/* Opens a result {"op": op, ...}; the key functions add to it. */
void cli_out_begin(struct cli_out *o, const char *op);
void cli_out_u64(struct cli_out *o, const char *key, uint64_t v);
void cli_out_str(struct cli_out *o, const char *key, const char *v);
void cli_out_bool(struct cli_out *o, const char *key, int v);
void cli_out_double(struct cli_out *o, const char *key, double v);
/* Adds "key": and raw JSON text (an array or object built by the caller). */
void cli_out_raw(struct cli_out *o, const char *key, const char *json);
void cli_out_end(struct cli_out *o);
/* Prints the JSON document (with an "error" member when err_text is not
 * NULL) and frees it. */
void cli_out_finish(struct cli_out *o, const char *err_text);
/* Prints v as 0x and lowercase hex, zero-padded to digits, then end
 * unless it is '\0': what printf's "0x%0*llx" prints, without its cost on
 * every value of a long batch. */
void cli_print_hex(FILE *f, uint64_t v, int digits, char end);

/* ---- the commands (command.c) ---- */

enum cli_op {
  CLI_READ,
  CLI_WRITE,
  CLI_MODIFY,
  CLI_DUMP,
  CLI_FILL,
  CLI_COPY,
  CLI_LOAD,
  CLI_POLL,
  CLI_WATCH,
  CLI_IRQ,
  CLI_INFO,
};

/* Where a command acts: an offset and width, maybe a bit range, maybe a
 * register or field of the description. */
struct cli_target {
  const char *text; /* as typed */
  uint64_t off;     /* bytes from byte 0 of the source */
  unsigned width;   /* bytes: 1, 2, 4 or 8 */
  int bits;         /* only bits msb..lsb (OFF:HI:LO, or a field) */
  unsigned msb, lsb;
  struct mmio_name name; /* name.reg is NULL for a number */
};

/* One command, parsed. */
struct cli_cmd {
  enum cli_op op;
  int line;            /* its batch file line, or 0 */
  size_t index;        /* its place on the command line, from 1 */
  const char *verb;    /* as typed ("read32") */
  struct cli_target t; /* read, write, modify, poll, watch; dump/fill/load/copy source */
  uint64_t dst;        /* copy: the destination offset */
  uint64_t count;      /* read: elements; watch: changes (0: until interrupted) */
  uint64_t *values;    /* write */
  size_t nvalues;
  uint64_t mask, value; /* modify; poll (mask, expected); fill (value) */
  uint64_t len;         /* dump, fill, copy, load: bytes */
  const char *file;     /* dump -o FILE; load FILE */
  unsigned char *data;  /* load: the file, read before any access */
  uint64_t timeout_us;  /* poll, irq (0: forever) */
  uint64_t interval_us; /* poll, watch */
};

/* What every command sees while it is parsed, checked and run. */
struct cli_session {
  struct cli_options opt;
  struct cli_source src;
  mmio_desc *desc;  /* --regs, or NULL */
  char *regs_path;  /* its file, without any :PERIPHERAL */
  mmio_regmap *map; /* the description bound to the source */
  /* The same description over a stand-in region of the source's length
   * that is never accessed: the register rules are checked on it. */
  mmio_region check_r;
  mmio_regmap *check_map;
  struct cli_lock lock;
  struct cli_out out;
  struct cli_cmd *cmds;
  size_t ncmds;
  /* The access being made, for the message when it faults: the commands
   * run guarded as a whole (mmio_guard_run), not access by access. */
  struct {
    const struct cli_cmd *cmd;
    const char *what; /* "read", "write", "modify", "poll" */
    uint64_t off;
    unsigned width;
  } doing;
};

/* "line 7" or "command 2": where a message's command is. Static; valid
 * until the next call. */
const char *cli_where(const struct cli_cmd *c);

/* Whether the command needs the region (all but irq and info). */
int cli_cmd_needs_region(const struct cli_cmd *c);
/* Whether it stores to the device. */
int cli_cmd_stores(const struct cli_cmd *c);

/*
 * Parses one command's words. Returns 0, or CLI_USAGE after printing a
 * message that starts with cli_where(c).
 */
int cli_cmd_parse(struct cli_session *s, struct cli_cmd *c, int argc, char **argv);

/* Judges a parsed command against the open source, making no access.
 * Returns 0 or CLI_USAGE (message printed). */
int cli_cmd_check(struct cli_session *s, struct cli_cmd *c);

/* Says that an access of c failed with err ("read32 at 0x10 failed: ..."),
 * with the fake's own words for a refusal. Returns CLI_FAILED. */
int cli_cmd_failed(const struct cli_session *s, const struct cli_cmd *c, const char *what,
                   uint64_t off, unsigned width, int err);

/* Runs it. Returns CLI_OK, CLI_FAILED or CLI_TIMEOUT (message printed). */
int cli_cmd_run(struct cli_session *s, struct cli_cmd *c);

/* Whether SIGINT or SIGTERM stopped a watch or a transfer: the session
 * then runs no further command. */
int cli_interrupted(void);

/* Frees what parsing allocated. */
void cli_cmd_free(struct cli_cmd *c);

/* Prints the help of a command; returns 0, or -1 when there is no such
 * command. */
int cli_cmd_help(FILE *f, const char *name);
/* The one-line usage of every command, for --help. */
void cli_cmd_summary(FILE *f);

/* ---- the other subcommands ---- */

int cli_list_main(int argc, char **argv); /* list.c */
int cli_regs_main(int argc, char **argv); /* regs.c */
/* Loads a description for `mmio regs` and --regs (prefix starts the
 * message, "" for none). Returns 0 with *out set (the caller frees it),
 * or an exit status after a message that says what to do. */
int cli_desc_load(mmio_desc **out, const char *file, const char *prefix);
int cli_devmem_main(int argc, char **argv); /* devmem.c */

/* ---- progress of long transfers (progress.c) ---- */

struct cli_progress {
  const char *what;
  uint64_t total, start_ns, last_ns, after_ns;
  int enabled, shown;
};

/* enabled: stderr is a terminal and the output is for people. */
void cli_progress_start(struct cli_progress *p, const char *what, uint64_t total, int enabled);
void cli_progress_update(struct cli_progress *p, uint64_t done);
/* done: the final count, shown before the line is erased. */
void cli_progress_end(struct cli_progress *p, uint64_t done);

#endif /* MMIO_TOOL_CLI_H */
