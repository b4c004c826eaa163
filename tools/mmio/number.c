/*
 * Numbers and durations as people type them: every word is judged whole,
 * so "0x10z", "1__0", "-4" and "99999999999999999999" are errors with a
 * reason, never a silent truncation (strtoull would take the first two and
 * wrap the last two).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* One more than the value of each digit character; 0 for the others. */
static const unsigned char cli__digits[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* The largest value that can take one more digit in each base. */
static const uint64_t cli__max_v[17] = {
    [2] = UINT64_MAX / 2, [8] = UINT64_MAX / 8, [10] = UINT64_MAX / 10, [16] = UINT64_MAX / 16};

/* The value of digit c in base, or -1. */
static int cli__digit(char c, unsigned base) {
  const int d = (int)cli__digits[(unsigned char)c] - 1;
  return d >= 0 && (unsigned)d < base ? d : -1;
}

/* The binary multiple of a size suffix, or 0. */
static uint64_t cli__suffix(char c) {
  return c == 'k' || c == 'K' ? 1ull << 10 : c == 'M' ? 1ull << 20 : c == 'G' ? 1ull << 30 : 0;
}

/* The base a prefix names ("0x", "0o", "0b"), or 0. */
static unsigned cli__base(const char *p) {
  if (p[0] != '0') return 0;
  if (p[1] == 'x' || p[1] == 'X') return 16;
  if (p[1] == 'o' || p[1] == 'O') return 8;
  if (p[1] == 'b' || p[1] == 'B') return 2;
  return 0;
}

int cli_number(uint64_t *out, const char *text, unsigned flags, char *why, size_t cap) {
  const char *p = text;
  unsigned base = cli__base(text);
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
  if (base != 0 && n > 2) {
    p += 2;
    n -= 2;
  } else if (n > 1 && p[0] == '0' && p[1] >= '0' && p[1] <= '9') {
    snprintf(why, cap, "'%.80s': a decimal number has no leading zero (0o for octal, 0x for hex)",
             text);
    return -1;
  } else {
    base = 10;
  }
  /* v * base + d overflows when v > max_v, or v == max_v and d > max_d
   * (a table, not a division per number: a batch parses many). */
  const uint64_t max_v = cli__max_v[base];
  for (; n > 0; p++, n--) {
    const int d = cli__digit(*p, base);
    if (d >= 0) {
      if (v > max_v || (v == max_v && (uint64_t)d > UINT64_MAX % base)) {
        err = -2;
        break;
      }
      v = v * base + (uint64_t)d;
      ndigits++;
    } else if (!(*p == '_' && ndigits > 0 && n > 1 && p[1] != '_')) {
      err = -1; /* not a digit, nor a '_' between two */
      break;
    }
  }
  if (err == 0 && ndigits == 0) err = -1;
  if (err == 0 && mult != 1 && v > UINT64_MAX / mult) err = -2;
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
