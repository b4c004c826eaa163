/*
 * The library's clock.
 */
#ifndef MMIO_CLOCK_H
#define MMIO_CLOCK_H

#include <stdint.h>

#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * CLOCK_MONOTONIC in nanoseconds: the time base of trace records, poll
 * deadlines and the command-line tool's time stamps. It never jumps when
 * the wall clock is set; its zero is arbitrary (usually boot).
 */
MMIO_API uint64_t mmio_clock_ns(void);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_CLOCK_H */
