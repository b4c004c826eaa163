/*
 * The shared backing under threads: split regions are handed to threads,
 * used, split again and released in random order; the backing must be
 * released exactly once, after every access made through any of them.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmio/mmio.h>

#include "helpers.h"

#define NTHREADS 16
#define PIECE 64
#define ROUNDS 200

static _Alignas(64) uint8_t mem[NTHREADS * PIECE];
static atomic_int released;
static atomic_int release_saw_all_writes;

static void on_release(void *ctx) {
  size_t i;
  int ok = 1;
  (void)ctx;
  /* Every thread wrote its index into each byte of its piece before
   * releasing; the release must observe all of that. */
  for (i = 0; i < sizeof(mem); i++)
    ok &= mem[i] == (uint8_t)(i / PIECE + 1);
  atomic_fetch_add(&released, 1);
  atomic_store(&release_saw_all_writes, ok);
}

struct worker {
  pthread_t tid;
  mmio_region region;
  unsigned seed;
  uint8_t tag;
  pthread_barrier_t *start;
};

static void *work(void *arg) {
  struct worker *w = arg;
  mmio_region sub = {0};
  size_t i;
  pthread_barrier_wait(w->start);
  /* Split again inside the thread, racing other threads' splits and
   * releases on the same reference count. */
  if (mmio_try_split_off(&w->region, PIECE / 2, &sub) != 0) abort();
  for (i = 0; i < PIECE / 2; i++) {
    mmio_store8(&sub, i, w->tag);
    mmio_store8(&w->region, i, w->tag);
  }
  if (rand_r(&w->seed) % 2) {
    mmio_region_release(&sub);
    usleep(rand_r(&w->seed) % 50);
    mmio_region_release(&w->region);
  } else {
    mmio_region_release(&w->region);
    usleep(rand_r(&w->seed) % 50);
    mmio_region_release(&sub);
  }
  return NULL;
}

static void backing_released_once_after_threads_release_in_random_order(void **state) {
  int round;
  (void)state;
  for (round = 0; round < ROUNDS; round++) {
    struct worker w[NTHREADS];
    pthread_barrier_t start;
    mmio_region whole;
    int i;
    memset(mem, 0, sizeof(mem));
    atomic_store(&released, 0);
    atomic_store(&release_saw_all_writes, 0);
    assert_int_equal(mmio_region_from_memory(&whole, mem, sizeof(mem), on_release, NULL), 0);
    pthread_barrier_init(&start, NULL, NTHREADS);
    for (i = 0; i < NTHREADS; i++) {
      memset(&w[i].region, 0, sizeof(w[i].region));
      assert_int_equal(mmio_try_split_off(&whole, PIECE, &w[i].region), 0);
      w[i].seed = (unsigned)(round * NTHREADS + i);
      w[i].tag = (uint8_t)(i + 1);
      w[i].start = &start;
    }
    /* The original, now empty, is released first: the pieces keep the
     * backing alive on their own. */
    assert_int_equal(mmio_len(&whole), 0);
    mmio_region_release(&whole);
    assert_int_equal(atomic_load(&released), 0);
    for (i = 0; i < NTHREADS; i++)
      assert_int_equal(pthread_create(&w[i].tid, NULL, work, &w[i]), 0);
    for (i = 0; i < NTHREADS; i++)
      pthread_join(w[i].tid, NULL);
    pthread_barrier_destroy(&start);
    assert_int_equal(atomic_load(&released), 1);
    assert_int_equal(atomic_load(&release_saw_all_writes), 1);
  }
}

struct map_worker {
  pthread_t tid;
  mmio_region region;
};

static void *map_work(void *arg) {
  struct map_worker *w = arg;
  mmio_store32(&w->region, 0, 0xabcd0000u + (uint32_t)mmio_len(&w->region));
  mmio_region_release(&w->region);
  return NULL;
}

static void mapping_is_unmapped_once_when_the_last_thread_releases(void **state) {
  const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
  mmio_region whole;
  struct map_worker w[NTHREADS];
  int fd, i;
  (void)state;
  fd = mmio_vmo_create(NTHREADS * ps);
  assert_true(fd >= 0);
  assert_int_equal(mmio_map(&whole, fd, 0, NTHREADS * ps, MMIO_CACHE_DEFAULT, 0), 0);
  for (i = 0; i < NTHREADS; i++) {
    memset(&w[i].region, 0, sizeof(w[i].region));
    assert_int_equal(mmio_try_split_off(&whole, ps, &w[i].region), 0);
  }
  mmio_region_release(&whole);
  assert_int_equal(test_count_mappings_of_fd(fd), 1);
  for (i = 0; i < NTHREADS; i++)
    assert_int_equal(pthread_create(&w[i].tid, NULL, map_work, &w[i]), 0);
  for (i = 0; i < NTHREADS; i++)
    pthread_join(w[i].tid, NULL);
  assert_int_equal(test_count_mappings_of_fd(fd), 0);
  /* The stores went to the object. */
  for (i = 0; i < NTHREADS; i++) {
    uint32_t v = 0;
    assert_int_equal(pread(fd, &v, 4, (off_t)(i * ps)), 4);
    assert_int_equal(v, 0xabcd0000u + ps);
  }
  close(fd);
}

static int copy_released;
static void count_copy_release(void *ctx) {
  (void)ctx;
  copy_released++;
}

/* The misuse: a byte-wise copy of a region that holds a reference. */
struct copied {
  mmio_region *orig;
  int op; /* 0 release, 1 move, 2 split, 3 release the copy after the original */
};

static void use_a_copy(void *arg) {
  struct copied *c = arg;
  mmio_region copy, other = {0};
  memcpy(&copy, c->orig, sizeof(copy));
  if (c->op == 3) mmio_region_release(c->orig);
  if (c->op == 0 || c->op == 3) mmio_region_release(&copy);
  if (c->op == 1) mmio_region_move(&other, &copy);
  if (c->op == 2) (void)mmio_try_split_off(&copy, 4, &other);
}

static void region_copied_by_value_aborts_on_release_move_and_split(void **state) {
  static const char *const ops[] = {"mmio_region_release", "mmio_region_move", "mmio_try_split_off",
                                    "mmio_region_release"};
  char out[512], where[32];
  mmio_region r;
  int op;
  (void)state;
  copy_released = 0;
  assert_int_equal(mmio_region_from_memory(&r, mem, 64, count_copy_release, NULL), 0);
  snprintf(where, sizeof(where), "was made at %p", (void *)&r);
  for (op = 0; op < 4; op++) {
    struct copied c = {&r, op};
    assert_true(test_run_expect_abort(use_a_copy, &c, out, sizeof(out)));
    assert_non_null(strstr(out, ops[op]));
    assert_non_null(strstr(out, "region copied by value"));
    assert_non_null(strstr(out, where));
  }
  /* The original is intact and releases once. */
  assert_int_equal(mmio_len(&r), 64);
  mmio_region_release(&r);
  assert_int_equal(copy_released, 1);
}

static void zeroed_regions_and_moved_or_split_ones_are_not_copies(void **state) {
  mmio_region z, a = {0}, b = {0}, c = {0}, zcopy;
  (void)state;
  copy_released = 0;
  /* A zeroed struct is a valid empty region, and so is a copy of one. */
  memset(&z, 0, sizeof(z));
  memcpy(&zcopy, &z, sizeof(z));
  assert_int_equal(mmio_try_split_off(&zcopy, 0, &a), 0);
  mmio_region_move(&b, &zcopy);
  mmio_region_release(&zcopy);
  mmio_region_release(&a);
  mmio_region_release(&b);
  /* Regions made by move and split are their own. */
  assert_int_equal(mmio_region_from_memory(&z, mem, 64, count_copy_release, NULL), 0);
  mmio_region_move(&a, &z);
  assert_int_equal(mmio_try_split_off(&a, 16, &b), 0);
  mmio_region_move(&c, &b);
  mmio_region_release(&z); /* empty after the move: a no-op */
  mmio_region_release(&a);
  mmio_region_release(&b);
  assert_int_equal(copy_released, 0);
  mmio_region_release(&c);
  mmio_region_release(&c); /* twice is harmless */
  assert_int_equal(copy_released, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(backing_released_once_after_threads_release_in_random_order),
      cmocka_unit_test(mapping_is_unmapped_once_when_the_last_thread_releases),
      cmocka_unit_test(region_copied_by_value_aborts_on_release_move_and_split),
      cmocka_unit_test(zeroed_regions_and_moved_or_split_ones_are_not_copies),
  };
  return cmocka_run_group_tests_name("refcount", tests, NULL, NULL);
}
