/*
 * The function-table backend seam: offsets the backend sees, checks done
 * before it is called, errors passed through, and release exactly once.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/mmio.h>

/* A little-endian byte array behind the seam, recording the last call. */
struct log_dev {
  uint8_t bytes[64];
  int calls;
  size_t last_off;
  unsigned last_width;
  int fail_with;
  int released;
};

static int dev_load(struct log_dev *d, size_t off, unsigned w, uint64_t *v) {
  unsigned i;
  d->calls++;
  d->last_off = off;
  d->last_width = w;
  if (d->fail_with != 0) return d->fail_with;
  *v = 0;
  for (i = 0; i < w; i++)
    *v |= (uint64_t)d->bytes[off + i] << (8 * i);
  return 0;
}

static int dev_store(struct log_dev *d, size_t off, unsigned w, uint64_t v) {
  unsigned i;
  d->calls++;
  d->last_off = off;
  d->last_width = w;
  if (d->fail_with != 0) return d->fail_with;
  for (i = 0; i < w; i++)
    d->bytes[off + i] = (uint8_t)(v >> (8 * i));
  return 0;
}

#define LOADER(bits)                                                                               \
  static int ld##bits(void *ctx, size_t off, uint##bits##_t *out) {                                \
    uint64_t v;                                                                                    \
    int err = dev_load(ctx, off, bits / 8, &v);                                                    \
    if (err == 0) *out = (uint##bits##_t)v;                                                        \
    return err;                                                                                    \
  }                                                                                                \
  static int st##bits(void *ctx, size_t off, uint##bits##_t v) {                                   \
    return dev_store(ctx, off, bits / 8, v);                                                       \
  }
LOADER(8)
LOADER(16)
LOADER(32)
LOADER(64)

static void dev_release(void *ctx) { ((struct log_dev *)ctx)->released++; }

static const struct mmio_ops dev_ops = {ld8, ld16, ld32, ld64, st8, st16, st32, st64, dev_release};

static void backend_sees_offsets_in_its_own_space(void **state) {
  struct log_dev d;
  mmio_region r, l;
  (void)state;
  memset(&d, 0, sizeof(d));
  assert_int_equal(mmio_region_from_ops(&r, &dev_ops, &d, 64), 0);
  mmio_store32(&r, 8, 0xdeadbeefu);
  assert_int_equal(d.last_off, 8);
  assert_int_equal(d.last_width, 4);
  assert_int_equal(d.bytes[8], 0xef);
  /* After a split, the right side's offset 0 is the backend's 16. */
  assert_int_equal(mmio_try_split_off(&r, 16, &l), 0);
  mmio_store16(&r, 2, 0xabcd);
  assert_int_equal(d.last_off, 18);
  assert_int_equal(d.bytes[18], 0xcd);
  assert_int_equal(mmio_load32(&l, 8), 0xdeadbeefu);
  assert_int_equal(d.last_off, 8);
  /* Alignment is judged on the backend offset. */
  mmio_region_release(&l);
  assert_int_equal(mmio_try_split_off(&r, 1, &l), 0);
  assert_int_equal(mmio_align_offset(&r, 4), 3);
  assert_int_equal(mmio_try_store32(&r, 0, 1), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_try_store32(&r, 3, 1), 0);
  assert_int_equal(d.last_off, 20);
  mmio_region_release(&l);
  mmio_region_release(&r);
  assert_int_equal(d.released, 1);
}

static void checks_happen_before_the_backend_is_called(void **state) {
  struct log_dev d;
  mmio_region r;
  uint64_t v;
  (void)state;
  memset(&d, 0, sizeof(d));
  assert_int_equal(mmio_region_from_ops(&r, &dev_ops, &d, 16), 0);
  assert_int_equal(mmio_try_load64(&r, 16, &v), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_try_load64(&r, 4, &v), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_try_store8(&r, SIZE_MAX, 0), MMIO_ERR_OUT_OF_RANGE);
  mmio_region_make_read_only(&r);
  assert_int_equal(mmio_try_store8(&r, 0, 0), MMIO_ERR_READ_ONLY);
  assert_int_equal(d.calls, 0);
  mmio_region_release(&r);
}

static void backend_errors_pass_through_unchanged(void **state) {
  struct log_dev d;
  mmio_region r;
  uint32_t v = 77;
  (void)state;
  memset(&d, 0, sizeof(d));
  assert_int_equal(mmio_region_from_ops(&r, &dev_ops, &d, 16), 0);
  d.fail_with = -EIO;
  assert_int_equal(mmio_try_load32(&r, 0, &v), -EIO);
  assert_int_equal(v, 77);
  assert_int_equal(mmio_try_store32(&r, 0, 1), -EIO);
  assert_int_equal(mmio_masked_modify32(&r, 0, 1, 1), -EIO);
  /* The failed load of the read-modify-write stopped it before a store. */
  assert_int_equal(d.calls, 3);
  mmio_region_release(&r);
}

static void from_ops_rejects_incomplete_tables(void **state) {
  struct mmio_ops partial = dev_ops;
  struct log_dev d;
  mmio_region r;
  (void)state;
  memset(&d, 0, sizeof(d));
  partial.store64 = NULL;
  assert_int_equal(mmio_region_from_ops(&r, &partial, &d, 16), -EINVAL);
  assert_int_equal(mmio_region_from_ops(&r, NULL, &d, 16), -EINVAL);
  assert_int_equal(mmio_region_from_ops(NULL, &dev_ops, &d, 16), -EINVAL);
  assert_int_equal(mmio_region_from_ops(&r, &dev_ops, &d, (size_t)PTRDIFF_MAX + 1),
                   MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_len(&r), 0);
  /* Failed constructors never release the caller's context. */
  assert_int_equal(d.released, 0);
  /* A NULL release is allowed. */
  partial = dev_ops;
  partial.release = NULL;
  assert_int_equal(mmio_region_from_ops(&r, &partial, &d, 16), 0);
  mmio_region_release(&r);
  assert_int_equal(d.released, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(backend_sees_offsets_in_its_own_space),
      cmocka_unit_test(checks_happen_before_the_backend_is_called),
      cmocka_unit_test(backend_errors_pass_through_unchanged),
      cmocka_unit_test(from_ops_rejects_incomplete_tables),
  };
  return cmocka_run_group_tests_name("backend", tests, NULL, NULL);
}
