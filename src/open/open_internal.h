/*
 * The open layer's internal interface: spec strings to sources, with the
 * kernel's file systems injectable for the host tests. Nothing here is
 * exported from the shared library.
 */
#ifndef MMIO_OPEN_INTERNAL_H
#define MMIO_OPEN_INTERNAL_H

#include "linux_internal.h"
#include "mmio/open.h"

/* mmio_open, mmio_device_open and mmio_explain with sysfs and /dev roots
 * of the caller's choosing. */
int mmio__open_at(const struct mmio__env *env, mmio_region *out, const char *spec,
                  enum mmio_cache_policy policy, unsigned flags);
int mmio__device_open_at(const struct mmio__env *env, mmio_device **out, const char *spec);
int mmio__explain_at(const struct mmio__env *env, char *buf, size_t cap, const char *spec, int err);

/* mmio_spec_parse, where a device spec may leave out its region part
 * (need_region == 0), as mmio_device_open() allows. */
int mmio__spec_parse(struct mmio_spec *out, const char *text, char *why, size_t cap,
                     int need_region);

/*
 * The device a parsed spec names, as a canonical name the source opens
 * ("0000:00:03.0", "uio3"): resolves vendor:device IDs, UIO names and PCI
 * addresses given for uio:. Returns 0; -ENODEV; MMIO_ERR_AMBIGUOUS.
 */
int mmio__spec_resolve(const struct mmio__env *env, const struct mmio_spec *s, char *name,
                       size_t cap);

#endif /* MMIO_OPEN_INTERNAL_H */
