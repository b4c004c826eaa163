/*
 * Numbers and durations as people type them: every word is judged whole,
 * so "0x10z", "1__0", "-4" and "99999999999999999999" are errors with a
 * reason, never a silent truncation (strtoull would take the first two and
 * wrap the last two).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The value of digit c in base, or -1. */
static int cli__digit(char c, unsigned base) {
  int d = -1;
  if (c >= '0' && c <= '9') d = c - '0';
  if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
  if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
  return d >= 0 && (unsigned)d < base ? d : -1;
}

/* The binary multiple of a size suffix, or 0. */
static uint64_t cli__suffix(char c) {
  return c == 'k' || c == 'K' ? 1ull << 10 : c == 'M' ? 1ull << 20 : c == 'G' ? 1ull << 30 : 0;
}

int cli_number(uint64_t *out, const char *text, unsigned flags, char *why, size_t cap) {
  const char *p = text;
  unsigned base = 10;
  uint64_t v = 0, mult = 1;
  size_t n = strlen(text), ndigits = 0;
  int err = 0;
  if (n == 0) {
    snprintf(why, cap, "a number is missing");
    return -1;
  }
  if (text[0] == '-' || text[0] == '+') {
    snprintf(why, cap, "'%.80s': numbers here have no sign", text);
    return -1;
  }
  if ((flags & CLI_NUM_SIZE) && n > 1 && cli__suffix(text[n - 1]) != 0) {
    mult = cli__suffix(text[n - 1]);
    n--;
  }
  if (n > 2 && p[0] == '0' && strchr("xXoObB", p[1]) != NULL) {
    base = p[1] == 'x' || p[1] == 'X' ? 16 : p[1] == 'o' || p[1] == 'O' ? 8 : 2;
    p += 2;
    n -= 2;
  } else if (n > 1 && p[0] == '0' && cli__digit(p[1], 10) >= 0) {
    snprintf(why, cap, "'%.80s': a decimal number has no leading zero (0o for octal, 0x for hex)",
             text);
    return -1;
  }
  for (; n > 0 && err == 0; p++, n--) {
    const int d = cli__digit(*p, base);
    if (*p == '_' && ndigits > 0 && n > 1 && p[1] != '_') continue;
    if (d < 0)
      err = -1;
    else if (v > (UINT64_MAX - (uint64_t)d) / base)
      err = -2;
    else
      v = v * base + (uint64_t)d, ndigits++;
  }
  if (err == 0 && ndigits == 0) err = -1;
  if (err == 0 && v > UINT64_MAX / mult) err = -2;
  if (err == -1)
    snprintf(why, cap, "'%.80s' is not a number (decimal, 0x hex, 0o octal or 0b binary%s)", text,
             (flags & CLI_NUM_SIZE) ? ", with an optional k, M or G" : "");
  else if (err == -2)
    snprintf(why, cap, "'%.80s' does not fit in 64 bits", text);
  else
    *out = v * mult;
  return err == 0 ? 0 : -1;
}

int cli_duration(uint64_t *out_us, const char *text, char *why, size_t cap) {
  const char *p = text;
  uint64_t whole = 0, frac = 0, frac_scale = 1, unit = 1000000;
  size_t n = strlen(text);
  int digits = 0;
  if (n >= 2 && strcmp(text + n - 2, "us") == 0)
    unit = 1, n -= 2;
  else if (n >= 2 && strcmp(text + n - 2, "ms") == 0)
    unit = 1000, n -= 2;
  else if (n >= 1 && text[n - 1] == 's')
    n -= 1;
  for (; n > 0 && *p >= '0' && *p <= '9'; p++, n--, digits++) {
    if (whole > (UINT64_MAX - 9) / 10) goto too_long;
    whole = whole * 10 + (uint64_t)(*p - '0');
  }
  if (n > 0 && *p == '.') {
    for (p++, n--; n > 0 && *p >= '0' && *p <= '9'; p++, n--, digits++)
      if (frac_scale < 1000000000000ull) frac = frac * 10 + (uint64_t)(*p - '0'), frac_scale *= 10;
  }
  if (n != 0 || digits == 0) {
    snprintf(why, cap, "'%.80s' is not a duration (seconds, or a number with us, ms or s)", text);
    return -1;
  }
  if (whole > UINT64_MAX / unit) goto too_long;
  *out_us = whole * unit + frac * unit / frac_scale;
  return 0;
too_long:
  snprintf(why, cap, "'%.80s' is too long a duration", text);
  return -1;
}

unsigned cli_digits(unsigned bits) { return bits == 0 ? 1 : (bits + 3) / 4; }
