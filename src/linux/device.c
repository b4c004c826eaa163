/*
 * The device handle: argument checks and dispatch to the source's
 * operations, and the reference count that regions share.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux_internal.h"

const char *mmio_source_name(enum mmio_source source) {
  static const char *const names[] = {
      [MMIO_SOURCE_PCI] = "pci",   [MMIO_SOURCE_VFIO] = "vfio", [MMIO_SOURCE_UIO] = "uio",
      [MMIO_SOURCE_PHYS] = "phys", [MMIO_SOURCE_SHM] = "shm",   [MMIO_SOURCE_FILE] = "file",
  };
  if ((unsigned)source >= sizeof(names) / sizeof(names[0]) || names[source] == NULL)
    return "invalid";
  return names[source];
}

mmio_device *mmio__device_new(size_t size, const struct mmio__device_ops *ops,
                              const struct mmio__env *env, enum mmio_source source,
                              const char *name) {
  mmio_device *d = calloc(1, size < sizeof(*d) ? sizeof(*d) : size);
  if (d == NULL) return NULL;
  d->ops = ops;
  atomic_init(&d->refs, 1);
  d->env = *env;
  d->info.source = source;
  snprintf(d->info.name, sizeof(d->info.name), "%s", name);
  return d;
}

void mmio__device_unref(mmio_device *d) {
  if (!mmio__ref_put(&d->refs)) return;
  if (d->ops->free != NULL) d->ops->free(d);
  free(d);
}

int mmio_device_info(struct mmio_device_info *out, const mmio_device *dev) {
  if (out == NULL || dev == NULL) return -EINVAL;
  *out = dev->info;
  return 0;
}

int mmio_device_region_info(struct mmio_region_info *out, const mmio_device *dev, unsigned index) {
  if (out == NULL || dev == NULL) return -EINVAL;
  memset(out, 0, sizeof(*out));
  if (dev->ops->region_info == NULL) return -ENXIO;
  return dev->ops->region_info(dev, index, out);
}

int mmio_device_map(mmio_region *out, mmio_device *dev, unsigned index, uint64_t offset,
                    size_t size, enum mmio_cache_policy policy, unsigned flags) {
  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (dev == NULL) return -EINVAL;
  if (dev->ops->map == NULL) return -ENXIO;
  return dev->ops->map(dev, out, index, offset, size, policy, flags);
}

int mmio_device_irq_enable(mmio_device *dev, enum mmio_irq kind) {
  if (dev == NULL) return -EINVAL;
  if (dev->ops->irq_enable == NULL) return -ENOTSUP;
  return dev->ops->irq_enable(dev, kind);
}

int mmio_device_irq_wait(mmio_device *dev, int timeout_ms, uint64_t *count) {
  if (dev == NULL || dev->ops->irq_wait == NULL) return -EINVAL;
  return dev->ops->irq_wait(dev, timeout_ms, count);
}

int mmio_device_irq_ack(mmio_device *dev) {
  if (dev == NULL || dev->ops->irq_ack == NULL) return -EINVAL;
  return dev->ops->irq_ack(dev);
}

int mmio_device_irq_fd(const mmio_device *dev) {
  if (dev == NULL || dev->ops->irq_fd == NULL) return -EINVAL;
  return dev->ops->irq_fd(dev);
}

void mmio_device_irq_disable(mmio_device *dev) {
  if (dev != NULL && dev->ops->irq_disable != NULL) dev->ops->irq_disable(dev);
}

void mmio_device_close(mmio_device *dev) {
  if (dev != NULL) mmio__device_unref(dev);
}
