/*
 * The concurrency checker: per-byte reader/writer states around accesses
 * to an inner region, with randomly long holds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "testing_internal.h"

/*
 * Who holds a byte, packed into one word so that it can be published with
 * the byte's state: bit 63 valid, bits 48-62 thread number, bit 47 store,
 * bits 44-46 width in bytes, bits 0-43 offset.
 */
#define MMIO__WHO_VALID (1ull << 63)

struct mmio_checker {
  struct mmio__double base; /* first: the double's shared head */
  mmio_region inner;
  atomic_int *state;        /* per byte: 0 free, n > 0 readers, -1 a writer */
  _Atomic uint64_t *holder; /* per byte: the last access to take it */
  unsigned mean_hold_ns;
  uint64_t seed;
  atomic_ulong violations;
};

static atomic_uint mmio__next_thread = 1;
static _Thread_local unsigned mmio__thread_no;
static _Thread_local uint64_t mmio__rng;

static unsigned mmio__this_thread(void) {
  if (mmio__thread_no == 0)
    mmio__thread_no = atomic_fetch_add_explicit(&mmio__next_thread, 1, memory_order_relaxed);
  return mmio__thread_no;
}

static uint64_t mmio__random(const mmio_checker *c) {
  /* xorshift64*, seeded per thread from the checker's seed. */
  if (mmio__rng == 0) mmio__rng = (c->seed ^ (0x9e3779b97f4a7c15ull * mmio__this_thread())) | 1;
  mmio__rng ^= mmio__rng >> 12;
  mmio__rng ^= mmio__rng << 25;
  mmio__rng ^= mmio__rng >> 27;
  return mmio__rng * 0x2545f4914f6cdd1dull;
}

/*
 * Holds for a random time: the number of trailing zero bits of a random
 * word is geometric, which gives a roughly exponential spread around the
 * mean (most holds short, some several times longer). Spins with yields,
 * because sleeping has a granularity far above the window sizes wanted.
 */
static void mmio__hold(const mmio_checker *c) {
  uint64_t r = mmio__random(c);
  unsigned k = 0;
  uint64_t ns, end;
  while (k < 8 && (r & (1ull << k)) == 0)
    k++;
  ns = (uint64_t)c->mean_hold_ns * (k + 1) / 2 + (r >> 40) % (c->mean_hold_ns / 2 + 1);
  end = mmio_clock_ns() + ns;
  while (mmio_clock_ns() < end)
    sched_yield();
}

static uint64_t mmio__who(int store, unsigned width, size_t off) {
  return MMIO__WHO_VALID | ((uint64_t)(mmio__this_thread() & 0x7fff) << 48) |
         ((uint64_t)(store != 0) << 47) | ((uint64_t)(width & 7) << 44) |
         ((uint64_t)off & ((1ull << 44) - 1));
}

static int mmio__violation(mmio_checker *c, int store, unsigned width, size_t off, size_t byte,
                           uint64_t who) {
  atomic_fetch_add_explicit(&c->violations, 1, memory_order_relaxed);
  if (!(who & MMIO__WHO_VALID))
    return mmio__report(c->base.fail, c->base.fail_arg,
                        "checker: %s %s at 0x%zx by thread %u overlaps another access "
                        "to byte 0x%zx",
                        mmio__width_name(width), store ? "store" : "load", off, mmio__this_thread(),
                        byte);
  return mmio__report(c->base.fail, c->base.fail_arg,
                      "checker: %s %s at 0x%zx by thread %u overlaps %s %s at 0x%zx by thread %u "
                      "(byte 0x%zx)",
                      mmio__width_name(width), store ? "store" : "load", off, mmio__this_thread(),
                      mmio__width_name((unsigned)((who >> 44) & 7)),
                      (who >> 47) & 1 ? "store" : "load", (size_t)(who & ((1ull << 44) - 1)),
                      (unsigned)((who >> 48) & 0x7fff), byte);
}

static void mmio__give_back(mmio_checker *c, int store, size_t from, size_t to) {
  size_t i;
  for (i = from; i < to; i++) {
    if (store)
      atomic_store_explicit(&c->state[i], 0, memory_order_release);
    else
      atomic_fetch_sub_explicit(&c->state[i], 1, memory_order_release);
  }
}

/* Takes bytes [off, off + width) for a load (shared) or a store (exclusive). */
static int mmio__take(mmio_checker *c, int store, unsigned width, size_t off) {
  const uint64_t me = mmio__who(store, width, off);
  size_t i;
  for (i = off; i < off + width; i++) {
    int s = atomic_load_explicit(&c->state[i], memory_order_relaxed);
    int ok;
    do {
      if (store ? s != 0 : s < 0) {
        uint64_t other = atomic_load_explicit(&c->holder[i], memory_order_relaxed);
        mmio__give_back(c, store, off, i);
        return mmio__violation(c, store, width, off, i, other);
      }
      ok = atomic_compare_exchange_weak_explicit(&c->state[i], &s, store ? -1 : s + 1,
                                                 memory_order_acquire, memory_order_relaxed);
    } while (!ok);
    atomic_store_explicit(&c->holder[i], me, memory_order_relaxed);
  }
  return 0;
}

/* One access: take the bytes, hold, access the inner region, give
 * the bytes back. */
static int mmio__checker_access(void *ctx, size_t backend_off, unsigned width, int store,
                                uint64_t *value) {
  mmio_checker *c = ctx;
  const size_t off = backend_off - c->base.skew;
  int err = mmio__take(c, store, width, off);
  if (err != 0) return err;
  mmio__hold(c);
  err = store ? mmio_try_store_width(&c->inner, off, width, *value)
              : mmio_try_load_width(&c->inner, off, width, value);
  mmio__give_back(c, store, off, off + width);
  return err;
}

static void mmio__checker_free(struct mmio__double *d) {
  mmio_checker *c = (mmio_checker *)d;
  mmio_region_release(&c->inner);
  free(c->state);
  free(c->holder);
  free(c);
}

MMIO_DEFINE_OPS(mmio__checker_ops, mmio__checker_access, mmio__double_unref);

int mmio_checker_create(mmio_checker **out, mmio_region *inner, unsigned mean_hold_ns,
                        uint64_t seed) {
  mmio_checker *c = NULL;
  int err = 0;
  size_t i, len;
  if (out != NULL) *out = NULL;
  if (out == NULL || inner == NULL) err = -EINVAL;
  len = inner != NULL ? mmio_len(inner) : 0;
  if (err == 0 && len == 0) err = -EINVAL;
  /* Two words of state per byte: a region too large for them to be
   * counted in size_t cannot be checked (the product would wrap to a small
   * allocation that the loop below then overruns). */
  if (err == 0 && len > SIZE_MAX / (sizeof(*c->state) + sizeof(*c->holder))) err = -ENOMEM;
  if (err == 0 && (c = calloc(1, sizeof(*c))) == NULL) err = -ENOMEM;
  if (err == 0) {
    c->state = malloc(len * sizeof(*c->state));
    c->holder = malloc(len * sizeof(*c->holder));
    if (c->state == NULL || c->holder == NULL) err = -ENOMEM;
  }
  if (err != 0) {
    if (c != NULL) {
      free(c->state);
      free(c->holder);
      free(c);
    }
    if (inner != NULL) mmio_region_release(inner);
    return err;
  }
  for (i = 0; i < len; i++) {
    atomic_init(&c->state[i], 0);
    atomic_init(&c->holder[i], 0);
  }
  mmio__double_init(&c->base, len, &mmio__checker_ops, mmio__checker_free);
  /* The checker's regions judge alignment as the inner region does, for
   * every alignment up to a page (see mmio__double.skew). */
  c->base.skew = (4096 - mmio_align_offset(inner, 4096)) & 4095;
  atomic_init(&c->violations, 0);
  mmio_region_move(&c->inner, inner);
  c->mean_hold_ns = mean_hold_ns != 0 ? mean_hold_ns : 2000;
  c->seed = seed != 0 ? seed : mmio_clock_ns();
  *out = c;
  return 0;
}

void mmio_checker_destroy(mmio_checker *c) { mmio__double_unref(c != NULL ? &c->base : NULL); }

int mmio_checker_region(mmio_region *out, mmio_checker *c) {
  int err = mmio__double_region(out, c != NULL ? &c->base : NULL);
  /* It refuses stores as the inner region does: first, as read-only. */
  if (err == 0 && mmio_region_is_read_only(&c->inner)) mmio_region_make_read_only(out);
  return err;
}

void mmio_checker_on_failure(mmio_checker *c, mmio_fail_fn fn, void *arg) {
  mmio__double_on_failure(c != NULL ? &c->base : NULL, fn, arg, "mmio_checker_on_failure");
}

unsigned long mmio_checker_violations(mmio_checker *c) {
  if (c == NULL) {
    mmio__double_null("mmio_checker_violations");
    return 0;
  }
  return atomic_load_explicit(&c->violations, memory_order_relaxed);
}
