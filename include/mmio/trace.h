/*
 * Access tracing: a region that forwards every access to another region
 * (a mapped BAR, a fake, anything) and records it.
 *
 * Line format, one access per line, fields separated by one space:
 *
 *   <seq> <op><bits> <offset> <value>[ t=<ns>][ err=<name>]
 *
 *   seq     1, 2, ... in the order accesses completed
 *   op      load or store; bits 8, 16, 32 or 64
 *   offset  in the traced region, lower-case hex with 0x, no padding
 *   value   loaded or stored, lower-case hex with 0x, padded to the width
 *   t=      nanoseconds since the trace began (with MMIO_TRACE_TIME only,
 *           so that traces of two runs diff cleanly by default)
 *   err=    present when the access failed: mmio_err_name() of the error
 *           (the value is then the one the caller tried to store, or 0)
 *
 *   1 load32 0x0 0x010000ed
 *   2 store32 0x8 0x0000000a
 *   3 load32 0x20 0x00000001 t=48211
 *
 * The grammar mmio_trace_parse() accepts, exactly (anything else, leading
 * or trailing blanks included, is refused):
 *
 *   LINE   = SEQ " " OP " " OFFSET " " VALUE [ " t=" DEC ] [ " err=" NAME ]
 *            [ "\r" ] [ "\n" ]
 *   SEQ    = DEC, not 0
 *   OP     = ( "load" | "store" ) ( "8" | "16" | "32" | "64" )
 *   OFFSET = "0x" 1 to 16 HEX, at most SIZE_MAX
 *   VALUE  = "0x" 1 to 2 * (bits / 8) HEX  (so it fits the width)
 *   DEC    = "0" | [1-9][0-9]*, at most 2^64 - 1
 *   HEX    = [0-9a-f]
 *   NAME   = mmio_err_name() of a nonzero code ("EIO", "MMIO_ERR_REJECTED")
 *
 * Each key appears at most once, t= before err=.
 *
 * mmio_mock_expect_trace() (mmio/testing/mock.h) replays such a trace as a strict
 * mock: record a driver against a fake or a device, then check later runs
 * against the recording.
 */
#ifndef MMIO_TRACE_H
#define MMIO_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One traced access. */
struct mmio_trace_record {
  uint64_t seq;     /* 1-based position in the trace */
  uint64_t time_ns; /* since the trace began (CLOCK_MONOTONIC) */
  int store;        /* 0 for a load, 1 for a store */
  unsigned width;   /* bytes: 1, 2, 4 or 8 */
  size_t offset;    /* in the traced region */
  uint64_t value;   /* loaded (0 when the load failed) or stored */
  int err;          /* what the access returned: 0 or an error code */
};

/* Called after each access, from the thread that made it. */
typedef void (*mmio_trace_fn)(void *arg, const struct mmio_trace_record *rec);

/* mmio_trace_file flags and mmio_trace_format flags. */
#define MMIO_TRACE_TIME 0x1u /* add the t= field */

/*
 * Makes *out a region of the same length as *inner whose accesses go to
 * *inner and are then passed to fn(arg, record). Always consumes *inner,
 * including in error cases (it is left empty). The traced region refuses
 * and accepts exactly what *inner does: it carries the inner region's
 * address alignment (up to a page), so alignment checks and
 * mmio_align_offset() agree with it, and its write right (a store to a
 * traced read-only region is refused as MMIO_ERR_READ_ONLY, and is not
 * recorded, as an access refused for its alignment or range is not).
 * Returns 0, -EINVAL, -ENOMEM, or MMIO_ERR_OUT_OF_RANGE for an inner
 * region within a page of PTRDIFF_MAX bytes long.
 */
MMIO_API int mmio_trace_callback(mmio_region *out, mmio_region *inner, mmio_trace_fn fn, void *arg);

/*
 * As mmio_trace_callback, writing each record as a line to file, which the
 * caller keeps open until every region over the trace is released (the
 * last release flushes it; it does not close it). flags: 0 or
 * MMIO_TRACE_TIME. Always consumes *inner.
 */
MMIO_API int mmio_trace_file(mmio_region *out, mmio_region *inner, FILE *file, unsigned flags);

/*
 * Formats rec as a line (without the newline) into buf of cap bytes.
 * Returns the line's length, or -ENOSPC when it does not fit.
 */
MMIO_API int mmio_trace_format(char *buf, size_t cap, const struct mmio_trace_record *rec,
                               unsigned flags);

/*
 * Parses one line by the grammar above, of any length. Returns 0, or
 * -EINVAL when rec or line is NULL or the line is not a trace record
 * (*rec is then unchanged).
 */
MMIO_API int mmio_trace_parse(struct mmio_trace_record *rec, const char *line);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_TRACE_H */
