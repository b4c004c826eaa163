/*
 * Runs inside the test VM as root, against QEMU's edu and ivshmem-plain
 * devices: every source of the library, the edu driver through each of
 * them (with interrupts through UIO and VFIO), the diagnoses the VM can
 * produce, and the guest half of the ivshmem exchange with the host.
 *
 * Prints "ok NAME" or "FAIL NAME: why" per check and a closing
 * "vm-guest: N passed, M failed" line; exits nonzero on any failure.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mmio/mmio.h>

#include "edu.h"

static int passed, failed;
static char edu_bdf[13], ivshmem_bdf[13];

static void check(int ok, const char *name, const char *fmt, ...) {
  if (ok) {
    passed++;
    printf("ok   %s\n", name);
  } else {
    va_list ap;
    failed++;
    printf("FAIL %s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
  }
  fflush(stdout);
}

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  ssize_t n;
  if (fd < 0) return -errno;
  n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -errno;
}

static int sysfs_write(const char *fmt, const char *arg, const char *text) {
  char path[256];
  snprintf(path, sizeof(path), fmt, arg);
  return write_file(path, text);
}

static int find_device(const char *vendor, const char *device, char bdf[13]) {
  DIR *d = opendir("/sys/bus/pci/devices");
  struct dirent *e;
  int found = 0;
  while (d != NULL && !found && (e = readdir(d)) != NULL) {
    char path[300], v[16] = "", dv[16] = "";
    FILE *f;
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", e->d_name);
    if ((f = fopen(path, "r")) != NULL) {
      fscanf(f, "%15s", v);
      fclose(f);
    }
    snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", e->d_name);
    if ((f = fopen(path, "r")) != NULL) {
      fscanf(f, "%15s", dv);
      fclose(f);
    }
    if (strcmp(v, vendor) == 0 && strcmp(dv, device) == 0) {
      snprintf(bdf, 13, "%.12s", e->d_name);
      found = 1;
    }
  }
  if (d != NULL) closedir(d);
  return found;
}

static uint64_t bar_start(const char *bdf, unsigned bar) {
  char path[128];
  unsigned long long start = 0, end, flags;
  FILE *f;
  unsigned i;
  snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
  f = fopen(path, "r");
  for (i = 0; f != NULL && i <= bar; i++)
    if (fscanf(f, "%llx %llx %llx", &start, &end, &flags) != 3) start = 0;
  if (f != NULL) fclose(f);
  return start;
}

/* The uioN that the kernel created for bdf, or "" after wait_ms. */
static void find_uio(const char *bdf, char name[16]) {
  char path[128];
  int tries;
  name[0] = '\0';
  snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/uio", bdf);
  for (tries = 0; tries < 50 && name[0] == '\0'; tries++) {
    DIR *d = opendir(path);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
      if (strncmp(e->d_name, "uio", 3) == 0) snprintf(name, 16, "%.15s", e->d_name);
    if (d != NULL) closedir(d);
    if (name[0] == '\0') usleep(20000);
  }
}

static char spec[128];
static const char *edu_spec(const char *kind, const char *rest) {
  snprintf(spec, sizeof(spec), "%s:%s%s", kind, edu_bdf, rest);
  return spec;
}

/* Runs the edu driver over bar0 (consumed) and checks every operation. */
static void drive_edu(const char *how, mmio_region *bar0, edu_wait_irq_fn wait, void *arg) {
  struct edu dev;
  unsigned major = 0, minor = 0;
  uint32_t out = 0;
  char name[96];
  int err = edu_open(&dev, bar0, wait, arg);
  snprintf(name, sizeof(name), "edu via %s: open", how);
  check(err == 0, name, "%s", mmio_strerror(err));
  if (err != 0) return;
  err = edu_version(&dev, &major, &minor);
  snprintf(name, sizeof(name), "edu via %s: version 1.0", how);
  check(err == 0 && major == 1 && minor == 0, name, "err %d, %u.%u", err, major, minor);
  err = edu_check_liveness(&dev, 0x12345678u);
  snprintf(name, sizeof(name), "edu via %s: liveness inverts", how);
  check(err == 0, name, "%s", mmio_strerror(err));
  err = edu_factorial(&dev, 10, &out, 5000);
  snprintf(name, sizeof(name), "edu via %s: 10! by %s", how,
           wait != NULL ? "interrupt" : "polling");
  check(err == 0 && out == 3628800u, name, "err %s, got %u", mmio_err_name(err), out);
  err = edu_factorial(&dev, 12, &out, 5000);
  snprintf(name, sizeof(name), "edu via %s: 12! again", how);
  check(err == 0 && out == 479001600u, name, "err %s, got %u", mmio_err_name(err), out);
  edu_close(&dev);
}

static int explain_has(const char *s, int err, const char *text) {
  char buf[2048];
  mmio_explain(buf, sizeof(buf), s, err);
  printf("     explain: %s\n", buf);
  return strstr(buf, text) != NULL;
}

/* Clears memory decoding (command register bit 1) through sysfs config. */
static int decoding_off(const char *bdf) {
  char path[128];
  uint16_t cmd = 0;
  int fd, ok;
  snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
  fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return 0;
  ok = pread(fd, &cmd, 2, 4) == 2;
  cmd &= (uint16_t)~0x2u;
  ok = ok && pwrite(fd, &cmd, 2, 4) == 2;
  close(fd);
  return ok;
}

static void test_sysfs_bar(void) {
  mmio_region r, wc;
  uint32_t v32 = 0;
  uint8_t v8 = 0;
  uint16_t v16 = 0;
  uint64_t v64 = 0;
  int err;
  /* The firmware turned decoding on; an unbound device that nobody
   * enabled has it off, which is the state this recreates. */
  check(decoding_off(edu_bdf), "turn edu's memory decoding off", "");
  err = mmio_open(&r, edu_spec("pci", "/bar0"), MMIO_CACHE_DEFAULT, 0);
  check(err == MMIO_ERR_DECODING_OFF, "unbound edu: decoding off is diagnosed", "%s",
        mmio_err_name(err));
  check(explain_has(spec, err, "echo 1 > /sys/bus/pci/devices/"), "decoding off: advice to enable",
        "");
  check(sysfs_write("/sys/bus/pci/devices/%s/enable", edu_bdf, "1") == 0,
        "enable edu through sysfs", "");
  err = mmio_open(&r, "pci:1234:11e8/bar0", MMIO_CACHE_UNCACHED_DEVICE, 0);
  check(err == 0 && mmio_len(&r) == EDU_BAR_SIZE,
        "sysfs BAR0 (by vendor:device) maps 1 MiB once enabled", "%s", mmio_err_name(err));
  if (err != 0) return;
  check(mmio_open(&wc, edu_spec("pci", "/bar0"), MMIO_CACHE_WRITE_COMBINING, 0) ==
            MMIO_ERR_CACHE_POLICY,
        "write-combining refused for a non-prefetchable BAR", "");
  /* What the device does with accesses it does not define: documented by
   * these assertions, and the reason the fake model rejects them. */
  check(mmio_try_load32(&r, 0, &v32) == 0 && v32 == 0x010000edu, "edu ID is a 32-bit read", "0x%x",
        v32);
  check(mmio_try_load64(&r, 0, &v64) == 0 && v64 == ~0ull,
        "edu: 64-bit read at 0x0 returns all ones", "0x%llx", (unsigned long long)v64);
  err = mmio_try_load8(&r, 0, &v8);
  printf("     edu: 8-bit read at 0x0 gives 0x%02x, 16-bit gives ", v8);
  mmio_try_load16(&r, 0, &v16);
  printf("0x%04x\n", v16);
  check(err == 0 && (v8 == 0 || v8 == 0xff) && (v16 == 0 || v16 == 0xffff),
        "edu: 8- and 16-bit reads at 0x0 return 0 or all ones, never the ID", "0x%x 0x%x", v8, v16);
  /* Our checks stop bad accesses before they reach the device. */
  mmio_store32(&r, EDU_REG_LIVENESS, 0x0f0f0f0fu);
  check(mmio_try_store32(&r, EDU_REG_LIVENESS + 2, 0) == MMIO_ERR_UNALIGNED,
        "unaligned store refused", "");
  check(mmio_try_load32(&r, EDU_BAR_SIZE, &v32) == MMIO_ERR_OUT_OF_RANGE,
        "load past the BAR refused", "");
  check(mmio_try_store32(&r, SIZE_MAX - 3, 0) == MMIO_ERR_OUT_OF_RANGE, "wrapping offset refused",
        "");
  check(mmio_load32(&r, EDU_REG_LIVENESS) == ~0x0f0f0f0fu,
        "refused accesses left the device untouched", "");
  drive_edu("sysfs BAR", &r, NULL, NULL);
}

/* mmio_map on descriptors the caller opened: the memory type is told from
 * the object itself (a sysfs resource file, /dev/mem with or without
 * O_SYNC) and a request it cannot meet is refused. */
static void test_map_probes_the_object(void) {
  char path[128];
  mmio_region r;
  int fd, err;
  snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", edu_bdf);
  fd = open(path, O_RDWR | O_CLOEXEC);
  err = mmio_map(&r, fd, 0, 0x100, MMIO_CACHE_UNCACHED_DEVICE, 0);
  check(err == 0 && mmio_load32(&r, 0) == 0x010000edu,
        "mmio_map: sysfs resource is uncached device memory", "%s", mmio_err_name(err));
  mmio_region_release(&r);
  err = mmio_map(&r, fd, 0, 0x100, MMIO_CACHE_CACHED, 0);
  check(err == MMIO_ERR_CACHE_POLICY, "mmio_map: cached refused on a sysfs resource", "%s",
        mmio_err_name(err));
  err = mmio_map(&r, fd, EDU_BAR_SIZE - 4, 8, MMIO_CACHE_DEFAULT, 0);
  check(err == MMIO_ERR_OUT_OF_RANGE, "mmio_map: range past the BAR refused", "%s",
        mmio_err_name(err));
  close(fd);
  fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
  err = mmio_map(&r, fd, bar_start(edu_bdf, 0), 0x100, MMIO_CACHE_UNCACHED_DEVICE, 0);
  check(err == 0 && mmio_load32(&r, 0) == 0x010000edu, "mmio_map: /dev/mem with O_SYNC is uncached",
        "%s", mmio_err_name(err));
  mmio_region_release(&r);
  close(fd);
  fd = open("/dev/mem", O_RDWR | O_CLOEXEC);
  err = mmio_map(&r, fd, bar_start(edu_bdf, 0), 0x100, MMIO_CACHE_UNCACHED_DEVICE, 0);
  check(err == MMIO_ERR_CACHE_POLICY, "mmio_map: /dev/mem without O_SYNC promises nothing", "%s",
        mmio_err_name(err));
  close(fd);
}

static void test_dev_mem(void) {
  mmio_region r;
  char s[64];
  int err;
  snprintf(s, sizeof(s), "phys:0x%llx+0x1000", (unsigned long long)bar_start(edu_bdf, 0));
  err = mmio_open(&r, s, MMIO_CACHE_DEFAULT, 0);
  check(err == 0, "/dev/mem maps an unclaimed BAR", "%s", mmio_err_name(err));
  if (err == 0) drive_edu("/dev/mem", &r, NULL, NULL);
  err = mmio_open(&r, s, MMIO_CACHE_CACHED, 0);
  check(err == MMIO_ERR_CACHE_POLICY, "/dev/mem refuses a cached mapping", "%s",
        mmio_err_name(err));
}

/* The edu driver's interrupt wait over the one device API, whatever the
 * route: unmask the line (the driver has cleared the cause), then wait. */
static uint64_t irq_total;
static int device_wait(void *arg, int timeout_ms) {
  mmio_device *dev = arg;
  uint64_t n = 0;
  int err = mmio_device_irq_ack(dev);
  if (err == 0) err = mmio_device_irq_wait(dev, timeout_ms, &n);
  if (err == 1) irq_total += n;
  return err;
}

static void test_uio(void) {
  char uio[16], s[64];
  mmio_device *dev = NULL;
  struct mmio_device_info info;
  mmio_region r;
  int err;
  check(write_file("/sys/bus/pci/drivers/uio_pci_generic/new_id", "1234 11e8") == 0,
        "bind edu to uio_pci_generic", "");
  find_uio(edu_bdf, uio);
  check(uio[0] != '\0', "uio_pci_generic created a UIO device", "");
  if (uio[0] == '\0') return;
  /* uio_pci_generic exposes BAR0 as map0 and claims nothing: /dev/mem and
   * sysfs still work beside it. */
  snprintf(s, sizeof(s), "uio:%s/map0@0x20+4", uio);
  err = mmio_open(&r, s, MMIO_CACHE_UNCACHED_DEVICE, 0);
  check(err == 0 && mmio_len(&r) == 4, "UIO window at 0x20 (STATUS)", "%s", mmio_err_name(err));
  mmio_region_release(&r);
  snprintf(s, sizeof(s), "uio:%s/map1", uio);
  err = mmio_open(&r, s, MMIO_CACHE_DEFAULT, 0);
  check(err == -ENOENT && explain_has(s, err, "has no map1"), "missing UIO map diagnosed", "%s",
        mmio_err_name(err));
  /* The same device by its PCI address and by its UIO name. */
  err = mmio_open(&r, edu_spec("uio", "/map0+4"), MMIO_CACHE_DEFAULT, 0);
  check(err == 0 && mmio_load32(&r, 0) == 0x010000edu, "UIO device found by PCI address", "%s",
        mmio_err_name(err));
  mmio_region_release(&r);
  err = mmio_open(&r, "uio:uio_pci_generic/map0+4", MMIO_CACHE_DEFAULT, 0);
  check(err == 0 && mmio_load32(&r, 0) == 0x010000edu, "UIO device found by its name", "%s",
        mmio_err_name(err));
  mmio_region_release(&r);

  err = mmio_device_open(&dev, edu_spec("uio", ""));
  check(err == 0, "UIO device handle", "%s", mmio_err_name(err));
  if (err != 0) return;
  mmio_device_info(&info, dev);
  check(strcmp(info.uio_name, "uio_pci_generic") == 0 && info.vendor == 0x1234 &&
            info.device == 0x11e8 && strcmp(info.driver, "uio_pci_generic") == 0,
        "UIO device describes its PCI function", "%s %04x:%04x %s", info.uio_name, info.vendor,
        info.device, info.driver);
  err = mmio_device_irq_enable(dev, MMIO_IRQ_DEFAULT);
  check(err == 0, "UIO interrupt enabled through the device", "%s", mmio_err_name(err));
  err = mmio_device_map(&r, dev, 0, 0, 0, MMIO_CACHE_DEFAULT, 0);
  check(err == 0 && mmio_len(&r) == EDU_BAR_SIZE, "UIO map0 is the whole BAR", "%s",
        mmio_err_name(err));
  irq_total = 0;
  if (err == 0) drive_edu("UIO map + device interrupt", &r, device_wait, dev);
  check(irq_total >= 2, "UIO counted the interrupts", "count %llu", (unsigned long long)irq_total);
  /* Leave INTx unmasked for the next driver. */
  mmio_device_irq_ack(dev);
  mmio_device_close(dev);
  sysfs_write("/sys/bus/pci/devices/%s/driver/unbind", edu_bdf, edu_bdf);
  write_file("/sys/bus/pci/drivers/uio_pci_generic/remove_id", "1234 11e8");
}

static void test_vfio(void) {
  mmio_device *dev = NULL;
  mmio_vfio *v = NULL;
  mmio_region r;
  char s[64];
  uint32_t v32;
  int err;
  sysfs_write("/sys/bus/pci/devices/%s/driver_override", edu_bdf, "vfio-pci");
  check(write_file("/sys/bus/pci/drivers_probe", edu_bdf) == 0, "bind edu to vfio-pci", "");
  err = mmio_open(&r, edu_spec("vfio", "/bar0"), MMIO_CACHE_DEFAULT, 0);
  check(err == 0 && mmio_load32(&r, 0) == 0x010000edu, "vfio: spec maps BAR0", "%s",
        mmio_err_name(err));
  mmio_region_release(&r);
  /* The layer below the device handle still works on its own. */
  err = mmio_vfio_open(&v, edu_bdf);
  check(err == 0, "VFIO container, group and device", "%s", mmio_err_name(err));
  if (err == 0) {
    err = mmio_vfio_map(&r, v, 0, 0, 0x100, MMIO_CACHE_DEFAULT, 0);
    check(err == 0 && mmio_load32(&r, 0) == 0x010000edu, "mmio_vfio_map maps BAR0", "%s",
          mmio_err_name(err));
    mmio_region_release(&r);
    mmio_vfio_close(v);
  }

  /* Named by vendor:device; interrupts through the same API as UIO. */
  err = mmio_device_open(&dev, "vfio:1234:11e8");
  check(err == 0, "VFIO device handle by vendor:device", "%s", mmio_err_name(err));
  if (err != 0) return;
  err = mmio_device_map(&r, dev, 0, 0, 0, MMIO_CACHE_DEFAULT, 0);
  check(err == 0 && mmio_len(&r) == EDU_BAR_SIZE, "VFIO BAR0 mmapped", "%s", mmio_err_name(err));
  check(mmio_try_load32(&r, 2, &v32) == MMIO_ERR_UNALIGNED, "VFIO region: unaligned refused", "");
  {
    /* Now that vfio-pci has claimed the BAR, the other routes are shut. */
    mmio_region other;
    err = mmio_open(&other, edu_spec("pci", "/bar0"), MMIO_CACHE_DEFAULT, 0);
    check(err == -EINVAL && explain_has(spec, err, "use vfio:"),
          "sysfs mmap refused while vfio-pci holds the BAR, explained", "%s", mmio_err_name(err));
    snprintf(s, sizeof(s), "phys:0x%llx+0x1000", (unsigned long long)bar_start(edu_bdf, 0));
    err = mmio_open(&other, s, MMIO_CACHE_DEFAULT, 0);
    check(err == -EPERM && explain_has(s, err, "bound to the driver vfio-pci"),
          "/dev/mem refused while vfio-pci holds the BAR, explained", "%s", mmio_err_name(err));
  }
  err = mmio_device_irq_enable(dev, MMIO_IRQ_INTX);
  check(err == 0 && mmio_device_irq_fd(dev) >= 0, "VFIO INTx to an eventfd", "%s",
        mmio_err_name(err));
  if (err == 0)
    drive_edu("VFIO mmap + INTx", &r, device_wait, dev);
  else
    mmio_region_release(&r);

  err = mmio_device_map(&r, dev, 0, 0, 0x1000, MMIO_CACHE_DEFAULT, MMIO_VFIO_NO_MMAP);
  check(err == 0 && mmio_len(&r) == 0x1000, "VFIO BAR0 through pread/pwrite", "%s",
        mmio_err_name(err));
  check(mmio_try_load32(&r, 0x1000, &v32) == MMIO_ERR_OUT_OF_RANGE,
        "pread region: out of range refused", "");
  check(mmio_try_load32(&r, 6, &v32) == MMIO_ERR_UNALIGNED, "pread region: unaligned refused", "");
  err = mmio_device_irq_enable(dev, MMIO_IRQ_MSI);
  check(err == 0, "VFIO MSI to an eventfd", "%s", mmio_err_name(err));
  if (err == 0)
    drive_edu("VFIO pread/pwrite + MSI", &r, device_wait, dev);
  else
    mmio_region_release(&r);
  mmio_device_close(dev);
  check(mmio_vfio_open(&v, "0000:00:1f.0") == MMIO_ERR_WRONG_DRIVER,
        "VFIO open of a device not on vfio-pci", "");
}

/* Any I/O port BAR on the machine (the q35 SMBus controller has one). */
static void test_io_bar(void) {
  DIR *d = opendir("/sys/bus/pci/devices");
  struct dirent *e;
  char s[64] = "";
  while (d != NULL && s[0] == '\0' && (e = readdir(d)) != NULL) {
    unsigned b;
    if (e->d_name[0] == '.') continue;
    for (b = 0; b < 6 && s[0] == '\0'; b++) {
      char path[300];
      unsigned long long start = 0, end = 0, flags = 0;
      unsigned i;
      FILE *f;
      snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", e->d_name);
      f = fopen(path, "r");
      for (i = 0; f != NULL && i <= b; i++)
        if (fscanf(f, "%llx %llx %llx", &start, &end, &flags) != 3) flags = 0;
      if (f != NULL) fclose(f);
      if (flags & 0x100) snprintf(s, sizeof(s), "pci:%.12s/bar%u", e->d_name, b);
    }
  }
  if (d != NULL) closedir(d);
  check(s[0] != '\0', "found an I/O port BAR", "");
  if (s[0] != '\0') {
    mmio_region r;
    int err = mmio_open(&r, s, MMIO_CACHE_DEFAULT, 0);
    check(err == MMIO_ERR_IO_BAR && explain_has(s, err, "decodes I/O ports"),
          "I/O port BAR refused and explained", "%s", mmio_err_name(err));
  }
}

/* Without root, sysfs resource files cannot be opened. */
static void test_no_permission(void) {
  pid_t pid = fork();
  int status = 0;
  if (pid == 0) {
    mmio_region r;
    int err;
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
    err = mmio_open(&r, edu_spec("pci", "/bar0"), MMIO_CACHE_DEFAULT, 0);
    _exit(err == -EACCES && explain_has(spec, err, "needs root") ? 0 : 1);
  }
  waitpid(pid, &status, 0);
  check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "no permission without root, explained",
        "child status %d", status);
}

/*
 * A group that is not viable: the q35 LPC, SATA and SMBus functions share
 * one IOMMU group. With SATA bound to an ordinary driver, vfio-pci cannot
 * take the SMBus function.
 */
static void test_group_not_viable(void) {
  char sata[13] = "", smbus[13] = "";
  mmio_vfio *v = NULL;
  int err;
  if (!find_device("0x8086", "0x2922", sata) || !find_device("0x8086", "0x2930", smbus)) {
    check(0, "q35 SATA and SMBus functions present", "");
    return;
  }
  check(write_file("/sys/bus/pci/drivers/uio_pci_generic/new_id", "8086 2922") == 0,
        "bind the SATA function to uio_pci_generic", "");
  sysfs_write("/sys/bus/pci/devices/%s/driver_override", smbus, "vfio-pci");
  check(write_file("/sys/bus/pci/drivers_probe", smbus) == 0, "bind the SMBus function to vfio-pci",
        "");
  err = mmio_vfio_open(&v, smbus);
  snprintf(spec, sizeof(spec), "vfio:%s/bar0", smbus);
  check(err == MMIO_ERR_VFIO_NOT_VIABLE && explain_has(spec, err, "(uio_pci_generic)"),
        "VFIO group not viable, members listed", "%s", mmio_err_name(err));
  mmio_vfio_close(v);
  sysfs_write("/sys/bus/pci/devices/%s/driver/unbind", sata, sata);
  write_file("/sys/bus/pci/drivers/uio_pci_generic/remove_id", "8086 2922");
  err = mmio_vfio_open(&v, smbus);
  check(err == 0, "the group is viable again once SATA is unbound", "%s", mmio_err_name(err));
  mmio_vfio_close(v);
}

/* Booted without an IOMMU: VFIO cannot work, and says so. */
static void test_no_iommu(void) {
  mmio_vfio *v = NULL;
  int err = mmio_vfio_open(&v, edu_bdf);
  snprintf(spec, sizeof(spec), "vfio:%s/bar0", edu_bdf);
  check(err == MMIO_ERR_NO_IOMMU && explain_has(spec, err, "intel_iommu=on"),
        "no IOMMU: VFIO refused and explained", "%s", mmio_err_name(err));
  mmio_vfio_close(v);
}

static void test_ivshmem(void) {
  mmio_region regs, mem;
  char s[64];
  int err, ok = 1;
  uint32_t i;
  sysfs_write("/sys/bus/pci/devices/%s/enable", ivshmem_bdf, "1");
  snprintf(s, sizeof(s), "pci:%s/bar0", ivshmem_bdf);
  err = mmio_open(&regs, s, MMIO_CACHE_DEFAULT, 0);
  check(err == 0 && mmio_len(&regs) == 256, "ivshmem BAR0 is a 256-byte region", "%s len %zu",
        mmio_err_name(err), mmio_len(&regs));
  mmio_region_release(&regs);
  snprintf(s, sizeof(s), "pci:%s/bar2", ivshmem_bdf);
  err = mmio_open(&mem, s, MMIO_CACHE_DEFAULT, 0);
  check(err == 0 && mmio_len(&mem) == (1u << 20), "ivshmem BAR2 maps the shared 1 MiB", "%s",
        mmio_err_name(err));
  if (err != 0) return;
  for (i = 0; i < 256; i++)
    ok &= mmio_load32(&mem, i * 4) == 0x40570000u + i;
  check(ok, "guest reads what the host wrote", "");
  {
    /* BAR2 is prefetchable, so it also has resource2_wc. */
    mmio_region wc;
    err = mmio_open(&wc, s, MMIO_CACHE_WRITE_COMBINING, 0);
    check(err == 0 && mmio_load32(&wc, 4) == 0x40570001u,
          "prefetchable BAR maps write-combining through resource2_wc", "%s", mmio_err_name(err));
    mmio_region_release(&wc);
  }
  for (i = 0; i < 256; i++)
    mmio_store32(&mem, 0x1000 + i * 4, 0x6e570000u + i);
  mmio_barrier_write();
  mmio_region_release(&mem);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  check(find_device("0x1234", "0x11e8", edu_bdf), "edu device present", "");
  if (argc > 1 && strcmp(argv[1], "no-iommu") == 0) {
    test_no_iommu();
    printf("vm-guest: %d passed, %d failed\n", passed, failed);
    return failed != 0;
  }
  check(find_device("0x1af4", "0x1110", ivshmem_bdf), "ivshmem device present", "");
  if (edu_bdf[0] != '\0') {
    test_sysfs_bar();
    test_map_probes_the_object();
    test_dev_mem();
    test_uio();
    test_vfio();
    test_no_permission();
  }
  test_io_bar();
  test_group_not_viable();
  if (ivshmem_bdf[0] != '\0') test_ivshmem();
  printf("vm-guest: %d passed, %d failed\n", passed, failed);
  return failed != 0;
}
