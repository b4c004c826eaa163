/*
 * Mapping memory objects into regions: page rounding, the range and policy
 * checks, and the unmap when the last region goes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux_internal.h"

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
  static const char *const names[] = {
      [MMIO_CACHE_DEFAULT] = "default",
      [MMIO_CACHE_CACHED] = "cached",
      [MMIO_CACHE_UNCACHED] = "uncached",
      [MMIO_CACHE_UNCACHED_DEVICE] = "uncached-device",
      [MMIO_CACHE_WRITE_COMBINING] = "write-combining",
  };
  if ((unsigned)policy >= sizeof(names) / sizeof(names[0])) return "invalid";
  return names[policy];
}

/*
 * The last region's release. munmap of a whole mapping that we made fails
 * only when our record of it (address, length) is wrong: memory
 * corruption, or someone else unmapped or remapped the range. Releasing
 * cannot return an error, and carrying on would leak the mapping silently
 * or act on a corrupt record, so this is treated like any other broken
 * invariant of the library: one line on stderr, then abort().
 */
static void mmio__unmap(void *ctx) {
  struct mmio__mapping *m = ctx;
  if (munmap(m->addr, m->len) != 0) {
    int err = -errno;
    fprintf(stderr, "mmio: munmap(%p, 0x%zx) of a released region failed: %s (%s)\n", m->addr,
            m->len, mmio_strerror(err), mmio_err_name(err));
    fflush(stderr);
    abort();
  }
  if (m->then != NULL) m->then(m->then_ctx);
}

int mmio__map_object(mmio_region *out, int fd, uint64_t offset, size_t size,
                     enum mmio_cache_policy policy, unsigned flags, const struct mmio__object *obj,
                     void (*then)(void *), void *then_ctx) {
  const size_t ps = mmio__page_size();
  struct mmio__claim *claim = NULL;
  struct mmio__mapping *m;
  size_t page_off;
  uint64_t map_off;
  off_t file_off;
  size_t map_len;
  void *addr;
  int prot;

  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (!mmio__map_args_ok(policy, flags, 0) || size == 0) return -EINVAL;
  if (size > PTRDIFF_MAX || offset > UINT64_MAX - size) return MMIO_ERR_OUT_OF_RANGE;
  /* The caller's range, not the page-rounded one: a 256-byte BAR's
   * resource file is 256 bytes long and still maps as one page. */
  if (obj->has_size && offset + size > obj->size) return MMIO_ERR_OUT_OF_RANGE;
  if (!mmio__policy_allowed(obj->policy, policy)) return MMIO_ERR_CACHE_POLICY;

  page_off = (size_t)(offset % ps);
  map_off = offset - page_off;
  /* An offset the platform's off_t cannot express is refused, never
   * truncated into another part of the object. */
  if (mmio__file_offset(map_off, &file_off) != 0) return MMIO_ERR_OUT_OF_RANGE;
  /* size <= PTRDIFF_MAX and page_off < ps, so this cannot overflow. */
  map_len = (size + page_off + ps - 1) / ps * ps;

  claim = mmio__claim_new(mmio__unmap, NULL, sizeof(*m));
  if (claim == NULL) return -ENOMEM;
  m = (struct mmio__mapping *)(claim + 1);
  claim->ctx = m;

  prot = PROT_READ | ((flags & MMIO_MAP_READ_ONLY) ? 0 : PROT_WRITE);
  addr = mmap(NULL, map_len, prot, MAP_SHARED, fd, file_off);
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

int mmio_map(mmio_region *out, int fd, uint64_t offset, size_t size, enum mmio_cache_policy policy,
             unsigned flags) {
  struct mmio__object obj;
  int err;
  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  /* What needs no descriptor is judged before the descriptor is looked
   * at, so that a bad argument is -EINVAL whatever fd is (the same checks
   * run again in mmio__map_object, for the sources that call it). */
  if (!mmio__map_args_ok(policy, flags, 0) || size == 0) return -EINVAL;
  if (size > PTRDIFF_MAX || offset > UINT64_MAX - size) return MMIO_ERR_OUT_OF_RANGE;
  err = mmio__object_probe(fd, policy != MMIO_CACHE_DEFAULT, &obj);
  if (err != 0) return err;
  return mmio__map_object(out, fd, offset, size, policy, flags, &obj, NULL, NULL);
}
