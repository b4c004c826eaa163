/* A driver's use of an installed libmmio-regs: a register declared in C
 * and a description in the text format, over a memory object. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mmio/desc.h>
#include <mmio/mmio.h>
#include <mmio/regs.h>

#define CTRL_FIELDS(F, R) F(R, EN, 0, 0, MMIO_RW) F(R, MODE, 5, 4, MMIO_RW)
MMIO_REG(CTRL, 0x4, 32, MMIO_RW, 0, CTRL_FIELDS);

int main(void) {
  static const char text[] = "peripheral DEV\n  register CTRL 0x4\n    field MODE 5:4\n";
  struct mmio_name n;
  mmio_regmap *m = NULL;
  mmio_desc *d = NULL;
  mmio_region r;
  uint64_t v = 0;
  char why[256];
  int fd = mmio_vmo_create(4096), ok;
  if (fd < 0 || mmio_map(&r, fd, 0, 64, MMIO_CACHE_DEFAULT, 0) != 0) return 1;
  close(fd);
  mmio_field_set(&r, &CTRL, CTRL_MODE, 2);
  ok = mmio_desc_parse(&d, text, strlen(text), "inline", why, sizeof(why)) == 0 &&
       mmio_regmap_create(&m, &r, d, "DEV", 0, 0) == 0 &&
       mmio_regmap_find(&n, m, "CTRL.MODE", why, sizeof(why)) == 0 &&
       mmio_regmap_read(m, &n, 0, &v) == 0 && v == 2;
  mmio_regmap_free(m);
  mmio_desc_free(d);
  mmio_region_release(&r);
  printf("consumer_regs: %s\n", ok ? "ok" : "mismatch");
  return !ok;
}
