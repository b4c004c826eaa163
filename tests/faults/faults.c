/*
 * The wrapped calls, the injection and the sweep. Each wrapper counts the
 * call while a run is armed and fails it when it is the one chosen, with
 * an errno that says what ran out or went wrong; otherwise it calls the
 * real function. The allocators also count the blocks they hand out, so
 * that a run can be checked to give every one back.
 */
#define _GNU_SOURCE
#include "faults.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <cmocka.h>

#include <mmio/mmio.h>

#include "helpers.h"

#if MMIO_FAULTS_HAVE_EXPAT
#include <expat.h>
#endif

/* ---- the injection ---- */

enum fault_mode { FAULT_OFF, FAULT_ERROR, FAULT_SHORT };

static enum fault_mode mode;
static unsigned long target; /* the call to fail, from 1 */
static unsigned long calls;  /* calls counted in this run */
static char failed[512];     /* what failed, "" when nothing did */
static long live_blocks;

/* The path of a descriptor, for descriptions. */
static void fd_path(int fd, char *buf, size_t cap) {
  char link[64];
  long n;
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  n = fault_real_readlink(link, buf, cap - 1);
  buf[n > 0 ? (size_t)n : 0] = '\0';
}

/* Whether this call is the one to fail (counting it when armed). */
static int fail_now(const char *name, const char *detail) {
  if (mode != FAULT_ERROR || ++calls != target) return 0;
  snprintf(failed, sizeof(failed), "%s %s", name, detail != NULL ? detail : "");
  return 1;
}

static int fail_fd(const char *name, int fd) {
  char path[400];
  if (mode != FAULT_ERROR || calls + 1 != target) return fail_now(name, NULL);
  fd_path(fd, path, sizeof(path));
  return fail_now(name, path);
}

static int fail_size(const char *name, size_t n) {
  char size[32];
  snprintf(size, sizeof(size), "%zu bytes", n);
  return fail_now(name, size);
}

/* A read or write: 0 to make it, 1 to fail it, 2 to cut it short. Only
 * transfers of a value (8 bytes or fewer: a register, a config word, an
 * interrupt count) are cut: a text or a file is read whole or in a loop. */
static int transfer(const char *name, int fd, size_t n) {
  char path[400];
  if (mode == FAULT_SHORT) {
    if (n == 0 || n > 8 || ++calls != target) return 0;
    fd_path(fd, path, sizeof(path));
    snprintf(failed, sizeof(failed), "%s(short) %s", name, path);
    return 2;
  }
  return fail_fd(name, fd);
}

/* ---- the wrappers ---- */

extern int __real_open64(const char *path, int flags, ...);
extern int __real_stat64(const char *path, struct stat64 *st);
extern int __real_fstat64(int fd, struct stat64 *st);
extern int __real_fstatfs64(int fd, struct statfs64 *st);
extern void *__real_mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off);
extern int __real_ioctl(int fd, unsigned long request, ...);
extern int __real_memfd_create(const char *name, unsigned flags);
extern int __real_fcntl64(int fd, int cmd, ...);
extern int __real_ftruncate64(int fd, off64_t len);
extern int __real_shm_open(const char *name, int flags, mode_t mode);
extern ssize_t __real_read(int fd, void *buf, size_t n);
extern ssize_t __real_pread64(int fd, void *buf, size_t n, off64_t off);
extern ssize_t __real_write(int fd, const void *buf, size_t n);
extern ssize_t __real_pwrite64(int fd, const void *buf, size_t n, off64_t off);
extern ssize_t __real_readlink(const char *path, char *buf, size_t cap);
extern int __real_access(const char *path, int how);
extern DIR *__real_opendir(const char *path);
extern int __real_eventfd(unsigned initval, int flags);
extern int __real_poll(struct pollfd *fds, nfds_t n, int timeout);
extern int __real_sigaction(int sig, const struct sigaction *act, struct sigaction *old);
extern int __real_nanosleep(const struct timespec *req, struct timespec *rem);
extern void *__real_malloc(size_t n);
extern void *__real_calloc(size_t n, size_t size);
extern void *__real_realloc(void *p, size_t n);
extern void __real_free(void *p);
extern ssize_t __real___getdelim(char **line, size_t *cap, int delim, FILE *f);
extern int __real_pthread_mutexattr_init(pthread_mutexattr_t *attr);
extern int __real_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);

/* Declared here, not in a header: only the linker's --wrap calls them. */
int __wrap_open64(const char *path, int flags, ...);
int __wrap_stat64(const char *path, struct stat64 *st);
int __wrap_fstat64(int fd, struct stat64 *st);
int __wrap_fstatfs64(int fd, struct statfs64 *st);
void *__wrap_mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off);
int __wrap_ioctl(int fd, unsigned long request, ...);
int __wrap_memfd_create(const char *name, unsigned flags);
int __wrap_fcntl64(int fd, int cmd, ...);
int __wrap_ftruncate64(int fd, off64_t len);
int __wrap_shm_open(const char *name, int flags, mode_t mode);
ssize_t __wrap_read(int fd, void *buf, size_t n);
ssize_t __wrap_pread64(int fd, void *buf, size_t n, off64_t off);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
ssize_t __wrap_pwrite64(int fd, const void *buf, size_t n, off64_t off);
ssize_t __wrap_readlink(const char *path, char *buf, size_t cap);
int __wrap_access(const char *path, int how);
DIR *__wrap_opendir(const char *path);
int __wrap_eventfd(unsigned initval, int flags);
int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout);
int __wrap_sigaction(int sig, const struct sigaction *act, struct sigaction *old);
int __wrap_nanosleep(const struct timespec *req, struct timespec *rem);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
ssize_t __wrap___getdelim(char **line, size_t *cap, int delim, FILE *f);
int __wrap_pthread_mutexattr_init(pthread_mutexattr_t *attr);
int __wrap_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);

int __wrap_open64(const char *path, int flags, ...) {
  int mode_arg = 0;
  if (flags & (O_CREAT | __O_TMPFILE)) {
    va_list ap;
    va_start(ap, flags);
    mode_arg = va_arg(ap, int);
    va_end(ap);
  }
  if (fail_now("open64", path)) return errno = EMFILE, -1;
  return __real_open64(path, flags, mode_arg);
}

int __wrap_stat64(const char *path, struct stat64 *st) {
  if (fail_now("stat64", path)) return errno = EIO, -1;
  return __real_stat64(path, st);
}

int __wrap_fstat64(int fd, struct stat64 *st) {
  if (fail_fd("fstat64", fd)) return errno = EIO, -1;
  return __real_fstat64(fd, st);
}

int __wrap_fstatfs64(int fd, struct statfs64 *st) {
  if (fail_fd("fstatfs64", fd)) return errno = EIO, -1;
  return __real_fstatfs64(fd, st);
}

void *__wrap_mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off) {
  if (fail_fd("mmap64", fd)) return errno = ENOMEM, MAP_FAILED;
  return __real_mmap64(addr, len, prot, flags, fd, off);
}

static const char *vfio_request_name(unsigned long request);

int __wrap_ioctl(int fd, unsigned long request, ...) {
  void *arg;
  int ret;
  va_list ap;
  va_start(ap, request);
  arg = va_arg(ap, void *);
  va_end(ap);
  if (fail_now("ioctl", vfio_request_name(request))) return errno = EIO, -1;
  if (fault_vfio_ioctl(fd, request, arg, &ret)) return ret;
  return __real_ioctl(fd, request, arg);
}

int __wrap_memfd_create(const char *name, unsigned flags) {
  if (fail_now("memfd_create", name)) return errno = EMFILE, -1;
  return __real_memfd_create(name, flags);
}

int __wrap_fcntl64(int fd, int cmd, ...) {
  void *arg;
  va_list ap;
  va_start(ap, cmd);
  arg = va_arg(ap, void *);
  va_end(ap);
  if (fail_fd("fcntl64", fd)) return errno = EBUSY, -1;
  return __real_fcntl64(fd, cmd, arg);
}

int __wrap_ftruncate64(int fd, off64_t len) {
  if (fail_fd("ftruncate64", fd)) return errno = EIO, -1;
  return __real_ftruncate64(fd, len);
}

int __wrap_shm_open(const char *name, int flags, mode_t mode_arg) {
  if (fail_now("shm_open", name)) return errno = EMFILE, -1;
  return __real_shm_open(name, flags, mode_arg);
}

ssize_t __wrap_read(int fd, void *buf, size_t n) {
  switch (transfer("read", fd, n)) {
  case 1:
    return errno = EIO, -1;
  case 2:
    n /= 2;
  }
  return __real_read(fd, buf, n);
}

ssize_t __wrap_pread64(int fd, void *buf, size_t n, off64_t off) {
  switch (transfer("pread64", fd, n)) {
  case 1:
    return errno = EIO, -1;
  case 2:
    n /= 2;
  }
  return __real_pread64(fd, buf, n, off);
}

ssize_t __wrap_write(int fd, const void *buf, size_t n) {
  switch (transfer("write", fd, n)) {
  case 1:
    return errno = EIO, -1;
  case 2:
    n /= 2;
  }
  return __real_write(fd, buf, n);
}

ssize_t __wrap_pwrite64(int fd, const void *buf, size_t n, off64_t off) {
  switch (transfer("pwrite64", fd, n)) {
  case 1:
    return errno = EIO, -1;
  case 2:
    n /= 2;
  }
  return __real_pwrite64(fd, buf, n, off);
}

ssize_t __wrap_readlink(const char *path, char *buf, size_t cap) {
  if (fail_now("readlink", path)) return errno = EIO, -1;
  return __real_readlink(path, buf, cap);
}

int __wrap_access(const char *path, int how) {
  if (fail_now("access", path)) return errno = EACCES, -1;
  return __real_access(path, how);
}

DIR *__wrap_opendir(const char *path) {
  if (fail_now("opendir", path)) return errno = EMFILE, (DIR *)NULL;
  return __real_opendir(path);
}

int __wrap_eventfd(unsigned initval, int flags) {
  if (fail_now("eventfd", NULL)) return errno = EMFILE, -1;
  return __real_eventfd(initval, flags);
}

int __wrap_poll(struct pollfd *fds, nfds_t n, int timeout) {
  if (fail_now("poll", NULL)) return errno = ENOMEM, -1;
  return __real_poll(fds, n, timeout);
}

int __wrap_sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  if (fail_now("sigaction", sig == SIGBUS ? "SIGBUS" : sig == SIGSEGV ? "SIGSEGV" : "other"))
    return errno = EINVAL, -1;
  return __real_sigaction(sig, act, old);
}

int __wrap_nanosleep(const struct timespec *req, struct timespec *rem) {
  /* A signal: the sleep ends early. */
  if (fail_now("nanosleep", NULL)) {
    if (rem != NULL) *rem = *req;
    return errno = EINTR, -1;
  }
  return __real_nanosleep(req, rem);
}

void *__wrap_malloc(size_t n) {
  void *p;
  if (fail_size("malloc", n)) return errno = ENOMEM, NULL;
  if ((p = __real_malloc(n)) != NULL) live_blocks++;
  return p;
}

void *__wrap_calloc(size_t n, size_t size) {
  void *p;
  if (fail_size("calloc", n * size)) return errno = ENOMEM, NULL;
  if ((p = __real_calloc(n, size)) != NULL) live_blocks++;
  return p;
}

void *__wrap_realloc(void *p, size_t n) {
  void *q;
  if (fail_size("realloc", n)) return errno = ENOMEM, NULL;
  q = __real_realloc(p, n);
  if (p == NULL && q != NULL) live_blocks++;
  if (p != NULL && n == 0) live_blocks--;
  return q;
}

void __wrap_free(void *p) {
  if (p != NULL) live_blocks--;
  __real_free(p);
}

ssize_t __wrap___getdelim(char **line, size_t *cap, int delim, FILE *f) {
  const int had = *line != NULL;
  ssize_t n;
  if (fail_now("__getdelim", NULL)) return errno = ENOMEM, -1;
  n = __real___getdelim(line, cap, delim, f);
  /* Its buffer is the caller's to free. */
  if (!had && *line != NULL) live_blocks++;
  return n;
}

/* An unoptimised build calls getline itself, not the inline's __getdelim. */
extern ssize_t __real_getline(char **line, size_t *cap, FILE *f);
ssize_t __wrap_getline(char **line, size_t *cap, FILE *f);
ssize_t __wrap_getline(char **line, size_t *cap, FILE *f) {
  const int had = *line != NULL;
  ssize_t n;
  if (fail_now("getline", NULL)) return errno = ENOMEM, -1;
  n = __real_getline(line, cap, f);
  if (!had && *line != NULL) live_blocks++;
  return n;
}

int __wrap_pthread_mutexattr_init(pthread_mutexattr_t *attr) {
  if (fail_now("pthread_mutexattr_init", NULL)) return ENOMEM;
  return __real_pthread_mutexattr_init(attr);
}

int __wrap_pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr) {
  if (fail_now("pthread_mutex_init", NULL)) return ENOMEM;
  return __real_pthread_mutex_init(m, attr);
}

#if MMIO_FAULTS_HAVE_EXPAT
extern XML_Parser __real_XML_ParserCreate(const XML_Char *encoding);
XML_Parser __wrap_XML_ParserCreate(const XML_Char *encoding);
XML_Parser __wrap_XML_ParserCreate(const XML_Char *encoding) {
  if (fail_now("XML_ParserCreate", NULL)) return NULL;
  return __real_XML_ParserCreate(encoding);
}
#endif

int fault_real_open(const char *path, int flags, int mode_arg) {
  return __real_open64(path, flags, mode_arg);
}

long fault_real_readlink(const char *path, char *buf, size_t cap) {
  return (long)__real_readlink(path, buf, cap);
}

long fault_real_write(int fd, const void *buf, size_t n) { return (long)__real_write(fd, buf, n); }

/* ---- the VFIO request names, for descriptions ---- */

static const char *vfio_request_name(unsigned long request) {
  switch (request) {
  case VFIO_GET_API_VERSION:
    return "VFIO_GET_API_VERSION";
  case VFIO_CHECK_EXTENSION:
    return "VFIO_CHECK_EXTENSION";
  case VFIO_SET_IOMMU:
    return "VFIO_SET_IOMMU";
  case VFIO_GROUP_GET_STATUS:
    return "VFIO_GROUP_GET_STATUS";
  case VFIO_GROUP_SET_CONTAINER:
    return "VFIO_GROUP_SET_CONTAINER";
  case VFIO_GROUP_GET_DEVICE_FD:
    return "VFIO_GROUP_GET_DEVICE_FD";
  case VFIO_DEVICE_GET_REGION_INFO:
    return "VFIO_DEVICE_GET_REGION_INFO";
  case VFIO_DEVICE_GET_IRQ_INFO:
    return "VFIO_DEVICE_GET_IRQ_INFO";
  case VFIO_DEVICE_SET_IRQS:
    return "VFIO_DEVICE_SET_IRQS";
  default:
    return "another request";
  }
}

/* ---- accounting ---- */

/* This process's shm objects, "mmio-faults-PID-..." (other tests, fault
 * tests too, make their own at the same time). */
static int count_shm(void) {
  DIR *d = opendir("/dev/shm");
  struct dirent *e;
  char mine[64];
  int n = 0;
  snprintf(mine, sizeof(mine), "mmio-faults-%d-", (int)getpid());
  if (d == NULL) return 0;
  while ((e = readdir(d)) != NULL)
    n += strncmp(e->d_name, mine, strlen(mine)) == 0;
  closedir(d);
  return n;
}

/* Mappings of the objects the tests give the library: every one is named
 * for the project (memfd:mmio-vmo, /tmp/mmio-tree-..., /dev/shm/mmio-...).
 * Others come and go with the allocator, or valgrind. */
static int count_maps(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[1024];
  int n = 0;
  if (f == NULL) return -1;
  while (fgets(line, sizeof(line), f) != NULL)
    n += strstr(line, "mmio") != NULL;
  fclose(f);
  return n;
}

void fault_count(struct fault_counts *out) {
  out->fds = test_count_fds();
  out->maps = count_maps();
  out->shm = count_shm();
  out->blocks = live_blocks;
}

int fault_region_empty(const struct mmio_region *r) {
  static const mmio_region empty;
  return memcmp(r, &empty, sizeof(empty)) == 0;
}

/* ---- the sweep ---- */

/* Whether what (a failure's description) ends with tail. */
static int ends_with(const char *what, const char *tail) {
  const size_t n = strlen(what), k = strlen(tail);
  return n >= k && strcmp(what + n - k, tail) == 0;
}

static int absorbed(const struct fault_case *c, const char *what) {
  const char *const *p;
  for (p = c->absorbed; p != NULL && *p != NULL; p++)
    if (ends_with(what, *p)) return 1;
  return 0;
}

static void table(const struct fault_case *c, const char *what, int err) {
  const char *path = getenv("MMIO_FAULT_TABLE");
  char call[64];
  FILE *f;
  if (path == NULL || (f = fopen(path, "a")) == NULL) return;
  snprintf(call, sizeof(call), "%.*s", (int)strcspn(what, " "), what);
  fprintf(f, "%s\t%s\t%s\n", c->entry, call, err != 0 ? mmio_err_name(err) : "absorbed");
  fclose(f);
}

/* What one run found. */
struct run {
  int err;
  char what[512]; /* the call that failed, "" when none did */
  char leak[256]; /* what was left behind, "" when nothing was */
};

/* One run with the nth call failing in mode m, in this process. */
static void run_here(const struct fault_case *c, enum fault_mode m, unsigned long n,
                     struct run *res) {
  struct fault_counts before, after;
  if (c->prepare != NULL) c->prepare(c->ctx);
  fault_count(&before);
  failed[0] = '\0';
  calls = 0;
  target = n;
  mode = m;
  res->err = c->act(c->ctx);
  mode = FAULT_OFF;
  snprintf(res->what, sizeof(res->what), "%s", failed);
  if (res->err == 0 && c->undo != NULL) c->undo(c->ctx);
  fault_count(&after);
  res->leak[0] = '\0';
  if (after.fds != before.fds || after.maps != before.maps || after.shm != before.shm ||
      after.blocks != before.blocks)
    snprintf(res->leak, sizeof(res->leak),
             "%d descriptors, %d mappings, %d shm objects, %ld allocations", after.fds - before.fds,
             after.maps - before.maps, after.shm - before.shm, after.blocks - before.blocks);
}

/* One run, in a child when the case asks for it. */
static void run_one(const struct fault_case *c, enum fault_mode m, unsigned long n,
                    struct run *res) {
  int p[2], status = 0;
  pid_t pid;
  memset(res, 0, sizeof(*res));
  if (!c->fork_each) {
    run_here(c, m, n, res);
  } else {
    assert_int_equal(pipe(p), 0);
    fflush(NULL);
    if ((pid = fork()) == 0) {
      close(p[0]);
      run_here(c, m, n, res);
      _exit(write(p[1], res, sizeof(*res)) == (ssize_t)sizeof(*res) ? 0 : 1);
    }
    close(p[1]);
    assert_int_equal(read(p[0], res, sizeof(*res)), (ssize_t)sizeof(*res));
    close(p[0]);
    waitpid(pid, &status, 0);
  }
  if (res->leak[0] != '\0')
    fail_msg("%s with %s failing: left %s behind", c->entry,
             res->what[0] != '\0' ? res->what : "nothing", res->leak);
}

int fault_sweep(const struct fault_case *c) {
  static const enum fault_mode modes[] = {FAULT_ERROR, FAULT_SHORT};
  const struct fault_expect *e;
  struct run res;
  int baseline, injected = 0;
  size_t m;
  run_one(c, FAULT_OFF, 0, &res);
  baseline = res.err;
  for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
    unsigned long n;
    for (n = 1;; n++) {
      run_one(c, modes[m], n, &res);
      if (res.what[0] == '\0') break; /* past the last call */
      injected++;
      table(c, res.what, res.err);
      if (res.err != 0 && strcmp(mmio_err_name(res.err), "UNKNOWN") == 0)
        fail_msg("%s with %s failing: returned %d, which is no error code", c->entry, res.what,
                 res.err);
      if (res.err == 0 && (baseline != 0 || !absorbed(c, res.what)))
        fail_msg("%s with %s failing: returned success", c->entry, res.what);
      for (e = c->expect; e != NULL && e->tail != NULL; e++)
        if (ends_with(res.what, e->tail) && res.err != e->err)
          fail_msg("%s with %s failing: returned %s, not %s", c->entry, res.what,
                   mmio_err_name(res.err), mmio_err_name(e->err));
    }
    if (m == 0 && n == 1) fail_msg("%s makes no call that can fail", c->entry);
  }
  return injected;
}
