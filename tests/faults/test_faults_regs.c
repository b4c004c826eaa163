/*
 * Fault injection around the register layer: loading descriptions in
 * both formats, binding a register map, and building a fake from a
 * peripheral. Every failure returns an error and leaves nothing behind.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/mmio.h>
#include <mmio/poll.h>
#include <mmio/testing/fake.h>

#include "faults.h"

static mmio_desc *desc, *edu;
static mmio_regmap *map;
static mmio_fake *fake;
static mmio_region r;
static uint8_t bar[256];

static int load(void *ctx) {
  char why[256];
  int err = mmio_desc_load(&desc, ctx, why, sizeof(why));
  if (err != 0) assert_null(desc);
  return err;
}

static void free_desc(void *ctx) {
  (void)ctx;
  mmio_desc_free(desc);
  desc = NULL;
}

static void descriptions_load_or_fail_cleanly(void **state) {
  const struct fault_case text = {
      .entry = "mmio_desc_load(text)", .act = load, .undo = free_desc, .ctx = MMIO_EDU_REGS};
  const struct fault_case svd = {
      .entry = "mmio_desc_load(SVD)", .act = load, .undo = free_desc, .ctx = MMIO_EDU_SVD};
  (void)state;
  assert_true(fault_sweep(&text) > 0);
#if MMIO_TEST_HAVE_SVD
  assert_true(fault_sweep(&svd) > 0);
#else
  (void)svd;
#endif
}

static int bind(void *ctx) {
  struct mmio_name n;
  char why[128];
  int err;
  (void)ctx;
  err = mmio_regmap_create(&map, &r, edu, "EDU", 0, 0);
  if (err != 0) {
    assert_null(map);
    return err;
  }
  /* The write-only register's remembered value is the map's. */
  assert_int_equal(mmio_regmap_find(&n, map, "IRQ_ACK", why, sizeof(why)), 0);
  return mmio_regmap_write(map, &n, 0, 1);
}

static void free_map(void *ctx) {
  (void)ctx;
  mmio_regmap_free(map);
  map = NULL;
}

static int fake_from_periph(void *ctx) {
  int err;
  (void)ctx;
  err = mmio_fake_create(&fake, 0x100, MMIO_FAKE_STRICT);
  if (err != 0) return err;
  err = mmio_fake_add_periph(fake, mmio_desc_periph(edu, 0), 0);
  if (err != 0) mmio_fake_destroy(fake);
  return err;
}

static void destroy_fake(void *ctx) {
  (void)ctx;
  mmio_fake_destroy(fake);
}

static void maps_and_fakes_from_a_description_fail_cleanly(void **state) {
  const struct fault_case regmap = {
      .entry = "mmio_regmap_create+write", .act = bind, .undo = free_map};
  const struct fault_case fk = {
      .entry = "mmio_fake_add_periph", .act = fake_from_periph, .undo = destroy_fake};
  char why[256];
  (void)state;
  assert_int_equal(mmio_desc_load(&edu, MMIO_EDU_REGS, why, sizeof(why)), 0);
  assert_int_equal(mmio_region_from_memory(&r, bar, sizeof(bar), NULL, NULL), 0);
  assert_true(fault_sweep(&regmap) > 0);
  assert_true(fault_sweep(&fk) > 0);
  mmio_region_release(&r);
  mmio_desc_free(edu);
}

/* A poll that sleeps between reads: a sleep cut short (EINTR) only makes
 * the next read early; the register is still met. */
static int reads_until_set;

static int count_down(mmio_fake *f, size_t reg_off, uint64_t *value, void *arg) {
  (void)f, (void)reg_off, (void)arg;
  *value = --reads_until_set <= 0 ? 1 : 0;
  return 0;
}

static void three_reads(void *ctx) {
  (void)ctx;
  reads_until_set = 3;
}

static int poll_with_sleeps(void *ctx) {
  uint32_t last = 0;
  return mmio_poll32(ctx, 0, 1, 1, 1000000, 10, &last);
}

static void a_poll_outlives_its_sleeps_being_cut_short(void **state) {
  static const char *const interrupted[] = {"nanosleep ", NULL};
  const struct mmio_fake_reg reg = {.name = "STATUS", .width = 4, .on_read = count_down};
  mmio_fake *f;
  mmio_region fr;
  const struct fault_case c = {.entry = "mmio_poll32",
                               .prepare = three_reads,
                               .act = poll_with_sleeps,
                               .ctx = &fr,
                               .absorbed = interrupted};
  (void)state;
  assert_int_equal(mmio_fake_create(&f, 16, 0), 0);
  assert_int_equal(mmio_fake_add_regs(f, &reg, 1), 0);
  assert_int_equal(mmio_fake_region(&fr, f), 0);
  assert_true(fault_sweep(&c) > 0);
  mmio_region_release(&fr);
  mmio_fake_destroy(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(descriptions_load_or_fail_cleanly),
      cmocka_unit_test(maps_and_fakes_from_a_description_fail_cleanly),
      cmocka_unit_test(a_poll_outlives_its_sleeps_being_cut_short),
  };
  return cmocka_run_group_tests_name("faults_regs", tests, NULL, NULL);
}
