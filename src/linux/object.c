/*
 * What a memory object gives when mapped: its size and its memory type,
 * told from the descriptor. The sources that know an object (PCI resource
 * files, /dev/mem) say so through their object kinds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "linux_internal.h"

/* The kinds asked in turn; the first that recognises the object decides. */
static const struct mmio__object_kind *const mmio__object_kinds[] = {
    &mmio__pci_resource_kind,
    &mmio__devmem_kind,
};

int mmio__object_probe(int fd, int want_policy, struct mmio__object *obj) {
  struct stat st;
  struct statfs sfs;
  size_t i;
  obj->has_size = 0;
  obj->size = 0;
  obj->policy = MMIO_CACHE_DEFAULT;
  if (fstat(fd, &st) != 0) return -errno;
  if (S_ISREG(st.st_mode)) {
    obj->has_size = 1;
    obj->size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
  }
  /* Telling the kind costs system calls that a request for the default
   * policy does not need, and mapping can be on a hot path. */
  if (!want_policy) return 0;
  /* A failure here must not be guessed around: taking an unknown object
   * for cached memory could grant a cached mapping of a device. */
  if (fstatfs(fd, &sfs) != 0) return -errno;
  for (i = 0; i < sizeof(mmio__object_kinds) / sizeof(mmio__object_kinds[0]); i++)
    if (mmio__object_kinds[i]->probe(fd, &st, (long)sfs.f_type, obj)) return 0;
  /* Regular files on ordinary file systems (memfd, shm, disk files) are
   * page-cache memory; anything else, sysfs included, is up to its driver. */
  if (S_ISREG(st.st_mode) && sfs.f_type != MMIO__SYSFS_MAGIC) obj->policy = MMIO_CACHE_CACHED;
  return 0;
}

int mmio__map_args_ok(enum mmio_cache_policy policy, unsigned flags, unsigned extra) {
  return (flags & ~(MMIO_MAP_READ_ONLY | extra)) == 0 && policy >= MMIO_CACHE_DEFAULT &&
         policy <= MMIO_CACHE_WRITE_COMBINING;
}

int mmio__policy_allowed(enum mmio_cache_policy have, enum mmio_cache_policy want) {
  if (want == MMIO_CACHE_DEFAULT || want == have) return 1;
  /* Linux has no uncached normal type for user mappings; device memory is
   * the stricter of the two, so it satisfies the request. */
  return want == MMIO_CACHE_UNCACHED && have == MMIO_CACHE_UNCACHED_DEVICE;
}

int mmio__open_for_map(const char *path, unsigned flags, int extra_oflags) {
  int fd =
      open(path, ((flags & MMIO_MAP_READ_ONLY) ? O_RDONLY : O_RDWR) | O_CLOEXEC | extra_oflags);
  return fd >= 0 ? fd : -errno;
}
