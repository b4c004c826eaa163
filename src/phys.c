/*
 * Physical memory through /dev/mem.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "internal.h"
#include "mmio/phys.h"

int mmio_phys_map(mmio_region *out, uint64_t addr, size_t size,
                  enum mmio_cache_policy policy, unsigned flags) {
  struct mmio__object obj = {0, 0, MMIO_CACHE_UNCACHED_DEVICE};
  int fd, err;
  if (out == NULL) return -EINVAL;
  mmio__region_init(out, 0, 0, NULL, NULL, NULL);
  if (size == 0 || !mmio__map_args_ok(policy, flags, 0))
    return -EINVAL;
  if (addr > UINT64_MAX - size) return MMIO_ERR_OUT_OF_RANGE;
  /* O_SYNC is what makes the kernel map any range uncached. */
  if (!mmio__policy_allowed(obj.policy, policy)) return MMIO_ERR_CACHE_POLICY;
  fd = open("/dev/mem", ((flags & MMIO_MAP_READ_ONLY) ? O_RDONLY : O_RDWR) | O_SYNC | O_CLOEXEC);
  if (fd < 0) return -errno;
  err = mmio__map_object(out, fd, addr, size, policy, flags, &obj, NULL, NULL);
  close(fd);
  return err;
}
