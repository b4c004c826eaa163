/*
 * Polling with the contract of Linux's read_poll_timeout(): the deadline
 * before the first read, one final read after it, -ETIMEDOUT only when that
 * one fails too.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <time.h>

#include "regs_internal.h"

/* Sleeps sleep_us microseconds; a signal ends it early, which only makes
 * the next read come sooner. */
static void mmio__sleep_us(uint64_t sleep_us) {
  struct timespec ts;
  ts.tv_sec = (time_t)(sleep_us / 1000000u);
  ts.tv_nsec = (long)(sleep_us % 1000000u) * 1000;
  nanosleep(&ts, NULL);
}

/*
 * The loop every form shares: reads width bytes at off until
 * (value & mask) == expected. *last gets every value read.
 */
static int mmio__poll(const mmio_region *r, size_t off, unsigned width, uint64_t mask,
                      uint64_t expected, uint64_t timeout_us, uint64_t sleep_us, uint64_t *last) {
  /* A timeout too long to add to the clock is as good as forever. */
  const uint64_t now = mmio_clock_ns();
  const int bounded = timeout_us != 0 && timeout_us <= (UINT64_MAX - now) / 1000u;
  const uint64_t deadline = bounded ? now + timeout_us * 1000u : 0;
  uint64_t v = 0;
  int err;
  *last = 0;
  for (;;) {
    err = mmio_try_load_width(r, off, width, &v);
    if (err != 0) return err;
    *last = v;
    if ((v & mask) == expected) return 0;
    if (bounded && mmio_clock_ns() > deadline) {
      /* The value may have arrived while this thread was not running:
       * judge one more read before giving up. */
      err = mmio_try_load_width(r, off, width, &v);
      if (err != 0) return err;
      *last = v;
      return (v & mask) == expected ? 0 : -ETIMEDOUT;
    }
    if (sleep_us != 0) mmio__sleep_us(sleep_us);
  }
}

#define MMIO__POLL(bits)                                                                           \
  int mmio_poll##bits(const mmio_region *r, size_t off, uint##bits##_t mask,                       \
                      uint##bits##_t expected, uint64_t timeout_us, uint64_t sleep_us,             \
                      uint##bits##_t *last) {                                                      \
    uint64_t v = 0;                                                                                \
    int err;                                                                                       \
    if (r == NULL) return -EINVAL;                                                                 \
    err = mmio__poll(r, off, bits / 8, mask, expected, timeout_us, sleep_us, &v);                  \
    if (last != NULL) *last = (uint##bits##_t)v;                                                   \
    return err;                                                                                    \
  }
MMIO__POLL(8)
MMIO__POLL(16)
MMIO__POLL(32)
MMIO__POLL(64)

int mmio_poll_width(const mmio_region *r, size_t off, unsigned width, uint64_t mask,
                    uint64_t expected, uint64_t timeout_us, uint64_t sleep_us, uint64_t *last) {
  uint64_t v = 0;
  int err;
  if (last != NULL) *last = 0;
  if (r == NULL || (width != 1 && width != 2 && width != 4 && width != 8)) return -EINVAL;
  if ((mask | expected) & ~mmio__width_mask(width)) return -ERANGE;
  err = mmio__poll(r, off, width, mask, expected, timeout_us, sleep_us, &v);
  if (last != NULL) *last = v;
  return err;
}

int mmio__regs_poll(const mmio_region *r, size_t off, const struct mmio_reg *reg, size_t idx,
                    uint64_t expected, uint64_t timeout_us, uint64_t sleep_us, unsigned flags,
                    uint64_t *last) {
  uint64_t mask, shift, v = 0;
  int err;
  if (last != NULL) *last = 0;
  /* The reading rules (write-only, read effects), checked once before the
   * first read by a read that is not made: the same checks as a field read. */
  if (r == NULL || reg == NULL) return -EINVAL;
  if (idx == MMIO__WHOLE) {
    mask = mmio__width_mask(reg->width);
    shift = 0;
  } else if (idx < reg->nfields) {
    mask = mmio_field_mask(&reg->fields[idx]);
    shift = reg->fields[idx].lsb;
  } else {
    return -EINVAL;
  }
  if (expected > (mask >> shift)) return -ERANGE;
  err = mmio__regs_read(r, off, reg, idx, flags | MMIO_REGS_CHECK_ONLY, NULL, 0, &v);
  if (err != 0) return err;
  err = mmio__poll(r, off, reg->width, mask, expected << shift, timeout_us, sleep_us, &v);
  if (last != NULL) *last = (v & mask) >> shift;
  return err;
}

int mmio_field_poll(const mmio_region *r, const struct mmio_reg *reg, size_t idx, uint64_t expected,
                    uint64_t timeout_us, uint64_t sleep_us, unsigned flags, uint64_t *last) {
  if (reg == NULL || reg->offset > SIZE_MAX || idx == MMIO__WHOLE) return -EINVAL;
  return mmio__regs_poll(r, (size_t)reg->offset, reg, idx, expected, timeout_us, sleep_us, flags,
                         last);
}
