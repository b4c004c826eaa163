/*
 * UIO devices (/dev/uioN): memory maps and interrupts. This is the layer
 * under mmio/device.h, whose handle reaches UIO, VFIO and sysfs devices the
 * same way (and finds a UIO device by name or PCI address).
 */
#ifndef MMIO_UIO_H
#define MMIO_UIO_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/map.h"
#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Maps size bytes (0: to the end) starting offset bytes into memory map
 * map_index of the UIO device uio ("uio0").
 *
 * The map's size and the register block's offset inside its first page
 * come from /sys/class/uio/<uio>/maps/map<M>/; /dev/<uio> is mapped at file
 * offset M * pagesize, and byte 0 of the region is the register block
 * itself, not the start of its page (tools that skip the "offset" file are
 * off by it).
 *
 * policy: maps of physical memory (device registers) are uncached, maps of
 * kernel memory cached; the kind is told from the map's address.
 * Returns 0; -ENODEV when the device does not exist; -ENOENT when it has no
 * such map (uio_pci_generic exposes each memory BAR as a map, in BAR order;
 * older kernels' uio_pci_generic exposes none); MMIO_ERR_OUT_OF_RANGE;
 * MMIO_ERR_CACHE_POLICY; -errno.
 */
MMIO_API int mmio_uio_map(mmio_region *out, const char *uio, unsigned map_index, uint64_t offset,
                          size_t size, enum mmio_cache_policy policy, unsigned flags);

/*
 * Interrupts of a UIO device. Opening /dev/uioN starts counting; each
 * interrupt bumps the count, and a wait returns when the count differs
 * from the one last seen, so an interrupt that fires before the wait is
 * not lost.
 */
typedef struct mmio_uio_irq mmio_uio_irq;

/* Opens /dev/<uio> for interrupts. *out is the caller's (mmio_uio_irq_close).
 * Returns 0, -EINVAL (NULL out, or uio is not "uioN"), -ENOMEM or -errno. */
MMIO_API int mmio_uio_irq_open(mmio_uio_irq **out, const char *uio);

/*
 * Enables (unmasks) the interrupt: writes 1 to the device for drivers with
 * irqcontrol; for a PCI device whose driver has none (uio_pci_generic,
 * which masks INTx after each interrupt) clears INTx Disable in its config
 * space instead. Acknowledge the cause at the device first, or it fires
 * again at once.
 * Returns 0, -EINVAL for NULL, or -errno (-ENOSYS: no way to unmask this
 * device).
 */
MMIO_API int mmio_uio_irq_enable(mmio_uio_irq *irq);

/*
 * Waits up to timeout_ms milliseconds (-1: forever, 0: just check) for an
 * interrupt. Returns 1 and sets *count (if not NULL) to the device's total
 * interrupt count; 0 on timeout; -EINVAL for NULL; -errno. A signal does
 * not cut the wait short.
 */
MMIO_API int mmio_uio_irq_wait(mmio_uio_irq *irq, int timeout_ms, uint32_t *count);

/* The file descriptor, for callers that poll several sources (POLLIN);
 * -EINVAL for NULL. */
MMIO_API int mmio_uio_irq_fd(const mmio_uio_irq *irq);

/* Closes. Accepts NULL. */
MMIO_API void mmio_uio_irq_close(mmio_uio_irq *irq);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_UIO_H */
