/*
 * Reading small files: sysfs attributes, symbolic links, paths under the
 * injectable roots.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux_internal.h"

const struct mmio__env mmio__env_system = {.sys = "/sys", .dev = "/dev"};

int mmio__path(char *path, size_t cap, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(path, cap, fmt, ap);
  va_end(ap);
  return (n < 0 || (size_t)n >= cap) ? -ENAMETOOLONG : 0;
}

int mmio__read_text(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  ssize_t n;
  int err = 0;
  if (fd < 0) return -errno;
  n = read(fd, buf, cap - 1);
  if (n < 0) err = -errno;
  close(fd);
  if (err != 0) return err;
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
    n--;
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
  return (errno != 0 || end == buf || *end != '\0' || buf[0] == '-') ? -EINVAL : 0;
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
