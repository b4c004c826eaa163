/*
 * Bulk transfers with a guaranteed width: every access recorded by a
 * tracing region and checked one by one (width, address, order, count),
 * FIFOs at one address, every refusal before the first access, and the
 * verified store.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/block.h>
#include <mmio/mmio.h>
#include <mmio/testing/fake.h>

#include "helpers.h"

#define MAXREC 256
struct log {
  struct mmio_trace_record rec[MAXREC];
  size_t n;
};

static void record(void *arg, const struct mmio_trace_record *rec) {
  struct log *l = arg;
  if (l->n < MAXREC) l->rec[l->n] = *rec;
  l->n++;
}

static _Alignas(8) uint8_t mem[256];

/* A traced region over mem, so that every access is seen. */
static void traced(mmio_region *out, struct log *l) {
  mmio_region inner;
  memset(l, 0, sizeof(*l));
  assert_int_equal(mmio_region_from_memory(&inner, mem, sizeof(mem), NULL, NULL), 0);
  assert_int_equal(mmio_trace_callback(out, &inner, record, l), 0);
}

static void expect_accesses(const struct log *l, size_t count, int store, unsigned width,
                            size_t first, size_t step) {
  size_t i;
  assert_int_equal(l->n, count);
  for (i = 0; i < count; i++) {
    assert_int_equal(l->rec[i].store, store);
    assert_int_equal(l->rec[i].width, width);
    assert_int_equal(l->rec[i].offset, first + i * step);
    assert_int_equal(l->rec[i].err, 0);
  }
}

static void each_width_makes_one_access_per_element_ascending(void **state) {
  static const unsigned widths[] = {1, 2, 4, 8};
  _Alignas(8) uint8_t buf[64], back[64];
  struct log l;
  mmio_region r;
  size_t i, w;
  (void)state;
  for (i = 0; i < sizeof(buf); i++)
    buf[i] = (uint8_t)(i * 7 + 1);
  for (w = 0; w < 4; w++) {
    const unsigned width = widths[w];
    const size_t count = 32 / width;
    traced(&r, &l);
    memset(mem, 0, sizeof(mem));
    assert_int_equal(mmio_write_block(&r, 0x40, buf, count, width), 0);
    expect_accesses(&l, count, 1, width, 0x40, width);
    assert_memory_equal(mem + 0x40, buf, 32);
    l.n = 0;
    memset(back, 0, sizeof(back));
    assert_int_equal(mmio_read_block(&r, 0x40, back, count, width), 0);
    expect_accesses(&l, count, 0, width, 0x40, width);
    assert_memory_equal(back, buf, 32);
    mmio_region_release(&r);
  }
}

static void a_fifo_is_one_register_accessed_count_times(void **state) {
  uint32_t in[5] = {1, 2, 3, 4, 5}, out[5] = {0};
  struct log l;
  mmio_region r;
  (void)state;
  traced(&r, &l);
  assert_int_equal(mmio_write_fifo(&r, 0xfc, in, 5, 4), 0);
  expect_accesses(&l, 5, 1, 4, 0xfc, 0);
  assert_int_equal(mem[0xfc], 5); /* the last element stays */
  l.n = 0;
  assert_int_equal(mmio_read_fifo(&r, 0xfc, out, 5, 4), 0);
  expect_accesses(&l, 5, 0, 4, 0xfc, 0);
  assert_int_equal(out[4], 5);
  mmio_region_release(&r);
}

static void every_refusal_comes_before_the_first_access(void **state) {
  uint32_t buf[8] = {0};
  struct log l;
  mmio_region r;
  (void)state;
  traced(&r, &l);
  assert_int_equal(mmio_read_block(&r, 0x2, buf, 4, 4), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_read_block(&r, 0xf4, buf, 4, 4), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_read_block(&r, 0, buf, SIZE_MAX / 2, 4), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_write_fifo(&r, 0x100, buf, 1, 4), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_read_block(&r, 0, buf, 4, 3), -EINVAL);
  assert_int_equal(mmio_read_block(&r, 0, NULL, 4, 4), -EINVAL);
  assert_int_equal(mmio_read_block(NULL, 0, buf, 4, 4), -EINVAL);
  assert_int_equal(mmio_read_block(&r, 0, NULL, 0, 4), 0);
  assert_int_equal(mmio_region_make_read_only(&r), 0);
  assert_int_equal(mmio_write_block(&r, 0, buf, 4, 4), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_write_fifo(&r, 0, buf, 4, 4), MMIO_ERR_READ_ONLY);
  assert_int_equal(l.n, 0);
  mmio_region_release(&r);
}

static void store_verify_compares_the_bits_it_is_told(void **state) {
  static const struct mmio_fake_reg regs[] = {
      {.name = "CTRL", .offset = 0, .width = 4, .ro = 0xff000000u},
  };
  uint64_t back = 0;
  mmio_fake *fake;
  mmio_region r;
  (void)state;
  assert_int_equal(mmio_fake_create(&fake, 16, 0), 0);
  assert_int_equal(mmio_fake_add_regs(fake, regs, 1), 0);
  assert_int_equal(mmio_fake_region(&r, fake), 0);
  assert_int_equal(mmio_store_verify(&r, 0, 4, 0x12345678, 0xffffffffu, &back),
                   MMIO_ERR_WRITE_DROPPED);
  assert_int_equal(back, 0x00345678);
  assert_int_equal(mmio_store_verify(&r, 0, 4, 0x12345678, 0x00ffffffu, &back), 0);
  assert_int_equal(mmio_store_verify(&r, 2, 4, 0, ~0ull, NULL), MMIO_ERR_UNALIGNED);
  mmio_region_release(&r);
  mmio_fake_destroy(fake);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(each_width_makes_one_access_per_element_ascending),
      cmocka_unit_test(a_fifo_is_one_register_accessed_count_times),
      cmocka_unit_test(every_refusal_comes_before_the_first_access),
      cmocka_unit_test(store_verify_compares_the_bits_it_is_told),
  };
  return cmocka_run_group_tests_name("block", tests, NULL, NULL);
}
