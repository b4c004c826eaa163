/*
 * PCI BARs through sysfs resource files: mapping, the device handle (no
 * interrupts on this route), the memory type of a resource file, and
 * advice when it fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/pci_regs.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "linux_internal.h"

/* Matches "resource<digits>" (wc = 0) or "resource<digits>_wc" (wc = 1). */
static int mmio__is_bar_resource_name(const char *name, int *wc) {
  const char *p = name;
  if (strncmp(p, "resource", 8) != 0) return 0;
  p += 8;
  if (*p < '0' || *p > '9') return 0;
  while (*p >= '0' && *p <= '9')
    p++;
  *wc = strcmp(p, "_wc") == 0;
  return *p == '\0' || *wc;
}

/*
 * The PCI core maps resourceN uncached and resourceN_wc write-combining.
 * The name comes from /proc/self/fd; without /proc the kind is unknown.
 */
static int mmio__pci_resource_probe(int fd, const struct stat *st, long fs_type,
                                    struct mmio__object *obj) {
  char link[64];
  char path[PATH_MAX];
  const char *base;
  ssize_t n;
  int wc = 0;
  if (!S_ISREG(st->st_mode) || fs_type != MMIO__SYSFS_MAGIC) return 0;
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  n = readlink(link, path, sizeof(path) - 1);
  if (n <= 0) return 0;
  path[n] = '\0';
  base = strrchr(path, '/');
  base = base != NULL ? base + 1 : path;
  if (!mmio__is_bar_resource_name(base, &wc)) return 0;
  obj->policy = wc ? MMIO_CACHE_WRITE_COMBINING : MMIO_CACHE_UNCACHED_DEVICE;
  return 1;
}

const struct mmio__object_kind mmio__pci_resource_kind = {.probe = mmio__pci_resource_probe};

int mmio__pci_map_at(const struct mmio__env *env, mmio_region *out, const char *bdf_in,
                     unsigned bar, uint64_t offset, size_t size, enum mmio_cache_policy policy,
                     unsigned flags) {
  char bdf[MMIO__PCI_ADDR_MAX];
  char path[PATH_MAX];
  struct mmio__pci_bar info;
  struct mmio__object obj;
  uint16_t cmd = 0;
  const int wc = policy == MMIO_CACHE_WRITE_COMBINING;
  int fd, err;

  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (bdf_in == NULL || mmio__pci_addr_parse(bdf_in, strlen(bdf_in), bdf) != 0 || bar > 5 ||
      !mmio__map_args_ok(policy, flags, 0))
    return -EINVAL;
  if (policy == MMIO_CACHE_CACHED) return MMIO_ERR_CACHE_POLICY;
  if (mmio__pci_exists(env, bdf) != 0) return -ENODEV;
  err = mmio__pci_bar(env, bdf, bar, &info);
  if (err != 0) return err;
  if (info.size == 0) return -ENXIO;
  if (info.flags & MMIO__IORESOURCE_IO) return MMIO_ERR_IO_BAR;
  if (!(info.flags & MMIO__IORESOURCE_MEM)) return -ENXIO;
  if (offset >= info.size) return MMIO_ERR_OUT_OF_RANGE;
  if (size == 0 && (err = mmio__size_to_end(info.size, offset, &size)) != 0) return err;
  if (size > info.size - offset) return MMIO_ERR_OUT_OF_RANGE;
  err = mmio__pci_command(env, bdf, &cmd);
  if (err != 0) return err;
  if (!(cmd & PCI_COMMAND_MEMORY)) return MMIO_ERR_DECODING_OFF;

  err = mmio__path(path, sizeof(path), "%s/bus/pci/devices/%s/resource%u%s", env->sys, bdf, bar,
                   wc ? "_wc" : "");
  if (err != 0) return err;
  if (wc && access(path, F_OK) != 0) return MMIO_ERR_CACHE_POLICY;
  fd = mmio__open_for_map(path, flags, 0);
  if (fd < 0) return fd;
  obj.has_size = 1;
  obj.size = info.size;
  obj.policy = wc ? MMIO_CACHE_WRITE_COMBINING : MMIO_CACHE_UNCACHED_DEVICE;
  err = mmio__map_object(out, fd, offset, size, policy, flags, &obj, NULL, NULL);
  close(fd);
  return err;
}

int mmio_pci_map(mmio_region *out, const char *bdf, unsigned bar, uint64_t offset, size_t size,
                 enum mmio_cache_policy policy, unsigned flags) {
  return mmio__pci_map_at(&mmio__env_system, out, bdf, bar, offset, size, policy, flags);
}

/* The device handle: BARs as regions, no interrupts (sysfs has no way to
 * deliver them; use uio: or vfio: for that). */
static int mmio__pci_dev_map(mmio_device *d, mmio_region *out, unsigned index, uint64_t offset,
                             size_t size, enum mmio_cache_policy policy, unsigned flags) {
  return mmio__pci_map_at(&d->env, out, d->info.pci_address, index, offset, size, policy, flags);
}

static int mmio__pci_dev_region_info(const mmio_device *d, unsigned index,
                                     struct mmio_region_info *out) {
  return mmio__pci_region_info(&d->env, d->info.pci_address, index, out);
}

static const struct mmio__device_ops mmio__pci_device_ops = {
    .map = mmio__pci_dev_map,
    .region_info = mmio__pci_dev_region_info,
};

int mmio__pci_device_open(const struct mmio__env *env, mmio_device **out, const char *bdf_in) {
  char bdf[MMIO__PCI_ADDR_MAX];
  mmio_device *d;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (bdf_in == NULL || mmio__pci_addr_parse(bdf_in, strlen(bdf_in), bdf) != 0) return -EINVAL;
  if (mmio__pci_exists(env, bdf) != 0) return -ENODEV;
  d = mmio__device_new(sizeof(*d), &mmio__pci_device_ops, env, MMIO_SOURCE_PCI, bdf);
  if (d == NULL) return -ENOMEM;
  d->info.regions = 6;
  mmio__pci_identity(env, bdf, &d->info);
  *out = d;
  return 0;
}

void mmio__pci_explain(struct mmio__text *t, const struct mmio__env *env, const char *bdf,
                       unsigned bar, int err) {
  char drv[64] = "";
  switch (err) {
  case MMIO_ERR_DECODING_OFF:
    mmio__say(t,
              " The PCI command register of %s has memory decoding (bit 1) clear. "
              "Enable the device: echo 1 > "
              "/sys/bus/pci/devices/%s/enable, or bind a driver that enables it "
              "(uio_pci_generic, vfio-pci).",
              bdf, bdf);
    break;
  case MMIO_ERR_IO_BAR:
    mmio__say(t,
              " BAR %u of %s decodes I/O ports; only memory BARs can be mapped. Use port "
              "I/O (ioperm and inb/outb) for it, or another BAR.",
              bar, bdf);
    break;
  case MMIO_ERR_CACHE_POLICY:
    mmio__say(t,
              " Write-combining needs resource%u_wc, which exists only for prefetchable "
              "BARs; BARs are never mapped cached.",
              bar);
    break;
  case -ENODEV:
    mmio__say(t, " There is no PCI device %s; see /sys/bus/pci/devices (lspci -D).", bdf);
    break;
  case -ENXIO:
    mmio__say(t, " %s has no memory BAR %u.", bdf, bar);
    break;
  case -ENOENT:
    mmio__say(t,
              " %s has no file resource%u in sysfs: BAR %u is not implemented, or the "
              "kernel does not offer it for mapping (mmio list shows the BARs there are).",
              bdf, bar, bar);
    break;
  case -EINVAL:
    mmio__say(t, " The kernel refused to map BAR %u.", bar);
    mmio__pci_driver(env, bdf, drv, sizeof(drv));
    mmio__pci_say_driver(t, bdf, drv);
    mmio__say(t,
              " A driver that claims the BAR exclusively (vfio-pci does) makes sysfs "
              "mappings fail: use vfio:%s/bar%u while vfio-pci holds it, or unbind "
              "the driver.",
              bdf, bar);
    break;
  case -EPERM:
  case -EACCES:
    mmio__say_needs_root(t);
    break;
  default:
    break;
  }
}
