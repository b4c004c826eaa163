/*
 * A tour of the core API on a memory object standing in for a device.
 *
 * It creates a sealed memfd, fills in a "register block" through the file
 * descriptor (as a device would present it), maps a window of it that does
 * not start on a page boundary, reads and writes registers with checked
 * accessors, splits the window between two owners, and shows each error the
 * library reports instead of touching memory it should not.
 *
 * usage: map_demo
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mmio/mmio.h>

/* The pretend device: a 64-byte register block 0x100 bytes into the object. */
#define BLOCK_OFFSET 0x100
#define BLOCK_SIZE 0x40
#define REG_ID 0x00    /* read-only identification */
#define REG_CTRL 0x04  /* control bits */
#define REG_COUNT 0x08 /* 64-bit counter */
#define REG_FIFO 0x20  /* start of the data half */
#define CTRL_ENABLE 0x1u
#define CTRL_MODE_MASK 0x30u

static void show(const char *what, int err) {
  printf("  %-48s -> %s (%s)\n", what, err == 0 ? "ok" : mmio_err_name(err), mmio_strerror(err));
}

int main(void) {
  mmio_region regs, data = {0}, id_only = {0};
  uint32_t id = 0x10de0001u, v32 = 0;
  uint64_t v64 = 0;
  ssize_t n;
  int fd, err;

  fd = mmio_vmo_create(4096);
  if (fd < 0) {
    fprintf(stderr, "map_demo: mmio_vmo_create: %s\n", mmio_strerror(fd));
    return 1;
  }
  n = pwrite(fd, &id, sizeof(id), BLOCK_OFFSET + REG_ID);
  if (n != (ssize_t)sizeof(id)) {
    /* A short write sets no errno: perror would print a stale one. */
    fprintf(stderr, "map_demo: pwrite: %s\n", n < 0 ? strerror(errno) : "short write");
    return 1;
  }

  /* Map just the register block. Its byte 0 is object offset 0x100. */
  err = mmio_map(&regs, fd, BLOCK_OFFSET, BLOCK_SIZE, MMIO_CACHE_DEFAULT, 0);
  close(fd); /* the mapping keeps the object alive */
  if (err != 0) {
    fprintf(stderr, "map_demo: mmio_map: %s\n", mmio_strerror(err));
    return 1;
  }
  printf("mapped %zu bytes at object offset 0x%x\n", mmio_len(&regs), BLOCK_OFFSET);

  printf("checked accesses:\n");
  show("mmio_try_load32(ID)", mmio_try_load32(&regs, REG_ID, &v32));
  printf("  ID = 0x%08x\n", (unsigned)v32);
  mmio_store32(&regs, REG_CTRL, CTRL_ENABLE);
  show("mmio_masked_modify32(CTRL, MODE, 0x20)",
       mmio_masked_modify32(&regs, REG_CTRL, CTRL_MODE_MASK, 0x20));
  printf("  CTRL = 0x%08x (ENABLE kept, MODE set)\n", (unsigned)mmio_load32(&regs, REG_CTRL));
  show("mmio_try_store64(COUNT, 41)", mmio_try_store64(&regs, REG_COUNT, 41));
  show("mmio_try_load64(COUNT)", mmio_try_load64(&regs, REG_COUNT, &v64));
  printf("  COUNT = %llu\n", (unsigned long long)v64);

  printf("errors instead of stray accesses:\n");
  show("mmio_try_load32(0x40): one past the end", mmio_try_load32(&regs, BLOCK_SIZE, &v32));
  show("mmio_try_load64(0x3c): not 8-aligned", mmio_try_load64(&regs, 0x3c, &v64));
  show("mmio_try_store32(0x06): not 4-aligned", mmio_try_store32(&regs, 0x06, 1));
  show("mmio_try_load32(SIZE_MAX - 3): wraps", mmio_try_load32(&regs, SIZE_MAX - 3, &v32));

  /* Give the data half to another owner (a thread, a sub-driver). */
  printf("split at 0x%x:\n", REG_FIFO);
  mmio_region_move(&data, &regs);
  show("mmio_try_split_off(0x20)", mmio_try_split_off(&data, REG_FIFO, &regs));
  printf("  control half: %zu bytes, data half: %zu bytes (data offset 0 = block 0x%x)\n",
         mmio_len(&regs), mmio_len(&data), REG_FIFO);
  show("data: mmio_try_store32(0)", mmio_try_store32(&data, 0, 0xfeedu));
  show("control: mmio_try_load32(0x20): not its bytes", mmio_try_load32(&regs, REG_FIFO, &v32));

  /* A read-only view of the identification register. */
  show("mmio_try_split_off(4) for the ID register", mmio_try_split_off(&regs, 4, &id_only));
  mmio_region_make_read_only(&id_only);
  show("read-only ID: mmio_try_store32(0)", mmio_try_store32(&id_only, 0, 0));
  show("read-only ID: mmio_try_load32(0)", mmio_try_load32(&id_only, 0, &v32));

  /* A memfd is cached memory: asking for uncached device memory is refused
   * rather than silently granted as something else. */
  printf("cache policy:\n");
  fd = mmio_vmo_create(4096);
  {
    mmio_region dev;
    show("mmio_map(memfd, UNCACHED_DEVICE)",
         mmio_map(&dev, fd, 0, 4096, MMIO_CACHE_UNCACHED_DEVICE, 0));
    show("mmio_map(memfd, offset 4096 + 1 byte)",
         mmio_map(&dev, fd, 4096, 1, MMIO_CACHE_DEFAULT, 0));
  }
  close(fd);

  /* The mapping goes away with the last of the three regions. */
  mmio_region_release(&id_only);
  mmio_region_release(&data);
  mmio_region_release(&regs);
  printf("released: the mapping is gone\n");
  return 0;
}
