/*
 * Compiled, not run: mmio_try_load/mmio_try_store accept exactly the four
 * fixed-width unsigned types. CASE selects one use; CTest expects the good
 * cases to compile and each bad one to fail with a _Generic error.
 */
#include <mmio/mmio.h>

int use(mmio_region *r);
int use(mmio_region *r) {
#if CASE == 0
  uint8_t a;
  uint16_t b;
  uint32_t c;
  uint64_t d;
  return mmio_try_load(r, 0, &a) | mmio_try_load(r, 0, &b) | mmio_try_load(r, 0, &c) |
         mmio_try_load(r, 0, &d) | mmio_try_store(r, 0, (uint8_t)1) |
         mmio_try_store(r, 0, (uint16_t)1) | mmio_try_store(r, 0, (uint32_t)1) |
         mmio_try_store(r, 0, (uint64_t)1);
#elif CASE == 1
  return mmio_try_store(r, 0, 1); /* a plain int literal */
#elif CASE == 2
  return mmio_try_store(r, 0, (int32_t)1); /* signed */
#elif CASE == 3
  float f;
  return mmio_try_load(r, 0, &f);
#elif CASE == 4
  int i;
  return mmio_try_load(r, 0, &i);
#endif
}
