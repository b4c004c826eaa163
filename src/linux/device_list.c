/*
 * What devices this machine has that a spec can name: PCI functions and
 * UIO devices, in a stable order.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux_internal.h"

/* The names of a directory's entries that keep(name) accepts, sorted. */
struct mmio__names {
  char (*name)[MMIO__PCI_ADDR_MAX];
  size_t n, cap;
};

static int mmio__cmp_name(const void *a, const void *b) { return strcmp(a, b); }

/* UIO numbers sort as numbers: uio2 before uio10. */
static int mmio__cmp_uio(const void *a, const void *b) {
  const unsigned long x = strtoul((const char *)a + 3, NULL, 10),
                      y = strtoul((const char *)b + 3, NULL, 10);
  return x < y ? -1 : x > y;
}

static int mmio__list_dir(const char *path, int (*keep)(const char *name),
                          int (*cmp)(const void *, const void *), struct mmio__names *out) {
  struct dirent *e;
  DIR *d = opendir(path);
  int err = 0;
  /* No such bus here: nothing to list. Any other failure is not an empty
   * list, and says so. */
  if (d == NULL) return errno == ENOENT ? 0 : -errno;
  while (err == 0 && (e = readdir(d)) != NULL) {
    if (!keep(e->d_name)) continue;
    if (out->n == out->cap) {
      size_t cap = out->cap != 0 ? out->cap * 2 : 32;
      void *grown = realloc(out->name, cap * sizeof(*out->name));
      if (grown == NULL) {
        err = -ENOMEM;
        break;
      }
      out->name = grown;
      out->cap = cap;
    }
    snprintf(out->name[out->n++], MMIO__PCI_ADDR_MAX, "%.19s", e->d_name);
  }
  closedir(d);
  if (err == 0 && out->n > 0) qsort(out->name, out->n, sizeof(*out->name), cmp);
  return err;
}

static int mmio__keep_pci(const char *name) {
  char canon[MMIO__PCI_ADDR_MAX];
  return mmio__pci_addr_parse(name, strlen(name), canon) == 0 && strcmp(canon, name) == 0;
}

static int mmio__keep_uio(const char *name) {
  size_t i;
  if (strncmp(name, "uio", 3) != 0 || name[3] == '\0' || strlen(name) >= MMIO__PCI_ADDR_MAX)
    return 0;
  for (i = 3; name[i] != '\0'; i++)
    if (name[i] < '0' || name[i] > '9') return 0;
  return 1;
}

int mmio__device_each_at(const struct mmio__env *env, int (*fn)(void *arg, const char *spec),
                         void *arg) {
  struct mmio__names pci = {NULL, 0, 0}, uio = {NULL, 0, 0};
  char path[PATH_MAX], spec[64];
  size_t i;
  int err = 0;
  if (fn == NULL) return -EINVAL;
  if (mmio__path(path, sizeof(path), "%s/bus/pci/devices", env->sys) == 0)
    err = mmio__list_dir(path, mmio__keep_pci, mmio__cmp_name, &pci);
  if (err == 0 && mmio__path(path, sizeof(path), "%s/class/uio", env->sys) == 0)
    err = mmio__list_dir(path, mmio__keep_uio, mmio__cmp_uio, &uio);
  for (i = 0; err == 0 && i < pci.n; i++) {
    char drv[64] = "";
    snprintf(spec, sizeof(spec), "pci:%s", pci.name[i]);
    err = fn(arg, spec);
    if (err == 0 && mmio__pci_driver(env, pci.name[i], drv, sizeof(drv)) == 0 &&
        strcmp(drv, "vfio-pci") == 0) {
      snprintf(spec, sizeof(spec), "vfio:%s", pci.name[i]);
      err = fn(arg, spec);
    }
  }
  for (i = 0; err == 0 && i < uio.n; i++) {
    snprintf(spec, sizeof(spec), "uio:%s", uio.name[i]);
    err = fn(arg, spec);
  }
  free(pci.name);
  free(uio.name);
  return err;
}

int mmio_device_each(int (*fn)(void *arg, const char *spec), void *arg) {
  return mmio__device_each_at(&mmio__env_system, fn, arg);
}
