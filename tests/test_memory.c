/*
 * Memory-backed regions: the seed crate's memory tests (aligned access,
 * alignment checks at every offset for every width, bounds at the length,
 * aliased access across widths) and the claim that keeps memory alive.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/mmio.h>

#include "helpers.h"

/* 64-byte aligned storage, so offset i of a region over it has address
 * alignment exactly that of i. */
static _Alignas(64) uint8_t buf[128];

static void make_region(mmio_region *r, size_t len) {
  memset(buf, 0, sizeof(buf));
  assert_int_equal(mmio_region_from_memory(r, buf, len, NULL, NULL), 0);
  assert_int_equal(mmio_len(r), len);
}

static void aligned_access_round_trips_every_width(void **state) {
  mmio_region r;
  uint8_t v8 = 0;
  uint16_t v16 = 0;
  uint32_t v32 = 0;
  uint64_t v64 = 0;
  (void)state;
  make_region(&r, 64);
  assert_int_equal(mmio_try_store8(&r, 1, 0x12), 0);
  assert_int_equal(mmio_try_store16(&r, 2, 0x3456), 0);
  assert_int_equal(mmio_try_store32(&r, 4, 0x789abcdeu), 0);
  assert_int_equal(mmio_try_store64(&r, 8, 0x0123456789abcdefull), 0);
  assert_int_equal(mmio_try_load8(&r, 1, &v8), 0);
  assert_int_equal(mmio_try_load16(&r, 2, &v16), 0);
  assert_int_equal(mmio_try_load32(&r, 4, &v32), 0);
  assert_int_equal(mmio_try_load64(&r, 8, &v64), 0);
  assert_int_equal(v8, 0x12);
  assert_int_equal(v16, 0x3456);
  assert_int_equal(v32, 0x789abcdeu);
  assert_true(v64 == 0x0123456789abcdefull);
  /* Stores touch exactly their own bytes. */
  assert_int_equal(buf[0], 0);
  assert_int_equal(buf[16], 0);
  /* The aborting forms agree with the checked ones. */
  assert_int_equal(mmio_load32(&r, 4), 0x789abcdeu);
  mmio_store16(&r, 16, 0xbeef);
  assert_int_equal(mmio_load16(&r, 16), 0xbeef);
  mmio_region_release(&r);
}

static void alignment_is_checked_at_every_offset_for_every_width(void **state) {
  mmio_region r;
  size_t off, w;
  (void)state;
  make_region(&r, 64);
  for (w = 1; w <= 8; w *= 2) {
    for (off = 0; off < 32; off++) {
      int want = off % w == 0 ? 0 : MMIO_ERR_UNALIGNED;
      assert_int_equal(test_try_access(&r, off, w, 0), want);
      assert_int_equal(test_try_access(&r, off, w, 1), want);
      assert_int_equal(mmio_check_aligned(&r, off, w), want);
      assert_int_equal(mmio_check_suitable(&r, off, w), want);
    }
  }
  /* Rejected stores wrote nothing: only aligned offsets hold 0xa5. */
  for (off = 0; off < 32; off++)
    assert_int_equal(buf[off], 0xa5);
  for (off = 32; off < 64; off++)
    assert_int_equal(buf[off], 0);
  mmio_region_release(&r);
}

static void bounds_are_checked_at_the_length(void **state) {
  mmio_region r;
  size_t w;
  (void)state;
  make_region(&r, 24);
  for (w = 1; w <= 8; w *= 2) {
    /* The last access that fits ends exactly at the length. */
    assert_int_equal(test_try_access(&r, 24 - w, w, 0), 0);
    assert_int_equal(test_try_access(&r, 24 - w, w, 1), 0);
    assert_int_equal(test_try_access(&r, 24, w, 0), MMIO_ERR_OUT_OF_RANGE);
    assert_int_equal(test_try_access(&r, 24, w, 1), MMIO_ERR_OUT_OF_RANGE);
    assert_int_equal(test_try_access(&r, 24 + w, w, 0), MMIO_ERR_OUT_OF_RANGE);
    assert_int_equal(mmio_check_capacity(&r, 24 - w, w), 0);
    assert_int_equal(mmio_check_capacity(&r, 24 - w + 1, w), MMIO_ERR_OUT_OF_RANGE);
  }
  /* Nothing past the region was written. */
  assert_int_equal(buf[24], 0);
  mmio_region_release(&r);
}

static void access_straddling_the_end_is_out_of_range_not_partial(void **state) {
  mmio_region r;
  uint64_t v = 7;
  (void)state;
  make_region(&r, 12);
  /* Offset 8 is aligned for 8 bytes but only 4 remain. */
  assert_int_equal(mmio_try_load64(&r, 8, &v), MMIO_ERR_OUT_OF_RANGE);
  assert_true(v == 7);
  assert_int_equal(mmio_try_store64(&r, 8, ~0ull), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(buf[8], 0);
  assert_int_equal(buf[11], 0);
  mmio_region_release(&r);
}

static void aliased_access_across_widths_sees_little_endian_bytes(void **state) {
  mmio_region r;
  size_t i;
  uint64_t v64 = 0;
  uint32_t v32 = 0;
  uint16_t v16 = 0;
  uint8_t v8 = 0;
  (void)state;
  make_region(&r, 16);
  for (i = 0; i < 8; i++)
    assert_int_equal(mmio_try_store8(&r, i, (uint8_t)(0x10 + i)), 0);
  assert_int_equal(mmio_try_load64(&r, 0, &v64), 0);
  assert_true(v64 == 0x1716151413121110ull);
  assert_int_equal(mmio_try_load32(&r, 4, &v32), 0);
  assert_int_equal(v32, 0x17161514u);
  assert_int_equal(mmio_try_load16(&r, 2, &v16), 0);
  assert_int_equal(v16, 0x1312);
  assert_int_equal(mmio_try_store32(&r, 0, 0xaabbccddu), 0);
  assert_int_equal(mmio_try_load8(&r, 0, &v8), 0);
  assert_int_equal(v8, 0xdd);
  assert_int_equal(mmio_try_load8(&r, 3, &v8), 0);
  assert_int_equal(v8, 0xaa);
  assert_int_equal(mmio_try_load64(&r, 0, &v64), 0);
  assert_true(v64 == 0x17161514aabbccddull);
  mmio_region_release(&r);
}

static int release_calls;
static void *release_ctx;
static void count_release(void *ctx) {
  release_calls++;
  release_ctx = ctx;
}

static void claim_is_released_once_after_last_region(void **state) {
  mmio_region a, b, c = {0};
  int token;
  (void)state;
  release_calls = 0;
  assert_int_equal(mmio_region_from_memory(&a, buf, 64, count_release, &token), 0);
  assert_int_equal(mmio_try_split_off(&a, 16, &b), 0);
  mmio_region_move(&c, &a);
  assert_int_equal(mmio_len(&a), 0);
  mmio_region_release(&a); /* empty after the move: no effect */
  mmio_region_release(&b);
  assert_int_equal(release_calls, 0);
  mmio_region_release(&c);
  assert_int_equal(release_calls, 1);
  assert_ptr_equal(release_ctx, &token);
  mmio_region_release(&c);
  mmio_region_release(NULL);
  assert_int_equal(release_calls, 1);
}

static void borrowed_memory_needs_no_release(void **state) {
  mmio_region r, l;
  (void)state;
  assert_int_equal(mmio_region_from_memory(&r, buf, 8, NULL, NULL), 0);
  assert_int_equal(mmio_try_split_off(&r, 4, &l), 0);
  mmio_region_release(&l);
  mmio_region_release(&r);
  assert_int_equal(mmio_len(&r), 0);
}

static void zeroed_region_is_empty_and_rejects_everything(void **state) {
  mmio_region r = {0};
  uint8_t v;
  (void)state;
  assert_int_equal(mmio_len(&r), 0);
  assert_int_equal(mmio_try_load8(&r, 0, &v), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_try_store8(&r, 0, 1), MMIO_ERR_OUT_OF_RANGE);
  mmio_region_release(&r);
}

static void from_memory_rejects_bad_arguments(void **state) {
  mmio_region r;
  (void)state;
  release_calls = 0;
  assert_int_equal(mmio_region_from_memory(NULL, buf, 8, NULL, NULL), -EINVAL);
  assert_int_equal(mmio_region_from_memory(&r, NULL, 8, count_release, NULL), -EINVAL);
  assert_int_equal(mmio_len(&r), 0);
  assert_int_equal(mmio_region_from_memory(&r, buf, (size_t)PTRDIFF_MAX + 1, count_release, NULL),
                   MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_region_from_memory(&r, (void *)(UINTPTR_MAX - 15), 32, NULL, NULL),
                   MMIO_ERR_OUT_OF_RANGE);
  /* A failed constructor never runs the release: the caller still owns it. */
  assert_int_equal(release_calls, 0);
  /* An empty region over no memory is fine. */
  assert_int_equal(mmio_region_from_memory(&r, NULL, 0, NULL, NULL), 0);
  mmio_region_release(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(aligned_access_round_trips_every_width),
      cmocka_unit_test(alignment_is_checked_at_every_offset_for_every_width),
      cmocka_unit_test(bounds_are_checked_at_the_length),
      cmocka_unit_test(access_straddling_the_end_is_out_of_range_not_partial),
      cmocka_unit_test(aliased_access_across_widths_sees_little_endian_bytes),
      cmocka_unit_test(claim_is_released_once_after_last_region),
      cmocka_unit_test(borrowed_memory_needs_no_release),
      cmocka_unit_test(zeroed_region_is_empty_and_rejects_everything),
      cmocka_unit_test(from_memory_rejects_bad_arguments),
  };
  return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}
