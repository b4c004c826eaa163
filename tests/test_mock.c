/*
 * Strict mocks: met sequences pass; every kind of deviation fails with a
 * message naming the expected and the actual access and the position.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmio/mmio.h>
#include <mmio/testing/mock.h>

#include "helpers.h"

struct fixture {
  mmio_mock *m;
  mmio_region r;
};

static int setup(void **state) {
  static struct fixture fx;
  assert_int_equal(mmio_mock_create(&fx.m, 0x100), 0);
  mmio_mock_on_failure(fx.m, test_record_failure, NULL);
  assert_int_equal(mmio_mock_region(&fx.r, fx.m), 0);
  test_reset_failures();
  *state = &fx;
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  mmio_region_release(&fx->r);
  mmio_mock_destroy(fx->m);
  return 0;
}

static void met_sequence_returns_values_and_verifies(void **state) {
  struct fixture *fx = *state;
  uint64_t v64 = 0;
  assert_int_equal(mmio_mock_expect_load(fx->m, 4, 0x00, 0x010000ed), 0);
  assert_int_equal(mmio_mock_expect_store(fx->m, 4, 0x04, 0x1), 0);
  assert_int_equal(mmio_mock_expect_store_masked(fx->m, 2, 0x10, 0x8000, 0x8000), 0);
  assert_int_equal(mmio_mock_expect_load(fx->m, 8, 0x18, 0x1122334455667788ull), 0);
  assert_int_equal(mmio_mock_expect_store(fx->m, 1, 0x21, 0xab), 0);
  assert_int_equal(mmio_mock_expect_no_more(fx->m), 0);
  assert_int_equal(mmio_load32(&fx->r, 0x00), 0x010000ed);
  mmio_store32(&fx->r, 0x04, 1);
  mmio_store16(&fx->r, 0x10, 0x8123); /* only bit 15 is compared */
  assert_int_equal(mmio_try_load64(&fx->r, 0x18, &v64), 0);
  assert_true(v64 == 0x1122334455667788ull);
  mmio_store8(&fx->r, 0x21, 0xab);
  assert_int_equal(mmio_mock_verify(fx->m), 0);
  assert_int_equal(test_failures, 0);
}

static void width_mismatch_fails_with_both_accesses_and_position(void **state) {
  struct fixture *fx = *state;
  assert_int_equal(mmio_mock_expect_load(fx->m, 4, 0x00, 7), 0);
  assert_int_equal(mmio_mock_expect_store(fx->m, 4, 0x04, 1), 0);
  assert_int_equal(mmio_load32(&fx->r, 0), 7);
  assert_int_equal(mmio_try_store8(&fx->r, 0x04, 1), MMIO_ERR_REJECTED);
  assert_string_equal(test_last_failure, "mock: access #2 was a 8-bit store of 0x01 at 0x4; "
                                         "expected #2: a 32-bit store of 0x00000001 at 0x4");
  assert_int_equal(mmio_mock_verify(fx->m), MMIO_ERR_REJECTED);
  assert_int_equal(test_failures, 1); /* verify does not report it twice */
}

static void wrong_value_offset_or_direction_fails(void **state) {
  struct fixture *fx = *state;
  uint32_t v = 0x55;
  assert_int_equal(mmio_mock_expect_store(fx->m, 4, 0x08, 0x10), 0);
  assert_int_equal(mmio_try_store32(&fx->r, 0x08, 0x11), MMIO_ERR_REJECTED);
  assert_string_equal(test_last_failure, "mock: access #1 was a 32-bit store of 0x00000011 at 0x8; "
                                         "expected #1: a 32-bit store of 0x00000010 at 0x8");
  assert_int_equal(mmio_try_store32(&fx->r, 0x0c, 0x10), MMIO_ERR_REJECTED);
  assert_non_null(strstr(test_last_failure, "access #2 was a 32-bit store of 0x00000010 at 0xc"));
  assert_int_equal(mmio_try_load32(&fx->r, 0x08, &v), MMIO_ERR_REJECTED);
  assert_string_equal(test_last_failure, "mock: access #3 was a 32-bit load at 0x8; "
                                         "expected #1: a 32-bit store of 0x00000010 at 0x8");
  assert_int_equal(v, 0x55); /* a failed load writes nothing */
  assert_int_equal(test_failures, 3);
}

static void masked_store_shows_its_mask(void **state) {
  struct fixture *fx = *state;
  assert_int_equal(mmio_mock_expect_store_masked(fx->m, 4, 0x0, 0x100, 0xf00), 0);
  assert_int_equal(mmio_try_store32(&fx->r, 0x0, 0x200), MMIO_ERR_REJECTED);
  assert_non_null(strstr(test_last_failure,
                         "expected #1: a 32-bit store of 0x00000100 at 0x0 under "
                         "mask 0x00000f00"));
}

static void access_after_the_last_expectation_fails(void **state) {
  struct fixture *fx = *state;
  assert_int_equal(mmio_mock_expect_load(fx->m, 4, 0x0, 1), 0);
  assert_int_equal(mmio_mock_expect_no_more(fx->m), 0);
  assert_int_equal(mmio_load32(&fx->r, 0), 1);
  assert_int_equal(mmio_try_store32(&fx->r, 0x40, 9), MMIO_ERR_REJECTED);
  assert_string_equal(test_last_failure,
                      "mock: access #2 was a 32-bit store of 0x00000009 at 0x40; "
                      "no more accesses were expected (1 expected in all)");
  /* Sealed: the test cannot add to a sequence it declared complete. */
  assert_int_equal(mmio_mock_expect_load(fx->m, 4, 0x0, 1), -EINVAL);
}

static void unmet_expectations_fail_verify(void **state) {
  struct fixture *fx = *state;
  assert_int_equal(mmio_mock_expect_store(fx->m, 4, 0x0, 1), 0);
  assert_int_equal(mmio_mock_expect_load(fx->m, 2, 0x6, 0xbeef), 0);
  assert_int_equal(mmio_mock_expect_load(fx->m, 2, 0x6, 0xbeef), 0);
  mmio_store32(&fx->r, 0, 1);
  assert_int_equal(mmio_mock_verify(fx->m), MMIO_ERR_REJECTED);
  assert_string_equal(test_last_failure, "mock: 2 expected accesses did not happen; next was #2: "
                                         "a 16-bit load at 0x6 (returning 0xbeef)");
}

static void bad_expectations_are_refused(void **state) {
  struct fixture *fx = *state;
  assert_int_equal(mmio_mock_expect_load(fx->m, 3, 0x0, 0), -EINVAL);
  assert_int_equal(mmio_mock_expect_load(fx->m, 4, 0x2, 0), -EINVAL);
  assert_int_equal(mmio_mock_expect_store(fx->m, 8, 0x100, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_mock_expect_store(fx->m, 8, 0xfc, 0), -EINVAL);
  assert_int_equal(mmio_mock_verify(fx->m), 0); /* nothing was added */
}

static void do_unexpected(void *arg) {
  mmio_region *r = arg;
  mmio_store32(r, 0, 1);
}

static void default_handler_aborts_with_the_message(void **state) {
  mmio_mock *m;
  mmio_region r;
  char out[512];
  (void)state;
  assert_int_equal(mmio_mock_create(&m, 16), 0);
  assert_int_equal(mmio_mock_region(&r, m), 0);
  assert_true(test_run_expect_abort(do_unexpected, &r, out, sizeof(out)));
  assert_non_null(strstr(out, "mmio: mock: access #1 was a 32-bit store of 0x00000001 at 0x0; "
                              "no more accesses were expected (0 expected in all)"));
  mmio_region_release(&r);
  mmio_mock_destroy(m);
}

static char trace_msg[2048];
static void trace_record_msg(void *arg, const char *msg) {
  (void)arg;
  snprintf(trace_msg, sizeof(trace_msg), "%s", msg);
}

/* Lines of any length are one line each: a long comment is skipped whole,
 * a long bad line is reported whole, and the line numbers stay right. */
static void trace_lines_of_any_length_keep_their_numbers(void **state) {
  char longline[1200];
  mmio_mock *m;
  FILE *f = tmpfile();
  (void)state;
  memset(longline, 'x', sizeof(longline) - 1);
  longline[sizeof(longline) - 1] = '\0';
  fprintf(f, "1 load32 0x0 0x00000001\n#%s\n2 store32 0x4 0x00000002\n", longline);
  fprintf(f, "3 load32 0x8 0x00000003 %s\n", longline);
  rewind(f);
  assert_int_equal(mmio_mock_create(&m, 16), 0);
  mmio_mock_on_failure(m, trace_record_msg, NULL);
  assert_int_equal(mmio_mock_expect_trace(m, f), -EINVAL);
  assert_non_null(strstr(trace_msg, "mock: trace line 4 does not parse: 3 load32 0x8"));
  assert_non_null(strstr(trace_msg, "xxx ...")); /* the line, shortened */
  assert_int_equal(mmio_mock_verify(m), 0);      /* nothing was added */
  /* Without the bad line, the long comment is skipped and both lines count. */
  rewind(f);
  assert_int_equal(ftruncate(fileno(f), 0), 0);
  fprintf(f, "1 load32 0x0 0x00000001\n#%s\n2 store32 0x4 0x00000002", longline);
  rewind(f);
  assert_int_equal(mmio_mock_expect_trace(m, f), 0);
  assert_int_equal(mmio_mock_verify(m), MMIO_ERR_REJECTED);
  assert_non_null(strstr(trace_msg, "2 expected accesses did not happen"));
  mmio_mock_destroy(m);
  fclose(f);
}

/* Only lines with nothing before their ending are blank: a line that
 * starts with a carriage return or a NUL byte and goes on is not one. */
static void only_empty_lines_are_skipped_as_blank(void **state) {
  static const char *const traces[] = {"1 load32 0x0 0x00000001\n\rgarbage\n",
                                       "1 load32 0x0 0x00000001\n\r\r\n"};
  static const char with_nul[] = "1 load32 0x0 0x00000001\n\0garbage\n";
  mmio_mock *m;
  size_t i;
  (void)state;
  assert_int_equal(mmio_mock_create(&m, 16), 0);
  mmio_mock_on_failure(m, trace_record_msg, NULL);
  for (i = 0; i < 3; i++) {
    FILE *f = tmpfile();
    if (i < 2)
      fputs(traces[i], f);
    else
      fwrite(with_nul, 1, sizeof(with_nul) - 1, f);
    rewind(f);
    trace_msg[0] = '\0';
    assert_int_equal(mmio_mock_expect_trace(m, f), -EINVAL);
    assert_non_null(strstr(trace_msg, "mock: trace line 2 does not parse"));
    fclose(f);
  }
  /* Blank lines of both endings are skipped. */
  {
    FILE *f = tmpfile();
    fputs("\n\r\n1 load32 0x0 0x00000001\r\n\r\n", f);
    rewind(f);
    assert_int_equal(mmio_mock_expect_trace(m, f), 0);
    fclose(f);
  }
  assert_int_equal(mmio_mock_verify(m), MMIO_ERR_REJECTED); /* the one load */
  mmio_mock_destroy(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(met_sequence_returns_values_and_verifies, setup, teardown),
      cmocka_unit_test_setup_teardown(width_mismatch_fails_with_both_accesses_and_position, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(wrong_value_offset_or_direction_fails, setup, teardown),
      cmocka_unit_test_setup_teardown(masked_store_shows_its_mask, setup, teardown),
      cmocka_unit_test_setup_teardown(access_after_the_last_expectation_fails, setup, teardown),
      cmocka_unit_test_setup_teardown(unmet_expectations_fail_verify, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_expectations_are_refused, setup, teardown),
      cmocka_unit_test(default_handler_aborts_with_the_message),
      cmocka_unit_test(trace_lines_of_any_length_keep_their_numbers),
      cmocka_unit_test(only_empty_lines_are_skipped_as_blank),
  };
  return cmocka_run_group_tests_name("mock", tests, NULL, NULL);
}
