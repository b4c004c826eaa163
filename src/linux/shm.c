/*
 * Named POSIX shared memory: created at a size on request, mapped with
 * mmio_map()'s rules, and a device handle for shm: specs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux_internal.h"

int mmio__shm_name_ok(const char *name, size_t n) {
  size_t i;
  if (n == 0 || n > 255 || (n == 1 && name[0] == '.') ||
      (n == 2 && name[0] == '.' && name[1] == '.'))
    return 0;
  for (i = 0; i < n; i++) {
    char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-'))
      return 0;
  }
  return 1;
}

int mmio__shm_map(mmio_region *out, const char *name, size_t create_size, uint64_t offset,
                  size_t size, enum mmio_cache_policy policy, unsigned flags) {
  char path[300];
  struct stat st;
  const int ro = (flags & MMIO_MAP_READ_ONLY) != 0;
  int fd = -1, err = 0, created = 0;
  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (name == NULL || !mmio__shm_name_ok(name, strlen(name)) ||
      !mmio__map_args_ok(policy, flags, 0))
    return -EINVAL;
  if (create_size > PTRDIFF_MAX || size > PTRDIFF_MAX) return MMIO_ERR_OUT_OF_RANGE;
  /* Shared memory is page-cache memory: refuse other types before any
   * object is opened, let alone created. */
  if (!mmio__policy_allowed(MMIO_CACHE_CACHED, policy)) return MMIO_ERR_CACHE_POLICY;
  snprintf(path, sizeof(path), "/%s", name);
  if (create_size > 0 && !ro) {
    fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
      created = 1;
    else if (errno != EEXIST)
      return -errno;
  }
  if (fd < 0) fd = shm_open(path, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC, 0);
  if (fd < 0) return -errno;
  if (created && ftruncate(fd, (off_t)create_size) != 0) err = -errno;
  if (err == 0 && fstat(fd, &st) != 0) err = -errno;
  if (err == 0 && (uint64_t)st.st_size < create_size) err = MMIO_ERR_OUT_OF_RANGE;
  if (err == 0 && size == 0) err = mmio__size_to_end((uint64_t)st.st_size, offset, &size);
  if (err == 0) err = mmio_map(out, fd, offset, size, policy, flags);
  /* A failed attempt leaves no object it created behind. */
  if (err != 0 && created) shm_unlink(path);
  close(fd);
  return err;
}

int mmio_shm_map(mmio_region *out, const char *name, size_t size, unsigned flags) {
  return mmio__shm_map(out, name, size, 0, size, MMIO_CACHE_DEFAULT, flags);
}

/* The device handle: one region, the object; it is created at map time
 * (with the size the spec gave) so that opening changes nothing. */
struct mmio__shm_device {
  mmio_device base;
  size_t create_size;
};

static int mmio__shm_dev_map(mmio_device *d, mmio_region *out, unsigned index, uint64_t offset,
                             size_t size, enum mmio_cache_policy policy, unsigned flags) {
  const struct mmio__shm_device *s = (const struct mmio__shm_device *)d;
  if (index != 0) return -ENXIO;
  return mmio__shm_map(out, d->info.name, s->create_size, offset, size, policy, flags);
}

static int mmio__shm_dev_region_info(const mmio_device *d, unsigned index,
                                     struct mmio_region_info *out) {
  char path[300];
  struct stat st;
  if (index != 0) return -ENXIO;
  snprintf(path, sizeof(path), "/dev/shm/%s", d->info.name);
  out->size = stat(path, &st) == 0 ? (uint64_t)st.st_size
                                   : ((const struct mmio__shm_device *)d)->create_size;
  out->flags = MMIO_REGION_MEM | MMIO_REGION_MMAP;
  out->policy = MMIO_CACHE_CACHED;
  return 0;
}

static const struct mmio__device_ops mmio__shm_device_ops = {
    .map = mmio__shm_dev_map,
    .region_info = mmio__shm_dev_region_info,
};

int mmio__shm_device_open(mmio_device **out, const char *name, size_t size) {
  struct mmio__shm_device *s;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (name == NULL || !mmio__shm_name_ok(name, strlen(name))) return -EINVAL;
  s = (struct mmio__shm_device *)mmio__device_new(sizeof(*s), &mmio__shm_device_ops,
                                                  &mmio__env_system, MMIO_SOURCE_SHM, name);
  if (s == NULL) return -ENOMEM;
  s->create_size = size;
  s->base.info.regions = 1;
  *out = &s->base;
  return 0;
}
