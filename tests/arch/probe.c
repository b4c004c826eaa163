/*
 * Code whose compiled form the instruction audit (check_insns.sh)
 * disassembles: each raw accessor alone, and driver-style code of the
 * kinds that tempt an optimiser to merge, pair, vectorise or re-address
 * device accesses (adjacent registers, copy and fill loops,
 * read-modify-write, polling), through the raw accessors and through
 * checked regions. Every function's device accesses are known, so the
 * audit can count them by width.
 */
#include <mmio/mmio.h>

#define PROBE(bits)                                                                                \
  uint##bits##_t probe_load##bits(const volatile void *p);                                         \
  uint##bits##_t probe_load##bits(const volatile void *p) { return mmio_raw_load##bits(p); }       \
  void probe_store##bits(volatile void *p, uint##bits##_t v);                                      \
  void probe_store##bits(volatile void *p, uint##bits##_t v) { mmio_raw_store##bits(p, v); }
PROBE(8)
PROBE(16)
PROBE(32)
PROBE(64)

int probe_try_load32(const mmio_region *r, size_t off, uint32_t *out);
int probe_try_load32(const mmio_region *r, size_t off, uint32_t *out) {
  return mmio_try_load32(r, off, out);
}

int probe_try_store32(mmio_region *r, size_t off, uint32_t v);
int probe_try_store32(mmio_region *r, size_t off, uint32_t v) {
  return mmio_try_store32(r, off, v);
}

/* ---- driver-style code over raw device memory ---- */

#define B(p, off) ((volatile unsigned char *)(p) + (off))

/* Four adjacent 32-bit registers: a candidate for stp, strd or one vector
 * store. */
void drv_adjacent_store32(volatile void *regs);
void drv_adjacent_store32(volatile void *regs) {
#ifndef MMIO_AUDIT_PLANT
  mmio_raw_store32(B(regs, 0x0), 1);
  mmio_raw_store32(B(regs, 0x4), 2);
  mmio_raw_store32(B(regs, 0x8), 3);
  mmio_raw_store32(B(regs, 0xc), 4);
#else
  /* The audit's own test (tests/CMakeLists.txt, audit_catches_*): plain
   * stores, which every compiler merges or pairs, must fail it. */
  uint32_t *p = (uint32_t *)(uintptr_t)regs;
  p[0] = 1;
  p[1] = 2;
  p[2] = 3;
  p[3] = 4;
#endif
}

/* Eight adjacent bytes: a candidate for one 64-bit store. */
void drv_adjacent_store8(volatile void *regs);
void drv_adjacent_store8(volatile void *regs) {
  mmio_raw_store8(B(regs, 0), 0x10);
  mmio_raw_store8(B(regs, 1), 0x11);
  mmio_raw_store8(B(regs, 2), 0x12);
  mmio_raw_store8(B(regs, 3), 0x13);
  mmio_raw_store8(B(regs, 4), 0x14);
  mmio_raw_store8(B(regs, 5), 0x15);
  mmio_raw_store8(B(regs, 6), 0x16);
  mmio_raw_store8(B(regs, 7), 0x17);
}

/* Four adjacent 16-bit loads summed: a candidate for one 64-bit load. */
uint32_t drv_adjacent_load16(const volatile void *regs);
uint32_t drv_adjacent_load16(const volatile void *regs) {
  return (uint32_t)mmio_raw_load16(B(regs, 0)) + mmio_raw_load16(B(regs, 2)) +
         mmio_raw_load16(B(regs, 4)) + mmio_raw_load16(B(regs, 6));
}

/* Two adjacent 64-bit registers: a candidate for stp or a 128-bit store. */
void drv_adjacent_store64(volatile void *regs, uint64_t a, uint64_t b);
void drv_adjacent_store64(volatile void *regs, uint64_t a, uint64_t b) {
  mmio_raw_store64(B(regs, 0), a);
  mmio_raw_store64(B(regs, 8), b);
}

/* A FIFO drained into another: the vectoriser's favourite loop. */
void drv_copy32(volatile void *dst, const volatile void *src, size_t n);
void drv_copy32(volatile void *dst, const volatile void *src, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    mmio_raw_store32(B(dst, 4 * i), mmio_raw_load32(B(src, 4 * i)));
}

/* A fill of 64-bit registers with post-incremented addresses. */
void drv_fill64(volatile void *dst, uint64_t v, size_t n);
void drv_fill64(volatile void *dst, uint64_t v, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    mmio_raw_store64(B(dst, 8 * i), v + i);
}

/* Read-modify-write of a control register. */
void drv_rmw32(volatile void *regs);
void drv_rmw32(volatile void *regs) {
  uint32_t v = mmio_raw_load32(B(regs, 0x10));
  mmio_raw_store32(B(regs, 0x10), (v & ~0xf0u) | 0x30u);
}

/* Polling a status bit, then reading the result. */
uint32_t drv_poll32(const volatile void *regs);
uint32_t drv_poll32(const volatile void *regs) {
  while ((mmio_raw_load32(B(regs, 0x14)) & 1u) == 0) {
  }
  return mmio_raw_load32(B(regs, 0x18));
}

/* ---- the same through checked regions (the audit counts their stores;
 * their loads include the region's own fields) ---- */

void drv_region_init(mmio_region *r);
void drv_region_init(mmio_region *r) {
  mmio_store32(r, 0x0, 1);
  mmio_store32(r, 0x4, 2);
  mmio_store32(r, 0x8, 3);
  mmio_store32(r, 0xc, 4);
  mmio_store8(r, 0x10, 5);
  mmio_store8(r, 0x11, 6);
  mmio_store8(r, 0x12, 7);
  mmio_store8(r, 0x13, 8);
}

int drv_region_copy(mmio_region *dst, const mmio_region *src, size_t n);
int drv_region_copy(mmio_region *dst, const mmio_region *src, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    uint32_t v;
    int err = mmio_try_load32(src, 4 * i, &v);
    if (err == 0) err = mmio_try_store32(dst, 4 * i, v);
    if (err != 0) return err;
  }
  return 0;
}

void drv_region_fill64(mmio_region *r, uint64_t v, size_t n);
void drv_region_fill64(mmio_region *r, uint64_t v, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    mmio_store64(r, 8 * i, v);
}

int drv_region_rmw(mmio_region *r);
int drv_region_rmw(mmio_region *r) { return mmio_masked_modify32(r, 0x10, 0xf0u, 0x30u); }
