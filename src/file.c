/*
 * Named POSIX shared memory and plain files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "mmio/file.h"

int mmio_shm_map(mmio_region *out, const char *name, size_t size, unsigned flags) {
  char path[300];
  struct stat st;
  const int ro = (flags & MMIO_MAP_READ_ONLY) != 0;
  int fd = -1, err = 0, created = 0;
  if (out == NULL) return -EINVAL;
  mmio__region_init(out, 0, 0, NULL, NULL, NULL);
  if (name == NULL || name[0] == '\0' || strchr(name, '/') != NULL || strlen(name) > 255 ||
      (flags & ~MMIO_MAP_READ_ONLY) != 0 || size > PTRDIFF_MAX)
    return -EINVAL;
  snprintf(path, sizeof(path), "/%s", name);
  if (size > 0 && !ro) {
    fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) created = 1;
    else if (errno != EEXIST) return -errno;
  }
  if (fd < 0) fd = shm_open(path, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC, 0);
  if (fd < 0) return -errno;
  if (created && ftruncate(fd, (off_t)size) != 0) err = -errno;
  if (err == 0 && fstat(fd, &st) != 0) err = -errno;
  if (err == 0 && size == 0) size = (size_t)st.st_size;
  if (err == 0 && (size == 0 || (uint64_t)st.st_size < size)) err = MMIO_ERR_OUT_OF_RANGE;
  if (err == 0) err = mmio_map(out, fd, 0, size, MMIO_CACHE_DEFAULT, flags);
  /* A failed attempt leaves no object it created behind. */
  if (err != 0 && created) shm_unlink(path);
  close(fd);
  return err;
}

int mmio_file_map(mmio_region *out, const char *path, uint64_t offset, size_t size,
                  enum mmio_cache_policy policy, unsigned flags) {
  struct stat st;
  int fd, err = 0;
  if (out == NULL) return -EINVAL;
  mmio__region_init(out, 0, 0, NULL, NULL, NULL);
  if (path == NULL || (flags & ~MMIO_MAP_READ_ONLY) != 0) return -EINVAL;
  fd = open(path, ((flags & MMIO_MAP_READ_ONLY) ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return -errno;
  if (size == 0) {
    if (fstat(fd, &st) != 0) err = -errno;
    else if (!S_ISREG(st.st_mode)) err = -EINVAL; /* devices have no size: give +LEN */
    else if ((uint64_t)st.st_size <= offset) err = MMIO_ERR_OUT_OF_RANGE;
    else size = (size_t)((uint64_t)st.st_size - offset);
  }
  if (err == 0) err = mmio_map(out, fd, offset, size, policy, flags);
  close(fd);
  return err;
}
