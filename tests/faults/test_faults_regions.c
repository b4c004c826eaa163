/*
 * Fault injection around the region constructors: memory and backend
 * regions, traces, and the guard's signal handlers. Every failure returns
 * an error, leaves the region empty and leaves nothing behind.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmio/mmio.h>

#include "faults.h"

static uint8_t mem[256];
static mmio_region r, inner;
static int releases;

static void count_release(void *ctx) {
  (void)ctx;
  releases++;
}

static void release_r(void *ctx) {
  (void)ctx;
  mmio_region_release(&r);
}

static int memory_region(void *ctx) {
  int err = mmio_region_from_memory(&r, mem, sizeof(mem), count_release, ctx);
  if (err != 0) assert_true(fault_region_empty(&r));
  return err;
}

static void a_failed_memory_region_keeps_the_callers_memory(void **state) {
  const struct fault_case c = {
      .entry = "mmio_region_from_memory", .act = memory_region, .undo = release_r};
  (void)state;
  releases = 0;
  assert_true(fault_sweep(&c) > 0);
  /* Only the successful runs released: a failure never calls release. */
  assert_int_equal(releases, 3); /* baseline, the short sweep's end, the error sweep's end */
}

static int backend_access(void *ctx, size_t off, unsigned width, int store, uint64_t *value) {
  (void)ctx, (void)off, (void)width;
  if (!store) *value = 0;
  return 0;
}

MMIO_DEFINE_OPS(backend_ops, backend_access, count_release);

static int backend_region(void *ctx) {
  int err = mmio_region_from_ops(&r, &backend_ops, ctx, 64);
  if (err != 0) assert_true(fault_region_empty(&r));
  return err;
}

static void a_failed_backend_region_keeps_the_callers_context(void **state) {
  const struct fault_case c = {
      .entry = "mmio_region_from_ops", .act = backend_region, .undo = release_r};
  (void)state;
  releases = 0;
  assert_true(fault_sweep(&c) > 0);
  assert_int_equal(releases, 3);
}

static void quiet(void *arg, const struct mmio_trace_record *rec) { (void)arg, (void)rec; }

/* The inner region is borrowed memory, so that consuming it frees nothing
 * the run counts. */
static void make_inner(void *ctx) {
  (void)ctx;
  assert_int_equal(mmio_region_from_memory(&inner, mem + 1, 64, NULL, NULL), 0);
}

static int traced(void *ctx) {
  FILE *f = ctx;
  int err = f != NULL ? mmio_trace_file(&r, &inner, f, MMIO_TRACE_TIME)
                      : mmio_trace_callback(&r, &inner, quiet, NULL);
  assert_true(fault_region_empty(&inner)); /* consumed either way */
  if (err != 0) assert_true(fault_region_empty(&r));
  return err;
}

static void a_failed_trace_consumes_its_inner_region_and_leaves_nothing(void **state) {
  FILE *f = tmpfile();
  const struct fault_case cb = {
      .entry = "mmio_trace_callback", .prepare = make_inner, .act = traced, .undo = release_r};
  const struct fault_case file = {.entry = "mmio_trace_file",
                                  .prepare = make_inner,
                                  .act = traced,
                                  .undo = release_r,
                                  .ctx = f};
  (void)state;
  assert_true(fault_sweep(&cb) > 0);
  assert_true(fault_sweep(&file) > 0);
  fclose(f);
}

/* The guard installs its handlers once per process: each run is a child
 * of its own. A failed install leaves the region unguarded. */
static int guarded(void *ctx) {
  int err;
  (void)ctx;
  if (mmio_region_from_memory(&r, mem, sizeof(mem), NULL, NULL) != 0) return -ENOMEM;
  err = mmio_region_guard(&r);
  if ((err == 0) != mmio_region_is_guarded(&r)) err = -EPROTO; /* not what it says */
  mmio_region_release(&r);
  return err;
}

static void a_failed_guard_leaves_the_region_unguarded(void **state) {
  const struct fault_case c = {.entry = "mmio_region_guard", .act = guarded, .fork_each = 1};
  (void)state;
  assert_true(fault_sweep(&c) > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_failed_memory_region_keeps_the_callers_memory),
      cmocka_unit_test(a_failed_backend_region_keeps_the_callers_context),
      cmocka_unit_test(a_failed_trace_consumes_its_inner_region_and_leaves_nothing),
      cmocka_unit_test(a_failed_guard_leaves_the_region_unguarded),
  };
  return cmocka_run_group_tests_name("faults_regions", tests, NULL, NULL);
}
