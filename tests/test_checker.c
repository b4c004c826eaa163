/*
 * The concurrency checker: split regions used from many threads pass; a
 * region shared between threads without splitting is caught, repeatably,
 * within a bounded run; unaligned accesses are caught; messages name both
 * accesses.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/mmio.h>
#include <mmio/testing/checker.h>

#include "helpers.h"

static _Alignas(64) uint8_t mem[4096];
static pthread_mutex_t msg_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_msg[512];
static atomic_int stop;

static void record(void *arg, const char *msg) {
  (void)arg;
  pthread_mutex_lock(&msg_lock);
  snprintf(last_msg, sizeof(last_msg), "%s", msg);
  pthread_mutex_unlock(&msg_lock);
  atomic_store(&stop, 1);
}

static mmio_checker *make_checker(uint8_t *base, size_t len) {
  mmio_region inner;
  mmio_checker *c;
  memset(mem, 0, sizeof(mem));
  last_msg[0] = '\0';
  atomic_store(&stop, 0);
  assert_int_equal(mmio_region_from_memory(&inner, base, len, NULL, NULL), 0);
  assert_int_equal(mmio_checker_create(&c, &inner, 500, 42), 0);
  assert_int_equal(mmio_len(&inner), 0); /* consumed */
  mmio_checker_on_failure(c, record, NULL);
  return c;
}

static void accesses_pass_through_to_the_inner_region(void **state) {
  mmio_checker *c = make_checker(mem, 64);
  mmio_region r;
  (void)state;
  assert_int_equal(mmio_checker_region(&r, c), 0);
  mmio_store32(&r, 4, 0xa1b2c3d4u);
  assert_int_equal(mem[4], 0xd4);
  assert_int_equal(mmio_load16(&r, 6), 0xa1b2);
  mmio_store64(&r, 8, 7);
  assert_true(mmio_load64(&r, 8) == 7);
  assert_int_equal(mmio_checker_violations(c), 0);
  mmio_region_release(&r);
  mmio_checker_destroy(c);
}

#define NTHREADS 4
#define PIECE 64

struct worker {
  pthread_t tid;
  mmio_region *r;
  int shared_off; /* -1: walk the own region; else hammer this offset */
  int loads_only;
  int iterations;
};

static void *work(void *arg) {
  struct worker *w = arg;
  int i;
  for (i = 0; i < w->iterations && !atomic_load(&stop); i++) {
    size_t off = w->shared_off >= 0 ? (size_t)w->shared_off : (size_t)(i % (PIECE / 4)) * 4;
    if (w->loads_only) {
      uint32_t v;
      if (mmio_try_load32(w->r, off, &v) != 0) break;
    } else if (mmio_try_store32(w->r, off, (uint32_t)i) != 0) {
      break;
    }
  }
  return NULL;
}

/* Starts one thread per worker and waits for all of them. */
static void run_workers(struct worker *w, int n) {
  int i;
  for (i = 0; i < n; i++)
    assert_int_equal(pthread_create(&w[i].tid, NULL, work, &w[i]), 0);
  for (i = 0; i < n; i++)
    pthread_join(w[i].tid, NULL);
}

static void split_regions_hammered_from_many_threads_pass(void **state) {
  mmio_checker *c = make_checker(mem, NTHREADS * PIECE);
  struct worker w[NTHREADS];
  mmio_region whole, parts[NTHREADS];
  int i;
  (void)state;
  assert_int_equal(mmio_checker_region(&whole, c), 0);
  memset(w, 0, sizeof(w));
  for (i = 0; i < NTHREADS; i++) {
    assert_int_equal(mmio_try_split_off(&whole, PIECE, &parts[i]), 0);
    w[i].r = &parts[i];
    w[i].shared_off = -1;
    w[i].iterations = 3000;
  }
  run_workers(w, NTHREADS);
  if (mmio_checker_violations(c) != 0) fail_msg("unexpected violation: %s", last_msg);
  for (i = 0; i < NTHREADS; i++)
    mmio_region_release(&parts[i]);
  mmio_region_release(&whole);
  mmio_checker_destroy(c);
}

static void concurrent_loads_of_one_region_pass(void **state) {
  mmio_checker *c = make_checker(mem, 64);
  struct worker w[2];
  mmio_region shared;
  int i;
  (void)state;
  assert_int_equal(mmio_checker_region(&shared, c), 0);
  for (i = 0; i < 2; i++) {
    w[i].r = &shared; /* both threads read one region: allowed for loads */
    w[i].shared_off = 8;
    w[i].loads_only = 1;
    w[i].iterations = 3000;
  }
  run_workers(w, 2);
  assert_int_equal(mmio_checker_violations(c), 0);
  mmio_region_release(&shared);
  mmio_checker_destroy(c);
}

static void shared_unsplit_region_is_caught_every_time(void **state) {
  int round;
  (void)state;
  for (round = 0; round < 5; round++) {
    mmio_checker *c = make_checker(mem, 64);
    struct worker w[2];
    mmio_region shared;
    int i;
    assert_int_equal(mmio_checker_region(&shared, c), 0);
    for (i = 0; i < 2; i++) {
      /* The misuse: two threads store through one region, no split. */
      w[i].r = &shared;
      w[i].shared_off = 16;
      w[i].loads_only = 0;
      w[i].iterations = 20000;
    }
    run_workers(w, 2);
    if (mmio_checker_violations(c) == 0) fail_msg("round %d: the race was not caught", round);
    assert_non_null(strstr(last_msg, "checker: 32-bit store at 0x10 by thread "));
    assert_non_null(strstr(last_msg, " overlaps 32-bit store at 0x10 by thread "));
    mmio_region_release(&shared);
    mmio_checker_destroy(c);
  }
}

static void store_racing_a_load_names_both(void **state) {
  mmio_checker *c = make_checker(mem, 64);
  struct worker w[2];
  mmio_region shared;
  int i;
  (void)state;
  assert_int_equal(mmio_checker_region(&shared, c), 0);
  for (i = 0; i < 2; i++) {
    w[i].r = &shared;
    w[i].shared_off = 8;
    w[i].loads_only = i;
    w[i].iterations = 20000;
  }
  run_workers(w, 2);
  assert_true(mmio_checker_violations(c) > 0);
  assert_non_null(strstr(last_msg, "32-bit load at 0x8"));
  assert_non_null(strstr(last_msg, "32-bit store at 0x8"));
  mmio_region_release(&shared);
  mmio_checker_destroy(c);
}

static void access_unaligned_on_the_inner_address_is_refused_as_by_the_inner_region(void **state) {
  /* The inner region starts one byte into an aligned buffer: offset 0 is
   * not 4-aligned in memory, so the checker's region refuses it as the
   * inner region would, before the checker or the memory is reached. */
  mmio_checker *c = make_checker(mem + 1, 32);
  mmio_region r;
  uint32_t v = 0;
  (void)state;
  assert_int_equal(mmio_checker_region(&r, c), 0);
  assert_int_equal(mmio_try_load32(&r, 0, &v), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_align_offset(&r, 4), 3);
  assert_int_equal(mmio_try_store32(&r, 3, 0x01020304u), 0);
  assert_int_equal(mem[4], 0x04);
  assert_int_equal(mmio_try_store8(&r, 0, 1), 0); /* bytes are always aligned */
  assert_int_equal(mmio_checker_violations(c), 0);
  assert_string_equal(last_msg, "");
  mmio_region_release(&r);
  mmio_checker_destroy(c);
}

/* In a child: two threads store through one region until the default
 * handler aborts. */
static void race_with_the_default_handler(void *arg) {
  struct worker w[2];
  int i;
  for (i = 0; i < 2; i++) {
    memset(&w[i], 0, sizeof(w[i]));
    w[i].r = arg;
    w[i].shared_off = 16;
    w[i].iterations = 1000000;
  }
  for (i = 0; i < 2; i++)
    pthread_create(&w[i].tid, NULL, work, &w[i]);
  for (i = 0; i < 2; i++)
    pthread_join(w[i].tid, NULL);
}

static void default_handler_aborts(void **state) {
  mmio_region inner, r;
  mmio_checker *c;
  char out[512];
  (void)state;
  atomic_store(&stop, 0);
  assert_int_equal(mmio_region_from_memory(&inner, mem, 64, NULL, NULL), 0);
  assert_int_equal(mmio_checker_create(&c, &inner, 0, 0), 0);
  assert_int_equal(mmio_checker_region(&r, c), 0);
  assert_true(test_run_expect_abort(race_with_the_default_handler, &r, out, sizeof(out)));
  assert_non_null(strstr(out, "mmio: checker: 32-bit store at 0x10"));
  mmio_region_release(&r);
  mmio_checker_destroy(c);
}

static void create_consumes_inner_even_on_error(void **state) {
  mmio_region inner = {0};
  mmio_checker *c = (mmio_checker *)1;
  (void)state;
  /* An empty region is a size of 0: an invalid argument, as everywhere. */
  assert_int_equal(mmio_checker_create(&c, &inner, 0, 0), -EINVAL);
  assert_null(c);
  assert_int_equal(mmio_region_from_memory(&inner, mem, 8, NULL, NULL), 0);
  assert_int_equal(mmio_checker_create(NULL, &inner, 0, 0), -EINVAL);
  assert_int_equal(mmio_len(&inner), 0);
}

static void huge_region_is_refused_not_overflowed(void **state) {
  /* 2^62 bytes on a 64-bit machine (2^30 on a 32-bit one): 12 bytes of
   * state per byte overflows size_t. The memory is never touched, so any
   * non-NULL base does. */
  const size_t len = (size_t)1 << (sizeof(size_t) * 8 - 2);
  mmio_region inner;
  mmio_checker *c = (mmio_checker *)1;
  (void)state;
  assert_int_equal(mmio_region_from_memory(&inner, (void *)(uintptr_t)4096, len, NULL, NULL), 0);
  assert_int_equal(mmio_checker_create(&c, &inner, 0, 0), -ENOMEM);
  assert_null(c);
  assert_int_equal(mmio_len(&inner), 0); /* consumed all the same */
}

/* For every base misalignment, the checker's region refuses and accepts
 * exactly what the inner region does, and finds the same aligned offsets:
 * a load16 at an odd base is not UNALIGNED on one and fine on the other. */
static void checker_region_judges_alignment_like_the_inner_one(void **state) {
  size_t mis, off, w, align;
  int ro;
  (void)state;
  /* Read-only too: a store is refused as READ_ONLY before its alignment
   * is judged, by the checker's region as by the inner one. */
  for (ro = 0; ro < 2; ro++)
    for (mis = 0; mis < 16; mis++) {
      mmio_region plain, inner, r;
      mmio_checker *c;
      assert_int_equal(mmio_region_from_memory(&plain, mem + mis, 48, NULL, NULL), 0);
      assert_int_equal(mmio_region_from_memory(&inner, mem + mis, 48, NULL, NULL), 0);
      if (ro) {
        mmio_region_make_read_only(&plain);
        mmio_region_make_read_only(&inner);
      }
      assert_int_equal(mmio_checker_create(&c, &inner, 1, 42), 0);
      assert_int_equal(mmio_checker_region(&r, c), 0);
      assert_int_equal(mmio_len(&r), 48);
      assert_int_equal(mmio_region_is_read_only(&r), ro);
      for (align = 1; align <= 4096; align *= 2)
        assert_int_equal(mmio_align_offset(&r, align), mmio_align_offset(&plain, align));
      for (off = 0; off < 50; off++)
        for (w = 1; w <= 8; w *= 2) {
          assert_int_equal(mmio_check_suitable(&r, off, w), mmio_check_suitable(&plain, off, w));
          assert_int_equal(test_try_access(&r, off, w, 0), test_try_access(&plain, off, w, 0));
          assert_int_equal(test_try_access(&r, off, w, 1), test_try_access(&plain, off, w, 1));
        }
      assert_int_equal(mmio_checker_violations(c), 0);
      mmio_region_release(&r);
      mmio_region_release(&plain);
      mmio_checker_destroy(c);
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(accesses_pass_through_to_the_inner_region),
      cmocka_unit_test(split_regions_hammered_from_many_threads_pass),
      cmocka_unit_test(concurrent_loads_of_one_region_pass),
      cmocka_unit_test(shared_unsplit_region_is_caught_every_time),
      cmocka_unit_test(store_racing_a_load_names_both),
      cmocka_unit_test(access_unaligned_on_the_inner_address_is_refused_as_by_the_inner_region),
      cmocka_unit_test(default_handler_aborts),
      cmocka_unit_test(create_consumes_inner_even_on_error),
      cmocka_unit_test(huge_region_is_refused_not_overflowed),
      cmocka_unit_test(checker_region_judges_alignment_like_the_inner_one),
  };
  return cmocka_run_group_tests_name("checker", tests, NULL, NULL);
}
