/*
 * PCI BARs through sysfs resource files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "mmio/pci.h"

int mmio__pci_map_at(const char *sys, mmio_region *out, const char *bdf_in,
                     unsigned bar, uint64_t offset, size_t size,
                     enum mmio_cache_policy policy, unsigned flags) {
  char bdf[13];
  char path[PATH_MAX];
  struct mmio__pci_bar info;
  struct mmio__object obj;
  uint16_t cmd = 0;
  const int wc = policy == MMIO_CACHE_WRITE_COMBINING;
  int fd, err;

  if (out == NULL) return -EINVAL;
  mmio__region_init(out, 0, 0, NULL, NULL, NULL);
  if (bdf_in == NULL || mmio__pci_canonical(bdf_in, strlen(bdf_in), bdf) != 0 || bar > 5 ||
      !mmio__map_args_ok(policy, flags, 0))
    return -EINVAL;
  if (policy == MMIO_CACHE_CACHED) return MMIO_ERR_CACHE_POLICY;
  if (mmio__pci_exists(sys, bdf) != 0) return -ENODEV;
  err = mmio__pci_bar(sys, bdf, bar, &info);
  if (err != 0) return err;
  if (info.size == 0) return -ENXIO;
  if (info.flags & MMIO__IORESOURCE_IO) return MMIO_ERR_IO_BAR;
  if (!(info.flags & MMIO__IORESOURCE_MEM)) return -ENXIO;
  if (offset >= info.size) return MMIO_ERR_OUT_OF_RANGE;
  if (size == 0) size = info.size - offset > PTRDIFF_MAX ? PTRDIFF_MAX : (size_t)(info.size - offset);
  if (size > info.size - offset) return MMIO_ERR_OUT_OF_RANGE;
  err = mmio__pci_command(sys, bdf, &cmd);
  if (err != 0) return err;
  if (!(cmd & MMIO__PCI_COMMAND_MEMORY)) return MMIO_ERR_DECODING_OFF;

  snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/resource%u%s", sys, bdf, bar,
           wc ? "_wc" : "");
  if (wc && access(path, F_OK) != 0) return MMIO_ERR_CACHE_POLICY;
  fd = open(path, ((flags & MMIO_MAP_READ_ONLY) ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return -errno;
  obj.has_size = 1;
  obj.size = info.size;
  obj.policy = wc ? MMIO_CACHE_WRITE_COMBINING : MMIO_CACHE_UNCACHED_DEVICE;
  err = mmio__map_object(out, fd, offset, size, policy, flags, &obj, NULL, NULL);
  close(fd);
  return err;
}

int mmio_pci_map(mmio_region *out, const char *bdf, unsigned bar, uint64_t offset,
                 size_t size, enum mmio_cache_policy policy, unsigned flags) {
  return mmio__pci_map_at(MMIO__SYSFS, out, bdf, bar, offset, size, policy, flags);
}
