/*
 * Failure reporting shared by the test doubles.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

void mmio_fail_abort(void *arg, const char *message) {
  (void)arg;
  fprintf(stderr, "mmio: %s\n", message);
  fflush(stderr);
  abort();
}

int mmio__report(mmio_fail_fn fn, void *arg, const char *fmt, ...) {
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  (fn != NULL ? fn : mmio_fail_abort)(arg, msg);
  return MMIO_ERR_REJECTED;
}

const char *mmio__width_name(unsigned width) {
  switch (width) {
  case 1: return "8-bit";
  case 2: return "16-bit";
  case 4: return "32-bit";
  case 8: return "64-bit";
  default: return "odd-width";
  }
}
