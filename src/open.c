/*
 * mmio_open: one entry point for every source, and mmio_explain: advice
 * for a person when opening failed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "mmio/file.h"
#include "mmio/open.h"
#include "mmio/pci.h"
#include "mmio/phys.h"
#include "mmio/uio.h"
#include "mmio/vfio.h"

int mmio_open(mmio_region *out, const char *spec, enum mmio_cache_policy policy,
              unsigned flags) {
  struct mmio_spec s;
  mmio_vfio *v = NULL;
  int err;
  if (out == NULL) return -EINVAL;
  mmio__region_init(out, 0, 0, NULL, NULL, NULL);
  err = mmio_spec_parse(spec, &s, NULL, 0);
  if (err != 0) return err;
  if ((flags & ~MMIO_MAP_READ_ONLY) != 0) return -EINVAL;
  switch (s.source) {
  case MMIO_SOURCE_PCI:
    return mmio_pci_map(out, s.name, s.index, s.offset, (size_t)s.length, policy, flags);
  case MMIO_SOURCE_VFIO:
    err = mmio_vfio_open(&v, s.name);
    if (err == 0) err = mmio_vfio_map(v, out, s.index, s.offset, (size_t)s.length, policy, flags);
    mmio_vfio_close(v); /* the region holds its own reference */
    return err;
  case MMIO_SOURCE_UIO:
    return mmio_uio_map(out, s.name, s.index, s.offset, (size_t)s.length, policy, flags);
  case MMIO_SOURCE_PHYS:
    return mmio_phys_map(out, s.offset, (size_t)s.length, policy, flags);
  case MMIO_SOURCE_SHM:
    if (policy != MMIO_CACHE_DEFAULT && policy != MMIO_CACHE_CACHED) return MMIO_ERR_CACHE_POLICY;
    return mmio_shm_map(out, s.name, (size_t)s.length, flags);
  case MMIO_SOURCE_FILE:
    return mmio_file_map(out, s.name, s.offset, (size_t)s.length, policy, flags);
  }
  return MMIO_ERR_BAD_SPEC;
}

/* A bounded text builder: keeps counting past the end, like snprintf. */
struct mmio__text {
  char *buf;
  size_t cap;
  size_t len;
};

static void mmio__say(struct mmio__text *t, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(t->len < t->cap ? t->buf + t->len : NULL, t->len < t->cap ? t->cap - t->len : 0,
                fmt, ap);
  va_end(ap);
  if (n > 0) t->len += (size_t)n;
}

/* The PCI device and BAR whose memory range holds addr, if any. */
static int mmio__owner_of(const char *sys, uint64_t addr, char bdf[13], unsigned *bar) {
  char path[PATH_MAX];
  DIR *d;
  struct dirent *e;
  int found = 0;
  snprintf(path, sizeof(path), "%s/bus/pci/devices", sys);
  d = opendir(path);
  if (d == NULL) return 0;
  while (!found && (e = readdir(d)) != NULL) {
    unsigned b;
    if (e->d_name[0] == '.' || strlen(e->d_name) != 12) continue;
    for (b = 0; b < 6 && !found; b++) {
      struct mmio__pci_bar info;
      if (mmio__pci_bar(sys, e->d_name, b, &info) == 0 && info.size != 0 &&
          (info.flags & MMIO__IORESOURCE_MEM) && addr >= info.start &&
          addr - info.start < info.size) {
        memcpy(bdf, e->d_name, 13);
        *bar = b;
        found = 1;
      }
    }
  }
  closedir(d);
  return found;
}

/* "BDF is bound to the driver D." from a driver name read by the caller. */
static void mmio__say_driver(struct mmio__text *t, const char *bdf, const char *drv) {
  if (drv[0] != '\0')
    mmio__say(t, " %s is bound to the driver %s.", bdf, drv);
  else
    mmio__say(t, " %s is bound to no driver.", bdf);
}

static void mmio__explain_driver(struct mmio__text *t, const char *sys, const char *bdf) {
  char drv[64] = "";
  mmio__pci_driver(sys, bdf, drv, sizeof(drv));
  mmio__say_driver(t, bdf, drv);
}

static void mmio__explain_group(struct mmio__text *t, const char *sys, const char *bdf) {
  char path[PATH_MAX], group[64];
  DIR *d;
  struct dirent *e;
  snprintf(path, sizeof(path), "%s/bus/pci/devices/%.12s/iommu_group", sys, bdf);
  if (mmio__link_name(path, group, sizeof(group)) != 0) return;
  mmio__say(t, " IOMMU group %s holds:", group);
  snprintf(path, sizeof(path), "%s/kernel/iommu_groups/%s/devices", sys, group);
  d = opendir(path);
  if (d == NULL) return;
  while ((e = readdir(d)) != NULL) {
    char drv[64] = "";
    if (e->d_name[0] == '.') continue;
    mmio__pci_driver(sys, e->d_name, drv, sizeof(drv));
    mmio__say(t, " %s (%s)", e->d_name, drv[0] != '\0' ? drv : "no driver");
  }
  closedir(d);
  mmio__say(t, ". Bind each to vfio-pci, or unbind it.");
}

int mmio__explain_at(const char *sys, char *buf, size_t cap, const char *spec, int err) {
  struct mmio__text t = {buf, cap, 0};
  struct mmio_spec s;
  char why[256];
  const int parsed = mmio_spec_parse(spec, &s, why, sizeof(why)) == 0;
  if (cap > 0) buf[0] = '\0';
  if (!parsed) {
    mmio__say(&t, "cannot parse '%s': %s. Expected one of:\n%s", spec != NULL ? spec : "(null)",
              why, mmio_spec_forms());
    return (int)t.len;
  }
  mmio__say(&t, "%s: %s.", spec, mmio_strerror(err));
  switch (err) {
  case MMIO_ERR_DECODING_OFF:
    mmio__say(&t, " The PCI command register of %s has memory decoding (bit 1) clear, so its "
                  "BARs would read as all ones. Enable the device: echo 1 > "
                  "/sys/bus/pci/devices/%s/enable, or bind a driver that enables it "
                  "(uio_pci_generic, vfio-pci).",
              s.name, s.name);
    break;
  case MMIO_ERR_IO_BAR:
    mmio__say(&t, " BAR %u of %s decodes I/O ports; only memory BARs can be mapped. Use port "
                  "I/O (ioperm and inb/outb) for it, or another BAR.",
              s.index, s.name);
    break;
  case MMIO_ERR_NO_IOMMU:
    mmio__say(&t, " %s has no IOMMU group, so no IOMMU is enabled. Boot with intel_iommu=on "
                  "(or amd_iommu=on), or reach the device through pci: or uio: instead; "
                  "Debian kernels have no VFIO no-IOMMU mode.",
              s.name);
    break;
  case MMIO_ERR_VFIO_NOT_VIABLE:
    mmio__say(&t, " Every device in the IOMMU group must be bound to vfio-pci or to no "
                  "driver.");
    mmio__explain_group(&t, sys, s.name);
    break;
  case MMIO_ERR_WRONG_DRIVER:
    mmio__explain_driver(&t, sys, s.name);
    mmio__say(&t, " Bind it to vfio-pci: echo vfio-pci > /sys/bus/pci/devices/%s/"
                  "driver_override; echo %s > /sys/bus/pci/devices/%s/driver/unbind; "
                  "echo %s > /sys/bus/pci/drivers_probe.",
              s.name, s.name, s.name, s.name);
    break;
  case MMIO_ERR_CACHE_POLICY:
    if (s.source == MMIO_SOURCE_PCI)
      mmio__say(&t, " Write-combining needs resource%u_wc, which exists only for prefetchable "
                    "BARs; BARs are never mapped cached.",
                s.index);
    else
      mmio__say(&t, " The kernel decides the memory type of this source; ask for "
                    "MMIO_CACHE_DEFAULT or the type it gives.");
    break;
  case -ENODEV:
    mmio__say(&t, " There is no such device; see /sys/bus/pci/devices or /sys/class/uio.");
    break;
  case -ENXIO:
    mmio__say(&t, " %s has no memory BAR %u.", s.name, s.index);
    break;
  case -ENOENT:
    if (s.source == MMIO_SOURCE_UIO)
      mmio__say(&t, " %s has no map%u: its driver exposes fewer memory maps (see "
                    "/sys/class/uio/%s/maps). uio_pci_generic exposes one per memory BAR, "
                    "in BAR order (none before Linux 5.x): map a BAR with pci:ADDRESS/barN "
                    "and keep %s for interrupts.",
                s.name, s.index, s.name, s.name);
    else if (s.source == MMIO_SOURCE_VFIO)
      mmio__say(&t, " /dev/vfio is missing: load the vfio-pci module.");
    break;
  case -EINVAL:
    if (s.source == MMIO_SOURCE_PCI) {
      mmio__say(&t, " The kernel refused to map BAR %u.", s.index);
      mmio__explain_driver(&t, sys, s.name);
      mmio__say(&t, " A driver that claims the BAR exclusively (vfio-pci does) makes sysfs "
                    "mappings fail: use vfio:%s/bar%u while vfio-pci holds it, or unbind "
                    "the driver.",
                s.name, s.index);
    }
    break;
  case -EPERM:
  case -EACCES:
    if (s.source == MMIO_SOURCE_PHYS) {
      char bdf[13];
      unsigned bar;
      if (mmio__owner_of(sys, s.offset, bdf, &bar)) {
        char drv[64] = "";
        mmio__pci_driver(sys, bdf, drv, sizeof(drv));
        mmio__say(&t, " 0x%llx is in BAR %u of %s.", (unsigned long long)s.offset, bar, bdf);
        mmio__say_driver(&t, bdf, drv);
        mmio__say(&t, " With CONFIG_STRICT_DEVMEM and IO_STRICT_DEVMEM the kernel refuses "
                      "/dev/mem for ranges a driver has claimed.");
        if (strcmp(drv, "vfio-pci") == 0)
          mmio__say(&t, " Use vfio:%s/bar%u while vfio-pci holds it, or unbind it.", bdf, bar);
        else
          mmio__say(&t, " Use pci:%s/bar%u (sysfs) or vfio:%s/bar%u, unbind the driver, or "
                        "boot with iomem=relaxed.",
                    bdf, bar, bdf, bar);
      } else {
        mmio__say(&t, " CONFIG_STRICT_DEVMEM refuses /dev/mem for RAM and for claimed I/O "
                      "ranges (see /proc/iomem); boot with iomem=relaxed to allow it, and "
                      "run as root.");
      }
    } else {
      mmio__say(&t, " This needs root (CAP_SYS_RAWIO / CAP_SYS_ADMIN), or the device node's "
                    "permissions; a kernel in lockdown refuses it even to root.");
    }
    break;
  case -EBUSY:
    if (s.source == MMIO_SOURCE_VFIO)
      mmio__say(&t, " The device's VFIO group is open elsewhere (another process, or another "
                    "mmio_vfio in this one: map every region through one mmio_vfio).");
    break;
  default:
    break;
  }
  return (int)t.len;
}

int mmio_explain(char *buf, size_t cap, const char *spec, int err) {
  return mmio__explain_at(MMIO__SYSFS, buf, cap, spec, err);
}
