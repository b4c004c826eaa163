/*
 * VFIO: container, group and device; regions by mmap or pread/pwrite;
 * interrupts through an eventfd; the device handle; advice.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "linux_internal.h"

struct mmio_vfio {
  atomic_size_t refs; /* the opener's and one per region */
  int container, group, device;
  int efd;            /* interrupt eventfd, -1 when none */
  unsigned irq_index; /* VFIO_PCI_*_IRQ_INDEX of the enabled interrupt */
  char bdf[MMIO__PCI_ADDR_MAX];
};

static void mmio__vfio_unref(void *ctx) {
  mmio_vfio *v = ctx;
  if (!mmio__ref_put(&v->refs)) return;
  mmio_vfio_irq_disable(v);
  if (v->device >= 0) close(v->device);
  if (v->group >= 0) close(v->group);
  if (v->container >= 0) close(v->container);
  free(v);
}

int mmio__vfio_open_at(const struct mmio__env *env, mmio_vfio **out, const char *bdf_in) {
  char path[PATH_MAX], name[64];
  struct vfio_group_status status = {.argsz = sizeof(status)};
  mmio_vfio *v;
  int err = 0;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  v = calloc(1, sizeof(*v));
  if (v == NULL) return -ENOMEM;
  atomic_init(&v->refs, 1);
  v->container = v->group = v->device = v->efd = -1;
  if (bdf_in == NULL || mmio__pci_addr_parse(bdf_in, strlen(bdf_in), v->bdf) != 0) err = -EINVAL;
  if (err == 0 && mmio__pci_exists(env, v->bdf) != 0) err = -ENODEV;
  if (err == 0) {
    err = mmio__path(path, sizeof(path), "%s/bus/pci/devices/%s/iommu_group", env->sys, v->bdf);
    /* No link is no IOMMU; a link that cannot be read is that error. */
    if (err == 0) err = mmio__link_name(path, name, sizeof(name));
    if (err == -ENOENT) err = MMIO_ERR_NO_IOMMU;
  }
  if (err == 0) {
    char drv[64];
    err = mmio__pci_driver(env, v->bdf, drv, sizeof(drv));
    if (err == 0 && strcmp(drv, "vfio-pci") != 0) err = MMIO_ERR_WRONG_DRIVER;
  }
  if (err == 0) err = mmio__path(path, sizeof(path), "%s/vfio/vfio", env->dev);
  if (err == 0 && (v->container = open(path, O_RDWR | O_CLOEXEC)) < 0) err = -errno;
  if (err == 0 && ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) err = -EINVAL;
  if (err == 0 && ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1 &&
      ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) != 1)
    err = -ENOTSUP;
  if (err == 0) err = mmio__path(path, sizeof(path), "%s/vfio/%s", env->dev, name);
  if (err == 0 && (v->group = open(path, O_RDWR | O_CLOEXEC)) < 0) err = -errno;
  if (err == 0 && ioctl(v->group, VFIO_GROUP_GET_STATUS, &status) != 0) err = -errno;
  if (err == 0 && !(status.flags & VFIO_GROUP_FLAGS_VIABLE)) err = MMIO_ERR_VFIO_NOT_VIABLE;
  if (err == 0 && ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container) != 0) err = -errno;
  if (err == 0 && ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) != 0 &&
      ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU) != 0)
    err = -errno;
  if (err == 0 && (v->device = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, v->bdf)) < 0) err = -errno;
  if (err != 0) {
    mmio__vfio_unref(v);
    return err;
  }
  *out = v;
  return 0;
}

int mmio_vfio_open(mmio_vfio **out, const char *bdf) {
  return mmio__vfio_open_at(&mmio__env_system, out, bdf);
}

void mmio_vfio_close(mmio_vfio *v) {
  if (v != NULL) mmio__vfio_unref(v);
}

/* Region info with its capability chain; *info is malloc'd. */
static int mmio__vfio_region_info(mmio_vfio *v, unsigned index, struct vfio_region_info **info) {
  struct vfio_region_info *ri = calloc(1, sizeof(*ri));
  if (ri == NULL) return -ENOMEM;
  ri->argsz = sizeof(*ri);
  ri->index = index;
  if (ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, ri) != 0) {
    int err = -errno;
    free(ri);
    return err;
  }
  if (ri->argsz > sizeof(*ri)) {
    uint32_t sz = ri->argsz;
    struct vfio_region_info *big = realloc(ri, sz);
    if (big == NULL) {
      free(ri);
      return -ENOMEM;
    }
    ri = big;
    memset(ri, 0, sz);
    ri->argsz = sz;
    ri->index = index;
    if (ioctl(v->device, VFIO_DEVICE_GET_REGION_INFO, ri) != 0) {
      int err = -errno;
      free(ri);
      return err;
    }
  }
  *info = ri;
  return 0;
}

/* Whether [off, off + size), page-rounded, lies in one mmap-able area. */
int mmio__vfio_can_mmap(const struct vfio_region_info *ri, uint64_t off, size_t size) {
  const uint64_t ps = mmio__page_size();
  const uint64_t lo = off / ps * ps, hi = (off + size + ps - 1) / ps * ps;
  uint32_t next = (ri->flags & VFIO_REGION_INFO_FLAG_CAPS) ? ri->cap_offset : 0;
  if (!(ri->flags & VFIO_REGION_INFO_FLAG_MMAP)) return 0;
  while (next != 0 && next + sizeof(struct vfio_info_cap_header) <= ri->argsz) {
    const struct vfio_info_cap_header *h =
        (const struct vfio_info_cap_header *)((const char *)ri + next);
    if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
      const struct vfio_region_info_cap_sparse_mmap *sp =
          (const struct vfio_region_info_cap_sparse_mmap *)h;
      uint32_t i;
      for (i = 0; i < sp->nr_areas; i++)
        if (lo >= sp->areas[i].offset && hi <= sp->areas[i].offset + sp->areas[i].size) return 1;
      return 0;
    }
    next = h->next;
  }
  return hi <= ri->size;
}

/* A BAR that cannot be mmapped: pread/pwrite at the BAR's file offsets,
 * holding a reference to the device. */
static int mmio__vfio_rw_region(mmio_vfio *v, mmio_region *out, const struct vfio_region_info *ri,
                                uint64_t off, size_t size, unsigned flags) {
  const int ro = (flags & MMIO_MAP_READ_ONLY) || !(ri->flags & VFIO_REGION_INFO_FLAG_WRITE);
  int err;
  if (!(ri->flags & VFIO_REGION_INFO_FLAG_READ)) return -EACCES;
  mmio__ref_get(&v->refs);
  err = mmio__pio_region(out, v->device, ri->offset + off, size, ro, mmio__vfio_unref, v);
  if (err != 0) mmio__ref_put(&v->refs);
  return err;
}

int mmio_vfio_map(mmio_region *out, mmio_vfio *v, unsigned bar, uint64_t offset, size_t size,
                  enum mmio_cache_policy policy, unsigned flags) {
  struct vfio_region_info *ri = NULL;
  struct mmio__object obj = {0, 0, MMIO_CACHE_UNCACHED_DEVICE};
  int err;
  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (v == NULL || bar > 5 || !mmio__map_args_ok(policy, flags, MMIO_VFIO_NO_MMAP)) return -EINVAL;
  if (!mmio__policy_allowed(obj.policy, policy)) return MMIO_ERR_CACHE_POLICY;
  err = mmio__vfio_region_info(v, VFIO_PCI_BAR0_REGION_INDEX + bar, &ri);
  if (err == 0 && ri->size == 0) err = -ENXIO;
  if (err == 0 && offset >= ri->size) err = MMIO_ERR_OUT_OF_RANGE;
  if (err == 0 && size == 0) err = mmio__size_to_end(ri->size, offset, &size);
  if (err == 0 && (size > ri->size - offset || size > PTRDIFF_MAX)) err = MMIO_ERR_OUT_OF_RANGE;
  if (err == 0) {
    if (!(flags & MMIO_VFIO_NO_MMAP) && mmio__vfio_can_mmap(ri, offset, size)) {
      mmio__ref_get(&v->refs);
      err = mmio__map_object(out, v->device, ri->offset + offset, size, policy,
                             flags & MMIO_MAP_READ_ONLY, &obj, mmio__vfio_unref, v);
      if (err != 0) mmio__ref_put(&v->refs);
    } else {
      err = mmio__vfio_rw_region(v, out, ri, offset, size, flags);
    }
  }
  free(ri);
  return err;
}

/* Sets bus mastering through the VFIO config region, for MSI. */
static int mmio__vfio_bus_master(mmio_vfio *v) {
  struct vfio_region_info *ri = NULL;
  int err = mmio__vfio_region_info(v, VFIO_PCI_CONFIG_REGION_INDEX, &ri);
  if (err == 0) err = mmio__pci_command_update(v->device, ri->offset, PCI_COMMAND_MASTER, 0);
  free(ri);
  return err;
}

static int mmio__vfio_set_irqs(mmio_vfio *v, unsigned index, uint32_t flags, uint32_t count,
                               int fd) {
  char buf[sizeof(struct vfio_irq_set) + sizeof(int)];
  struct vfio_irq_set *set = (struct vfio_irq_set *)buf;
  memset(buf, 0, sizeof(buf));
  set->argsz = (uint32_t)(sizeof(*set) + ((flags & VFIO_IRQ_SET_DATA_EVENTFD) ? sizeof(int) : 0));
  set->flags = flags;
  set->index = index;
  set->start = 0;
  set->count = count;
  if (flags & VFIO_IRQ_SET_DATA_EVENTFD) memcpy(set->data, &fd, sizeof(int));
  return ioctl(v->device, VFIO_DEVICE_SET_IRQS, set) == 0 ? 0 : -errno;
}

int mmio_vfio_irq_enable(mmio_vfio *v, enum mmio_vfio_irq kind) {
  struct vfio_irq_info info = {.argsz = sizeof(info)};
  unsigned index = kind == MMIO_VFIO_IRQ_MSI ? VFIO_PCI_MSI_IRQ_INDEX : VFIO_PCI_INTX_IRQ_INDEX;
  int efd, err = 0;
  if (v == NULL || (kind != MMIO_VFIO_IRQ_INTX && kind != MMIO_VFIO_IRQ_MSI)) return -EINVAL;
  info.index = index;
  if (ioctl(v->device, VFIO_DEVICE_GET_IRQ_INFO, &info) != 0) return -errno;
  if (info.count == 0) return -ENXIO;
  mmio_vfio_irq_disable(v);
  efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0) return -errno;
  if (kind == MMIO_VFIO_IRQ_MSI) err = mmio__vfio_bus_master(v);
  if (err == 0)
    err = mmio__vfio_set_irqs(v, index, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, 1,
                              efd);
  if (err != 0) {
    close(efd);
    return err;
  }
  v->efd = efd;
  v->irq_index = index;
  return 0;
}

/* One wait: 1 with the eventfd's count (interrupts since the last read),
 * 0 on timeout, or -errno. */
static int mmio__vfio_irq_wait(mmio_vfio *v, int timeout_ms, uint64_t *count) {
  uint64_t n = 0;
  ssize_t got;
  int r;
  if (v == NULL || v->efd < 0) return -EINVAL;
  r = mmio__wait_readable(v->efd, timeout_ms);
  if (r <= 0) return r;
  got = read(v->efd, &n, sizeof(n));
  if (got < 0 && errno == EAGAIN) return 0; /* another reader took it */
  if (got != (ssize_t)sizeof(n)) return got < 0 ? -errno : -EIO;
  if (count != NULL) *count = n;
  return 1;
}

int mmio_vfio_irq_wait(mmio_vfio *v, int timeout_ms) {
  return mmio__vfio_irq_wait(v, timeout_ms, NULL);
}

int mmio_vfio_irq_unmask(mmio_vfio *v) {
  if (v == NULL || v->efd < 0) return -EINVAL;
  if (v->irq_index != VFIO_PCI_INTX_IRQ_INDEX) return 0;
  return mmio__vfio_set_irqs(v, v->irq_index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
                             1, -1);
}

void mmio_vfio_irq_disable(mmio_vfio *v) {
  if (v == NULL || v->efd < 0) return;
  mmio__vfio_set_irqs(v, v->irq_index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0, -1);
  close(v->efd);
  v->efd = -1;
}

/* ---- the device handle ---- */

struct mmio__vfio_device {
  mmio_device base;
  mmio_vfio *v;
};

static mmio_vfio *mmio__vfio_of(const mmio_device *d) {
  return ((const struct mmio__vfio_device *)d)->v;
}

static int mmio__vfio_dev_map(mmio_device *d, mmio_region *out, unsigned index, uint64_t offset,
                              size_t size, enum mmio_cache_policy policy, unsigned flags) {
  return mmio_vfio_map(out, mmio__vfio_of(d), index, offset, size, policy, flags);
}

static int mmio__vfio_dev_region_info(const mmio_device *d, unsigned index,
                                      struct mmio_region_info *out) {
  struct vfio_region_info *ri = NULL;
  int err;
  if (index > 5) return -ENXIO;
  /* Address, type and prefetchability from sysfs, as for pci:; whether
   * it can be mmapped from VFIO itself. */
  err = mmio__pci_region_info(&d->env, d->info.pci_address, index, out);
  if (err != 0) return err;
  out->flags &= ~MMIO_REGION_MMAP;
  err = mmio__vfio_region_info(mmio__vfio_of(d), VFIO_PCI_BAR0_REGION_INDEX + index, &ri);
  if (err != 0) return err;
  if ((out->flags & MMIO_REGION_MEM) && mmio__vfio_can_mmap(ri, 0, 1))
    out->flags |= MMIO_REGION_MMAP;
  free(ri);
  return 0;
}

static int mmio__vfio_dev_irq_enable(mmio_device *d, enum mmio_irq kind) {
  static const int kinds[] = {
      [MMIO_IRQ_DEFAULT] = MMIO_VFIO_IRQ_INTX,
      [MMIO_IRQ_INTX] = MMIO_VFIO_IRQ_INTX,
      [MMIO_IRQ_MSI] = MMIO_VFIO_IRQ_MSI,
  };
  if ((unsigned)kind >= sizeof(kinds) / sizeof(kinds[0])) return -ENOTSUP;
  return mmio_vfio_irq_enable(mmio__vfio_of(d), (enum mmio_vfio_irq)kinds[kind]);
}

static int mmio__vfio_dev_irq_wait(mmio_device *d, int timeout_ms, uint64_t *count) {
  return mmio__vfio_irq_wait(mmio__vfio_of(d), timeout_ms, count);
}

static int mmio__vfio_dev_irq_ack(mmio_device *d) { return mmio_vfio_irq_unmask(mmio__vfio_of(d)); }

static int mmio__vfio_dev_irq_fd(const mmio_device *d) {
  const mmio_vfio *v = mmio__vfio_of(d);
  return v->efd >= 0 ? v->efd : -EINVAL;
}

static void mmio__vfio_dev_irq_disable(mmio_device *d) { mmio_vfio_irq_disable(mmio__vfio_of(d)); }

static void mmio__vfio_dev_free(mmio_device *d) { mmio_vfio_close(mmio__vfio_of(d)); }

static const struct mmio__device_ops mmio__vfio_device_ops = {
    .map = mmio__vfio_dev_map,
    .region_info = mmio__vfio_dev_region_info,
    .irq_enable = mmio__vfio_dev_irq_enable,
    .irq_wait = mmio__vfio_dev_irq_wait,
    .irq_ack = mmio__vfio_dev_irq_ack,
    .irq_fd = mmio__vfio_dev_irq_fd,
    .irq_disable = mmio__vfio_dev_irq_disable,
    .free = mmio__vfio_dev_free,
};

/* The interrupt kinds the device has, as MMIO_IRQ_ bits. */
static unsigned mmio__vfio_irq_kinds(const mmio_vfio *v) {
  static const struct {
    unsigned index, bits;
  } kinds[] = {
      {VFIO_PCI_INTX_IRQ_INDEX, 1u << MMIO_IRQ_DEFAULT | 1u << MMIO_IRQ_INTX},
      {VFIO_PCI_MSI_IRQ_INDEX, 1u << MMIO_IRQ_MSI},
  };
  unsigned bits = 0;
  size_t i;
  for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
    struct vfio_irq_info info = {.argsz = sizeof(info), .index = kinds[i].index};
    if (ioctl(v->device, VFIO_DEVICE_GET_IRQ_INFO, &info) == 0 && info.count > 0)
      bits |= kinds[i].bits;
  }
  return bits;
}

int mmio__vfio_device_open(const struct mmio__env *env, mmio_device **out, const char *bdf) {
  struct mmio__vfio_device *vd;
  mmio_vfio *v = NULL;
  int err;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  err = mmio__vfio_open_at(env, &v, bdf);
  if (err != 0) return err;
  vd = (struct mmio__vfio_device *)mmio__device_new(sizeof(*vd), &mmio__vfio_device_ops, env,
                                                    MMIO_SOURCE_VFIO, v->bdf);
  if (vd == NULL) {
    mmio_vfio_close(v);
    return -ENOMEM;
  }
  vd->v = v;
  vd->base.info.regions = 6;
  vd->base.info.irqs = mmio__vfio_irq_kinds(v);
  mmio__pci_identity(env, v->bdf, &vd->base.info);
  *out = &vd->base;
  return 0;
}

/* " IOMMU group G holds: A (drv) B (no driver). Bind each ..." */
static void mmio__vfio_say_group(struct mmio__text *t, const struct mmio__env *env,
                                 const char *bdf) {
  char path[PATH_MAX], group[64];
  DIR *d;
  struct dirent *e;
  if (mmio__path(path, sizeof(path), "%s/bus/pci/devices/%s/iommu_group", env->sys, bdf) != 0 ||
      mmio__link_name(path, group, sizeof(group)) != 0)
    return;
  mmio__say(t, " IOMMU group %s holds:", group);
  if (mmio__path(path, sizeof(path), "%s/kernel/iommu_groups/%s/devices", env->sys, group) != 0 ||
      (d = opendir(path)) == NULL)
    return;
  while ((e = readdir(d)) != NULL) {
    char drv[64] = "";
    if (e->d_name[0] == '.') continue;
    mmio__pci_driver(env, e->d_name, drv, sizeof(drv));
    mmio__say(t, " %s (%s)", e->d_name, drv[0] != '\0' ? drv : "no driver");
  }
  closedir(d);
  mmio__say(t, ". Bind each to vfio-pci, or unbind it.");
}

void mmio__vfio_explain(struct mmio__text *t, const struct mmio__env *env, const char *bdf,
                        unsigned bar, int err) {
  char drv[64] = "";
  switch (err) {
  case MMIO_ERR_NO_IOMMU:
    mmio__say(t,
              " %s has no IOMMU group, so no IOMMU is enabled. Boot with intel_iommu=on "
              "(or amd_iommu=on), or reach the device through pci: or uio: instead; "
              "Debian kernels have no VFIO no-IOMMU mode.",
              bdf);
    break;
  case MMIO_ERR_VFIO_NOT_VIABLE:
    mmio__vfio_say_group(t, env, bdf);
    break;
  case MMIO_ERR_WRONG_DRIVER:
    mmio__pci_driver(env, bdf, drv, sizeof(drv));
    mmio__pci_say_driver(t, bdf, drv);
    mmio__say(t,
              " Bind it to vfio-pci: echo vfio-pci > /sys/bus/pci/devices/%s/"
              "driver_override; echo %s > /sys/bus/pci/devices/%s/driver/unbind; "
              "echo %s > /sys/bus/pci/drivers_probe.",
              bdf, bdf, bdf, bdf);
    break;
  case MMIO_ERR_CACHE_POLICY:
    mmio__say(t, " VFIO maps BARs uncached; ask for the default or an uncached policy.");
    break;
  case -ENOENT:
    mmio__say(t, " /dev/vfio is missing: load the vfio-pci module.");
    break;
  case -ENODEV:
    mmio__say(t, " There is no PCI device %s; see /sys/bus/pci/devices (lspci -D).", bdf);
    break;
  case -ENXIO:
    mmio__say(t, " %s has no BAR %u.", bdf, bar);
    break;
  case -EBUSY:
    mmio__say(t, " The device's VFIO group is open elsewhere (another process, or another "
                 "handle in this one: map every region through one mmio_device or mmio_vfio).");
    break;
  case -EPERM:
  case -EACCES:
    mmio__say_needs_root(t);
    break;
  default:
    break;
  }
}
