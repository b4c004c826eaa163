/*
 * Physical memory through /dev/mem: mapping, the device handle, the memory
 * type of a /dev/mem descriptor, and advice when the kernel refuses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux_internal.h"

/* /dev/mem is character device 1:1. With O_SYNC the kernel maps every
 * range uncached; without it the type depends on the address (RAM is
 * cached), so nothing can be promised. */
static int mmio__devmem_probe(int fd, const struct stat *st, long fs_type,
                              struct mmio__object *obj) {
  int fl;
  (void)fs_type;
  if (!S_ISCHR(st->st_mode) || major(st->st_rdev) != 1 || minor(st->st_rdev) != 1) return 0;
  fl = fcntl(fd, F_GETFL);
  obj->policy =
      (fl != -1 && (fl & O_SYNC) == O_SYNC) ? MMIO_CACHE_UNCACHED_DEVICE : MMIO_CACHE_DEFAULT;
  return 1;
}

const struct mmio__object_kind mmio__devmem_kind = {.probe = mmio__devmem_probe};

int mmio__phys_map_at(const struct mmio__env *env, mmio_region *out, uint64_t addr, size_t size,
                      enum mmio_cache_policy policy, unsigned flags) {
  const struct mmio__object obj = {.policy = MMIO_CACHE_UNCACHED_DEVICE};
  char path[PATH_MAX];
  int fd, err;
  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (size == 0 || !mmio__map_args_ok(policy, flags, 0)) return -EINVAL;
  if (addr > UINT64_MAX - size) return MMIO_ERR_OUT_OF_RANGE;
  /* O_SYNC is what makes the kernel map any range uncached. */
  if (!mmio__policy_allowed(obj.policy, policy)) return MMIO_ERR_CACHE_POLICY;
  err = mmio__path(path, sizeof(path), "%s/mem", env->dev);
  if (err != 0) return err;
  fd = mmio__open_for_map(path, flags, O_SYNC);
  if (fd < 0) return fd;
  err = mmio__map_object(out, fd, addr, size, policy, flags, &obj, NULL, NULL);
  close(fd);
  return err;
}

int mmio_phys_map(mmio_region *out, uint64_t addr, size_t size, enum mmio_cache_policy policy,
                  unsigned flags) {
  return mmio__phys_map_at(&mmio__env_system, out, addr, size, policy, flags);
}

/* The device handle: one region, the physical address space, whose
 * offsets are physical addresses. */
static int mmio__phys_dev_map(mmio_device *d, mmio_region *out, unsigned index, uint64_t offset,
                              size_t size, enum mmio_cache_policy policy, unsigned flags) {
  if (index != 0) return -ENXIO;
  return mmio__phys_map_at(&d->env, out, offset, size, policy, flags);
}

static int mmio__phys_dev_region_info(const mmio_device *d, unsigned index,
                                      struct mmio_region_info *out) {
  (void)d;
  if (index != 0) return -ENXIO;
  out->size = UINT64_MAX;
  out->flags = MMIO_REGION_MEM | MMIO_REGION_MMAP;
  out->policy = MMIO_CACHE_UNCACHED_DEVICE;
  return 0;
}

static const struct mmio__device_ops mmio__phys_device_ops = {
    .map = mmio__phys_dev_map,
    .region_info = mmio__phys_dev_region_info,
};

int mmio__phys_device_open(const struct mmio__env *env, mmio_device **out) {
  mmio_device *d;
  if (out == NULL) return -EINVAL;
  *out = mmio__device_new(sizeof(*d), &mmio__phys_device_ops, env, MMIO_SOURCE_PHYS, "/dev/mem");
  if (*out == NULL) return -ENOMEM;
  (*out)->info.regions = 1;
  return 0;
}

void mmio__phys_explain(struct mmio__text *t, const struct mmio__env *env, uint64_t addr, int err) {
  char bdf[MMIO__PCI_ADDR_MAX], drv[64] = "";
  unsigned bar;
  if (err == -ENOENT) {
    mmio__say(t,
              " This system has no %s/mem: the kernel was built without CONFIG_DEVMEM, or "
              "this is a container without it. Use the device's pci:, vfio: or uio: "
              "source instead.",
              env->dev);
    return;
  }
  if (err != -EPERM && err != -EACCES) return;
  if (!mmio__pci_owner_of(env, addr, bdf, &bar)) {
    mmio__say(t, " CONFIG_STRICT_DEVMEM refuses /dev/mem for RAM and for claimed I/O "
                 "ranges (see /proc/iomem); boot with iomem=relaxed to allow it, and "
                 "run as root.");
    return;
  }
  mmio__pci_driver(env, bdf, drv, sizeof(drv));
  mmio__say(t, " 0x%llx is in BAR %u of %s.", (unsigned long long)addr, bar, bdf);
  mmio__pci_say_driver(t, bdf, drv);
  mmio__say(t, " With CONFIG_STRICT_DEVMEM and IO_STRICT_DEVMEM the kernel refuses "
               "/dev/mem for ranges a driver has claimed.");
  if (strcmp(drv, "vfio-pci") == 0)
    mmio__say(t, " Use vfio:%s/bar%u while vfio-pci holds it, or unbind it.", bdf, bar);
  else
    mmio__say(t,
              " Use pci:%s/bar%u (sysfs) or vfio:%s/bar%u, unbind the driver, or "
              "boot with iomem=relaxed.",
              bdf, bar, bdf, bar);
}
