/*
 * Error codes: distinct from each other and from every errno, and every
 * one named in words.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/mmio.h>

/* Every code the list defines, from the list itself: a new row is tested
 * without touching this file. */
static const int own_codes[] = {
#define CODE(name, code, message) MMIO_ERR_##name,
    MMIO_ERRNO_MAP(CODE)
#undef CODE
};
static const char *const own_names[] = {
#define NAME(name, code, message) "MMIO_ERR_" #name,
    MMIO_ERRNO_MAP(NAME)
#undef NAME
};
#define NCODES (sizeof(own_codes) / sizeof(own_codes[0]))

static void codes_are_distinct_and_outside_errno_range(void **state) {
  size_t i, j;
  (void)state;
  for (i = 0; i < NCODES; i++) {
    assert_true(own_codes[i] < -4095);
    for (j = i + 1; j < NCODES; j++)
      assert_int_not_equal(own_codes[i], own_codes[j]);
  }
}

static void every_code_has_its_own_words(void **state) {
  size_t i, j;
  (void)state;
  assert_true(NCODES >= 12);
  for (i = 0; i < NCODES; i++) {
    assert_string_not_equal(mmio_strerror(own_codes[i]), "unknown error");
    assert_string_equal(mmio_err_name(own_codes[i]), own_names[i]);
    for (j = i + 1; j < NCODES; j++)
      assert_string_not_equal(mmio_strerror(own_codes[i]), mmio_strerror(own_codes[j]));
  }
  assert_non_null(strstr(mmio_strerror(MMIO_ERR_UNALIGNED), "aligned"));
  assert_non_null(strstr(mmio_strerror(MMIO_ERR_OUT_OF_RANGE), "range"));
  assert_non_null(strstr(mmio_strerror(MMIO_ERR_READ_ONLY), "read-only"));
  assert_string_equal(mmio_err_name(MMIO_ERR_UNALIGNED), "MMIO_ERR_UNALIGNED");
}

static void errno_values_are_described_like_the_system_does(void **state) {
  (void)state;
  assert_string_equal(mmio_strerror(-ENOENT), strerror(ENOENT));
  assert_string_equal(mmio_strerror(-EPERM), strerror(EPERM));
  assert_string_equal(mmio_err_name(-EACCES), "EACCES");
  assert_string_equal(mmio_strerror(0), "success");
}

static void unknown_values_say_so(void **state) {
  (void)state;
  assert_string_equal(mmio_strerror(1), "unknown error");
  assert_string_equal(mmio_strerror(-4000), "unknown error");
  assert_string_equal(mmio_strerror(-99999), "unknown error");
  assert_string_equal(mmio_err_name(-99999), "UNKNOWN");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(codes_are_distinct_and_outside_errno_range),
      cmocka_unit_test(every_code_has_its_own_words),
      cmocka_unit_test(errno_values_are_described_like_the_system_does),
      cmocka_unit_test(unknown_values_say_so),
  };
  return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
