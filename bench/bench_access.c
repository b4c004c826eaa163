/*
 * What checking costs: ns per checked 32-bit load and store on a mapped
 * memfd against a raw volatile pointer over the same object, and
 * mmio_map + release of one page against raw mmap + munmap; and how many
 * 32-bit accesses per second the fake register file and the strict mock
 * serve, next to the raw memory figure, since driver test suites run on
 * them.
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
#include <mmio/testing/fake.h>
#include <mmio/testing/mock.h>

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
  for (long i = 0; i < n; i++)
    sum += p[i & (WORDS - 1)];
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
  for (long i = 0; i < n; i++)
    p[i & (WORDS - 1)] = (uint32_t)i;
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

/* A fake with a realistic register block: 64 32-bit registers, a few with
 * bit rules; the loop walks all of them. */
static mmio_fake *make_fake(void) {
  struct mmio_fake_reg regs[64];
  mmio_fake *f;
  memset(regs, 0, sizeof(regs));
  for (int i = 0; i < 64; i++) {
    regs[i].offset = (size_t)i * 4;
    regs[i].width = 4;
    regs[i].reset = (uint64_t)i;
    regs[i].ro = i % 4 == 1 ? 0xff00u : 0;
    regs[i].w1c = i % 4 == 2 ? 0xffu : 0;
  }
  if (mmio_fake_create(&f, 256, MMIO_FAKE_STRICT) != 0 || mmio_fake_add_regs(f, regs, 64) != 0)
    abort();
  return f;
}

__attribute__((noinline)) static double fake_access(const mmio_region *r, long n) {
  uint32_t sum = 0, v = 0;
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    if (mmio_try_load32(r, (size_t)(i & 63) * 4, &v) != 0) abort();
    sum += v;
  }
  sink = sum;
  return (now_ns() - t0) / (double)n;
}

/* The mock's cost per access includes meeting one expectation; setting
 * the expectations up is not timed. */
static double mock_access(long n) {
  mmio_mock *m;
  mmio_region r;
  uint32_t sum = 0, v = 0;
  double t0;
  if (mmio_mock_create(&m, 256) != 0) abort();
  for (long i = 0; i < n; i++)
    if (mmio_mock_expect_load(m, 4, (size_t)(i & 63) * 4, (uint64_t)i) != 0) abort();
  if (mmio_mock_region(&r, m) != 0) abort();
  t0 = now_ns();
  for (long i = 0; i < n; i++) {
    if (mmio_try_load32(&r, (size_t)(i & 63) * 4, &v) != 0) abort();
    sum += v;
  }
  t0 = (now_ns() - t0) / (double)n;
  sink = sum;
  if (mmio_mock_verify(m) != 0) abort();
  mmio_region_release(&r);
  mmio_mock_destroy(m);
  return t0;
}

static double min2(double a, double b) { return a < b ? a : b; }

static void row(const char *what, double ours, double raw, double target) {
  double ratio = ours / raw;
  printf("%-28s %10.3f %10.3f %8.2fx   %s (target <= %.1fx)\n", what, ours, raw, ratio,
         ratio <= target ? "within" : "OVER", target);
}

int main(int argc, char **argv) {
  const int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
  const long n_access = quick ? 200000 : 2000000;
  const long n_map = quick ? 200 : 1000;
  const int reps = quick ? 3 : 41;
  const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
  double rl = 1e30, cl = 1e30, rs = 1e30, cs = 1e30, rm = 1e30, cm = 1e30;
  double fk = 1e30, mk = 1e30;
  mmio_fake *fake = make_fake();
  mmio_region r, fr;
  volatile uint32_t *p;
  int fd = mmio_vmo_create(ps);
  if (fd < 0) {
    fprintf(stderr, "bench_access: mmio_vmo_create: %s\n", mmio_strerror(fd));
    return 1;
  }
  if (mmio_map(&r, fd, 0, ps, MMIO_CACHE_DEFAULT, 0) != 0) return 1;
  p = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return 1;
  if (mmio_fake_region(&fr, fake) != 0) return 1;

  /* Round 0 warms caches, page tables and the clock; it is not counted.
   * The rounds are spread out in time: on a shared machine, neighbours
   * (an SMT sibling, above all) come and go over seconds, slow the
   * instruction-heavy loops more than the raw ones, and a burst of rounds
   * can fall entirely inside one such phase. */
  for (int k = 0; k <= reps; k++) {
    if (k == 1) rl = cl = rs = cs = rm = cm = fk = mk = 1e30;
    if (k > 0 && !quick) usleep(100000);
    rl = min2(rl, raw_load(p, n_access));
    cl = min2(cl, checked_load(&r, n_access));
    rs = min2(rs, raw_store(p, n_access));
    cs = min2(cs, checked_store(&r, n_access));
    rm = min2(rm, raw_map(fd, ps, n_map));
    cm = min2(cm, checked_map(fd, ps, n_map));
    fk = min2(fk, fake_access(&fr, n_access / 8));
    mk = min2(mk, mock_access(n_access / 8));
  }

  printf("compiler: %s\n", __VERSION__);
  printf("%-28s %10s %10s %9s\n", "operation (ns each)", "mmio", "raw", "ratio");
  row("load32 (mmio_try_load32)", cl, rl, 1.5);
  row("store32 (mmio_try_store32)", cs, rs, 1.5);
  row("map+release one page", cm, rm, 1.5);
  printf("\n%-28s %10s %10s\n", "32-bit loads per second", "M/s", "ns each");
  printf("%-28s %10.1f %10.2f\n", "raw memory", 1e3 / rl, rl);
  printf("%-28s %10.1f %10.2f   %s (target >= 50 M/s)\n", "fake register file", 1e3 / fk, fk,
         1e3 / fk >= 50 ? "within" : "UNDER");
  printf("%-28s %10.1f %10.2f\n", "strict mock", 1e3 / mk, mk);
  mmio_region_release(&fr);
  mmio_fake_destroy(fake);
  munmap((void *)p, ps);
  mmio_region_release(&r);
  close(fd);
  return 0;
}
