/*
 * Why a PCI device's BARs read as all ones: what its config space says
 * about it, in words for a person.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/pci_regs.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "linux_internal.h"

/* The D-state of the function from its power management capability, or
 * -1 when it has none or it cannot be read. */
static int mmio__power_state(const uint8_t *cfg, size_t n) {
  unsigned pos, hops;
  if (n < 0x40 || !(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST)) return -1;
  pos = cfg[PCI_CAPABILITY_LIST] & ~3u;
  for (hops = 0; pos >= 0x40 && pos + PCI_PM_CTRL + 2 <= n && hops < 48; hops++) {
    if (cfg[pos + PCI_CAP_LIST_ID] == PCI_CAP_ID_PM)
      return cfg[pos + PCI_PM_CTRL] & PCI_PM_CTRL_STATE_MASK;
    pos = cfg[pos + PCI_CAP_LIST_NEXT] & ~3u;
  }
  return -1;
}

/* What config space says about bdf, appended to t. Returns 0, or
 * -errno when it cannot be read. */
static int mmio__diagnose_bdf(const struct mmio__env *env, struct mmio__text *t, const char *bdf) {
  char path[PATH_MAX];
  uint8_t cfg[256];
  ssize_t n;
  int fd, state;
  if (mmio__path(path, sizeof(path), "%s/bus/pci/devices/%s/config", env->sys, bdf) != 0)
    return -ENAMETOOLONG;
  if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) return -errno;
  n = pread(fd, cfg, sizeof(cfg), 0);
  close(fd);
  if (n < 0) return -errno;
  if (n < 0x40) return -EIO;
  if (cfg[0] == 0xff && cfg[1] == 0xff) {
    mmio__say(t,
              "%s's config space reads as all ones: the device is gone, or its link is "
              "down (check lspci -vv and dmesg; a hot reset or rescan may bring it back).",
              bdf);
    return 0;
  }
  if (!(cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY))
    mmio__say(t,
              "%s has memory decoding off (command register bit 1): its BARs read as all "
              "ones. Enable it: echo 1 > /sys/bus/pci/devices/%s/enable.",
              bdf, bdf);
  state = mmio__power_state(cfg, (size_t)n);
  if (state > 0)
    mmio__say(t,
              "%s%s is in power state D%d: its registers do not answer until it is back "
              "in D0 (echo on > /sys/bus/pci/devices/%s/power/control).",
              t->len > 0 ? " " : "", bdf, state, bdf);
  return 0;
}

/* The device remembers the roots it was opened under, so tests that open
 * one in a synthetic tree diagnose it there too. */
int mmio_device_diagnose(char *buf, size_t cap, const mmio_device *dev) {
  struct mmio__text t = {buf, cap, 0};
  int err;
  if (buf == NULL && cap > 0) return -EINVAL;
  if (cap > 0) buf[0] = '\0';
  if (dev == NULL) return -EINVAL;
  if (dev->info.pci_address[0] == '\0') return 0;
  err = mmio__diagnose_bdf(&dev->env, &t, dev->info.pci_address);
  return err != 0 ? err : (int)t.len;
}

int mmio__diagnose_address_at(const struct mmio__env *env, char *buf, size_t cap, uint64_t addr) {
  struct mmio__text t = {buf, cap, 0};
  char bdf[MMIO__PCI_ADDR_MAX], finding[1024];
  struct mmio__text f = {finding, sizeof(finding), 0};
  unsigned bar;
  int err;
  if (buf == NULL && cap > 0) return -EINVAL;
  if (cap > 0) buf[0] = '\0';
  if (!mmio__pci_owner_of(env, addr, bdf, &bar)) return 0;
  finding[0] = '\0';
  err = mmio__diagnose_bdf(env, &f, bdf);
  /* Nothing wrong found: nothing to say, not even whose BAR it is. */
  if (err != 0 || f.len == 0) return err;
  mmio__say(&t, "0x%llx is in BAR %u of %s. %s", (unsigned long long)addr, bar, bdf, finding);
  return (int)t.len;
}

int mmio_diagnose_address(char *buf, size_t cap, uint64_t addr) {
  return mmio__diagnose_address_at(&mmio__env_system, buf, cap, addr);
}
