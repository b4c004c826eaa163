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

/*
 * The library's own codes, one row each: XX(NAME, code, message).
 *
 * This list is the only place a code is written down. It generates the
 * MMIO_ERR_<NAME> constants, mmio_err_name() and mmio_strerror() here, the
 * command-line tool's messages and the Python binding's exception classes,
 * so they cannot drift apart. The message says what happened and, where
 * there is something to do, what to do.
 */
#define MMIO_ERRNO_MAP(XX)                                                                         \
  /* The access does not fit inside the region, a requested range runs past                        \
   * the end of a memory object, or a size or offset is too large. */                              \
  XX(OUT_OF_RANGE, -5001,                                                                          \
     "offset or size out of range: the access must lie inside the region or object")               \
  /* The offset is not naturally aligned for the access width. Alignment is                        \
   * judged on the real address (or a backend's own offset). */                                    \
  XX(UNALIGNED, -5002,                                                                             \
     "offset not naturally aligned for the access width: use a multiple of the width")             \
  /* A store to a region without the write right. Nothing was written. */                          \
  XX(READ_ONLY, -5003, "region is read-only: map or open it without the read-only flag to store")  \
  /* The object cannot give the requested memory type; never downgraded. */                        \
  XX(CACHE_POLICY, -5004,                                                                          \
     "memory object cannot provide the requested cache policy: ask for the default policy "        \
     "or the one the object gives")                                                                \
  /* A test double refused the access; its failure handler was told why. */                        \
  XX(REJECTED, -5005, "access rejected by a test double (see its failure message)")                \
  /* A source spec string does not parse. */                                                       \
  XX(BAD_SPEC, -5006,                                                                              \
     "malformed source spec: the accepted forms are listed by mmio --help, mmio.spec_forms() "     \
     "and mmio_spec_forms()")                                                                      \
  /* The PCI device's memory decoding is off: BARs read as all ones. */                            \
  XX(DECODING_OFF, -5007,                                                                          \
     "PCI memory decoding is off: the BAR would read as all ones; enable the device first")        \
  /* The PCI BAR decodes I/O ports, not memory. */                                                 \
  XX(IO_BAR, -5008, "PCI BAR decodes I/O ports, not memory: it cannot be mapped")                  \
  /* No IOMMU group: VFIO cannot be used. */                                                       \
  XX(NO_IOMMU, -5009, "device has no IOMMU group (no IOMMU enabled): VFIO cannot be used")         \
  /* Another device in the IOMMU group is bound to a driver other than vfio-pci. */                \
  XX(VFIO_NOT_VIABLE, -5010,                                                                       \
     "VFIO group not viable: bind every device in the group to vfio-pci or to no driver")          \
  /* Bound to a driver other than the one the source needs, or to none. */                         \
  XX(WRONG_DRIVER, -5011, "device is not bound to the driver this source needs")                   \
  /* A device name (vendor:device, UIO name) matches more than one device. */                      \
  XX(AMBIGUOUS, -5012,                                                                             \
     "the name matches several devices or registers: add #N to pick a device, or spell the "       \
     "register's name exactly")                                                                    \
  /* No register or field of a description has that name. */                                       \
  XX(UNKNOWN_NAME, -5013, "no register or field has that name (the message lists the closest)")    \
  /* A write-only register cannot be read, so not read-modify-written either. */                   \
  XX(WRITE_ONLY, -5014,                                                                            \
     "the register is write-only and is never read: write it whole (a register map then "          \
     "remembers it)")                                                                              \
  /* Reading the register has a side effect (it clears on read, say). */                           \
  XX(READ_EFFECT, -5015,                                                                           \
     "reading this register has a side effect (such as clearing it): read it on purpose, "         \
     "asking for read effects (read_effects=True, MMIO_REGS_READ_EFFECTS)")                        \
  /* A verified write read back a different value. */                                              \
  XX(WRITE_DROPPED, -5016,                                                                         \
     "the register did not keep the value written: check its access rules and that the "           \
     "device is powered and clocked")                                                              \
  /* A register description (SVD or text) is malformed. */                                         \
  XX(BAD_DESCRIPTION, -5017,                                                                       \
     "malformed register description: the message gives the file, line and reason")                \
  /* A guarded access faulted (SIGBUS or SIGSEGV): see mmio/guard.h. */                            \
  XX(BUS_ERROR, -5018,                                                                             \
     "bus error: the access faulted, so the device did not answer (check that it is powered, "     \
     "clocked and out of reset) or the object under the mapping shrank")

/* MMIO_ERR_OUT_OF_RANGE, MMIO_ERR_UNALIGNED, ...: see MMIO_ERRNO_MAP. */
enum mmio_errno {
#define MMIO__ERR_ENUM(name, code, message) MMIO_ERR_##name = (code),
  MMIO_ERRNO_MAP(MMIO__ERR_ENUM)
#undef MMIO__ERR_ENUM
      MMIO__ERR_END = 0
};

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
