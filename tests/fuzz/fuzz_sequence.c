/*
 * The sequence fuzzer: the input is a program of region operations (every
 * width, offsets near the end and near SIZE_MAX, masked modifies, splits
 * at any point, read-only, guards, moves and releases in any order) over
 * regions of memory, memfd mappings, function-table backends, fake
 * register files, traces and checkers. Every answer, value, backend call,
 * trace record, release and fake byte is compared with the shadow model
 * (shadow.h); any difference aborts with the operation that showed it. At
 * the end every region is released, and no mapping, descriptor or memory
 * may be left.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mmio/mmio.h>
#include <mmio/testing/checker.h>
#include <mmio/testing/fake.h>

#include "shadow.h"

static struct shadow sh;
static mmio_region slot[SH_SLOTS];
static int op_no;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "fuzz_sequence: operation %d: %s:%d: %s\n", op_no, __FILE__, __LINE__,       \
              #cond);                                                                              \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

#define CHECK_ERR(got, want)                                                                       \
  do {                                                                                             \
    const int got_ = (got), want_ = (want);                                                        \
    if (got_ != want_) {                                                                           \
      fprintf(stderr, "fuzz_sequence: operation %d: %s:%d: got %s (%d), the model says %s (%d)\n", \
              op_no, __FILE__, __LINE__, mmio_err_name(got_), got_, mmio_err_name(want_), want_);  \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

/* ---- the input ---- */

struct input {
  const uint8_t *p;
  size_t n;
};

static unsigned byte(struct input *in) {
  if (in->n == 0) return 0;
  in->n--;
  return *in->p++;
}

static uint64_t u64(struct input *in) {
  uint64_t v = 0;
  int i;
  for (i = 0; i < 8; i++)
    v |= (uint64_t)byte(in) << (8 * i);
  return v;
}

/* An offset, a split point or a size: small, near len, near SIZE_MAX or
 * anything. */
static uint64_t place(struct input *in, uint64_t len) {
  const unsigned how = byte(in);
  switch (how & 3) {
  case 0:
    return byte(in);
  case 1:
    return len - byte(in) % 16;
  case 2:
    return SIZE_MAX - byte(in) % 16;
  default:
    return u64(in);
  }
}

static unsigned width_of(unsigned sel) { return 1u << (sel & 3); }

static uint64_t bits_of(unsigned width) { return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1; }

/* ---- what the real objects are and what they saw ---- */

struct real {
  int id;
  int released;        /* release functions run */
  uint8_t *mem;        /* memory: the allocation; borrowed ones are freed at the end */
  size_t skew;         /* memory: byte 0 is at mem + skew */
  const uint8_t *want; /* memory: what it must hold when released */
  size_t len;
  void *trap;
  int fd; /* memfd */
  uint64_t map_off;
  mmio_fake *fake;
  unsigned long reports; /* failures the fake or checker reported */
  unsigned fail_mod, fail_sel;
  int fail_err;
};

static struct real real[SH_BACKS];
static struct sh_event calls[SH_LOG], records[SH_LOG];
static int ncalls, nrecords;

static void record_event(struct sh_event *log, int *n, const struct sh_event *e) {
  if (*n < SH_LOG) log[*n] = *e;
  (*n)++;
}

static void on_memory_release(void *ctx) {
  struct real *r = ctx;
  r->released++;
  /* Every byte is as the model says: nothing wrote where it must not. */
  if (memcmp(r->mem + r->skew, r->want, r->len) != 0) {
    fprintf(stderr, "fuzz_sequence: memory of backing %d differs from the model\n", r->id);
    abort();
  }
  free(r->mem);
  r->mem = NULL;
}

static void on_trap_release(void *ctx) {
  struct real *r = ctx;
  r->released++;
  munmap(r->trap, (size_t)sysconf(_SC_PAGESIZE));
  r->trap = NULL;
}

/* The backend: its calls are logged and must keep the promises of
 * mmio/backend.h (aligned, inside the length it was made with). */
static int ops_access(void *ctx, size_t off, unsigned width, int store, uint64_t *value) {
  struct real *r = ctx;
  struct sh_event e;
  if (off % width != 0 || off > r->len || r->len - off < width) {
    fprintf(stderr, "fuzz_sequence: backend called at 0x%zx width %u of a 0x%zx-byte region\n", off,
            width, r->len);
    abort();
  }
  memset(&e, 0, sizeof(e));
  e.back = r->id;
  e.store = store;
  e.width = width;
  e.off = off;
  e.value = store ? *value : 0;
  record_event(calls, &ncalls, &e);
  if (r->fail_mod != 0 && (off / 8) % r->fail_mod == r->fail_sel) return r->fail_err;
  if (!store) *value = sh_ops_value(r->id, off, width);
  return 0;
}

static void ops_release(void *ctx) { ((struct real *)ctx)->released++; }

MMIO_DEFINE_OPS(fuzz_ops, ops_access, ops_release);

static void on_trace(void *arg, const struct mmio_trace_record *rec) {
  const struct real *r = arg;
  struct sh_event e;
  memset(&e, 0, sizeof(e));
  e.back = r->id;
  e.seq = rec->seq;
  e.store = rec->store;
  e.width = rec->width;
  e.off = rec->offset;
  e.value = rec->value;
  e.err = rec->err;
  record_event(records, &nrecords, &e);
}

static void on_report(void *arg, const char *message) {
  (void)message;
  ((struct real *)arg)->reports++;
}

/* ---- comparing ---- */

static void same_events(const struct sh_event *got, int ngot, const struct sh_event *want,
                        int nwant, const char *what) {
  int i;
  if (sh.overflow) return;
  if (ngot != nwant) {
    fprintf(stderr, "fuzz_sequence: operation %d: %d %s, the model says %d\n", op_no, ngot, what,
            nwant);
    abort();
  }
  for (i = 0; i < ngot && i < SH_LOG; i++) {
    const struct sh_event *g = &got[i], *w = &want[i];
    if (g->back != w->back || g->store != w->store || g->width != w->width || g->off != w->off ||
        g->value != w->value || g->err != w->err || g->seq != w->seq) {
      fprintf(stderr,
              "fuzz_sequence: operation %d: %s %d: backing %d %s%u at 0x%llx value 0x%llx err %d "
              "seq %llu; the model says backing %d %s%u at 0x%llx value 0x%llx err %d seq %llu\n",
              op_no, what, i, g->back, g->store ? "store" : "load", g->width * 8,
              (unsigned long long)g->off, (unsigned long long)g->value, g->err,
              (unsigned long long)g->seq, w->back, w->store ? "store" : "load", w->width * 8,
              (unsigned long long)w->off, (unsigned long long)w->value, w->err,
              (unsigned long long)w->seq);
      abort();
    }
  }
}

static void check_fake(int b) {
  const struct sh_fake *f = &sh.back[b].fake;
  size_t i;
  for (i = 0; i < f->len; i++)
    CHECK(mmio_fake_peek8(real[b].fake, i) == f->bytes[i]);
  for (i = 0; i < f->nregs; i++) {
    CHECK(mmio_fake_reads(real[b].fake, f->reg[i].off) == f->reg[i].reads);
    CHECK(mmio_fake_writes(real[b].fake, f->reg[i].off) == f->reg[i].writes);
  }
  CHECK(real[b].reports == f->reports);
}

/* After every operation: what the backends and traces saw, what was
 * released, every fake's bytes and counts, every slot's length and
 * rights. */
static void compare(void) {
  int b, s;
  same_events(calls, ncalls, sh.calls, sh.ncalls, "backend calls");
  same_events(records, nrecords, sh.records, sh.nrecords, "trace records");
  ncalls = nrecords = sh.ncalls = sh.nrecords = 0;
  sh.overflow = 0;
  for (b = 0; b < sh.nback; b++) {
    CHECK(real[b].released == sh.back[b].released);
    if (sh.back[b].kind == SH_FAKE) check_fake(b);
    if (sh.back[b].kind == SH_CHECKER) CHECK(real[b].reports == 0);
  }
  for (s = 0; s < SH_SLOTS; s++) {
    const struct sh_slot *sl = &sh.slot[s];
    CHECK(mmio_len(&slot[s]) == (sl->back < 0 ? 0 : sl->len));
    CHECK(mmio_region_is_read_only(&slot[s]) == sl->ro);
    CHECK(mmio_region_is_guarded(&slot[s]) == sl->guarded);
  }
}

/* ---- making backings ---- */

static void empty_slot(int s) {
  mmio_region_release(&slot[s]);
  sh_release(&sh, s);
}

/* A slot's new backing in the model and the matching real record. */
static int new_back(enum sh_kind kind, uint64_t align, size_t len) {
  int b = sh_new_back(&sh, kind, align, len);
  if (b >= 0) {
    memset(&real[b], 0, sizeof(real[b]));
    real[b].id = b;
    real[b].fd = -1;
    real[b].len = len;
  }
  return b;
}

static void count_release(void *ctx) { (*(int *)ctx)++; }

static void make_memory(struct input *in, int s) {
  const unsigned how = byte(in);
  const size_t len = byte(in) | (size_t)(byte(in) & 3) << 8;
  const size_t skew = byte(in) % 8;
  const int counted = how & 1;
  uint8_t *mem;
  size_t i;
  int b;
  if ((how & 0x70) == 0x70) {
    /* Refusals, before anything is kept (the base is never touched). */
    static uint8_t dummy;
    const unsigned which = (how >> 1) % 3;
    void *base = which == 0 ? NULL : which == 1 ? (void *)&dummy : (void *)(UINTPTR_MAX - 15);
    const size_t n = which == 0 ? len + 1 : which == 1 ? (size_t)PTRDIFF_MAX + 1 + len : 16 + len;
    int released = 0;
    CHECK_ERR(mmio_region_from_memory(&slot[s], base, n, counted ? count_release : NULL, &released),
              which == 0 ? -EINVAL : MMIO_ERR_OUT_OF_RANGE);
    CHECK(mmio_len(&slot[s]) == 0 && released == 0);
    return;
  }
  if ((mem = malloc(len + skew + 1)) == NULL) return;
  if ((b = new_back(SH_MEMORY, (uintptr_t)(mem + skew), len)) < 0) {
    free(mem);
    return;
  }
  if ((sh.back[b].bytes = malloc(len + 1)) == NULL) abort();
  for (i = 0; i < len + skew + 1; i++)
    mem[i] = (uint8_t)(i * 7 + (unsigned)b);
  memcpy(sh.back[b].bytes, mem + skew, len);
  real[b].mem = mem;
  real[b].skew = skew;
  real[b].want = sh.back[b].bytes;
  sh.back[b].counted = counted;
  CHECK_ERR(mmio_region_from_memory(&slot[s], mem + skew, len, counted ? on_memory_release : NULL,
                                    &real[b]),
            0);
  sh_place(&sh, s, b);
}

static void make_trap(int s) {
  const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
  void *page = mmap(NULL, ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int b;
  if (page == MAP_FAILED) return;
  if ((b = new_back(SH_TRAP, (uintptr_t)page, ps)) < 0) {
    munmap(page, ps);
    return;
  }
  real[b].trap = page;
  sh.back[b].counted = 1;
  CHECK_ERR(mmio_region_from_memory(&slot[s], page, ps, on_trap_release, &real[b]), 0);
  sh_place(&sh, s, b);
}

/* A memfd, a window of it mapped. Sizes and offsets cover the refusals of
 * mmio_vmo_create and mmio_map, and a window beyond 4 GiB. */
static void make_memfd(struct input *in, int s) {
  const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
  const unsigned how = byte(in), policy = byte(in) % 7, flags_sel = byte(in);
  const unsigned flags = (flags_sel & 1 ? MMIO_MAP_READ_ONLY : 0) | (flags_sel & 2 ? 0x80u : 0);
  size_t vmo, size;
  uint64_t off, obj;
  int fd, b, want, alt;
  uint8_t *pattern;
  size_t i;
  switch (how & 7) {
  case 0:
    vmo = 0;
    break;
  case 1:
    vmo = SIZE_MAX - byte(in) % 8;
    break;
  case 2:
    vmo = (size_t)1 << 63;
    break;
  case 3:
    vmo = 0x100004000ull; /* sparse, beyond 4 GiB */
    break;
  default:
    vmo = 1 + byte(in) + (size_t)(byte(in) % 3) * ps;
  }
  obj = vmo == 0 || vmo > SIZE_MAX - (ps - 1) ? 0 : (vmo + ps - 1) / ps * ps;
  fd = mmio_vmo_create(vmo);
  if (vmo == 0) {
    CHECK_ERR(fd, -EINVAL);
  } else if (obj == 0 || obj > (uint64_t)INT64_MAX) {
    CHECK_ERR(fd, MMIO_ERR_OUT_OF_RANGE);
  } else {
    CHECK(fd >= 0);
  }
  /* The window: in the object, at its end, beyond 4 GiB, or refused. */
  off = (how >> 3) & 1 ? 0x100003000ull + byte(in) : byte(in) + (size_t)(byte(in) % 3) * ps;
  switch ((how >> 4) & 3) {
  case 0:
    size = 1 + byte(in) + (size_t)(byte(in) % 2) * ps;
    break;
  case 1:
    size = 0;
    break;
  case 2:
    size = (size_t)PTRDIFF_MAX + 1;
    break;
  default:
    size = SIZE_MAX - byte(in) % 4;
  }
  if (fd < 0) {
    /* No object: the arguments are judged before the descriptor is. */
    want = size == 0 || policy > MMIO_CACHE_WRITE_COMBINING || (flags & 0x80) ? -EINVAL
           : size > PTRDIFF_MAX || off > UINT64_MAX - size ? MMIO_ERR_OUT_OF_RANGE
                                                           : -EBADF;
    CHECK_ERR(mmio_map(&slot[s], -1, off, size, (enum mmio_cache_policy)policy, flags), want);
    CHECK(mmio_len(&slot[s]) == 0);
    return;
  }
  want = alt = 0;
  if (size == 0 || policy > MMIO_CACHE_WRITE_COMBINING || (flags & 0x80))
    want = alt = -EINVAL;
  else if (size > PTRDIFF_MAX || off > UINT64_MAX - size)
    want = alt = MMIO_ERR_OUT_OF_RANGE;
  else {
    const int past = off + size > obj;
    const int policy_bad = policy != MMIO_CACHE_DEFAULT && policy != MMIO_CACHE_CACHED;
    want = past ? MMIO_ERR_OUT_OF_RANGE : policy_bad ? MMIO_ERR_CACHE_POLICY : 0;
    alt = policy_bad ? MMIO_ERR_CACHE_POLICY : want;
  }
  if (want != 0) {
    int err = mmio_map(&slot[s], fd, off, size, (enum mmio_cache_policy)policy, flags);
    CHECK(err == want || err == alt);
    CHECK(mmio_len(&slot[s]) == 0);
    close(fd);
    return;
  }
  if ((b = new_back(SH_MEMFD, off % ps, size)) < 0) {
    close(fd);
    return;
  }
  sh.back[b].align_page = 1;
  if ((sh.back[b].bytes = pattern = malloc(size)) == NULL) abort();
  for (i = 0; i < size; i++)
    pattern[i] = (uint8_t)(i * 13 + off + (unsigned)b);
  /* The object's bytes at the window, so that the wrong part mapped shows. */
  CHECK(pwrite(fd, pattern, size, (off_t)off) == (ssize_t)size);
  real[b].fd = fd;
  real[b].map_off = off;
  CHECK_ERR(mmio_map(&slot[s], fd, off, size, (enum mmio_cache_policy)policy, flags), 0);
  sh_place(&sh, s, b);
  if (flags & MMIO_MAP_READ_ONLY) sh_read_only(&sh, s);
}

static void make_ops(struct input *in, int s) {
  static const int errs[] = {-EIO, -EAGAIN, MMIO_ERR_BUS_ERROR, MMIO_ERR_REJECTED};
  const unsigned how = byte(in);
  size_t len;
  int b;
  switch (how & 3) {
  case 0:
  case 1:
    len = byte(in) + 1;
    break;
  case 2:
    len = (size_t)PTRDIFF_MAX - byte(in) % 8;
    break;
  default:
    len = (size_t)1 << 62; /* more than a checker can count */
  }
  if ((how & 0x3c) == 0x3c) {
    struct real unused;
    memset(&unused, 0, sizeof(unused));
    CHECK_ERR(mmio_region_from_ops(&slot[s], &fuzz_ops, &unused, (size_t)PTRDIFF_MAX + 1 + len % 4),
              MMIO_ERR_OUT_OF_RANGE);
    CHECK(unused.released == 0 && mmio_len(&slot[s]) == 0);
    return;
  }
  if ((b = new_back(SH_OPS, 0, len)) < 0) return;
  sh.back[b].counted = 1;
  sh.back[b].fail_mod = real[b].fail_mod = byte(in) % 5;
  sh.back[b].fail_sel = real[b].fail_sel = real[b].fail_mod ? byte(in) % real[b].fail_mod : 0;
  sh.back[b].fail_err = real[b].fail_err = errs[byte(in) % 4];
  CHECK_ERR(mmio_region_from_ops(&slot[s], &fuzz_ops, &real[b], len), 0);
  sh_place(&sh, s, b);
}

static void make_fake(struct input *in, int s) {
  const size_t len = 8 + byte(in) % (SH_FAKE_MAX - 7);
  const unsigned how = byte(in);
  struct mmio_fake_reg regs[SH_FAKE_REGS];
  struct sh_fake_reg model[SH_FAKE_REGS];
  size_t n = (how >> 1) % (SH_FAKE_REGS + 1), i;
  mmio_fake *f;
  int b, want, alt, err;
  if ((b = new_back(SH_FAKE, 0, len)) < 0) return;
  memset(regs, 0, sizeof(regs));
  memset(model, 0, sizeof(model));
  for (i = 0; i < n; i++) {
    const unsigned wsel = byte(in), accepts = byte(in);
    const uint64_t ro = u64(in), w1c = u64(in) & ~ro;
    regs[i].width = model[i].width = (wsel & 0x30) == 0x30 ? 3 : width_of(wsel);
    regs[i].offset = model[i].off = (size_t)byte(in) % (len + 4);
    if (!(wsel & 0x40)) /* mostly aligned */
      regs[i].offset = model[i].off = model[i].off / model[i].width * model[i].width;
    regs[i].widths = model[i].widths = accepts & 0x80 ? (accepts & 0x1f) : 0;
    regs[i].reset = model[i].reset = u64(in);
    /* Kinds of bits kept apart, as the header describes them one by one. */
    regs[i].ro = model[i].ro = ro;
    regs[i].w1c = model[i].w1c = w1c;
    regs[i].w1s = model[i].w1s = u64(in) & ~(ro | w1c);
    regs[i].rc = model[i].rc = u64(in);
  }
  CHECK_ERR(mmio_fake_create(&f, len, how & 1 ? MMIO_FAKE_STRICT : 0), 0);
  real[b].fake = f;
  mmio_fake_on_failure(f, on_report, &real[b]);
  sh_fake_init(&sh.back[b].fake, len, how & 1);
  want = sh_fake_add(&sh.back[b].fake, model, n, &alt);
  err = mmio_fake_add_regs(f, regs, n);
  if (err != want && err != alt) CHECK_ERR(err, want);
  CHECK_ERR(mmio_fake_region(&slot[s], f), 0);
  sh_place(&sh, s, b);
}

static void wrap(struct input *in, int s) {
  const int checker = byte(in) & 1;
  const uint64_t len = sh.slot[s].back < 0 ? 0 : sh.slot[s].len;
  const uint64_t skew =
      sh.slot[s].back < 0 ? 0 : (sh.back[sh.slot[s].back].align + sh.slot[s].start) % 4096;
  mmio_region inner = {0};
  mmio_checker *c = NULL;
  int b, err;
  if (checker) {
    /* Its state is about 12 bytes a byte: only sizes it can hold, and
     * those whose count would wrap (it must refuse them). */
    const int want = len == 0 ? -EINVAL : len > SIZE_MAX / 12 ? -ENOMEM : 0;
    if (want == 0 && len > 4096) return;
    if (want == 0 && sh.nback == SH_BACKS) return;
    mmio_region_move(&inner, &slot[s]);
    err = mmio_checker_create(&c, &inner, 1, 1);
    CHECK_ERR(err, want);
    CHECK(mmio_len(&inner) == 0); /* consumed either way */
    if (err != 0) {
      sh_release(&sh, s);
      return;
    }
    b = sh_wrap(&sh, s, SH_CHECKER);
    memset(&real[b], 0, sizeof(real[b]));
    real[b].id = b;
    mmio_checker_on_failure(c, on_report, &real[b]);
    CHECK_ERR(mmio_checker_region(&slot[s], c), 0);
    mmio_checker_destroy(c);
    return;
  }
  if (sh.nback == SH_BACKS) return;
  mmio_region_move(&inner, &slot[s]);
  b = sh.nback; /* the callback's argument: the backing sh_wrap will make */
  memset(&real[b], 0, sizeof(real[b]));
  real[b].id = b;
  err = mmio_trace_callback(&slot[s], &inner, on_trace, &real[b]);
  CHECK(mmio_len(&inner) == 0); /* consumed either way */
  if (len > PTRDIFF_MAX - skew) {
    CHECK_ERR(err, MMIO_ERR_OUT_OF_RANGE);
    sh_release(&sh, s);
    return;
  }
  CHECK_ERR(err, 0);
  CHECK(sh_wrap(&sh, s, SH_TRACE) == b);
}

/* ---- accesses ---- */

static int do_load(int s, unsigned width, uint64_t off, unsigned api, uint64_t mask,
                   uint64_t *out) {
  mmio_region *r = &slot[s];
  uint8_t v8 = 0x5a;
  uint16_t v16 = 0x5a5a;
  uint32_t v32 = 0x5a5a5a5a;
  uint64_t v64 = 0x5a5a5a5a5a5a5a5aull;
  int err = 0;
  if (api == 1) return mmio_try_load_width(r, (size_t)off, width, out);
  switch (width) {
  case 1:
    err = api == 2 ? mmio_masked_load8(r, (size_t)off, (uint8_t)mask, &v8)
                   : mmio_try_load8(r, (size_t)off, &v8);
    *out = v8;
    if (err != 0) CHECK(v8 == 0x5a);
    break;
  case 2:
    err = api == 2 ? mmio_masked_load16(r, (size_t)off, (uint16_t)mask, &v16)
                   : mmio_try_load16(r, (size_t)off, &v16);
    *out = v16;
    if (err != 0) CHECK(v16 == 0x5a5a);
    break;
  case 4:
    err = api == 2 ? mmio_masked_load32(r, (size_t)off, (uint32_t)mask, &v32)
                   : mmio_try_load32(r, (size_t)off, &v32);
    *out = v32;
    if (err != 0) CHECK(v32 == 0x5a5a5a5aul);
    break;
  default:
    err = api == 2 ? mmio_masked_load64(r, (size_t)off, mask, &v64)
                   : mmio_try_load64(r, (size_t)off, &v64);
    *out = v64;
    if (err != 0) CHECK(v64 == 0x5a5a5a5a5a5a5a5aull);
  }
  return err;
}

static int do_store(int s, unsigned width, uint64_t off, unsigned api, uint64_t v) {
  mmio_region *r = &slot[s];
  if (api == 1) return mmio_try_store_width(r, (size_t)off, width, v);
  switch (width) {
  case 1:
    return mmio_try_store8(r, (size_t)off, (uint8_t)v);
  case 2:
    return mmio_try_store16(r, (size_t)off, (uint16_t)v);
  case 4:
    return mmio_try_store32(r, (size_t)off, (uint32_t)v);
  default:
    return mmio_try_store64(r, (size_t)off, v);
  }
}

static int do_modify(int s, unsigned width, uint64_t off, unsigned api, uint64_t mask, uint64_t v) {
  mmio_region *r = &slot[s];
  if (api == 1) return mmio_masked_modify_width(r, (size_t)off, width, mask, v);
  switch (width) {
  case 1:
    return mmio_masked_modify8(r, (size_t)off, (uint8_t)mask, (uint8_t)v);
  case 2:
    return mmio_masked_modify16(r, (size_t)off, (uint16_t)mask, (uint16_t)v);
  case 4:
    return mmio_masked_modify32(r, (size_t)off, (uint32_t)mask, (uint32_t)v);
  default:
    return mmio_masked_modify64(r, (size_t)off, mask, v);
  }
}

/* The aborting accessors, for accesses the model says succeed. */
static uint64_t load_or_abort(int s, unsigned width, uint64_t off) {
  switch (width) {
  case 1:
    return mmio_load8(&slot[s], (size_t)off);
  case 2:
    return mmio_load16(&slot[s], (size_t)off);
  case 4:
    return mmio_load32(&slot[s], (size_t)off);
  default:
    return mmio_load64(&slot[s], (size_t)off);
  }
}

static void store_or_abort(int s, unsigned width, uint64_t off, uint64_t v) {
  switch (width) {
  case 1:
    mmio_store8(&slot[s], (size_t)off, (uint8_t)v);
    break;
  case 2:
    mmio_store16(&slot[s], (size_t)off, (uint16_t)v);
    break;
  case 4:
    mmio_store32(&slot[s], (size_t)off, (uint32_t)v);
    break;
  default:
    mmio_store64(&slot[s], (size_t)off, v);
  }
}

static void do_access(struct input *in, int s, enum sh_op op) {
  const unsigned sel = byte(in), api = (sel >> 2) % 4;
  const unsigned width = width_of(sel);
  const uint64_t off = place(in, sh.slot[s].back < 0 ? 0 : sh.slot[s].len);
  uint64_t value = u64(in), mask = u64(in), got = 0;
  int want, trap, err;
  /* The run-time-width forms refuse other widths and wider values first. */
  if (api == 1 && (sel & 0xc0) == 0xc0) {
    const unsigned odd = 3 + (sel >> 4) % 3 * 2; /* 3, 5, 7 */
    if (op == SH_LOAD) CHECK_ERR(mmio_try_load_width(&slot[s], (size_t)off, odd, &got), -EINVAL);
    if (op == SH_STORE) CHECK_ERR(mmio_try_store_width(&slot[s], (size_t)off, odd, 0), -EINVAL);
    if (op == SH_MODIFY)
      CHECK_ERR(mmio_masked_modify_width(&slot[s], (size_t)off, odd, 0, 0), -EINVAL);
    return;
  }
  if (api == 1 && op != SH_LOAD && width < 8 && (sel & 0xc0) == 0x80) {
    const uint64_t wide = bits_of(width) + 1;
    if (op == SH_STORE)
      CHECK_ERR(mmio_try_store_width(&slot[s], (size_t)off, width, value | wide), -ERANGE);
    else
      CHECK_ERR(mmio_masked_modify_width(&slot[s], (size_t)off, width, mask | wide, value),
                -ERANGE);
    return;
  }
  value &= bits_of(width);
  mask &= bits_of(width);
  want = sh_access(&sh, s, op, off, width, op == SH_LOAD ? &got : &value, mask, &trap);
  if (trap) return; /* an unguarded region over inaccessible memory would fault */
  if (op == SH_LOAD) {
    uint64_t v = 0;
    if (api == 3 && want == 0) {
      v = load_or_abort(s, width, off);
      err = 0;
    } else {
      err = do_load(s, width, off, api, mask, &v);
    }
    CHECK_ERR(err, want);
    if (want == 0) CHECK(v == (api == 2 ? got & mask : got));
  } else if (op == SH_STORE) {
    if (api == 3 && want == 0) {
      store_or_abort(s, width, off, value);
      err = 0;
    } else {
      err = do_store(s, width, off, api == 3 ? 0 : api, value);
    }
    CHECK_ERR(err, want);
  } else {
    CHECK_ERR(do_modify(s, width, off, api & 1, mask, value), want);
  }
}

static void checks(struct input *in, int s) {
  const unsigned sel = byte(in);
  const uint64_t off = place(in, sh.slot[s].back < 0 ? 0 : sh.slot[s].len);
  const uint64_t width = sel & 0x80 ? byte(in) : (uint64_t)1 << (byte(in) % 13);
  const uint64_t align = sel & 0x40 ? u64(in) : (uint64_t)1 << (byte(in) % 64);
  const int page_only = sh.slot[s].back >= 0 && sh.back[sh.slot[s].back].align_page;
  const int aligned = sh_check_aligned(&sh, s, off, width);
  const int capacity = sh_check_capacity(&sh, s, off, width);
  int known;
  uint64_t want;
  CHECK_ERR(mmio_check_capacity(&slot[s], (size_t)off, (size_t)width), capacity);
  if (!(page_only && width > 4096)) {
    CHECK_ERR(mmio_check_aligned(&slot[s], (size_t)off, (size_t)width), aligned);
    CHECK_ERR(mmio_check_suitable(&slot[s], (size_t)off, (size_t)width),
              aligned != 0 ? aligned : capacity);
  }
  want = sh_align_offset(&sh, s, align, &known);
  if (known) CHECK(mmio_align_offset(&slot[s], (size_t)align) == want);
}

/* ---- the program ---- */

static int fds(void) {
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  int n = 0;
  if (d == NULL) return -1;
  while ((e = readdir(d)) != NULL)
    n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

static int memfd_mappings(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  int n = 0;
  if (f == NULL) return -1;
  while (fgets(line, sizeof(line), f) != NULL)
    n += strstr(line, "memfd:mmio-vmo") != NULL;
  fclose(f);
  return n;
}

static void run(struct input *in) {
  int ops = 0;
  while (in->n > 0 && ops++ < 256) {
    const unsigned code = byte(in);
    const int s = (int)(byte(in) % SH_SLOTS);
    op_no = ops;
    switch (code % 24) {
    case 0:
      empty_slot(s);
      make_memory(in, s);
      break;
    case 1:
      empty_slot(s);
      make_memfd(in, s);
      break;
    case 2:
      empty_slot(s);
      make_ops(in, s);
      break;
    case 3:
      empty_slot(s);
      make_fake(in, s);
      break;
    case 4:
      empty_slot(s);
      make_trap(s);
      break;
    case 5:
      wrap(in, s);
      break;
    case 6:
    case 7:
    case 8:
    case 9:
      do_access(in, s, SH_LOAD);
      break;
    case 10:
    case 11:
    case 12:
    case 13:
      do_access(in, s, SH_STORE);
      break;
    case 14:
    case 15:
      do_access(in, s, SH_MODIFY);
      break;
    case 16:
      checks(in, s);
      break;
    case 17:
    case 18: {
      const int lhs = (int)(byte(in) % SH_SLOTS);
      const uint64_t mid = place(in, sh.slot[s].back < 0 ? 0 : sh.slot[s].len);
      if (lhs == s) {
        CHECK_ERR(mmio_try_split_off(&slot[s], (size_t)mid, &slot[lhs]), -EINVAL);
        break;
      }
      empty_slot(lhs);
      CHECK_ERR(mmio_try_split_off(&slot[s], (size_t)mid, &slot[lhs]), sh_split(&sh, s, mid, lhs));
      break;
    }
    case 19:
      CHECK_ERR(mmio_region_make_read_only(&slot[s]), 0);
      sh_read_only(&sh, s);
      break;
    case 20:
      empty_slot(s);
      break;
    case 21: {
      const int dst = (int)(byte(in) % SH_SLOTS);
      if (dst == s) break;
      empty_slot(dst);
      mmio_region_move(&slot[dst], &slot[s]);
      sh_move(&sh, dst, s);
      break;
    }
    case 22:
      CHECK_ERR(mmio_region_guard(&slot[s]), 0);
      sh_guard(&sh, s);
      break;
    default:
      /* Nothing, so that inputs can be cut and spliced anywhere. */
      break;
    }
    compare();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct input in = {data, size};
  const int fds_before = fds();
  int s, b;
  sh_init(&sh);
  for (s = 0; s < SH_SLOTS; s++)
    mmio_region_release(&slot[s]);
  run(&in);
  /* The end: every region released, in slot order; all that was made
   * must be gone. */
  op_no = -1;
  for (s = 0; s < SH_SLOTS; s++)
    empty_slot(s);
  compare();
  for (b = 0; b < sh.nback; b++) {
    struct real *r = &real[b];
    CHECK(sh.back[b].refs == 0);
    CHECK(!sh.back[b].counted || r->released == 1);
    if (sh.back[b].kind == SH_MEMORY && !sh.back[b].counted) {
      CHECK(memcmp(r->mem + r->skew, sh.back[b].bytes, sh.back[b].len) == 0);
      free(r->mem);
    }
    if (sh.back[b].kind == SH_MEMFD) {
      uint8_t *now = malloc(sh.back[b].len);
      if (now == NULL) abort();
      /* The mapping was shared: the object holds what was stored. */
      CHECK(pread(r->fd, now, sh.back[b].len, (off_t)r->map_off) == (ssize_t)sh.back[b].len);
      CHECK(memcmp(now, sh.back[b].bytes, sh.back[b].len) == 0);
      free(now);
      close(r->fd);
    }
    if (sh.back[b].kind == SH_FAKE) mmio_fake_destroy(r->fake);
    free(sh.back[b].bytes);
  }
  CHECK(memfd_mappings() == 0);
  CHECK(fds() == fds_before);
  return 0;
}
