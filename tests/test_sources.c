/*
 * The Linux sources off real hardware: shm and files for real, and the PCI,
 * UIO and VFIO logic against sysfs trees built in a temporary directory
 * (the virtual-machine tests run them against real devices).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
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
/* The synthetic sysfs and /dev trees of each test. */
static struct mmio__env env = {root, devroot};

#define DEV "bus/pci/devices/0000:00:02.0"

/* A device with BAR0 (memory, 8 KiB), BAR1 (I/O), BAR2 (256-byte memory),
 * memory decoding as given. */
static void make_pci(int decoding) {
  char cfg[64];
  static uint8_t bar0[8192], bar2[256];
  size_t i;
  memset(cfg, 0, sizeof(cfg));
  cfg[4] = decoding ? 0x2 : 0x0;
  test_tree_put(DEV "/config", cfg, sizeof(cfg));
  test_tree_text(DEV "/resource", "0x00000000fe000000 0x00000000fe001fff 0x0000000000040200\n"
                                  "0x000000000000c000 0x000000000000c01f 0x0000000000040101\n"
                                  "0x00000000fe002000 0x00000000fe0020ff 0x0000000000040200\n"
                                  "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
                                  "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
                                  "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
  for (i = 0; i < sizeof(bar0); i++)
    bar0[i] = (uint8_t)(i * 3);
  for (i = 0; i < sizeof(bar2); i++)
    bar2[i] = (uint8_t)(0xff - i);
  test_tree_put(DEV "/resource0", bar0, sizeof(bar0));
  test_tree_put(DEV "/resource2", bar2, sizeof(bar2));
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

static void pci_bar_maps_the_window_of_the_resource_file(void **state) {
  mmio_region r;
  (void)state;
  make_pci(1);
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 0, 0x100, 0x40, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_len(&r), 0x40);
  assert_int_equal(mmio_load8(&r, 0), (uint8_t)(0x100 * 3));
  mmio_region_release(&r);
  /* Size 0 is "to the end of the BAR"; a 256-byte BAR maps as 256 bytes. */
  assert_int_equal(
      mmio__pci_map_at(&env, &r, "0000:00:02.0", 2, 0, 0, MMIO_CACHE_UNCACHED_DEVICE, 0), 0);
  assert_int_equal(mmio_len(&r), 256);
  assert_int_equal(mmio_load8(&r, 255), 0);
  assert_int_equal(mmio_try_store8(&r, 256, 0), MMIO_ERR_OUT_OF_RANGE);
  mmio_region_release(&r);
  /* Read-only is honoured. */
  assert_int_equal(
      mmio__pci_map_at(&env, &r, "00:02.0", 0, 0, 16, MMIO_CACHE_DEFAULT, MMIO_MAP_READ_ONLY), 0);
  assert_int_equal(mmio_try_store32(&r, 0, 1), MMIO_ERR_READ_ONLY);
  mmio_region_release(&r);
}

static void pci_refusals_come_before_any_mapping(void **state) {
  mmio_region r;
  int maps;
  (void)state;
  make_pci(1);
  maps = test_count_all_mappings();
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 1, 0, 0, MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_IO_BAR);
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 3, 0, 0, MMIO_CACHE_DEFAULT, 0), -ENXIO);
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:03.0", 0, 0, 0, MMIO_CACHE_DEFAULT, 0), -ENODEV);
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 0, 0x2000, 0, MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 0, 0x1000, 0x1001, MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 0, 0, 0, MMIO_CACHE_WRITE_COMBINING, 0),
                   MMIO_ERR_CACHE_POLICY);
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 0, 0, 0, MMIO_CACHE_CACHED, 0),
                   MMIO_ERR_CACHE_POLICY);
  assert_int_equal(mmio__pci_map_at(&env, &r, "zz", 0, 0, 0, MMIO_CACHE_DEFAULT, 0), -EINVAL);
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 6, 0, 0, MMIO_CACHE_DEFAULT, 0), -EINVAL);
  make_pci(0);
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 0, 0, 0, MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_DECODING_OFF);
  assert_int_equal(test_count_all_mappings(), maps);
  assert_int_equal(mmio_len(&r), 0);
}

static void pci_write_combining_uses_the_wc_file(void **state) {
  mmio_region r;
  uint8_t wc[4096];
  (void)state;
  make_pci(1);
  memset(wc, 0x77, sizeof(wc));
  test_tree_put(DEV "/resource0_wc", wc, sizeof(wc));
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 0, 0, 16, MMIO_CACHE_WRITE_COMBINING, 0),
                   0);
  assert_int_equal(mmio_load8(&r, 0), 0x77);
  mmio_region_release(&r);
}

static void uio_region_starts_at_the_register_block_not_the_page(void **state) {
  const size_t ps = (size_t)sysconf(_SC_PAGESIZE);
  uint8_t *dev = calloc(1, 2 * ps);
  mmio_region r;
  (void)state;
  assert_non_null(dev);
  /* map1's registers start 0x180 bytes into the second page of /dev/uio0. */
  dev[ps + 0x180] = 0xab;
  dev[ps + 0x180 + 0x7f] = 0xcd;
  test_tree_put("dev/uio0", dev, 2 * ps);
  test_tree_text("class/uio/uio0/maps/map0/addr", "0xfe000000\n");
  test_tree_text("class/uio/uio0/maps/map0/size", "0x1000\n");
  test_tree_text("class/uio/uio0/maps/map0/offset", "0x0\n");
  test_tree_text("class/uio/uio0/maps/map1/addr", "0xfe100180\n");
  test_tree_text("class/uio/uio0/maps/map1/size", "0x80\n");
  test_tree_text("class/uio/uio0/maps/map1/offset", "0x180\n");
  assert_int_equal(mmio__uio_map_at(&env, &r, "uio0", 1, 0, 0, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_len(&r), 0x80);
  assert_int_equal(mmio_load8(&r, 0), 0xab);
  assert_int_equal(mmio_load8(&r, 0x7f), 0xcd);
  assert_int_equal(mmio_try_load8(&r, 0x80, &dev[0]), MMIO_ERR_OUT_OF_RANGE);
  mmio_region_release(&r);
  /* A window inside the map. */
  assert_int_equal(mmio__uio_map_at(&env, &r, "uio0", 1, 0x7f, 1, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_load8(&r, 0), 0xcd);
  mmio_region_release(&r);
  assert_int_equal(mmio__uio_map_at(&env, &r, "uio0", 1, 0x40, 0x41, MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio__uio_map_at(&env, &r, "uio0", 2, 0, 0, MMIO_CACHE_DEFAULT, 0), -ENOENT);
  assert_int_equal(mmio__uio_map_at(&env, &r, "uio1", 0, 0, 0, MMIO_CACHE_DEFAULT, 0), -ENODEV);
  /* A map of physical memory is device memory: cached is refused. */
  assert_int_equal(mmio__uio_map_at(&env, &r, "uio0", 0, 0, 0, MMIO_CACHE_CACHED, 0),
                   MMIO_ERR_CACHE_POLICY);
  assert_int_equal(mmio__uio_map_at(&env, &r, "uio0", 0, 0, 0, MMIO_CACHE_UNCACHED_DEVICE, 0), 0);
  mmio_region_release(&r);
  free(dev);
}

static void vfio_open_says_what_is_missing(void **state) {
  mmio_vfio *v = (mmio_vfio *)1;
  (void)state;
  make_pci(1);
  assert_int_equal(mmio__vfio_open_at(&env, &v, "00:02.0"), MMIO_ERR_NO_IOMMU);
  assert_null(v);
  test_tree_text("kernel/iommu_groups/7/devices/.keep", "");
  test_tree_link(DEV "/iommu_group", "../../../kernel/iommu_groups/7");
  test_tree_text("bus/pci/drivers/uio_pci_generic/.keep", "");
  test_tree_link(DEV "/driver", "../../../bus/pci/drivers/uio_pci_generic");
  assert_int_equal(mmio__vfio_open_at(&env, &v, "00:02.0"), MMIO_ERR_WRONG_DRIVER);
  assert_int_equal(mmio__vfio_open_at(&env, &v, "00:09.0"), -ENODEV);
  assert_int_equal(mmio__vfio_open_at(&env, &v, "nope"), -EINVAL);
}

/* A region info as the kernel returns it: a sparse-mmap capability with
 * two areas, leaving a hole (say, an MSI-X table) between them. */
static void vfio_mmap_honours_sparse_areas(void **state) {
  const uint64_t ps = (uint64_t)sysconf(_SC_PAGESIZE);
  _Alignas(8) unsigned char buf[sizeof(struct vfio_region_info) +
                                sizeof(struct vfio_region_info_cap_sparse_mmap) +
                                2 * sizeof(struct vfio_region_sparse_mmap_area)];
  struct vfio_region_info *info = (struct vfio_region_info *)buf;
  struct vfio_region_info_cap_sparse_mmap *cap =
      (struct vfio_region_info_cap_sparse_mmap *)(buf + sizeof(*info));
  (void)state;
  memset(buf, 0, sizeof(buf));
  info->argsz = sizeof(buf);
  info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
                VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS;
  info->size = 8 * ps;
  info->cap_offset = sizeof(*info);
  cap->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
  cap->nr_areas = 2;
  cap->areas[0].offset = 0;
  cap->areas[0].size = 2 * ps;
  cap->areas[1].offset = 4 * ps;
  cap->areas[1].size = 4 * ps;
  assert_true(mmio__vfio_can_mmap(info, 0, 2 * ps));
  assert_true(mmio__vfio_can_mmap(info, 0x10, 0x20));
  assert_true(mmio__vfio_can_mmap(info, 4 * ps + 8, 4));
  /* Page rounding reaches into the hole, or the window spans it. */
  assert_false(mmio__vfio_can_mmap(info, 2 * ps - 4, 8));
  assert_false(mmio__vfio_can_mmap(info, 2 * ps, 4));
  assert_false(mmio__vfio_can_mmap(info, ps, 4 * ps));
  /* Without the capability the whole region maps; without the flag none. */
  info->flags &= ~(uint32_t)VFIO_REGION_INFO_FLAG_CAPS;
  assert_true(mmio__vfio_can_mmap(info, 2 * ps, 4));
  assert_false(mmio__vfio_can_mmap(info, 7 * ps, ps + 1));
  info->flags &= ~(uint32_t)VFIO_REGION_INFO_FLAG_MMAP;
  assert_false(mmio__vfio_can_mmap(info, 0, 4));
}

static void explain_reads_sysfs_for_the_reason(void **state) {
  char buf[2048];
  (void)state;
  make_pci(0);
  mmio__explain_at(&env, buf, sizeof(buf), "pci:00:02.0/bar0", MMIO_ERR_DECODING_OFF);
  assert_non_null(strstr(buf, "memory decoding (bit 1) clear"));
  assert_non_null(strstr(buf, "echo 1 > /sys/bus/pci/devices/0000:00:02.0/enable"));

  mmio__explain_at(&env, buf, sizeof(buf), "pci:00:02.0/bar1", MMIO_ERR_IO_BAR);
  assert_non_null(strstr(buf, "BAR 1 of 0000:00:02.0 decodes I/O ports"));

  test_tree_text("bus/pci/drivers/vfio-pci/.keep", "");
  test_tree_link(DEV "/driver", "../../../bus/pci/drivers/vfio-pci");
  mmio__explain_at(&env, buf, sizeof(buf), "pci:00:02.0/bar0", -EINVAL);
  assert_non_null(strstr(buf, "bound to the driver vfio-pci"));
  assert_non_null(strstr(buf, "use vfio:0000:00:02.0/bar0"));

  /* /dev/mem refused: the address is found in BAR 2 of the device. */
  mmio__explain_at(&env, buf, sizeof(buf), "phys:0xfe002010+0x10", -EPERM);
  assert_non_null(strstr(buf, "0xfe002010 is in BAR 2 of 0000:00:02.0"));
  assert_non_null(strstr(buf, "bound to the driver vfio-pci"));
  assert_non_null(strstr(buf, "STRICT_DEVMEM"));
  assert_non_null(strstr(buf, "Use vfio:0000:00:02.0/bar2 while vfio-pci holds it"));
  test_tree_link(DEV "/driver", "../../../bus/pci/drivers/uio_pci_generic");
  mmio__explain_at(&env, buf, sizeof(buf), "phys:0xfe002010+0x10", -EPERM);
  assert_non_null(strstr(buf, "Use pci:0000:00:02.0/bar2 (sysfs)"));
  test_tree_link(DEV "/driver", "../../../bus/pci/drivers/vfio-pci");
  mmio__explain_at(&env, buf, sizeof(buf), "phys:0x1000+0x10", -EPERM);
  assert_non_null(strstr(buf, "iomem=relaxed"));
  /* No /dev/mem at all: say so, and what to use instead. */
  mmio__explain_at(&env, buf, sizeof(buf), "phys:0x1000+0x10", -ENOENT);
  assert_non_null(strstr(buf, "has no "));
  assert_non_null(strstr(buf, "/dev/mem: the kernel was built without CONFIG_DEVMEM"));

  /* A group that is not viable lists its members and their drivers. */
  test_tree_text("kernel/iommu_groups/7/devices/.keep", "");
  test_tree_link(DEV "/iommu_group", "../../../kernel/iommu_groups/7");
  test_tree_link("kernel/iommu_groups/7/devices/0000:00:02.0", "../../../../" DEV);
  test_tree_text("bus/pci/devices/0000:00:02.1/config", "");
  test_tree_text("bus/pci/drivers/e1000e/.keep", "");
  test_tree_link("bus/pci/devices/0000:00:02.1/driver", "../../../bus/pci/drivers/e1000e");
  test_tree_link("kernel/iommu_groups/7/devices/0000:00:02.1",
                 "../../../../bus/pci/devices/0000:00:02.1");
  mmio__explain_at(&env, buf, sizeof(buf), "vfio:00:02.0/bar0", MMIO_ERR_VFIO_NOT_VIABLE);
  assert_non_null(strstr(buf, "IOMMU group 7 holds:"));
  assert_non_null(strstr(buf, "0000:00:02.1 (e1000e)"));
  assert_non_null(strstr(buf, "0000:00:02.0 (vfio-pci)"));

  test_tree_link(DEV "/driver", "../../../bus/pci/drivers/e1000e");
  mmio__explain_at(&env, buf, sizeof(buf), "vfio:00:02.0/bar0", MMIO_ERR_WRONG_DRIVER);
  assert_non_null(strstr(buf, "bound to the driver e1000e"));
  assert_non_null(strstr(buf, "driver_override"));

  mmio__explain_at(&env, buf, sizeof(buf), "vfio:00:02.0/bar0", MMIO_ERR_NO_IOMMU);
  assert_non_null(strstr(buf, "intel_iommu=on"));
  mmio__explain_at(&env, buf, sizeof(buf), "uio:uio0/map0", -ENOENT);
  assert_non_null(strstr(buf, "uio0 has no map0"));
  assert_non_null(strstr(buf, "/sys/class/uio/uio0/maps"));
}

static void shm_is_created_at_a_size_and_shared(void **state) {
  char name[64], spec[96];
  mmio_region a, b;
  (void)state;
  snprintf(name, sizeof(name), "mmio-test-%d", (int)getpid());
  shm_unlink(name);
  snprintf(spec, sizeof(spec), "shm:%s+8k", name);
  assert_int_equal(mmio_open(&a, spec, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_len(&a), 8192);
  mmio_store32(&a, 0x1000, 0x5eed);
  /* Opened again by name, without a size: the whole object, same bytes. */
  snprintf(spec, sizeof(spec), "shm:%s", name);
  assert_int_equal(mmio_open(&b, spec, MMIO_CACHE_CACHED, MMIO_MAP_READ_ONLY), 0);
  assert_int_equal(mmio_len(&b), 8192);
  assert_int_equal(mmio_load32(&b, 0x1000), 0x5eed);
  mmio_region_release(&b);
  /* Asking for more than the existing object has is refused. */
  assert_int_equal(mmio_shm_map(&b, name, 16384, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_open(&b, spec, MMIO_CACHE_UNCACHED_DEVICE, 0), MMIO_ERR_CACHE_POLICY);
  mmio_region_release(&a);
  assert_int_equal(shm_unlink(name), 0);
  assert_int_equal(mmio_shm_map(&b, name, 0, 0), -ENOENT);
  assert_int_equal(mmio_shm_map(&b, "a/b", 4096, 0), -EINVAL);
}

static void file_spec_maps_a_window_or_the_rest(void **state) {
  char path[] = "/tmp/mmio-file-XXXXXX", spec[64];
  uint8_t data[512];
  mmio_region r;
  size_t i;
  int fd = mkstemp(path);
  (void)state;
  for (i = 0; i < sizeof(data); i++)
    data[i] = (uint8_t)i;
  assert_int_equal(write(fd, data, sizeof(data)), (ssize_t)sizeof(data));
  close(fd);
  snprintf(spec, sizeof(spec), "file:%s@0x100+0x10", path);
  assert_int_equal(mmio_open(&r, spec, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_len(&r), 0x10);
  assert_int_equal(mmio_load8(&r, 0), 0x00);
  assert_int_equal(mmio_load8(&r, 1), 0x01);
  mmio_region_release(&r);
  snprintf(spec, sizeof(spec), "file:%s@500", path);
  assert_int_equal(mmio_open(&r, spec, MMIO_CACHE_DEFAULT, 0), 0);
  assert_int_equal(mmio_len(&r), 12);
  mmio_region_release(&r);
  snprintf(spec, sizeof(spec), "file:%s@512", path);
  assert_int_equal(mmio_open(&r, spec, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_open(&r, "file:/nonexistent/x", MMIO_CACHE_DEFAULT, 0), -ENOENT);
  unlink(path);
}

/* Bad arguments are refused before a path is opened or an shm object is
 * created: the answers do not depend on whether the object exists. */
static void file_and_shm_judge_arguments_before_opening(void **state) {
  char name[64], spec[128];
  mmio_region r;
  int fds = test_count_fds();
  (void)state;
  snprintf(name, sizeof(name), "mmio-test-args-%d", (int)getpid());
  shm_unlink(name);
  assert_int_equal(mmio_file_map(&r, "/nonexistent/x", 0, 16, (enum mmio_cache_policy)9, 0),
                   -EINVAL);
  assert_int_equal(mmio_file_map(&r, "/nonexistent/x", 0, 16, MMIO_CACHE_DEFAULT, 0x80), -EINVAL);
  assert_int_equal(mmio_file_map(&r, "/nonexistent/x", UINT64_MAX, 16, MMIO_CACHE_DEFAULT, 0),
                   MMIO_ERR_OUT_OF_RANGE);
  /* An invalid policy value is an invalid argument, not a policy mismatch. */
  snprintf(spec, sizeof(spec), "shm:%s+4k", name);
  assert_int_equal(mmio_open(&r, spec, (enum mmio_cache_policy)9, 0), -EINVAL);
  assert_int_equal(mmio_open(&r, spec, (enum mmio_cache_policy) - 1, 0), -EINVAL);
  /* A size that no mapping can have is out of range, as for mmio_map. */
  assert_int_equal(mmio_shm_map(&r, name, (size_t)PTRDIFF_MAX + 1, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_shm_map(&r, name, SIZE_MAX, 0), MMIO_ERR_OUT_OF_RANGE);
  snprintf(spec, sizeof(spec), "shm:%s+0x8000000000000000", name);
  assert_int_equal(mmio_open(&r, spec, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_OUT_OF_RANGE);
  snprintf(spec, sizeof(spec), "shm:%s+0xffffffffffffffff", name);
  assert_int_equal(mmio_open(&r, spec, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio_len(&r), 0);
  /* Nothing was created or left open. */
  assert_int_equal(shm_unlink(name), -1);
  assert_int_equal(errno, ENOENT);
  assert_int_equal(test_count_fds(), fds);
}

/* A config file too short to hold the command register is an I/O error,
 * whatever errno held before: a short read sets no errno. */
static void short_config_read_is_an_io_error_not_a_stale_errno(void **state) {
  static const uint8_t five[5] = {0x86, 0x80, 0x0e, 0x10, 0x02};
  char path[PATH_MAX * 2];
  mmio_region r;
  uint16_t cmd = 0x1234;
  int fd;
  (void)state;
  make_pci(1);
  test_tree_put(DEV "/config", five, sizeof(five));
  errno = EACCES;
  assert_int_equal(mmio__pci_command(&env, "0000:00:02.0", &cmd), -EIO);
  assert_int_equal(cmd, 0x1234);
  errno = EPERM;
  assert_int_equal(mmio__pci_map_at(&env, &r, "00:02.0", 0, 0, 0x40, MMIO_CACHE_DEFAULT, 0), -EIO);
  assert_int_equal(mmio_len(&r), 0);
  /* The read-modify-write refuses to write what it could not read. */
  snprintf(path, sizeof(path), "%s/%s", root, DEV "/config");
  fd = open(path, O_RDWR);
  assert_true(fd >= 0);
  errno = ENOENT;
  assert_int_equal(mmio__pci_command_update(fd, 0, 0x4, 0), -EIO);
  assert_int_equal(lseek(fd, 0, SEEK_END), 5);
  close(fd);
}

static int pio_released;
static void count_pio_release(void *ctx) { pio_released += ctx == &pio_released; }

/* The pread/pwrite backend of VFIO regions that cannot be mmapped: a VFIO
 * region's file offset is its index << 40, which no 32-bit size_t or off_t
 * holds. A sparse file stands in for the device. */
static void pio_region_reaches_vfio_offsets_beyond_4gib(void **state) {
  const uint64_t base = (2ull << 40) + 0x1000; /* "BAR2" + 0x1000 */
  const uint32_t marker = 0xc0ffee11u;
  char path[] = "/tmp/mmio-pio-XXXXXX";
  mmio_region r;
  uint32_t v = 0;
  uint16_t w = 0;
  int fd = mkstemp(path);
  (void)state;
  assert_true(fd >= 0);
  unlink(path);
  assert_int_equal(pwrite(fd, &marker, 4, (off_t)(base + 0x10)), 4);
  assert_int_equal(ftruncate(fd, (off_t)(base + 0x100)), 0);
  pio_released = 0;
  assert_int_equal(mmio__pio_region(&r, fd, base, 0x200, 0, count_pio_release, &pio_released), 0);
  assert_int_equal(mmio_len(&r), 0x200);
  assert_int_equal(mmio_load32(&r, 0x10), marker);
  mmio_store16(&r, 0x20, 0xbeef);
  assert_int_equal(pread(fd, &w, 2, (off_t)(base + 0x20)), 2);
  assert_int_equal(w, 0xbeef);
  /* Past the end of the file: a short read is an I/O error. */
  errno = EPERM;
  assert_int_equal(mmio_try_load32(&r, 0x100, &v), -EIO);
  mmio_region_release(&r);
  assert_int_equal(pio_released, 1);
  /* Alignment is judged on the file offset, as for a mapping of it. */
  assert_int_equal(mmio__pio_region(&r, fd, base + 0x13, 0x20, 1, NULL, NULL), 0);
  assert_int_equal(mmio_try_load32(&r, 0, &v), MMIO_ERR_UNALIGNED);
  assert_int_equal(mmio_align_offset(&r, 4), 1);
  assert_int_equal(mmio_align_offset(&r, 4096), 4096 - 0x13);
  assert_int_equal(mmio_try_load8(&r, 0, (uint8_t *)&w), 0);
  assert_int_equal(mmio_try_store8(&r, 0, 1), MMIO_ERR_READ_ONLY);
  mmio_region_release(&r);
  /* An offset off_t cannot express is refused. */
  assert_int_equal(mmio__pio_region(&r, fd, 1ull << 63, 16, 0, NULL, NULL), MMIO_ERR_OUT_OF_RANGE);
  assert_int_equal(mmio__pio_region(&r, fd, UINT64_MAX - 4, 16, 0, NULL, NULL),
                   MMIO_ERR_OUT_OF_RANGE);
  close(fd);
}

static void objects_that_cannot_be_opened_get_advice(void **state) {
  char buf[1024], spec[600];
  mmio_region r;
  (void)state;
  /* A directory, a device without a size, a path too long to describe. */
  assert_int_equal(mmio_open(&r, "file:/tmp", MMIO_CACHE_DEFAULT, MMIO_MAP_READ_ONLY), -EINVAL);
  mmio_explain(buf, sizeof(buf), "file:/tmp", -EINVAL);
  assert_non_null(strstr(buf, "/tmp is a directory"));
  mmio_explain(buf, sizeof(buf), "file:/dev/null", -EINVAL);
  assert_non_null(strstr(buf, "has no size: give the window's length"));
  memset(spec, 'a', sizeof(spec));
  memcpy(spec, "file:/", 6);
  spec[sizeof(spec) - 1] = '\0';
  assert_int_equal(mmio_open(&r, spec, MMIO_CACHE_DEFAULT, 0), -ENAMETOOLONG);
  mmio_explain(buf, sizeof(buf), spec, -ENAMETOOLONG);
  assert_non_null(strstr(buf, "use a shorter path or a symbolic link"));
  /* shm: a missing object without a size, and one too large to make. */
  mmio_explain(buf, sizeof(buf), "shm:mmio-no-such-object", -ENOENT);
  assert_non_null(strstr(buf, "Give its size (shm:mmio-no-such-object+SIZE) to create it"));
  mmio_explain(buf, sizeof(buf), "shm:x+0x10000000000000", -ENOMEM);
  assert_non_null(strstr(buf, "cannot hold an object of 4503599627370496 bytes"));
  /* An object that exists with another size than +SIZE asks for. */
  {
    char name[64], other[80];
    snprintf(name, sizeof(name), "mmio-explain-%d", (int)getpid());
    snprintf(spec, sizeof(spec), "shm:%s+8192", name);
    assert_int_equal(mmio_open(&r, spec, MMIO_CACHE_DEFAULT, 0), 0);
    mmio_region_release(&r);
    snprintf(other, sizeof(other), "shm:%s+16384", name);
    assert_int_equal(mmio_open(&r, other, MMIO_CACHE_DEFAULT, 0), MMIO_ERR_OUT_OF_RANGE);
    mmio_explain(buf, sizeof(buf), other, MMIO_ERR_OUT_OF_RANGE);
    snprintf(spec, sizeof(spec), "exists with 8192 bytes, not 16384: open it as shm:%s", name);
    assert_non_null(strstr(buf, spec));
    snprintf(spec, sizeof(spec), "/dev/shm/%s", name);
    unlink(spec);
  }
}

static void a_bar_without_its_resource_file_is_explained(void **state) {
  char buf[1024];
  (void)state;
  test_tree_text(DEV "/resource", "0x00000000fe000000 0x00000000fe000fff 0x0000000000040200\n");
  mmio__explain_at(&env, buf, sizeof(buf), "pci:0000:00:02.0/bar0", -ENOENT);
  assert_non_null(strstr(buf, "has no file resource0 in sysfs"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(pci_bar_maps_the_window_of_the_resource_file, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(pci_refusals_come_before_any_mapping, setup, teardown),
      cmocka_unit_test_setup_teardown(pci_write_combining_uses_the_wc_file, setup, teardown),
      cmocka_unit_test_setup_teardown(short_config_read_is_an_io_error_not_a_stale_errno, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(uio_region_starts_at_the_register_block_not_the_page, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(vfio_open_says_what_is_missing, setup, teardown),
      cmocka_unit_test_setup_teardown(explain_reads_sysfs_for_the_reason, setup, teardown),
      cmocka_unit_test(vfio_mmap_honours_sparse_areas),
      cmocka_unit_test(shm_is_created_at_a_size_and_shared),
      cmocka_unit_test(file_and_shm_judge_arguments_before_opening),
      cmocka_unit_test(pio_region_reaches_vfio_offsets_beyond_4gib),
      cmocka_unit_test(file_spec_maps_a_window_or_the_rest),
      cmocka_unit_test(objects_that_cannot_be_opened_get_advice),
      cmocka_unit_test_setup_teardown(a_bar_without_its_resource_file_is_explained, setup,
                                      teardown),
  };
  return cmocka_run_group_tests_name("sources", tests, NULL, NULL);
}
