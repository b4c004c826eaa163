#define _GNU_SOURCE
#include "helpers.h"

#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mmio/mmio.h>

char test_last_failure[1024];
int test_failures;

void test_record_failure(void *arg, const char *message) {
  (void)arg;
  test_failures++;
  snprintf(test_last_failure, sizeof(test_last_failure), "%s", message);
}

void test_reset_failures(void) {
  test_failures = 0;
  test_last_failure[0] = '\0';
}

int test_try_access(struct mmio_region *r, size_t off, size_t width, int store) {
  uint8_t v8;
  uint16_t v16;
  uint32_t v32;
  uint64_t v64;
  switch (width * 2 + (store != 0)) {
  case 2:
    return mmio_try_load8(r, off, &v8);
  case 3:
    return mmio_try_store8(r, off, 0xa5);
  case 4:
    return mmio_try_load16(r, off, &v16);
  case 5:
    return mmio_try_store16(r, off, 0xa5a5);
  case 8:
    return mmio_try_load32(r, off, &v32);
  case 9:
    return mmio_try_store32(r, off, 0xa5a5a5a5u);
  case 16:
    return mmio_try_load64(r, off, &v64);
  default:
    return mmio_try_store64(r, off, 0xa5a5a5a5a5a5a5a5ull);
  }
}

int test_count_fds(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;
  if (d == NULL) return -1;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n - 1; /* the directory's own descriptor */
}

int test_count_mappings_of_fd(int fd) {
  struct stat st;
  FILE *f;
  char line[512];
  int n = 0;
  if (fstat(fd, &st) != 0) return -1;
  f = fopen("/proc/self/maps", "r");
  if (f == NULL) return -1;
  while (fgets(line, sizeof(line), f) != NULL) {
    unsigned long lo, hi, off, ino;
    unsigned maj, min;
    char perms[8];
    if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu", &lo, &hi, perms, &off, &maj, &min, &ino) == 7 &&
        ino == (unsigned long)st.st_ino && maj == major(st.st_dev) && min == minor(st.st_dev))
      n++;
  }
  fclose(f);
  return n;
}

int test_count_all_mappings(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  int c, n = 0;
  if (f == NULL) return -1;
  while ((c = fgetc(f)) != EOF)
    if (c == '\n') n++;
  fclose(f);
  return n;
}

int test_run_expect_abort(void (*fn)(void *), void *arg, char *buf, size_t cap) {
  int pipefd[2];
  pid_t pid;
  int status = 0;
  size_t used = 0;
  ssize_t got;
  if (pipe(pipefd) != 0) return 0;
  fflush(NULL);
  pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], 2);
    close(pipefd[0]);
    close(pipefd[1]);
    fn(arg);
    _exit(0);
  }
  close(pipefd[1]);
  while (cap > 1 && used < cap - 1 && (got = read(pipefd[0], buf + used, cap - 1 - used)) > 0)
    used += (size_t)got;
  if (cap > 0) buf[used] = '\0';
  close(pipefd[0]);
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static char tree[PATH_MAX];

const char *test_tree_make(void) {
  snprintf(tree, sizeof(tree), "/tmp/mmio-tree-XXXXXX");
  if (mkdtemp(tree) == NULL) abort();
  return tree;
}

void test_tree_put(const char *rel, const void *data, size_t n) {
  char path[PATH_MAX * 2], cmd[PATH_MAX * 3];
  FILE *f;
  snprintf(path, sizeof(path), "%s/%s", tree, rel);
  snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
  if (system(cmd) != 0 || (f = fopen(path, "wb")) == NULL) abort();
  if (fwrite(data, 1, n, f) != n) abort();
  fclose(f);
}

void test_tree_text(const char *rel, const char *text) { test_tree_put(rel, text, strlen(text)); }

void test_tree_link(const char *rel, const char *target) {
  char path[PATH_MAX * 2];
  snprintf(path, sizeof(path), "%s/%s", tree, rel);
  unlink(path);
  if (symlink(target, path) != 0) abort();
}

void test_tree_remove(void) {
  char cmd[PATH_MAX + 16];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
  if (tree[0] != '\0' && system(cmd) != 0) abort();
  tree[0] = '\0';
}
