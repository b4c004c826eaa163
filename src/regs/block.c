/*
 * Bulk transfers of a fixed access width, and verified stores. Every check
 * comes first; then one access per element, ascending (or at one offset
 * for a FIFO), through the region's own accessors of that width.
 */
#include <errno.h>

#include "regs_internal.h"

/* One loop per width and direction; step is the element width for a block
 * and 0 for a FIFO. A backend error stops the loop where it happened. */
#define MMIO__BLOCK_LOOPS(bits)                                                                    \
  static int mmio__read_loop##bits(const mmio_region *r, size_t off, size_t step, void *dst,       \
                                   size_t count) {                                                 \
    uint##bits##_t *d = dst;                                                                       \
    size_t i;                                                                                      \
    int err = 0;                                                                                   \
    for (i = 0; i < count && err == 0; i++)                                                        \
      err = mmio_try_load##bits(r, off + i * step, &d[i]);                                         \
    return err;                                                                                    \
  }                                                                                                \
  static int mmio__write_loop##bits(mmio_region *r, size_t off, size_t step, const void *src,      \
                                    size_t count) {                                                \
    const uint##bits##_t *s = src;                                                                 \
    size_t i;                                                                                      \
    int err = 0;                                                                                   \
    for (i = 0; i < count && err == 0; i++)                                                        \
      err = mmio_try_store##bits(r, off + i * step, s[i]);                                         \
    return err;                                                                                    \
  }
MMIO__BLOCK_LOOPS(8)
MMIO__BLOCK_LOOPS(16)
MMIO__BLOCK_LOOPS(32)
MMIO__BLOCK_LOOPS(64)

/* Indexed by width / 2 for widths 1, 2, 4 and 8 (0, 1, 2, 4). */
static const struct {
  int (*read)(const mmio_region *r, size_t off, size_t step, void *dst, size_t count);
  int (*write)(mmio_region *r, size_t off, size_t step, const void *src, size_t count);
} mmio__loops[5] = {
    [0] = {mmio__read_loop8, mmio__write_loop8},
    [1] = {mmio__read_loop16, mmio__write_loop16},
    [2] = {mmio__read_loop32, mmio__write_loop32},
    [4] = {mmio__read_loop64, mmio__write_loop64},
};

/*
 * The checks of a transfer, all before the first access: the width, the
 * buffer, the write right, the alignment of off and that every element
 * fits (a FIFO's one register, or the whole block, without overflow).
 */
static int mmio__check_transfer(const mmio_region *r, size_t off, const void *buf, size_t count,
                                unsigned width, int store, int fifo) {
  if (r == NULL || (width != 1 && width != 2 && width != 4 && width != 8) ||
      (buf == NULL && count > 0))
    return -EINVAL;
  if (count == 0) return 0;
  if (store && mmio_region_is_read_only(r)) return MMIO_ERR_READ_ONLY;
  if (mmio_check_aligned(r, off, width) != 0) return MMIO_ERR_UNALIGNED;
  if (fifo) return mmio_check_capacity(r, off, width);
  if (count > SIZE_MAX / width) return MMIO_ERR_OUT_OF_RANGE;
  return mmio_check_capacity(r, off, count * width);
}

int mmio_read_block(const mmio_region *r, size_t off, void *dst, size_t count, unsigned width) {
  int err = mmio__check_transfer(r, off, dst, count, width, 0, 0);
  return err != 0 || count == 0 ? err : mmio__loops[width / 2].read(r, off, width, dst, count);
}

int mmio_write_block(mmio_region *r, size_t off, const void *src, size_t count, unsigned width) {
  int err = mmio__check_transfer(r, off, src, count, width, 1, 0);
  return err != 0 || count == 0 ? err : mmio__loops[width / 2].write(r, off, width, src, count);
}

int mmio_read_fifo(const mmio_region *r, size_t off, void *dst, size_t count, unsigned width) {
  int err = mmio__check_transfer(r, off, dst, count, width, 0, 1);
  return err != 0 || count == 0 ? err : mmio__loops[width / 2].read(r, off, 0, dst, count);
}

int mmio_write_fifo(mmio_region *r, size_t off, const void *src, size_t count, unsigned width) {
  int err = mmio__check_transfer(r, off, src, count, width, 1, 1);
  return err != 0 || count == 0 ? err : mmio__loops[width / 2].write(r, off, 0, src, count);
}

int mmio_store_verify(mmio_region *r, size_t off, unsigned width, uint64_t v, uint64_t mask,
                      uint64_t *readback) {
  uint64_t back = 0;
  int err = mmio_try_store_width(r, off, width, v);
  if (err == 0) err = mmio_try_load_width(r, off, width, &back);
  if (err != 0) return err;
  if (readback != NULL) *readback = back;
  return ((back ^ v) & mask) != 0 ? MMIO_ERR_WRITE_DROPPED : 0;
}
