/*
 * Fault injection around memory objects: sealed memfds, mmio_map, files
 * and POSIX shm, directly and through mmio_open. Every failure returns an
 * error, leaves the region empty and leaves no descriptor, mapping, shm
 * object or allocation behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmio/mmio.h>

#include "faults.h"

static mmio_region r;
static int vmo = -1;
static char file[64], shm_name[64], spec[128];

static void release_r(void *ctx) {
  (void)ctx;
  mmio_region_release(&r);
}

static int setup(void **state) {
  int fd;
  char block[3 * 4096];
  (void)state;
  vmo = mmio_vmo_create(3 * 4096);
  snprintf(file, sizeof(file), "/tmp/mmio-faults-%d", (int)getpid());
  snprintf(shm_name, sizeof(shm_name), "mmio-faults-%d-memory", (int)getpid());
  memset(block, 0x3c, sizeof(block));
  fd = open(file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (vmo < 0 || fd < 0 || write(fd, block, sizeof(block)) != (ssize_t)sizeof(block)) return -1;
  close(fd);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  close(vmo);
  unlink(file);
  return 0;
}

/* ---- mmio_vmo_create ---- */

static int fd_made = -1;

static int vmo_create(void *ctx) {
  (void)ctx;
  fd_made = mmio_vmo_create(2 * 4096 + 1);
  return fd_made < 0 ? fd_made : 0;
}

static void close_made(void *ctx) {
  (void)ctx;
  close(fd_made);
}

static void a_failed_vmo_leaves_no_descriptor(void **state) {
  const struct fault_case c = {.entry = "mmio_vmo_create", .act = vmo_create, .undo = close_made};
  (void)state;
  assert_true(fault_sweep(&c) > 0);
}

/* ---- mmio_map ---- */

static int map(void *ctx) {
  /* The default policy asks fstat only; a cached one, fstatfs as well. */
  const enum mmio_cache_policy policy = ctx != NULL ? MMIO_CACHE_CACHED : MMIO_CACHE_DEFAULT;
  int err = mmio_map(&r, vmo, 4096 + 5, 100, policy, ctx != NULL ? MMIO_MAP_READ_ONLY : 0);
  if (err != 0) assert_true(fault_region_empty(&r));
  return err;
}

static void a_failed_map_leaves_no_mapping(void **state) {
  const struct fault_case plain = {.entry = "mmio_map", .act = map, .undo = release_r};
  const struct fault_case cached = {
      .entry = "mmio_map(cached)", .act = map, .undo = release_r, .ctx = &r};
  (void)state;
  assert_true(fault_sweep(&plain) > 0);
  assert_true(fault_sweep(&cached) > 0);
}

/* ---- files ---- */

static int file_map(void *ctx) {
  int err;
  (void)ctx;
  err = mmio_file_map(&r, file, 4096 + 7, 0, MMIO_CACHE_CACHED, 0);
  if (err != 0) assert_true(fault_region_empty(&r));
  return err;
}

static int open_spec(void *ctx) {
  int err;
  (void)ctx;
  err = mmio_open(&r, spec, MMIO_CACHE_DEFAULT, 0);
  if (err != 0) assert_true(fault_region_empty(&r));
  return err;
}

static void a_failed_file_map_leaves_no_descriptor_or_mapping(void **state) {
  const struct fault_case direct = {.entry = "mmio_file_map", .act = file_map, .undo = release_r};
  const struct fault_case opened = {
      .entry = "mmio_open(file:)", .act = open_spec, .undo = release_r};
  (void)state;
  assert_true(fault_sweep(&direct) > 0);
  snprintf(spec, sizeof(spec), "file:%s@0x10+0x20", file);
  assert_true(fault_sweep(&opened) > 0);
}

/* ---- shm ---- */

static void unlink_shm(void *ctx) {
  char path[96];
  (void)ctx;
  mmio_region_release(&r);
  snprintf(path, sizeof(path), "/%s", shm_name);
  shm_unlink(path);
}

static int shm_map(void *ctx) {
  int err;
  (void)ctx;
  err = mmio_shm_map(&r, shm_name, 8192, 0);
  if (err != 0) assert_true(fault_region_empty(&r));
  return err;
}

static void a_failed_shm_map_leaves_no_object_it_created(void **state) {
  const struct fault_case direct = {.entry = "mmio_shm_map", .act = shm_map, .undo = unlink_shm};
  const struct fault_case opened = {
      .entry = "mmio_open(shm:)", .act = open_spec, .undo = unlink_shm};
  (void)state;
  assert_true(fault_sweep(&direct) > 0);
  snprintf(spec, sizeof(spec), "shm:%s+16k", shm_name);
  assert_true(fault_sweep(&opened) > 0);
}

/* ---- what an object gives ---- */

/* A sysfs attribute: mmio_map asks what kind of object it is (a PCI
 * resource file? /dev/mem?) and, being neither, refuses an uncached
 * request; every failure on the way is an error too. */
static int map_sysfs(void *ctx) {
  const int fd = *(const int *)ctx;
  int err = mmio_map(&r, fd, 0, 16, MMIO_CACHE_UNCACHED_DEVICE, MMIO_MAP_READ_ONLY);
  assert_true(fault_region_empty(&r));
  return err;
}

static void the_kind_of_an_object_is_told_or_refused(void **state) {
  int fd = open("/sys/kernel/uevent_seqnum", O_RDONLY | O_CLOEXEC);
  const struct fault_case c = {
      .entry = "mmio_map(sysfs, uncached-device)", .act = map_sysfs, .undo = release_r, .ctx = &fd};
  (void)state;
  if (fd < 0) skip(); /* no sysfs here */
  assert_int_equal(map_sysfs(&fd), MMIO_ERR_CACHE_POLICY);
  assert_true(fault_sweep(&c) > 0);
  close(fd);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_failed_vmo_leaves_no_descriptor),
      cmocka_unit_test(a_failed_map_leaves_no_mapping),
      cmocka_unit_test(a_failed_file_map_leaves_no_descriptor_or_mapping),
      cmocka_unit_test(a_failed_shm_map_leaves_no_object_it_created),
      cmocka_unit_test(the_kind_of_an_object_is_told_or_refused),
  };
  return cmocka_run_group_tests_name("faults_memory", tests, setup, teardown);
}
