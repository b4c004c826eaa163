/*
 * Waiting for a descriptor to become readable, the one place that knows
 * how: interrupts (UIO, VFIO eventfds) are all read this way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>

#include "linux_internal.h"

int mmio__wait_readable(int fd, int timeout_ms) {
  /* A signal must not turn into a spurious timeout or error: restart with
   * whatever is left of the time. */
  const uint64_t deadline =
      mmio_clock_ns() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0) * 1000000u;
  struct pollfd p = {.fd = fd, .events = POLLIN};
  int left = timeout_ms;
  for (;;) {
    int r = poll(&p, 1, left);
    if (r > 0) return (p.revents & POLLIN) ? 1 : -EIO;
    if (r == 0) return 0;
    if (errno != EINTR) return -errno;
    if (timeout_ms > 0) {
      uint64_t now = mmio_clock_ns();
      if (now >= deadline) return 0;
      left = (int)((deadline - now + 999999u) / 1000000u);
    }
  }
}
