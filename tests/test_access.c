/*
 * Checked accessors: edge-case offsets, the order of checks, masked loads
 * and read-modify-write, read-only regions, the _Generic forms, and the
 * aborting forms' message.
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

#include "helpers.h"

static _Alignas(64) uint8_t buf[64];

static void fresh(mmio_region *r, size_t len) {
  memset(buf, 0, sizeof(buf));
  assert_int_equal(mmio_region_from_memory(r, buf, len, NULL, NULL), 0);
}

static void huge_offsets_are_out_of_range_without_overflow(void **state) {
  mmio_region r;
  uint64_t v64 = 0x55;
  uint32_t v32 = 0x55;
  uint8_t v8 = 0x55;
  (void)state;
  fresh(&r, 64);
  /* SIZE_MAX - 7 is 8-aligned relative to an aligned base, so only the
   * capacity check stands between it and a wild access: off + 8 wraps to 0. */
  assert_int_equal(mmio_try_load64(&r, SIZE_MAX - 7, &v64), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_try_store64(&r, SIZE_MAX - 7, 1), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_try_load32(&r, SIZE_MAX - 3, &v32), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_try_load8(&r, SIZE_MAX, &v8), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_try_store8(&r, SIZE_MAX, 1), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_check_capacity(&r, SIZE_MAX, 1), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_check_capacity(&r, 1, SIZE_MAX), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_check_capacity(&r, SIZE_MAX - 7, 8), MMIO_ERR_OUT_OF_RANGE);
  /* SIZE_MAX itself is odd: alignment is checked first for wide accesses. */
  assert_int_equal(mmio_try_load64(&r, SIZE_MAX, &v64), MMIO_ERR_UNALIGNED);
  assert_true(v64 == 0x55 && v32 == 0x55 && v8 == 0x55);
  mmio_region_release(&r);
}

static void regions_shorter_than_the_width_reject_it(void **state) {
  mmio_region r;
  uint64_t v;
  (void)state;
  fresh(&r, 4);
  assert_int_equal(mmio_try_load64(&r, 0, &v), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_try_store64(&r, 0, 1), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_check_capacity(&r, 0, 5), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_check_capacity(&r, 0, 4), 0);
  assert_int_equal(mmio_check_capacity(&r, 4, 0), 0);
  assert_int_equal(buf[0], 0);
  mmio_region_release(&r);
}

static void unaligned_beats_out_of_range(void **state) {
  mmio_region r;
  uint32_t v;
  (void)state;
  fresh(&r, 16);
  assert_int_equal(mmio_try_load32(&r, 17, &v), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_try_store32(&r, 17, 0), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_check_suitable(&r, 17, 4), MMIO_ERR_UNALIGNED);
  mmio_region_release(&r);
}

static void check_aligned_rejects_non_power_of_two_widths(void **state) {
  mmio_region r;
  (void)state;
  fresh(&r, 16);
  assert_int_equal(mmio_check_aligned(&r, 0, 0), -EINVAL);
  assert_int_equal(mmio_check_aligned(&r, 0, 3), -EINVAL);
  assert_int_equal(mmio_check_aligned(&r, 0, 16), 0);
  assert_int_equal(mmio_check_aligned(&r, 8, 16), MMIO_ERR_UNALIGNED);
  mmio_region_release(&r);
}

static void masked_load_keeps_only_mask_bits(void **state) {
  mmio_region r;
  uint8_t v8;
  uint16_t v16;
  uint32_t v32;
  uint64_t v64;
  (void)state;
  fresh(&r, 16);
  memset(buf, 0xff, 16);
  assert_int_equal(mmio_masked_load8(&r, 0, 0x0f, &v8), 0);
  assert_int_equal(v8, 0x0f);
  assert_int_equal(mmio_masked_load16(&r, 2, 0x0ff0, &v16), 0);
  assert_int_equal(v16, 0x0ff0);
  assert_int_equal(mmio_masked_load32(&r, 4, 0x80000001u, &v32), 0);
  assert_int_equal(v32, 0x80000001u);
  assert_int_equal(mmio_masked_load64(&r, 8, 0xf0ull << 56, &v64), 0);
  assert_true(v64 == 0xf0ull << 56);
  v32 = 9;
  assert_int_equal(mmio_masked_load32(&r, 6, ~0u, &v32), MMIO_ERR_UNALIGNED);
  assert_int_equal(v32, 9);
  mmio_region_release(&r);
}

static void masked_modify_changes_only_mask_bits(void **state) {
  mmio_region r;
  (void)state;
  fresh(&r, 16);
  mmio_store32(&r, 0, 0x12345678u);
  assert_int_equal(mmio_masked_modify32(&r, 0, 0x0000ff00u, 0xffffabffu), 0);
  assert_int_equal(mmio_load32(&r, 0), 0x1234ab78u);
  mmio_store8(&r, 4, 0xf0);
  assert_int_equal(mmio_masked_modify8(&r, 4, 0x3c, 0x0f), 0);
  assert_int_equal(mmio_load8(&r, 4), 0xcc);
  mmio_store16(&r, 6, 0xffff);
  assert_int_equal(mmio_masked_modify16(&r, 6, 0x8001, 0), 0);
  assert_int_equal(mmio_load16(&r, 6), 0x7ffe);
  mmio_store64(&r, 8, 0);
  assert_int_equal(mmio_masked_modify64(&r, 8, 1ull << 63, ~0ull), 0);
  assert_true(mmio_load64(&r, 8) == 1ull << 63);
  assert_int_equal(mmio_masked_modify32(&r, 16, 1, 1), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_masked_modify32(&r, 2, 1, 1), MMIO_ERR_UNALIGNED);
  mmio_region_release(&r);
}

/* A backend that counts accesses proves that a refused read-modify-write
 * does not even perform its load (which could clear a clear-on-read bit). */
static int loads, stores;
static int cl8(void *c, size_t o, uint8_t *v) {
  (void)c;
  (void)o;
  loads++;
  *v = 0;
  return 0;
}
static int cl16(void *c, size_t o, uint16_t *v) {
  (void)c;
  (void)o;
  loads++;
  *v = 0;
  return 0;
}
static int cl32(void *c, size_t o, uint32_t *v) {
  (void)c;
  (void)o;
  loads++;
  *v = 0;
  return 0;
}
static int cl64(void *c, size_t o, uint64_t *v) {
  (void)c;
  (void)o;
  loads++;
  *v = 0;
  return 0;
}
static int cs8(void *c, size_t o, uint8_t v) {
  (void)c;
  (void)o;
  (void)v;
  stores++;
  return 0;
}
static int cs16(void *c, size_t o, uint16_t v) {
  (void)c;
  (void)o;
  (void)v;
  stores++;
  return 0;
}
static int cs32(void *c, size_t o, uint32_t v) {
  (void)c;
  (void)o;
  (void)v;
  stores++;
  return 0;
}
static int cs64(void *c, size_t o, uint64_t v) {
  (void)c;
  (void)o;
  (void)v;
  stores++;
  return 0;
}
static const struct mmio_ops counting_ops = {cl8, cl16, cl32, cl64, cs8, cs16, cs32, cs64, NULL};

static void refused_masked_modify_performs_no_access(void **state) {
  mmio_region r;
  (void)state;
  loads = stores = 0;
  assert_int_equal(mmio_region_from_ops(&r, &counting_ops, NULL, 16), 0);
  assert_int_equal(mmio_masked_modify32(&r, 16, 1, 1), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_masked_modify32(&r, 1, 1, 1), MMIO_ERR_UNALIGNED);
  mmio_region_make_read_only(&r);
  assert_int_equal(mmio_masked_modify32(&r, 0, 1, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(loads, 0);
  assert_int_equal(stores, 0);
  mmio_region_release(&r);
}

static void read_only_region_refuses_stores_and_keeps_loads(void **state) {
  mmio_region r, l = {0};
  uint32_t v = 0;
  (void)state;
  fresh(&r, 16);
  mmio_store32(&r, 0, 0xcafef00du);
  assert_false(mmio_region_is_read_only(&r));
  assert_int_equal(mmio_region_make_read_only(&r), 0);
  assert_true(mmio_region_is_read_only(&r));
  assert_int_equal(mmio_try_store32(&r, 0, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_try_store8(&r, 3, 1), MMIO_ERR_READ_ONLY);
  /* The write right is checked first, even for bad offsets. */
  assert_int_equal(mmio_try_store64(&r, 3, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_try_store64(&r, 64, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_try_load32(&r, 0, &v), 0);
  assert_int_equal(v, 0xcafef00du);
  /* Regions split off later inherit the missing right. */
  assert_int_equal(mmio_try_split_off(&r, 8, &l), 0);
  assert_true(mmio_region_is_read_only(&l));
  assert_int_equal(mmio_try_store32(&l, 0, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_try_store32(&r, 0, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_load32(&l, 0), 0xcafef00du);
  assert_int_equal(mmio_region_make_read_only(NULL), -EINVAL);
  mmio_region_release(&l);
  mmio_region_release(&r);
}

static void read_only_does_not_reach_earlier_splits(void **state) {
  mmio_region r, l = {0};
  (void)state;
  fresh(&r, 16);
  assert_int_equal(mmio_try_split_off(&r, 8, &l), 0);
  mmio_region_make_read_only(&r);
  assert_int_equal(mmio_try_store32(&l, 0, 7), 0);
  assert_int_equal(mmio_load32(&l, 0), 7);
  mmio_region_release(&l);
  mmio_region_release(&r);
}

static void generic_forms_pick_the_width_from_the_type(void **state) {
  mmio_region r;
  uint8_t v8 = 0;
  uint16_t v16 = 0;
  uint32_t v32 = 0;
  uint64_t v64 = 0;
  (void)state;
  fresh(&r, 16);
  assert_int_equal(mmio_try_store(&r, 0, (uint64_t)0x0807060504030201ull), 0);
  assert_int_equal(mmio_try_load(&r, 0, &v64), 0);
  assert_true(v64 == 0x0807060504030201ull);
  assert_int_equal(mmio_try_load(&r, 4, &v32), 0);
  assert_int_equal(v32, 0x08070605u);
  assert_int_equal(mmio_try_load(&r, 2, &v16), 0);
  assert_int_equal(v16, 0x0403);
  assert_int_equal(mmio_try_load(&r, 1, &v8), 0);
  assert_int_equal(v8, 0x02);
  assert_int_equal(mmio_try_store(&r, 8, (uint8_t)0xaa), 0);
  assert_int_equal(mmio_try_store(&r, 10, (uint16_t)0xbbcc), 0);
  assert_int_equal(mmio_try_store(&r, 12, (uint32_t)0xddeeff00u), 0);
  assert_true(mmio_load64(&r, 8) == 0xddeeff00bbcc00aaull);
  /* The width follows the type, so its alignment rule does too. */
  assert_int_equal(mmio_try_store(&r, 2, (uint32_t)0), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_try_load(&r, 2, &v64), MMIO_ERR_UNALIGNED);
  mmio_region_release(&r);
}

struct abort_case {
  mmio_region *r;
  size_t off;
  int store;
};

static void do_bad_access(void *arg) {
  struct abort_case *c = arg;
  if (c->store)
    mmio_store16(c->r, c->off, 1);
  else
    (void)mmio_load32(c->r, c->off);
}

/* Lines of the library's output: under qemu-user (the cross-architecture
 * run) the emulator adds a line of its own about the signal, and valgrind
 * (scripts/test.sh --valgrind) its "==PID==" lines. */
static int count_lines(const char *s) {
  int n = 0;
  for (; *s != '\0'; s = strchr(s, '\n') != NULL ? strchr(s, '\n') + 1 : s + strlen(s))
    n += strncmp(s, "qemu: ", 6) != 0 && strncmp(s, "==", 2) != 0;
  return n;
}

static void aborting_forms_print_one_line_and_abort(void **state) {
  mmio_region r;
  char out[512];
  struct abort_case c = {&r, 0x40, 0};
  (void)state;
  fresh(&r, 0x20);
  assert_true(test_run_expect_abort(do_bad_access, &c, out, sizeof(out)));
  assert_non_null(strstr(out, "load32"));
  assert_non_null(strstr(out, "offset 0x40"));
  assert_non_null(strstr(out, "width 4"));
  assert_non_null(strstr(out, "length 0x20"));
  assert_non_null(strstr(out, "out of range"));
  assert_int_equal(count_lines(out), 1);

  c.off = 3;
  c.store = 1;
  assert_true(test_run_expect_abort(do_bad_access, &c, out, sizeof(out)));
  assert_non_null(strstr(out, "store16"));
  assert_non_null(strstr(out, "offset 0x3"));
  assert_non_null(strstr(out, "MMIO_ERR_UNALIGNED"));

  /* A valid access does not abort. */
  c.off = 2;
  assert_false(test_run_expect_abort(do_bad_access, &c, out, sizeof(out)));
  mmio_region_release(&r);
}

/* The documented rules, computed the slow and obvious way. */
static int model(uintptr_t addr, size_t len, size_t off, size_t w, int store, int ro) {
  if (store && ro) return MMIO_ERR_READ_ONLY;
  if ((addr + off) % w != 0) return MMIO_ERR_UNALIGNED;
  if (off > len || len - off < w) return MMIO_ERR_OUT_OF_RANGE;
  return 0;
}

/* The inline fast path admits only some accesses and sends the rest out of
 * line; together they must give exactly the documented answer for every
 * base alignment, length, offset, width and write right. */
static void checked_accessors_agree_with_the_rules_everywhere(void **state) {
  size_t mis, len, off, w;
  int store, ro;
  (void)state;
  for (mis = 0; mis < 8; mis++)
    for (len = 0; len <= 40; len++)
      for (ro = 0; ro <= 1; ro++) {
        mmio_region r;
        memset(buf, 0, sizeof(buf));
        assert_int_equal(mmio_region_from_memory(&r, buf + mis, len, NULL, NULL), 0);
        if (ro) mmio_region_make_read_only(&r);
        for (off = 0; off <= len + 9; off++)
          for (w = 1; w <= 8; w *= 2)
            for (store = 0; store <= 1; store++) {
              int want = model((uintptr_t)(buf + mis), len, off, w, store, ro);
              int got = test_try_access(&r, off, w, store);
              if (got != want)
                fail_msg("misalign %zu len %zu ro %d off %zu width %zu %s: got %s, want %s", mis,
                         len, ro, off, w, store ? "store" : "load", mmio_err_name(got),
                         mmio_err_name(want));
            }
        /* Nothing outside [mis, mis + len) was ever written. */
        for (off = 0; off < sizeof(buf); off++)
          if (off < mis || off >= mis + len || ro) assert_int_equal(buf[off], 0);
        mmio_region_release(&r);
      }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(checked_accessors_agree_with_the_rules_everywhere),
      cmocka_unit_test(huge_offsets_are_out_of_range_without_overflow),
      cmocka_unit_test(regions_shorter_than_the_width_reject_it),
      cmocka_unit_test(unaligned_beats_out_of_range),
      cmocka_unit_test(check_aligned_rejects_non_power_of_two_widths),
      cmocka_unit_test(masked_load_keeps_only_mask_bits),
      cmocka_unit_test(masked_modify_changes_only_mask_bits),
      cmocka_unit_test(refused_masked_modify_performs_no_access),
      cmocka_unit_test(read_only_region_refuses_stores_and_keeps_loads),
      cmocka_unit_test(read_only_does_not_reach_earlier_splits),
      cmocka_unit_test(generic_forms_pick_the_width_from_the_type),
      cmocka_unit_test(aborting_forms_print_one_line_and_abort),
  };
  return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}
