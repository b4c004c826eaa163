/*
 * Fault injection around mmio_open for the device sources, over a
 * synthetic sysfs and /dev (tree.h) with VFIO's ioctls emulated: pci: by
 * address and by ID, uio: by number, name and PCI address, vfio: mapped
 * and read through pread/pwrite, phys:. Every failure returns an error,
 * leaves the region empty and leaves nothing open or mapped; only reads
 * of a device's identity, which mmio_open does not need, may fail
 * without failing it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include <mmio/mmio.h>

#include "faults.h"
#include "tree.h"

static struct mmio__env env;
static mmio_region r;

/* What a device's identity is read from, for mmio_device_info: its
 * absence costs an open nothing (the fields stay empty). */
static const char *const identity[] = {
    "/vendor", "/device", "/subsystem_vendor", "/subsystem_device", "/class", "/driver",
    "uio0/name", "VFIO_DEVICE_GET_IRQ_INFO",
    /* VFIO tries IOMMU type 1 v2, then type 1: one refusal leaves the other. */
    "VFIO_CHECK_EXTENSION", "VFIO_SET_IOMMU", NULL};

static int setup(void **state) {
  (void)state;
  fault_tree_make(&env);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  fault_tree_remove();
  return 0;
}

struct open_case {
  const char *spec;
  unsigned flags;
};

static int open_spec(void *ctx) {
  const struct open_case *o = ctx;
  int err = mmio__open_at(&env, &r, o->spec, MMIO_CACHE_DEFAULT, o->flags);
  if (err != 0) assert_true(fault_region_empty(&r));
  return err;
}

static void release_r(void *ctx) {
  (void)ctx;
  mmio_region_release(&r);
}

/* Failures whose error is the call's own: the caller hears what failed. */
static const struct fault_expect own_errors[] = {
    {"/iommu_group", -EIO}, /* not "no IOMMU": the link is there */
    {"VFIO_GROUP_GET_STATUS", -EIO},
    {"VFIO_GROUP_GET_DEVICE_FD", -EIO},
    {"VFIO_DEVICE_GET_REGION_INFO", -EIO},
    {"/dev/vfio/vfio", -EMFILE},
    {NULL, 0}};

static void sweep(const char *entry, const char *spec, unsigned flags) {
  struct open_case o = {spec, flags};
  const struct fault_case c = {.entry = entry,
                               .act = open_spec,
                               .undo = release_r,
                               .ctx = &o,
                               .absorbed = identity,
                               .expect = own_errors};
  assert_true(fault_sweep(&c) > 0);
}

static void pci_opens_leave_nothing_behind_when_a_call_fails(void **state) {
  (void)state;
  sweep("mmio_open(pci:ADDRESS)", "pci:0000:00:02.0/bar0@0x10+0x100", 0);
  sweep("mmio_open(pci:ID)", "pci:1234:11e8/bar2", 0);
}

static void uio_opens_leave_nothing_behind_when_a_call_fails(void **state) {
  (void)state;
  sweep("mmio_open(uio:uioN)", "uio:uio0/map0", 0);
  sweep("mmio_open(uio:NAME)", "uio:edu-uio/map0+0x100", 0);
  sweep("mmio_open(uio:ADDRESS)", "uio:00:02.0/map0", 0);
}

static void vfio_opens_leave_nothing_behind_when_a_call_fails(void **state) {
  (void)state;
  sweep("mmio_open(vfio:, mmap)", "vfio:0000:00:02.0/bar0", 0);
  sweep("mmio_open(vfio:, pread)", "vfio:0000:00:02.0/bar2@0x8+0x10", 0);
  sweep("mmio_open(vfio:, no mmap)", "vfio:0000:00:02.0/bar0", MMIO_VFIO_NO_MMAP);
}

static void phys_opens_leave_nothing_behind_when_a_call_fails(void **state) {
  (void)state;
  sweep("mmio_open(phys:)", "phys:0x1000+0x100", 0);
}

/* Through the region, the pread/pwrite route's own calls: a failed
 * transfer is the access's error, and changes nothing else. */
static int vfio_access(void *ctx) {
  uint32_t v = 0;
  int err;
  (void)ctx;
  err = mmio_try_load32(&r, 4, &v);
  if (err == 0) err = mmio_try_store32(&r, 4, v + 1);
  return err;
}

static void vfio_pread_accesses_report_failed_transfers(void **state) {
  const struct fault_case c = {.entry = "access through vfio: (pread)", .act = vfio_access};
  (void)state;
  assert_int_equal(mmio__open_at(&env, &r, "vfio:0000:00:02.0/bar2", MMIO_CACHE_DEFAULT, 0), 0);
  assert_true(fault_sweep(&c) > 0);
  mmio_region_release(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(pci_opens_leave_nothing_behind_when_a_call_fails),
      cmocka_unit_test(uio_opens_leave_nothing_behind_when_a_call_fails),
      cmocka_unit_test(vfio_opens_leave_nothing_behind_when_a_call_fails),
      cmocka_unit_test(phys_opens_leave_nothing_behind_when_a_call_fails),
      cmocka_unit_test(vfio_pread_accesses_report_failed_transfers),
  };
  return cmocka_run_group_tests_name("faults_sources", tests, setup, teardown);
}
