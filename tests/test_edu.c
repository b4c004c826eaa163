/*
 * The edu example driver against the fake edu model: the driver logic that
 * the VM tests run on the real device, exercised here on any machine.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmio/testing/mock.h>
#include <mmio/trace.h>

#include "edu.h"
#include <mmio/testing/model.h>

/* The driver's interrupt wait over the model's (which takes the model). */
static int model_wait_irq(void *model, int timeout_ms) {
  return mmio_model_irq_wait(model, timeout_ms);
}

static void fail_in_cmocka(void *arg, const char *msg) {
  (void)arg;
  fail_msg("%s", msg);
}

struct ctx {
  mmio_model *model;
  struct edu dev;
};

static int open_dev(void **state, unsigned latency, int with_irq) {
  static struct ctx c;
  mmio_region bar0;
  memset(&c, 0, sizeof(c));
  assert_int_equal(mmio_model_create(&c.model, "edu", latency), 0);
  mmio_fake_on_failure(mmio_model_fake(c.model), fail_in_cmocka, NULL);
  assert_int_equal(mmio_model_region(&bar0, c.model), 0);
  assert_int_equal(
      edu_open(&c.dev, &bar0, with_irq ? model_wait_irq : NULL, with_irq ? c.model : NULL), 0);
  *state = &c;
  return 0;
}

static int setup_poll(void **state) { return open_dev(state, 3, 0); }
static int setup_irq(void **state) { return open_dev(state, 5, 1); }

static int teardown(void **state) {
  struct ctx *c = *state;
  edu_close(&c->dev);
  mmio_model_destroy(c->model);
  return 0;
}

static void version_comes_from_the_id_register(void **state) {
  struct ctx *c = *state;
  unsigned major = 0, minor = 9;
  assert_int_equal(edu_version(&c->dev, &major, &minor), 0);
  assert_int_equal(major, 1);
  assert_int_equal(minor, 0);
}

static void liveness_reads_back_the_inverse(void **state) {
  struct ctx *c = *state;
  assert_int_equal(edu_check_liveness(&c->dev, 0x12345678u), 0);
  assert_int_equal(mmio_fake_peek32(mmio_model_fake(c->model), EDU_REG_LIVENESS), ~0x12345678u);
}

static void factorial_by_polling_waits_for_computing_to_clear(void **state) {
  struct ctx *c = *state;
  mmio_fake *regs = mmio_model_fake(c->model);
  uint32_t out = 0;
  assert_int_equal(edu_factorial(&c->dev, 10, &out, 1000), 0);
  assert_int_equal(out, 3628800u);
  /* It polled: several STATUS reads, and it asked for no interrupt. */
  assert_true(mmio_fake_reads(regs, EDU_REG_STATUS) >= 3);
  assert_int_equal(mmio_fake_peek32(regs, EDU_REG_STATUS) & EDU_STATUS_IRQ_FACT, 0);
  assert_false(mmio_model_irq_pending(c->model));
  /* 13! wraps in 32 bits, as on the device. */
  assert_int_equal(edu_factorial(&c->dev, 13, &out, 1000), 0);
  assert_int_equal(out, (uint32_t)6227020800ull);
}

static void factorial_by_interrupt_waits_and_acknowledges(void **state) {
  struct ctx *c = *state;
  mmio_fake *regs = mmio_model_fake(c->model);
  uint32_t out = 0;
  assert_int_equal(edu_factorial(&c->dev, 5, &out, 1000), 0);
  assert_int_equal(out, 120);
  /* Completion came from the interrupt, which was acknowledged once. */
  assert_int_equal(mmio_fake_writes(regs, EDU_REG_IRQ_ACK), 1);
  assert_int_equal(mmio_fake_peek32(regs, EDU_REG_IRQ_STATUS), 0);
  assert_true(mmio_fake_peek32(regs, EDU_REG_STATUS) & EDU_STATUS_IRQ_FACT);
  assert_false(mmio_model_irq_pending(c->model));
}

static void interrupt_wait_times_out_when_the_device_is_slow(void **state) {
  struct ctx *c = *state;
  uint32_t out = 0;
  /* Latency 5 steps, one per millisecond waited: 2 ms is not enough. */
  assert_int_equal(edu_factorial(&c->dev, 5, &out, 2), -ETIMEDOUT);
}

static void busy_device_is_reported(void **state) {
  struct ctx *c = *state;
  mmio_fake *regs = mmio_model_fake(c->model);
  uint32_t out = 0;
  /* Someone else started a computation (latency 3 steps). */
  mmio_store32(&c->dev.regs, EDU_REG_FACTORIAL, 4);
  assert_int_equal(edu_factorial(&c->dev, 3, &out, 10), -EBUSY);
  assert_int_equal(mmio_fake_writes(regs, EDU_REG_FACTORIAL), 1);
  /* Once it is done, the device is free again. */
  while (mmio_load32(&c->dev.regs, EDU_REG_STATUS) & EDU_STATUS_COMPUTING)
    ;
  assert_int_equal(mmio_load32(&c->dev.regs, EDU_REG_FACTORIAL), 24);
  assert_int_equal(edu_factorial(&c->dev, 3, &out, 1000), 0);
  assert_int_equal(out, 6);
}

static void raised_interrupts_show_in_status_until_acknowledged(void **state) {
  struct ctx *c = *state;
  uint32_t bits = 0;
  assert_int_equal(edu_raise_irq(&c->dev, 0x30), 0);
  assert_true(mmio_model_irq_pending(c->model));
  assert_int_equal(edu_irq_status(&c->dev, &bits), 0);
  assert_int_equal(bits, 0x30);
  assert_int_equal(edu_ack_irq(&c->dev, 0x10), 0);
  assert_int_equal(edu_irq_status(&c->dev, &bits), 0);
  assert_int_equal(bits, 0x20);
  assert_int_equal(edu_ack_irq(&c->dev, 0x20), 0);
  assert_false(mmio_model_irq_pending(c->model));
}

static char last_msg[512];
static void record(void *arg, const char *msg) {
  (void)arg;
  snprintf(last_msg, sizeof(last_msg), "%s", msg);
}

static void model_rejects_what_the_device_ignores(void **state) {
  struct ctx *c = *state;
  mmio_fake *regs = mmio_model_fake(c->model);
  uint64_t v64;
  uint8_t v8;
  uint32_t v32;
  mmio_fake_on_failure(regs, record, NULL);
  /* Below 0x80 only 32-bit accesses are defined. */
  assert_int_equal(mmio_try_load64(&c->dev.regs, EDU_REG_ID, &v64), MMIO_ERR_REJECTED);
  assert_non_null(strstr(last_msg, "64-bit load at 0x0 touches register ID"));
  assert_int_equal(mmio_try_load8(&c->dev.regs, EDU_REG_ID, &v8), MMIO_ERR_REJECTED);
  /* Undocumented offsets fail the test rather than read as garbage. */
  assert_int_equal(mmio_try_load32(&c->dev.regs, 0x40, &v32), MMIO_ERR_REJECTED);
  assert_non_null(strstr(last_msg, "no register covers"));
  /* DMA registers take 64-bit accesses; DMA itself is not modelled. */
  assert_int_equal(mmio_try_store64(&c->dev.regs, EDU_REG_DMA_SRC, 0x1000), 0);
  assert_int_equal(mmio_try_store64(&c->dev.regs, EDU_REG_DMA_CMD, 1), -ENOTSUP);
  /* Write-only registers read as all ones. */
  assert_int_equal(mmio_try_load32(&c->dev.regs, EDU_REG_IRQ_ACK, &v32), 0);
  assert_int_equal(v32, 0xffffffffu);
}

static void open_refuses_a_region_that_is_not_edu(void **state) {
  static uint32_t words[64];
  struct edu dev;
  mmio_region r;
  (void)state;
  words[0] = 0x12345678u;
  assert_int_equal(mmio_region_from_memory(&r, words, sizeof(words), NULL, NULL), 0);
  assert_int_equal(edu_open(&dev, &r, NULL, NULL), -ENODEV);
  assert_int_equal(mmio_len(&r), 0); /* consumed */
  assert_int_equal(mmio_len(&dev.regs), 0);
  assert_int_equal(mmio_region_from_memory(&r, words, 16, NULL, NULL), 0);
  assert_int_equal(edu_open(&dev, &r, NULL, NULL), MMIO_ERR_OUT_OF_RANGE);
}

/* The driver session recorded and replayed below. */
static void session(struct edu *dev, uint32_t n) {
  uint32_t out = 0;
  assert_int_equal(edu_check_liveness(dev, 0xa5a5a5a5u), 0);
  assert_int_equal(edu_factorial(dev, n, &out, 1000), 0);
  assert_int_equal(out, n == 5 ? 120u : 720u);
}

static char mock_msg[512];
static void mock_record(void *arg, const char *msg) {
  (void)arg;
  snprintf(mock_msg, sizeof(mock_msg), "%s", msg);
}

/* Record the driver against the fake model, then check a later run of the
 * same driver against the recording, with no model at all. */
static void recorded_session_replays_as_a_strict_mock(void **state) {
  mmio_model *model;
  struct edu dev;
  mmio_region bar0, traced;
  mmio_mock *m;
  FILE *f = tmpfile();
  char first[64] = "";
  (void)state;
  assert_non_null(f);
  assert_int_equal(mmio_model_create(&model, "edu", 2), 0);
  mmio_fake_on_failure(mmio_model_fake(model), fail_in_cmocka, NULL);
  assert_int_equal(mmio_model_region(&bar0, model), 0);
  assert_int_equal(mmio_trace_file(&traced, &bar0, f, 0), 0);
  assert_int_equal(edu_open(&dev, &traced, NULL, NULL), 0);
  session(&dev, 5);
  edu_close(&dev); /* flushes the trace */
  mmio_model_destroy(model);

  rewind(f);
  assert_non_null(fgets(first, sizeof(first), f));
  assert_string_equal(first, "1 load32 0x0 0x010000ed\n"); /* edu_open's ID check */
  rewind(f);
  assert_int_equal(mmio_mock_create(&m, EDU_BAR_SIZE), 0);
  mmio_mock_on_failure(m, fail_in_cmocka, NULL);
  assert_int_equal(mmio_mock_expect_trace(m, f), 0);
  assert_int_equal(mmio_mock_expect_no_more(m), 0);
  assert_int_equal(mmio_mock_region(&bar0, m), 0);
  assert_int_equal(edu_open(&dev, &bar0, NULL, NULL), 0);
  session(&dev, 5);
  edu_close(&dev);
  assert_int_equal(mmio_mock_verify(m), 0);
  mmio_mock_destroy(m);

  /* A run that deviates (another operand) is caught at its first
   * different access. */
  rewind(f);
  assert_int_equal(mmio_mock_create(&m, EDU_BAR_SIZE), 0);
  mmio_mock_on_failure(m, mock_record, NULL);
  assert_int_equal(mmio_mock_expect_trace(m, f), 0);
  assert_int_equal(mmio_mock_region(&bar0, m), 0);
  assert_int_equal(edu_open(&dev, &bar0, NULL, NULL), 0);
  {
    uint32_t out;
    assert_int_equal(edu_check_liveness(&dev, 0xa5a5a5a5u), 0);
    assert_int_equal(edu_factorial(&dev, 6, &out, 1000), MMIO_ERR_REJECTED);
  }
  assert_non_null(strstr(mock_msg, "was a 32-bit store of 0x00000006 at 0x8; expected"));
  assert_non_null(strstr(mock_msg, "a 32-bit store of 0x00000005 at 0x8"));
  edu_close(&dev);
  mmio_mock_destroy(m);
  fclose(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(version_comes_from_the_id_register, setup_poll, teardown),
      cmocka_unit_test_setup_teardown(liveness_reads_back_the_inverse, setup_poll, teardown),
      cmocka_unit_test_setup_teardown(factorial_by_polling_waits_for_computing_to_clear, setup_poll,
                                      teardown),
      cmocka_unit_test_setup_teardown(factorial_by_interrupt_waits_and_acknowledges, setup_irq,
                                      teardown),
      cmocka_unit_test_setup_teardown(interrupt_wait_times_out_when_the_device_is_slow, setup_irq,
                                      teardown),
      cmocka_unit_test_setup_teardown(busy_device_is_reported, setup_poll, teardown),
      cmocka_unit_test_setup_teardown(raised_interrupts_show_in_status_until_acknowledged,
                                      setup_poll, teardown),
      cmocka_unit_test_setup_teardown(model_rejects_what_the_device_ignores, setup_poll, teardown),
      cmocka_unit_test(open_refuses_a_region_that_is_not_edu),
      cmocka_unit_test(recorded_session_replays_as_a_strict_mock),
  };
  return cmocka_run_group_tests_name("edu", tests, NULL, NULL);
}
