/*
 * Fault injection around the device API (mmio/device.h) over the
 * synthetic tree (tree.h): opening each source, describing and mapping
 * regions, interrupts through UIO and VFIO, the diagnosis, the listing.
 * Every failure returns an error and leaves nothing behind; only a
 * device's identity, and an interrupt kind VFIO could not describe, may be
 * missing from a success.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmio/mmio.h>

#include "faults.h"
#include "helpers.h"
#include "tree.h"

static struct mmio__env env;
static mmio_device *dev;
static mmio_region r;
static char shm_spec[64], shm_file[64];

/* What only describes a device (mmio_device_info), and the VFIO interrupt
 * kinds it lists: their failure leaves fields empty, nothing else. */
static const char *const identity[] = {
    "/vendor", "/device", "/subsystem_vendor", "/subsystem_device", "/class", "/driver",
    "uio0/name", "uio0/device", "VFIO_DEVICE_GET_IRQ_INFO",
    /* VFIO tries IOMMU type 1 v2, then type 1: one refusal leaves the other. */
    "VFIO_CHECK_EXTENSION", "VFIO_SET_IOMMU", NULL};

static int setup(void **state) {
  (void)state;
  fault_tree_make(&env);
  snprintf(shm_spec, sizeof(shm_spec), "shm:mmio-faults-%d-dev+8k", (int)getpid());
  snprintf(shm_file, sizeof(shm_file), "/dev/shm/mmio-faults-%d-dev", (int)getpid());
  return 0;
}

static int teardown(void **state) {
  char path[64];
  (void)state;
  snprintf(path, sizeof(path), "/mmio-faults-%d-dev", (int)getpid());
  shm_unlink(path);
  fault_tree_remove();
  return 0;
}

/* ---- opening ---- */

static int open_dev(void *ctx) {
  int err = mmio__device_open_at(&env, &dev, ctx);
  if (err != 0) assert_null(dev);
  return err;
}

static void close_dev(void *ctx) {
  (void)ctx;
  mmio_device_close(dev);
  dev = NULL;
}

static void every_source_opens_or_fails_cleanly(void **state) {
  static const char *const specs[] = {"pci:0000:00:02.0", "pci:1234:11e8#0", "uio:uio0",
                                      "uio:edu-uio",      "vfio:00:02.0",    "phys:0x0+0x1000",
                                      "file:/dev/zero"};
  char entry[64];
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
    const struct fault_case c = {.entry = entry,
                                 .act = open_dev,
                                 .undo = close_dev,
                                 .ctx = (void *)(uintptr_t)specs[i],
                                 .absorbed = identity};
    snprintf(entry, sizeof(entry), "mmio_device_open(%.*s)", (int)strcspn(specs[i], ":") + 1,
             specs[i]);
    /* phys: and file: make no call that can fail until they map. */
    if (i >= 5) {
      assert_int_equal(open_dev((void *)(uintptr_t)specs[i]), 0);
      close_dev(NULL);
      continue;
    }
    assert_true(fault_sweep(&c) > 0);
  }
}

/* ---- regions of an open device ---- */

struct map_case {
  const char *spec;
  unsigned index;
  uint64_t offset;
  size_t size;
};

static int map_region(void *ctx) {
  const struct map_case *m = ctx;
  struct mmio_region_info info;
  int err = mmio_device_region_info(&info, dev, m->index);
  if (err == 0) err = mmio_device_map(&r, dev, m->index, m->offset, m->size, MMIO_CACHE_DEFAULT, 0);
  if (err != 0) assert_true(fault_region_empty(&r));
  return err;
}

static void unmap_region(void *ctx) {
  const struct map_case *m = ctx;
  char path[64];
  mmio_region_release(&r);
  /* A shm: device's map created the object: it goes too. */
  if (strncmp(m->spec, "shm:", 4) == 0) {
    snprintf(path, sizeof(path), "/%.*s", (int)strcspn(m->spec + 4, "+"), m->spec + 4);
    shm_unlink(path);
  }
}

static void regions_are_described_and_mapped_or_fail_cleanly(void **state) {
  const struct map_case cases[] = {
      {"pci:0000:00:02.0", 0, 0x10, 0x100},
      {"vfio:0000:00:02.0", 0, 0, 0}, /* mmapped */
      {"vfio:0000:00:02.0", 2, 8, 8}, /* pread and pwrite */
      {"uio:uio0", 0, 0, 0x10},
      {"phys:0x0+0x1000", 0, 0x1000, 0x100},
      {shm_spec, 0, 0, 0},
  };
  /* A shm object not made yet is described by the size it will have. */
  const char *const shm_size[] = {shm_file, NULL};
  char entry[96];
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const struct fault_case c = {.entry = entry,
                                 .act = map_region,
                                 .undo = unmap_region,
                                 .ctx = (void *)(uintptr_t)&cases[i],
                                 .absorbed = cases[i].spec == shm_spec ? shm_size : identity};
    snprintf(entry, sizeof(entry), "mmio_device_map(%.*s, %u)",
             (int)strcspn(cases[i].spec, ":") + 1, cases[i].spec, cases[i].index);
    assert_int_equal(mmio__device_open_at(&env, &dev, cases[i].spec), 0);
    assert_true(fault_sweep(&c) > 0);
    close_dev(NULL);
  }
}

/* ---- interrupts ---- */

static int irq_enable(void *ctx) { return mmio_device_irq_enable(dev, *(enum mmio_irq *)ctx); }

static void irq_disable(void *ctx) {
  (void)ctx;
  mmio_device_irq_disable(dev);
}

static void irq_prepare(void *ctx) { assert_int_equal(irq_enable(ctx), 0); }

/* A wait that finds the interrupt (the emulation signals VFIO's eventfd
 * when it is set; UIO's count reads from the file at once), then its
 * acknowledgement. */
static int irq_wait_ack(void *ctx) {
  uint64_t count = 0;
  int got = mmio_device_irq_wait(dev, 0, &count);
  (void)ctx;
  if (got < 0) return got;
  if (got == 0) return -ETIMEDOUT;
  return mmio_device_irq_ack(dev);
}

static void interrupts_are_enabled_awaited_and_acknowledged_or_fail_cleanly(void **state) {
  static const struct {
    const char *spec;
    enum mmio_irq kind;
  } cases[] = {{"uio:uio0", MMIO_IRQ_DEFAULT},
               {"vfio:0000:00:02.0", MMIO_IRQ_INTX},
               {"vfio:0000:00:02.0", MMIO_IRQ_MSI}};
  char entry[2][96];
  size_t i;
  (void)state;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    enum mmio_irq kind = cases[i].kind;
    const struct fault_case enable = {
        .entry = entry[0], .act = irq_enable, .undo = irq_disable, .ctx = &kind};
    const struct fault_case wait = {
        .entry = entry[1], .prepare = irq_prepare, .act = irq_wait_ack, .ctx = &kind};
    snprintf(entry[0], sizeof(entry[0]), "mmio_device_irq_enable(%s, %d)", cases[i].spec,
             (int)kind);
    snprintf(entry[1], sizeof(entry[1]), "mmio_device_irq_wait+ack(%s, %d)", cases[i].spec,
             (int)kind);
    assert_int_equal(mmio__device_open_at(&env, &dev, cases[i].spec), 0);
    assert_true(fault_sweep(&enable) > 0);
    assert_true(fault_sweep(&wait) > 0);
    mmio_device_irq_disable(dev);
    close_dev(NULL);
  }
}

/* ---- what a device is, and which there are ---- */

static int diagnose(void *ctx) {
  char buf[512];
  int n;
  (void)ctx;
  n = ctx != NULL ? mmio__diagnose_address_at(&env, buf, sizeof(buf), 0xfe000010)
                  : mmio_device_diagnose(buf, sizeof(buf), dev);
  return n < 0 ? n : 0;
}

static int count_spec(void *arg, const char *spec) {
  (void)spec;
  ++*(int *)arg;
  return 0;
}

static int list(void *ctx) {
  int n = 0;
  (void)ctx;
  return mmio__device_each_at(&env, count_spec, &n);
}

static void diagnosis_and_listing_fail_cleanly(void **state) {
  /* A function or BAR it cannot read holds no address it can name: the
   * diagnosis then has nothing to say (mmio_diagnose_address). */
  static const char *const nothing_to_say[] = {"/bus/pci/devices", "/resource", NULL};
  const struct fault_case dev_case = {.entry = "mmio_device_diagnose", .act = diagnose};
  const struct fault_case addr_case = {
      .entry = "mmio_diagnose_address", .act = diagnose, .ctx = &env, .absorbed = nothing_to_say};
  /* A device whose driver cannot be read is listed as pci: only. */
  static const char *const driver[] = {"/driver", NULL};
  const struct fault_case list_case = {
      .entry = "mmio_device_each", .act = list, .absorbed = driver};
  uint8_t cfg[64];
  (void)state;
  assert_int_equal(mmio__device_open_at(&env, &dev, "pci:0000:00:02.0"), 0);
  assert_true(fault_sweep(&dev_case) > 0);
  close_dev(NULL);
  /* Memory decoding off, so that the address's diagnosis has something
   * to say and reads config space to say it. */
  memset(cfg, 0, sizeof(cfg));
  test_tree_put("bus/pci/devices/0000:00:02.0/config", cfg, sizeof(cfg));
  assert_true(fault_sweep(&addr_case) > 0);
  assert_true(fault_sweep(&list_case) > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_source_opens_or_fails_cleanly),
      cmocka_unit_test(regions_are_described_and_mapped_or_fail_cleanly),
      cmocka_unit_test(interrupts_are_enabled_awaited_and_acknowledged_or_fail_cleanly),
      cmocka_unit_test(diagnosis_and_listing_fail_cleanly),
  };
  return cmocka_run_group_tests_name("faults_device", tests, setup, teardown);
}
