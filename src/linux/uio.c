/*
 * UIO devices: finding them (by number, PCI function or name), their
 * memory maps, their interrupt, the device handle, and advice.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/pci_regs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux_internal.h"

/* "uio" followed by a number without leading zeros, as the kernel names
 * its devices. */
static int mmio__uio_name_ok(const char *uio) {
  size_t i, n;
  if (uio == NULL || strncmp(uio, "uio", 3) != 0) return 0;
  n = strlen(uio);
  if (n < 4 || n > 12 || (uio[3] == '0' && n > 4)) return 0;
  for (i = 3; i < n; i++)
    if (uio[i] < '0' || uio[i] > '9') return 0;
  return 1;
}

int mmio__uio_of_pci(const struct mmio__env *env, const char *bdf, char uio[16]) {
  char path[PATH_MAX];
  struct dirent *e;
  DIR *d;
  int err = mmio__path(path, sizeof(path), "%s/bus/pci/devices/%s/uio", env->sys, bdf);
  if (err != 0) return err;
  if ((d = opendir(path)) == NULL) return -ENODEV;
  err = -ENODEV;
  while (err != 0 && (e = readdir(d)) != NULL)
    if (mmio__uio_name_ok(e->d_name)) {
      snprintf(uio, 16, "%.15s", e->d_name);
      err = 0;
    }
  closedir(d);
  return err;
}

static int mmio__cmp_unsigned(const void *a, const void *b) {
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return x < y ? -1 : x > y;
}

/*
 * Calls fn for each UIO device whose sysfs name is name, in number order
 * (readdir's order is the file system's). Returns how many there are, or
 * -errno.
 */
static int mmio__uio_each_named(const struct mmio__env *env, const char *name,
                                void (*fn)(void *arg, unsigned i, const char *uio), void *arg) {
  char path[PATH_MAX];
  unsigned *nums = NULL;
  size_t count = 0, cap = 0, i;
  struct dirent *e;
  int n = 0, err = mmio__path(path, sizeof(path), "%s/class/uio", env->sys);
  DIR *d;
  if (err != 0) return err;
  if ((d = opendir(path)) == NULL) return 0;
  while (err == 0 && (e = readdir(d)) != NULL) {
    if (!mmio__uio_name_ok(e->d_name)) continue;
    if (count == cap) {
      size_t ncap = cap != 0 ? cap * 2 : 16;
      /* As in mmio__pci_find: never a wrapped size. */
      unsigned *grown =
          ncap <= SIZE_MAX / sizeof(*nums) ? realloc(nums, ncap * sizeof(*nums)) : NULL;
      if (grown == NULL) {
        err = -ENOMEM;
        break;
      }
      nums = grown;
      cap = ncap;
    }
    nums[count++] = (unsigned)strtoul(e->d_name + 3, NULL, 10);
  }
  closedir(d);
  if (count > 0) qsort(nums, count, sizeof(*nums), mmio__cmp_unsigned);
  for (i = 0; err == 0 && i < count; i++) {
    char uio[16], dev_name[256];
    snprintf(uio, sizeof(uio), "uio%u", nums[i]);
    if (mmio__path(path, sizeof(path), "%s/class/uio/%s/name", env->sys, uio) != 0 ||
        mmio__read_text(path, dev_name, sizeof(dev_name)) != 0 || strcmp(dev_name, name) != 0)
      continue;
    if (fn != NULL) fn(arg, (unsigned)n, uio);
    n++;
  }
  free(nums);
  return err != 0 ? err : n;
}

struct mmio__uio_pick {
  unsigned want;
  char *out;
};

static void mmio__uio_pick(void *arg, unsigned i, const char *uio) {
  struct mmio__uio_pick *p = arg;
  if (i == p->want) snprintf(p->out, 16, "%s", uio);
}

int mmio__uio_by_name(const struct mmio__env *env, const char *name, int instance, char uio[16]) {
  struct mmio__uio_pick pick = {instance < 0 ? 0 : (unsigned)instance, uio};
  int n = mmio__uio_each_named(env, name, mmio__uio_pick, &pick);
  if (n < 0) return n;
  if (n == 0 || (instance >= 0 && (unsigned)instance >= (unsigned)n)) return -ENODEV;
  if (instance < 0 && n > 1) return MMIO_ERR_AMBIGUOUS;
  return 0;
}

static void mmio__uio_say_one(void *arg, unsigned i, const char *uio) {
  struct mmio__text *t = arg;
  mmio__say(t, "%s #%u: uio:%s", i == 0 ? "" : ",", i, uio);
}

void mmio__uio_say_candidates(struct mmio__text *t, const struct mmio__env *env, const char *name) {
  mmio__say(t, " Devices named %s:", name);
  mmio__uio_each_named(env, name, mmio__uio_say_one, t);
  mmio__say(t, ".");
}

/* Kernel virtual addresses (the top half on 64-bit) mean a map of kernel
 * memory, which UIO maps cached; anything else is a physical address. */
static enum mmio_cache_policy mmio__uio_map_policy(uint64_t addr) {
  return (sizeof(void *) == 8 && addr >= 0xffff800000000000ull) ? MMIO_CACHE_CACHED
                                                                : MMIO_CACHE_UNCACHED_DEVICE;
}

/* The size, sub-page offset and address of map `map` from sysfs. */
static int mmio__uio_map_attrs(const struct mmio__env *env, const char *uio, unsigned map,
                               uint64_t v[3]) {
  static const char *const attrs[3] = {"size", "offset", "addr"};
  char path[PATH_MAX];
  int i, err;
  err = mmio__path(path, sizeof(path), "%s/class/uio/%s", env->sys, uio);
  if (err != 0) return err;
  if (access(path, F_OK) != 0) return -ENODEV;
  for (i = 0; i < 3; i++) {
    err = mmio__path(path, sizeof(path), "%s/class/uio/%s/maps/map%u/%s", env->sys, uio, map,
                     attrs[i]);
    if (err == 0) err = mmio__read_u64(path, &v[i]);
    if (err != 0) return err;
  }
  return 0;
}

int mmio__uio_map_at(const struct mmio__env *env, mmio_region *out, const char *uio, unsigned map,
                     uint64_t offset, size_t size, enum mmio_cache_policy policy, unsigned flags) {
  char path[PATH_MAX];
  uint64_t attr[3]; /* size, offset, addr */
  struct mmio__object obj = {0, 0, MMIO_CACHE_DEFAULT};
  const size_t ps = mmio__page_size();
  int fd, err;

  if (out == NULL) return -EINVAL;
  mmio__region_clear(out);
  if (!mmio__uio_name_ok(uio) || map > 4 || !mmio__map_args_ok(policy, flags, 0)) return -EINVAL;
  err = mmio__uio_map_attrs(env, uio, map, attr);
  if (err != 0) return err;
  if (attr[0] == 0 || attr[1] >= ps) return -EINVAL;
  if (offset >= attr[0]) return MMIO_ERR_OUT_OF_RANGE;
  if (size == 0 && (err = mmio__size_to_end(attr[0], offset, &size)) != 0) return err;
  if (size > attr[0] - offset) return MMIO_ERR_OUT_OF_RANGE;
  /* The mmap offset below adds the map's page and sub-page offset: the
   * sum must not wrap (sysfs says how large the map is). */
  if (offset > UINT64_MAX - (uint64_t)map * ps - attr[1]) return MMIO_ERR_OUT_OF_RANGE;
  obj.policy = mmio__uio_map_policy(attr[2]);

  err = mmio__path(path, sizeof(path), "%s/%s", env->dev, uio);
  if (err != 0) return err;
  fd = mmio__open_for_map(path, flags, 0);
  if (fd < 0) return fd;
  /* UIO selects the map by the page number of the mmap offset; the block
   * starts attr[1] bytes into that page. */
  err = mmio__map_object(out, fd, (uint64_t)map * ps + attr[1] + offset, size, policy, flags, &obj,
                         NULL, NULL);
  close(fd);
  return err;
}

int mmio_uio_map(mmio_region *out, const char *uio, unsigned map, uint64_t offset, size_t size,
                 enum mmio_cache_policy policy, unsigned flags) {
  return mmio__uio_map_at(&mmio__env_system, out, uio, map, offset, size, policy, flags);
}

/* ---- interrupts ---- */

struct mmio_uio_irq {
  int fd;
  char name[16];
  struct mmio__env env;
  uint32_t last; /* the count the previous wait saw */
};

int mmio__uio_irq_open_at(const struct mmio__env *env, mmio_uio_irq **out, const char *uio) {
  char path[PATH_MAX];
  mmio_uio_irq *irq;
  int err;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (!mmio__uio_name_ok(uio)) return -EINVAL;
  err = mmio__path(path, sizeof(path), "%s/%s", env->dev, uio);
  if (err != 0) return err;
  irq = calloc(1, sizeof(*irq));
  if (irq == NULL) return -ENOMEM;
  snprintf(irq->name, sizeof(irq->name), "%s", uio);
  irq->env = *env;
  irq->fd = open(path, O_RDWR | O_CLOEXEC);
  if (irq->fd < 0) {
    err = -errno;
    free(irq);
    return err;
  }
  *out = irq;
  return 0;
}

int mmio_uio_irq_open(mmio_uio_irq **out, const char *uio) {
  return mmio__uio_irq_open_at(&mmio__env_system, out, uio);
}

/*
 * Sets or clears INTx Disable in the PCI function's config space: how a
 * uio_pci_generic interrupt is masked and unmasked, since that driver has
 * no irqcontrol (its handler masks the line with this bit).
 */
static int mmio__uio_pci_intx(const mmio_uio_irq *irq, int on) {
  char path[PATH_MAX];
  int fd, err = mmio__path(path, sizeof(path), "%s/class/uio/%s/device/config", irq->env.sys,
                           irq->name);
  if (err != 0) return err;
  fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? -ENOSYS : -errno;
  err = on ? mmio__pci_command_update(fd, 0, 0, PCI_COMMAND_INTX_DISABLE)
           : mmio__pci_command_update(fd, 0, PCI_COMMAND_INTX_DISABLE, 0);
  close(fd);
  return err;
}

/* Writes the irqcontrol word (1 unmasks, 0 masks), falling back to config
 * space for drivers without irqcontrol. */
static int mmio__uio_irq_control(mmio_uio_irq *irq, int32_t on) {
  ssize_t n;
  if (irq == NULL) return -EINVAL;
  n = write(irq->fd, &on, sizeof(on));
  if (n == (ssize_t)sizeof(on)) return 0;
  if (n < 0 && errno == ENOSYS) return mmio__uio_pci_intx(irq, on);
  return n < 0 ? -errno : -EIO;
}

int mmio_uio_irq_enable(mmio_uio_irq *irq) { return mmio__uio_irq_control(irq, 1); }

/* One wait: 1 with the total count, 0, or -errno. */
static int mmio__uio_irq_wait(mmio_uio_irq *irq, int timeout_ms, uint32_t *total) {
  uint32_t c;
  ssize_t n;
  int r = mmio__wait_readable(irq->fd, timeout_ms);
  if (r <= 0) return r;
  n = read(irq->fd, &c, sizeof(c));
  if (n != (ssize_t)sizeof(c)) return n < 0 ? -errno : -EIO;
  *total = c;
  return 1;
}

int mmio_uio_irq_wait(mmio_uio_irq *irq, int timeout_ms, uint32_t *count) {
  uint32_t total = 0;
  int r;
  if (irq == NULL) return -EINVAL;
  r = mmio__uio_irq_wait(irq, timeout_ms, &total);
  if (r == 1) {
    irq->last = total;
    if (count != NULL) *count = total;
  }
  return r;
}

int mmio_uio_irq_fd(const mmio_uio_irq *irq) { return irq != NULL ? irq->fd : -EINVAL; }

void mmio_uio_irq_close(mmio_uio_irq *irq) {
  if (irq == NULL) return;
  close(irq->fd);
  free(irq);
}

/* ---- the device handle ---- */

struct mmio__uio_device {
  mmio_device base;
  mmio_uio_irq *irq; /* NULL until enabled */
};

static int mmio__uio_dev_map(mmio_device *d, mmio_region *out, unsigned index, uint64_t offset,
                             size_t size, enum mmio_cache_policy policy, unsigned flags) {
  return mmio__uio_map_at(&d->env, out, d->info.name, index, offset, size, policy, flags);
}

static int mmio__uio_dev_region_info(const mmio_device *d, unsigned index,
                                     struct mmio_region_info *out) {
  uint64_t attr[3];
  int err = index > 4 ? -ENXIO : mmio__uio_map_attrs(&d->env, d->info.name, index, attr);
  if (err == -ENOENT) err = -ENXIO;
  if (err != 0) return err;
  out->size = attr[0];
  out->address = attr[2];
  out->flags = MMIO_REGION_MEM | MMIO_REGION_MMAP;
  out->policy = mmio__uio_map_policy(attr[2]);
  return 0;
}

static int mmio__uio_dev_irq_enable(mmio_device *d, enum mmio_irq kind) {
  struct mmio__uio_device *u = (struct mmio__uio_device *)d;
  const int opened = u->irq == NULL;
  int err;
  if (kind != MMIO_IRQ_DEFAULT && kind != MMIO_IRQ_INTX) return -ENOTSUP;
  if (opened) {
    err = mmio__uio_irq_open_at(&d->env, &u->irq, d->info.name);
    if (err != 0) return err;
  }
  /* Counting starts at the open; what arrived before the first wait is
   * still reported by it. */
  err = mmio__uio_irq_control(u->irq, 1);
  /* A failed enable leaves the device as it found it: not holding a
   * descriptor it opened for the interrupt it could not enable. */
  if (err != 0 && opened) {
    mmio_uio_irq_close(u->irq);
    u->irq = NULL;
  }
  return err;
}

static int mmio__uio_dev_irq_wait(mmio_device *d, int timeout_ms, uint64_t *count) {
  struct mmio__uio_device *u = (struct mmio__uio_device *)d;
  uint32_t total = 0;
  int r = u->irq != NULL ? mmio__uio_irq_wait(u->irq, timeout_ms, &total) : -EINVAL;
  if (r == 1) {
    /* The kernel's count is the total since boot; report what is new.
     * Unsigned subtraction survives the count wrapping. */
    uint32_t delta = total - u->irq->last;
    u->irq->last = total;
    if (count != NULL) *count = delta != 0 ? delta : 1;
  }
  return r;
}

static int mmio__uio_dev_irq_ack(mmio_device *d) {
  return mmio__uio_irq_control(((struct mmio__uio_device *)d)->irq, 1);
}

static int mmio__uio_dev_irq_fd(const mmio_device *d) {
  return mmio_uio_irq_fd(((const struct mmio__uio_device *)d)->irq);
}

static void mmio__uio_dev_irq_disable(mmio_device *d) {
  struct mmio__uio_device *u = (struct mmio__uio_device *)d;
  if (u->irq == NULL) return;
  mmio__uio_irq_control(u->irq, 0);
  mmio_uio_irq_close(u->irq);
  u->irq = NULL;
}

static void mmio__uio_dev_free(mmio_device *d) {
  mmio_uio_irq_close(((struct mmio__uio_device *)d)->irq);
}

static const struct mmio__device_ops mmio__uio_device_ops = {
    .map = mmio__uio_dev_map,
    .region_info = mmio__uio_dev_region_info,
    .irq_enable = mmio__uio_dev_irq_enable,
    .irq_wait = mmio__uio_dev_irq_wait,
    .irq_ack = mmio__uio_dev_irq_ack,
    .irq_fd = mmio__uio_dev_irq_fd,
    .irq_disable = mmio__uio_dev_irq_disable,
    .free = mmio__uio_dev_free,
};

int mmio__uio_device_open(const struct mmio__env *env, mmio_device **out, const char *uio) {
  char path[PATH_MAX], link[PATH_MAX], bdf[MMIO__PCI_ADDR_MAX];
  struct mmio__uio_device *u;
  if (out == NULL) return -EINVAL;
  *out = NULL;
  if (!mmio__uio_name_ok(uio)) return -EINVAL;
  if (mmio__path(path, sizeof(path), "%s/class/uio/%s", env->sys, uio) != 0 ||
      access(path, F_OK) != 0)
    return -ENODEV;
  u = (struct mmio__uio_device *)mmio__device_new(sizeof(*u), &mmio__uio_device_ops, env,
                                                  MMIO_SOURCE_UIO, uio);
  if (u == NULL) return -ENOMEM;
  u->base.info.regions = 5;
  u->base.info.irqs = 1u << MMIO_IRQ_DEFAULT | 1u << MMIO_IRQ_INTX;
  if (mmio__path(path, sizeof(path), "%s/class/uio/%s/name", env->sys, uio) == 0)
    mmio__read_text(path, u->base.info.uio_name, sizeof(u->base.info.uio_name));
  /* A UIO device of a PCI driver links to its function. */
  if (mmio__path(path, sizeof(path), "%s/class/uio/%s/device", env->sys, uio) == 0 &&
      mmio__link_name(path, link, sizeof(link)) == 0 &&
      mmio__pci_addr_parse(link, strlen(link), bdf) == 0)
    mmio__pci_identity(env, bdf, &u->base.info);
  *out = &u->base;
  return 0;
}

void mmio__uio_explain(struct mmio__text *t, const struct mmio__env *env, const char *uio,
                       unsigned map, int err) {
  (void)env;
  switch (err) {
  case -ENOENT:
    mmio__say(t,
              " %s has no map%u: its driver exposes fewer memory maps (see "
              "/sys/class/uio/%s/maps). uio_pci_generic exposes one per memory BAR, "
              "in BAR order (none before Linux 5.x): map a BAR with pci:ADDRESS/barN "
              "and keep %s for interrupts.",
              uio, map, uio, uio);
    break;
  case -ENODEV:
    mmio__say(t, " There is no UIO device %s; see /sys/class/uio.", uio);
    break;
  case -EPERM:
  case -EACCES:
    mmio__say_needs_root(t);
    break;
  default:
    break;
  }
}
