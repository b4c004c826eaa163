/* The README's tour, built and run by the tests so that it stays true. */
#include <mmio/mmio.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
  mmio_region regs, data = {0};
  uint32_t id;
  int err;

  /* A memory object standing in for a device: a sealed, page-sized memfd. */
  int fd = mmio_vmo_create(4096);
  if (fd < 0) return fprintf(stderr, "%s\n", mmio_strerror(fd)), 1;

  /* Map 64 bytes at object offset 0x100. Byte 0 of the region is 0x100;
   * the fd can be closed at once, the mapping keeps the object. */
  err = mmio_map(&regs, fd, 0x100, 0x40, MMIO_CACHE_DEFAULT, 0);
  close(fd);
  if (err != 0) return fprintf(stderr, "%s\n", mmio_strerror(err)), 1;

  /* Checked accesses return 0 or an error and touch nothing on error. */
  err = mmio_try_load32(&regs, 0x00, &id); /* 0 */
  err = mmio_try_store32(&regs, 0x06, 1);  /* MMIO_ERR_UNALIGNED */
  err = mmio_try_load32(&regs, 0x40, &id); /* MMIO_ERR_OUT_OF_RANGE */

  /* Aborting forms, for offsets that are constants of a register map. */
  mmio_store32(&regs, 0x04, 0x1);
  mmio_masked_modify32(&regs, 0x04, 0x30, 0x20); /* touch bits 4-5 only */

  /* Hand the upper half to another owner; each side renumbers from 0. */
  mmio_region_move(&data, &regs);
  mmio_try_split_off(&data, 0x20, &regs); /* regs: [0,0x20) data: [0x20,0x40) */

  mmio_region_release(&regs);
  mmio_region_release(&data); /* unmapped here, once */
  return 0;
}
