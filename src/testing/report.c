/*
 * Failure reporting shared by the test doubles.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "testing_internal.h"

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
  static const char *const names[] = {
      [1] = "8-bit", [2] = "16-bit", [4] = "32-bit", [8] = "64-bit"};
  if (width >= sizeof(names) / sizeof(names[0]) || names[width] == NULL) return "odd-width";
  return names[width];
}
