/*
 * Fake register files: bit rules, width rules, hooks, strictness, counts,
 * inspection, lifetime, failure messages and thread safety.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/mmio.h>
#include <mmio/testing/fake.h>

#include "helpers.h"

enum { ID = 0x00, CTRL = 0x04, IRQ = 0x08, SET = 0x0c, DATA = 0x10, CMD = 0x18, STATUS = 0x1c };

static uint32_t started_with;
static int status_reads_to_done;

/* Writing CMD starts work: STATUS.BUSY goes up. */
static int cmd_written(mmio_fake *f, size_t reg, uint64_t old, uint64_t written, void *arg) {
  (void)reg, (void)old, (void)arg;
  started_with = (uint32_t)written;
  status_reads_to_done = 2;
  mmio_fake_poke32(f, STATUS, mmio_fake_peek32(f, STATUS) | 1u);
  return 0;
}

/* Reading STATUS advances time: after two reads the work is done. */
static int status_read(mmio_fake *f, size_t reg, uint64_t *v, void *arg) {
  (void)reg, (void)arg;
  if (status_reads_to_done > 0 && --status_reads_to_done == 0) {
    mmio_fake_poke32(f, STATUS, mmio_fake_peek32(f, STATUS) & ~1u);
    mmio_fake_poke32(f, DATA, started_with * 2);
  }
  *v = mmio_fake_peek32(f, STATUS);
  return 0;
}

static const struct mmio_fake_reg regs[] = {
    {.name = "ID", .offset = ID, .width = 4, .reset = 0xfeed0001u, .ro = ~0ull},
    {.name = "CTRL",
     .offset = CTRL,
     .width = 4,
     .reset = 0x00000100u,
     .ro = 0xff000000u,
     .widths = MMIO_FAKE_W8 | MMIO_FAKE_W32},
    {.name = "IRQ", .offset = IRQ, .width = 4, .reset = 0xf0u, .w1c = 0xffu, .rc = 0xff00u},
    {.name = "SET", .offset = SET, .width = 4, .w1s = 0xffu},
    {.name = "DATA", .offset = DATA, .width = 8, .widths = MMIO_FAKE_W32 | MMIO_FAKE_W64},
    {.name = "CMD", .offset = CMD, .width = 4, .on_write = cmd_written},
    {.name = "STATUS", .offset = STATUS, .width = 4, .ro = 1u, .on_read = status_read},
};

static int setup(void **state) {
  mmio_fake *f;
  assert_int_equal(mmio_fake_create(&f, 0x40, MMIO_FAKE_STRICT), 0);
  assert_int_equal(mmio_fake_add_regs(f, regs, sizeof(regs) / sizeof(regs[0])), 0);
  mmio_fake_on_failure(f, test_record_failure, NULL);
  test_reset_failures();
  started_with = 0;
  status_reads_to_done = 0;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  mmio_fake_destroy(*state);
  return 0;
}

static void reset_values_show_through_the_region(void **state) {
  mmio_fake *f = *state;
  mmio_region r;
  assert_int_equal(mmio_fake_region(&r, f), 0);
  assert_int_equal(mmio_len(&r), 0x40);
  assert_int_equal(mmio_load32(&r, ID), 0xfeed0001u);
  assert_int_equal(mmio_load32(&r, CTRL), 0x100);
  assert_int_equal(mmio_fake_peek32(f, IRQ), 0xf0);
  mmio_region_release(&r);
}

static void bit_rules_apply_to_writes_and_reads(void **state) {
  mmio_fake *f = *state;
  mmio_region r;
  assert_int_equal(mmio_fake_region(&r, f), 0);
  /* Read-only: ID ignores writes entirely, CTRL keeps its top byte. */
  mmio_store32(&r, ID, 0);
  assert_int_equal(mmio_fake_peek32(f, ID), 0xfeed0001u);
  mmio_store32(&r, CTRL, 0xffffffffu);
  assert_int_equal(mmio_fake_peek32(f, CTRL), 0x00ffffffu);
  /* Write-1-to-clear: only the written ones clear. */
  mmio_store32(&r, IRQ, 0x30);
  assert_int_equal(mmio_fake_peek32(f, IRQ), 0xc0);
  /* Write-1-to-set: zeros leave bits alone. */
  mmio_store32(&r, SET, 0x01);
  mmio_store32(&r, SET, 0x80);
  assert_int_equal(mmio_fake_peek32(f, SET), 0x81);
  mmio_store32(&r, SET, 0);
  assert_int_equal(mmio_fake_peek32(f, SET), 0x81);
  /* Clear-on-read: the read returns the bits, then they are gone. */
  mmio_fake_poke32(f, IRQ, 0x1200);
  assert_int_equal(mmio_load32(&r, IRQ), 0x1200);
  assert_int_equal(mmio_load32(&r, IRQ), 0);
  assert_int_equal(test_failures, 0);
  mmio_region_release(&r);
}

static void width_rule_rejects_other_widths_with_a_clear_message(void **state) {
  mmio_fake *f = *state;
  mmio_region r;
  uint8_t v8 = 0x77;
  uint16_t v16 = 0x77;
  assert_int_equal(mmio_fake_region(&r, f), 0);
  assert_int_equal(mmio_try_load8(&r, ID + 1, &v8), MMIO_ERR_REJECTED);
  assert_int_equal(v8, 0x77);
  assert_string_equal(test_last_failure,
                      "fake: 8-bit load at 0x1 touches register ID (at 0x0, 32-bit), "
                      "which accepts only 32-bit accesses");
  assert_int_equal(mmio_try_store16(&r, CMD, 1), MMIO_ERR_REJECTED);
  assert_non_null(strstr(test_last_failure, "16-bit store at 0x18"));
  assert_non_null(strstr(test_last_failure, "CMD"));
  assert_int_equal(mmio_fake_writes(f, CMD), 0); /* never reached the register */
  /* CTRL accepts 8 and 32. */
  assert_int_equal(mmio_try_load16(&r, CTRL, &v16), MMIO_ERR_REJECTED);
  assert_non_null(strstr(test_last_failure, "accepts only 8/32-bit accesses"));
  assert_int_equal(test_failures, 3);
  mmio_region_release(&r);
}

static void narrower_access_touches_only_its_bytes(void **state) {
  mmio_fake *f = *state;
  mmio_region r;
  assert_int_equal(mmio_fake_region(&r, f), 0);
  mmio_store32(&r, CTRL, 0x00332211u);
  mmio_store8(&r, CTRL + 1, 0xaa);
  assert_int_equal(mmio_fake_peek32(f, CTRL), 0x0033aa11u);
  assert_int_equal(mmio_load8(&r, CTRL + 2), 0x33);
  /* The read-only top byte stays read-only for byte writes too. */
  mmio_store8(&r, CTRL + 3, 0x55);
  assert_int_equal(mmio_fake_peek8(f, CTRL + 3), 0);
  /* A 32-bit half of the 64-bit DATA register. */
  mmio_store64(&r, DATA, 0x1111111122222222ull);
  mmio_store32(&r, DATA + 4, 0x33333333u);
  assert_true(mmio_fake_peek64(f, DATA) == 0x3333333322222222ull);
  assert_int_equal(mmio_load32(&r, DATA), 0x22222222u);
  assert_int_equal(test_failures, 0);
  mmio_region_release(&r);
}

static void hooks_model_a_device_that_works_over_time(void **state) {
  mmio_fake *f = *state;
  mmio_region r;
  int polls = 0;
  assert_int_equal(mmio_fake_region(&r, f), 0);
  mmio_store32(&r, CMD, 21);
  assert_int_equal(started_with, 21);
  while (mmio_load32(&r, STATUS) & 1u)
    polls++;
  assert_int_equal(polls, 1); /* busy on the first read, done on the second */
  assert_int_equal(mmio_load32(&r, DATA), 42);
  assert_int_equal(mmio_fake_reads(f, STATUS), 2);
  assert_int_equal(mmio_fake_writes(f, CMD), 1);
  /* BUSY is read-only to the driver. */
  mmio_fake_poke32(f, STATUS, 1);
  mmio_store32(&r, STATUS, 0);
  assert_int_equal(mmio_fake_peek32(f, STATUS), 1);
  mmio_region_release(&r);
}

static int refuse(mmio_fake *f, size_t reg, uint64_t *v, void *arg) {
  (void)f, (void)reg, (void)v, (void)arg;
  return -EIO;
}

static void hook_errors_fail_the_access(void **state) {
  mmio_fake *f = *state;
  mmio_region r;
  uint32_t v = 5;
  struct mmio_fake_reg bad = {.name = "BAD", .offset = 0x20, .width = 4, .on_read = refuse};
  assert_int_equal(mmio_fake_add_regs(f, &bad, 1), 0);
  assert_int_equal(mmio_fake_region(&r, f), 0);
  assert_int_equal(mmio_try_load32(&r, 0x20, &v), -EIO);
  assert_int_equal(v, 5);
  mmio_region_release(&r);
}

static void strict_fake_rejects_undeclared_bytes(void **state) {
  mmio_fake *f = *state;
  mmio_region r;
  uint32_t v;
  assert_int_equal(mmio_fake_region(&r, f), 0);
  assert_int_equal(mmio_try_load32(&r, 0x30, &v), MMIO_ERR_REJECTED);
  assert_string_equal(test_last_failure,
                      "fake: 32-bit load at 0x30 touches 0x30, which no register "
                      "covers (strict fake)");
  assert_int_equal(mmio_try_store8(&r, 0x3f, 1), MMIO_ERR_REJECTED);
  assert_int_equal(mmio_fake_peek8(f, 0x3f), 0);
  mmio_region_release(&r);
}

static void loose_fake_treats_undeclared_bytes_as_memory(void **state) {
  mmio_fake *f;
  mmio_region r;
  struct mmio_fake_reg one = {.name = "R",
                              .offset = 4,
                              .width = 4,
                              .ro = ~0ull,
                              .reset = 0xabcd,
                              .widths = MMIO_FAKE_W64 | MMIO_FAKE_W32};
  (void)state;
  assert_int_equal(mmio_fake_create(&f, 16, 0), 0);
  assert_int_equal(mmio_fake_add_regs(f, &one, 1), 0);
  assert_int_equal(mmio_fake_region(&r, f), 0);
  mmio_store32(&r, 8, 0x12345678u);
  assert_int_equal(mmio_load32(&r, 8), 0x12345678u);
  /* A 64-bit store over plain bytes 0-3 and read-only R: only the plain
   * half changes; the load sees both halves. */
  mmio_store64(&r, 0, 0xffffffffeeeeeeeeull);
  assert_true(mmio_load64(&r, 0) == 0x0000abcdeeeeeeeeull);
  mmio_region_release(&r);
  mmio_fake_destroy(f);
}

static void peek_and_poke_are_not_device_accesses(void **state) {
  mmio_fake *f = *state;
  mmio_fake_poke32(f, ID, 1); /* bypasses read-only */
  assert_int_equal(mmio_fake_peek32(f, ID), 1);
  mmio_fake_poke32(f, CMD, 7);       /* bypasses the hook */
  assert_int_equal(started_with, 0); /* the hook did not run */
  assert_int_equal(mmio_fake_reads(f, ID), 0);
  assert_int_equal(mmio_fake_writes(f, CMD), 0);
  assert_int_equal(mmio_fake_peek8(f, 0x40), 0);
  assert_non_null(strstr(test_last_failure, "outside the fake"));
  mmio_fake_reset(f);
  assert_int_equal(mmio_fake_peek32(f, ID), 0xfeed0001u);
  assert_int_equal(mmio_fake_peek32(f, CMD), 0);
}

static void reset_restores_values_and_counts(void **state) {
  mmio_fake *f = *state;
  mmio_region r;
  assert_int_equal(mmio_fake_region(&r, f), 0);
  mmio_store32(&r, CTRL, 5);
  (void)mmio_load32(&r, CTRL);
  assert_int_equal(mmio_fake_reads(f, CTRL), 1);
  assert_int_equal(mmio_fake_writes(f, CTRL), 1);
  mmio_fake_reset(f);
  assert_int_equal(mmio_fake_peek32(f, CTRL), 0x100);
  assert_int_equal(mmio_fake_reads(f, CTRL), 0);
  assert_int_equal(mmio_fake_writes(f, CTRL), 0);
  assert_int_equal(mmio_fake_reads(f, 0x3c), 0); /* no register there */
  mmio_region_release(&r);
}

static void bad_declarations_are_refused_whole(void **state) {
  mmio_fake *f = *state;
  struct mmio_fake_reg two[2] = {{.offset = 0x20, .width = 4}, {.offset = 0x22, .width = 2}};
  struct mmio_fake_reg r1 = {.offset = 0x21, .width = 4};
  struct mmio_fake_reg r2 = {.offset = 0x20, .width = 3};
  struct mmio_fake_reg r3 = {.offset = 0x40, .width = 4};
  struct mmio_fake_reg r4 = {.offset = 0x20, .width = 4, .widths = 0x10};
  struct mmio_fake_reg r5 = {.offset = 0x00, .width = 1};
  assert_int_equal(mmio_fake_add_regs(f, two, 2), -EINVAL); /* overlap */
  assert_int_equal(mmio_fake_add_regs(f, &r1, 1), -EINVAL);
  assert_int_equal(mmio_fake_add_regs(f, &r2, 1), -EINVAL);
  assert_int_equal(mmio_fake_add_regs(f, &r3, 1), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_fake_add_regs(f, &r4, 1), -EINVAL);
  assert_int_equal(mmio_fake_add_regs(f, &r5, 1), -EINVAL); /* overlaps ID */
  /* Nothing of the refused batch was added: 0x20 is still undeclared. */
  assert_int_equal(mmio_fake_reads(f, 0x20), 0);
  {
    mmio_region r;
    uint32_t v;
    assert_int_equal(mmio_fake_region(&r, f), 0);
    assert_int_equal(mmio_try_load32(&r, 0x20, &v), MMIO_ERR_REJECTED);
    mmio_region_release(&r);
  }
  assert_int_equal(mmio_fake_create(NULL, 4, 0), -EINVAL);
  {
    mmio_fake *g = (mmio_fake *)1;
    /* Size 0 is an invalid argument, as everywhere in the library. */
    assert_int_equal(mmio_fake_create(&g, 0, 0), -EINVAL);
    assert_null(g);
    assert_int_equal(mmio_fake_create(&g, (size_t)PTRDIFF_MAX + 1, 0), MMIO_ERR_OUT_OF_RANGE);
    assert_null(g);
    assert_int_equal(mmio_fake_create(&g, 4, 0x80), -EINVAL);
  }
}

static void region_keeps_the_fake_alive_after_destroy(void **state) {
  mmio_fake *f;
  mmio_region r, l = {0};
  (void)state;
  assert_int_equal(mmio_fake_create(&f, 16, 0), 0);
  assert_int_equal(mmio_fake_region(&r, f), 0);
  assert_int_equal(mmio_try_split_off(&r, 8, &l), 0);
  mmio_fake_destroy(f);
  mmio_store32(&r, 0, 9); /* backend offset 8 */
  assert_int_equal(mmio_load32(&r, 0), 9);
  mmio_region_release(&r);
  mmio_store32(&l, 4, 3);
  assert_int_equal(mmio_load32(&l, 4), 3);
  mmio_region_release(&l); /* last reference: the fake goes here */
  mmio_fake_destroy(NULL);
}

static void do_bad_width(void *arg) {
  mmio_region *r = arg;
  (void)mmio_load8(r, 1);
}

static void default_handler_aborts_with_the_message(void **state) {
  mmio_fake *f;
  mmio_region r;
  char out[512];
  (void)state;
  assert_int_equal(mmio_fake_create(&f, 16, 0), 0);
  assert_int_equal(mmio_fake_add_regs(f, regs, 1), 0);
  assert_int_equal(mmio_fake_region(&r, f), 0);
  assert_true(test_run_expect_abort(do_bad_width, &r, out, sizeof(out)));
  assert_non_null(strstr(out, "mmio: fake: 8-bit load at 0x1 touches register ID"));
  mmio_region_release(&r);
  mmio_fake_destroy(f);
}

static unsigned long hook_count;
static int count_write(mmio_fake *f, size_t reg, uint64_t old, uint64_t w, void *arg) {
  (void)f, (void)reg, (void)old, (void)w, (void)arg;
  hook_count++; /* not atomic: the fake's lock must serialise hooks */
  return 0;
}

struct hammer {
  mmio_region r;
  pthread_t tid;
};

static void *hammer(void *arg) {
  struct hammer *h = arg;
  int i;
  for (i = 0; i < 20000; i++)
    mmio_store32(&h->r, 0, (uint32_t)i);
  return NULL;
}

static void threadsafe_fake_serialises_split_regions(void **state) {
  struct mmio_fake_reg two[2] = {{.offset = 0, .width = 4, .on_write = count_write},
                                 {.offset = 4, .width = 4, .on_write = count_write}};
  struct hammer h[2];
  mmio_fake *f;
  mmio_region whole;
  int i;
  (void)state;
  hook_count = 0;
  assert_int_equal(mmio_fake_create(&f, 8, MMIO_FAKE_THREADSAFE), 0);
  assert_int_equal(mmio_fake_add_regs(f, two, 2), 0);
  assert_int_equal(mmio_fake_region(&whole, f), 0);
  memset(h, 0, sizeof(h));
  assert_int_equal(mmio_try_split_off(&whole, 4, &h[0].r), 0);
  mmio_region_move(&h[1].r, &whole);
  for (i = 0; i < 2; i++)
    assert_int_equal(pthread_create(&h[i].tid, NULL, hammer, &h[i]), 0);
  for (i = 0; i < 2; i++)
    pthread_join(h[i].tid, NULL);
  assert_int_equal(hook_count, 40000);
  assert_int_equal(mmio_fake_writes(f, 0) + mmio_fake_writes(f, 4), 40000);
  for (i = 0; i < 2; i++)
    mmio_region_release(&h[i].r);
  mmio_fake_destroy(f);
}

static int hook_runs;
static int count_hook_write(mmio_fake *f, size_t reg, uint64_t old, uint64_t written, void *arg) {
  (void)f, (void)reg, (void)old, (void)written, (void)arg;
  hook_runs++;
  return 0;
}
static int count_hook_read(mmio_fake *f, size_t reg, uint64_t *v, void *arg) {
  (void)f, (void)reg, (void)v, (void)arg;
  hook_runs++;
  return 0;
}

/* A 64-bit access over a register that accepts it and a part that does not
 * (a strict gap, or a register that takes 32-bit accesses only) is
 * rejected whole: no byte, hook, counter or clear-on-read bit changes. */
static void rejected_access_changes_nothing(void **state) {
  static const struct mmio_fake_reg two[] = {
      {.name = "A",
       .offset = 0,
       .width = 4,
       .rc = 0xff,
       .widths = MMIO_FAKE_WANY,
       .on_read = count_hook_read,
       .on_write = count_hook_write},
      {.name = "B32", .offset = 12, .width = 4},
  };
  mmio_fake *f;
  mmio_region r;
  uint64_t v = 7;
  (void)state;
  test_reset_failures();
  assert_int_equal(mmio_fake_create(&f, 16, MMIO_FAKE_STRICT), 0);
  assert_int_equal(mmio_fake_add_regs(f, two, 2), 0);
  mmio_fake_on_failure(f, test_record_failure, NULL);
  assert_int_equal(mmio_fake_region(&r, f), 0);
  mmio_fake_poke32(f, 0, 0x5a);
  mmio_fake_poke32(f, 8, 0x11); /* bytes B32 must not see */
  hook_runs = 0;
  /* A at 0-3, then the strict gap at 4-7. */
  assert_int_equal(mmio_try_store64(&r, 0, 0x0000000100000002ull), MMIO_ERR_REJECTED);
  assert_non_null(strstr(test_last_failure, "which no register covers"));
  assert_int_equal(mmio_try_load64(&r, 0, &v), MMIO_ERR_REJECTED);
  assert_true(v == 7);
  assert_int_equal(mmio_fake_peek32(f, 0), 0x5a); /* not written, rc bits not cleared */
  assert_int_equal(hook_runs, 0);
  assert_int_equal(mmio_fake_writes(f, 0), 0);
  assert_int_equal(mmio_fake_reads(f, 0), 0);
  /* A loose fake: the gap is memory, B32 refuses a 64-bit access. */
  mmio_region_release(&r);
  mmio_fake_destroy(f);
  assert_int_equal(mmio_fake_create(&f, 16, 0), 0);
  assert_int_equal(mmio_fake_add_regs(f, two, 2), 0);
  mmio_fake_on_failure(f, test_record_failure, NULL);
  assert_int_equal(mmio_fake_region(&r, f), 0);
  mmio_fake_poke32(f, 8, 0x11);
  mmio_fake_poke32(f, 12, 0x22);
  assert_int_equal(mmio_try_store64(&r, 8, ~0ull), MMIO_ERR_REJECTED);
  assert_non_null(strstr(test_last_failure, "accepts only 32-bit"));
  assert_int_equal(mmio_fake_peek32(f, 8), 0x11); /* the memory half is untouched too */
  assert_int_equal(mmio_fake_peek32(f, 12), 0x22);
  assert_int_equal(mmio_fake_writes(f, 12), 0);
  mmio_region_release(&r);
  mmio_fake_destroy(f);
}

/* A load whose read hook fails clears no clear-on-read bit anywhere. */
static int refuse_second(mmio_fake *f, size_t reg, uint64_t *v, void *arg) {
  (void)f, (void)reg, (void)v, (void)arg;
  return -EIO;
}

static void failed_load_clears_no_clear_on_read_bits(void **state) {
  static const struct mmio_fake_reg two[] = {
      {.name = "RC", .offset = 0, .width = 4, .rc = 0xff, .widths = MMIO_FAKE_WANY},
      {.name = "FAILS",
       .offset = 4,
       .width = 4,
       .widths = MMIO_FAKE_WANY,
       .on_read = refuse_second},
  };
  mmio_fake *f;
  mmio_region r;
  uint64_t v = 7;
  (void)state;
  assert_int_equal(mmio_fake_create(&f, 8, MMIO_FAKE_STRICT), 0);
  assert_int_equal(mmio_fake_add_regs(f, two, 2), 0);
  assert_int_equal(mmio_fake_region(&r, f), 0);
  mmio_fake_poke32(f, 0, 0x5a);
  assert_int_equal(mmio_try_load64(&r, 0, &v), -EIO);
  assert_true(v == 7);
  assert_int_equal(mmio_fake_peek32(f, 0), 0x5a);
  mmio_region_release(&r);
  mmio_fake_destroy(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(reset_values_show_through_the_region, setup, teardown),
      cmocka_unit_test_setup_teardown(bit_rules_apply_to_writes_and_reads, setup, teardown),
      cmocka_unit_test_setup_teardown(width_rule_rejects_other_widths_with_a_clear_message, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(narrower_access_touches_only_its_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(hooks_model_a_device_that_works_over_time, setup, teardown),
      cmocka_unit_test_setup_teardown(hook_errors_fail_the_access, setup, teardown),
      cmocka_unit_test_setup_teardown(strict_fake_rejects_undeclared_bytes, setup, teardown),
      cmocka_unit_test(loose_fake_treats_undeclared_bytes_as_memory),
      cmocka_unit_test_setup_teardown(peek_and_poke_are_not_device_accesses, setup, teardown),
      cmocka_unit_test_setup_teardown(reset_restores_values_and_counts, setup, teardown),
      cmocka_unit_test_setup_teardown(bad_declarations_are_refused_whole, setup, teardown),
      cmocka_unit_test(region_keeps_the_fake_alive_after_destroy),
      cmocka_unit_test(default_handler_aborts_with_the_message),
      cmocka_unit_test(threadsafe_fake_serialises_split_regions),
      cmocka_unit_test(rejected_access_changes_nothing),
      cmocka_unit_test(failed_load_clears_no_clear_on_read_bits),
  };
  return cmocka_run_group_tests_name("fake", tests, NULL, NULL);
}
