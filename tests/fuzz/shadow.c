#include "shadow.h"

#include <errno.h>
#include <string.h>

#include <mmio/error.h>

#define PAGE 4096u

void sh_init(struct shadow *sh) {
  int i;
  memset(sh, 0, sizeof(*sh));
  for (i = 0; i < SH_SLOTS; i++)
    sh->slot[i].back = -1;
}

int sh_new_back(struct shadow *sh, enum sh_kind kind, uint64_t align, size_t len) {
  struct sh_back *b;
  if (sh->nback == SH_BACKS) return -1;
  b = &sh->back[sh->nback];
  memset(b, 0, sizeof(*b));
  b->kind = kind;
  b->align = align;
  b->len = len;
  b->inner = -1;
  return sh->nback++;
}

void sh_place(struct shadow *sh, int s, int back) {
  struct sh_slot *sl = &sh->slot[s];
  sl->back = back;
  sl->start = 0;
  sl->len = sh->back[back].len;
  sl->ro = sl->guarded = 0;
  sh->back[back].refs++;
}

uint64_t sh_ops_value(int back, uint64_t off, unsigned width) {
  uint64_t x = off * 0x9e3779b97f4a7c15ull + (uint64_t)back * 0xbf58476d1ce4e5b9ull;
  x ^= x >> 29;
  return width >= 8 ? x : x & ((1ull << (8 * width)) - 1);
}

/* Where byte 0 of slot s is, for alignment (an empty region: at 0). */
static uint64_t align_of(const struct shadow *sh, int s) {
  const struct sh_slot *sl = &sh->slot[s];
  return sl->back < 0 ? 0 : sh->back[sl->back].align + sl->start;
}

static void log_event(struct shadow *sh, struct sh_event *log, int *n, const struct sh_event *e) {
  if (*n == SH_LOG)
    sh->overflow = 1;
  else
    log[(*n)++] = *e;
}

/* 0: the backing does not reach inaccessible memory; 1: it does, through
 * a guarded region (a bus error); 2: through one that is not guarded. */
static int trap_state(const struct shadow *sh, int back, int guarded) {
  const struct sh_back *b = &sh->back[back];
  if (b->kind == SH_TRAP) return guarded ? 1 : 2;
  if ((b->kind == SH_TRACE || b->kind == SH_CHECKER) && b->inner >= 0)
    return trap_state(sh, b->inner, b->inner_guarded);
  return 0;
}

static uint64_t get_native(const uint8_t *p, unsigned width) {
  uint8_t v8;
  uint16_t v16;
  uint32_t v32;
  uint64_t v64;
  switch (width) {
  case 1:
    memcpy(&v8, p, 1);
    return v8;
  case 2:
    memcpy(&v16, p, 2);
    return v16;
  case 4:
    memcpy(&v32, p, 4);
    return v32;
  default:
    memcpy(&v64, p, 8);
    return v64;
  }
}

static void put_native(uint8_t *p, unsigned width, uint64_t v) {
  uint8_t v8 = (uint8_t)v;
  uint16_t v16 = (uint16_t)v;
  uint32_t v32 = (uint32_t)v;
  switch (width) {
  case 1:
    memcpy(p, &v8, 1);
    break;
  case 2:
    memcpy(p, &v16, 2);
    break;
  case 4:
    memcpy(p, &v32, 4);
    break;
  default:
    memcpy(p, &v, 8);
  }
}

static int back_access(struct shadow *sh, int back, uint64_t pos, unsigned width, int store,
                       uint64_t *value);

/* A wrapper's access: its inner region's own store check, then the inner
 * backing (alignment and range are the wrapper's, already judged). */
static int wrapped(struct shadow *sh, int back, uint64_t pos, unsigned width, int store,
                   uint64_t *value) {
  struct sh_back *b = &sh->back[back];
  uint64_t v = store ? *value : 0;
  int err = store && b->inner_ro
                ? MMIO_ERR_READ_ONLY
                : back_access(sh, b->inner, b->inner_start + pos, width, store, &v);
  if (b->kind == SH_TRACE) {
    struct sh_event e;
    memset(&e, 0, sizeof(e));
    e.back = back;
    e.seq = ++b->seq;
    e.store = store;
    e.width = width;
    e.off = pos;
    e.value = err == 0 || store ? v : 0;
    e.err = err;
    log_event(sh, sh->records, &sh->nrecords, &e);
  }
  if (err == 0 && !store) *value = v;
  return err;
}

static int back_access(struct shadow *sh, int back, uint64_t pos, unsigned width, int store,
                       uint64_t *value) {
  struct sh_back *b = &sh->back[back];
  struct sh_event e;
  switch (b->kind) {
  case SH_MEMORY:
  case SH_MEMFD:
    if (store)
      put_native(b->bytes + pos, width, *value);
    else
      *value = get_native(b->bytes + pos, width);
    return 0;
  case SH_TRAP:
    return MMIO_ERR_BUS_ERROR;
  case SH_OPS:
    memset(&e, 0, sizeof(e));
    e.back = back;
    e.store = store;
    e.width = width;
    e.off = pos;
    e.value = store ? *value : 0;
    log_event(sh, sh->calls, &sh->ncalls, &e);
    if (b->fail_mod != 0 && (pos / 8) % b->fail_mod == b->fail_sel) return b->fail_err;
    if (!store) *value = sh_ops_value(back, pos, width);
    return 0;
  case SH_FAKE:
    return sh_fake_access(&b->fake, (size_t)pos, width, store, value);
  default:
    return wrapped(sh, back, pos, width, store, value);
  }
}

int sh_access(struct shadow *sh, int s, enum sh_op op, uint64_t off, unsigned width,
              uint64_t *value, uint64_t mask, int *touches_trap) {
  const struct sh_slot *sl = &sh->slot[s];
  const uint64_t len = sl->back < 0 ? 0 : sl->len;
  uint64_t old = 0, pos;
  int err;
  *touches_trap = 0;
  /* The documented order: write right, alignment of the real address,
   * range (overflow-free). */
  if (op != SH_LOAD && sl->ro) return MMIO_ERR_READ_ONLY;
  if (width > 1 && ((align_of(sh, s) + off) & (width - 1)) != 0) return MMIO_ERR_UNALIGNED;
  if (len < width || off > len - width) return MMIO_ERR_OUT_OF_RANGE;
  if (trap_state(sh, sl->back, sl->guarded) == 2) {
    *touches_trap = 1;
    return 0;
  }
  pos = sl->start + off;
  if (op == SH_LOAD) return back_access(sh, sl->back, pos, width, 0, value);
  if (op == SH_STORE) return back_access(sh, sl->back, pos, width, 1, value);
  /* A masked modify: one load, then one store of the merged value. */
  err = back_access(sh, sl->back, pos, width, 0, &old);
  if (err != 0) return err;
  old = (old & ~mask) | (*value & mask);
  return back_access(sh, sl->back, pos, width, 1, &old);
}

static int pow2(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

int sh_check_aligned(const struct shadow *sh, int s, uint64_t off, uint64_t width) {
  if (!pow2(width)) return -EINVAL;
  return ((align_of(sh, s) + off) & (width - 1)) != 0 ? MMIO_ERR_UNALIGNED : 0;
}

int sh_check_capacity(const struct shadow *sh, int s, uint64_t off, uint64_t width) {
  const struct sh_slot *sl = &sh->slot[s];
  const uint64_t len = sl->back < 0 ? 0 : sl->len;
  return len < width || off > len - width ? MMIO_ERR_OUT_OF_RANGE : 0;
}

uint64_t sh_align_offset(const struct shadow *sh, int s, uint64_t align, int *known) {
  const struct sh_slot *sl = &sh->slot[s];
  *known = 1;
  if (!pow2(align)) return UINT64_MAX;
  /* A memfd's mapping is placed by the kernel: only its place in a page is
   * known. */
  if (sl->back >= 0 && sh->back[sl->back].align_page && align > PAGE) *known = 0;
  return (0 - align_of(sh, s)) & (align - 1);
}

int sh_split(struct shadow *sh, int s, uint64_t mid, int lhs) {
  struct sh_slot *sl = &sh->slot[s], *l = &sh->slot[lhs];
  const uint64_t len = sl->back < 0 ? 0 : sl->len;
  if (mid > len) return MMIO_ERR_OUT_OF_RANGE;
  /* Both halves have r's rights; an empty region splits into two. */
  *l = *sl;
  if (sl->back < 0) return 0;
  l->len = (size_t)mid;
  sl->start += (size_t)mid;
  sl->len -= (size_t)mid;
  sh->back[sl->back].refs++;
  return 0;
}

static const struct sh_slot empty_slot = {-1, 0, 0, 0, 0};

void sh_move(struct shadow *sh, int dst, int src) {
  sh->slot[dst] = sh->slot[src];
  sh->slot[src] = empty_slot;
}

/* Rights are the region's, an empty one's too (until it is released). */
void sh_read_only(struct shadow *sh, int s) { sh->slot[s].ro = 1; }

void sh_guard(struct shadow *sh, int s) { sh->slot[s].guarded = 1; }

/* Drops one reference of back; the last one releases it, and a wrapper's
 * release releases the region it holds. */
static void unref(struct shadow *sh, int back) {
  struct sh_back *b;
  while (back >= 0) {
    b = &sh->back[back];
    if (--b->refs > 0) return;
    if (b->counted) b->released++;
    back = b->kind == SH_TRACE || b->kind == SH_CHECKER ? b->inner : -1;
  }
}

void sh_release(struct shadow *sh, int s) {
  const int back = sh->slot[s].back;
  sh->slot[s] = empty_slot;
  unref(sh, back);
}

int sh_wrap(struct shadow *sh, int s, enum sh_kind kind) {
  struct sh_slot *sl = &sh->slot[s];
  const uint64_t len = sl->back < 0 ? 0 : sl->len;
  /* The wrapper's backend offsets start where the inner region sits in
   * its page, so that its alignment is the inner region's. */
  int w = sh_new_back(sh, kind, align_of(sh, s) % PAGE, (size_t)len);
  struct sh_back *b;
  if (w < 0) return -1;
  b = &sh->back[w];
  b->inner = sl->back;
  b->inner_start = sl->start;
  b->inner_ro = sl->ro;
  b->inner_guarded = sl->guarded;
  *sl = empty_slot;
  sh_place(sh, s, w);
  /* A wrapper refuses and accepts what its inner region does: it has its
   * write right. */
  sh->slot[s].ro = b->inner_ro;
  return w;
}
