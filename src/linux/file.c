/*
 * Any mmap-able file by path, and the device handle for file: specs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux_internal.h"

int mmio_file_map(mmio_region *out, const char *path, uint64_t offset, size_t size,
                  enum mmio_cache_policy policy, unsigned flags) {
  struct stat st;
  int fd, err = 0;
  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  /* Everything that can be judged without the file is judged first: a
   * refused call opens nothing. */
  if (path == NULL || path[0] == '\0' || !mmio__map_args_ok(policy, flags, 0)) return -EINVAL;
  if (size > PTRDIFF_MAX || offset > UINT64_MAX - size) return MMIO_ERR_OUT_OF_RANGE;
  fd = mmio__open_for_map(path, flags, 0);
  if (fd < 0) return fd;
  if (size == 0) {
    if (fstat(fd, &st) != 0)
      err = -errno;
    else if (!S_ISREG(st.st_mode))
      err = -EINVAL; /* devices have no size: give +LEN */
    else
      err = mmio__size_to_end((uint64_t)st.st_size, offset, &size);
  }
  if (err == 0) err = mmio_map(out, fd, offset, size, policy, flags);
  close(fd);
  return err;
}

/* The device handle: one region, the file. */
static int mmio__file_dev_map(mmio_device *d, mmio_region *out, unsigned index, uint64_t offset,
                              size_t size, enum mmio_cache_policy policy, unsigned flags) {
  if (index != 0) return -ENXIO;
  return mmio_file_map(out, d->info.name, offset, size, policy, flags);
}

static int mmio__file_dev_region_info(const mmio_device *d, unsigned index,
                                      struct mmio_region_info *out) {
  struct stat st;
  if (index != 0) return -ENXIO;
  if (stat(d->info.name, &st) != 0) return -errno;
  out->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
  out->flags = MMIO_REGION_MEM | MMIO_REGION_MMAP;
  out->policy = S_ISREG(st.st_mode) ? MMIO_CACHE_CACHED : MMIO_CACHE_DEFAULT;
  return 0;
}

static const struct mmio__device_ops mmio__file_device_ops = {
    .map = mmio__file_dev_map,
    .region_info = mmio__file_dev_region_info,
};

int mmio__file_device_open(mmio_device **out, const char *path) {
  mmio_device *d;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (path == NULL || path[0] == '\0') return -EINVAL;
  /* The device describes itself by its path (mmio_device_info). */
  if (strlen(path) >= sizeof(((struct mmio_device_info *)0)->name)) return -ENAMETOOLONG;
  d = mmio__device_new(sizeof(*d), &mmio__file_device_ops, &mmio__env_system, MMIO_SOURCE_FILE,
                       path);
  if (d == NULL) return -ENOMEM;
  d->info.regions = 1;
  *out = d;
  return 0;
}

void mmio__file_explain(struct mmio__text *t, const char *what, int err) {
  struct stat st;
  const int known = stat(what, &st) == 0;
  if (err == -ENOENT) {
    mmio__say(t, " %s does not exist.", what);
  } else if (err == -EACCES || err == -EPERM) {
    mmio__say(t, " Check the permissions of %s, or open it read-only.", what);
  } else if (err == -ENAMETOOLONG) {
    mmio__say(t, " Paths are limited to %zu bytes here: use a shorter path or a symbolic link.",
              sizeof(((struct mmio_device_info *)0)->name) - 1);
  } else if (known && S_ISDIR(st.st_mode)) {
    mmio__say(t, " %s is a directory: name a file.", what);
  } else if (err == -EINVAL && known && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
    mmio__say(t, " A device node has no size: give the window's length (+LEN).");
  } else if (err == -ENODEV && known && !S_ISREG(st.st_mode)) {
    mmio__say(t, " %s cannot be mapped (a pipe, a socket, or a device without mmap).", what);
  }
}
