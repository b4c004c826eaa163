/*
 * The monotonic clock, for time stamps and deadlines: never the wall
 * clock, which jumps when the time is set.
 */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "mmio/clock.h"

uint64_t mmio_clock_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
