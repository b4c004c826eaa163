/*
 * Fault injection around the test doubles (libmmio-testing): fake register
 * files, strict mocks (with traces read from a file), the concurrency
 * checker and the device models. Every failure returns an error, leaves
 * the region or handle empty, and leaves nothing behind.
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
#include <mmio/testing/checker.h>
#include <mmio/testing/fake.h>
#include <mmio/testing/mock.h>
#include <mmio/testing/model.h>

#include "faults.h"

static mmio_region r, inner;
static uint8_t mem[64];

/* ---- fakes ---- */

static mmio_fake *fake;

static int fake_with_regs(void *ctx) {
  static const struct mmio_fake_reg regs[] = {
      {.name = "ID", .offset = 0, .width = 4, .reset = 0x10, .ro = ~0ull},
      {.name = "CTRL", .offset = 8, .width = 8, .w1c = 0xff},
  };
  const unsigned flags = *(const unsigned *)ctx;
  int err = mmio_fake_create(&fake, 64, flags);
  if (err != 0) {
    assert_null(fake);
    return err;
  }
  err = mmio_fake_add_regs(fake, regs, 2);
  if (err == 0) err = mmio_fake_region(&r, fake);
  if (err != 0) {
    assert_true(fault_region_empty(&r));
    mmio_fake_destroy(fake);
  }
  return err;
}

static void destroy_fake(void *ctx) {
  (void)ctx;
  mmio_region_release(&r);
  mmio_fake_destroy(fake);
}

static void fakes_are_made_or_fail_cleanly(void **state) {
  unsigned plain = 0, threadsafe = MMIO_FAKE_THREADSAFE;
  const struct fault_case a = {.entry = "mmio_fake_create+add_regs+region",
                               .act = fake_with_regs,
                               .undo = destroy_fake,
                               .ctx = &plain};
  const struct fault_case b = {.entry = "mmio_fake_create(THREADSAFE)+add_regs+region",
                               .act = fake_with_regs,
                               .undo = destroy_fake,
                               .ctx = &threadsafe};
  (void)state;
  assert_true(fault_sweep(&a) > 0);
  assert_true(fault_sweep(&b) > 0);
}

/* ---- mocks ---- */

static mmio_mock *mock;

static int mock_expecting(void *ctx) {
  FILE *trace = ctx;
  int err = mmio_mock_create(&mock, 64);
  if (err != 0) {
    assert_null(mock);
    return err;
  }
  err = mmio_mock_expect_load(mock, 4, 0, 0x10);
  if (err == 0) err = mmio_mock_expect_store(mock, 4, 4, 1);
  if (err == 0) {
    rewind(trace);
    err = mmio_mock_expect_trace(mock, trace);
  }
  if (err == 0) err = mmio_mock_region(&r, mock);
  if (err != 0) {
    assert_true(fault_region_empty(&r));
    mmio_mock_destroy(mock);
  }
  return err;
}

static void destroy_mock(void *ctx) {
  (void)ctx;
  mmio_region_release(&r);
  mmio_mock_destroy(mock);
}

static void mocks_are_made_or_fail_cleanly(void **state) {
  FILE *trace = tmpfile();
  const struct fault_case c = {.entry = "mmio_mock_create+expect+expect_trace+region",
                               .act = mock_expecting,
                               .undo = destroy_mock,
                               .ctx = trace};
  (void)state;
  fputs("# recorded\n1 load32 0x8 0x00000002\n2 store8 0x9 0x01\n", trace);
  assert_true(fault_sweep(&c) > 0);
  fclose(trace);
}

/* ---- the checker ---- */

static mmio_checker *checker;

/* Borrowed memory: consuming it frees nothing the run counts. */
static void make_inner(void *ctx) {
  (void)ctx;
  assert_int_equal(mmio_region_from_memory(&inner, mem, sizeof(mem), NULL, NULL), 0);
}

static int checked(void *ctx) {
  int err = mmio_checker_create(&checker, &inner, 1, 1);
  (void)ctx;
  assert_true(fault_region_empty(&inner)); /* consumed either way */
  if (err != 0) {
    assert_null(checker);
    return err;
  }
  err = mmio_checker_region(&r, checker);
  if (err != 0) {
    assert_true(fault_region_empty(&r));
    mmio_checker_destroy(checker);
  }
  return err;
}

static void destroy_checker(void *ctx) {
  (void)ctx;
  mmio_region_release(&r);
  mmio_checker_destroy(checker);
}

static void checkers_are_made_or_fail_cleanly(void **state) {
  const struct fault_case c = {.entry = "mmio_checker_create+region",
                               .prepare = make_inner,
                               .act = checked,
                               .undo = destroy_checker};
  (void)state;
  assert_true(fault_sweep(&c) > 0);
}

/* ---- models ---- */

static mmio_model *model;

static int modelled(void *ctx) {
  int err = mmio_model_create(&model, "edu", 2);
  (void)ctx;
  if (err != 0) {
    assert_null(model);
    return err;
  }
  err = mmio_model_region(&r, model);
  if (err != 0) {
    assert_true(fault_region_empty(&r));
    mmio_model_destroy(model);
  }
  return err;
}

static void destroy_model(void *ctx) {
  (void)ctx;
  mmio_region_release(&r);
  mmio_model_destroy(model);
}

static void models_are_made_or_fail_cleanly(void **state) {
  const struct fault_case c = {
      .entry = "mmio_model_create(edu)+region", .act = modelled, .undo = destroy_model};
  (void)state;
  assert_true(fault_sweep(&c) > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(fakes_are_made_or_fail_cleanly),
      cmocka_unit_test(mocks_are_made_or_fail_cleanly),
      cmocka_unit_test(checkers_are_made_or_fail_cleanly),
      cmocka_unit_test(models_are_made_or_fail_cleanly),
  };
  return cmocka_run_group_tests_name("faults_doubles", tests, NULL, NULL);
}
