/*
 * The host half of the ivshmem test: maps the shared memory object that
 * QEMU backs ivshmem-plain with, through the library, before and after the
 * guest runs.
 *
 * usage: vm-host prepare NAME    create /dev/shm/NAME (1 MiB), write the pattern
 *        vm-host check NAME      verify what the guest wrote, remove the object
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <mmio/mmio.h>
#include <mmio/open.h>

int main(int argc, char **argv) {
  char spec[300];
  mmio_region r;
  unsigned i, bad = 0;
  int err;
  if (argc != 3 || (strcmp(argv[1], "prepare") != 0 && strcmp(argv[1], "check") != 0)) {
    fprintf(stderr, "usage: vm-host prepare|check NAME\n");
    return 2;
  }
  snprintf(spec, sizeof(spec), "shm:%s+1M", argv[2]);
  if (strcmp(argv[1], "prepare") == 0) {
    shm_unlink(argv[2]);
    err = mmio_open(&r, spec, MMIO_CACHE_DEFAULT, 0);
    if (err != 0) {
      fprintf(stderr, "vm-host: %s: %s\n", spec, mmio_strerror(err));
      return 1;
    }
    for (i = 0; i < 256; i++)
      mmio_store32(&r, i * 4, 0x40570000u + i);
    mmio_region_release(&r);
    return 0;
  }
  err = mmio_open(&r, spec, MMIO_CACHE_DEFAULT, MMIO_MAP_READ_ONLY);
  if (err != 0) {
    fprintf(stderr, "vm-host: %s: %s\n", spec, mmio_strerror(err));
    return 1;
  }
  for (i = 0; i < 256; i++)
    bad += mmio_load32(&r, 0x1000 + i * 4) != 0x6e570000u + i;
  mmio_region_release(&r);
  shm_unlink(argv[2]);
  printf("%s host reads what the guest wrote through ivshmem\n", bad == 0 ? "ok  " : "FAIL");
  return bad != 0;
}
