/*
 * The device handle and device names, on synthetic sysfs and /dev trees:
 * PCI functions found by vendor:device, UIO devices by name and by PCI
 * address (ambiguity listed), what a device says about itself and its
 * regions, and the UIO interrupt path end to end through a FIFO standing
 * in for /dev/uioN.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmio/mmio.h>

#include "helpers.h"
#include "open_internal.h"

static char root[PATH_MAX];
static char devroot[PATH_MAX + 8];
static struct mmio__env env = {root, devroot};

/* A memory BAR0 of 4 KiB at fe000000 and an I/O BAR1, decoding on. */
static void make_function(const char *bdf, const char *vendor, const char *device, uint8_t fill) {
  char rel[256];
  uint8_t cfg[64] = {0}, bar0[4096];
  memset(bar0, fill, sizeof(bar0));
  cfg[4] = 0x2;
  snprintf(rel, sizeof(rel), "bus/pci/devices/%s/config", bdf);
  test_tree_put(rel, cfg, sizeof(cfg));
  snprintf(rel, sizeof(rel), "bus/pci/devices/%s/resource", bdf);
  test_tree_text(rel, "0x00000000fe000000 0x00000000fe000fff 0x0000000000040200\n"
                      "0x000000000000c000 0x000000000000c01f 0x0000000000040101\n");
  snprintf(rel, sizeof(rel), "bus/pci/devices/%s/resource0", bdf);
  test_tree_put(rel, bar0, sizeof(bar0));
  snprintf(rel, sizeof(rel), "bus/pci/devices/%s/vendor", bdf);
  test_tree_text(rel, vendor);
  snprintf(rel, sizeof(rel), "bus/pci/devices/%s/device", bdf);
  test_tree_text(rel, device);
  snprintf(rel, sizeof(rel), "bus/pci/devices/%s/class", bdf);
  test_tree_text(rel, "0x00ff00\n");
}

/* uioN with one 4 KiB map of physical memory, named name, whose /dev node
 * is a regular file filled with fill. */
static void make_uio(unsigned n, const char *name, uint8_t fill) {
  char rel[128], text[64];
  uint8_t map[4096];
  memset(map, fill, sizeof(map));
  snprintf(rel, sizeof(rel), "class/uio/uio%u/name", n);
  snprintf(text, sizeof(text), "%s\n", name);
  test_tree_text(rel, text);
  snprintf(rel, sizeof(rel), "class/uio/uio%u/maps/map0/addr", n);
  test_tree_text(rel, "0xfe000000\n");
  snprintf(rel, sizeof(rel), "class/uio/uio%u/maps/map0/size", n);
  test_tree_text(rel, "0x1000\n");
  snprintf(rel, sizeof(rel), "class/uio/uio%u/maps/map0/offset", n);
  test_tree_text(rel, "0x0\n");
  snprintf(rel, sizeof(rel), "dev/uio%u", n);
  test_tree_put(rel, map, sizeof(map));
}

static int setup(void **state) {
  (void)state;
  snprintf(root, sizeof(root), "%s", test_tree_make());
  snprintf(devroot, sizeof(devroot), "%s/dev", root);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  test_tree_remove();
  return 0;
}

static uint8_t first_byte(const char *spec) {
  mmio_region r;
  uint8_t v = 0;
  assert_int_equal(mmio__open_at(&env, &r, spec, MMIO_CACHE_DEFAULT, MMIO_MAP_READ_ONLY), 0);
  assert_int_equal(mmio_try_load8(&r, 0, &v), 0);
  mmio_region_release(&r);
  return v;
}

static void pci_functions_are_found_by_vendor_and_device_in_address_order(void **state) {
  char buf[1024];
  mmio_region r;
  (void)state;
  /* Created out of order: the answer must not depend on readdir. */
  make_function("0000:00:05.0", "0x1234\n", "0x11e8\n", 0xb5);
  make_function("0000:00:03.0", "0x1234\n", "0x11e8\n", 0xa3);
  make_function("0000:00:04.0", "0x8086\n", "0x100e\n", 0xc4);
  assert_int_equal(first_byte("pci:1234:11e8/bar0"), 0xa3);
  assert_int_equal(first_byte("pci:1234:11e8#0/bar0"), 0xa3);
  assert_int_equal(first_byte("pci:1234:11E8#1/bar0"), 0xb5);
  assert_int_equal(first_byte("pci:8086:100e/bar0"), 0xc4);
  assert_int_equal(mmio__open_at(&env, &r, "pci:1234:11e8#2/bar0", MMIO_CACHE_DEFAULT, 0), -ENODEV);
  mmio__explain_at(&env, buf, sizeof(buf), "pci:1234:11e8#2/bar0", -ENODEV);
  assert_non_null(strstr(buf, "no #2 among the PCI functions with the ID 1234:11e8"));
  assert_int_equal(mmio__open_at(&env, &r, "pci:abcd:0001/bar0", MMIO_CACHE_DEFAULT, 0), -ENODEV);
  mmio__explain_at(&env, buf, sizeof(buf), "pci:abcd:0001/bar0", -ENODEV);
  assert_non_null(strstr(buf, "No PCI function has the ID abcd:0001"));
  assert_int_equal(mmio_len(&r), 0);
}

static void uio_devices_are_found_by_name_pci_address_or_number(void **state) {
  char buf[1024];
  mmio_region r;
  (void)state;
  make_uio(0, "uio_pci_generic", 0x10);
  make_uio(1, "my_fpga", 0x11);
  make_uio(2, "uio_pci_generic", 0x12);
  make_function("0000:00:03.0", "0x1234\n", "0x11e8\n", 0xa3);
  test_tree_text("bus/pci/devices/0000:00:03.0/uio/uio2/.keep", "");
  assert_int_equal(first_byte("uio:uio1/map0"), 0x11);
  assert_int_equal(first_byte("uio:my_fpga/map0"), 0x11);
  assert_int_equal(first_byte("uio:0000:00:03.0/map0"), 0x12);
  assert_int_equal(first_byte("uio:00:03.0/map0"), 0x12);
  /* Two devices share a name: an error that lists both, unless #N picks. */
  assert_int_equal(mmio__open_at(&env, &r, "uio:uio_pci_generic/map0", MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_AMBIGUOUS);
  mmio__explain_at(&env, buf, sizeof(buf), "uio:uio_pci_generic/map0", MMIO_ERR_AMBIGUOUS);
  assert_non_null(strstr(buf, "Devices named uio_pci_generic: #0: uio:uio0, #1: uio:uio2."));
  assert_int_equal(first_byte("uio:uio_pci_generic#0/map0"), 0x10);
  assert_int_equal(first_byte("uio:uio_pci_generic#1/map0"), 0x12);
  assert_int_equal(mmio__open_at(&env, &r, "uio:uio_pci_generic#2/map0", MMIO_CACHE_DEFAULT, 0),
                   -ENODEV);
  assert_int_equal(mmio__open_at(&env, &r, "uio:nobody/map0", MMIO_CACHE_DEFAULT, 0), -ENODEV);
  mmio__explain_at(&env, buf, sizeof(buf), "uio:nobody/map0", -ENODEV);
  assert_non_null(strstr(buf, "No UIO device is named nobody"));
  assert_int_equal(mmio__open_at(&env, &r, "uio:0000:00:04.0/map0", MMIO_CACHE_DEFAULT, 0),
                   -ENODEV);
  mmio__explain_at(&env, buf, sizeof(buf), "uio:0000:00:04.0/map0", -ENODEV);
  assert_non_null(strstr(buf, "0000:00:04.0 has no UIO device"));
}

static void a_pci_device_describes_itself_and_its_bars(void **state) {
  struct mmio_device_info info;
  struct mmio_region_info ri;
  mmio_device *dev = NULL;
  mmio_region r;
  (void)state;
  make_function("0000:00:03.0", "0x1234\n", "0x11e8\n", 0xa3);
  test_tree_text("bus/pci/drivers/uio_pci_generic/.keep", "");
  test_tree_link("bus/pci/devices/0000:00:03.0/driver", "../../../bus/pci/drivers/uio_pci_generic");
  assert_int_equal(mmio__device_open_at(&env, &dev, "pci:1234:11e8"), 0);
  assert_int_equal(mmio_device_info(&info, dev), 0);
  assert_int_equal(info.source, MMIO_SOURCE_PCI);
  assert_string_equal(info.name, "0000:00:03.0");
  assert_string_equal(info.pci_address, "0000:00:03.0");
  assert_int_equal(info.vendor, 0x1234);
  assert_int_equal(info.device, 0x11e8);
  assert_int_equal(info.class_code, 0x00ff00);
  assert_string_equal(info.driver, "uio_pci_generic");
  assert_int_equal(info.regions, 6);
  assert_int_equal(info.irqs, 0);
  assert_int_equal(mmio_device_region_info(&ri, dev, 0), 0);
  assert_true(ri.size == 4096 && ri.address == 0xfe000000u);
  assert_int_equal(ri.flags & (MMIO_REGION_MEM | MMIO_REGION_IO), MMIO_REGION_MEM);
  assert_int_equal(ri.policy, MMIO_CACHE_UNCACHED_DEVICE);
  assert_int_equal(mmio_device_region_info(&ri, dev, 1), 0);
  assert_int_equal(ri.flags & (MMIO_REGION_MEM | MMIO_REGION_IO), MMIO_REGION_IO);
  assert_int_equal(mmio_device_region_info(&ri, dev, 2), -ENXIO);
  assert_int_equal(mmio_device_map(&r, dev, 0, 0x10, 0x20, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_len(&r), 0x20);
  assert_int_equal(mmio_load8(&r, 0), 0xa3);
  /* The region outlives the device handle. */
  mmio_device_close(dev);
  assert_int_equal(mmio_load8(&r, 0x1f), 0xa3);
  mmio_region_release(&r);
  /* sysfs has no way to deliver interrupts: the route says so. */
  assert_int_equal(mmio__device_open_at(&env, &dev, "pci:0000:00:03.0/bar0"), 0);
  assert_int_equal(mmio_device_irq_enable(dev, MMIO_IRQ_DEFAULT), -ENOTSUP);
  assert_int_equal(mmio_device_irq_wait(dev, 0, NULL), -EINVAL);
  assert_int_equal(mmio_device_irq_fd(dev), -EINVAL);
  assert_int_equal(mmio_device_map(&r, dev, 1, 0, 0, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_IO_BAR);
  mmio_device_close(dev);
}

/* Reads one 32-bit word the device wrote to the FIFO standing in for
 * /dev/uioN (irqcontrol: 1 unmasks, 0 masks). */
static int32_t control_word(int fifo) {
  int32_t v = -1;
  assert_int_equal(read(fifo, &v, sizeof(v)), (ssize_t)sizeof(v));
  return v;
}

/* The kernel's side: a new total interrupt count. */
static void interrupt(int fifo, uint32_t total) {
  assert_int_equal(write(fifo, &total, sizeof(total)), (ssize_t)sizeof(total));
}

static void uio_interrupts_go_through_the_device_handle(void **state) {
  char path[PATH_MAX * 2];
  struct mmio_device_info info;
  mmio_device *dev = NULL;
  uint64_t count = 0;
  struct pollfd p;
  int kernel;
  (void)state;
  make_uio(0, "my_fpga", 0);
  snprintf(path, sizeof(path), "%s/uio0", devroot);
  unlink(path);
  assert_int_equal(mkfifo(path, 0600), 0);
  kernel = open(path, O_RDWR | O_NONBLOCK);
  assert_true(kernel >= 0);

  assert_int_equal(mmio__device_open_at(&env, &dev, "uio:my_fpga"), 0);
  assert_int_equal(mmio_device_info(&info, dev), 0);
  assert_string_equal(info.name, "uio0");
  assert_string_equal(info.uio_name, "my_fpga");
  assert_true(info.irqs & (1u << MMIO_IRQ_DEFAULT));
  assert_int_equal(mmio_device_irq_wait(dev, 0, &count), -EINVAL); /* not enabled yet */
  assert_int_equal(mmio_device_irq_enable(dev, MMIO_IRQ_MSI), -ENOTSUP);
  assert_int_equal(mmio_device_irq_enable(dev, MMIO_IRQ_DEFAULT), 0);
  assert_int_equal(control_word(kernel), 1);
  assert_int_equal(mmio_device_irq_wait(dev, 0, &count), 0);
  assert_int_equal(mmio_device_irq_wait(dev, 20, &count), 0);

  /* The fd polls readable once an interrupt is pending. */
  p.fd = mmio_device_irq_fd(dev);
  p.events = POLLIN;
  assert_true(p.fd >= 0);
  assert_int_equal(poll(&p, 1, 0), 0);
  interrupt(kernel, 5);
  assert_int_equal(poll(&p, 1, 0), 1);
  assert_int_equal(mmio_device_irq_wait(dev, 1000, &count), 1);
  assert_int_equal(count, 5); /* the kernel's total since counting began */
  assert_int_equal(mmio_device_irq_ack(dev), 0);
  assert_int_equal(control_word(kernel), 1);
  interrupt(kernel, 7);
  assert_int_equal(mmio_device_irq_wait(dev, 1000, &count), 1);
  assert_int_equal(count, 2); /* what is new since the previous wait */
  mmio_device_irq_disable(dev);
  assert_int_equal(control_word(kernel), 0);
  assert_int_equal(mmio_device_irq_wait(dev, 0, &count), -EINVAL);
  mmio_device_close(dev);
  close(kernel);
}

static void memory_objects_are_devices_with_one_region(void **state) {
  char name[64], spec[96], path[PATH_MAX * 2];
  struct mmio_device_info info;
  struct mmio_region_info ri;
  mmio_device *dev = NULL;
  mmio_region r;
  uint8_t mem[8192];
  (void)state;
  /* phys: offsets are physical addresses in /dev/mem (here a file). */
  memset(mem, 0x5a, sizeof(mem));
  mem[0x1234] = 0x77;
  test_tree_put("dev/mem", mem, sizeof(mem));
  assert_int_equal(mmio__device_open_at(&env, &dev, "phys:0x1000+0x100"), 0);
  assert_int_equal(mmio_device_info(&info, dev), 0);
  assert_int_equal(info.source, MMIO_SOURCE_PHYS);
  assert_int_equal(info.regions, 1);
  assert_int_equal(mmio_device_irq_enable(dev, MMIO_IRQ_DEFAULT), -ENOTSUP);
  assert_int_equal(mmio_device_map(&r, dev, 0, 0x1230, 8, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_load8(&r, 4), 0x77);
  mmio_region_release(&r);
  assert_int_equal(mmio_device_map(&r, dev, 1, 0, 8, MMIO_CACHE_DEFAULT, 0), -ENXIO);
  mmio_device_close(dev);
  assert_int_equal(mmio__open_at(&env, &r, "phys:0x1234+4", MMIO_CACHE_UNCACHED_DEVICE, 0), 0);
  assert_int_equal(mmio_load8(&r, 0), 0x77);
  mmio_region_release(&r);

  /* shm: the object is created when mapped, not when opened. */
  snprintf(name, sizeof(name), "mmio-device-%d", (int)getpid());
  snprintf(path, sizeof(path), "/dev/shm/%s", name);
  shm_unlink(name);
  snprintf(spec, sizeof(spec), "shm:%s+8k", name);
  assert_int_equal(mmio_device_open(&dev, spec), 0);
  assert_int_equal(access(path, F_OK), -1);
  assert_int_equal(mmio_device_map(&r, dev, 0, 0x1000, 0x100, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_device_region_info(&ri, dev, 0), 0);
  assert_true(ri.size == 8192 && ri.policy == MMIO_CACHE_CACHED);
  mmio_region_release(&r);
  mmio_device_close(dev);
  assert_int_equal(shm_unlink(name), 0);

  /* file: one region, the file. */
  assert_int_equal(mmio_device_open(&dev, "file:/dev/zero"), 0);
  assert_int_equal(mmio_device_map(&r, dev, 0, 0, 16, MMIO_CACHE_DEFAULT, MMIO_MAP_READ_ONLY), 0);
  assert_int_equal(mmio_load32(&r, 12), 0);
  mmio_region_release(&r);
  mmio_device_close(dev);
}

static void a_device_spec_needs_no_region_but_a_region_spec_does(void **state) {
  char buf[1024];
  mmio_device *dev = NULL;
  mmio_region r;
  (void)state;
  make_function("0000:00:03.0", "0x1234\n", "0x11e8\n", 0xa3);
  assert_int_equal(mmio__device_open_at(&env, &dev, "pci:0000:00:03.0"), 0);
  mmio_device_close(dev);
  assert_int_equal(mmio__open_at(&env, &r, "pci:0000:00:03.0", MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_BAD_SPEC);
  mmio__explain_at(&env, buf, sizeof(buf), "pci:0000:00:03.0", MMIO_ERR_BAD_SPEC);
  assert_non_null(strstr(buf, "add /barN"));
  /* The region part is still checked when given. */
  assert_int_equal(mmio__device_open_at(&env, &dev, "pci:0000:00:03.0/bar7"), MMIO_ERR_BAD_SPEC);
  assert_null(dev);
  assert_int_equal(mmio__device_open_at(&env, &dev, "pci:0000:00:09.0"), -ENODEV);
  assert_null(dev);
}

/* Rewrites config space: 256 bytes, command register cmd; with a power
 * management capability at 0x40 in D-state d when d >= 0. */
static void put_config(uint16_t cmd, int d, int all_ones) {
  uint8_t cfg[256] = {0};
  cfg[4] = (uint8_t)cmd;
  if (d >= 0) {
    cfg[6] = 0x10;    /* status: capability list present */
    cfg[0x34] = 0x40; /* first capability */
    cfg[0x40] = 0x01; /* power management, last in the list */
    cfg[0x44] = (uint8_t)d;
  }
  if (all_ones) memset(cfg, 0xff, sizeof(cfg));
  test_tree_put("bus/pci/devices/0000:00:03.0/config", cfg, sizeof(cfg));
}

static void a_device_says_why_its_memory_reads_as_all_ones(void **state) {
  char buf[512], small[8], path[PATH_MAX + 64];
  mmio_device *dev = NULL;
  int n;
  (void)state;
  make_function("0000:00:03.0", "0x1234\n", "0x11e8\n", 0xff);
  assert_int_equal(mmio__device_open_at(&env, &dev, "pci:0000:00:03.0"), 0);
  /* Decoding on, in D0: nothing to say. */
  put_config(0x2, 0, 0);
  assert_int_equal(mmio_device_diagnose(buf, sizeof(buf), dev), 0);
  assert_string_equal(buf, "");
  put_config(0x0, -1, 0);
  n = mmio_device_diagnose(buf, sizeof(buf), dev);
  assert_true(n > 0);
  assert_int_equal((size_t)n, strlen(buf));
  assert_non_null(strstr(buf, "memory decoding off"));
  assert_non_null(strstr(buf, "/sys/bus/pci/devices/0000:00:03.0/enable"));
  assert_null(strstr(buf, "power state"));
  /* Both at once are both said; a short buffer gets the start and the
   * length of the whole, like snprintf. */
  put_config(0x0, 3, 0);
  n = mmio_device_diagnose(buf, sizeof(buf), dev);
  assert_non_null(strstr(buf, "memory decoding off"));
  assert_non_null(strstr(buf, "power state D3"));
  assert_int_equal(mmio_device_diagnose(small, sizeof(small), dev), n);
  assert_int_equal(strlen(small), sizeof(small) - 1);
  assert_int_equal(mmio_device_diagnose(NULL, 0, dev), n);
  put_config(0x2, 3, 0);
  mmio_device_diagnose(buf, sizeof(buf), dev);
  assert_null(strstr(buf, "decoding"));
  assert_non_null(strstr(buf, "power state D3"));
  put_config(0x2, 0, 1);
  mmio_device_diagnose(buf, sizeof(buf), dev);
  assert_non_null(strstr(buf, "all ones: the device is gone"));
  snprintf(path, sizeof(path), "%s/bus/pci/devices/0000:00:03.0/config", root);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(mmio_device_diagnose(buf, sizeof(buf), dev), -ENOENT);
  assert_int_equal(mmio_device_diagnose(buf, sizeof(buf), NULL), -EINVAL);
  assert_int_equal(mmio_device_diagnose(NULL, 4, dev), -EINVAL);
  mmio_device_close(dev);
  /* A memory object is no PCI function: nothing to say. */
  assert_int_equal(mmio_device_open(&dev, "file:/dev/zero"), 0);
  assert_int_equal(mmio_device_diagnose(buf, sizeof(buf), dev), 0);
  mmio_device_close(dev);
}

static void an_address_is_diagnosed_through_the_bar_that_holds_it(void **state) {
  char buf[512];
  (void)state;
  make_function("0000:00:03.0", "0x1234\n", "0x11e8\n", 0xff);
  put_config(0x2, 0, 0);
  assert_int_equal(mmio__diagnose_address_at(&env, buf, sizeof(buf), 0xfe000010), 0);
  assert_string_equal(buf, "");
  put_config(0x0, -1, 0);
  assert_true(mmio__diagnose_address_at(&env, buf, sizeof(buf), 0xfe000ffc) > 0);
  assert_non_null(strstr(buf, "0xfe000ffc is in BAR 0 of 0000:00:03.0. "));
  assert_non_null(strstr(buf, "memory decoding off"));
  /* Outside every BAR, and in the I/O BAR's numbers: not ours to say. */
  assert_int_equal(mmio__diagnose_address_at(&env, buf, sizeof(buf), 0xfe001000), 0);
  assert_int_equal(mmio__diagnose_address_at(&env, buf, sizeof(buf), 0xc000), 0);
  assert_int_equal(mmio__diagnose_address_at(&env, NULL, 4, 0xfe000000), -EINVAL);
}

struct seen {
  char list[1024];
};

static int collect(void *arg, const char *spec) {
  struct seen *s = arg;
  size_t n = strlen(s->list);
  snprintf(s->list + n, sizeof(s->list) - n, "%s ", spec);
  return strcmp(spec, "uio:uio10") == 0 ? 42 : 0;
}

static void every_device_is_listed_in_a_stable_order(void **state) {
  struct seen s = {""};
  (void)state;
  make_function("0000:00:05.0", "0x1234\n", "0x11e8\n", 0);
  make_function("0000:00:03.0", "0x1234\n", "0x11e8\n", 0);
  make_function("0001:00:00.0", "0x8086\n", "0x100e\n", 0);
  test_tree_text("bus/pci/drivers/vfio-pci/.keep", "");
  test_tree_link("bus/pci/devices/0000:00:05.0/driver", "../../../bus/pci/drivers/vfio-pci");
  make_uio(10, "b", 0);
  make_uio(2, "a", 0);
  assert_int_equal(mmio__device_each_at(&env, collect, &s), 42);
  assert_string_equal(s.list, "pci:0000:00:03.0 pci:0000:00:05.0 vfio:0000:00:05.0 "
                              "pci:0001:00:00.0 uio:uio2 uio:uio10 ");
  assert_int_equal(mmio__device_each_at(&env, NULL, &s), -EINVAL);
}

static void null_arguments_are_refused_the_same_way(void **state) {
  struct mmio_device_info info;
  struct mmio_region_info ri;
  mmio_device *dev = NULL;
  mmio_region r;
  (void)state;
  assert_int_equal(mmio_device_open(NULL, "file:/dev/zero"), -EINVAL);
  assert_int_equal(mmio_device_open(&dev, NULL), -EINVAL);
  assert_int_equal(mmio_device_info(NULL, dev), -EINVAL);
  assert_int_equal(mmio_device_info(&info, NULL), -EINVAL);
  assert_int_equal(mmio_device_region_info(&ri, NULL, 0), -EINVAL);
  assert_int_equal(mmio_device_map(&r, NULL, 0, 0, 0, MMIO_CACHE_DEFAULT, 0), -EINVAL);
  assert_int_equal(mmio_len(&r), 0);
  assert_int_equal(mmio_device_map(NULL, dev, 0, 0, 0, MMIO_CACHE_DEFAULT, 0), -EINVAL);
  assert_int_equal(mmio_device_irq_enable(NULL, MMIO_IRQ_DEFAULT), -EINVAL);
  assert_int_equal(mmio_device_irq_wait(NULL, 0, NULL), -EINVAL);
  assert_int_equal(mmio_device_irq_ack(NULL), -EINVAL);
  assert_int_equal(mmio_device_irq_fd(NULL), -EINVAL);
  mmio_device_irq_disable(NULL);
  mmio_device_close(NULL);
  assert_int_equal(mmio_open(NULL, "file:/dev/zero+4", MMIO_CACHE_DEFAULT, 0), -EINVAL);
  assert_int_equal(mmio_uio_irq_enable(NULL), -EINVAL);
  assert_int_equal(mmio_uio_irq_wait(NULL, 0, NULL), -EINVAL);
  assert_int_equal(mmio_uio_irq_fd(NULL), -EINVAL);
  mmio_uio_irq_close(NULL);
  assert_int_equal(mmio_vfio_map(&r, NULL, 0, 0, 0, MMIO_CACHE_DEFAULT, 0), -EINVAL);
  assert_int_equal(mmio_vfio_irq_enable(NULL, MMIO_VFIO_IRQ_INTX), -EINVAL);
  assert_int_equal(mmio_vfio_irq_wait(NULL, 0), -EINVAL);
  assert_int_equal(mmio_vfio_irq_unmask(NULL), -EINVAL);
  mmio_vfio_irq_disable(NULL);
  mmio_vfio_close(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(pci_functions_are_found_by_vendor_and_device_in_address_order,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(uio_devices_are_found_by_name_pci_address_or_number, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_pci_device_describes_itself_and_its_bars, setup, teardown),
      cmocka_unit_test_setup_teardown(uio_interrupts_go_through_the_device_handle, setup, teardown),
      cmocka_unit_test_setup_teardown(memory_objects_are_devices_with_one_region, setup, teardown),
      cmocka_unit_test_setup_teardown(a_device_spec_needs_no_region_but_a_region_spec_does, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(every_device_is_listed_in_a_stable_order, setup, teardown),
      cmocka_unit_test_setup_teardown(a_device_says_why_its_memory_reads_as_all_ones, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(an_address_is_diagnosed_through_the_bar_that_holds_it, setup,
                                      teardown),
      cmocka_unit_test(null_arguments_are_refused_the_same_way),
  };
  return cmocka_run_group_tests_name("device", tests, NULL, NULL);
}
