/*
 * A real vendor file: Raspberry Pi's RP2040.svd (2.6 MB, BSD-3-Clause),
 * read from where it is kept beside the project, never copied into it.
 * When it is absent the test says so and is reported as skipped.
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

#include <mmio/desc.h>
#include <mmio/mmio.h>

static const char *path;
static mmio_desc *d;

static int setup(void **state) {
  char why[512];
  (void)state;
  return mmio_desc_load(&d, path, why, sizeof(why)) == 0 ? 0 : (fprintf(stderr, "%s\n", why), -1);
}

static int teardown(void **state) {
  (void)state;
  mmio_desc_free(d);
  return 0;
}

static struct mmio_name find(const char *name) {
  struct mmio_name n;
  char why[512];
  if (mmio_desc_find(&n, d, NULL, name, why, sizeof(why)) != 0) fail_msg("%s: %s", name, why);
  return n;
}

static void every_register_field_and_value_of_the_file_is_loaded(void **state) {
  size_t i, j, k, regs = 0, fields = 0, values = 0, w1c = 0, effects = 0;
  (void)state;
  assert_string_equal(mmio_desc_name(d), "RP2040");
  /* 32 peripherals, and 5 more derived from them. */
  assert_int_equal(mmio_desc_nperiphs(d), 37);
  for (i = 0; i < mmio_desc_nperiphs(d); i++) {
    const struct mmio_periph *p = mmio_desc_periph(d, i);
    if (p->derived_from != NULL) continue;
    for (j = 0; j < p->nregs; j++) {
      regs++;
      for (k = 0; k < p->regs[j].nfields; k++) {
        const struct mmio_field *f = &p->regs[j].fields[k];
        fields++;
        values += f->nenums;
        w1c += f->access == MMIO_W1C;
        effects += f->read_effect != MMIO_READ_PLAIN;
      }
    }
  }
  /* The counts of <register>, <field>, <enumeratedValue> and of the
   * oneToClear and readAction elements in the file. */
  assert_int_equal(regs, 1015);
  assert_int_equal(fields, 5249);
  assert_int_equal(values, 2314);
  assert_int_equal(w1c, 270);
  assert_true(effects > 0 && effects <= 47);
  assert_null(mmio_desc_warning(d, 0));
}

static void names_addresses_and_rules_match_the_datasheet(void **state) {
  struct mmio_name n;
  char text[2048];
  (void)state;
  n = find("UART0.UARTCR.UARTEN");
  assert_true(n.periph->base + n.reg->offset == 0x40034030u);
  assert_true(n.field->lsb == 0 && n.field->msb == 0);
  n = find("UART1.UARTCR");
  assert_true(n.periph->base + n.reg->offset == 0x40038030u);
  assert_string_equal(n.periph->derived_from, "UART0");
  n = find("uart0.uarticr.rtic");
  assert_int_equal(n.field->access, MMIO_W1C);
  n = find("CLOCKS.CLK_GPOUT0_CTRL.AUXSRC");
  assert_true(n.field->msb == 8 && n.field->lsb == 5 && n.field->nenums == 11);
  assert_string_equal(mmio_field_enum_name(n.field, 0), "clksrc_pll_sys");
  /* Reading TIMELR latches TIMEHR: a read with a side effect. */
  n = find("TIMER.TIMELR.TIMELR");
  assert_true(n.field->access == MMIO_RO && n.field->read_effect == MMIO_READ_MODIFIES);
  assert_false(n.reg->derived & MMIO_REG_INLINE);
  n = find("UART0.UARTCR");
  mmio_reg_decode(text, sizeof(text), n.reg, 0x301);
  assert_non_null(strstr(text, "RXE[9:9]: 0x1 (1)\nTXE[8:8]: 0x1 (1)\n"));
  assert_non_null(strstr(text, "UARTEN[0:0]: 0x1 (1)\n"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_register_field_and_value_of_the_file_is_loaded),
      cmocka_unit_test(names_addresses_and_rules_match_the_datasheet),
  };
  path = getenv("MMIO_RP2040_SVD") != NULL ? getenv("MMIO_RP2040_SVD") : MMIO_RP2040_SVD;
  if (access(path, R_OK) != 0) {
    printf("RP2040.svd is not at %s: the vendor-file test is skipped (set MMIO_RP2040_SVD to "
           "where it is)\n",
           path);
    return 77;
  }
  if (!MMIO_TEST_HAVE_SVD) {
    printf("this build reads no SVD files (built without libexpat): the vendor-file test is "
           "skipped\n");
    return 77;
  }
  return cmocka_run_group_tests_name("desc_vendor", tests, setup, teardown);
}
