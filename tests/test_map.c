/*
 * Mapping memory objects: the seed's vmo tests on real memfds, page
 * rounding, cache policies, read-only mappings and every rejected input,
 * each checked to leave no mapping and no descriptor behind.
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
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmio/mmio.h>

#include "helpers.h"

static size_t page(void) { return (size_t)sysconf(_SC_PAGESIZE); }

static void mapping_reads_back_every_byte(void **state) {
  const size_t len = 256;
  mmio_region r;
  size_t i;
  int fd = mmio_vmo_create(len);
  (void)state;
  assert_true(fd >= 0);
  assert_int_equal(mmio_map(&r, fd, 0, len, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_len(&r), len);
  for (i = 0; i < len; i++)
    assert_int_equal(mmio_try_store8(&r, i, (uint8_t)i), 0);
  for (i = 0; i < len; i++) {
    uint8_t v = 0;
    assert_int_equal(mmio_try_load8(&r, i, &v), 0);
    assert_int_equal(v, (uint8_t)i);
  }
  /* Exactly len bytes: the rest of the page is not part of the region. */
  assert_int_equal(mmio_try_store8(&r, len, 0), MMIO_ERR_OUT_OF_RANGE);
  mmio_region_release(&r);
  close(fd);
}

static void page_offset_mapping_sees_data_written_through_the_fd(void **state) {
  const size_t obj = 1024, off = 128, len = 256;
  mmio_region r;
  size_t i;
  int fd = mmio_vmo_create(obj);
  (void)state;
  assert_true(fd >= 0);
  for (i = 0; i < obj; i += 2) {
    uint16_t v = (uint16_t)i;
    assert_int_equal(pwrite(fd, &v, 2, (off_t)i), 2);
  }
  assert_int_equal(mmio_map(&r, fd, off, len, MMIO_CACHE_DEFAULT, 0), 0);
  for (i = 0; i < len; i += 2) {
    uint16_t v = 0;
    assert_int_equal(mmio_try_load16(&r, i, &v), 0);
    assert_int_equal(v, (uint16_t)(i + off));
  }
  /* Alignment is judged on the address: offset 128 into a page is
   * 64-byte aligned, so byte 0 of the region is too. */
  assert_int_equal(mmio_align_offset(&r, 64), 0);
  mmio_region_release(&r);
  close(fd);
}

static void object_is_mapped_once_while_mapped_and_never_after(void **state) {
  mmio_region r, l = {0};
  int fd = mmio_vmo_create(256);
  (void)state;
  assert_true(fd >= 0);
  assert_int_equal(test_count_mappings_of_fd(fd), 0);
  assert_int_equal(mmio_map(&r, fd, 0, 256, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(test_count_mappings_of_fd(fd), 1);
  /* Splitting shares the one mapping. */
  assert_int_equal(mmio_try_split_off(&r, 100, &l), 0);
  assert_int_equal(test_count_mappings_of_fd(fd), 1);
  mmio_region_release(&r);
  assert_int_equal(test_count_mappings_of_fd(fd), 1);
  mmio_region_release(&l);
  assert_int_equal(test_count_mappings_of_fd(fd), 0);
  mmio_region_release(&l);
  assert_int_equal(test_count_mappings_of_fd(fd), 0);
  close(fd);
}

static void mapping_outlives_the_callers_fd(void **state) {
  mmio_region r;
  int fd = mmio_vmo_create(page());
  int fds_before;
  (void)state;
  assert_true(fd >= 0);
  fds_before = test_count_fds();
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_DEFAULT, 0), 0);
  /* The mapping keeps the object, not a descriptor of ours. */
  assert_int_equal(test_count_fds(), fds_before);
  close(fd);
  mmio_store64(&r, 8, 0x1122334455667788ull);
  assert_true(mmio_load64(&r, 8) == 0x1122334455667788ull);
  mmio_region_release(&r);
}

static void vmo_is_page_rounded_and_sealed(void **state) {
  struct stat st;
  int fd = mmio_vmo_create(1);
  int seals;
  (void)state;
  assert_true(fd >= 0);
  assert_int_equal(fstat(fd, &st), 0);
  assert_int_equal((size_t)st.st_size, page());
  seals = fcntl(fd, F_GET_SEALS);
  assert_true(seals & F_SEAL_SHRINK);
  assert_true(seals & F_SEAL_GROW);
  assert_int_equal(ftruncate(fd, 0), -1);
  assert_int_equal(errno, EPERM);
  assert_int_equal(ftruncate(fd, (off_t)(2 * page())), -1);
  assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
  close(fd);
  assert_int_equal(mmio_vmo_create(SIZE_MAX), MMIO_ERR_OUT_OF_RANGE);
}

static void unaligned_offset_and_size_cross_pages(void **state) {
  const size_t ps = page();
  mmio_region r;
  uint32_t v = 0;
  int fd = mmio_vmo_create(3 * ps);
  (void)state;
  assert_true(fd >= 0);
  v = 0xfeedbeefu;
  assert_int_equal(pwrite(fd, &v, 4, (off_t)(2 * ps + 4)), 4);
  /* Starts 8 bytes before the end of page 0, ends 8 bytes into page 2. */
  assert_int_equal(mmio_map(&r, fd, ps - 8, ps + 16, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_len(&r), ps + 16);
  assert_int_equal(mmio_try_load32(&r, ps + 12, &v), 0);
  assert_int_equal(v, 0xfeedbeefu);
  assert_int_equal(test_count_mappings_of_fd(fd), 1);
  mmio_region_release(&r);
  close(fd);
}

static void regular_file_that_is_not_a_page_multiple_maps_its_tail(void **state) {
  char path[] = "/tmp/mmio-test-XXXXXX";
  mmio_region r;
  uint8_t data[300];
  size_t i;
  int fd = mkstemp(path);
  (void)state;
  assert_true(fd >= 0);
  unlink(path);
  for (i = 0; i < sizeof(data); i++)
    data[i] = (uint8_t)(i * 7);
  assert_int_equal(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
  /* Like a 256-byte BAR's resource file: the object is smaller than a page,
   * the caller's range fits, the page-rounded one would not. */
  assert_int_equal(mmio_map(&r, fd, 200, 100, MMIO_CACHE_CACHED, 0), 0);
  assert_int_equal(mmio_load8(&r, 99), (uint8_t)(299 * 7));
  mmio_region_release(&r);
  assert_int_equal(mmio_map(&r, fd, 200, 101, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_OUT_OF_RANGE);
  close(fd);
}

static void read_only_mapping_has_no_write_permission(void **state) {
  mmio_region r;
  int fd = mmio_vmo_create(page());
  int ro;
  char path[64];
  uint32_t v = 0x1234;
  (void)state;
  assert_true(fd >= 0);
  assert_int_equal(pwrite(fd, &v, 4, 0), 4);
  /* A descriptor opened read-only can only be mapped read-only. */
  snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
  ro = open(path, O_RDONLY);
  assert_true(ro >= 0);
  assert_int_equal(mmio_map(&r, ro, 0, 64, MMIO_CACHE_DEFAULT, 0), -EACCES);
  assert_int_equal(test_count_mappings_of_fd(fd), 0);
  assert_int_equal(mmio_map(&r, ro, 0, 64, MMIO_CACHE_DEFAULT, MMIO_MAP_READ_ONLY), 0);
  assert_true(mmio_region_is_read_only(&r));
  assert_int_equal(mmio_load32(&r, 0), 0x1234);
  assert_int_equal(mmio_try_store32(&r, 0, 1), MMIO_ERR_READ_ONLY);
  {
    /* The page itself is mapped without PROT_WRITE. */
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    unsigned long lo, hi;
    char perms[8] = "";
    uintptr_t a = (uintptr_t)r.mmio__addr;
    int found = 0;
    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL)
      if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && a >= lo && a < hi) {
        found = 1;
        break;
      }
    fclose(f);
    assert_true(found);
    assert_int_equal(perms[1], '-');
  }
  mmio_region_release(&r);
  close(ro);
  close(fd);
}

static void rejected_input_leaves_no_mapping_and_no_fd(void **state) {
  const size_t ps = page();
  mmio_region r;
  int fd = mmio_vmo_create(2 * ps);
  int fds, maps;
  (void)state;
  assert_true(fd >= 0);
  fds = test_count_fds();
  maps = test_count_all_mappings();
  memset(&r, 0x5a, sizeof(r));
  assert_int_equal(mmio_map(&r, fd, 0, (size_t)PTRDIFF_MAX + 1, MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_len(&r), 0); /* left empty */
  assert_int_equal(mmio_map(&r, fd, UINT64_MAX - 10, 64, MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_map(&r, fd, UINT64_MAX, 1, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_map(&r, fd, 2 * ps, 1, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_map(&r, fd, ps, ps + 1, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_map(&r, fd, 3 * ps, ps, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_map(&r, fd, 0, 0, MMIO_CACHE_DEFAULT, 0), -EINVAL);
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_DEFAULT, 0x80), -EINVAL);
  assert_int_equal(mmio_map(&r, fd, 0, 64, (enum mmio_cache_policy)42, 0), -EINVAL);
  assert_int_equal(mmio_map(NULL, fd, 0, 64, MMIO_CACHE_DEFAULT, 0), -EINVAL);
  assert_int_equal(mmio_map(&r, -1, 0, 64, MMIO_CACHE_DEFAULT, 0), -EBADF);
  assert_int_equal(mmio_map(&r, 1000, 0, 64, MMIO_CACHE_DEFAULT, 0), -EBADF);
  assert_int_equal(test_count_fds(), fds);
  assert_int_equal(test_count_all_mappings(), maps);
  assert_int_equal(test_count_mappings_of_fd(fd), 0);
  close(fd);
}

static void memfd_refuses_uncached_policies(void **state) {
  mmio_region r;
  int fd = mmio_vmo_create(page());
  int maps;
  (void)state;
  assert_true(fd >= 0);
  maps = test_count_all_mappings();
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_UNCACHED, 0), MMIO_ERR_CACHE_POLICY);
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_UNCACHED_DEVICE, 0), MMIO_ERR_CACHE_POLICY);
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_WRITE_COMBINING, 0), MMIO_ERR_CACHE_POLICY);
  assert_int_equal(test_count_all_mappings(), maps);
  /* What the object gives is accepted, by name or as the default. */
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_CACHED, 0), 0);
  mmio_region_release(&r);
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_DEFAULT, 0), 0);
  mmio_region_release(&r);
  close(fd);
}

static void policy_names_are_distinct(void **state) {
  (void)state;
  assert_string_equal(mmio_cache_policy_name(MMIO_CACHE_DEFAULT), "default");
  assert_string_equal(mmio_cache_policy_name(MMIO_CACHE_CACHED), "cached");
  assert_string_equal(mmio_cache_policy_name(MMIO_CACHE_UNCACHED), "uncached");
  assert_string_equal(mmio_cache_policy_name(MMIO_CACHE_UNCACHED_DEVICE), "uncached-device");
  assert_string_equal(mmio_cache_policy_name(MMIO_CACHE_WRITE_COMBINING), "write-combining");
  assert_string_equal(mmio_cache_policy_name((enum mmio_cache_policy)99), "invalid");
}

static void devices_without_a_size_defer_to_their_driver(void **state) {
  mmio_region r;
  int fd = open("/dev/zero", O_RDWR);
  (void)state;
  assert_true(fd >= 0);
  /* A character device has no size to check against, and its memory type
   * is its driver's choice: only the default is accepted. */
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_CACHED, 0), MMIO_ERR_CACHE_POLICY);
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_load32(&r, 60), 0);
  mmio_region_release(&r);
  close(fd);
}

/* The arguments that need no descriptor are judged before the descriptor
 * is even looked at: fd -1 with size 0 is an invalid argument, not -EBADF. */
static void arguments_are_judged_before_the_descriptor(void **state) {
  mmio_region r;
  (void)state;
  assert_int_equal(mmio_map(&r, -1, 0, 0, MMIO_CACHE_DEFAULT, 0), -EINVAL);
  assert_int_equal(mmio_map(&r, -1, 0, 64, MMIO_CACHE_DEFAULT, 0x80), -EINVAL);
  assert_int_equal(mmio_map(&r, -1, 0, 64, (enum mmio_cache_policy)42, 0), -EINVAL);
  assert_int_equal(mmio_map(&r, -1, 0, 64, (enum mmio_cache_policy)42, 0), -EINVAL);
  assert_int_equal(mmio_map(&r, -1, 0, (size_t)PTRDIFF_MAX + 1, MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_map(&r, -1, UINT64_MAX, 1, MMIO_CACHE_CACHED, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_map(&r, -1, 0, 64, MMIO_CACHE_DEFAULT, 0), -EBADF);
}

/*
 * Failing system calls, on request: the test links with --wrap for
 * fstatfs and munmap (tests/CMakeLists.txt), so the library's calls come
 * here and fail with fail_errno while fail_count is positive.
 */
int __real_fstatfs(int fd, struct statfs *buf);
int __wrap_fstatfs(int fd, struct statfs *buf);
int __real_fstatfs64(int fd, struct statfs *buf);
int __wrap_fstatfs64(int fd, struct statfs *buf);
int __real_munmap(void *addr, size_t len);
int __wrap_munmap(void *addr, size_t len);
static int fail_fstatfs, fail_munmap;

int __wrap_fstatfs(int fd, struct statfs *buf) {
  if (fail_fstatfs > 0 && fail_fstatfs--) return errno = EIO, -1;
  return __real_fstatfs(fd, buf);
}

int __wrap_fstatfs64(int fd, struct statfs *buf) {
  if (fail_fstatfs > 0 && fail_fstatfs--) return errno = EIO, -1;
  return __real_fstatfs64(fd, buf);
}

int __wrap_munmap(void *addr, size_t len) {
  if (fail_munmap > 0 && fail_munmap--) return errno = EINVAL, -1;
  return __real_munmap(addr, len);
}

/* An object whose file system cannot be told is not guessed to be cached
 * memory: the request fails with fstatfs's error. */
static void fstatfs_failure_is_reported_not_guessed(void **state) {
  mmio_region r;
  int fd = mmio_vmo_create(page());
  (void)state;
  assert_true(fd >= 0);
  fail_fstatfs = 1;
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_CACHED, 0), -EIO);
  assert_int_equal(mmio_len(&r), 0);
  assert_int_equal(test_count_mappings_of_fd(fd), 0);
  /* The default policy needs no fstatfs, and a working one grants it. */
  fail_fstatfs = 1;
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_DEFAULT, 0), 0);
  mmio_region_release(&r);
  fail_fstatfs = 0;
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_CACHED, 0), 0);
  mmio_region_release(&r);
  close(fd);
}

static void release_with_failing_munmap(void *arg) {
  fail_munmap = 1;
  mmio_region_release(arg);
}

/* A failed unmap of the last region is not a silent leak: the library's
 * record of its mapping is wrong, and it aborts saying so. */
static void failed_unmap_on_the_last_release_aborts_loudly(void **state) {
  char out[512];
  mmio_region r;
  int fd = mmio_vmo_create(page());
  (void)state;
  assert_true(fd >= 0);
  assert_int_equal(mmio_map(&r, fd, 0, 64, MMIO_CACHE_DEFAULT, 0), 0);
  assert_true(test_run_expect_abort(release_with_failing_munmap, &r, out, sizeof(out)));
  assert_non_null(strstr(out, "mmio: munmap("));
  assert_non_null(strstr(out, "EINVAL"));
  mmio_region_release(&r); /* here, it works */
  assert_int_equal(test_count_mappings_of_fd(fd), 0);
  close(fd);
}

/* The memfd is sealed against further sealing too: no other holder of the
 * descriptor can add a write seal under the mapping's feet. */
static void vmo_refuses_further_seals(void **state) {
  int fd = mmio_vmo_create(page());
  (void)state;
  assert_true(fd >= 0);
  assert_true(fcntl(fd, F_GET_SEALS) & F_SEAL_SEAL);
  assert_int_equal(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), -1);
  assert_int_equal(errno, EPERM);
  close(fd);
  assert_int_equal(mmio_vmo_create(0), -EINVAL);
}

/* A sparse file with different bytes at 0x3000 and at 4 GiB + 0x3000:
 * a 32-bit off_t would map the first when asked for the second. */
static int sparse_file(char *path, size_t cap) {
  const uint32_t low = 0x10101010u, high = 0x4a4a4a4au;
  int fd;
  snprintf(path, cap, "/tmp/mmio-sparse-XXXXXX");
  fd = mkstemp(path);
  assert_true(fd >= 0);
  /* The 64-bit calls by name, so that the test does not depend on the
   * _FILE_OFFSET_BITS it is checking the library for. */
  assert_int_equal(pwrite64(fd, &low, 4, 0x3000), 4);
  assert_int_equal(pwrite64(fd, &high, 4, (off64_t)0x100003000ll), 4);
  assert_int_equal(ftruncate64(fd, (off64_t)0x100004000ll), 0);
  return fd;
}

/* Whether this platform's own mmap reaches 4 GiB + 0x3000 of fd: qemu-user
 * before 8.0 truncates the offset of a 32-bit guest's mmap2 to 32 bits
 * (the guest passes it right), and then no library can do better. */
static int platform_maps_beyond_4gib(int fd) {
  void *p = mmap64(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off64_t)0x100003000ll);
  int ok = p != MAP_FAILED && *(volatile uint32_t *)p == 0x4a4a4a4au;
  if (p != MAP_FAILED) munmap(p, 4096);
  return ok;
}

static void offsets_beyond_4gib_map_the_bytes_asked_for(void **state) {
  char path[64];
  mmio_region r;
  int fd = sparse_file(path, sizeof(path));
  const uint32_t want = platform_maps_beyond_4gib(fd) ? 0x4a4a4a4au : 0x10101010u;
  (void)state;
  if (want != 0x4a4a4a4au)
    print_message("note: this platform's mmap truncates offsets beyond 4 GiB (qemu-user < 8?); "
                  "checking that mmio_map does no worse\n");
  assert_int_equal(mmio_map(&r, fd, 0x100003000ull, 16, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_load32(&r, 0), want);
  mmio_region_release(&r);
  assert_int_equal(mmio_map(&r, fd, 0x3000, 16, MMIO_CACHE_CACHED, 0), 0);
  assert_int_equal(mmio_load32(&r, 0), 0x10101010u);
  mmio_region_release(&r);
  /* "To the end" from 4 GiB + 0x3000 is the last page. */
  assert_int_equal(mmio_file_map(&r, path, 0x100003000ull, 0, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_len(&r), 0x1000);
  assert_int_equal(mmio_load32(&r, 0), want);
  mmio_region_release(&r);
  /* The whole file is longer than a 32-bit region can be: refused there,
   * never shortened. */
  if (sizeof(size_t) < 8) {
    assert_int_equal(mmio_file_map(&r, path, 0, 0, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_OUT_OF_RANGE);
  } else {
    assert_int_equal(mmio_file_map(&r, path, 0, 0, MMIO_CACHE_DEFAULT, 0), 0);
    assert_true(mmio_len(&r) == 0x100004000ull);
    mmio_region_release(&r);
  }
  /* An offset off_t cannot express is refused, not wrapped. */
  assert_int_equal(mmio_map(&r, fd, 0x8000000000000000ull, 16, MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_OUT_OF_RANGE);
  close(fd);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(mapping_reads_back_every_byte),
      cmocka_unit_test(page_offset_mapping_sees_data_written_through_the_fd),
      cmocka_unit_test(object_is_mapped_once_while_mapped_and_never_after),
      cmocka_unit_test(mapping_outlives_the_callers_fd),
      cmocka_unit_test(vmo_is_page_rounded_and_sealed),
      cmocka_unit_test(fstatfs_failure_is_reported_not_guessed),
      cmocka_unit_test(failed_unmap_on_the_last_release_aborts_loudly),
      cmocka_unit_test(vmo_refuses_further_seals),
      cmocka_unit_test(offsets_beyond_4gib_map_the_bytes_asked_for),
      cmocka_unit_test(unaligned_offset_and_size_cross_pages),
      cmocka_unit_test(regular_file_that_is_not_a_page_multiple_maps_its_tail),
      cmocka_unit_test(read_only_mapping_has_no_write_permission),
      cmocka_unit_test(rejected_input_leaves_no_mapping_and_no_fd),
      cmocka_unit_test(arguments_are_judged_before_the_descriptor),
      cmocka_unit_test(memfd_refuses_uncached_policies),
      cmocka_unit_test(policy_names_are_distinct),
      cmocka_unit_test(devices_without_a_size_defer_to_their_driver),
  };
  return cmocka_run_group_tests_name("map", tests, NULL, NULL);
}
