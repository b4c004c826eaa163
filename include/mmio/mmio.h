/*
 * mmio: checked, width-exact access to memory-mapped device registers from
 * Linux user space.
 *
 * Include this header for the library:
 *   mmio/error.h    error codes, mmio_strerror()
 *   mmio/raw.h      single-instruction accessors and barriers
 *   mmio/backend.h  memory and function-table backends
 *   mmio/region.h   checked, splittable regions
 *   mmio/map.h      mapping memory objects, cache policies
 *   mmio/open.h     mmio_open(spec) for every source, mmio_explain()
 *   mmio/pci.h, mmio/phys.h, mmio/file.h, mmio/uio.h, mmio/vfio.h
 *                   the sources one by one
 *
 * The test doubles have headers of their own, included where needed:
 * mmio/fake.h, mmio/mock.h, mmio/checker.h, mmio/trace.h (tracing also
 * serves on real devices), and mmio/testing.h, which they share.
 */
#ifndef MMIO_MMIO_H
#define MMIO_MMIO_H

#include "mmio/version.h"
#include "mmio/error.h"
#include "mmio/raw.h"
#include "mmio/backend.h"
#include "mmio/region.h"
#include "mmio/map.h"
#include "mmio/open.h"
#include "mmio/pci.h"
#include "mmio/phys.h"
#include "mmio/file.h"
#include "mmio/uio.h"
#include "mmio/vfio.h"

#endif /* MMIO_MMIO_H */
