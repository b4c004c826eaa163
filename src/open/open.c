/*
 * mmio_open and mmio_device_open: a spec to a source, through one table.
 * Each source's mapping and advice live with the source (src/linux/); this
 * file only dispatches.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "open_internal.h"

/* Opens the device of a parsed spec whose name has been resolved. */
typedef int (*mmio__device_open_fn)(const struct mmio__env *env, mmio_device **out,
                                    const struct mmio_spec *s, const char *name);

static int mmio__open_pci(const struct mmio__env *env, mmio_device **out, const struct mmio_spec *s,
                          const char *name) {
  (void)s;
  return mmio__pci_device_open(env, out, name);
}

static int mmio__open_vfio(const struct mmio__env *env, mmio_device **out,
                           const struct mmio_spec *s, const char *name) {
  (void)s;
  return mmio__vfio_device_open(env, out, name);
}

static int mmio__open_uio(const struct mmio__env *env, mmio_device **out, const struct mmio_spec *s,
                          const char *name) {
  (void)s;
  return mmio__uio_device_open(env, out, name);
}

static int mmio__open_phys(const struct mmio__env *env, mmio_device **out,
                           const struct mmio_spec *s, const char *name) {
  (void)s, (void)name;
  return mmio__phys_device_open(env, out);
}

static int mmio__open_shm(const struct mmio__env *env, mmio_device **out, const struct mmio_spec *s,
                          const char *name) {
  (void)env;
  if (s->length > PTRDIFF_MAX) return MMIO_ERR_OUT_OF_RANGE;
  return mmio__shm_device_open(out, name, (size_t)s->length);
}

static int mmio__open_file(const struct mmio__env *env, mmio_device **out,
                           const struct mmio_spec *s, const char *name) {
  (void)env, (void)s;
  return mmio__file_device_open(out, name);
}

static const mmio__device_open_fn mmio__device_openers[] = {
    [MMIO_SOURCE_PCI] = mmio__open_pci, [MMIO_SOURCE_VFIO] = mmio__open_vfio,
    [MMIO_SOURCE_UIO] = mmio__open_uio, [MMIO_SOURCE_PHYS] = mmio__open_phys,
    [MMIO_SOURCE_SHM] = mmio__open_shm, [MMIO_SOURCE_FILE] = mmio__open_file,
};

int mmio__spec_resolve(const struct mmio__env *env, const struct mmio_spec *s, char *name,
                       size_t cap) {
  char found[MMIO__PCI_ADDR_MAX];
  int err = 0;
  if (s->by == MMIO_SPEC_BY_ID) {
    err = mmio__pci_find(env, s->vendor, s->device, s->instance, found);
    if (err == 0) snprintf(name, cap, "%s", found);
    return err;
  }
  if (s->source == MMIO_SOURCE_UIO && s->by == MMIO_SPEC_BY_NAME) {
    /* "#0" asks for the first of several; no "#" asks for the only one. */
    char uio[16];
    err = mmio__uio_by_name(env, s->name, s->has_instance ? (int)s->instance : -1, uio);
    if (err == 0) snprintf(name, cap, "%s", uio);
    return err;
  }
  if (s->source == MMIO_SOURCE_UIO && strncmp(s->name, "uio", 3) != 0) {
    char uio[16];
    err = mmio__uio_of_pci(env, s->name, uio);
    if (err == 0) snprintf(name, cap, "%s", uio);
    return err;
  }
  snprintf(name, cap, "%s", s->name);
  return 0;
}

/* Parses, resolves and opens; *s is the parsed spec. */
static int mmio__device_open_spec(const struct mmio__env *env, mmio_device **out,
                                  struct mmio_spec *s, const char *spec, int need_region) {
  char name[sizeof(s->name)];
  int err;
  *out = NULL;
  err = mmio__spec_parse(s, spec, NULL, 0, need_region);
  if (err == 0) err = mmio__spec_resolve(env, s, name, sizeof(name));
  if (err == 0) err = mmio__device_openers[s->source](env, out, s, name);
  return err;
}

int mmio__device_open_at(const struct mmio__env *env, mmio_device **out, const char *spec) {
  struct mmio_spec s;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (spec == NULL) return -EINVAL;
  return mmio__device_open_spec(env, out, &s, spec, 0);
}

int mmio_device_open(mmio_device **out, const char *spec) {
  return mmio__device_open_at(&mmio__env_system, out, spec);
}

int mmio__open_at(const struct mmio__env *env, mmio_region *out, const char *spec,
                  enum mmio_cache_policy policy, unsigned flags) {
  struct mmio_spec s;
  mmio_device *dev = NULL;
  int err;
  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (spec == NULL) return -EINVAL;
  /* Arguments the spec does not decide are judged before the spec is
   * even resolved: a refused call looks at nothing. */
  if (!mmio__map_args_ok(policy, flags, MMIO_VFIO_NO_MMAP)) return -EINVAL;
  err = mmio__device_open_spec(env, &dev, &s, spec, 1);
  if (err == 0 && (flags & MMIO_VFIO_NO_MMAP) && s.source != MMIO_SOURCE_VFIO) err = -EINVAL;
  if (err == 0 && s.length > SIZE_MAX) err = MMIO_ERR_OUT_OF_RANGE;
  if (err == 0)
    err = mmio_device_map(out, dev, s.index, s.source == MMIO_SOURCE_SHM ? 0 : s.offset,
                          (size_t)s.length, policy, flags);
  /* The region holds what it needs of the device. */
  mmio_device_close(dev);
  return err;
}

int mmio_open(mmio_region *out, const char *spec, enum mmio_cache_policy policy, unsigned flags) {
  return mmio__open_at(&mmio__env_system, out, spec, policy, flags);
}
