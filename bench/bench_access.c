/*
 * What checking costs: ns per checked 32-bit load and store on a mapped
 * memfd against a raw volatile pointer over the same object, and
 * mmio_map + release of one page against raw mmap + munmap.
 *
 * Each figure is the best of many short rounds, the variants interleaved,
 * after a warm-up round, and each ratio compares two figures of this same
 * run, so clock-speed changes and other load cancel out. The build aligns
 * loops to 64 bytes (see CMakeLists.txt): without that, where a one-cycle
 * loop happens to fall relative to fetch boundaries moves it by up to 70%
 * on some cores, raw and checked alike, and the ratio measures the linker.
 *
 * usage: bench_access [--quick]
 * Prints one table; exits 0 (a benchmark reports, it does not judge).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <mmio/mmio.h>

#define WORDS 1024 /* one 4 KiB page of 32-bit registers */

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Keeps results alive without a memory barrier in the loop. */
static volatile uint32_t sink;

/* noinline keeps each loop a separate, comparable function; the accessors
 * inside are inlined as in user code. */
__attribute__((noinline)) static double raw_load(volatile uint32_t *p, long n) {
  uint32_t sum = 0;
  double t0 = now_ns();
  for (long i = 0; i < n; i++) sum += p[i & (WORDS - 1)];
  sink = sum;
  return (now_ns() - t0) / (double)n;
}

__attribute__((noinline)) static double checked_load(const mmio_region *r, long n) {
  uint32_t sum = 0, v = 0;
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    if (mmio_try_load32(r, (size_t)(i & (WORDS - 1)) * 4, &v) != 0) abort();
    sum += v;
  }
  sink = sum;
  return (now_ns() - t0) / (double)n;
}

__attribute__((noinline)) static double raw_store(volatile uint32_t *p, long n) {
  double t0 = now_ns();
  for (long i = 0; i < n; i++) p[i & (WORDS - 1)] = (uint32_t)i;
  return (now_ns() - t0) / (double)n;
}

__attribute__((noinline)) static double checked_store(mmio_region *r, long n) {
  double t0 = now_ns();
  for (long i = 0; i < n; i++)
    if (mmio_try_store32(r, (size_t)(i & (WORDS - 1)) * 4, (uint32_t)i) != 0) abort();
  return (now_ns() - t0) / (double)n;
}

static double raw_map(int fd, size_t ps, long n) {
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    void *p = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) abort();
    munmap(p, ps);
  }
  return (now_ns() - t0) / (double)n;
}

static double checked_map(int fd, size_t ps, long n) {
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    mmio_region r;
    if (mmio_map(&r, fd, 0, ps, MMIO_CACHE_DEFAULT, 0) != 0) abort();
    mmio_region_release(&r);
  }
  return (now_ns() - t0) / (double)n;
}

static double min2(double a, double b) { return a < b ? a : b; }

static void row(const char *what, double ours, double raw, double target) {
  double ratio = ours / raw;
  printf("%-28s %10.3f %10.3f %8.2fx   %s (target <= %.1fx)\n", what, ours, raw,
         ratio, ratio <= target ? "within" : "OVER", target);
}

int main(int argc, char **argv) {
  const int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
  const long n_access = quick ? 200000 : 2000000;
  const long n_map = quick ? 200 : 1000;
  const int reps = quick ? 3 : 41;
  const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
  double rl = 1e30, cl = 1e30, rs = 1e30, cs = 1e30, rm = 1e30, cm = 1e30;
  mmio_region r;
  volatile uint32_t *p;
  int fd = mmio_vmo_create(ps);
  if (fd < 0) {
    fprintf(stderr, "bench_access: mmio_vmo_create: %s\n", mmio_strerror(fd));
    return 1;
  }
  if (mmio_map(&r, fd, 0, ps, MMIO_CACHE_DEFAULT, 0) != 0) return 1;
  p = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return 1;

  /* Round 0 warms caches, page tables and the clock; it is not counted. */
  for (int k = 0; k <= reps; k++) {
    if (k == 1) rl = cl = rs = cs = rm = cm = 1e30;
    rl = min2(rl, raw_load(p, n_access));
    cl = min2(cl, checked_load(&r, n_access));
    rs = min2(rs, raw_store(p, n_access));
    cs = min2(cs, checked_store(&r, n_access));
    rm = min2(rm, raw_map(fd, ps, n_map));
    cm = min2(cm, checked_map(fd, ps, n_map));
  }

  printf("compiler: %s\n", __VERSION__);
  printf("%-28s %10s %10s %9s\n", "operation (ns each)", "mmio", "raw", "ratio");
  row("load32 (mmio_try_load32)", cl, rl, 1.5);
  row("store32 (mmio_try_store32)", cs, rs, 1.5);
  row("map+release one page", cm, rm, 1.5);
  munmap((void *)p, ps);
  mmio_region_release(&r);
  close(fd);
  return 0;
}
