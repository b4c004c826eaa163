/*
 * Error names and descriptions, generated from MMIO_ERRNO_MAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "core_internal.h"

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
} mmio__errors[] = {{0, "OK", "success"},
#define MMIO__ERR_ROW(name, code, message) {code, "MMIO_ERR_" #name, message},
                    MMIO_ERRNO_MAP(MMIO__ERR_ROW)
#undef MMIO__ERR_ROW
};

/* Returns the table row of err, or -1. */
static int mmio__error_index(int err) {
  size_t i;
  for (i = 0; i < sizeof(mmio__errors) / sizeof(mmio__errors[0]); i++)
    if (mmio__errors[i].code == err) return (int)i;
  return -1;
}

static int mmio__is_errno(int err) { return err < 0 && err >= -MMIO__MAX_ERRNO; }

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
