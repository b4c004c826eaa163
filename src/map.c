/*
 * Mapping memory objects into regions, and anonymous memory objects.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "internal.h"

/* From linux/magic.h, spelled out to avoid depending on kernel headers. */
#define MMIO__SYSFS_MAGIC 0x62656572

struct mmio__mapping {
  void *addr;
  size_t len;
  void (*then)(void *ctx); /* run after the unmap, when not NULL */
  void *then_ctx;
};

size_t mmio__page_size(void) {
  static atomic_size_t cached;
  size_t ps = atomic_load_explicit(&cached, memory_order_relaxed);
  if (ps == 0) {
    long v = sysconf(_SC_PAGESIZE);
    ps = v > 0 ? (size_t)v : 4096;
    atomic_store_explicit(&cached, ps, memory_order_relaxed);
  }
  return ps;
}

const char *mmio_cache_policy_name(enum mmio_cache_policy policy) {
  switch (policy) {
  case MMIO_CACHE_DEFAULT:
    return "default";
  case MMIO_CACHE_CACHED:
    return "cached";
  case MMIO_CACHE_UNCACHED:
    return "uncached";
  case MMIO_CACHE_UNCACHED_DEVICE:
    return "uncached-device";
  case MMIO_CACHE_WRITE_COMBINING:
    return "write-combining";
  }
  return "invalid";
}

/* Matches "resource<digits>" (wc = 0) or "resource<digits>_wc" (wc = 1). */
static int mmio__is_bar_resource_name(const char *name, int *wc) {
  const char *p = name;
  if (strncmp(p, "resource", 8) != 0) return 0;
  p += 8;
  if (*p < '0' || *p > '9') return 0;
  while (*p >= '0' && *p <= '9') p++;
  *wc = strcmp(p, "_wc") == 0;
  return *p == '\0' || *wc;
}

/*
 * The memory type Linux gives a sysfs file when mapped: the PCI core maps
 * resourceN uncached and resourceN_wc write-combining. Anything else on sysfs
 * is left to its driver. The name comes from /proc/self/fd; without /proc
 * the type is unknown and only MMIO_CACHE_DEFAULT is accepted.
 */
static enum mmio_cache_policy mmio__sysfs_policy(int fd) {
  char link[64];
  char path[PATH_MAX];
  const char *base;
  ssize_t n;
  int wc = 0;
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  n = readlink(link, path, sizeof(path) - 1);
  if (n <= 0) return MMIO_CACHE_DEFAULT;
  path[n] = '\0';
  base = strrchr(path, '/');
  base = base != NULL ? base + 1 : path;
  if (!mmio__is_bar_resource_name(base, &wc)) return MMIO_CACHE_DEFAULT;
  return wc ? MMIO_CACHE_WRITE_COMBINING : MMIO_CACHE_UNCACHED_DEVICE;
}

int mmio__object_probe(int fd, int want_policy, struct mmio__object *obj) {
  struct stat st;
  struct statfs sfs;
  obj->has_size = 0;
  obj->size = 0;
  obj->policy = MMIO_CACHE_DEFAULT;
  if (fstat(fd, &st) != 0) return -errno;
  if (S_ISREG(st.st_mode)) {
    obj->has_size = 1;
    obj->size = st.st_size > 0 ? (uint64_t)st.st_size : 0;
    /* Telling sysfs from other file systems costs a system call; a
     * request for the default policy does not need the answer, and every
     * system call counts when mapping is on a hot path. */
    if (want_policy)
      obj->policy = (fstatfs(fd, &sfs) == 0 && sfs.f_type == MMIO__SYSFS_MAGIC)
                        ? mmio__sysfs_policy(fd)
                        : MMIO_CACHE_CACHED;
  } else if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
             minor(st.st_rdev) == 1) {
    /* /dev/mem: with O_SYNC the kernel maps every range uncached;
     * without it the type depends on the address (RAM is cached). */
    int fl = fcntl(fd, F_GETFL);
    if (fl != -1 && (fl & O_SYNC) == O_SYNC)
      obj->policy = MMIO_CACHE_UNCACHED_DEVICE;
  }
  return 0;
}

int mmio__map_args_ok(enum mmio_cache_policy policy, unsigned flags, unsigned extra) {
  return (flags & ~(MMIO_MAP_READ_ONLY | extra)) == 0 && policy >= MMIO_CACHE_DEFAULT &&
         policy <= MMIO_CACHE_WRITE_COMBINING;
}

int mmio__policy_allowed(enum mmio_cache_policy have,
                         enum mmio_cache_policy want) {
  if (want == MMIO_CACHE_DEFAULT || want == have) return 1;
  /* Linux has no uncached normal type for user mappings; device memory is
   * the stricter of the two, so it satisfies the request. */
  return want == MMIO_CACHE_UNCACHED && have == MMIO_CACHE_UNCACHED_DEVICE;
}

static void mmio__unmap(void *ctx) {
  struct mmio__mapping *m = ctx;
  munmap(m->addr, m->len);
  if (m->then != NULL) m->then(m->then_ctx);
}

int mmio__map_object(mmio_region *out, int fd, uint64_t offset, size_t size,
                     enum mmio_cache_policy policy, unsigned flags,
                     const struct mmio__object *obj, void (*then)(void *),
                     void *then_ctx) {
  const size_t ps = mmio__page_size();
  struct mmio__claim *claim = NULL;
  struct mmio__mapping *m;
  size_t page_off;
  uint64_t map_off;
  size_t map_len;
  void *addr;
  int prot;

  if (out == NULL) return -EINVAL;
  mmio__region_init(out, 0, 0, NULL, NULL, NULL);
  if (!mmio__map_args_ok(policy, flags, 0) || size == 0) return -EINVAL;
  if (size > PTRDIFF_MAX || offset > UINT64_MAX - size)
    return MMIO_ERR_OUT_OF_RANGE;
  /* The caller's range, not the page-rounded one: a 256-byte BAR's
   * resource file is 256 bytes long and still maps as one page. */
  if (obj->has_size && offset + size > obj->size) return MMIO_ERR_OUT_OF_RANGE;
  if (!mmio__policy_allowed(obj->policy, policy)) return MMIO_ERR_CACHE_POLICY;

  page_off = (size_t)(offset % ps);
  map_off = offset - page_off;
  if (map_off > (uint64_t)INT64_MAX) return MMIO_ERR_OUT_OF_RANGE;
  /* size <= PTRDIFF_MAX and page_off < ps, so this cannot overflow. */
  map_len = (size + page_off + ps - 1) / ps * ps;

  claim = mmio__claim_new(mmio__unmap, NULL, sizeof(*m));
  if (claim == NULL) return -ENOMEM;
  m = (struct mmio__mapping *)(claim + 1);
  claim->ctx = m;

  prot = PROT_READ | ((flags & MMIO_MAP_READ_ONLY) ? 0 : PROT_WRITE);
  addr = mmap(NULL, map_len, prot, MAP_SHARED, fd, (off_t)map_off);
  if (addr == MAP_FAILED) {
    int err = -errno;
    free(claim);
    return err;
  }
  m->addr = addr;
  m->len = map_len;
  m->then = then;
  m->then_ctx = then_ctx;
  mmio__region_init(out, (uintptr_t)addr + page_off, size, NULL, NULL, claim);
  if (flags & MMIO_MAP_READ_ONLY) mmio_region_make_read_only(out);
  return 0;
}

int mmio_map(mmio_region *out, int fd, uint64_t offset, size_t size,
             enum mmio_cache_policy policy, unsigned flags) {
  struct mmio__object obj;
  int err;
  if (out == NULL) return -EINVAL;
  mmio__region_init(out, 0, 0, NULL, NULL, NULL);
  err = mmio__object_probe(fd, policy != MMIO_CACHE_DEFAULT, &obj);
  if (err != 0) return err;
  return mmio__map_object(out, fd, offset, size, policy, flags, &obj, NULL, NULL);
}

int mmio_vmo_create(size_t size) {
  const size_t ps = mmio__page_size();
  size_t rounded;
  int fd;
  int err = 0;
  if (size > SIZE_MAX - (ps - 1)) return MMIO_ERR_OUT_OF_RANGE;
  rounded = (size + ps - 1) / ps * ps;
  if ((uint64_t)rounded > (uint64_t)INT64_MAX) return MMIO_ERR_OUT_OF_RANGE;
  fd = memfd_create("mmio-vmo", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return -errno;
  if (ftruncate(fd, (off_t)rounded) != 0 ||
      fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) != 0)
    err = -errno;
  if (err != 0) {
    close(fd);
    return err;
  }
  return fd;
}
