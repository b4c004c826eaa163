/*
 * VFIO's ioctls, answered for descriptors of a synthetic /dev/vfio: the
 * container (dev/vfio/vfio), a group (dev/vfio/N) and the device the
 * group hands out (the file dev/vfio/device, whose bytes are the device's
 * regions at the offsets below). Enough of the API for the library to
 * reach each of its calls: the API version and IOMMU type checks, the
 * group's viability, the device descriptor, region information with a
 * capability chain (so that the library asks twice, with a larger buffer),
 * interrupt information and setting; a triggered eventfd is signalled at
 * once, as if the interrupt had come.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "faults.h"

static char dev_vfio[PATH_MAX]; /* "<root>/dev/vfio/", "" when off */

void fault_vfio_emulate(const char *root) {
  if (root == NULL)
    dev_vfio[0] = '\0';
  else
    snprintf(dev_vfio, sizeof(dev_vfio), "%s/dev/vfio/", root);
}

/* Where the emulated device's regions are in its file, and how large. */
#define BAR0_SIZE 0x1000u
#define BAR2_OFFSET (2u << 20)
#define BAR2_SIZE 0x100u
#define CONFIG_OFFSET (7u << 20)

static int region_info(struct vfio_region_info *ri) {
  /* BAR0 can be mmapped, which a sparse-mmap capability says; BAR2 only
   * read and written; config space as VFIO gives it. */
  const uint32_t caps =
      sizeof(struct vfio_region_info_cap_sparse_mmap) + sizeof(struct vfio_region_sparse_mmap_area);
  const uint32_t index = ri->index, have = ri->argsz;
  memset(ri, 0, have < sizeof(*ri) ? have : sizeof(*ri));
  ri->argsz = have;
  ri->index = index;
  switch (index) {
  case VFIO_PCI_BAR0_REGION_INDEX: {
    struct vfio_region_info_cap_sparse_mmap *cap;
    ri->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
                VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS;
    ri->size = BAR0_SIZE;
    ri->offset = 0;
    if (have < sizeof(*ri) + caps) {
      ri->argsz = (uint32_t)sizeof(*ri) + caps; /* ask again, with room */
      return 0;
    }
    ri->cap_offset = sizeof(*ri);
    cap = (struct vfio_region_info_cap_sparse_mmap *)(ri + 1);
    memset(cap, 0, caps);
    cap->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
    cap->header.version = 1;
    cap->nr_areas = 1;
    cap->areas[0].offset = 0;
    cap->areas[0].size = BAR0_SIZE;
    return 0;
  }
  case VFIO_PCI_BAR2_REGION_INDEX:
    ri->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
    ri->size = BAR2_SIZE;
    ri->offset = BAR2_OFFSET;
    return 0;
  case VFIO_PCI_CONFIG_REGION_INDEX:
    ri->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
    ri->size = 256;
    ri->offset = CONFIG_OFFSET;
    return 0;
  default:
    return 0; /* no such BAR: size 0 */
  }
}

static int set_irqs(const struct vfio_irq_set *set) {
  if ((set->flags & VFIO_IRQ_SET_DATA_EVENTFD) && (set->flags & VFIO_IRQ_SET_ACTION_TRIGGER) &&
      set->count == 1) {
    int efd;
    const uint64_t one = 1;
    memcpy(&efd, set->data, sizeof(efd));
    if (efd >= 0 && fault_real_write(efd, &one, sizeof(one)) != (long)sizeof(one)) return -1;
  }
  return 0;
}

int fault_vfio_ioctl(int fd, unsigned long request, void *arg, int *ret) {
  char link[64], path[PATH_MAX + 16]; /* dev_vfio and "device" */
  long n;
  if (dev_vfio[0] == '\0') return 0;
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  n = fault_real_readlink(link, path, sizeof(path) - 1);
  if (n <= 0) return 0;
  path[n] = '\0';
  if (strncmp(path, dev_vfio, strlen(dev_vfio)) != 0) return 0;
  *ret = 0;
  switch (request) {
  case VFIO_GET_API_VERSION:
    *ret = VFIO_API_VERSION;
    break;
  case VFIO_CHECK_EXTENSION:
    *ret = 1;
    break;
  case VFIO_SET_IOMMU:
  case VFIO_GROUP_SET_CONTAINER:
    break;
  case VFIO_GROUP_GET_STATUS:
    ((struct vfio_group_status *)arg)->flags = VFIO_GROUP_FLAGS_VIABLE;
    break;
  case VFIO_GROUP_GET_DEVICE_FD:
    snprintf(path, sizeof(path), "%sdevice", dev_vfio);
    *ret = fault_real_open(path, O_RDWR | O_CLOEXEC, 0);
    break;
  case VFIO_DEVICE_GET_REGION_INFO:
    *ret = region_info(arg);
    break;
  case VFIO_DEVICE_GET_IRQ_INFO: {
    struct vfio_irq_info *info = arg;
    info->flags = VFIO_IRQ_INFO_EVENTFD;
    info->count = info->index == VFIO_PCI_INTX_IRQ_INDEX || info->index == VFIO_PCI_MSI_IRQ_INDEX;
    break;
  }
  case VFIO_DEVICE_SET_IRQS:
    *ret = set_irqs(arg);
    break;
  default:
    errno = ENOTTY;
    *ret = -1;
  }
  return 1;
}
