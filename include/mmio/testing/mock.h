/*
 * Strict mocks: a region that expects an exact, ordered sequence of
 * accesses and fails the test on anything else.
 *
 *   mmio_mock *m;
 *   mmio_region r;
 *   mmio_mock_create(&m, 0x100);
 *   mmio_mock_expect_load(m, 4, 0x00, 0x010000ed);  // ID read returns this
 *   mmio_mock_expect_store(m, 4, 0x04, 0x1);        // then CTRL = 1
 *   mmio_mock_expect_no_more(m);
 *   mmio_mock_region(&r, m);
 *   driver_init(&r);                                // the code under test
 *   assert(mmio_mock_verify(m) == 0);               // all expectations met
 *
 * Each access is compared with the next expectation: load or store, width
 * (a 32-bit expectation is not met by an 8-bit access), offset, and for a
 * store the value (under the expectation's mask). A mismatch, an access
 * after the last expectation, or an expectation left unmet at
 * mmio_mock_verify() goes to the failure handler (mmio/testing/report.h) with a
 * message that shows the expected and the actual access and its position in
 * the sequence. The mock depends on no test framework.
 *
 * Widths are in bytes (1, 2, 4, 8). A mock serves one thread at a time.
 */
#ifndef MMIO_TESTING_MOCK_H
#define MMIO_TESTING_MOCK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmio/region.h"
#include "mmio/testing/report.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmio_mock mmio_mock;

/*
 * Creates a mock of len bytes with no expectations. Returns 0 and sets
 * *out, owned by the caller (mmio_mock_destroy); -EINVAL for a NULL out or
 * len 0; MMIO_ERR_OUT_OF_RANGE when len > PTRDIFF_MAX; -ENOMEM.
 */
MMIO_API int mmio_mock_create(mmio_mock **out, size_t len);

/* Drops the caller's reference; regions over the mock keep it alive until
 * they are released. Accepts NULL. */
MMIO_API void mmio_mock_destroy(mmio_mock *m);

/* Makes *out a region over the whole mock. Returns 0, -EINVAL or -ENOMEM. */
MMIO_API int mmio_mock_region(mmio_region *out, mmio_mock *m);

/* Sets the failure handler (NULL restores mmio_fail_abort). */
MMIO_API void mmio_mock_on_failure(mmio_mock *m, mmio_fail_fn fn, void *arg);

/*
 * Appends an expectation. A load returns value. A store must write value;
 * with _masked, only the bits set in mask are compared.
 * Returns 0; -EINVAL for a width other than 1, 2, 4 or 8, an offset not
 * aligned to it, or after mmio_mock_expect_no_more; MMIO_ERR_OUT_OF_RANGE
 * when the access does not fit the mock; -ENOMEM.
 */
MMIO_API int mmio_mock_expect_load(mmio_mock *m, unsigned width, size_t off, uint64_t value);
MMIO_API int mmio_mock_expect_store(mmio_mock *m, unsigned width, size_t off, uint64_t value);
MMIO_API int mmio_mock_expect_store_masked(mmio_mock *m, unsigned width, size_t off, uint64_t value,
                                           uint64_t mask);

/*
 * Declares the sequence complete: later expect calls are refused (a test
 * that adds expectations after this is mistaken), and any access after the
 * last expectation fails, as it does anyway. Returns 0.
 */
MMIO_API int mmio_mock_expect_no_more(mmio_mock *m);

/*
 * Appends one expectation per line of a trace written by mmio/trace.h
 * (loads return the recorded value, stores must write it, accesses recorded
 * as failed fail with the recorded error). Blank lines and lines starting
 * with '#' are skipped. The whole trace is parsed before anything is added.
 * Lines may be of any length. Returns 0; -EINVAL on a line that does not
 * parse (reported to the failure handler with its line number); -EIO when
 * the trace cannot be read; -ENOMEM; the errors of the expect calls. On
 * an error nothing is added.
 */
MMIO_API int mmio_mock_expect_trace(mmio_mock *m, FILE *trace);

/*
 * Checks that every expectation was met and that no access failed.
 * Returns 0; or MMIO_ERR_REJECTED, after reporting the first unmet
 * expectation (failures already reported are not reported again).
 */
MMIO_API int mmio_mock_verify(mmio_mock *m);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_TESTING_MOCK_H */
