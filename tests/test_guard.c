/*
 * Guarded access: faults of a guarded access come back as
 * MMIO_ERR_BUS_ERROR and leave the region usable; every other fault goes
 * where it went before (the previous handler, or death by the signal).
 * Every case runs in a forked child whose SIGBUS and SIGSEGV are reset
 * to their defaults: the child starts as a plain process with no guard
 * installed, and cmocka's own handlers (which replace everyone's at each
 * test, without passing on) stay out of the way.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmio/mmio.h>

#include "helpers.h"

#define PAGE 4096

/* A failed check in a child: say where, and exit with 3. */
#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
      _exit(3);                                                                                    \
    }                                                                                              \
  } while (0)

/* A region over a two-page memfd that the test can shrink under it. */
struct shrinkable {
  int fd;
  mmio_region r;
};

static void shrinkable_open(struct shrinkable *s) {
  memset(s, 0, sizeof(*s));
  s->fd = memfd_create("mmio-guard-test", MFD_CLOEXEC);
  CHECK(s->fd >= 0);
  CHECK(ftruncate(s->fd, 2 * PAGE) == 0);
  CHECK(mmio_map(&s->r, s->fd, 0, 2 * PAGE, MMIO_CACHE_DEFAULT, 0) == 0);
  mmio_store32(&s->r, 0, 0x11223344u);
  mmio_store32(&s->r, PAGE, 0x55667788u);
  /* The second page is now past the end of the object. */
  CHECK(ftruncate(s->fd, PAGE) == 0);
}

static void shrinkable_close(struct shrinkable *s) {
  mmio_region_release(&s->r);
  close(s->fd);
}

static void default_fault_handling(void) {
  signal(SIGBUS, SIG_DFL);
  signal(SIGSEGV, SIG_DFL);
}

/* Runs fn in a fresh child; returns its wait status. */
static int in_child(void (*fn)(void)) {
  int status = 0;
  pid_t pid;
  fflush(NULL);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    default_fault_handling();
    fn();
    _exit(0);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  return status;
}

static void passes(void (*fn)(void)) {
  int status = in_child(fn);
  assert_true(WIFEXITED(status));
  assert_int_equal(WEXITSTATUS(status), 0);
}

static void dies_of(void (*fn)(void), int sig) {
  int status = in_child(fn);
  assert_true(WIFSIGNALED(status));
  assert_int_equal(WTERMSIG(status), sig);
}

static void truncation_under_a_guarded_mapping_is_an_error_not_a_signal_body(void) {
  struct shrinkable s;
  uint32_t v = 0xdeadbeef;
  uint64_t w = 0;
  shrinkable_open(&s);
  CHECK(!(mmio_region_is_guarded(&s.r)));
  CHECK((mmio_region_guard(&s.r)) == (0));
  CHECK(mmio_region_is_guarded(&s.r));
  /* Every kind of access to the vanished page: an error, and the caller's
   * variable untouched. */
  CHECK((mmio_try_load32(&s.r, PAGE, &v)) == (MMIO_ERR_BUS_ERROR));
  CHECK((v) == (0xdeadbeef));
  CHECK((mmio_try_store16(&s.r, PAGE + 2, 1)) == (MMIO_ERR_BUS_ERROR));
  CHECK((mmio_masked_modify8(&s.r, PAGE + 5, 0xf, 3)) == (MMIO_ERR_BUS_ERROR));
  CHECK((mmio_try_load_width(&s.r, PAGE + 8, 8, &w)) == (MMIO_ERR_BUS_ERROR));
  /* The page still there answers, before and after more faults. */
  CHECK((mmio_try_load32(&s.r, 0, &v)) == (0));
  CHECK((v) == (0x11223344u));
  CHECK((mmio_try_load32(&s.r, PAGE, &v)) == (MMIO_ERR_BUS_ERROR));
  CHECK((mmio_masked_modify32(&s.r, 0, 0xff, 0x99)) == (0));
  CHECK((mmio_load32(&s.r, 0)) == (0x11223399u));
  /* Checks still come first: no access is attempted. */
  CHECK((mmio_try_load32(&s.r, PAGE + 2, &v)) == (MMIO_ERR_UNALIGNED));
  CHECK((mmio_try_load32(&s.r, 2 * PAGE, &v)) == (MMIO_ERR_OUT_OF_RANGE));
  /* Grown back, the page reads as zeros again (the object lost its data). */
  CHECK((ftruncate(s.fd, 2 * PAGE)) == (0));
  CHECK((mmio_try_load32(&s.r, PAGE, &v)) == (0));
  CHECK((v) == (0));
  shrinkable_close(&s);
}

static void truncation_under_a_guarded_mapping_is_an_error_not_a_signal(void **state) {
  (void)state;
  passes(truncation_under_a_guarded_mapping_is_an_error_not_a_signal_body);
}

static void splits_made_after_the_guard_are_guarded_body(void) {
  struct shrinkable s;
  mmio_region before = {0}, after = {0};
  uint32_t v;
  shrinkable_open(&s);
  CHECK((mmio_try_split_off(&s.r, 8, &before)) == (0));
  CHECK((mmio_region_guard(&s.r)) == (0));
  CHECK((mmio_region_guard(&s.r)) == (0)); /* again: no-op */
  CHECK((mmio_try_split_off(&s.r, 8, &after)) == (0));
  CHECK(!(mmio_region_is_guarded(&before)));
  CHECK(mmio_region_is_guarded(&after));
  CHECK(mmio_region_is_guarded(&s.r));
  /* s.r now starts at byte 16: the vanished page is at PAGE - 16. */
  CHECK((mmio_try_load32(&s.r, PAGE - 16, &v)) == (MMIO_ERR_BUS_ERROR));
  /* Making it read-only keeps the guard. */
  CHECK((mmio_region_make_read_only(&s.r)) == (0));
  CHECK(mmio_region_is_guarded(&s.r));
  CHECK((mmio_try_load32(&s.r, PAGE - 16, &v)) == (MMIO_ERR_BUS_ERROR));
  CHECK((mmio_try_store32(&s.r, 0, 1)) == (MMIO_ERR_READ_ONLY));
  mmio_region_release(&before);
  mmio_region_release(&after);
  shrinkable_close(&s);
  CHECK((mmio_region_guard(NULL)) == (-EINVAL));
  CHECK(!(mmio_region_is_guarded(NULL)));
}

static void splits_made_after_the_guard_are_guarded(void **state) {
  (void)state;
  passes(splits_made_after_the_guard_are_guarded_body);
}

static void a_protection_fault_is_an_error_too_body(void) {
  void *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mmio_region r;
  uint64_t v = 7;
  CHECK(page != MAP_FAILED);
  CHECK((mmio_region_from_memory(&r, page, PAGE, NULL, NULL)) == (0));
  CHECK((mmio_region_guard(&r)) == (0));
  CHECK((mprotect(page, PAGE, PROT_READ)) == (0));
  CHECK((mmio_try_load64(&r, 8, &v)) == (0));
  CHECK((mmio_try_store64(&r, 8, 1)) == (MMIO_ERR_BUS_ERROR));
  CHECK((mprotect(page, PAGE, PROT_NONE)) == (0));
  CHECK((mmio_try_load64(&r, 8, &v)) == (MMIO_ERR_BUS_ERROR));
  CHECK((v) == (0));
  mmio_region_release(&r);
  munmap(page, PAGE);
}

static void a_protection_fault_is_an_error_too(void **state) {
  (void)state;
  passes(a_protection_fault_is_an_error_too_body);
}

/* A backend whose accesses read through a pointer that faults. */
static volatile uint32_t *backend_target;

static int faulting_access(void *ctx, size_t off, unsigned width, int store, uint64_t *value) {
  (void)ctx;
  (void)off;
  (void)width;
  if (store)
    *backend_target = (uint32_t)*value;
  else
    *value = *backend_target;
  return 0;
}

MMIO_DEFINE_OPS(faulting_ops, faulting_access, NULL);

static void a_fault_inside_a_backend_is_the_access_s_error_body(void) {
  void *page = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mmio_region r;
  uint32_t v;
  CHECK(page != MAP_FAILED);
  backend_target = page;
  CHECK((mmio_region_from_ops(&r, &faulting_ops, NULL, 16)) == (0));
  CHECK((mmio_region_guard(&r)) == (0));
  CHECK((mmio_try_load32(&r, 4, &v)) == (MMIO_ERR_BUS_ERROR));
  CHECK((mmio_try_store32(&r, 4, 1)) == (MMIO_ERR_BUS_ERROR));
  mmio_region_release(&r);
  munmap(page, PAGE);
}

static void a_fault_inside_a_backend_is_the_access_s_error(void **state) {
  (void)state;
  passes(a_fault_inside_a_backend_is_the_access_s_error_body);
}

/* ---- what is not ours goes where it went before ---- */

static void unguarded_access_dies(void) {
  struct shrinkable s;
  uint32_t v;
  shrinkable_open(&s);
  (void)mmio_try_load32(&s.r, PAGE, &v);
}

static void guarded_then_unguarded_access_dies(void) {
  struct shrinkable s, t;
  uint32_t v;
  shrinkable_open(&s);
  shrinkable_open(&t);
  CHECK(mmio_region_guard(&s.r) == 0);
  CHECK(mmio_try_load32(&s.r, PAGE, &v) == MMIO_ERR_BUS_ERROR);
  (void)mmio_try_load32(&t.r, PAGE, &v);
}

static void *raw_read(void *arg) { return (void *)(uintptr_t)(*(volatile uint32_t *)arg); }

/* The guarded region's own mapping, read by another thread through a raw
 * pointer: that thread is not inside a guarded access. */
static void other_thread_faults_are_not_ours(void) {
  struct shrinkable s;
  uint32_t v;
  pthread_t t;
  volatile uint32_t *raw;
  shrinkable_open(&s);
  CHECK(mmio_region_guard(&s.r) == 0);
  raw = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, s.fd, 0);
  CHECK(raw != MAP_FAILED);
  CHECK(mmio_try_load32(&s.r, PAGE, &v) == MMIO_ERR_BUS_ERROR);
  pthread_create(&t, NULL, raw_read, (void *)(raw + PAGE / 4));
  pthread_join(t, NULL);
}

static void unguarded_faults_die_of_their_signal(void **state) {
  (void)state;
  dies_of(unguarded_access_dies, SIGBUS);
  dies_of(guarded_then_unguarded_access_dies, SIGBUS);
  dies_of(other_thread_faults_are_not_ours, SIGBUS);
}

/* A handler installed before the guard gets every fault the guard does not
 * own, with its siginfo. */
static sigjmp_buf earlier_env;
static volatile sig_atomic_t earlier_calls, earlier_code;

static void earlier_handler(int sig, siginfo_t *info, void *uctx) {
  (void)uctx;
  earlier_calls++;
  earlier_code = info->si_code;
  if (sig == SIGBUS && info->si_code > 0) siglongjmp(earlier_env, 1);
}

static void earlier_handlers_still_get_their_faults(void) {
  struct sigaction sa;
  struct shrinkable s, t;
  uint32_t v;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = earlier_handler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  CHECK(sigaction(SIGBUS, &sa, NULL) == 0);
  shrinkable_open(&s);
  shrinkable_open(&t);
  CHECK(mmio_region_guard(&s.r) == 0);
  CHECK(mmio_try_load32(&s.r, PAGE, &v) == MMIO_ERR_BUS_ERROR);
  CHECK(earlier_calls == 0);
  /* kill(2) is not a fault of an access, even inside one's thread. */
  kill(getpid(), SIGBUS);
  CHECK(earlier_calls == 1 && earlier_code == SI_USER);
  /* A real fault outside the guard. */
  if (sigsetjmp(earlier_env, 0) == 0) (void)mmio_try_load32(&t.r, PAGE, &v);
  CHECK(earlier_calls == 2 && earlier_code == BUS_ADRERR);
  /* And the guard still works afterwards. */
  CHECK(mmio_try_load32(&s.r, PAGE, &v) == MMIO_ERR_BUS_ERROR);
  CHECK(earlier_calls == 2);
}

/* Handlers installed after the guard that pass faults on, the two usual
 * ways: restore the previous handler and re-raise (Python's faulthandler),
 * or call it. Neither uses SA_NODEFER, so SIGBUS is blocked while they
 * run. The guarded access still ends in the error, and the signal is not
 * left blocked: the next fault is caught too. */
static struct sigaction replaced;
static volatile sig_atomic_t later_calls;

static void later_reraises(int sig) {
  later_calls++;
  sigaction(sig, &replaced, NULL);
  raise(sig);
}

static void later_calls_previous(int sig, siginfo_t *info, void *uctx) {
  later_calls++;
  replaced.sa_sigaction(sig, info, uctx);
}

static void guarded_faults_through_a_later_handler(struct sigaction *sa) {
  struct shrinkable s;
  uint32_t v;
  int round;
  shrinkable_open(&s);
  CHECK(mmio_region_guard(&s.r) == 0);
  sigemptyset(&sa->sa_mask);
  later_calls = 0;
  for (round = 1; round <= 3; round++) {
    CHECK(sigaction(SIGBUS, sa, round == 1 ? &replaced : NULL) == 0);
    CHECK(mmio_try_load32(&s.r, PAGE, &v) == MMIO_ERR_BUS_ERROR);
    CHECK(later_calls == round);
  }
}

static void later_reraising_handlers_keep_the_guard_working(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = later_reraises;
  guarded_faults_through_a_later_handler(&sa);
}

static void later_chaining_handlers_keep_the_guard_working(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = later_calls_previous;
  sa.sa_flags = SA_SIGINFO;
  guarded_faults_through_a_later_handler(&sa);
}

static void other_handlers_keep_working_around_the_guard(void **state) {
  (void)state;
  passes(earlier_handlers_still_get_their_faults);
  passes(later_reraising_handlers_keep_the_guard_working);
  passes(later_chaining_handlers_keep_the_guard_working);
}

/* Two threads faulting at once, each on its own split part of one region,
 * with good reads in between: each sees exactly its own errors. */
struct hammer {
  mmio_region part;
  uint32_t expect;
  int wrong;
};

static void *hammer_run(void *arg) {
  struct hammer *h = arg;
  int i;
  uint32_t v;
  for (i = 0; i < 5000; i++) {
    if (mmio_try_load32(&h->part, PAGE, &v) != MMIO_ERR_BUS_ERROR) h->wrong++;
    if (mmio_try_load32(&h->part, 0, &v) != 0 || v != h->expect) h->wrong++;
  }
  return NULL;
}

static void threads_fault_independently_body(void) {
  /* Pages 0 and 2 readable, 1 and 3 not: each half has one of each. */
  unsigned char *mem =
      mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mmio_region whole;
  struct hammer a, b;
  pthread_t ta, tb;
  CHECK(mem != MAP_FAILED);
  memset(&a, 0, sizeof(a));
  memset(&b, 0, sizeof(b));
  a.expect = 0xaaaaaaaau;
  b.expect = 0xbbbbbbbbu;
  memcpy(mem, &a.expect, 4);
  memcpy(mem + 2 * PAGE, &b.expect, 4);
  CHECK((mprotect(mem + PAGE, PAGE, PROT_NONE)) == (0));
  CHECK((mprotect(mem + 3 * PAGE, PAGE, PROT_NONE)) == (0));
  CHECK((mmio_region_from_memory(&whole, mem, 4 * PAGE, NULL, NULL)) == (0));
  CHECK((mmio_region_guard(&whole)) == (0));
  CHECK((mmio_try_split_off(&whole, 2 * PAGE, &a.part)) == (0));
  mmio_region_move(&b.part, &whole);
  CHECK((pthread_create(&ta, NULL, hammer_run, &a)) == (0));
  CHECK((pthread_create(&tb, NULL, hammer_run, &b)) == (0));
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  CHECK((a.wrong) == (0));
  CHECK((b.wrong) == (0));
  mmio_region_release(&a.part);
  mmio_region_release(&b.part);
  munmap(mem, 4 * PAGE);
}

static void threads_fault_independently(void **state) {
  (void)state;
  passes(threads_fault_independently_body);
}

/* A run of accesses guarded as a whole, on unguarded regions: the fast
 * path stays, a fault ends the run with the error, and runs nest. */
struct run {
  struct shrinkable *s;
  int reached; /* how far fn got */
  uint32_t v;
};

static int read_vanished_page(void *arg) {
  struct run *r = arg;
  r->reached = 1;
  CHECK(mmio_try_load32(&r->s->r, 0, &r->v) == 0);
  r->reached = 2;
  (void)mmio_try_load32(&r->s->r, PAGE, &r->v);
  r->reached = 3; /* never: the fault ends the run */
  return 0;
}

static int read_good_page(void *arg) {
  struct run *r = arg;
  r->reached = 1;
  return mmio_try_load32(&r->s->r, 0, &r->v) == 0 ? 42 : -1;
}

static int nested_run(void *arg) {
  struct run *r = arg;
  const int inner = mmio_guard_run(read_vanished_page, r);
  /* The inner run took the fault; this one goes on. */
  return inner == MMIO_ERR_BUS_ERROR ? 7 : -1;
}

static void a_run_is_guarded_as_a_whole_body(void) {
  struct shrinkable s;
  struct run r = {&s, 0, 0};
  shrinkable_open(&s);
  CHECK(!mmio_region_is_guarded(&s.r));
  CHECK(mmio_guard_run(read_good_page, &r) == 42 && r.reached == 1 && r.v == 0x11223344u);
  r.reached = 0;
  CHECK(mmio_guard_run(read_vanished_page, &r) == MMIO_ERR_BUS_ERROR);
  CHECK(r.reached == 2);
  CHECK(mmio_guard_run(nested_run, &r) == 7);
  CHECK(mmio_guard_run(NULL, &r) == -EINVAL);
  shrinkable_close(&s);
}

static void a_run_is_guarded_as_a_whole(void **state) {
  (void)state;
  passes(a_run_is_guarded_as_a_whole_body);
}

/* The aborting accessors abort on a fault, naming it. */
static void load_faulting(void *arg) {
  struct shrinkable s;
  (void)arg;
  default_fault_handling();
  shrinkable_open(&s);
  CHECK(mmio_region_guard(&s.r) == 0);
  (void)mmio_load32(&s.r, PAGE);
}

static void aborting_accessors_name_the_fault(void **state) {
  char out[512];
  (void)state;
  assert_true(test_run_expect_abort(load_faulting, NULL, out, sizeof(out)));
  assert_non_null(strstr(out, "load32 at offset 0x1000"));
  assert_non_null(strstr(out, "MMIO_ERR_BUS_ERROR"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(unguarded_faults_die_of_their_signal),
      cmocka_unit_test(other_handlers_keep_working_around_the_guard),
      cmocka_unit_test(truncation_under_a_guarded_mapping_is_an_error_not_a_signal),
      cmocka_unit_test(splits_made_after_the_guard_are_guarded),
      cmocka_unit_test(a_protection_fault_is_an_error_too),
      cmocka_unit_test(a_fault_inside_a_backend_is_the_access_s_error),
      cmocka_unit_test(threads_fault_independently),
      cmocka_unit_test(aborting_accessors_name_the_fault),
      cmocka_unit_test(a_run_is_guarded_as_a_whole),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
