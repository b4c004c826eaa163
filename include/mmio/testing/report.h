/*
 * What the test doubles (mmio/testing/fake.h, mmio/testing/mock.h,
 * mmio/testing/checker.h) share: how they report a failure. The doubles
 * live in their own library, libmmio-testing (CMake target mmio::testing,
 * pkg-config mmio-testing), which production code never links.
 *
 * A double that sees a misuse (a width the register does not accept, an
 * access the mock did not expect, a store racing another access) formats
 * one message and passes it to its failure handler. The default handler
 * prints "mmio: <message>" to stderr and aborts, which fails any test
 * runner loudly. A test framework that reports failures by longjmp (cmocka's
 * fail_msg, Check's ck_abort_msg) can be called from a handler directly:
 *
 *   static void fail_in_cmocka(void *arg, const char *msg) {
 *     (void)arg;
 *     fail_msg("%s", msg);
 *   }
 *
 * If the handler returns, the access that failed returns MMIO_ERR_REJECTED
 * and has no other effect, so tests can also collect messages and assert on
 * them.
 *
 * NULL: functions of the doubles that return an int answer -EINVAL for a
 * NULL double or output; those that cannot return an error (peek, poke,
 * counters, on_failure, reset) report a NULL double to the default handler,
 * which aborts with a message naming the function.
 */
#ifndef MMIO_TESTING_REPORT_H
#define MMIO_TESTING_REPORT_H

#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called with the handler's arg and a NUL-terminated message (without a
 * trailing newline) that is valid only during the call. */
typedef void (*mmio_fail_fn)(void *arg, const char *message);

/* The default handler: prints "mmio: <message>" to stderr and aborts. */
MMIO_API void mmio_fail_abort(void *arg, const char *message);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_TESTING_REPORT_H */
