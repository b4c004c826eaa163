/*
 * Guarded access: the per-thread stack of accesses in progress, and the
 * SIGBUS and SIGSEGV handlers that unwind a faulting one to its caller.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core_internal.h"
#include "mmio/guard.h"

/* An access in progress on this thread. Frames nest when a backend's
 * access goes through another guarded region. */
struct mmio__guard_frame {
  sigjmp_buf env;
  struct mmio__guard_frame *prev;
};

/*
 * The innermost frame of this thread. The handler reads it, so it must not
 * need __tls_get_addr's lazy allocation there: initial-exec makes it a
 * fixed offset from the thread pointer, which static TLS can hold even in
 * a library loaded with dlopen (one pointer fits the reserve glibc keeps).
 */
#if defined(__GNUC__) || defined(__clang__)
#define MMIO__TLS_IE __attribute__((tls_model("initial-exec")))
#else
#define MMIO__TLS_IE
#endif
static _Thread_local struct mmio__guard_frame *volatile mmio__guard_top MMIO__TLS_IE;

/* The signals we take, and what was installed before us for each. Written
 * once, before our handlers go in, and only read afterwards. */
static const int mmio__guard_signals[2] = {SIGBUS, SIGSEGV};
static struct sigaction mmio__guard_previous[2];

/* 0: not installed; 1: being installed by some thread; 2: installed. */
static atomic_int mmio__guard_state;
static atomic_int mmio__guard_install_err;

/* Whether the signal is a fault of this thread's current access: raised by
 * the kernel for a fault (si_code > 0), or re-raised by this process with
 * tgkill/raise by a handler installed after ours that passes faults on. */
static int mmio__guard_owns(const siginfo_t *info) {
  if (mmio__guard_top == NULL) return 0;
  if (info->si_code > 0) return 1;
#ifdef SI_TKILL
  return info->si_code == SI_TKILL && info->si_pid == getpid();
#else
  return 0;
#endif
}

/* Sends the signal where it would have gone without us. */
static void mmio__guard_pass_on(int slot, int sig, siginfo_t *info, void *uctx) {
  const struct sigaction *old = &mmio__guard_previous[slot];
  struct sigaction dfl;
  if (old->sa_flags & SA_SIGINFO) {
    old->sa_sigaction(sig, info, uctx);
    return;
  }
  if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
    old->sa_handler(sig);
    return;
  }
  /* Default (or ignored, which a fault cannot be): die of the signal. A
   * kernel fault would repeat when the instruction restarts; raising
   * covers a signal sent by kill as well. */
  memset(&dfl, 0, sizeof(dfl));
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, NULL);
  raise(sig);
}

static void mmio__guard_handler(int sig, siginfo_t *info, void *uctx) {
  const int saved_errno = errno;
  const int slot = sig == SIGBUS ? 0 : 1;
  if (mmio__guard_owns(info)) siglongjmp(mmio__guard_top->env, 1);
  mmio__guard_pass_on(slot, sig, info, uctx);
  errno = saved_errno;
}

/* Installs the handlers once per process. A losing thread waits for the
 * winner, so no thread guards a region before the handlers are in. */
static int mmio__guard_install(void) {
  int expected = 0;
  size_t i;
  int err = 0;
  if (atomic_load_explicit(&mmio__guard_state, memory_order_acquire) == 2)
    return atomic_load_explicit(&mmio__guard_install_err, memory_order_relaxed);
  if (!atomic_compare_exchange_strong(&mmio__guard_state, &expected, 1)) {
    while (atomic_load_explicit(&mmio__guard_state, memory_order_acquire) != 2) {
      struct timespec ts = {0, 100000};
      nanosleep(&ts, NULL);
    }
    return atomic_load_explicit(&mmio__guard_install_err, memory_order_relaxed);
  }
  for (i = 0; i < 2 && err == 0; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = mmio__guard_handler;
    /* NODEFER: the handler leaves by siglongjmp without restoring the
     * signal mask (a sigsetjmp that saves it would cost a system call per
     * access), so the signal must not be blocked while it runs. ONSTACK:
     * use the thread's alternate stack when it has one. */
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    if (sigaction(mmio__guard_signals[i], NULL, &mmio__guard_previous[i]) != 0 ||
        sigaction(mmio__guard_signals[i], &sa, NULL) != 0)
      err = -errno;
  }
  /* Half installed is still correct: the installed handler passes on
   * every fault it does not own. Only the guard is refused. */
  atomic_store_explicit(&mmio__guard_install_err, err, memory_order_relaxed);
  atomic_store_explicit(&mmio__guard_state, 2, memory_order_release);
  return err;
}

/*
 * The unwound path returns here with the signal possibly still blocked: a
 * handler installed after ours may have been entered without SA_NODEFER
 * before it passed the fault on. Unblock both, once per fault.
 */
static void mmio__guard_unblock(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGBUS);
  sigaddset(&set, SIGSEGV);
  sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int mmio__guarded(int (*fn)(void *arg), void *arg) {
  struct mmio__guard_frame frame;
  int err;
  frame.prev = mmio__guard_top;
  if (sigsetjmp(frame.env, 0) != 0) {
    mmio__guard_top = frame.prev;
    mmio__guard_unblock();
    return MMIO_ERR_BUS_ERROR;
  }
  mmio__guard_top = &frame;
  /* Keep the access between the two stores, as the handler sees them. */
  atomic_signal_fence(memory_order_seq_cst);
  err = fn(arg);
  atomic_signal_fence(memory_order_seq_cst);
  mmio__guard_top = frame.prev;
  return err;
}

int mmio_guard_run(int (*fn)(void *arg), void *arg) {
  int err;
  if (fn == NULL) return -EINVAL;
  err = mmio__guard_install();
  return err != 0 ? err : mmio__guarded(fn, arg);
}

int mmio_region_guard(mmio_region *r) {
  int err;
  if (r == NULL) return -EINVAL;
  if (r->mmio__flags & MMIO__REGION_GUARDED) return 0;
  err = mmio__guard_install();
  if (err != 0) return err;
  mmio__region_set_flags(r, r->mmio__flags | MMIO__REGION_GUARDED);
  return 0;
}

int mmio_region_is_guarded(const mmio_region *r) {
  return r != NULL && (r->mmio__flags & MMIO__REGION_GUARDED) != 0;
}
