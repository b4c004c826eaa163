/*
 * PCI functions as sysfs shows them: addresses, IDs, drivers, BARs, and
 * the command register in config space.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/pci_regs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux_internal.h"

static int mmio__hex_digits(const char *s, size_t n, uint32_t max, uint32_t *out) {
  uint32_t v = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    char c = s[i];
    uint32_t d;
    if (c >= '0' && c <= '9')
      d = (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = (uint32_t)(c - 'A' + 10);
    else
      return -EINVAL;
    v = v * 16 + d;
  }
  if (n == 0 || v > max) return -EINVAL;
  *out = v;
  return 0;
}

int mmio__pci_addr_parse(const char *s, size_t n, char out[MMIO__PCI_ADDR_MAX]) {
  uint32_t dom = 0, bus, dev, fn;
  /* BB:DD.F is 7 characters; a domain adds 4 to 8 hex digits and a colon. */
  if (n > 7) {
    size_t dn = n - 8;
    if (dn < 4 || dn > 8 || s[dn] != ':' || mmio__hex_digits(s, dn, 0xffffffffu, &dom) != 0)
      return -EINVAL;
    s += dn + 1;
    n = 7;
  }
  if (n != 7 || s[2] != ':' || s[5] != '.' || mmio__hex_digits(s, 2, 0xff, &bus) != 0 ||
      mmio__hex_digits(s + 3, 2, 0x1f, &dev) != 0 || mmio__hex_digits(s + 6, 1, 7, &fn) != 0)
    return -EINVAL;
  snprintf(out, MMIO__PCI_ADDR_MAX, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
  return 0;
}

/* path = <sys>/bus/pci/devices/<bdf>[/<attr>] */
static int mmio__pci_path(char *path, size_t cap, const struct mmio__env *env, const char *bdf,
                          const char *attr) {
  return mmio__path(path, cap, "%s/bus/pci/devices/%s%s%s", env->sys, bdf, attr[0] ? "/" : "",
                    attr);
}

int mmio__pci_exists(const struct mmio__env *env, const char *bdf) {
  char path[PATH_MAX];
  if (mmio__pci_path(path, sizeof(path), env, bdf, "") != 0) return -ENODEV;
  return access(path, F_OK) == 0 ? 0 : -ENODEV;
}

int mmio__pci_driver(const struct mmio__env *env, const char *bdf, char *drv, size_t cap) {
  char path[PATH_MAX];
  int err = mmio__pci_path(path, sizeof(path), env, bdf, "driver");
  if (err == 0) err = mmio__link_name(path, drv, cap);
  if (err == -ENOENT) {
    drv[0] = '\0';
    err = 0;
  }
  return err;
}

int mmio__pci_bar(const struct mmio__env *env, const char *bdf, unsigned bar,
                  struct mmio__pci_bar *out) {
  char path[PATH_MAX];
  char text[1024];
  const char *line = text;
  unsigned i;
  unsigned long long start, end, flags;
  int err = mmio__pci_path(path, sizeof(path), env, bdf, "resource");
  if (err == 0) err = mmio__read_text(path, text, sizeof(text));
  if (err != 0) return err;
  for (i = 0; i < bar && line != NULL; i++) {
    line = strchr(line, '\n');
    if (line != NULL) line++;
  }
  /* Fewer lines than BARs: not implemented, like an all-zero line. */
  if (line == NULL || *line == '\0') {
    memset(out, 0, sizeof(*out));
    return 0;
  }
  if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3 || end < start) return -EINVAL;
  out->start = start;
  out->size = (start == 0 && end == 0) ? 0 : end - start + 1;
  out->flags = flags;
  return 0;
}

int mmio__pci_command_read(int fd, uint64_t base, uint16_t *cmd) {
  uint8_t b[2];
  off_t at;
  ssize_t n;
  if (base > UINT64_MAX - PCI_COMMAND || mmio__file_offset(base + PCI_COMMAND, &at) != 0)
    return MMIO_ERR_OUT_OF_RANGE;
  n = pread(fd, b, 2, at);
  /* A short read sets no errno: say so instead of reporting a stale one. */
  if (n != 2) return n < 0 ? -errno : -EIO;
  *cmd = (uint16_t)(b[0] | b[1] << 8);
  return 0;
}

int mmio__pci_command_update(int fd, uint64_t base, uint16_t set, uint16_t clear) {
  uint16_t cmd = 0;
  uint8_t b[2];
  ssize_t n;
  int err = mmio__pci_command_read(fd, base, &cmd);
  if (err != 0) return err;
  cmd = (uint16_t)((cmd & ~clear) | set);
  b[0] = (uint8_t)cmd;
  b[1] = (uint8_t)(cmd >> 8);
  /* The read above proved the offset. */
  n = pwrite(fd, b, 2, (off_t)(base + PCI_COMMAND));
  if (n != 2) return n < 0 ? -errno : -EIO;
  return 0;
}

int mmio__pci_command(const struct mmio__env *env, const char *bdf, uint16_t *cmd) {
  char path[PATH_MAX];
  int fd, err = mmio__pci_path(path, sizeof(path), env, bdf, "config");
  if (err != 0) return err;
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  err = mmio__pci_command_read(fd, 0, cmd);
  close(fd);
  return err;
}

/* A numeric attribute of the function ("vendor", "class", ...), 0 when
 * unreadable. */
static uint64_t mmio__pci_attr(const struct mmio__env *env, const char *bdf, const char *attr) {
  char path[PATH_MAX];
  uint64_t v = 0;
  if (mmio__pci_path(path, sizeof(path), env, bdf, attr) == 0 && mmio__read_u64(path, &v) == 0)
    return v;
  return 0;
}

static int mmio__cmp_names(const void *a, const void *b) {
  return strcmp((const char *)a, (const char *)b);
}

int mmio__pci_find(const struct mmio__env *env, uint16_t vendor, uint16_t device, unsigned instance,
                   char bdf[MMIO__PCI_ADDR_MAX]) {
  char path[PATH_MAX];
  char(*found)[MMIO__PCI_ADDR_MAX] = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  DIR *d;
  int err = mmio__path(path, sizeof(path), "%s/bus/pci/devices", env->sys);
  if (err != 0) return err;
  d = opendir(path);
  if (d == NULL) return -ENODEV;
  while (err == 0 && (e = readdir(d)) != NULL) {
    char canon[MMIO__PCI_ADDR_MAX];
    if (mmio__pci_addr_parse(e->d_name, strlen(e->d_name), canon) != 0) continue;
    if (mmio__pci_attr(env, e->d_name, "vendor") != vendor ||
        mmio__pci_attr(env, e->d_name, "device") != device)
      continue;
    if (n == cap) {
      size_t ncap = cap != 0 ? cap * 2 : 8;
      /* A directory cannot hold that many devices, but a wrapped product
       * would be a small buffer written past its end. */
      void *grown =
          ncap <= SIZE_MAX / sizeof(*found) ? realloc(found, ncap * sizeof(*found)) : NULL;
      if (grown == NULL) {
        err = -ENOMEM;
        break;
      }
      found = grown;
      cap = ncap;
    }
    memcpy(found[n++], canon, MMIO__PCI_ADDR_MAX);
  }
  closedir(d);
  if (err == 0) {
    /* readdir's order is the file system's; address order is stable. */
    if (n > 0) qsort(found, n, sizeof(*found), mmio__cmp_names);
    if (instance < n)
      memcpy(bdf, found[instance], MMIO__PCI_ADDR_MAX);
    else
      err = -ENODEV;
  }
  free(found);
  return err;
}

void mmio__pci_identity(const struct mmio__env *env, const char *bdf,
                        struct mmio_device_info *info) {
  snprintf(info->pci_address, sizeof(info->pci_address), "%s", bdf);
  info->vendor = (uint16_t)mmio__pci_attr(env, bdf, "vendor");
  info->device = (uint16_t)mmio__pci_attr(env, bdf, "device");
  info->subsystem_vendor = (uint16_t)mmio__pci_attr(env, bdf, "subsystem_vendor");
  info->subsystem_device = (uint16_t)mmio__pci_attr(env, bdf, "subsystem_device");
  info->class_code = (uint32_t)mmio__pci_attr(env, bdf, "class");
  if (mmio__pci_driver(env, bdf, info->driver, sizeof(info->driver)) != 0) info->driver[0] = '\0';
}

int mmio__pci_region_info(const struct mmio__env *env, const char *bdf, unsigned bar,
                          struct mmio_region_info *out) {
  struct mmio__pci_bar b;
  int err;
  memset(out, 0, sizeof(*out));
  if (bar > 5) return -ENXIO;
  err = mmio__pci_bar(env, bdf, bar, &b);
  if (err != 0) return err;
  if (b.size == 0) return -ENXIO;
  out->size = b.size;
  out->address = b.start;
  if (b.flags & MMIO__IORESOURCE_IO) out->flags |= MMIO_REGION_IO;
  if (b.flags & MMIO__IORESOURCE_MEM) out->flags |= MMIO_REGION_MEM | MMIO_REGION_MMAP;
  if (b.flags & MMIO__IORESOURCE_PREFETCH) out->flags |= MMIO_REGION_PREFETCH;
  if (b.flags & MMIO__IORESOURCE_MEM_64) out->flags |= MMIO_REGION_64BIT;
  out->policy = (out->flags & MMIO_REGION_MEM) ? MMIO_CACHE_UNCACHED_DEVICE : MMIO_CACHE_DEFAULT;
  return 0;
}

void mmio__pci_say_driver(struct mmio__text *t, const char *bdf, const char *drv) {
  if (drv[0] != '\0')
    mmio__say(t, " %s is bound to the driver %s.", bdf, drv);
  else
    mmio__say(t, " %s is bound to no driver.", bdf);
}

int mmio__pci_owner_of(const struct mmio__env *env, uint64_t addr, char bdf[MMIO__PCI_ADDR_MAX],
                       unsigned *bar) {
  char path[PATH_MAX];
  DIR *d;
  struct dirent *e;
  int found = 0;
  if (mmio__path(path, sizeof(path), "%s/bus/pci/devices", env->sys) != 0) return 0;
  d = opendir(path);
  if (d == NULL) return 0;
  while (!found && (e = readdir(d)) != NULL) {
    char canon[MMIO__PCI_ADDR_MAX];
    unsigned b;
    if (mmio__pci_addr_parse(e->d_name, strlen(e->d_name), canon) != 0) continue;
    for (b = 0; b < 6 && !found; b++) {
      struct mmio__pci_bar info;
      if (mmio__pci_bar(env, e->d_name, b, &info) == 0 && info.size != 0 &&
          (info.flags & MMIO__IORESOURCE_MEM) && addr >= info.start &&
          addr - info.start < info.size) {
        memcpy(bdf, canon, MMIO__PCI_ADDR_MAX);
        *bar = b;
        found = 1;
      }
    }
  }
  closedir(d);
  return found;
}
