/*
 * Output: growable text for JSON (no length limit, so no document is ever
 * cut short), the session's JSON document ({"source": SPEC, "results":
 * [...]}, one result object per access or command, built while the
 * commands run and printed once at the end, with an "error" member when a
 * command failed; a run killed by a signal prints none), and the hex of
 * values read.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Makes room for n more bytes and the NUL; out of memory ends the run, as
 * it would end any output. */
static void cli__reserve(struct cli_buf *b, size_t n) {
  size_t cap = b->cap ? b->cap : 256;
  char *p;
  if (b->len + n + 1 <= b->cap) return;
  while (cap < b->len + n + 1)
    cap *= 2;
  p = realloc(b->p, cap);
  if (p == NULL) {
    cli_say("out of memory for the output");
    exit(CLI_FAILED);
  }
  b->p = p;
  b->cap = cap;
}

void cli_buf_put(struct cli_buf *b, const char *s, size_t n) {
  cli__reserve(b, n);
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void cli_buf_add(struct cli_buf *b, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n <= 0) return;
  cli__reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void cli_buf_json(struct cli_buf *b, const char *s) {
  char esc[8];
  cli_buf_put(b, "\"", 1);
  for (; *s != '\0'; s++) {
    const unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      cli_buf_put(b, esc, 2);
    } else if (c < 0x20 || c == 0x7f) {
      snprintf(esc, sizeof(esc), "\\u%04x", c);
      cli_buf_put(b, esc, 6);
    } else {
      cli_buf_put(b, s, 1);
    }
  }
  cli_buf_put(b, "\"", 1);
}

void cli_buf_free(struct cli_buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

void cli_out_init(struct cli_out *o, const struct cli_options *opt, const char *spec) {
  memset(o, 0, sizeof(*o));
  o->json = opt->json;
  o->quiet = opt->quiet;
  o->dry_run = opt->dry_run;
  o->spec = spec;
}

/* Starts ', "key": ' inside the open result. */
static void cli__key(struct cli_out *o, const char *key) {
  cli_buf_put(&o->doc, ", ", 2);
  cli_buf_json(&o->doc, key);
  cli_buf_put(&o->doc, ": ", 2);
}

void cli_out_begin(struct cli_out *o, const char *op) {
  if (!o->json) return;
  cli_buf_add(&o->doc, "%s\n    {\"op\": ", o->results++ > 0 ? "," : "");
  cli_buf_json(&o->doc, op);
  if (o->dry_run) cli_buf_add(&o->doc, ", \"dry_run\": true");
  o->in_result = 1;
}

void cli_out_u64(struct cli_out *o, const char *key, uint64_t v) {
  if (!o->in_result) return;
  cli__key(o, key);
  cli_buf_add(&o->doc, "%llu", (unsigned long long)v);
}

void cli_out_double(struct cli_out *o, const char *key, double v) {
  if (!o->in_result) return;
  cli__key(o, key);
  cli_buf_add(&o->doc, "%.6f", v);
}

void cli_out_str(struct cli_out *o, const char *key, const char *v) {
  if (!o->in_result) return;
  cli__key(o, key);
  cli_buf_json(&o->doc, v);
}

void cli_out_bool(struct cli_out *o, const char *key, int v) {
  if (!o->in_result) return;
  cli__key(o, key);
  cli_buf_add(&o->doc, v ? "true" : "false");
}

void cli_out_raw(struct cli_out *o, const char *key, const char *json) {
  if (!o->in_result) return;
  cli__key(o, key);
  cli_buf_put(&o->doc, json, strlen(json));
}

void cli_out_end(struct cli_out *o) {
  if (!o->in_result) return;
  cli_buf_put(&o->doc, "}", 1);
  o->in_result = 0;
}

void cli_out_finish(struct cli_out *o, const char *err_text) {
  struct cli_buf head = {0};
  if (o->json) {
    cli_out_end(o);
    cli_buf_add(&head, "{\"source\": ");
    cli_buf_json(&head, o->spec != NULL ? o->spec : "");
    cli_buf_add(&head, ", \"results\": [%s%s", o->doc.p != NULL ? o->doc.p : "",
                o->results > 0 ? "\n  ]" : "]");
    if (err_text != NULL) {
      cli_buf_add(&head, ", \"error\": ");
      cli_buf_json(&head, err_text);
    }
    cli_buf_add(&head, "}\n");
    fputs(head.p, stdout);
    cli_buf_free(&head);
  }
  cli_buf_free(&o->doc);
}

/* "00" .. "ff": the two hex digits of each byte, at 2 * byte. */
static const char cli__hex_pairs[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

void cli_print_hex(FILE *f, uint64_t v, int digits, char end) {
  char buf[24], *p = buf + sizeof(buf), *q;
  if (end != '\0') *--p = end;
  /* Digits from the lowest, a byte at a time (a batch prints a value per
   * read), at least `digits` of them (an odd count drops the leading zero
   * of the last byte). */
  do {
    p -= 2;
    memcpy(p, cli__hex_pairs + 2 * (v & 0xff), 2);
    v >>= 8;
    digits -= 2;
  } while (digits > 0 || v != 0);
  if (digits < 0 && *p == '0') p++;
  *--p = 'x';
  *--p = '0';
  /* The tool has one thread, and a batch prints a value per read: stdio's
   * locking and fwrite's bookkeeping would show. */
  for (q = p; q < buf + sizeof(buf); q++)
    putc_unlocked(*q, f);
}
