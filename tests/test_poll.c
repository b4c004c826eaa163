/*
 * Polling with read_poll_timeout()'s contract: success, timeout, the late
 * success of the final read after the deadline, the deadline taken before
 * the first read, timeout 0 as forever, a thread flipping the bit, errors
 * before any wait, and the field form.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <mmio/mmio.h>
#include <mmio/poll.h>
#include <mmio/regs.h>
#include <mmio/testing/fake.h>

#include "helpers.h"

/* A status register whose READY bit (bit 0) is set by a rule of the test:
 * after a number of reads, or once the clock passes a time. Each read can
 * also take a while, like a slow bus. */
struct device {
  unsigned reads;
  unsigned ready_after_reads; /* 0: never by count */
  uint64_t ready_after_ns;    /* 0: never by time */
  uint64_t read_takes_ns;
};

static int device_access(void *ctx, size_t off, unsigned width, int store, uint64_t *value) {
  struct device *d = ctx;
  uint64_t start = mmio_clock_ns();
  (void)off, (void)width;
  if (store) return 0;
  d->reads++;
  while (d->read_takes_ns != 0 && mmio_clock_ns() - start < d->read_takes_ns) {
  }
  *value = 0xa0; /* other bits, to show the mask works */
  if ((d->ready_after_reads != 0 && d->reads >= d->ready_after_reads) ||
      (d->ready_after_ns != 0 && mmio_clock_ns() > d->ready_after_ns))
    *value |= 1;
  return 0;
}

MMIO_DEFINE_OPS(device_ops, device_access, NULL);

static void make(mmio_region *r, struct device *d) {
  memset(d, 0, sizeof(*d));
  assert_int_equal(mmio_region_from_ops(r, &device_ops, d, 16), 0);
}

static void success_after_some_reads_returns_the_value(void **state) {
  struct device d;
  mmio_region r;
  uint32_t last = 0;
  (void)state;
  make(&r, &d);
  d.ready_after_reads = 5;
  assert_int_equal(mmio_poll32(&r, 4, 0x1, 0x1, 1000000, 0, &last), 0);
  assert_int_equal(d.reads, 5);
  assert_int_equal(last, 0xa1);
  /* Already true: one read. */
  d.reads = 0;
  d.ready_after_reads = 1;
  assert_int_equal(mmio_poll8(&r, 4, 0x1, 0x1, 1000, 10, NULL), 0);
  assert_int_equal(d.reads, 1);
  mmio_region_release(&r);
}

static void timeout_is_reported_with_the_last_value(void **state) {
  struct device d;
  mmio_region r;
  uint16_t last = 0;
  uint64_t start;
  (void)state;
  make(&r, &d);
  start = mmio_clock_ns();
  assert_int_equal(mmio_poll16(&r, 2, 0x1, 0x1, 5000, 500, &last), -ETIMEDOUT);
  assert_true(mmio_clock_ns() - start >= 5000000u);
  assert_int_equal(last, 0xa0);
  assert_true(d.reads >= 2);
  mmio_region_release(&r);
}

/* The bit comes up only after the deadline: the final read still sees it,
 * and the poll succeeds. */
static void the_final_read_after_the_deadline_counts(void **state) {
  struct device d;
  mmio_region r;
  uint64_t last = 0;
  (void)state;
  make(&r, &d);
  d.ready_after_ns = mmio_clock_ns() + 2000000u; /* 2 ms from now */
  /* Timeout 1 ms, and a sleep of 20 ms that overshoots it. */
  assert_int_equal(mmio_poll64(&r, 8, 0x1, 0x1, 1000, 20000, &last), 0);
  assert_true(last & 1);
  mmio_region_release(&r);
}

/* The deadline is taken before the first read: a read that takes longer
 * than the timeout is followed by the one final read, nothing more. */
static void the_deadline_is_taken_before_the_first_read(void **state) {
  struct device d;
  mmio_region r;
  (void)state;
  make(&r, &d);
  d.read_takes_ns = 3000000u; /* each read 3 ms; timeout 1 ms */
  assert_int_equal(mmio_poll32(&r, 0, 0x1, 0x1, 1000, 0, NULL), -ETIMEDOUT);
  assert_int_equal(d.reads, 2);
  mmio_region_release(&r);
}

static void timeout_zero_waits_for_as_long_as_it_takes(void **state) {
  struct device d;
  mmio_region r;
  (void)state;
  make(&r, &d);
  d.ready_after_ns = mmio_clock_ns() + 30000000u; /* 30 ms, spinning */
  assert_int_equal(mmio_poll32(&r, 0, 0x1, 0x1, 0, 0, NULL), 0);
  assert_true(d.reads > 100);
  mmio_region_release(&r);
}

struct flipper {
  mmio_region *r;
  unsigned delay_ms;
};

static void *flip_later(void *arg) {
  struct flipper *f = arg;
  struct timespec ts = {0, (long)f->delay_ms * 1000000L};
  nanosleep(&ts, NULL);
  mmio_store32(f->r, 0x10, 0x80000000u);
  return NULL;
}

static void a_thread_flipping_the_bit_ends_the_wait(void **state) {
  static uint32_t mem[8];
  mmio_region r, writer;
  struct flipper f;
  pthread_t t;
  uint32_t last = 0;
  (void)state;
  memset(mem, 0, sizeof(mem));
  assert_int_equal(mmio_region_from_memory(&r, mem, sizeof(mem), NULL, NULL), 0);
  /* The writer gets its own part of the memory, as the ownership rules
   * want: the poll reads [0x10, 0x14) through the other region. */
  assert_int_equal(mmio_region_from_memory(&writer, mem, sizeof(mem), NULL, NULL), 0);
  f.r = &writer;
  f.delay_ms = 10;
  assert_int_equal(pthread_create(&t, NULL, flip_later, &f), 0);
  assert_int_equal(mmio_poll32(&r, 0x10, 0x80000000u, 0x80000000u, 2000000, 100, &last), 0);
  assert_int_equal(last, 0x80000000u);
  pthread_join(t, NULL);
  mmio_region_release(&r);
  mmio_region_release(&writer);
}

static void bad_offsets_fail_before_any_wait(void **state) {
  struct device d;
  mmio_region r;
  uint32_t last = 7;
  (void)state;
  make(&r, &d);
  assert_int_equal(mmio_poll32(&r, 2, 1, 1, 0, 0, &last), MMIO_ERR_UNALIGNED);
  assert_int_equal(last, 0);
  assert_int_equal(mmio_poll32(&r, 16, 1, 1, 0, 0, &last), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_poll32(NULL, 0, 1, 1, 0, 0, &last), -EINVAL);
  assert_int_equal(d.reads, 0);
  mmio_region_release(&r);
}

static void the_run_time_width_form_is_the_typed_one(void **state) {
  struct device d;
  mmio_region r;
  uint64_t last = 7;
  unsigned width;
  (void)state;
  make(&r, &d);
  for (width = 1; width <= 8; width *= 2) {
    d.reads = 0;
    d.ready_after_reads = 3;
    assert_int_equal(mmio_poll_width(&r, 8, width, 0x1, 0x1, 1000000, 0, &last), 0);
    assert_int_equal(d.reads, 3);
    assert_int_equal(last, 0xa1);
  }
  d.reads = 0;
  d.ready_after_reads = 0;
  assert_int_equal(mmio_poll_width(&r, 8, 4, 0x1, 0x1, 2000, 100, &last), -ETIMEDOUT);
  assert_int_equal(last, 0xa0);
  /* Refused before any read. */
  d.reads = 0;
  assert_int_equal(mmio_poll_width(&r, 8, 3, 1, 1, 0, 0, &last), -EINVAL);
  assert_int_equal(mmio_poll_width(&r, 8, 1, 0x100, 0, 0, 0, &last), -ERANGE);
  assert_int_equal(mmio_poll_width(&r, 8, 2, 1, 0x10000, 0, 0, &last), -ERANGE);
  assert_int_equal(mmio_poll_width(&r, 6, 4, 1, 1, 0, 0, &last), MMIO_ERR_UNALIGNED);
  assert_int_equal(last, 0);
  assert_int_equal(d.reads, 0);
  mmio_region_release(&r);
}

#define STATUS_FIELDS(F, R) F(R, DONE, 0, 0, MMIO_RO) F(R, STATE, 5, 4, MMIO_RO)
MMIO_REG(STATUS, 0x4, 32, MMIO_RO, 0, STATUS_FIELDS);
#define EVENTS_FIELDS(F, R) F(R, ANY, 31, 0, MMIO_ACCESS_DEFAULT)
MMIO_REG(EVENTS, 0x8, 32, MMIO_RC, 0, EVENTS_FIELDS);

static int status_read(mmio_fake *fake, size_t reg, uint64_t *v, void *arg) {
  unsigned *reads = arg;
  (void)fake, (void)reg;
  /* DONE after three reads, STATE counting up. */
  ++*reads;
  *v = (*reads >= 3 ? 1u : 0u) | ((*reads & 3u) << 4);
  return 0;
}

static void the_field_form_waits_for_a_field_value(void **state) {
  unsigned reads = 0;
  const struct mmio_fake_reg regs[] = {
      {.name = "STATUS",
       .offset = 0x4,
       .width = 4,
       .ro = ~0ull,
       .on_read = status_read,
       .arg = &reads},
      {.name = "EVENTS", .offset = 0x8, .width = 4, .rc = ~0ull},
  };
  mmio_fake *fake;
  mmio_region r;
  uint64_t last = 9;
  (void)state;
  assert_int_equal(mmio_fake_create(&fake, 16, MMIO_FAKE_STRICT), 0);
  assert_int_equal(mmio_fake_add_regs(fake, regs, 2), 0);
  assert_int_equal(mmio_fake_region(&r, fake), 0);
  assert_int_equal(mmio_field_poll(&r, &STATUS, STATUS_DONE, 1, 100000, 0, 0, &last), 0);
  assert_int_equal(last, 1);
  assert_int_equal(reads, 3);
  reads = 0;
  assert_int_equal(mmio_field_poll(&r, &STATUS, STATUS_STATE, 2, 100000, 0, 0, &last), 0);
  assert_int_equal(last, 2);
  /* Checked before the first read: a value the field cannot hold, and a
   * register whose read clears it. */
  reads = 0;
  assert_int_equal(mmio_field_poll(&r, &STATUS, STATUS_STATE, 4, 1000, 0, 0, &last), -ERANGE);
  assert_int_equal(reads, 0);
  assert_int_equal(mmio_field_poll(&r, &EVENTS, EVENTS_ANY, 1, 1000, 0, 0, &last),
                   MMIO_ERR_READ_EFFECT);
  assert_int_equal(mmio_fake_reads(fake, 0x8), 0);
  /* Asked for, it polls (and the reads clear the register). */
  mmio_fake_poke32(fake, 0x8, 1);
  assert_int_equal(
      mmio_field_poll(&r, &EVENTS, EVENTS_ANY, 1, 1000, 0, MMIO_REGS_READ_EFFECTS, &last), 0);
  assert_int_equal(mmio_fake_peek32(fake, 0x8), 0);
  mmio_region_release(&r);
  mmio_fake_destroy(fake);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(success_after_some_reads_returns_the_value),
      cmocka_unit_test(timeout_is_reported_with_the_last_value),
      cmocka_unit_test(the_final_read_after_the_deadline_counts),
      cmocka_unit_test(the_deadline_is_taken_before_the_first_read),
      cmocka_unit_test(timeout_zero_waits_for_as_long_as_it_takes),
      cmocka_unit_test(a_thread_flipping_the_bit_ends_the_wait),
      cmocka_unit_test(bad_offsets_fail_before_any_wait),
      cmocka_unit_test(the_run_time_width_form_is_the_typed_one),
      cmocka_unit_test(the_field_form_waits_for_a_field_value),
  };
  return cmocka_run_group_tests_name("poll", tests, NULL, NULL);
}
