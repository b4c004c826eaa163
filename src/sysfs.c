/*
 * Reading what sysfs says about PCI devices and UIO maps. Every function
 * takes the sysfs root, so that tests can point it at a tree of their own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int mmio__read_text(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  ssize_t n;
  int err = 0;
  if (fd < 0) return -errno;
  n = read(fd, buf, cap - 1);
  if (n < 0) err = -errno;
  close(fd);
  if (err != 0) return err;
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) n--;
  buf[n] = '\0';
  return 0;
}

int mmio__read_u64(const char *path, uint64_t *out) {
  char buf[64];
  char *end;
  int err = mmio__read_text(path, buf, sizeof(buf));
  if (err != 0) return err;
  errno = 0;
  *out = strtoull(buf, &end, 0);
  return (errno != 0 || end == buf || *end != '\0') ? -EINVAL : 0;
}

int mmio__link_name(const char *path, char *name, size_t cap) {
  char target[PATH_MAX];
  const char *base;
  ssize_t n = readlink(path, target, sizeof(target) - 1);
  if (n < 0) return -errno;
  target[n] = '\0';
  base = strrchr(target, '/');
  snprintf(name, cap, "%s", base != NULL ? base + 1 : target);
  return 0;
}

int mmio__pci_driver(const char *sys, const char *bdf, char *drv, size_t cap) {
  char path[PATH_MAX];
  int err;
  snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver", sys, bdf);
  err = mmio__link_name(path, drv, cap);
  if (err == -ENOENT) {
    drv[0] = '\0';
    err = 0;
  }
  return err;
}

int mmio__pci_exists(const char *sys, const char *bdf) {
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", sys, bdf);
  return access(path, F_OK) == 0 ? 0 : -errno;
}

int mmio__pci_bar(const char *sys, const char *bdf, unsigned bar,
                  struct mmio__pci_bar *out) {
  char path[PATH_MAX];
  char text[1024];
  const char *line = text;
  unsigned i;
  unsigned long long start, end, flags;
  int err;
  snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/resource", sys, bdf);
  err = mmio__read_text(path, text, sizeof(text));
  if (err != 0) return err;
  for (i = 0; i < bar && line != NULL; i++) {
    line = strchr(line, '\n');
    if (line != NULL) line++;
  }
  if (line == NULL || sscanf(line, "%llx %llx %llx", &start, &end, &flags) != 3)
    return -EINVAL;
  out->start = start;
  out->size = (start == 0 && end == 0) ? 0 : end - start + 1;
  out->flags = flags;
  return 0;
}

int mmio__pci_command(const char *sys, const char *bdf, uint16_t *cmd) {
  char path[PATH_MAX];
  uint8_t b[2];
  int fd, err = 0;
  snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/config", sys, bdf);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  if (pread(fd, b, 2, 4) != 2) err = errno != 0 ? -errno : -EIO;
  close(fd);
  if (err == 0) *cmd = (uint16_t)(b[0] | b[1] << 8);
  return err;
}
