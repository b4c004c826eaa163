/* Maps a memory object with an installed mmio and checks one round trip. */
#include <stdio.h>
#include <unistd.h>

#include <mmio/mmio.h>

int main(void) {
  mmio_region r;
  int fd = mmio_vmo_create(4096);
  int err;
  if (fd < 0) {
    fprintf(stderr, "mmio_vmo_create: %s\n", mmio_strerror(fd));
    return 1;
  }
  err = mmio_map(&r, fd, 0, 64, MMIO_CACHE_DEFAULT, 0);
  close(fd);
  if (err != 0) {
    fprintf(stderr, "mmio_map: %s\n", mmio_strerror(err));
    return 1;
  }
  mmio_store32(&r, 0, 0xc0ffee);
  err = mmio_load32(&r, 0) == 0xc0ffee ? 0 : 1;
  mmio_region_release(&r);
  printf("consumer: %s\n", err == 0 ? "ok" : "mismatch");
  return err;
}
