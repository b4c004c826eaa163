/* A unit test's use of an installed libmmio-testing: a fake register file
 * behind a region, with a read-only register. */
#include <stdio.h>

#include <mmio/mmio.h>
#include <mmio/testing/fake.h>

int main(void) {
  static const struct mmio_fake_reg regs[] = {
      {.name = "ID", .offset = 0, .width = 4, .reset = 0x1234, .ro = ~0ull},
  };
  mmio_fake *fake;
  mmio_region r;
  int ok;
  if (mmio_fake_create(&fake, 16, MMIO_FAKE_STRICT) != 0 ||
      mmio_fake_add_regs(fake, regs, 1) != 0 || mmio_fake_region(&r, fake) != 0) {
    fprintf(stderr, "consumer_testing: cannot build the fake\n");
    return 1;
  }
  mmio_store32(&r, 0, 0xffff);
  ok = mmio_load32(&r, 0) == 0x1234;
  mmio_region_release(&r);
  mmio_fake_destroy(fake);
  printf("consumer_testing: %s\n", ok ? "ok" : "read-only register was written");
  return !ok;
}
