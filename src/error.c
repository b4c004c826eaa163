/*
 * Error names and descriptions.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "internal.h"

/* Linux never uses errno values above this (see MAX_ERRNO in the kernel). */
#define MMIO__MAX_ERRNO 4095

/* glibc 2.32 and later have strerrordesc_np/strerrorname_np, which return
 * constant strings (or NULL), unlike strerror, whose buffer for unknown
 * values is shared between threads. musl's strerror returns constants. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
#define MMIO__ERRNO_DESC(e) strerrordesc_np(e)
#define MMIO__ERRNO_NAME(e) strerrorname_np(e)
#else
#define MMIO__ERRNO_DESC(e) strerror(e)
#define MMIO__ERRNO_NAME(e) ((const char *)NULL)
#endif

static const struct {
  int code;
  const char *name;
  const char *desc;
} mmio__errors[] = {
    {0, "OK", "success"},
    {MMIO_ERR_OUT_OF_RANGE, "MMIO_ERR_OUT_OF_RANGE", "offset or size out of range"},
    {MMIO_ERR_UNALIGNED, "MMIO_ERR_UNALIGNED",
     "offset not naturally aligned for the access width"},
    {MMIO_ERR_READ_ONLY, "MMIO_ERR_READ_ONLY", "region is read-only"},
    {MMIO_ERR_CACHE_POLICY, "MMIO_ERR_CACHE_POLICY",
     "memory object cannot provide the requested cache policy"},
    {MMIO_ERR_REJECTED, "MMIO_ERR_REJECTED",
     "access rejected by a test double (see its failure message)"},
    {MMIO_ERR_BAD_SPEC, "MMIO_ERR_BAD_SPEC", "malformed source spec"},
    {MMIO_ERR_DECODING_OFF, "MMIO_ERR_DECODING_OFF",
     "PCI memory decoding is off: the BAR would read as all ones"},
    {MMIO_ERR_IO_BAR, "MMIO_ERR_IO_BAR", "PCI BAR decodes I/O ports, not memory"},
    {MMIO_ERR_NO_IOMMU, "MMIO_ERR_NO_IOMMU", "device has no IOMMU group (no IOMMU enabled)"},
    {MMIO_ERR_VFIO_NOT_VIABLE, "MMIO_ERR_VFIO_NOT_VIABLE",
     "VFIO group not viable: a device in it is bound to another driver"},
    {MMIO_ERR_WRONG_DRIVER, "MMIO_ERR_WRONG_DRIVER",
     "device is not bound to the driver this source needs"},
};

/* Returns the table row of err, or -1. */
static int mmio__error_index(int err) {
  size_t i;
  for (i = 0; i < sizeof(mmio__errors) / sizeof(mmio__errors[0]); i++)
    if (mmio__errors[i].code == err) return (int)i;
  return -1;
}

static int mmio__is_errno(int err) {
  return err < 0 && err >= -MMIO__MAX_ERRNO;
}

const char *mmio_strerror(int err) {
  int i = mmio__error_index(err);
  const char *s = NULL;
  if (i >= 0) return mmio__errors[i].desc;
  if (mmio__is_errno(err)) s = MMIO__ERRNO_DESC(-err);
  return s != NULL ? s : "unknown error";
}

const char *mmio_err_name(int err) {
  int i = mmio__error_index(err);
  const char *s = NULL;
  if (i >= 0) return mmio__errors[i].name;
  if (mmio__is_errno(err)) s = MMIO__ERRNO_NAME(-err);
  return s != NULL ? s : "UNKNOWN";
}

int mmio__err_from_name(const char *name, int *err) {
  size_t i;
  int e;
  for (i = 0; i < sizeof(mmio__errors) / sizeof(mmio__errors[0]); i++)
    if (strcmp(mmio__errors[i].name, name) == 0) {
      *err = mmio__errors[i].code;
      return 0;
    }
  for (e = 1; e <= MMIO__MAX_ERRNO; e++) {
    const char *n = MMIO__ERRNO_NAME(e);
    if (n != NULL && strcmp(n, name) == 0) {
      *err = -e;
      return 0;
    }
  }
  return -EINVAL;
}
