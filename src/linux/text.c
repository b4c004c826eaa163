/*
 * A bounded text builder for explanations: appends with printf formats
 * and keeps counting past the end, so the caller learns the full length
 * the way snprintf reports it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "linux_internal.h"

void mmio__say(struct mmio__text *t, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(t->len < t->cap ? t->buf + t->len : NULL, t->len < t->cap ? t->cap - t->len : 0,
                fmt, ap);
  va_end(ap);
  if (n > 0) t->len += (size_t)n;
}

void mmio__say_needs_root(struct mmio__text *t) {
  mmio__say(t, " This needs root (CAP_SYS_RAWIO / CAP_SYS_ADMIN), or the device node's "
               "permissions; a kernel in lockdown refuses it even to root.");
}
