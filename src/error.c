/*
 * Error names and descriptions.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "internal.h"

/* Linux never uses errno values above this (see MAX_ERRNO in the kernel). */
#define MMIO__MAX_ERRNO 4095

const char *mmio_strerror(int err) {
  switch (err) {
  case 0:
    return "success";
  case MMIO_ERR_OUT_OF_RANGE:
    return "offset or size out of range";
  case MMIO_ERR_UNALIGNED:
    return "offset not naturally aligned for the access width";
  case MMIO_ERR_READ_ONLY:
    return "region is read-only";
  case MMIO_ERR_CACHE_POLICY:
    return "memory object cannot provide the requested cache policy";
  default:
    break;
  }
  if (err < 0 && err >= -MMIO__MAX_ERRNO) {
    /* strerrordesc_np returns a constant string (or NULL), unlike
     * strerror, whose buffer for unknown values is shared between threads. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
    const char *s = strerrordesc_np(-err);
    if (s != NULL) return s;
#else
    /* musl and bionic return constant strings from strerror itself. */
    return strerror(-err);
#endif
  }
  return "unknown error";
}

const char *mmio_err_name(int err) {
  switch (err) {
  case 0:
    return "OK";
  case MMIO_ERR_OUT_OF_RANGE:
    return "MMIO_ERR_OUT_OF_RANGE";
  case MMIO_ERR_UNALIGNED:
    return "MMIO_ERR_UNALIGNED";
  case MMIO_ERR_READ_ONLY:
    return "MMIO_ERR_READ_ONLY";
  case MMIO_ERR_CACHE_POLICY:
    return "MMIO_ERR_CACHE_POLICY";
  default:
    break;
  }
  if (err < 0 && err >= -MMIO__MAX_ERRNO) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
    const char *s = strerrorname_np(-err);
    if (s != NULL) return s;
#else
    return "errno";
#endif
  }
  return "UNKNOWN";
}
