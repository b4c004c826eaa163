/*
 * Runs on the target architecture (natively or under qemu-user): the
 * inline-assembly accessors move the right bytes, in both directions, for
 * every width, through the fast and out-of-line paths of a region over
 * memory and over a mapped memfd. Self-contained (no test framework), so it
 * builds with a bare cross compiler; prints one line per failure and a
 * closing "N passed, M failed" line.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mmio/mmio.h>

static int passed, failed;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (cond) {                                                                                    \
      passed++;                                                                                    \
    } else {                                                                                       \
      failed++;                                                                                    \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                                       \
    }                                                                                              \
  } while (0)

static _Alignas(64) unsigned char buf[128];

static void raw_accessors_move_exact_bytes(void) {
  memset(buf, 0xee, sizeof(buf));
  mmio_raw_store8(buf + 1, 0x12);
  mmio_raw_store16(buf + 2, 0x3456);
  mmio_raw_store32(buf + 4, 0x789abcdeu);
  mmio_raw_store64(buf + 8, 0x0123456789abcdefull);
  CHECK(buf[0] == 0xee && buf[16] == 0xee);
  CHECK(buf[1] == 0x12 && buf[2] == 0x56 && buf[3] == 0x34);
  CHECK(buf[4] == 0xde && buf[7] == 0x78);
  CHECK(buf[8] == 0xef && buf[15] == 0x01);
  CHECK(mmio_raw_load8(buf + 1) == 0x12);
  CHECK(mmio_raw_load16(buf + 2) == 0x3456);
  CHECK(mmio_raw_load32(buf + 4) == 0x789abcdeu);
  CHECK(mmio_raw_load64(buf + 8) == 0x0123456789abcdefull);
  /* Loads zero-extend: no sign bits leak into the wider return type. */
  mmio_raw_store32(buf + 16, 0x80000000u);
  CHECK(mmio_raw_load32(buf + 16) == 0x80000000u);
  CHECK((uint64_t)mmio_raw_load32(buf + 16) == 0x80000000ull);
  mmio_raw_store8(buf + 20, 0x80);
  CHECK((unsigned)mmio_raw_load8(buf + 20) == 0x80u);
  mmio_barrier_read();
  mmio_barrier_write();
  mmio_barrier_full();
}

static void region_paths_agree(size_t mis) {
  mmio_region r;
  size_t off;
  memset(buf, 0, sizeof(buf));
  CHECK(mmio_region_from_memory(&r, buf + mis, 64, NULL, NULL) == 0);
  for (off = 0; off + 8 <= 64; off += 8) {
    size_t a = mmio_align_offset(&r, 8) + off;
    uint64_t v64 = 0;
    uint32_t v32 = 0;
    if (a + 8 > 64) break;
    CHECK(mmio_try_store64(&r, a, 0x1111111111111111ull * (off / 8 + 1)) == 0);
    CHECK(mmio_try_load64(&r, a, &v64) == 0 && v64 == 0x1111111111111111ull * (off / 8 + 1));
    CHECK(mmio_try_load32(&r, a + 4, &v32) == 0 && v32 == (uint32_t)v64);
  }
  CHECK(mmio_try_store32(&r, 62, 0) == MMIO_ERR_UNALIGNED || (mis + 62) % 4 == 0);
  CHECK(mmio_masked_modify16(&r, mmio_align_offset(&r, 2), 0x00ff, 0xabcd) == 0);
  mmio_region_release(&r);
}

static void mapped_memfd_round_trips(void) {
  mmio_region r;
  uint32_t v = 0;
  int fd = mmio_vmo_create(4096);
  CHECK(fd >= 0);
  CHECK(mmio_map(&r, fd, 64, 128, MMIO_CACHE_DEFAULT, 0) == 0);
  CHECK(mmio_try_store32(&r, 0, 0xa5a55a5au) == 0);
  CHECK(pread(fd, &v, 4, 64) == 4 && v == 0xa5a55a5au);
  v = 0x01020304u;
  CHECK(pwrite(fd, &v, 4, 64 + 124) == 4);
  CHECK(mmio_load32(&r, 124) == 0x01020304u);
  CHECK(mmio_load8(&r, 127) == 0x01);
  mmio_region_release(&r);
  close(fd);
}

/* A sparse file's offset 4 GiB + 0x3000, mapped: on a 32-bit target the
 * offset must reach mmap whole (cross_run.sh checks the system call on
 * armhf, because qemu-user 7.2 itself truncates it, so the bytes cannot
 * tell). */
static void offset_beyond_4gib_is_mapped(void) {
  char path[] = "/tmp/mmio-roundtrip-XXXXXX";
  const uint32_t marker = 0x4a4a4a4au;
  mmio_region r;
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if (fd < 0) return;
  unlink(path);
  CHECK(pwrite(fd, &marker, 4, (off_t)0x100003000ll) == 4);
  CHECK(ftruncate(fd, (off_t)0x100004000ll) == 0);
  CHECK(mmio_map(&r, fd, 0x100003000ull, 16, MMIO_CACHE_DEFAULT, 0) == 0);
  mmio_region_release(&r);
  close(fd);
}

int main(void) {
  size_t mis;
  raw_accessors_move_exact_bytes();
  for (mis = 0; mis < 8; mis++)
    region_paths_agree(mis);
  mapped_memfd_round_trips();
  offset_beyond_4gib_is_mapped();
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
