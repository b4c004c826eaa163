/*
 * The mmio command against busybox devmem, on a real (emulated) device,
 * each against a baseline of the same run (the test VM runs it on QEMU's
 * edu device; see tests/vm):
 *
 *   1. reading a register 1000 times: 1000 runs of `busybox devmem ADDR`
 *      against one `mmio -q phys:ADDR+LEN --batch FILE` whose FILE has 1000
 *      reads (both through /dev/mem), in five rounds of 200 runs and one
 *      batch, the median round reported; target at least 500x faster;
 *   2. the cost of one read inside a batch (the difference between a batch
 *      of N and of 1000 reads, over N - 1000) against a raw volatile load
 *      of the same register through a plain mmap of its sysfs resource
 *      file in this process; target at most 2x.
 *
 * usage: bench_cli MMIO BUSYBOX BDF [N]
 * It reports; it does not fail.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The register read: edu's STATUS, a plain 32-bit register. */
#define REG 0x20
/* Rounds of the first comparison. */
#define ROUNDS 5

static int by_value(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv with stdout to /dev/null; returns its exit status or -1. */
static int run(char *const argv[]) {
  posix_spawn_file_actions_t fa;
  pid_t pid;
  int status = -1;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0) waitpid(pid, &status, 0);
  posix_spawn_file_actions_destroy(&fa);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A batch file of n reads of REG. */
static void write_batch(const char *path, long n) {
  FILE *f = fopen(path, "w");
  long i;
  if (f == NULL) exit(1);
  for (i = 0; i < n; i++)
    fprintf(f, "read 0x%x\n", REG);
  fclose(f);
}

/* The best of a few runs of one mmio batch, in seconds. */
static double batch_time(char *mmio, char *spec, char *file) {
  char *argv[] = {mmio, "-q", spec, "--batch", file, NULL};
  double best = 1e30;
  int k;
  for (k = 0; k < 5; k++) {
    const double t0 = now_s();
    if (run(argv) != 0) {
      fprintf(stderr, "bench_cli: %s %s --batch %s failed\n", mmio, spec, file);
      exit(1);
    }
    if (now_s() - t0 < best) best = now_s() - t0;
  }
  return best;
}

int main(int argc, char **argv) {
  char spec[64], addr[32], path[128];
  volatile uint32_t *bar;
  unsigned long long start = 0;
  double t_busybox, t_one, t_batch, t_big, t_raw = 1e30, ratio[ROUNDS];
  long n = argc > 4 ? atol(argv[4]) : 20000, i;
  int fd, k;
  FILE *f;
  if (argc < 4) {
    fprintf(stderr, "usage: bench_cli MMIO BUSYBOX BDF [N]\n");
    return 2;
  }
  snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", argv[3]);
  if ((f = fopen(path, "r")) == NULL || fscanf(f, "%llx", &start) != 1) return 1;
  fclose(f);
  /* The route busybox takes: /dev/mem at the BAR's physical address. */
  snprintf(spec, sizeof(spec), "phys:0x%llx+0x1000", start);
  snprintf(addr, sizeof(addr), "0x%llx", start + REG);

  write_batch("/tmp/bench-1", 1);
  write_batch("/tmp/bench-1000", 1000);
  write_batch("/tmp/bench-n", n);

  /* 1. 1000 busybox runs against one batch of 1000 reads, in five rounds
   * of 200 runs and one batch each, so that both sides of a round see the
   * same load on the host; the median round's ratio is reported. */
  {
    char *bb[] = {argv[2], "devmem", addr, NULL};
    char *batch[] = {argv[1], "-q", spec, "--batch", "/tmp/bench-1000", NULL};
    t_busybox = 0;
    for (k = 0; k < ROUNDS; k++) {
      double t0 = now_s(), runs, one;
      for (i = 0; i < 200; i++)
        if (run(bb) != 0) return 1;
      runs = (now_s() - t0) * 1000 / 200;
      t0 = now_s();
      if (run(batch) != 0) return 1;
      one = now_s() - t0;
      ratio[k] = runs / one;
      t_busybox += runs / ROUNDS;
    }
    qsort(ratio, ROUNDS, sizeof(ratio[0]), by_value);
  }
  t_one = batch_time(argv[1], spec, "/tmp/bench-1");
  t_batch = batch_time(argv[1], spec, "/tmp/bench-1000");
  t_big = batch_time(argv[1], spec, "/tmp/bench-n");

  /* 2. The raw read, through a mapping of our own. */
  snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", argv[3]);
  fd = open(path, O_RDWR | O_SYNC);
  bar = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
  if (bar == MAP_FAILED) return 1;
  for (k = 0; k < 5; k++) {
    const double t0 = now_s();
    uint32_t sink = 0;
    for (i = 0; i < n - 1000; i++)
      sink |= bar[REG / 4];
    if (now_s() - t0 < t_raw) t_raw = now_s() - t0;
    if (sink == 0xdeadbeef) puts("");
  }
  munmap((void *)bar, 4096);
  close(fd);

  printf("bench: 1000 reads: busybox devmem x1000 %.1f ms, one mmio batch %.2f ms: %.0fx "
         "faster, median of %d rounds (%.0fx to %.0fx; target >= 500x)\n",
         t_busybox * 1e3, t_batch * 1e3, ratio[ROUNDS / 2], ROUNDS, ratio[0], ratio[ROUNDS - 1]);
  printf("bench: one run of each: busybox devmem %.2f ms, mmio with one read %.2f ms\n", t_busybox,
         t_one * 1e3);
  printf("bench: one read inside a batch %.2f us, raw volatile read %.2f us: %.2fx "
         "(target <= 2x)\n",
         (t_big - t_batch) / (double)(n - 1000) * 1e6, t_raw / (double)(n - 1000) * 1e6,
         (t_big - t_batch) / t_raw);
  return 0;
}
