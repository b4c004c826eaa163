/*
 * The JSON document of --json: {"source": SPEC, "results": [...]}, one
 * result object per access or command, built in memory while the commands
 * run and printed once at the end, so that stdout always holds one whole
 * document, with an "error" member when a command failed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Appends to the document; out of memory ends the program, as it would
 * end any output. */
static void cli__put(struct cli_out *o, const char *s, size_t n) {
  if (o->len + n + 1 > o->cap) {
    size_t cap = o->cap ? o->cap : 1024;
    char *doc;
    while (cap < o->len + n + 1)
      cap *= 2;
    doc = realloc(o->doc, cap);
    if (doc == NULL) {
      cli_say("out of memory for the JSON output");
      exit(CLI_FAILED);
    }
    o->doc = doc;
    o->cap = cap;
  }
  memcpy(o->doc + o->len, s, n);
  o->len += n;
  o->doc[o->len] = '\0';
}

static void cli__puts(struct cli_out *o, const char *s) { cli__put(o, s, strlen(s)); }

void cli_json_string(struct cli_text *t, const char *s) {
  cli_text_add(t, "\"");
  for (; *s != '\0'; s++) {
    const unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      cli_text_add(t, "\\%c", c);
    else if (c < 0x20)
      cli_text_add(t, "\\u%04x", c);
    else
      cli_text_add(t, "%c", c);
  }
  cli_text_add(t, "\"");
}

void cli_out_init(struct cli_out *o, const struct cli_options *opt, const char *spec) {
  memset(o, 0, sizeof(*o));
  o->json = opt->json;
  o->quiet = opt->quiet;
  o->dry_run = opt->dry_run;
  o->spec = spec;
}

/* Starts "key": inside the open result. */
static void cli__key(struct cli_out *o, const char *key) {
  struct cli_text t = {{0}, 0};
  cli_text_add(&t, ", ");
  cli_json_string(&t, key);
  cli_text_add(&t, ": ");
  cli__put(o, t.buf, t.len);
}

void cli_out_begin(struct cli_out *o, const char *op) {
  if (!o->json) return;
  cli__puts(o, o->results++ > 0 ? ",\n    {\"op\": \"" : "\n    {\"op\": \"");
  cli__puts(o, op);
  cli__puts(o, "\"");
  if (o->dry_run) cli__puts(o, ", \"dry_run\": true");
  o->in_result = 1;
}

void cli_out_u64(struct cli_out *o, const char *key, uint64_t v) {
  char num[32];
  if (!o->in_result) return;
  cli__key(o, key);
  snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
  cli__puts(o, num);
}

void cli_out_double(struct cli_out *o, const char *key, double v) {
  char num[64];
  if (!o->in_result) return;
  cli__key(o, key);
  snprintf(num, sizeof(num), "%.6f", v);
  cli__puts(o, num);
}

void cli_out_str(struct cli_out *o, const char *key, const char *v) {
  struct cli_text t = {{0}, 0};
  if (!o->in_result) return;
  cli__key(o, key);
  cli_json_string(&t, v);
  cli__put(o, t.buf, t.len);
}

void cli_out_bool(struct cli_out *o, const char *key, int v) {
  if (!o->in_result) return;
  cli__key(o, key);
  cli__puts(o, v ? "true" : "false");
}

void cli_out_raw(struct cli_out *o, const char *key, const char *json) {
  if (!o->in_result) return;
  cli__key(o, key);
  cli__puts(o, json);
}

void cli_out_end(struct cli_out *o) {
  if (!o->in_result) return;
  cli__puts(o, "}");
  o->in_result = 0;
}

void cli_out_finish(struct cli_out *o, const char *err_text) {
  struct cli_text head = {{0}, 0}, err = {{0}, 0};
  if (o->json) {
    cli_out_end(o);
    cli_text_add(&head, "{\"source\": ");
    cli_json_string(&head, o->spec != NULL ? o->spec : "");
    cli_text_add(&head, ", \"results\": [");
    fputs(head.buf, stdout);
    if (o->doc != NULL) fputs(o->doc, stdout);
    fputs(o->results > 0 ? "\n  ]" : "]", stdout);
    if (err_text != NULL) {
      cli_text_add(&err, ", \"error\": ");
      cli_json_string(&err, err_text);
      fputs(err.buf, stdout);
    }
    fputs("}\n", stdout);
  }
  free(o->doc);
  o->doc = NULL;
  o->len = o->cap = 0;
}

void cli_print_hex(FILE *f, uint64_t v, int digits, char end) {
  static const char hex[] = "0123456789abcdef";
  int i;
  if (digits < 1) digits = 1;
  if (digits > 16) digits = 16;
  while (digits < 16 && (v >> (4 * digits)) != 0)
    digits++;
  /* putc_unlocked: the tool has one thread, and a batch prints a value
   * per read, so stdio's locking and fwrite's bookkeeping would show. */
  putc_unlocked('0', f);
  putc_unlocked('x', f);
  for (i = digits - 1; i >= 0; i--)
    putc_unlocked(hex[(v >> (4 * i)) & 0xf], f);
  if (end != '\0') putc_unlocked(end, f);
}
