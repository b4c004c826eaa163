/*
 * Library-internal declarations. Nothing here is exported.
 */
#ifndef MMIO_INTERNAL_H
#define MMIO_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>

#include "mmio/mmio.h"
#include "mmio/testing.h"

/*
 * The shared part of a backing: every region split from one original holds
 * a reference. release(ctx) runs when the count drops to zero, and then the
 * claim itself is freed.
 */
struct mmio__claim {
  atomic_size_t refs;
  void (*release)(void *ctx);
  void *ctx;
};

/*
 * Makes *out a region over [addr, addr + len) of a backing. claim may be
 * NULL (borrowed memory); otherwise it carries one reference, which the new
 * region takes over. Does not validate: callers have.
 */
void mmio__region_init(mmio_region *out, uintptr_t addr, size_t len,
                       const struct mmio_ops *ops, void *ctx,
                       struct mmio__claim *claim);

/*
 * Returns a new claim with one reference, or NULL when out of memory.
 * extra bytes are allocated after the claim for the caller's use: the
 * caller may point ctx at them, and they are freed with the claim.
 */
struct mmio__claim *mmio__claim_new(void (*release)(void *ctx), void *ctx,
                                    size_t extra);

/*
 * What a memory object is, as far as mapping it goes: its size when it has
 * one (files, memfd, sysfs resource files) and the memory type the kernel
 * gives its mappings (MMIO_CACHE_DEFAULT when that is up to its driver).
 * The device sources fill this from what they know of their object.
 */
struct mmio__object {
  int has_size;
  uint64_t size;
  enum mmio_cache_policy policy;
};

/*
 * Fills *obj from fstat of fd and, when want_policy is nonzero, from the
 * file system the object lives on (only then is obj->policy exact for
 * regular files). Returns 0 or -errno.
 */
int mmio__object_probe(int fd, int want_policy, struct mmio__object *obj);

/*
 * Returns 1 when policy is a valid enum mmio_cache_policy and flags holds
 * only MMIO_MAP_READ_ONLY and the bits in extra (a source's own flags).
 * Every mapping entry point checks this before it opens anything.
 */
int mmio__map_args_ok(enum mmio_cache_policy policy, unsigned flags, unsigned extra);

/* Returns 1 when an object giving have may serve a request for want. */
int mmio__policy_allowed(enum mmio_cache_policy have,
                         enum mmio_cache_policy want);

/*
 * mmio_map() with the object's description supplied by the caller. When
 * then is not NULL, then(then_ctx) runs after the unmap, when the last
 * region goes (not on failure: the caller cleans up then).
 */
int mmio__map_object(mmio_region *out, int fd, uint64_t offset, size_t size,
                     enum mmio_cache_policy policy, unsigned flags,
                     const struct mmio__object *obj, void (*then)(void *),
                     void *then_ctx);

/*
 * Formats a failure message and hands it to fn (mmio_fail_abort when fn is
 * NULL). Returns MMIO_ERR_REJECTED, for the failing access to return.
 */
int mmio__report(mmio_fail_fn fn, void *arg, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* "8-bit", "16-bit", "32-bit" or "64-bit" for a width in bytes. */
const char *mmio__width_name(unsigned width);

/* The code whose mmio_err_name() is name. Returns 0 or -EINVAL. */
int mmio__err_from_name(const char *name, int *err);

/* The system page size, read once. */
size_t mmio__page_size(void);


/*
 * Backends written once for every width. fn(ctx, off, width, store, value)
 * performs one access: a load stores its result in *value, a store takes
 * *value. MMIO__DEFINE_OPS(name, fn, release) defines `static const struct
 * mmio_ops name` whose eight functions call fn.
 */
#define MMIO__OPS_WIDTH(name, fn, bits)                                      \
  static int name##_load##bits(void *ctx, size_t off, uint##bits##_t *out) { \
    uint64_t v = 0;                                                          \
    int err = fn(ctx, off, bits / 8, 0, &v);                                 \
    if (err == 0) *out = (uint##bits##_t)v;                                  \
    return err;                                                              \
  }                                                                          \
  static int name##_store##bits(void *ctx, size_t off, uint##bits##_t v) {   \
    uint64_t w = v;                                                          \
    return fn(ctx, off, bits / 8, 1, &w);                                    \
  }
#define MMIO__DEFINE_OPS(name, fn, release)                                  \
  MMIO__OPS_WIDTH(name, fn, 8)                                               \
  MMIO__OPS_WIDTH(name, fn, 16)                                              \
  MMIO__OPS_WIDTH(name, fn, 32)                                              \
  MMIO__OPS_WIDTH(name, fn, 64)                                              \
  static const struct mmio_ops name = {                                      \
      name##_load8,  name##_load16,  name##_load32,  name##_load64,          \
      name##_store8, name##_store16, name##_store32, name##_store64,         \
      release}

/*
 * One checked access of width bytes through region r, load or store, as
 * the mmio_try_ accessor of that width would make it. For backends that
 * forward to an inner region.
 */
int mmio__region_access(mmio_region *r, size_t off, unsigned width, int store,
                        uint64_t *value);

/*
 * Reference counts of objects that regions keep alive (fakes, mocks,
 * checkers, VFIO devices). mmio__ref_region takes a reference for a new
 * region over ops/ctx, and gives it back if the region cannot be made.
 * mmio__unref drops one and returns 1 when it was the last.
 */
int mmio__ref_region(mmio_region *out, atomic_size_t *refs,
                     const struct mmio_ops *ops, void *ctx, size_t len);
int mmio__unref(atomic_size_t *refs);

/* sysfs.c: reading sysfs, relative to a root (normally "/sys"). */
#define MMIO__SYSFS "/sys"

/* Reads a small text file, trailing newline removed. 0 or -errno. */
int mmio__read_text(const char *path, char *buf, size_t cap);
/* Reads a number (decimal or 0x hex) from a file. 0, -errno or -EINVAL. */
int mmio__read_u64(const char *path, uint64_t *out);
/* The last path component of a symbolic link's target. 0 or -errno. */
int mmio__link_name(const char *path, char *name, size_t cap);

/* PCI flags in sysfs "resource" lines (IORESOURCE_*). */
#define MMIO__IORESOURCE_IO 0x100u
#define MMIO__IORESOURCE_MEM 0x200u
#define MMIO__PCI_COMMAND_MEMORY 0x2u

struct mmio__pci_bar {
  uint64_t start;
  uint64_t size; /* 0: not implemented */
  uint64_t flags;
};

/* Canonical "DDDD:BB:DD.F" of the n characters at s. 0 or -EINVAL. */
int mmio__pci_canonical(const char *s, size_t n, char out[13]);
/* 0 when the device exists, else -errno (-ENOENT). */
int mmio__pci_exists(const char *sys, const char *bdf);
/* The bound driver's name, "" when none. 0 or -errno. */
int mmio__pci_driver(const char *sys, const char *bdf, char *drv, size_t cap);
/* BAR bar's line of the device's "resource" file. */
int mmio__pci_bar(const char *sys, const char *bdf, unsigned bar,
                  struct mmio__pci_bar *out);
/* The PCI command register, from config space. */
int mmio__pci_command(const char *sys, const char *bdf, uint16_t *cmd);

/* The sources with their sysfs root (and /dev directory) as parameters. */
struct mmio_vfio;
int mmio__pci_map_at(const char *sys, mmio_region *out, const char *bdf, unsigned bar,
                     uint64_t offset, size_t size, enum mmio_cache_policy policy,
                     unsigned flags);
int mmio__uio_map_at(const char *sys, const char *dev, mmio_region *out, const char *uio,
                     unsigned map, uint64_t offset, size_t size,
                     enum mmio_cache_policy policy, unsigned flags);
int mmio__vfio_open_at(const char *sys, struct mmio_vfio **out, const char *bdf);
/* Whether a VFIO region (struct vfio_region_info with its capability chain)
 * may be mmapped over [off, off + size), page-rounded. */
struct vfio_region_info;
int mmio__vfio_can_mmap(const struct vfio_region_info *ri, uint64_t off, size_t size);
int mmio__explain_at(const char *sys, char *buf, size_t cap, const char *spec, int err);

#endif /* MMIO_INTERNAL_H */
