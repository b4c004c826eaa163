/*
 * Error codes of the mmio library.
 *
 * Every function that can fail returns an int: 0 on success or a negative
 * code. Failures that come from the operating system are returned as the
 * negated errno value (for example -ENOENT). The library's own conditions
 * use the MMIO_ERR_ codes below, which sit outside the range Linux uses for
 * errno values (1..4095), so no -errno can ever equal one of them.
 *
 * There is no hidden "last error" state: the return value is the whole
 * story, and mmio_strerror() turns any of them into words.
 */
#ifndef MMIO_ERROR_H
#define MMIO_ERROR_H

#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The access does not fit inside the region, or a requested range runs past
 * the end of a memory object, or a size or offset is too large to represent. */
#define MMIO_ERR_OUT_OF_RANGE (-5001)

/* The offset is not naturally aligned for the access width. Alignment is
 * judged on the real address (or, for non-memory backends, the backend's own
 * offset), not on the offset inside the region. */
#define MMIO_ERR_UNALIGNED (-5002)

/* A store was attempted on a region that has no write right (made read-only,
 * or mapped with MMIO_MAP_READ_ONLY). Nothing was written. */
#define MMIO_ERR_READ_ONLY (-5003)

/* The memory object cannot provide the requested cache policy. The library
 * never silently substitutes a different policy. */
#define MMIO_ERR_CACHE_POLICY (-5004)

/* A test double (fake register file, mock, concurrency checker) refused the
 * access; its failure handler has been given a message saying why. */
#define MMIO_ERR_REJECTED (-5005)

/* A source spec string (mmio_open) does not parse; mmio_spec_parse and
 * mmio_explain say where and show the expected forms. */
#define MMIO_ERR_BAD_SPEC (-5006)

/* The PCI device's memory decoding is off (command register bit 1 clear):
 * its memory BARs would read as all ones. */
#define MMIO_ERR_DECODING_OFF (-5007)

/* The PCI BAR decodes I/O ports, not memory, and cannot be mapped. */
#define MMIO_ERR_IO_BAR (-5008)

/* The device has no IOMMU group: no IOMMU is enabled, so VFIO cannot be
 * used (Debian kernels have no VFIO no-IOMMU mode). */
#define MMIO_ERR_NO_IOMMU (-5009)

/* The device's IOMMU group is not viable for VFIO: another device in the
 * group is bound to a driver other than vfio-pci. */
#define MMIO_ERR_VFIO_NOT_VIABLE (-5010)

/* The device is bound to a driver other than the one the source needs
 * (vfio-pci for VFIO), or to none. */
#define MMIO_ERR_WRONG_DRIVER (-5011)

/*
 * Returns a static, human-readable description of err.
 *
 * err is 0, one of the MMIO_ERR_ codes, or a negated errno value; any other
 * value yields "unknown error". The returned string is never NULL, must not
 * be freed and is safe to use from any thread.
 */
MMIO_API const char *mmio_strerror(int err);

/*
 * Returns the symbolic name of err ("MMIO_ERR_UNALIGNED", "ENOENT", ...) for
 * logs and test failure messages, or "UNKNOWN" when err is not a known code.
 * The string is static and never NULL.
 */
MMIO_API const char *mmio_err_name(int err);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_ERROR_H */
