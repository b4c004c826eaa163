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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(backing_released_once_after_threads_release_in_random_order),
      cmocka_unit_test(mapping_is_unmapped_once_when_the_last_thread_releases),
  };
  return cmocka_run_group_tests_name("refcount", tests, NULL, NULL);
}
