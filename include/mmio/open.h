/*
 * One entry point for every source of device memory, named by a spec
 * string (the same strings the command-line tool takes):
 *
 *   pci:DDDD:BB:DD.F/barN[@OFF][+LEN]   a PCI BAR through sysfs resourceN
 *                                       (resourceN_wc for write-combining)
 *   vfio:DDDD:BB:DD.F/barN[@OFF][+LEN]  a PCI BAR through VFIO
 *   uio:uioN/mapM[@OFF][+LEN]           a UIO memory map
 *   phys:ADDR+LEN                       physical memory through /dev/mem
 *   shm:NAME[+SIZE]                     POSIX shm /dev/shm/NAME; with SIZE it
 *                                       is created at that size if missing
 *   file:PATH[@OFF][+LEN]               any mmap-able file
 *
 * Numbers are decimal or 0x-prefixed hex, optionally followed by k, M or G
 * (binary multiples). The PCI domain may be left out ("00:02.0"). @OFF
 * starts the region OFF bytes into the BAR, map or file; +LEN limits its
 * length (default: to the end).
 *
 * A spec is parsed and validated completely before anything is opened.
 */
#ifndef MMIO_OPEN_H
#define MMIO_OPEN_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/map.h"
#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

enum mmio_source {
  MMIO_SOURCE_PCI = 1,
  MMIO_SOURCE_VFIO,
  MMIO_SOURCE_UIO,
  MMIO_SOURCE_PHYS,
  MMIO_SOURCE_SHM,
  MMIO_SOURCE_FILE
};

/* A parsed spec. */
struct mmio_spec {
  enum mmio_source source;
  char name[4096];  /* canonical PCI address, uioN, shm name or file path */
  unsigned index;   /* BAR or map number */
  uint64_t offset;  /* @OFF, or the physical address for phys: */
  uint64_t length;  /* +LEN or +SIZE; 0 when not given */
};

/* The spec forms above, one per line, for messages. Static, never NULL. */
MMIO_API const char *mmio_spec_forms(void);

/*
 * Parses text into *out. Returns 0, or MMIO_ERR_BAD_SPEC with a one-line
 * reason written to why (cap bytes; why may be NULL), or -EINVAL for NULL
 * text or out.
 */
MMIO_API int mmio_spec_parse(const char *text, struct mmio_spec *out,
                             char *why, size_t cap);

/*
 * Opens the source named by spec and makes *out a region over the window it
 * names, with mmio_map's rules: policy is checked against what the source
 * gives and never downgraded, flags is 0 or MMIO_MAP_READ_ONLY, and the
 * mapping (and any file descriptors) go with the last region. A vfio: spec
 * opens a VFIO session of its own; to map several regions of one device
 * or use its interrupts, use mmio/vfio.h.
 *
 * Returns 0; MMIO_ERR_BAD_SPEC; the errors of the source (mmio/pci.h,
 * mmio/uio.h, mmio/vfio.h, mmio/phys.h). On failure *out is left empty and
 * nothing stays open. mmio_explain() turns a failure into advice.
 */
MMIO_API int mmio_open(mmio_region *out, const char *spec,
                       enum mmio_cache_policy policy, unsigned flags);

/*
 * Explains why opening spec failed with err, and what to do about it, in a
 * few sentences for a person: the parse error and the expected forms; the
 * driver that owns a BAR; STRICT_DEVMEM; memory decoding off; an I/O BAR;
 * a missing IOMMU or a group that is not viable, with its members; missing
 * permissions. It looks at sysfs again to say so, and changes nothing.
 * Writes at most cap bytes (NUL-terminated) to buf; returns the length the
 * full text has, like snprintf.
 */
MMIO_API int mmio_explain(char *buf, size_t cap, const char *spec, int err);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_OPEN_H */
