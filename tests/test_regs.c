/*
 * Registers and fields declared in C: get and set across widths and odd
 * bit ranges, the read-modify-write rules (write-1-to-clear siblings,
 * read-to-clear, write-only, write-once, reserved bits, values too wide)
 * on a fake register file that applies the same rules, the masks the
 * declaration macro computes against the run-time derivation, decoding.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/mmio.h>
#include <mmio/regs.h>
#include <mmio/testing/fake.h>

#include "helpers.h"

/* A UART-like control register: plain bits, a write-1-to-clear interrupt
 * field, a read-only status bit and reserved bits in between. */
#define CR_FIELDS(F, R)                                                                            \
  F(R, EN, 0, 0, MMIO_RW)                                                                          \
  F(R, MODE, 5, 4, MMIO_RW)                                                                        \
  F(R, BUSY, 7, 7, MMIO_RO)                                                                        \
  F(R, INT, 11, 8, MMIO_W1C)                                                                       \
  F(R, KICK, 12, 12, MMIO_W0C)                                                                     \
  F(R, DIV, 31, 16, MMIO_RW)
MMIO_REG(CR, 0x10, 32, MMIO_RW, 0x00001000, CR_FIELDS);

/* A status register that clears on read, and a write-only command. */
#define SR_FIELDS(F, R) F(R, RXNE, 0, 0, MMIO_ACCESS_DEFAULT) F(R, OVR, 3, 3, MMIO_ACCESS_DEFAULT)
MMIO_REG(SR, 0x14, 32, MMIO_RC, 0, SR_FIELDS);
#define CMD_FIELDS(F, R) F(R, OP, 3, 0, MMIO_ACCESS_DEFAULT) F(R, ARG, 15, 8, MMIO_ACCESS_DEFAULT)
MMIO_REG(CMD, 0x18, 32, MMIO_WO, 0, CMD_FIELDS);
#define LOCK_FIELDS(F, R) F(R, KEY, 7, 0, MMIO_WRITE_ONCE) F(R, MODE, 15, 8, MMIO_RW)
MMIO_REG(LOCK, 0x1c, 32, MMIO_RW, 0, LOCK_FIELDS);

/* Odd widths and the extreme bit positions. */
#define B8_FIELDS(F, R) F(R, LO, 0, 0, MMIO_RW) F(R, HI, 7, 1, MMIO_RW)
MMIO_REG(B8, 0x20, 8, MMIO_RW, 0, B8_FIELDS);
#define H16_FIELDS(F, R) F(R, ALL, 15, 0, MMIO_RW)
MMIO_REG(H16, 0x22, 16, MMIO_RW, 0, H16_FIELDS);
#define Q64_FIELDS(F, R)                                                                           \
  F(R, BIT0, 0, 0, MMIO_RW) F(R, MID, 40, 9, MMIO_RW) F(R, BIT63, 63, 63, MMIO_RW)
MMIO_REG(Q64, 0x28, 64, MMIO_RW, 0, Q64_FIELDS);
#define W64_FIELDS(F, R) F(R, ALL, 63, 0, MMIO_RW)
MMIO_REG(W64, 0x30, 64, MMIO_RW, 0, W64_FIELDS);
MMIO_REG(ID, 0x00, 32, MMIO_RO, 0x1234, MMIO_NO_FIELDS);

/* The device that follows the same rules: a fake register file. */
static const struct mmio_fake_reg fake_regs[] = {
    {.name = "CR", .offset = 0x10, .width = 4, .reset = 0x1000, .ro = 0x80, .w1c = 0xf00},
    {.name = "SR", .offset = 0x14, .width = 4, .ro = ~0ull, .rc = 0x9},
    {.name = "CMD", .offset = 0x18, .width = 4},
    {.name = "LOCK", .offset = 0x1c, .width = 4},
    {.name = "B8", .offset = 0x20, .width = 1},
    {.name = "H16", .offset = 0x22, .width = 2},
    {.name = "Q64", .offset = 0x28, .width = 8},
    {.name = "W64", .offset = 0x30, .width = 8},
    {.name = "ID", .offset = 0x00, .width = 4, .reset = 0x1234, .ro = ~0ull},
};

struct fixture {
  mmio_fake *fake;
  mmio_region r;
};

static int setup(void **state) {
  static struct fixture fx;
  assert_int_equal(mmio_fake_create(&fx.fake, 0x40, MMIO_FAKE_STRICT), 0);
  mmio_fake_on_failure(fx.fake, test_record_failure, NULL);
  assert_int_equal(mmio_fake_add_regs(fx.fake, fake_regs, sizeof(fake_regs) / sizeof(fake_regs[0])),
                   0);
  assert_int_equal(mmio_fake_region(&fx.r, fx.fake), 0);
  test_reset_failures();
  *state = &fx;
  return 0;
}

static int teardown(void **state) {
  struct fixture *fx = *state;
  mmio_region_release(&fx->r);
  mmio_fake_destroy(fx->fake);
  assert_int_equal(test_failures, 0);
  return 0;
}

static void field_set_never_writes_back_a_w1c_bit_it_read(void **state) {
  struct fixture *fx = *state;
  uint64_t v;
  /* Two interrupts pending (INT = 0b0101), the device busy. */
  mmio_fake_poke32(fx->fake, 0x10, 0x1000 | 0x500 | 0x80);
  assert_int_equal(mmio_field_set(&fx->r, &CR, CR_MODE, 2), 0);
  /* MODE changed; the pending interrupts are still pending: the write
   * carried 0 in INT, not the 1s it read. KICK (write-0-to-clear) was
   * written as 1 and kept. */
  assert_int_equal(mmio_fake_peek32(fx->fake, 0x10), 0x1000 | 0x500 | 0x80 | 0x20);
  assert_int_equal(mmio_field_get(&fx->r, &CR, CR_INT, &v), 0);
  assert_int_equal(v, 0x5);
  /* Clearing one of them is a write of 1 to that bit only. */
  assert_int_equal(mmio_field_set(&fx->r, &CR, CR_INT, 0x4), 0);
  assert_int_equal(mmio_fake_peek32(fx->fake, 0x10) & 0xf00, 0x100);
  assert_int_equal(mmio_fake_writes(fx->fake, 0x10), 2);
}

static void field_values_are_checked_before_any_access(void **state) {
  struct fixture *fx = *state;
  const unsigned long reads = mmio_fake_reads(fx->fake, 0x10);
  assert_int_equal(mmio_field_set(&fx->r, &CR, CR_MODE, 4), -ERANGE);
  assert_int_equal(mmio_field_set(&fx->r, &CR, CR_EN, 2), -ERANGE);
  assert_int_equal(mmio_field_set(&fx->r, &CR, CR_BUSY, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_field_set(&fx->r, &CR, 99, 0), -EINVAL);
  assert_int_equal(mmio_field_set(&fx->r, &ID, 0, 0), -EINVAL);
  assert_int_equal(mmio_reg_write(&fx->r, &ID, 0, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_reg_write(&fx->r, &B8, 0, 0x100), -ERANGE);
  assert_int_equal(mmio_fake_reads(fx->fake, 0x10), reads);
  assert_int_equal(mmio_fake_writes(fx->fake, 0x10), 0);
}

static void reserved_and_read_only_bits_are_written_back_as_read(void **state) {
  struct fixture *fx = *state;
  uint64_t v;
  /* Bits 13-15 are reserved; bits 1-3 and 6 too. Set them in the device. */
  mmio_fake_poke32(fx->fake, 0x10, 0xe04e);
  assert_int_equal(mmio_field_set(&fx->r, &CR, CR_DIV, 0xabcd), 0);
  assert_int_equal(mmio_fake_peek32(fx->fake, 0x10), 0xabcde04e | 0x1000);
  assert_int_equal(mmio_field_get(&fx->r, &CR, CR_DIV, &v), 0);
  assert_int_equal(v, 0xabcd);
}

static void read_to_clear_is_read_only_on_purpose(void **state) {
  struct fixture *fx = *state;
  uint64_t v = 7;
  mmio_fake_poke32(fx->fake, 0x14, 0x9);
  assert_int_equal(mmio_field_get(&fx->r, &SR, SR_RXNE, &v), MMIO_ERR_READ_EFFECT);
  assert_int_equal(mmio_reg_read(&fx->r, &SR, 0, &v), MMIO_ERR_READ_EFFECT);
  assert_int_equal(v, 7);
  assert_int_equal(mmio_fake_reads(fx->fake, 0x14), 0);
  assert_int_equal(mmio_fake_peek32(fx->fake, 0x14), 0x9);
  assert_int_equal(mmio_field_read(&fx->r, &SR, SR_OVR, MMIO_REGS_READ_EFFECTS, &v), 0);
  assert_int_equal(v, 1);
  assert_int_equal(mmio_fake_peek32(fx->fake, 0x14), 0); /* the read cleared it */
  assert_int_equal(mmio_field_set(&fx->r, &SR, SR_OVR, 0), MMIO_ERR_READ_ONLY);
}

static void write_only_registers_are_never_read(void **state) {
  struct fixture *fx = *state;
  uint64_t v;
  assert_int_equal(mmio_reg_read(&fx->r, &CMD, 0, &v), MMIO_ERR_WRITE_ONLY);
  assert_int_equal(mmio_field_get(&fx->r, &CMD, CMD_OP, &v), MMIO_ERR_WRITE_ONLY);
  /* Without a remembered value there is nothing to modify. */
  assert_int_equal(mmio_field_set(&fx->r, &CMD, CMD_OP, 3), MMIO_ERR_WRITE_ONLY);
  assert_int_equal(mmio_reg_write(&fx->r, &CMD, 0, 0x0203), 0);
  assert_int_equal(mmio_fake_reads(fx->fake, 0x18), 0);
  assert_int_equal(mmio_fake_peek32(fx->fake, 0x18), 0x0203);
}

static void write_once_fields_are_not_written_back(void **state) {
  struct fixture *fx = *state;
  /* Writing MODE would write KEY back, locking it at what was read. */
  assert_int_equal(mmio_field_set(&fx->r, &LOCK, LOCK_MODE, 1), -EINVAL);
  assert_int_equal(mmio_fake_writes(fx->fake, 0x1c), 0);
  /* KEY itself may be written; MODE is then written back as read. */
  mmio_fake_poke32(fx->fake, 0x1c, 0x0500);
  assert_int_equal(mmio_field_set(&fx->r, &LOCK, LOCK_KEY, 0xa5), 0);
  assert_int_equal(mmio_fake_peek32(fx->fake, 0x1c), 0x05a5);
  assert_int_equal(mmio_reg_write(&fx->r, &LOCK, 0, 0x01a5), 0);
}

static void every_width_and_the_extreme_bits(void **state) {
  struct fixture *fx = *state;
  uint64_t v;
  assert_int_equal(mmio_field_set(&fx->r, &B8, B8_HI, 0x7f), 0);
  assert_int_equal(mmio_field_set(&fx->r, &B8, B8_LO, 1), 0);
  assert_int_equal(mmio_fake_peek8(fx->fake, 0x20), 0xff);
  assert_int_equal(mmio_field_set(&fx->r, &B8, B8_HI, 0), 0);
  assert_int_equal(mmio_fake_peek8(fx->fake, 0x20), 0x01);
  assert_int_equal(mmio_field_set(&fx->r, &H16, H16_ALL, 0xbeef), 0);
  assert_int_equal(mmio_fake_peek16(fx->fake, 0x22), 0xbeef);
  assert_int_equal(mmio_field_set(&fx->r, &H16, H16_ALL, 0x10000), -ERANGE);

  assert_int_equal(mmio_field_set(&fx->r, &Q64, Q64_BIT63, 1), 0);
  assert_int_equal(mmio_field_set(&fx->r, &Q64, Q64_BIT0, 1), 0);
  assert_int_equal(mmio_field_set(&fx->r, &Q64, Q64_MID, 0xffffffffu), 0);
  assert_true(mmio_fake_peek64(fx->fake, 0x28) == (0x8000000000000001ull | (0xffffffffull << 9)));
  assert_int_equal(mmio_field_set(&fx->r, &Q64, Q64_MID, 0x100000000ull), -ERANGE);
  assert_int_equal(mmio_field_get(&fx->r, &Q64, Q64_BIT63, &v), 0);
  assert_int_equal(v, 1);
  assert_int_equal(mmio_field_set(&fx->r, &Q64, Q64_BIT63, 0), 0);
  assert_true(mmio_fake_peek64(fx->fake, 0x28) == (1ull | (0xffffffffull << 9)));

  assert_int_equal(mmio_field_set(&fx->r, &W64, W64_ALL, ~0ull), 0);
  assert_true(mmio_fake_peek64(fx->fake, 0x30) == ~0ull);
  assert_int_equal(mmio_field_get(&fx->r, &W64, W64_ALL, &v), 0);
  assert_true(v == ~0ull);
  assert_int_equal(mmio_reg_read(&fx->r, &ID, 0, &v), 0);
  assert_int_equal(v, 0x1234);
}

static void verify_reports_a_register_that_dropped_a_write(void **state) {
  struct fixture *fx = *state;
  /* MODE and DIV are plain read-write: a device that keeps them passes. */
  assert_int_equal(mmio_field_write(&fx->r, &CR, CR_MODE, MMIO_REGS_VERIFY, 3), 0);
  assert_int_equal(mmio_reg_write(&fx->r, &CR, MMIO_REGS_VERIFY, 0x12340021), 0);
  /* A register the device keeps read-only drops the write. */
  assert_int_equal(mmio_reg_write(&fx->r, &B8, MMIO_REGS_VERIFY, 0x3), 0);
  {
    static const struct mmio_fake_reg stuck = {
        .name = "STUCK", .offset = 0x38, .width = 4, .ro = 0xff};
    MMIO_REG(ST, 0x38, 32, MMIO_RW, 0, MMIO_NO_FIELDS);
    assert_int_equal(mmio_fake_add_regs(fx->fake, &stuck, 1), 0);
    assert_int_equal(mmio_reg_write(&fx->r, &ST, MMIO_REGS_VERIFY, 0x5a5a), MMIO_ERR_WRITE_DROPPED);
    assert_int_equal(mmio_reg_write(&fx->r, &ST, 0, 0x5a00), 0);
  }
}

/* The macro's masks and the run-time derivation agree. */
static void declared_masks_match_the_derivation(void **state) {
  const struct mmio_reg *all[] = {&CR, &SR, &CMD, &LOCK, &B8, &H16, &Q64, &W64, &ID};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
    struct mmio_reg copy = *all[i];
    assert_int_equal(mmio_reg_derive(&copy, 1), 0);
    if (copy.keep != all[i]->keep || copy.ones != all[i]->ones || copy.derived != all[i]->derived)
      fail_msg("%s: macro keep %llx ones %llx derived %u, derivation %llx %llx %u", all[i]->name,
               (unsigned long long)all[i]->keep, (unsigned long long)all[i]->ones, all[i]->derived,
               (unsigned long long)copy.keep, (unsigned long long)copy.ones, copy.derived);
  }
  assert_true(CR.derived & MMIO_REG_INLINE);
  assert_false(SR.derived & MMIO_REG_INLINE);
  assert_false(CMD.derived & MMIO_REG_INLINE);
  assert_int_equal(CR.keep, 0xfffff0ff & ~0x1000u);
  assert_int_equal(CR.ones, 0x1000);
}

static void derivation_refuses_broken_tables(void **state) {
  struct mmio_field f[2] = {{.name = "A", .lsb = 0, .msb = 7}, {.name = "B", .lsb = 4, .msb = 9}};
  struct mmio_reg r = {.name = "R", .width = 4, .fields = f, .nfields = 2};
  (void)state;
  assert_int_equal(mmio_reg_derive(&r, 1), -EINVAL); /* overlap */
  f[1].lsb = 8;
  f[1].msb = 32;
  assert_int_equal(mmio_reg_derive(&r, 1), -EINVAL); /* beyond 32 bits */
  f[1].msb = 31;
  r.width = 3;
  assert_int_equal(mmio_reg_derive(&r, 1), -EINVAL);
  r.width = 4;
  assert_int_equal(r.derived, 0);
  assert_int_equal(mmio_reg_derive(&r, 1), 0);
  assert_int_equal(r.derived, MMIO_REG_DERIVED | MMIO_REG_INLINE);
}

/* Registers built by hand without derivation take the out-of-line path
 * and follow the same rules. */
static void hand_built_tables_follow_the_same_rules(void **state) {
  struct fixture *fx = *state;
  static const struct mmio_field f[] = {
      {.name = "MODE", .lsb = 4, .msb = 5, .access = MMIO_RW},
      {.name = "INT", .lsb = 8, .msb = 11, .access = MMIO_W1C},
  };
  const struct mmio_reg r = {.name = "CR", .offset = 0x10, .width = 4, .fields = f, .nfields = 2};
  mmio_fake_poke32(fx->fake, 0x10, 0xf00);
  assert_int_equal(mmio_field_set(&fx->r, &r, 0, 1), 0);
  assert_int_equal(mmio_fake_peek32(fx->fake, 0x10), 0xf10);
}

static void decode_prints_fields_like_hwreg(void **state) {
  static const struct mmio_enum modes[] = {{"IDLE", 0, 0, NULL}, {"FAST", 2, 0, NULL}};
  struct mmio_field f[] = {
      {.name = "field1", .lsb = 21, .msb = 30},
      {.name = "field2", .lsb = 12, .msb = 20},
      {.name = "MODE", .lsb = 4, .msb = 5, .enums = modes, .nenums = 2},
  };
  struct mmio_reg r = {.name = "R", .width = 4, .fields = f, .nfields = 2};
  char buf[512];
  int n;
  (void)state;
  /* Fuchsia's own example: the same value prints the same lines. */
  n = mmio_reg_decode(buf, sizeof(buf), &r, 0xe9872fff);
  assert_string_equal(buf, "field1[30:21]: 0x34c (844)\n"
                           "field2[20:12]: 0x072 (114)\n"
                           "unknown set bits: 0x80000fff\n");
  assert_int_equal(n, (int)strlen(buf));
  r.nfields = 3;
  mmio_reg_decode(buf, sizeof(buf), &r, 0x20);
  assert_string_equal(buf, "field1[30:21]: 0x000 (0)\n"
                           "field2[20:12]: 0x000 (0)\n"
                           "MODE[5:4]: 0x2 (2) FAST\n");
  /* Truncation counts the whole text, like snprintf. */
  assert_int_equal(mmio_reg_decode(buf, 10, &r, 0x20), (int)strlen("field1[30:21]: 0x000 (0)\n"
                                                                   "field2[20:12]: 0x000 (0)\n"
                                                                   "MODE[5:4]: 0x2 (2) FAST\n"));
  assert_int_equal(strlen(buf), 9);
  /* Without fields, the register is one value. */
  r.nfields = 0;
  r.width = 2;
  mmio_reg_decode(buf, sizeof(buf), &r, 0x802a);
  assert_string_equal(buf, "R[15:0]: 0x802a (32810)\n");
}

static void fields_are_found_by_name(void **state) {
  size_t i = 99;
  (void)state;
  assert_int_equal(mmio_field_index(&CR, "MODE", &i), 0);
  assert_int_equal(i, CR_MODE);
  assert_int_equal(mmio_field_index(&CR, "div", &i), 0);
  assert_int_equal(i, CR_DIV);
  assert_int_equal(mmio_field_index(&CR, "NOPE", &i), MMIO_ERR_UNKNOWN_NAME);
  assert_int_equal(mmio_field_index(&ID, "ANY", &i), MMIO_ERR_UNKNOWN_NAME);
  assert_int_equal(mmio_field_index(NULL, "MODE", &i), -EINVAL);
}

/* The total of reads and writes the fake saw at every register. */
static unsigned long accesses(mmio_fake *fake) {
  static const size_t offs[] = {0x00, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x22, 0x28, 0x30};
  unsigned long n = 0;
  size_t i;
  for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
    n += mmio_fake_reads(fake, offs[i]) + mmio_fake_writes(fake, offs[i]);
  return n;
}

static void check_only_gives_the_answer_without_an_access(void **state) {
  struct fixture *fx = *state;
  const unsigned C = MMIO_REGS_CHECK_ONLY;
  mmio_region head = {0};
  uint64_t v = 77;
  /* Good calls say 0, and *out is untouched. */
  assert_int_equal(mmio_reg_read(&fx->r, &CR, C, &v), 0);
  assert_int_equal(v, 77);
  assert_int_equal(mmio_field_write(&fx->r, &CR, CR_MODE, C, 2), 0);
  assert_int_equal(mmio_reg_write(&fx->r, &CMD, C, 5), 0);
  /* Each refusal the real call would give. */
  assert_int_equal(mmio_reg_read(&fx->r, &CMD, C, &v), MMIO_ERR_WRITE_ONLY);
  assert_int_equal(mmio_reg_read(&fx->r, &SR, C, &v), MMIO_ERR_READ_EFFECT);
  assert_int_equal(mmio_reg_read(&fx->r, &SR, C | MMIO_REGS_READ_EFFECTS, &v), 0);
  assert_int_equal(mmio_field_write(&fx->r, &CR, CR_BUSY, C, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_field_write(&fx->r, &CR, CR_MODE, C, 4), -ERANGE);
  assert_int_equal(mmio_field_write(&fx->r, &CMD, CMD_OP, C, 1), MMIO_ERR_WRITE_ONLY);
  assert_int_equal(mmio_reg_write(&fx->r, &ID, C, 1), MMIO_ERR_READ_ONLY);
  /* And the region's: range, then the write right. */
  assert_int_equal(mmio_try_split_off(&fx->r, 0x14, &head), 0);
  assert_int_equal(mmio_reg_read(&head, &SR, C | MMIO_REGS_READ_EFFECTS, &v),
                   MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_region_make_read_only(&head), 0);
  assert_int_equal(mmio_field_write(&head, &CR, CR_MODE, C, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_reg_write(&head, &CR, C, 1), MMIO_ERR_READ_ONLY);
  assert_int_equal(mmio_reg_read(&head, &CR, C, &v), 0);
  mmio_region_release(&head);
  assert_int_equal(accesses(fx->fake), 0);
}

static void access_names_are_distinct_and_bounded(void **state) {
  int a, b;
  (void)state;
  assert_string_equal(mmio_access_name(MMIO_W1C), "w1c");
  assert_string_equal(mmio_access_name(MMIO_WO_ONCE), "wo-once");
  assert_string_equal(mmio_access_name(MMIO_ACCESS_DEFAULT), "default");
  assert_string_equal(mmio_access_name((enum mmio_access)(MMIO_WO_ONCE + 1)), "invalid");
  assert_string_equal(mmio_access_name((enum mmio_access) - 1), "invalid");
  for (a = MMIO_ACCESS_DEFAULT; a <= MMIO_WO_ONCE; a++)
    for (b = a + 1; b <= MMIO_WO_ONCE; b++)
      assert_string_not_equal(mmio_access_name((enum mmio_access)a),
                              mmio_access_name((enum mmio_access)b));
}

static void run_time_width_accessors_match_the_typed_ones(void **state) {
  struct fixture *fx = *state;
  uint64_t v;
  assert_int_equal(mmio_try_store_width(&fx->r, 0x22, 2, 0x1234), 0);
  assert_int_equal(mmio_try_load_width(&fx->r, 0x22, 2, &v), 0);
  assert_int_equal(v, 0x1234);
  assert_int_equal(mmio_try_store_width(&fx->r, 0x22, 2, 0x10000), -ERANGE);
  assert_int_equal(mmio_try_store_width(&fx->r, 0x22, 3, 1), -EINVAL);
  assert_int_equal(mmio_try_load_width(&fx->r, 0x21, 2, &v), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_masked_modify_width(&fx->r, 0x22, 2, 0xff, 0x56), 0);
  assert_int_equal(mmio_fake_peek16(fx->fake, 0x22), 0x1256);
  assert_int_equal(mmio_masked_modify_width(&fx->r, 0x22, 2, 0x1ff00, 0), -ERANGE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(field_set_never_writes_back_a_w1c_bit_it_read, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(field_values_are_checked_before_any_access, setup, teardown),
      cmocka_unit_test_setup_teardown(reserved_and_read_only_bits_are_written_back_as_read, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(read_to_clear_is_read_only_on_purpose, setup, teardown),
      cmocka_unit_test_setup_teardown(write_only_registers_are_never_read, setup, teardown),
      cmocka_unit_test_setup_teardown(write_once_fields_are_not_written_back, setup, teardown),
      cmocka_unit_test_setup_teardown(every_width_and_the_extreme_bits, setup, teardown),
      cmocka_unit_test_setup_teardown(verify_reports_a_register_that_dropped_a_write, setup,
                                      teardown),
      cmocka_unit_test(declared_masks_match_the_derivation),
      cmocka_unit_test(derivation_refuses_broken_tables),
      cmocka_unit_test_setup_teardown(hand_built_tables_follow_the_same_rules, setup, teardown),
      cmocka_unit_test(decode_prints_fields_like_hwreg),
      cmocka_unit_test(fields_are_found_by_name),
      cmocka_unit_test(access_names_are_distinct_and_bounded),
      cmocka_unit_test_setup_teardown(check_only_gives_the_answer_without_an_access, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(run_time_width_accessors_match_the_typed_ones, setup,
                                      teardown),
  };
  return cmocka_run_group_tests_name("regs", tests, NULL, NULL);
}
