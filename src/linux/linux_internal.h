/*
 * The Linux layer's internal interface: memory objects and mapping, sysfs,
 * and each source (PCI through sysfs, /dev/mem, shm and files, UIO, VFIO)
 * with its device handle and its advice on failure. Nothing here is
 * exported from the shared library.
 */
#ifndef MMIO_LINUX_INTERNAL_H
#define MMIO_LINUX_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "core_internal.h"
#include "mmio/device.h"
#include "mmio/file.h"
#include "mmio/map.h"
#include "mmio/pci.h"
#include "mmio/phys.h"
#include "mmio/uio.h"
#include "mmio/vfio.h"

#if defined(__GNUC__) || defined(__clang__)
#define MMIO__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MMIO__PRINTF(f, a)
#endif

/*
 * Where the kernel's file systems are. Every function that reads sysfs or
 * opens a device node takes one, so that the host tests can point them at
 * trees of their own; the public entry points pass mmio__env_system.
 */
struct mmio__env {
  const char *sys; /* "/sys" */
  const char *dev; /* "/dev" */
};
extern const struct mmio__env mmio__env_system;

/* The system page size, read once. */
size_t mmio__page_size(void);

/*
 * File offsets are 64-bit on every platform the library is built for:
 * CMake sets _FILE_OFFSET_BITS=64, without which a 32-bit target (armhf,
 * i386) would truncate the offsets of mmap, pread and pwrite and map the
 * wrong memory. This stops a build that lost the definition.
 */
_Static_assert(sizeof(off_t) == 8, "mmio is built with _FILE_OFFSET_BITS=64");

/*
 * The "size 0: to the end" of every source: *size becomes total - offset.
 * 0; MMIO_ERR_OUT_OF_RANGE when offset is not below total, or when the
 * rest is longer than a region can be (on 32-bit targets a large BAR or
 * file): never a silently shortened window.
 */
int mmio__size_to_end(uint64_t total, uint64_t offset, size_t *size);

/* off as an off_t for mmap, pread, pwrite or ftruncate: 0, or
 * MMIO_ERR_OUT_OF_RANGE when the platform's off_t cannot express it. */
int mmio__file_offset(uint64_t off, off_t *out);

/*
 * Makes *out a region over [base, base + size) of the file fd, whose every
 * access is one pread or pwrite of exactly the access width (VFIO regions
 * that cannot be mmapped). Alignment is judged on file offsets modulo a
 * page, as for a mapping of the same range. release(release_ctx), when
 * release is not NULL, runs when the last region goes (not on failure).
 * fd must stay open until then. Returns 0; MMIO_ERR_OUT_OF_RANGE when the
 * range does not fit off_t or size is too large; -ENOMEM.
 */
int mmio__pio_region(mmio_region *out, int fd, uint64_t base, size_t size, int read_only,
                     void (*release)(void *), void *release_ctx);

/* ---- memory objects and mapping (object.c, map.c) ---- */

/*
 * What a memory object is, as far as mapping it goes: its size when it has
 * one (files, memfd, sysfs resource files) and the memory type the kernel
 * gives its mappings (MMIO_CACHE_DEFAULT when that is up to its driver).
 */
struct mmio__object {
  int has_size;
  uint64_t size;
  enum mmio_cache_policy policy;
};

/* From linux/magic.h, spelled out to avoid depending on kernel headers. */
#define MMIO__SYSFS_MAGIC 0x62656572

/*
 * A kind of object that mmio_map() recognises from a descriptor alone.
 * Each lives with the source that knows it (a BAR's resource file in
 * pci.c, /dev/mem in phys.c); object.c asks them in turn.
 */
struct mmio__object_kind {
  /* Returns 1 and sets obj->policy when fd is this kind. st is its fstat,
   * fs_type its file system's f_type. */
  int (*probe)(int fd, const struct stat *st, long fs_type, struct mmio__object *obj);
};
extern const struct mmio__object_kind mmio__pci_resource_kind;
extern const struct mmio__object_kind mmio__devmem_kind;

/*
 * Fills *obj from fstat of fd and, when want_policy is nonzero, from the
 * file system the object lives on and the kinds above (only then is
 * obj->policy exact). Returns 0 or -errno.
 */
int mmio__object_probe(int fd, int want_policy, struct mmio__object *obj);

/*
 * Returns 1 when policy is a valid enum mmio_cache_policy and flags holds
 * only MMIO_MAP_READ_ONLY and the bits in extra (a source's own flags).
 * Every mapping entry point checks this before it opens anything.
 */
int mmio__map_args_ok(enum mmio_cache_policy policy, unsigned flags, unsigned extra);

/* Returns 1 when an object giving have may serve a request for want. */
int mmio__policy_allowed(enum mmio_cache_policy have, enum mmio_cache_policy want);

/*
 * mmio_map() with the object's description supplied by the caller. When
 * then is not NULL, then(then_ctx) runs after the unmap, when the last
 * region goes (not on failure: the caller cleans up then).
 */
int mmio__map_object(mmio_region *out, int fd, uint64_t offset, size_t size,
                     enum mmio_cache_policy policy, unsigned flags, const struct mmio__object *obj,
                     void (*then)(void *), void *then_ctx);

/* open(2) of path for a mapping: read-only or read-write by flags. */
int mmio__open_for_map(const char *path, unsigned flags, int extra_oflags);

/* ---- sysfs and small files (sysfs.c) ---- */

/* Reads a small text file, trailing newline and blanks removed. 0 or -errno. */
int mmio__read_text(const char *path, char *buf, size_t cap);
/* Reads a number (decimal or 0x hex) from a file. 0, -errno or -EINVAL. */
int mmio__read_u64(const char *path, uint64_t *out);
/* The last path component of a symbolic link's target. 0 or -errno. */
int mmio__link_name(const char *path, char *name, size_t cap);
/* snprintf into path; -ENAMETOOLONG when it does not fit. */
int mmio__path(char *path, size_t cap, const char *fmt, ...) MMIO__PRINTF(3, 4);

/* ---- waiting (wait.c) ---- */

/*
 * Waits until fd is readable or timeout_ms (-1: forever) passes; a signal
 * does not cut the wait short. Returns 1, 0 on timeout, or -errno.
 */
int mmio__wait_readable(int fd, int timeout_ms);

/* ---- advice for people (text.c) ---- */

/* A bounded text builder that keeps counting past the end, like snprintf. */
struct mmio__text {
  char *buf;
  size_t cap;
  size_t len;
};
void mmio__say(struct mmio__text *t, const char *fmt, ...) MMIO__PRINTF(2, 3);
/* The advice for -EPERM and -EACCES from a device node or sysfs file. */
void mmio__say_needs_root(struct mmio__text *t);

/* ---- PCI functions in sysfs (pci_sysfs.c) ---- */

/* The longest canonical address, "ffffffff:ff:1f.7", with its NUL. */
#define MMIO__PCI_ADDR_MAX 20

/* Flags of sysfs "resource" lines: the kernel's IORESOURCE_* (from
 * include/linux/ioport.h, which is not exported to user space). */
#define MMIO__IORESOURCE_IO 0x100u
#define MMIO__IORESOURCE_MEM 0x200u
#define MMIO__IORESOURCE_PREFETCH 0x2000u
#define MMIO__IORESOURCE_MEM_64 0x100000u

struct mmio__pci_bar {
  uint64_t start;
  uint64_t size; /* 0: not implemented */
  uint64_t flags;
};

/* Canonical "DDDD:BB:DD.F" of the n characters at s (see the grammar in
 * mmio/open.h). 0 or -EINVAL. */
int mmio__pci_addr_parse(const char *s, size_t n, char out[MMIO__PCI_ADDR_MAX]);
/* 0 when the device exists, else -ENODEV. */
int mmio__pci_exists(const struct mmio__env *env, const char *bdf);
/* The bound driver's name, "" when none. 0 or -errno. */
int mmio__pci_driver(const struct mmio__env *env, const char *bdf, char *drv, size_t cap);
/* BAR bar's line of the device's "resource" file. 0, -errno or -EINVAL. */
int mmio__pci_bar(const struct mmio__env *env, const char *bdf, unsigned bar,
                  struct mmio__pci_bar *out);
/* The PCI command register (PCI_COMMAND) of the device. 0 or -errno. */
int mmio__pci_command(const struct mmio__env *env, const char *bdf, uint16_t *cmd);
/*
 * Sets and clears bits of the command register through a config-space
 * file (sysfs "config" or VFIO's config region at byte base of fd): the
 * one read-modify-write of it in the library. 0, -EIO on a short transfer,
 * or -errno.
 */
int mmio__pci_command_update(int fd, uint64_t base, uint16_t set, uint16_t clear);
/* Reads the command register from such a file. 0, -EIO or -errno. */
int mmio__pci_command_read(int fd, uint64_t base, uint16_t *cmd);
/*
 * The address of the instance-th (from 0) function with this vendor and
 * device ID, in address order. Returns 0; -ENODEV when there are fewer.
 */
int mmio__pci_find(const struct mmio__env *env, uint16_t vendor, uint16_t device, unsigned instance,
                   char bdf[MMIO__PCI_ADDR_MAX]);
/* Fills the PCI part of *info (address, IDs, class, driver) from sysfs. */
void mmio__pci_identity(const struct mmio__env *env, const char *bdf,
                        struct mmio_device_info *info);
/* Describes BAR bar as a device region. 0, -ENXIO or -errno. */
int mmio__pci_region_info(const struct mmio__env *env, const char *bdf, unsigned bar,
                          struct mmio_region_info *out);
/* " BDF is bound to the driver DRV." (or to no driver, for ""). */
void mmio__pci_say_driver(struct mmio__text *t, const char *bdf, const char *drv);
/* The PCI device and BAR whose memory range holds addr. 1 when found. */
int mmio__pci_owner_of(const struct mmio__env *env, uint64_t addr, char bdf[MMIO__PCI_ADDR_MAX],
                       unsigned *bar);

/* ---- the sources: mapping, a device handle, advice ---- */

int mmio__pci_map_at(const struct mmio__env *env, mmio_region *out, const char *bdf, unsigned bar,
                     uint64_t offset, size_t size, enum mmio_cache_policy policy, unsigned flags);
int mmio__pci_device_open(const struct mmio__env *env, mmio_device **out, const char *bdf);
void mmio__pci_explain(struct mmio__text *t, const struct mmio__env *env, const char *bdf,
                       unsigned bar, int err);

int mmio__phys_map_at(const struct mmio__env *env, mmio_region *out, uint64_t addr, size_t size,
                      enum mmio_cache_policy policy, unsigned flags);
int mmio__phys_device_open(const struct mmio__env *env, mmio_device **out);
void mmio__phys_explain(struct mmio__text *t, const struct mmio__env *env, uint64_t addr, int err);

/* Whether the n bytes at name are a shm name (see the grammar in mmio/open.h). */
int mmio__shm_name_ok(const char *name, size_t n);
/* Maps [offset, offset + size) (size 0: to the end) of shm object name,
 * creating it at create_size first when create_size > 0 and it is missing. */
int mmio__shm_map(mmio_region *out, const char *name, size_t create_size, uint64_t offset,
                  size_t size, enum mmio_cache_policy policy, unsigned flags);
int mmio__shm_device_open(mmio_device **out, const char *name, size_t size);
int mmio__file_device_open(mmio_device **out, const char *path);
void mmio__file_explain(struct mmio__text *t, const char *what, int err);

/* The UIO number ("uio3") of the uio_pci_generic-style device of a PCI
 * function, or of the instance-th device whose name is name. Returns 0;
 * -ENODEV; MMIO_ERR_AMBIGUOUS when name matches several and no instance
 * was asked for (instance < 0). */
int mmio__uio_of_pci(const struct mmio__env *env, const char *bdf, char uio[16]);
int mmio__uio_by_name(const struct mmio__env *env, const char *name, int instance, char uio[16]);
/* " uio0 (pci 0000:00:03.0), uio4" : the devices named name. */
void mmio__uio_say_candidates(struct mmio__text *t, const struct mmio__env *env, const char *name);
int mmio__uio_map_at(const struct mmio__env *env, mmio_region *out, const char *uio, unsigned map,
                     uint64_t offset, size_t size, enum mmio_cache_policy policy, unsigned flags);
int mmio__uio_irq_open_at(const struct mmio__env *env, mmio_uio_irq **out, const char *uio);
int mmio__uio_device_open(const struct mmio__env *env, mmio_device **out, const char *uio);
void mmio__uio_explain(struct mmio__text *t, const struct mmio__env *env, const char *uio,
                       unsigned map, int err);

int mmio__vfio_open_at(const struct mmio__env *env, mmio_vfio **out, const char *bdf);
/* Whether a VFIO region (struct vfio_region_info with its capability chain)
 * may be mmapped over [off, off + size), page-rounded. */
struct vfio_region_info;
int mmio__vfio_can_mmap(const struct vfio_region_info *ri, uint64_t off, size_t size);
int mmio__vfio_device_open(const struct mmio__env *env, mmio_device **out, const char *bdf);
void mmio__vfio_explain(struct mmio__text *t, const struct mmio__env *env, const char *bdf,
                        unsigned bar, int err);

/* ---- the device handle (device.c) ---- */

/*
 * What a source does for a device. A NULL operation means the source does
 * not offer it: the public function answers -ENOTSUP (interrupts) or
 * -ENXIO (regions).
 */
struct mmio__device_ops {
  int (*map)(mmio_device *d, mmio_region *out, unsigned index, uint64_t offset, size_t size,
             enum mmio_cache_policy policy, unsigned flags);
  int (*region_info)(const mmio_device *d, unsigned index, struct mmio_region_info *out);
  int (*irq_enable)(mmio_device *d, enum mmio_irq kind);
  int (*irq_wait)(mmio_device *d, int timeout_ms, uint64_t *count);
  int (*irq_ack)(mmio_device *d);
  int (*irq_fd)(const mmio_device *d);
  void (*irq_disable)(mmio_device *d);
  /* Frees the source's part, when the last reference goes. */
  void (*free)(mmio_device *d);
};

/* The common head of every source's device struct. */
struct mmio_device {
  const struct mmio__device_ops *ops;
  atomic_size_t refs; /* the opener's, and one per region that needs the device */
  struct mmio__env env;
  struct mmio_device_info info;
};

/* mmio_diagnose_address over the given roots. */
int mmio__diagnose_address_at(const struct mmio__env *env, char *buf, size_t cap, uint64_t addr);

/* mmio_device_each over the given roots. */
int mmio__device_each_at(const struct mmio__env *env, int (*fn)(void *arg, const char *spec),
                         void *arg);

/* Allocates size bytes (at least the head), zeroed, with one reference.
 * NULL when out of memory. */
mmio_device *mmio__device_new(size_t size, const struct mmio__device_ops *ops,
                              const struct mmio__env *env, enum mmio_source source,
                              const char *name);
/* Drops a reference; the last one runs ops->free and frees the struct. */
void mmio__device_unref(mmio_device *d);

#endif /* MMIO_LINUX_INTERNAL_H */
