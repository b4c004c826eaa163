/*
 * Guarded access: a fault during an access becomes an error, not a dead
 * process.
 *
 * A load from a mapping can fault instead of returning: SIGBUS when the
 * device does not answer (an unclocked or powered-down block on an SoC, a
 * PCIe completion timeout reported as an external abort) or when the file
 * or shm object under a mapping was truncated; SIGSEGV when the mapping's
 * protection changed. By default the process dies, as it does with devmem.
 * A tool, a test harness or a language binding that would rather report
 * the access and go on marks its region guarded: every access through it
 * then returns MMIO_ERR_BUS_ERROR when it faults, the value is not written
 * to the caller, and the region stays usable.
 *
 * How. A guarded region leaves the inline fast path; its out-of-line path
 * records the access on a per-thread stack (one sigsetjmp, no system call)
 * and makes it. The first mmio_region_guard() installs process-wide
 * SIGBUS and SIGSEGV handlers. A fault is taken as the access's when the
 * faulting thread is inside a guarded access and the kernel raised the
 * signal for a fault (or the thread re-raised it: an earlier handler that
 * reports and re-raises, like Python's faulthandler, still ends in the
 * error); the handler then unwinds to the access, which returns the error.
 * Every other SIGBUS or SIGSEGV goes to the handler that was installed
 * before, or, when that was the default, kills the process as it would
 * have without us.
 *
 * Limits, all by design:
 *  - Only the thread that makes the access is guarded; a fault in another
 *    thread, or through a raw pointer into the same mapping, is not ours.
 *  - Handlers installed after the first guard must pass on the faults they
 *    do not own (call the previous handler, or restore it and re-raise);
 *    one that swallows them makes the guard fail to see its faults.
 *  - A store that faulted may or may not have reached the device; a
 *    read-modify-write that faulted on its store has done its load.
 *  - The access through a backend (mmio/backend.h) is guarded whole: a
 *    fault anywhere inside the backend's function is reported as this
 *    access's bus error.
 *  - Each guarded access costs about a sigsetjmp (a few nanoseconds) more
 *    than the out-of-line path, and loses the inline fast path.
 *  - Not for code that must stay async-signal-safe itself: accessing a
 *    guarded region from a signal handler is not supported.
 */
#ifndef MMIO_GUARD_H
#define MMIO_GUARD_H

#include "mmio/region.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Marks r guarded; regions split from r afterwards are guarded too (and so
 * is everything split from them), earlier splits are not. Installs the
 * handlers on first use, in any thread; guarding again is a no-op. Cannot
 * be undone: release the region instead.
 * Returns 0; -EINVAL when r is NULL; or -errno when sigaction() failed,
 * leaving r unguarded.
 */
MMIO_API int mmio_region_guard(mmio_region *r);

/* Returns 1 when r's accesses are guarded, else 0 (also for NULL). */
MMIO_API int mmio_region_is_guarded(const mmio_region *r);

/*
 * Runs fn(arg) guarded as a whole: a SIGBUS or SIGSEGV of this thread
 * while fn runs ends fn at once, and the call returns MMIO_ERR_BUS_ERROR.
 * For a program that makes many accesses in a row (a tool's batch of
 * commands) and wants them on the inline fast path: one sigsetjmp for
 * all of them instead of one per access. The price is the limits above
 * widened to all of fn: every fault inside it, also one of fn's own bugs,
 * is reported as a bus error; fn does not return, so whatever it had
 * allocated or locked stays so (end the program, or keep fn to accesses
 * and plain bookkeeping); and fn must not return through a frame it did
 * not make (no longjmp out of it). Calls nest. Installs the handlers on
 * first use, as mmio_region_guard does.
 * Returns fn's result; MMIO_ERR_BUS_ERROR; -EINVAL for a NULL fn; or
 * -errno when the handlers cannot be installed (fn is then not run).
 */
MMIO_API int mmio_guard_run(int (*fn)(void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_GUARD_H */
