/* Registers by name: declared in C, polled, and loaded from a description. */
#include <stdio.h>

#include <mmio/desc.h>
#include <mmio/mmio.h>
#include <mmio/poll.h>
#include <mmio/regs.h>

#include <mmio/testing/model.h>

/* Two registers of QEMU's edu device, declared in C. */
#define EDU_STATUS_FIELDS(F, R) F(R, COMPUTING, 0, 0, MMIO_RO) F(R, IRQ_FACT, 7, 7, MMIO_RW)
MMIO_REG(EDU_STATUS, 0x20, 32, MMIO_RW, 0, EDU_STATUS_FIELDS);
MMIO_REG(EDU_FACTORIAL, 0x08, 32, MMIO_RW, 0, MMIO_NO_FIELDS);

int main(int argc, char **argv) {
  const char *svd = argc > 1 ? argv[1] : "examples/edu/edu.svd";
  mmio_model *model;
  mmio_region bar0;
  mmio_desc *desc;
  mmio_regmap *regs;
  struct mmio_name id;
  uint64_t computing, result, value;
  char why[256], text[512];

  /* The device: here the edu model; mmio_open("pci:1234:11e8/bar0") on a
   * machine that has one. */
  if (mmio_model_create(&model, "edu", 3) != 0 || mmio_model_region(&bar0, model) != 0) return 1;

  /* Start 10!, then wait (up to 100 ms, reading back to back) until
   * STATUS.COMPUTING is 0: the contract of Linux's read_poll_timeout. */
  mmio_reg_write(&bar0, &EDU_FACTORIAL, 0, 10);
  if (mmio_field_poll(&bar0, &EDU_STATUS, EDU_STATUS_COMPUTING, 0, 100000, 0, 0, &computing) != 0)
    return fprintf(stderr, "still computing\n"), 1;
  mmio_reg_read(&bar0, &EDU_FACTORIAL, 0, &result);
  printf("10! = %llu\n", (unsigned long long)result);

  /* The vendor's description, bound to the region by peripheral. */
  if (mmio_desc_load(&desc, svd, why, sizeof(why)) != 0) return fprintf(stderr, "%s\n", why), 1;
  if (mmio_regmap_create(&regs, &bar0, desc, "EDU", 0, 0) != 0 ||
      mmio_regmap_find(&id, regs, "ID", why, sizeof(why)) != 0 ||
      mmio_regmap_read(regs, &id, 0, &value) != 0)
    return fprintf(stderr, "%s\n", why), 1;

  /* Decoded the way Fuchsia's hwreg prints registers. */
  mmio_reg_decode(text, sizeof(text), id.reg, value);
  printf("%s = 0x%08llx\n%s", id.reg->name, (unsigned long long)value, text);

  mmio_regmap_free(regs);
  mmio_desc_free(desc);
  mmio_region_release(&bar0);
  mmio_model_destroy(model);
  return 0;
}
