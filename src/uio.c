/*
 * UIO memory maps and interrupts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "mmio/uio.h"

static int mmio__uio_name_ok(const char *uio) {
  size_t i;
  if (uio == NULL || strncmp(uio, "uio", 3) != 0 || uio[3] == '\0' || strlen(uio) > 12)
    return 0;
  for (i = 3; uio[i] != '\0'; i++)
    if (uio[i] < '0' || uio[i] > '9') return 0;
  return 1;
}

/* Kernel virtual addresses (the top half on 64-bit) mean a map of kernel
 * memory, which UIO maps cached; anything else is a physical address. */
static enum mmio_cache_policy mmio__uio_map_policy(uint64_t addr) {
  return (sizeof(void *) == 8 && addr >= 0xffff800000000000ull) ? MMIO_CACHE_CACHED
                                                                  : MMIO_CACHE_UNCACHED_DEVICE;
}

int mmio__uio_map_at(const char *sys, const char *dev, mmio_region *out, const char *uio,
                     unsigned map, uint64_t offset, size_t size,
                     enum mmio_cache_policy policy, unsigned flags) {
  char dir[PATH_MAX], path[PATH_MAX + 32];
  uint64_t msize = 0, moff = 0, maddr = 0;
  struct mmio__object obj = {0, 0, MMIO_CACHE_DEFAULT};
  const size_t ps = mmio__page_size();
  int fd, err;

  if (out == NULL) return -EINVAL;
  mmio__region_init(out, 0, 0, NULL, NULL, NULL);
  if (!mmio__uio_name_ok(uio) || map > 4 || !mmio__map_args_ok(policy, flags, 0))
    return -EINVAL;
  snprintf(dir, sizeof(dir), "%s/class/uio/%s", sys, uio);
  if (access(dir, F_OK) != 0) return -ENODEV;
  snprintf(path, sizeof(path), "%s/maps/map%u/size", dir, map);
  err = mmio__read_u64(path, &msize);
  if (err == 0) {
    snprintf(path, sizeof(path), "%s/maps/map%u/offset", dir, map);
    err = mmio__read_u64(path, &moff);
  }
  if (err == 0) {
    snprintf(path, sizeof(path), "%s/maps/map%u/addr", dir, map);
    err = mmio__read_u64(path, &maddr);
  }
  if (err != 0) return err == -ENOENT ? -ENOENT : err;
  if (msize == 0 || moff >= ps) return -EINVAL;
  if (offset >= msize) return MMIO_ERR_OUT_OF_RANGE;
  if (size == 0) size = (size_t)(msize - offset);
  if (size > msize - offset) return MMIO_ERR_OUT_OF_RANGE;
  obj.policy = mmio__uio_map_policy(maddr);

  snprintf(path, sizeof(path), "%s/%s", dev, uio);
  fd = open(path, ((flags & MMIO_MAP_READ_ONLY) ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return -errno;
  /* UIO selects the map by the page number of the mmap offset; the block
   * starts moff bytes into that page. */
  err = mmio__map_object(out, fd, (uint64_t)map * ps + moff + offset, size, policy, flags,
                         &obj, NULL, NULL);
  close(fd);
  return err;
}

int mmio_uio_map(mmio_region *out, const char *uio, unsigned map, uint64_t offset,
                 size_t size, enum mmio_cache_policy policy, unsigned flags) {
  return mmio__uio_map_at(MMIO__SYSFS, "/dev", out, uio, map, offset, size, policy, flags);
}

struct mmio_uio_irq {
  int fd;
  char name[16];
};

int mmio_uio_irq_open(mmio_uio_irq **out, const char *uio) {
  char path[32];
  mmio_uio_irq *irq;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (!mmio__uio_name_ok(uio)) return -EINVAL;
  irq = malloc(sizeof(*irq));
  if (irq == NULL) return -ENOMEM;
  snprintf(irq->name, sizeof(irq->name), "%s", uio);
  snprintf(path, sizeof(path), "/dev/%s", uio);
  irq->fd = open(path, O_RDWR | O_CLOEXEC);
  if (irq->fd < 0) {
    int err = -errno;
    free(irq);
    return err;
  }
  *out = irq;
  return 0;
}

/*
 * Clears INTx Disable (command register bit 10) in the PCI device's config
 * space: how interrupts are unmasked for uio_pci_generic, whose handler
 * masks the line with that bit and which has no irqcontrol.
 */
static int mmio__uio_pci_intx_on(const char *uio) {
  char path[64];
  uint16_t cmd;
  int fd, err = 0;
  snprintf(path, sizeof(path), "/sys/class/uio/%s/device/config", uio);
  fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? -ENOSYS : -errno;
  if (pread(fd, &cmd, 2, 4) != 2) err = -EIO;
  cmd &= (uint16_t)~0x400u;
  if (err == 0 && pwrite(fd, &cmd, 2, 4) != 2) err = -EIO;
  close(fd);
  return err;
}

int mmio_uio_irq_enable(mmio_uio_irq *irq) {
  const int32_t on = 1;
  ssize_t n = write(irq->fd, &on, sizeof(on));
  if (n == (ssize_t)sizeof(on)) return 0;
  if (n < 0 && errno == ENOSYS) return mmio__uio_pci_intx_on(irq->name);
  return n < 0 ? -errno : -EIO;
}

int mmio_uio_irq_wait(mmio_uio_irq *irq, int timeout_ms, uint32_t *count) {
  struct pollfd p = {irq->fd, POLLIN, 0};
  uint32_t c;
  ssize_t n;
  int r;
  do {
    r = poll(&p, 1, timeout_ms);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return -errno;
  if (r == 0) return 0;
  n = read(irq->fd, &c, sizeof(c));
  if (n != (ssize_t)sizeof(c)) return n < 0 ? -errno : -EIO;
  if (count != NULL) *count = c;
  return 1;
}

int mmio_uio_irq_fd(const mmio_uio_irq *irq) { return irq->fd; }

void mmio_uio_irq_close(mmio_uio_irq *irq) {
  if (irq == NULL) return;
  close(irq->fd);
  free(irq);
}
