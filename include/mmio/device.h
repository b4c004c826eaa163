/*
 * Devices: one handle for what a source offers beyond a single region: its
 * numbered regions, its interrupt and a description of itself, the same
 * whatever the route (sysfs, UIO, VFIO, /dev/mem, shm, a file).
 *
 *   mmio_device *dev;
 *   mmio_region regs;
 *   mmio_device_open(&dev, "uio:uio0");              // or vfio:, pci:, ...
 *   mmio_device_map(&regs, dev, 0, 0, 0, MMIO_CACHE_DEFAULT, 0);
 *   mmio_device_irq_enable(dev, MMIO_IRQ_DEFAULT);
 *   for (;;) {
 *     uint64_t n;
 *     if (mmio_device_irq_wait(dev, 1000, &n) == 1) {
 *       ... read and clear the cause at the device ...
 *       mmio_device_irq_ack(dev);                    // unmask the line again
 *     }
 *   }
 *   mmio_region_release(&regs);
 *   mmio_device_close(dev);
 *
 * mmio_device_open() (mmio/open.h) names the device with the same spec
 * strings as mmio_open(); the sources' own entry points (mmio/pci.h,
 * mmio/uio.h, mmio/vfio.h, ...) are the layer below.
 *
 * Regions mapped from a device keep what they need of it alive: a device
 * may be closed while its regions are in use.
 */
#ifndef MMIO_DEVICE_H
#define MMIO_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/map.h"
#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The routes to device memory. */
enum mmio_source {
  MMIO_SOURCE_PCI = 1, /* a PCI BAR through sysfs resourceN */
  MMIO_SOURCE_VFIO,    /* a PCI device bound to vfio-pci */
  MMIO_SOURCE_UIO,     /* a UIO device, /dev/uioN */
  MMIO_SOURCE_PHYS,    /* physical memory through /dev/mem */
  MMIO_SOURCE_SHM,     /* a POSIX shm object */
  MMIO_SOURCE_FILE     /* any mmap-able file */
};

/* Returns "pci", "vfio", "uio", "phys", "shm", "file", or "invalid". */
MMIO_API const char *mmio_source_name(enum mmio_source source);

typedef struct mmio_device mmio_device;

/* What a device is. Strings are NUL-terminated; unknown ones are "". */
struct mmio_device_info {
  enum mmio_source source;
  char name[256];   /* canonical: "0000:00:03.0", "uio0", the shm name or the path */
  unsigned regions; /* region indexes 0 .. regions - 1 (BARs, UIO maps; 1 otherwise) */
  unsigned irqs;    /* the MMIO_IRQ_ kinds it can deliver, as bits 1u << kind */
  /* The PCI function behind the device (pci:, vfio:, and uio: devices of a
   * PCI driver such as uio_pci_generic); all 0 and "" otherwise. */
  char pci_address[16]; /* "0000:00:03.0" */
  uint16_t vendor, device, subsystem_vendor, subsystem_device;
  uint32_t class_code; /* base class, subclass, programming interface */
  char driver[64];     /* the bound kernel driver */
  char uio_name[64];   /* uio: the driver's name for the device */
};

/* Region flags, for mmio_region_info.flags. */
#define MMIO_REGION_MEM 0x1u      /* decodes memory (can be mapped) */
#define MMIO_REGION_IO 0x2u       /* decodes I/O ports (cannot be mapped) */
#define MMIO_REGION_PREFETCH 0x4u /* prefetchable: write-combining allowed */
#define MMIO_REGION_64BIT 0x8u    /* a 64-bit BAR */
#define MMIO_REGION_MMAP 0x10u    /* mapped directly (else VFIO pread/pwrite) */

/* One of a device's regions. */
struct mmio_region_info {
  uint64_t size;                 /* bytes; 0 when the index is not implemented */
  uint64_t address;              /* bus or physical address when known, else 0 */
  unsigned flags;                /* MMIO_REGION_ */
  enum mmio_cache_policy policy; /* what mapping it gives (MMIO_CACHE_DEFAULT: up to the driver) */
};

/*
 * Describes dev. Returns 0, or -EINVAL for a NULL argument. Reads sysfs
 * when the device is opened, not here: the answer does not change.
 */
MMIO_API int mmio_device_info(struct mmio_device_info *out, const mmio_device *dev);

/*
 * Describes region index of dev. Returns 0; -EINVAL; -ENXIO when the
 * device has no such region (out->size is then 0); -errno.
 */
MMIO_API int mmio_device_region_info(struct mmio_region_info *out, const mmio_device *dev,
                                     unsigned index);

/*
 * Maps size bytes (0: to the end of the region) starting offset bytes into
 * region index of dev (a BAR for pci: and vfio:, a map for uio:, 0 for the
 * others, where offset is the physical address or the object offset), with
 * mmio_map()'s rules for policy and flags (vfio: devices also take
 * MMIO_VFIO_NO_MMAP). The region keeps what it needs of the device alive.
 * Returns 0; -EINVAL; -ENXIO (no such region); the source's errors
 * (mmio/pci.h, mmio/uio.h, mmio/vfio.h, mmio/phys.h, mmio/file.h).
 * On failure *out is left empty.
 */
MMIO_API int mmio_device_map(mmio_region *out, mmio_device *dev, unsigned index, uint64_t offset,
                             size_t size, enum mmio_cache_policy policy, unsigned flags);

/* Interrupt kinds. */
enum mmio_irq {
  MMIO_IRQ_DEFAULT = 0, /* the device's usual one: INTx for PCI, UIO's interrupt */
  MMIO_IRQ_INTX = 1,    /* the legacy PCI line (masked after each interrupt) */
  MMIO_IRQ_MSI = 2      /* message signalled, vector 0 (VFIO only) */
};

/*
 * Starts delivery of the device's interrupt of the given kind and unmasks
 * it. One kind at a time; enabling again replaces the previous one.
 * UIO: writes 1 to /dev/uioN (or, for uio_pci_generic, which has no
 * irqcontrol, clears INTx Disable in config space); VFIO: routes the
 * interrupt to an eventfd (MSI also turns on bus mastering).
 * Returns 0; -EINVAL; -ENOTSUP when the source has no interrupts (pci:,
 * phys:, shm:, file:) or not of that kind; -ENXIO when the device has none
 * of that kind; -errno.
 */
MMIO_API int mmio_device_irq_enable(mmio_device *dev, enum mmio_irq kind);

/*
 * Waits up to timeout_ms milliseconds (-1: forever, 0: just check) for the
 * interrupt. Returns 1 and sets *count (when count is not NULL) to the
 * number of interrupts since the previous wait (at least 1: interrupts
 * coalesce); 0 on timeout; -EINVAL when no interrupt is enabled; -errno.
 * A wait interrupted by a signal continues with the time left.
 *
 * Level-triggered lines (INTx, and UIO) stay masked after an interrupt
 * until mmio_device_irq_ack(): clear the cause at the device first, or it
 * fires again at once.
 */
MMIO_API int mmio_device_irq_wait(mmio_device *dev, int timeout_ms, uint64_t *count);

/* Unmasks the line after an interrupt was handled (nothing to do for MSI).
 * Returns 0, -EINVAL when no interrupt is enabled, or -errno. */
MMIO_API int mmio_device_irq_ack(mmio_device *dev);

/*
 * A file descriptor that polls readable (POLLIN) when an interrupt is
 * pending, for callers that wait on several sources; read it only through
 * mmio_device_irq_wait(..., 0, ...). Owned by the device.
 * Returns the descriptor, or -EINVAL when no interrupt is enabled.
 */
MMIO_API int mmio_device_irq_fd(const mmio_device *dev);

/* Stops interrupt delivery. Accepts NULL and a device with none enabled. */
MMIO_API void mmio_device_irq_disable(mmio_device *dev);

/*
 * Says why dev's memory might read as all ones, from what its PCI config
 * space shows now: a function that is gone or whose link is down (config
 * space all ones), memory decoding off, a power state other than D0, each
 * with what to do. For a tool that read 0xffffffff and wonders. Writes at
 * most cap bytes (NUL-terminated) to buf; returns the length of the full
 * text like snprintf, 0 when it found nothing wrong or dev is not a PCI
 * function, or -EINVAL or -errno when config space cannot be read.
 */
MMIO_API int mmio_device_diagnose(char *buf, size_t cap, const mmio_device *dev);

/*
 * The same for the PCI function one of whose memory BARs holds the
 * physical address addr: for phys: sources and devmem-style tools, which
 * know only an address. The text starts by naming the function and BAR.
 * Returns as mmio_device_diagnose; 0 also when no BAR holds addr.
 */
MMIO_API int mmio_diagnose_address(char *buf, size_t cap, uint64_t addr);

/*
 * Calls fn(arg, spec) for each device of this machine that a spec names:
 * every PCI function ("pci:0000:00:03.0", also "vfio:..." when it is bound
 * to vfio-pci) and every UIO device ("uio:uio0"), PCI functions in address
 * order, then UIO devices in number order. Open one with
 * mmio_device_open(spec) to learn more. fn returning nonzero stops the
 * walk, and its value is returned. Returns 0 when the walk ends; -EINVAL
 * for a NULL fn; -ENOMEM; -errno when /sys/bus/pci/devices or
 * /sys/class/uio exists but cannot be read.
 */
MMIO_API int mmio_device_each(int (*fn)(void *arg, const char *spec), void *arg);

/* Drops the caller's reference: the device goes when its last region does.
 * Accepts NULL. */
MMIO_API void mmio_device_close(mmio_device *dev);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_DEVICE_H */
