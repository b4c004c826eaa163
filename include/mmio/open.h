/*
 * One entry point for every source of device memory, named by a spec
 * string (the same strings the command-line tool and the Python binding
 * take), and advice for a person when opening fails.
 *
 *   pci:DEV/barN[@OFF][+LEN]      a PCI BAR through sysfs resourceN
 *                                 (resourceN_wc for write-combining)
 *   vfio:DEV/barN[@OFF][+LEN]     a PCI BAR through VFIO
 *   uio:UIO/mapM[@OFF][+LEN]      a UIO memory map
 *   phys:ADDR+LEN                 physical memory through /dev/mem
 *   shm:NAME[+SIZE]               POSIX shm /dev/shm/NAME; with SIZE it
 *                                 is created at that size if missing
 *   file:PATH[@OFF][+LEN]         any mmap-able file
 *
 * The grammar, exactly (anything else is refused with a reason):
 *
 *   DEV     = PCIADDR | VENDOR ":" DEVICE [ "#" INDEX ]
 *   PCIADDR = [ DOMAIN ":" ] BUS ":" SLOT "." FUNC
 *             DOMAIN 4 to 8 hex digits (5 for VMD domains), BUS 2 hex
 *             digits, SLOT 2 hex digits up to 1f, FUNC 1 digit up to 7;
 *             upper or lower case; the domain defaults to 0000
 *   VENDOR, DEVICE = 4 hex digits each: the first such function in
 *             address order, or with #N the Nth from #0
 *   UIO     = "uio" INDEX | PCIADDR | NAME [ "#" INDEX ]
 *             uioN by number; the UIO device of a PCI function; or the
 *             device whose sysfs "name" is NAME (with several, #N picks
 *             one, else MMIO_ERR_AMBIGUOUS)
 *   NAME    = 1 to 255 of [A-Za-z0-9._-], not "." or "..", not "uio"
 *             followed by a digit (that is a number, and must be all digits)
 *   PATH    = 1 to 4095 bytes, no control characters
 *   INDEX   = "0" | [1-9][0-9]*                  (barN 0-5, mapM 0-4)
 *   OFF, LEN, ADDR, SIZE = NUMBER; LEN and SIZE nonzero; OFF + LEN and
 *             ADDR + LEN must not exceed 2^64
 *   NUMBER  = ( "0" | [1-9][0-9]* | ( "0x" | "0X" ) HEX+ ) [ "k" | "K" | "M" | "G" ]
 *             (binary multiples: k = 1024; no leading zeros in decimal)
 *
 * A file: spec's window is the numeric tail only: "file:/a@b+c@0x10+4k"
 * is the path "/a@b+c" with offset 0x10 and length 4096; a tail that looks
 * like a window but is not one ("+0", "@0x") is an error, not part of the
 * path.
 *
 * A spec is parsed and validated completely before anything is opened.
 */
#ifndef MMIO_OPEN_H
#define MMIO_OPEN_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/device.h"
#include "mmio/map.h"
#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a spec names its device (pci:, vfio:, uio:). */
enum mmio_spec_by {
  MMIO_SPEC_BY_ADDRESS = 0, /* a PCI address, or uioN for uio: */
  MMIO_SPEC_BY_ID,          /* PCI vendor:device[#N] */
  MMIO_SPEC_BY_NAME         /* a UIO device's name[#N] */
};

/* A parsed spec. */
struct mmio_spec {
  enum mmio_source source;
  enum mmio_spec_by by;
  /* The canonical PCI address ("0000:00:02.0"), "uioN", the UIO name, the
   * shm name or the path; for MMIO_SPEC_BY_ID, "vvvv:dddd". */
  char name[4096];
  uint16_t vendor, device; /* MMIO_SPEC_BY_ID */
  unsigned instance;       /* #N, from 0 */
  int has_instance;        /* #N was given (a UIO name then picks, never fails as ambiguous) */
  int has_region;          /* a /barN or /mapM part was given */
  unsigned index;          /* BAR or map number */
  uint64_t offset;         /* @OFF, or the physical address for phys: */
  uint64_t length;         /* +LEN or +SIZE; 0 when not given */
};

/* The spec forms above, one per line, for messages. Static, never NULL. */
MMIO_API const char *mmio_spec_forms(void);

/*
 * Parses text into *out. A device spec (pci:, vfio:, uio:) may leave out
 * the region part; mmio_open() then refuses it, mmio_device_open() does not
 * need it. Returns 0; MMIO_ERR_BAD_SPEC with a one-line reason written to
 * why (cap bytes; why may be NULL), *out then zeroed; or -EINVAL for a NULL
 * text or out.
 */
MMIO_API int mmio_spec_parse(struct mmio_spec *out, const char *text, char *why, size_t cap);

/*
 * Opens the source named by spec and makes *out a region over the window it
 * names, with mmio_map's rules: policy is checked against what the source
 * gives and never downgraded; flags is 0 or MMIO_MAP_READ_ONLY (and
 * MMIO_VFIO_NO_MMAP for vfio:); the mapping (and anything the region needs,
 * such as a VFIO device) goes with the last region. To reach the device's
 * interrupts too, use mmio_device_open() and mmio_device_map().
 *
 * Returns 0; -EINVAL for a NULL argument, unknown flags or policy;
 * MMIO_ERR_BAD_SPEC (also for a device spec without its /barN or /mapM);
 * -ENODEV or MMIO_ERR_AMBIGUOUS when a name matches no device or several;
 * the errors of the source (mmio/pci.h, mmio/uio.h, mmio/vfio.h,
 * mmio/phys.h, mmio/file.h). On failure *out is left empty and nothing
 * stays open. mmio_explain() turns a failure into advice.
 */
MMIO_API int mmio_open(mmio_region *out, const char *spec, enum mmio_cache_policy policy,
                       unsigned flags);

/*
 * Opens the device a spec names: "uio:uio0", "vfio:0000:00:03.0",
 * "pci:1234:11e8", "phys:" ... A region part, when present, is checked and
 * otherwise not used (so a tool can pass the spec it maps), except that the
 * +SIZE of shm: creates the object at mmio_device_map() time. *out is the
 * caller's (mmio_device_close). Nothing is mapped.
 * Returns 0; -EINVAL; MMIO_ERR_BAD_SPEC; -ENODEV; MMIO_ERR_AMBIGUOUS; the
 * errors of the source's open (mmio_vfio_open for vfio:).
 */
MMIO_API int mmio_device_open(mmio_device **out, const char *spec);

/*
 * Explains why opening spec failed with err, and what to do about it, in a
 * few sentences for a person: the parse error and the expected forms; the
 * candidates of an ambiguous name; the driver that owns a BAR;
 * STRICT_DEVMEM; memory decoding off; an I/O BAR; a missing IOMMU or a
 * group that is not viable, with its members; missing permissions. It
 * reads sysfs again to say so, and changes nothing.
 * Writes at most cap bytes (NUL-terminated) to buf; returns the length the
 * full text has, like snprintf.
 */
MMIO_API int mmio_explain(char *buf, size_t cap, const char *spec, int err);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_OPEN_H */
