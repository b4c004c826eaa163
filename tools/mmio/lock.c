/*
 * The advisory lock that read-modify-writes take, so that two runs
 * changing different bits of one register cannot lose each other's
 * update: flock() on a file named after the device, in /run/lock (or
 * $MMIO_LOCK_DIR, or /tmp when /run/lock is not writable). The lock is
 * advisory: it orders mmio runs (and anything else that takes it), not
 * other writers of the device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* Where lock files go. */
static const char *cli__lock_dir(void) {
  const char *env = getenv("MMIO_LOCK_DIR");
  if (env != NULL && env[0] != '\0') return env;
  return access("/run/lock", W_OK) == 0 ? "/run/lock" : "/tmp";
}

/* id as a file name: [A-Za-z0-9.-] stay, anything else becomes _XX; a name
 * too long for a directory entry ends in a hash of the whole instead. */
static void cli__file_name(char *buf, size_t cap, const char *id) {
  uint64_t hash = 1469598103934665603ull; /* FNV-1a */
  size_t len = 0;
  const char *p;
  for (p = id; *p != '\0'; p++) {
    const unsigned char c = (unsigned char)*p;
    const int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-';
    hash = (hash ^ c) * 1099511628211ull;
    if (len + 4 < cap) len += (size_t)snprintf(buf + len, cap - len, plain ? "%c" : "_%02X", c);
  }
  if (len > 200) snprintf(buf + 180, cap - 180, "-%016llx", (unsigned long long)hash);
}

int cli_lock_open(struct cli_lock *l, const char *id) {
  struct stat st;
  char name[256];
  l->fd = -1;
  l->path[0] = '\0';
  if (id[0] == '\0') return 0;
  cli__file_name(name, sizeof(name), id);
  snprintf(l->path, sizeof(l->path), "%s/mmio-%s.lock", cli__lock_dir(), name);
  /* Made here: then (only then) open it to everyone, so that another
   * user's run can take it. An existing one is used as it is, and never
   * through a symbolic link: in a shared directory that could be a trap. */
  l->fd = open(l->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (l->fd >= 0)
    (void)fchmod(l->fd, 0666);
  else if (errno == EEXIST)
    l->fd = open(l->path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  if (l->fd >= 0 && (fstat(l->fd, &st) != 0 || !S_ISREG(st.st_mode))) {
    close(l->fd);
    l->fd = -1;
    errno = EINVAL;
  }
  if (l->fd < 0) {
    cli_say("cannot open the lock file %s: %s (set MMIO_LOCK_DIR to a writable directory, or "
            "run with --no-lock if nothing else changes this device)",
            l->path, strerror(errno));
    return CLI_FAILED;
  }
  return 0;
}

int cli_lock_take(struct cli_lock *l) {
  if (l->fd < 0) return 0;
  while (flock(l->fd, LOCK_EX) != 0)
    if (errno != EINTR) {
      cli_say("cannot take the lock %s: %s", l->path, strerror(errno));
      return CLI_FAILED;
    }
  return 0;
}

void cli_lock_drop(struct cli_lock *l) {
  if (l->fd >= 0) flock(l->fd, LOCK_UN);
}

void cli_lock_close(struct cli_lock *l) {
  if (l->fd >= 0) close(l->fd);
  l->fd = -1;
}
