#define _GNU_SOURCE
#include "tree.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "faults.h"
#include "helpers.h"

#define DEV "bus/pci/devices/0000:00:02.0"

static char sys_root[PATH_MAX], dev_root[PATH_MAX + 8];

/* Config space with memory decoding on. */
static void config(uint8_t cfg[64]) {
  memset(cfg, 0, 64);
  cfg[0] = 0x34, cfg[1] = 0x12, cfg[2] = 0xe8, cfg[3] = 0x11;
  cfg[4] = 0x2;
}

/* The VFIO device file: BAR0 at 0, BAR2 at 2 MiB, config at 7 MiB (the
 * offsets vfio_emulation.c reports). */
static void vfio_device(void) {
  char path[PATH_MAX + 32];
  uint8_t cfg[64], bar[0x1000];
  int fd;
  snprintf(path, sizeof(path), "%s/vfio/device", dev_root);
  fd = fault_real_open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) abort();
  memset(bar, 0x5a, sizeof(bar));
  config(cfg);
  if (pwrite(fd, bar, sizeof(bar), 0) != (ssize_t)sizeof(bar) ||
      pwrite(fd, bar, 0x100, 2 << 20) != 0x100 || pwrite(fd, cfg, 64, 7 << 20) != 64)
    abort();
  close(fd);
}

void fault_tree_make(struct mmio__env *env) {
  static uint8_t bar0[4096], bar2[256], uio[8192], mem[8192];
  uint8_t cfg[64];
  snprintf(sys_root, sizeof(sys_root), "%s", test_tree_make());
  snprintf(dev_root, sizeof(dev_root), "%s/dev", sys_root);
  config(cfg);
  test_tree_put(DEV "/config", cfg, sizeof(cfg));
  test_tree_text(DEV "/resource", "0x00000000fe000000 0x00000000fe000fff 0x0000000000040200\n"
                                  "0x000000000000c000 0x000000000000c01f 0x0000000000040101\n"
                                  "0x00000000fe002000 0x00000000fe0020ff 0x0000000000040200\n");
  test_tree_put(DEV "/resource0", bar0, sizeof(bar0));
  test_tree_put(DEV "/resource2", bar2, sizeof(bar2));
  test_tree_text(DEV "/vendor", "0x1234\n");
  test_tree_text(DEV "/device", "0x11e8\n");
  test_tree_text(DEV "/subsystem_vendor", "0x1af4\n");
  test_tree_text(DEV "/subsystem_device", "0x1100\n");
  test_tree_text(DEV "/class", "0x00ff00\n");
  test_tree_text("bus/pci/drivers/vfio-pci/.keep", "");
  test_tree_link(DEV "/driver", "../../../bus/pci/drivers/vfio-pci");
  test_tree_text("kernel/iommu_groups/7/devices/.keep", "");
  test_tree_link(DEV "/iommu_group", "../../../kernel/iommu_groups/7");
  test_tree_text(DEV "/uio/uio0/.keep", "");
  test_tree_text("class/uio/uio0/name", "edu-uio\n");
  test_tree_text("class/uio/uio0/maps/map0/addr", "0xfe000000\n");
  test_tree_text("class/uio/uio0/maps/map0/size", "0x1000\n");
  test_tree_text("class/uio/uio0/maps/map0/offset", "0x0\n");
  test_tree_link("class/uio/uio0/device", "../../../" DEV);
  test_tree_put("dev/uio0", uio, sizeof(uio));
  test_tree_put("dev/mem", mem, sizeof(mem));
  test_tree_text("dev/vfio/vfio", "");
  test_tree_text("dev/vfio/7", "");
  vfio_device();
  env->sys = sys_root;
  env->dev = dev_root;
  fault_vfio_emulate(sys_root);
}

void fault_tree_remove(void) {
  fault_vfio_emulate(NULL);
  test_tree_remove();
}
