/*
 * Anonymous memory objects: sealed memfds, the seed crate's VMOs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux_internal.h"

int mmio_vmo_create(size_t size) {
  const size_t ps = mmio__page_size();
  size_t rounded;
  off_t len;
  int fd;
  int err = 0;
  if (size == 0) return -EINVAL;
  if (size > SIZE_MAX - (ps - 1)) return MMIO_ERR_OUT_OF_RANGE;
  rounded = (size + ps - 1) / ps * ps;
  if (mmio__file_offset(rounded, &len) != 0) return MMIO_ERR_OUT_OF_RANGE;
  fd = memfd_create("mmio-vmo", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return -errno;
  if (ftruncate(fd, len) != 0 ||
      /* F_SEAL_SEAL too: otherwise any holder of the descriptor could add
       * F_SEAL_WRITE or F_SEAL_FUTURE_WRITE and make the mapping's stores
       * fail. */
      fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0)
    err = -errno;
  if (err != 0) {
    close(fd);
    return err;
  }
  return fd;
}
