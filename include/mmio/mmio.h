/*
 * mmio: checked, width-exact access to memory-mapped device registers from
 * Linux user space.
 *
 * Include this header for the whole API:
 *   mmio/error.h    error codes and mmio_strerror()
 *   mmio/raw.h      single-instruction accessors and barriers
 *   mmio/backend.h  memory and function-table backends
 *   mmio/region.h   checked, splittable regions
 *   mmio/map.h      mapping memory objects, cache policies
 */
#ifndef MMIO_MMIO_H
#define MMIO_MMIO_H

#include "mmio/version.h"
#include "mmio/error.h"
#include "mmio/raw.h"
#include "mmio/backend.h"
#include "mmio/region.h"
#include "mmio/map.h"

#endif /* MMIO_MMIO_H */
