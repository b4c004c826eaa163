/*
 * Functions whose compiled code the instruction check disassembles: each
 * raw accessor alone, so that its body is exactly the access, a return and
 * argument moves; and the checked 32-bit accessors, whose size is reported.
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
