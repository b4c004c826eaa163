/*
 * mmio: checked, width-exact access to memory-mapped device registers from
 * Linux user space. Include this header for the library, libmmio:
 *
 *   the core (portable C11)
 *     mmio/error.h    error codes, mmio_strerror()
 *     mmio/raw.h      single-instruction accessors and barriers
 *     mmio/backend.h  memory and function-table backends
 *     mmio/region.h   checked, splittable regions
 *     mmio/guard.h    faults during an access as errors, not signals
 *     mmio/clock.h    the library's monotonic clock
 *   Linux memory objects and devices
 *     mmio/map.h      mapping memory objects, cache policies
 *     mmio/device.h   one handle for a device's regions and interrupt
 *     mmio/pci.h, mmio/phys.h, mmio/file.h, mmio/uio.h, mmio/vfio.h
 *                     the sources one by one
 *   by name
 *     mmio/open.h     spec strings: mmio_open(), mmio_device_open(),
 *                     mmio_explain()
 *   tracing
 *     mmio/trace.h    recording every access of a region
 *
 * The test doubles are a library of their own, libmmio-testing, with
 * headers under mmio/testing/ (fake.h, mock.h, checker.h, report.h).
 *
 * Conventions, everywhere: functions return 0 or a negative code; a
 * function that makes something (a region, a handle, a text) takes the
 * place to put it first, every other function takes its subject (the
 * region, the device) first and its results last; a NULL pointer argument
 * is -EINVAL, and functions that release (release, close, destroy) accept
 * NULL; creating an object of size 0 is -EINVAL (an empty *view*, such as
 * a region split at its end, is fine). The inline accessors check no
 * pointers: they are the hot path.
 */
#ifndef MMIO_MMIO_H
#define MMIO_MMIO_H

#include "mmio/backend.h"
#include "mmio/clock.h"
#include "mmio/device.h"
#include "mmio/error.h"
#include "mmio/file.h"
#include "mmio/guard.h"
#include "mmio/map.h"
#include "mmio/open.h"
#include "mmio/pci.h"
#include "mmio/phys.h"
#include "mmio/raw.h"
#include "mmio/region.h"
#include "mmio/trace.h"
#include "mmio/uio.h"
#include "mmio/version.h"
#include "mmio/vfio.h"

#endif /* MMIO_MMIO_H */
