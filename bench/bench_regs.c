/*
 * What the register layer costs, against baselines measured in the same
 * run:
 *
 *   - a field write (mmio_field_set on a register declared with MMIO_REG,
 *     next to a write-1-to-clear field it must not disturb) against the
 *     raw load, masking and store a hand-written driver makes (target
 *     <= 1.1x);
 *   - loading RP2040.svd (2.6 MB) into the model against libexpat alone
 *     scanning the same bytes (target <= 3x), and the model's size in
 *     memory against the file's (target < 1x);
 *   - a name lookup in RP2040's 1182 registers against one in edu's 12: a
 *     binary search costs about log2(1182)/log2(12) = 2.8 times as much, a
 *     scan about 100 times (target <= 4x).
 *
 * Each figure is the best of several rounds after a warm-up round.
 * usage: bench_regs [--quick]   (RP2040.svd from MMIO_RP2040_SVD, or the
 * path it was built with; the SVD rows are skipped when it is absent)
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <mmio/desc.h>
#include <mmio/mmio.h>
#include <mmio/regs.h>

#if defined(MMIO_BENCH_EXPAT)
#include <expat.h>
#endif

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double min2(double a, double b) { return a < b ? a : b; }

static void row(const char *what, double ours, double base, double target, const char *unit) {
  const double ratio = ours / base;
  printf("%-34s %12.3f %12.3f %8.2fx   %s (target %s %.1fx)%s\n", what, ours, base, ratio,
         ratio <= target ? "within" : "OVER", "<=", target, unit);
}

/* ---- field writes ---- */

#define CR_FIELDS(F, R)                                                                            \
  F(R, EN, 0, 0, MMIO_RW)                                                                          \
  F(R, MODE, 5, 4, MMIO_RW)                                                                        \
  F(R, IRQ, 11, 8, MMIO_W1C)                                                                       \
  F(R, DIV, 31, 16, MMIO_RW)
MMIO_REG(CR, 0x40, 32, MMIO_RW, 0, CR_FIELDS);

/* The driver's own read-modify-write of MODE, writing IRQ as 0. */
__attribute__((noinline)) static double raw_modify(volatile uint32_t *p, long n) {
  double t0 = now_ns();
  for (long i = 0; i < n; i++) {
    uint32_t v = mmio_raw_load32(p + 0x10);
    mmio_raw_store32(p + 0x10, (v & ~0xf30u) | ((uint32_t)(i & 3) << 4));
  }
  return (now_ns() - t0) / (double)n;
}

__attribute__((noinline)) static double field_modify(mmio_region *r, long n) {
  double t0 = now_ns();
  for (long i = 0; i < n; i++)
    if (mmio_field_set(r, &CR, CR_MODE, (uint64_t)(i & 3)) != 0) abort();
  return (now_ns() - t0) / (double)n;
}

/* ---- descriptions ---- */

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
      (buf = malloc((size_t)n + 1)) == NULL) {
    fclose(f);
    return NULL;
  }
  *len = fread(buf, 1, (size_t)n, f);
  fclose(f);
  return buf;
}

#if defined(MMIO_BENCH_EXPAT)
static void expat_start(void *u, const XML_Char *t, const XML_Char **a) {
  (void)u, (void)t, (void)a;
}
static void expat_end(void *u, const XML_Char *t) { (void)u, (void)t; }
static void expat_text(void *u, const XML_Char *s, int n) { (void)u, (void)s, (void)n; }

/* libexpat alone: the least any SVD reader built on it can cost. */
static double expat_scan(const char *data, size_t len) {
  double t0 = now_ns();
  XML_Parser p = XML_ParserCreate(NULL);
  XML_SetElementHandler(p, expat_start, expat_end);
  XML_SetCharacterDataHandler(p, expat_text);
  if (XML_Parse(p, data, (int)len, XML_TRUE) != XML_STATUS_OK) abort();
  XML_ParserFree(p);
  return now_ns() - t0;
}

static double load(const char *data, size_t len, size_t *bytes) {
  struct mallinfo2 before = mallinfo2(), after;
  mmio_desc *d;
  double t0 = now_ns(), t;
  char why[256];
  if (mmio_desc_parse(&d, data, len, "RP2040.svd", why, sizeof(why)) != 0) {
    fprintf(stderr, "bench_regs: %s\n", why);
    exit(1);
  }
  t = now_ns() - t0;
  after = mallinfo2();
  *bytes = after.uordblks + after.hblkhd - before.uordblks - before.hblkhd;
  mmio_desc_free(d);
  return t;
}

/* Every "PERIPHERAL.REGISTER" of d, looked up in turn: ns per lookup. */
static double lookups(const mmio_desc *d, int rounds) {
  char(*names)[128] = NULL;
  size_t n = 0, cap = 0, i, j;
  double best = 1e30;
  for (i = 0; i < mmio_desc_nperiphs(d); i++) {
    const struct mmio_periph *p = mmio_desc_periph(d, i);
    for (j = 0; j < p->nregs; j++) {
      if (n == cap) {
        cap = cap != 0 ? cap * 2 : 256;
        if ((names = realloc(names, cap * sizeof(*names))) == NULL) abort();
      }
      snprintf(names[n++], sizeof(names[0]), "%s.%s", p->name, p->regs[j].name);
    }
  }
  for (int k = 0; k <= rounds; k++) {
    const long reps = (long)(2000000 / n) + 1;
    struct mmio_name found;
    double t0 = now_ns();
    for (long rep = 0; rep < reps; rep++)
      for (i = 0; i < n; i++)
        if (mmio_desc_find(&found, d, NULL, names[i], NULL, 0) != 0) abort();
    if (k > 0) best = min2(best, (now_ns() - t0) / (double)(reps * (long)n));
  }
  free(names);
  return best;
}
#endif

int main(int argc, char **argv) {
  const int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
  const int rounds = quick ? 3 : 21;
  const long n_modify = quick ? 200000 : 5000000;
  const char *svd = getenv("MMIO_RP2040_SVD") != NULL ? getenv("MMIO_RP2040_SVD") : MMIO_RP2040_SVD;
  const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
  double raw = 1e30, field = 1e30;
  volatile uint32_t *p;
  mmio_region r;
  char *data;
  size_t len = 0;
  int fd = mmio_vmo_create(ps);

  if (fd < 0 || mmio_map(&r, fd, 0, ps, MMIO_CACHE_DEFAULT, 0) != 0) return 1;
  p = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return 1;
  for (int k = 0; k <= rounds; k++) {
    if (k == 1) raw = field = 1e30;
    raw = min2(raw, raw_modify(p, n_modify));
    field = min2(field, field_modify(&r, n_modify));
  }
  printf("compiler: %s\n", __VERSION__);
  printf("%-34s %12s %12s %9s\n", "", "mmio", "baseline", "ratio");
  row("field write (ns; raw load+store)", field, raw, 1.1, "");
  munmap((void *)p, ps);
  mmio_region_release(&r);
  close(fd);

  data = slurp(svd, &len);
  if (data == NULL) {
    printf("RP2040.svd is not at %s: the description rows are skipped\n", svd);
    return 0;
  }
#if defined(MMIO_BENCH_EXPAT)
  {
    double scan = 1e30, model = 1e30;
    size_t bytes = 0;
    mmio_desc *d, *edu;
    char why[256];
    const char *edu_text = "peripheral EDU\n register ID 0x00\n register LIVENESS 0x04\n"
                           " register FACTORIAL 0x08\n register STATUS 0x20\n"
                           " register IRQ_STATUS 0x24\n register IRQ_RAISE 0x60\n"
                           " register IRQ_ACK 0x64\n register DMA_SRC 0x80 64\n"
                           " register DMA_DST 0x88 64\n register DMA_COUNT 0x90 64\n"
                           " register DMA_CMD 0x98 64\n register SPARE 0xa0\n";
    for (int k = 0; k <= rounds; k++) {
      const double s = expat_scan(data, len), m = load(data, len, &bytes);
      if (k > 0) scan = min2(scan, s), model = min2(model, m);
    }
    row("load RP2040.svd (ms; expat alone)", model / 1e6, scan / 1e6, 3.0, "");
    row("model in memory (MB; file size)", (double)bytes / 1e6, (double)len / 1e6, 1.0, "");
    if (mmio_desc_parse(&d, data, len, "RP2040.svd", why, sizeof(why)) != 0 ||
        mmio_desc_parse(&edu, edu_text, strlen(edu_text), "edu", why, sizeof(why)) != 0)
      return 1;
    row("name lookup (ns; 12 vs 1182 regs)", lookups(d, rounds), lookups(edu, rounds), 4.0, "");
    mmio_desc_free(d);
    mmio_desc_free(edu);
  }
#else
  printf("built without libexpat: the SVD rows are skipped\n");
#endif
  free(data);
  return 0;
}
