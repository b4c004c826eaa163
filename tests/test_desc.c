/*
 * Register descriptions: the text format, each SVD feature in a small
 * handwritten file (derivedFrom, arrays and lists, nested clusters and
 * inherited properties, access rules, positions, enumerations), malformed
 * files refused with file, line and reason, names (exact, then
 * case-insensitive, with suggestions), register maps over a region, and
 * fakes built from a description.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/desc.h>
#include <mmio/mmio.h>
#include <mmio/testing/fake.h>

#include "helpers.h"

#define SVD MMIO_TEST_DATA "/svd/"

static mmio_desc *load(const char *path) {
  mmio_desc *d = NULL;
  char why[512];
  int err = mmio_desc_load(&d, path, why, sizeof(why));
  if (err != 0) fail_msg("%s: %s (%s)", path, why, mmio_err_name(err));
  return d;
}

/*
 * A build without libexpat refuses SVD files with -ENOTSUP and a message
 * that says what to install; its SVD tests check that much and are
 * reported as skipped.
 */
static void needs_svd(void) {
#if !MMIO_TEST_HAVE_SVD
  mmio_desc *d = NULL;
  char why[512];
  assert_int_equal(mmio_desc_load(&d, SVD "derived.svd", why, sizeof(why)), -ENOTSUP);
  assert_null(d);
  assert_non_null(strstr(why, "libexpat1-dev"));
  skip();
#endif
}

static mmio_desc *load_svd(const char *path) {
  needs_svd();
  return load(path);
}

static struct mmio_name find(const mmio_desc *d, const char *name) {
  struct mmio_name n;
  char why[512];
  int err = mmio_desc_find(&n, d, NULL, name, why, sizeof(why));
  if (err != 0) fail_msg("%s: %s", name, why);
  return n;
}

static uint64_t addr(const struct mmio_name *n) { return n->periph->base + n->reg->offset; }

static void the_text_format_declares_registers_fields_and_values(void **state) {
  mmio_desc *d = load(MMIO_EDU_REGS);
  struct mmio_name n;
  uint64_t v;
  (void)state;
  assert_string_equal(mmio_desc_name(d), "edu");
  assert_int_equal(mmio_desc_nperiphs(d), 1);
  n = find(d, "EDU.ID");
  assert_true(n.reg->offset == 0 && n.reg->width == 4 && n.reg->access == MMIO_RO);
  assert_true(n.reg->reset == 0x010000ed && n.reg->reset_mask == 0xffffffffu);
  assert_int_equal(n.reg->nfields, 3);
  n = find(d, "EDU.STATUS.COMPUTING");
  assert_true(n.field->lsb == 0 && n.field->msb == 0 && n.field->access == MMIO_RO);
  n = find(d, "EDU.DMA_CMD.DIRECTION");
  assert_int_equal(n.reg->width, 8);
  assert_int_equal(mmio_field_enum_value(n.field, "EDU_TO_RAM", &v, NULL, 0), 0);
  assert_int_equal(v, 1);
  assert_string_equal(mmio_field_enum_name(n.field, 0), "RAM_TO_EDU");
  n = find(d, "EDU.IRQ_ACK");
  assert_int_equal(n.reg->access, MMIO_WO);
  assert_non_null(n.reg->description);
  assert_int_equal(mmio_desc_periph(d, 0)->size, 0xa0);
  mmio_desc_free(d);
}

static void text(const char *src, int want, const char *reason) {
  mmio_desc *d = (mmio_desc *)1;
  char why[512];
  int err = mmio_desc_parse(&d, src, strlen(src), "t.regs", why, sizeof(why));
  if (err != want)
    fail_msg("'%s': got %s (%s), wanted %s", src, mmio_err_name(err), why, mmio_err_name(want));
  if (want != 0 && strstr(why, reason) == NULL)
    fail_msg("'%s': reason '%s' lacks '%s'", src, why, reason);
  if (want != 0) assert_null(d);
  mmio_desc_free(want == 0 ? d : NULL);
}

static void the_text_format_refuses_with_file_line_and_reason(void **state) {
  const int bad = MMIO_ERR_BAD_DESCRIPTION;
  (void)state;
  text("peripheral P\n register R 0x4 32 rw reset=0x1\n  field F 3:0 w1c\n   value A 2\n", 0, "");
  text("peripheral P\n register R[%s] 0x10 dim=4 step=8\n", 0, "");
  text("peripheral P\nregister R 0x0\nfiled F 1\n", bad, "t.regs:3: unknown statement 'filed'");
  text("register R 0x0\n", bad, "t.regs:1: register outside a peripheral");
  text("peripheral P\n field F 0\n", bad, "t.regs:2: field outside a register");
  text("peripheral P\n register R 0xzz\n", bad, "t.regs:2: expected: register NAME OFFSET");
  text("peripheral P\n register R 0 24\n", bad, "register width 24 is not 8, 16, 32 or 64");
  text("peripheral P\n register R 0 16\n  field F 16:15\n", bad,
       "t.regs:3: field R.F (bits 16:15) lies beyond its 16-bit register");
  text("peripheral P\n register R 0\n  field A 4:0\n  field B 7:4\n", bad,
       "t.regs:4: fields R.B (bits 7:4) and A (bits 4:0) overlap");
  text("peripheral P\n register R 0\n  field F 3:5\n", bad, "need 63 >= HI >= LO");
  text("peripheral P\n register R 0 8 reset=0x100\n", bad, "reset value of R is wider");
  text("peripheral P\n register R 0 bogus\n", bad, "t.regs:2: unknown word 'bogus'");
  text("peripheral P\n register R 0 \"unterminated\n", bad, "unterminated description");
  text("peripheral P\n register R 0\n register R 4\n", bad, "two registers named R");
  text("peripheral P\nperipheral P\n", bad, "t.regs:2: peripheral P is defined twice");
  text("peripheral Q 0x1000 from P\n", bad, "t.regs:1: peripheral Q is derived from P, which");
  text("peripheral P\n register R 0\n  field F 0\n   value V\n", bad,
       "expected: value NAME NUMBER");
  text("peripheral P\n register 9R 0\n", bad, "register needs a name");
  text("peripheral P\n register R[%s] 0 dim=2\n  field F 0\n", bad, "dim= cannot have fields");
  text("peripheral P\n register R 0 dim=2\n", bad, "has dim= but no %s");
  text("peripheral P\n register R 0\n  field F 2:1\n   value V 4\n", bad,
       "t.regs:4: value V (4) does not fit the 2 bits of field F");
  /* Addresses the tools compute must not wrap. */
  text("peripheral P\n register ID 0xffffffffffffffff 8\n", bad,
       "t.regs:2: register ID at offset 0xffffffffffffffff runs past 2^64");
  text("peripheral P 0xffffffffffffff00\n register ID 0x100 32\n", bad,
       "t.regs:1: peripheral P at 0xffffffffffffff00 has registers past 2^64");
}

/* Lookups split PERIPHERAL.REGISTER.FIELD at dots, so every name a
 * description declares must be one a lookup can reach: dots only in
 * register names (clusters), and never the same name as a field. */
static void every_declared_name_can_be_found(void **state) {
  const int bad = MMIO_ERR_BAD_DESCRIPTION;
  (void)state;
  text("peripheral P.Q\n register R 0\n", bad, "t.regs:1: peripheral name P.Q has a '.'");
  text("peripheral P\n register R 0\n  field A.B 0\n", bad, "t.regs:3: field name A.B has a '.'");
  text("peripheral P\n register A 0\n  field B 0\n register A.B 4\n", bad,
       "t.regs:4: register P.A.B has the name of field B of register P.A");
  text("peripheral P\n register A.B 4\n register A 0\n  field B 0\n", bad,
       "t.regs:2: register P.A.B has the name of field B of register P.A");
  /* A dotted register beside a field of another name is fine. */
  text("peripheral P\n register A 0\n  field C 0\n register A.B 4\n", 0, "");
}

/* An exact name wins whichever reading it is: P.ID.MAGIC is the field
 * MAGIC of ID even beside a register ID.MAgIC, which keeps its own exact
 * name; a name that matches both readings only without case is
 * ambiguous. */
static void an_exact_field_wins_over_a_register_without_case(void **state) {
  static const char src[] = "peripheral P\n register ID 0\n  field MAGIC 7:0\n"
                            " register ID.MAgIC 4\n";
  struct mmio_name n;
  mmio_desc *d;
  char why[256];
  (void)state;
  assert_int_equal(mmio_desc_parse(&d, src, strlen(src), "c.regs", why, sizeof(why)), 0);
  assert_int_equal(mmio_desc_find(&n, d, NULL, "P.ID.MAGIC", why, sizeof(why)), 0);
  assert_non_null(n.field);
  assert_string_equal(n.field->name, "MAGIC");
  assert_int_equal(mmio_desc_find(&n, d, NULL, "P.ID.MAgIC", why, sizeof(why)), 0);
  assert_null(n.field);
  assert_string_equal(n.reg->name, "ID.MAgIC");
  assert_int_equal(mmio_desc_find(&n, d, NULL, "P.id.magic", why, sizeof(why)), MMIO_ERR_AMBIGUOUS);
  mmio_desc_free(d);
}

/* A name SVD leaves empty is no name. */
static void svd_empty_names_are_refused(void **state) {
  static const char src[] =
      "<device><name>D</name><peripherals><peripheral><name>P</name>\n"
      "<baseAddress>0</baseAddress><registers><register><name></name>\n"
      "<addressOffset>0</addressOffset><size>32</size></register></registers>\n"
      "</peripheral></peripherals></device>\n";
  mmio_desc *d = (mmio_desc *)1;
  char why[256];
  (void)state;
  needs_svd();
  assert_int_equal(mmio_desc_parse(&d, src, strlen(src), "e.svd", why, sizeof(why)),
                   MMIO_ERR_BAD_DESCRIPTION);
  assert_non_null(strstr(why, "e.svd:2: a register has an empty name"));
  assert_null(d);
}

static void svd_derived_elements_take_what_they_do_not_say(void **state) {
  mmio_desc *d = load_svd(SVD "derived.svd");
  struct mmio_name n, m;
  (void)state;
  /* A peripheral derived with nothing of its own shares its source's
   * registers at its own base. */
  n = find(d, "UART1.CR.UARTEN");
  assert_true(addr(&n) == 0x40038030u);
  assert_ptr_equal(n.periph->regs, find(d, "UART0.CR").periph->regs);
  assert_string_equal(n.periph->derived_from, "UART0");
  /* A derived register copies the fields and reset of CR. */
  n = find(d, "UART0.CR2");
  assert_true(n.reg->offset == 0x34 && n.reg->reset == 0x300 && n.reg->nfields == 5);
  /* A derived field takes the enumeration of its source; a derived
   * enumeratedValues is found by name. */
  n = find(d, "UART0.CR.MODE2");
  assert_true(n.field->lsb == 6 && n.field->nenums == 2);
  n = find(d, "UART0.CR.MODE3");
  assert_string_equal(mmio_field_enum_name(n.field, 1), "Continuous");
  /* A derived cluster copies its registers; a register derived by a path. */
  assert_true(find(d, "UART0.CH2.DATA").reg->offset == 0x200);
  assert_true(find(d, "UART0.DATA_COPY").reg->offset == 0x40);
  /* A derived peripheral with registers of its own has its source's as
   * well, its own replacing those of the same name. */
  m = find(d, "UART2.EXTRA");
  assert_true(addr(&m) == 0x4003c080u);
  n = find(d, "UART2.CR.TXE");
  assert_true(addr(&n) == 0x4003c030u);
  n = find(d, "UART2.CR2");
  assert_int_equal(n.reg->access, MMIO_RO);
  assert_int_equal(n.reg->nfields, 0);
  mmio_desc_free(d);
}

static void svd_arrays_and_lists_take_their_indexes(void **state) {
  mmio_desc *d = load_svd(SVD "arrays.svd");
  struct mmio_name n;
  struct mmio_name miss;
  char why[256];
  (void)state;
  assert_int_equal(mmio_desc_nperiphs(d), 2);
  assert_true(find(d, "GPIOB.PINS").periph->base == 0x50001000u);
  n = find(d, "GPIOA.CC3");
  assert_true(n.reg->offset == 0x1c);
  assert_true(find(d, "GPIOA.CC0").reg->offset == 0x10);
  assert_true(find(d, "GPIOB.RAM[2]").reg->offset == 0x48);
  assert_true(find(d, "GPIOA.AXIS_Y").reg->offset == 0x64);
  assert_true(find(d, "GPIOA.CH[1].DATA").reg->offset == 0x114);
  /* A field array steps its bit position by dimIncrement. */
  n = find(d, "GPIOA.PINS.PIN3");
  assert_true(n.field->lsb == 6 && n.field->msb == 7);
  assert_int_equal(mmio_desc_find(&miss, d, NULL, "GPIOA.CC4", why, sizeof(why)),
                   MMIO_ERR_UNKNOWN_NAME);
  assert_non_null(strstr(why, "did you mean GPIOA.CC"));
  mmio_desc_free(d);
}

static void svd_clusters_nest_and_properties_are_inherited(void **state) {
  mmio_desc *d = load_svd(SVD "clusters.svd");
  struct mmio_name n;
  (void)state;
  /* Peripheral size 16 and reset 0x2222 override the device's. */
  n = find(d, "DMA.ID");
  assert_true(n.reg->width == 2 && n.reg->reset == 0x2222 && n.reg->access == MMIO_RO);
  /* A cluster's access reaches its registers. */
  n = find(d, "DMA.CTRL.STAT");
  assert_true(n.reg->offset == 0x102 && n.reg->access == MMIO_RO && n.reg->width == 2);
  /* Nested cluster array: size and reset from it, access and mask from
   * the register itself. */
  n = find(d, "DMA.CTRL.CHAN[1].CFG");
  assert_true(n.reg->offset == 0x134 && n.reg->width == 4 && n.reg->access == MMIO_RW);
  assert_true(n.reg->reset == 0x33333333 && n.reg->reset_mask == 0xffff);
  n = find(d, "DMA.CTRL.CHAN[0].WIDE");
  assert_true(n.reg->offset == 0x118 && n.reg->width == 8 && n.reg->reset == 0x4444444444444444ull);
  assert_null(mmio_desc_warning(d, 0));
  mmio_desc_free(d);
}

static void svd_access_rules_positions_and_enumerations(void **state) {
  mmio_desc *d = load_svd(SVD "access.svd");
  struct mmio_name n;
  uint64_t v;
  size_t w;
  char why[256];
  (void)state;
  n = find(d, "TIMER.CR.MODE");
  assert_true(n.field->lsb == 4 && n.field->msb == 5);
  /* Reading and writing have their own names for the values. */
  assert_string_equal(mmio_field_enum_name(n.field, 1), "RUNNING");
  assert_int_equal(mmio_field_enum_value(n.field, "start", &v, NULL, 0), 0);
  assert_int_equal(v, 1);
  assert_int_equal(mmio_field_enum_value(n.field, "RUNNING", &v, why, sizeof(why)),
                   MMIO_ERR_UNKNOWN_NAME);
  assert_non_null(strstr(why, "STOP=0x0 START=0x1"));
  n = find(d, "TIMER.CR.IRQ");
  assert_true(n.field->lsb == 8 && n.field->msb == 11 && n.field->access == MMIO_W1C);
  assert_int_equal(find(d, "TIMER.CR.SETME").field->access, MMIO_W1S);
  assert_int_equal(find(d, "TIMER.CR.STICKY").field->access, MMIO_W1C);
  assert_int_equal(find(d, "TIMER.SR").reg->access, MMIO_RC);
  assert_int_equal(find(d, "TIMER.FIFO.POP").field->read_effect, MMIO_READ_MODIFIES);
  assert_int_equal(find(d, "TIMER.KEY").reg->access, MMIO_WO_ONCE);
  /* Read-only and write-only registers at one address, and an alternate. */
  assert_int_equal(find(d, "TIMER.RXDATA").reg->offset, find(d, "TIMER.TXDATA").reg->offset);
  assert_int_equal(find(d, "TIMER.CR_ALT").reg->offset, 0);
  /* The vendor's slips, each said once. */
  for (w = 0; mmio_desc_warning(d, w) != NULL; w++) {
  }
  assert_int_equal(w, 2);
  assert_non_null(strstr(mmio_desc_warning(d, 0), "access.svd:41: enumeratedValue HUGE"));
  assert_non_null(strstr(mmio_desc_warning(d, 1), "STICKY is read-only but has "
                                                  "modifiedWriteValues oneToClear"));
  mmio_desc_free(d);
}

static void svd_malformed_files_are_refused_with_file_line_and_reason(void **state) {
  static const struct {
    const char *file, *reason;
  } cases[] = {
      {"truncated.svd", "truncated.svd:24: not well-formed XML"},
      {"missing-name.svd", "missing-name.svd:10: a register has no name"},
      {"derived-to-nothing.svd", "derived-to-nothing.svd:6: peripheral P is derived from NOWHERE"},
      {"field-beyond.svd", "field-beyond.svd:15: field R.F (bits 20:15) lies beyond its 16-bit"},
      {"overlapping-fields.svd", "overlapping-fields.svd:15: fields R.B (bits 7:4) and A"},
      {"dim-mismatch.svd", "dim-mismatch.svd:10: dimIndex of R%s lists 3 elements, but dim is 4"},
      {"not-svd.svd", "not a CMSIS-SVD file: the root element is <html>"},
  };
  size_t i;
  (void)state;
  needs_svd();
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char path[512], why[512];
    mmio_desc *d = (mmio_desc *)1;
    int err;
    snprintf(path, sizeof(path), "%smalformed/%s", SVD, cases[i].file);
    err = mmio_desc_load(&d, path, why, sizeof(why));
    if (err != MMIO_ERR_BAD_DESCRIPTION || strstr(why, cases[i].reason) == NULL)
      fail_msg("%s: %s '%s', wanted '%s'", cases[i].file, mmio_err_name(err), why, cases[i].reason);
    assert_null(d);
  }
  {
    char why[256];
    mmio_desc *d;
    assert_int_equal(mmio_desc_load(&d, SVD "no-such-file.svd", why, sizeof(why)), -ENOENT);
    assert_non_null(strstr(why, "no-such-file.svd"));
  }
}

static void names_match_exactly_then_without_case_and_suggest_the_closest(void **state) {
  static const char src[] = "peripheral P\n"
                            " register ctrl 0x0\n"
                            " register CTRL 0x4\n"
                            "  field Enable 0\n"
                            " register STATUS 0x8\n"
                            "peripheral Q 0x100 from P\n";
  struct mmio_name n;
  mmio_desc *d;
  char why[512];
  (void)state;
  assert_int_equal(mmio_desc_parse(&d, src, strlen(src), "n.regs", why, sizeof(why)), 0);
  assert_int_equal(mmio_desc_find(&n, d, NULL, "P.ctrl", why, sizeof(why)), 0);
  assert_int_equal(n.reg->offset, 0);
  assert_int_equal(mmio_desc_find(&n, d, NULL, "P.CTRL", why, sizeof(why)), 0);
  assert_int_equal(n.reg->offset, 4);
  assert_int_equal(mmio_desc_find(&n, d, NULL, "P.Ctrl", why, sizeof(why)), MMIO_ERR_AMBIGUOUS);
  assert_int_equal(mmio_desc_find(&n, d, NULL, "p.status", why, sizeof(why)), 0);
  assert_int_equal(mmio_desc_find(&n, d, NULL, "q.CTRL.enable", why, sizeof(why)), 0);
  assert_true(n.periph->base == 0x100 && n.field_index == 0);
  assert_int_equal(mmio_desc_find(&n, d, "Q", "STATUS", why, sizeof(why)), 0);
  assert_int_equal(mmio_desc_find(&n, d, NULL, "P", why, sizeof(why)), 0);
  assert_true(n.periph != NULL && n.reg == NULL);
  assert_int_equal(mmio_desc_find(&n, d, NULL, "P.STATSU", why, sizeof(why)),
                   MMIO_ERR_UNKNOWN_NAME);
  assert_string_equal(why, "no register named 'STATSU'; did you mean P.STATUS?");
  assert_int_equal(mmio_desc_find(&n, d, NULL, "P.CTRL.Enabel", why, sizeof(why)),
                   MMIO_ERR_UNKNOWN_NAME);
  assert_non_null(strstr(why, "did you mean P.CTRL.Enable?"));
  /* Within a scope, suggestions are spelled as the scope's names are. */
  assert_int_equal(mmio_desc_find(&n, d, "P", "STATSU", why, sizeof(why)), MMIO_ERR_UNKNOWN_NAME);
  assert_string_equal(why, "no register named 'STATSU'; did you mean STATUS?");
  assert_int_equal(mmio_desc_find(&n, d, "P", "CTRL.Enabel", why, sizeof(why)),
                   MMIO_ERR_UNKNOWN_NAME);
  assert_non_null(strstr(why, "did you mean CTRL.Enable?"));
  assert_int_equal(mmio_desc_find(&n, d, NULL, "R.CTRL", why, sizeof(why)), MMIO_ERR_UNKNOWN_NAME);
  assert_non_null(strstr(why, "no peripheral named 'R'"));
  /* A bare register name: the whole names that would find it. */
  assert_int_equal(mmio_desc_find(&n, d, NULL, "status", why, sizeof(why)), MMIO_ERR_UNKNOWN_NAME);
  assert_non_null(strstr(why, "; it is a register: write P.STATUS or Q.STATUS"));
  mmio_desc_free(d);
}

/* A description bound to a fake built from it: the vendor's rules on both
 * sides. */
static void a_register_map_binds_names_to_the_region(void **state) {
  static const char src[] = "device toy\n"
                            "peripheral UART0 0x40034000\n"
                            " register CR 0x30 32 rw reset=0x300\n"
                            "  field UARTEN 0\n"
                            "  field TXE 8\n"
                            "  field IRQ 15:12 w1c\n"
                            "  field MODE 5:4\n"
                            "   value Single_MATCH 2\n"
                            " register TXCMD 0x40 32 wo reset=0x5\n"
                            "  field OP 3:0\n"
                            "  field ARG 15:8\n"
                            " register DR 0x44 32 wo\n"
                            "  field DATA 7:0\n"
                            "peripheral UART1 0x40038000 from UART0\n";
  struct mmio_name n;
  mmio_regmap *m, *abs;
  mmio_desc *d;
  mmio_fake *fake;
  mmio_region r;
  uint64_t v;
  size_t off;
  char why[256];
  (void)state;
  assert_int_equal(mmio_desc_parse(&d, src, strlen(src), "toy.regs", why, sizeof(why)), 0);
  assert_int_equal(mmio_fake_create(&fake, 0x100, MMIO_FAKE_STRICT), 0);
  assert_int_equal(mmio_fake_add_periph(fake, mmio_desc_periph(d, 0), 0), 0);
  assert_int_equal(mmio_fake_region(&r, fake), 0);
  assert_int_equal(mmio_fake_peek32(fake, 0x30), 0x300);
  assert_int_equal(mmio_regmap_create(&m, &r, d, "UART0", 0, 0), 0);

  assert_int_equal(mmio_regmap_find(&n, m, "CR.UARTEN", why, sizeof(why)), 0);
  assert_int_equal(mmio_regmap_write(m, &n, 0, 1), 0);
  assert_int_equal(mmio_fake_peek32(fake, 0x30), 0x301);
  /* Pending IRQ bits survive a write of another field. */
  mmio_fake_poke32(fake, 0x30, 0x301 | 0xa000);
  assert_int_equal(mmio_regmap_find(&n, m, "CR.MODE", why, sizeof(why)), 0);
  assert_int_equal(mmio_regmap_write(m, &n, 0, 2), 0);
  assert_int_equal(mmio_fake_peek32(fake, 0x30), 0x321 | 0xa000);
  assert_int_equal(mmio_regmap_read(m, &n, 0, &v), 0);
  assert_int_equal(v, 2);
  assert_int_equal(mmio_regmap_write(m, &n, 0, 4), -ERANGE);
  /* A write-only register: its reset value stands in until written, then
   * what was written; it is never read. */
  assert_int_equal(mmio_regmap_find(&n, m, "TXCMD.ARG", why, sizeof(why)), 0);
  assert_int_equal(mmio_regmap_write(m, &n, 0, 0x7f), 0);
  assert_int_equal(mmio_fake_peek32(fake, 0x40), 0x7f05);
  assert_int_equal(mmio_regmap_find(&n, m, "TXCMD.OP", why, sizeof(why)), 0);
  assert_int_equal(mmio_regmap_write(m, &n, 0, 3), 0);
  assert_int_equal(mmio_fake_peek32(fake, 0x40), 0x7f03);
  assert_int_equal(mmio_regmap_read(m, &n, 0, &v), MMIO_ERR_WRITE_ONLY);
  assert_int_equal(mmio_fake_reads(fake, 0x40), 0);
  /* Without a reset value, a field of it cannot be written until the
   * register has been written whole. */
  assert_int_equal(mmio_regmap_find(&n, m, "DR.DATA", why, sizeof(why)), 0);
  assert_int_equal(mmio_regmap_write(m, &n, 0, 0x41), MMIO_ERR_WRITE_ONLY);
  n.field = NULL;
  assert_int_equal(mmio_regmap_write(m, &n, 0, 0x10), 0);
  assert_int_equal(mmio_regmap_find(&n, m, "DR.DATA", why, sizeof(why)), 0);
  assert_int_equal(mmio_regmap_write(m, &n, 0, 0x41), 0);
  assert_int_equal(mmio_fake_peek32(fake, 0x44), 0x41);

  /* Names outside the scope, and unknown names. */
  assert_int_equal(mmio_regmap_find(&n, m, "UART1.CR", why, sizeof(why)), MMIO_ERR_UNKNOWN_NAME);
  assert_int_equal(mmio_regmap_find(&n, m, "CX", why, sizeof(why)), MMIO_ERR_UNKNOWN_NAME);
  assert_non_null(strstr(why, "did you mean CR?"));

  /* Without a scope, whole names and absolute addresses: the region is
   * the 256 bytes from 0x40034000 (UART0); UART1 lies outside it. */
  assert_int_equal(mmio_regmap_create(&abs, &r, d, NULL, 0x40034000u, 0), 0);
  assert_int_equal(mmio_regmap_find(&n, abs, "UART0.CR", why, sizeof(why)), 0);
  assert_int_equal(mmio_regmap_offset(abs, &n, &off), 0);
  assert_int_equal(off, 0x30);
  assert_int_equal(mmio_regmap_find(&n, abs, "UART1.CR", why, sizeof(why)), 0);
  assert_int_equal(mmio_regmap_read(abs, &n, 0, &v), MMIO_ERR_OUT_OF_RANGE);
  mmio_regmap_free(abs);
  assert_int_equal(mmio_regmap_create(&abs, &r, d, "UART9", 0, 0), MMIO_ERR_UNKNOWN_NAME);

  mmio_regmap_free(m);
  mmio_region_release(&r);
  mmio_fake_destroy(fake);
  mmio_desc_free(d);
}

static void a_fake_from_a_description_follows_its_rules(void **state) {
  mmio_desc *d = load_svd(SVD "access.svd");
  const struct mmio_periph *p = find(d, "TIMER").periph;
  mmio_fake *fake;
  mmio_region r;
  uint32_t v;
  (void)state;
  assert_int_equal(mmio_fake_create(&fake, 0x100, MMIO_FAKE_STRICT), 0);
  mmio_fake_on_failure(fake, test_record_failure, NULL);
  test_reset_failures();
  assert_int_equal(mmio_fake_add_periph(fake, p, 0), 0);
  assert_int_equal(mmio_fake_region(&r, fake), 0);
  /* IRQ is write-1-to-clear, SR clears on read, SETME is write-1-to-set. */
  mmio_fake_poke32(fake, 0x0, 0xf00);
  assert_int_equal(mmio_try_store32(&r, 0x0, 0x10500), 0);
  assert_int_equal(mmio_fake_peek32(fake, 0x0), 0x10a00);
  assert_int_equal(mmio_try_store32(&r, 0x0, 0x0), 0);
  assert_int_equal(mmio_fake_peek32(fake, 0x0) & 0x10000, 0x10000);
  mmio_fake_poke32(fake, 0x4, 0x77);
  assert_int_equal(mmio_try_load32(&r, 0x4, &v), 0);
  assert_int_equal(v, 0x77);
  assert_int_equal(mmio_fake_peek32(fake, 0x4), 0);
  assert_int_equal(mmio_try_store32(&r, 0x4, 0x1), 0);
  assert_int_equal(mmio_fake_peek32(fake, 0x4), 0); /* read-only */
  /* Strict: an address the description does not have fails the test. */
  assert_int_equal(mmio_try_load32(&r, 0x80, &v), MMIO_ERR_REJECTED);
  assert_int_equal(test_failures, 1);
  mmio_region_release(&r);
  mmio_fake_destroy(fake);
  mmio_desc_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_text_format_declares_registers_fields_and_values),
      cmocka_unit_test(the_text_format_refuses_with_file_line_and_reason),
      cmocka_unit_test(every_declared_name_can_be_found),
      cmocka_unit_test(an_exact_field_wins_over_a_register_without_case),
      cmocka_unit_test(svd_empty_names_are_refused),
      cmocka_unit_test(svd_derived_elements_take_what_they_do_not_say),
      cmocka_unit_test(svd_arrays_and_lists_take_their_indexes),
      cmocka_unit_test(svd_clusters_nest_and_properties_are_inherited),
      cmocka_unit_test(svd_access_rules_positions_and_enumerations),
      cmocka_unit_test(svd_malformed_files_are_refused_with_file_line_and_reason),
      cmocka_unit_test(names_match_exactly_then_without_case_and_suggest_the_closest),
      cmocka_unit_test(a_register_map_binds_names_to_the_region),
      cmocka_unit_test(a_fake_from_a_description_follows_its_rules),
  };
  return cmocka_run_group_tests_name("desc", tests, NULL, NULL);
}
