/*
 * Splitting regions: boundaries, nesting, disjointness and alignment of
 * split regions over misaligned bases.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/mmio.h>

static _Alignas(64) uint8_t buf[256];

static void fresh(mmio_region *r, uint8_t *base, size_t len) {
  memset(buf, 0, sizeof(buf));
  assert_int_equal(mmio_region_from_memory(r, base, len, NULL, NULL), 0);
}

static void split_at_zero_gives_an_empty_left_side(void **state) {
  mmio_region r, l;
  uint8_t v;
  (void)state;
  fresh(&r, buf, 32);
  assert_int_equal(mmio_try_split_off(&r, 0, &l), 0);
  assert_int_equal(mmio_len(&l), 0);
  assert_int_equal(mmio_len(&r), 32);
  assert_int_equal(mmio_try_load8(&l, 0, &v), MMIO_ERR_OUT_OF_RANGE);
  mmio_store8(&r, 0, 1);
  assert_int_equal(buf[0], 1);
  mmio_region_release(&l);
  mmio_region_release(&r);
}

static void split_at_len_leaves_an_empty_right_side(void **state) {
  mmio_region r, l;
  uint8_t v;
  (void)state;
  fresh(&r, buf, 32);
  assert_int_equal(mmio_try_split_off(&r, 32, &l), 0);
  assert_int_equal(mmio_len(&l), 32);
  assert_int_equal(mmio_len(&r), 0);
  assert_int_equal(mmio_try_load8(&r, 0, &v), MMIO_ERR_OUT_OF_RANGE);
  mmio_store8(&l, 31, 9);
  assert_int_equal(buf[31], 9);
  mmio_region_release(&l);
  mmio_region_release(&r);
}

static void split_past_len_is_out_of_range_and_changes_nothing(void **state) {
  mmio_region r, l;
  (void)state;
  fresh(&r, buf, 32);
  memset(&l, 0x5a, sizeof(l));
  assert_int_equal(mmio_try_split_off(&r, 33, &l), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_try_split_off(&r, SIZE_MAX, &l), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_len(&r), 32);
  mmio_store8(&r, 0, 3);
  assert_int_equal(buf[0], 3);
  /* lhs untouched too. */
  assert_int_equal(((unsigned char *)&l)[0], 0x5a);
  assert_int_equal(mmio_try_split_off(&r, 1, &r), -EINVAL);
  assert_int_equal(mmio_try_split_off(&r, 1, NULL), -EINVAL);
  assert_int_equal(mmio_len(&r), 32);
  mmio_region_release(&r);
}

static void split_regions_are_disjoint_and_renumbered(void **state) {
  mmio_region r, l;
  (void)state;
  fresh(&r, buf, 32);
  assert_int_equal(mmio_try_split_off(&r, 16, &l), 0);
  assert_int_equal(mmio_len(&l), 16);
  assert_int_equal(mmio_len(&r), 16);
  mmio_store32(&l, 12, 0x11111111u);
  mmio_store32(&r, 0, 0x22222222u);
  assert_int_equal(mmio_load32(&l, 12), 0x11111111u);
  assert_int_equal(mmio_load32(&r, 0), 0x22222222u);
  assert_int_equal(buf[12], 0x11);
  assert_int_equal(buf[16], 0x22);
  /* Neither side reaches into the other. */
  assert_int_equal(mmio_try_store32(&l, 16, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_try_store32(&r, 16, 0), MMIO_ERR_OUT_OF_RANGE);
  mmio_region_release(&l);
  mmio_region_release(&r);
}

static void nested_splits_cover_the_whole_region_once(void **state) {
  mmio_region r, parts[4];
  size_t i;
  (void)state;
  fresh(&r, buf, 64);
  /* Split off 16, then 16 of the rest, and so on: each part has offset 0 at
   * its own start, and their lengths add up to the original. */
  for (i = 0; i < 3; i++)
    assert_int_equal(mmio_try_split_off(&r, 16, &parts[i]), 0);
  mmio_region_move(&parts[3], &r);
  for (i = 0; i < 4; i++) {
    assert_int_equal(mmio_len(&parts[i]), 16);
    mmio_store8(&parts[i], 0, (uint8_t)(i + 1));
  }
  for (i = 0; i < 4; i++)
    assert_int_equal(buf[i * 16], i + 1);
  /* A split of a split. */
  {
    mmio_region inner;
    assert_int_equal(mmio_try_split_off(&parts[2], 4, &inner), 0);
    assert_int_equal(mmio_len(&inner), 4);
    assert_int_equal(mmio_len(&parts[2]), 12);
    mmio_store8(&parts[2], 0, 0xee);
    assert_int_equal(buf[36], 0xee);
    mmio_region_release(&inner);
  }
  for (i = 0; i < 4; i++)
    mmio_region_release(&parts[i]);
}

static void align_offset_follows_the_address_after_odd_splits(void **state) {
  mmio_region r, l;
  uint32_t v;
  (void)state;
  /* Base address 3 bytes past a 64-byte boundary. */
  fresh(&r, buf + 3, 100);
  assert_int_equal(mmio_align_offset(&r, 1), 0);
  assert_int_equal(mmio_align_offset(&r, 2), 1);
  assert_int_equal(mmio_align_offset(&r, 4), 1);
  assert_int_equal(mmio_align_offset(&r, 8), 5);
  assert_int_equal(mmio_align_offset(&r, 64), 61);
  assert_int_equal(mmio_try_load32(&r, 0, &v), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_try_load32(&r, 1, &v), 0);
  /* Split at an odd offset: the right side now starts at buf + 3 + 7 = 10. */
  assert_int_equal(mmio_try_split_off(&r, 7, &l), 0);
  assert_int_equal(mmio_align_offset(&r, 2), 0);
  assert_int_equal(mmio_align_offset(&r, 4), 2);
  assert_int_equal(mmio_align_offset(&r, 8), 6);
  assert_int_equal(mmio_align_offset(&r, 16), 6);
  assert_int_equal(mmio_align_offset(&l, 4), 1);
  uint64_t v64;
  assert_int_equal(mmio_try_load64(&r, 6, &v64), 0);
  assert_int_equal(mmio_try_load64(&r, 0, &v64), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_check_aligned(&r, 2, 4), 0);
  assert_int_equal(mmio_check_aligned(&r, 0, 4), MMIO_ERR_UNALIGNED);
  /* Non-powers of two have no answer. */
  assert_true(mmio_align_offset(&r, 0) == SIZE_MAX);
  assert_true(mmio_align_offset(&r, 12) == SIZE_MAX);
  mmio_region_release(&l);
  mmio_region_release(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(split_at_zero_gives_an_empty_left_side),
      cmocka_unit_test(split_at_len_leaves_an_empty_right_side),
      cmocka_unit_test(split_past_len_is_out_of_range_and_changes_nothing),
      cmocka_unit_test(split_regions_are_disjoint_and_renumbered),
      cmocka_unit_test(nested_splits_cover_the_whole_region_once),
      cmocka_unit_test(align_offset_follows_the_address_after_odd_splits),
  };
  return cmocka_run_group_tests_name("split", tests, NULL, NULL);
}
