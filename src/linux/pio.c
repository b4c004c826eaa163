/*
 * Regions reached with pread and pwrite instead of a mapping: one system
 * call of exactly the access width per access, at 64-bit file offsets.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "linux_internal.h"

/* The alignment a pio region carries over from its file offsets. */
#define MMIO__PIO_ALIGN_SPAN 4096u

int mmio__file_offset(uint64_t off, off_t *out) {
  /* off_t is signed: its largest value, without assuming its width. */
  const uint64_t max = (((uint64_t)1 << (sizeof(off_t) * 8 - 2)) - 1) * 2 + 1;
  if (off > max) return MMIO_ERR_OUT_OF_RANGE;
  *out = (off_t)off;
  return 0;
}

int mmio__size_to_end(uint64_t total, uint64_t offset, size_t *size) {
  if (offset >= total || total - offset > PTRDIFF_MAX) return MMIO_ERR_OUT_OF_RANGE;
  *size = (size_t)(total - offset);
  return 0;
}

struct mmio__pio {
  int fd;
  uint64_t file_base; /* the file offset of backend offset 0 */
  void (*release)(void *);
  void *release_ctx;
};

/* One access, one pread or pwrite of exactly the width, little-endian
 * (VFIO passes the device's bytes through). */
static int mmio__pio_access(void *ctx, size_t off, unsigned width, int store, uint64_t *value) {
  const struct mmio__pio *c = ctx;
  uint8_t buf[8];
  off_t at;
  ssize_t n;
  unsigned i;
  int err = mmio__file_offset(c->file_base + off, &at);
  if (err != 0) return err;
  if (store)
    for (i = 0; i < width; i++)
      buf[i] = (uint8_t)(*value >> (8 * i));
  n = store ? pwrite(c->fd, buf, width, at) : pread(c->fd, buf, width, at);
  /* A short transfer sets no errno. */
  if (n != (ssize_t)width) return n < 0 ? -errno : -EIO;
  if (!store) {
    *value = 0;
    for (i = 0; i < width; i++)
      *value |= (uint64_t)buf[i] << (8 * i);
  }
  return 0;
}

static void mmio__pio_release(void *ctx) {
  struct mmio__pio *c = ctx;
  if (c->release != NULL) c->release(c->release_ctx);
  free(c);
}

MMIO_DEFINE_OPS(mmio__pio_ops, mmio__pio_access, mmio__pio_release);

int mmio__pio_region(mmio_region *out, int fd, uint64_t base, size_t size, int read_only,
                     void (*release)(void *), void *release_ctx) {
  /* Backend offsets start at base's offset in its page, so that they are
   * aligned exactly where the file offsets are and stay small on 32-bit
   * targets, where a VFIO region's base (index << 40) fits no size_t. */
  const size_t skew = (size_t)(base % MMIO__PIO_ALIGN_SPAN);
  struct mmio__pio *c;
  mmio_region head = {0};
  off_t last;
  int err;
  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (size > PTRDIFF_MAX - skew || base > UINT64_MAX - size) return MMIO_ERR_OUT_OF_RANGE;
  err = mmio__file_offset(base + size, &last);
  if (err != 0) return err;
  c = malloc(sizeof(*c));
  if (c == NULL) return -ENOMEM;
  c->fd = fd;
  c->file_base = base - skew;
  c->release = release;
  c->release_ctx = release_ctx;
  err = mmio_region_from_ops(out, &mmio__pio_ops, c, skew + size);
  if (err != 0) {
    free(c);
    return err;
  }
  mmio_try_split_off(out, skew, &head);
  mmio_region_release(&head);
  if (read_only) mmio_region_make_read_only(out);
  return 0;
}
