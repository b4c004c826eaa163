/*
 * Shared helpers for the unit tests: resource accounting read from /proc,
 * and running code in a child to observe aborts.
 */
#ifndef MMIO_TEST_HELPERS_H
#define MMIO_TEST_HELPERS_H

#include <stddef.h>
#include <stdint.h>

struct mmio_region;

/*
 * One checked access of width bytes (1, 2, 4 or 8) at off: a load, or when
 * store is nonzero a store of 0xa5 in every byte. Returns what the
 * mmio_try_ function of that width returned.
 */
int test_try_access(struct mmio_region *r, size_t off, size_t width, int store);

/*
 * A failure handler for the test doubles (mmio/testing/report.h) that counts
 * failures and keeps the last message, so that tests can assert on it.
 */
extern char test_last_failure[1024];
extern int test_failures;
void test_record_failure(void *arg, const char *message);
void test_reset_failures(void);

/* Number of open file descriptors of this process. */
int test_count_fds(void);

/* Number of mappings in /proc/self/maps of the object open as fd. */
int test_count_mappings_of_fd(int fd);

/* Total number of lines (mappings) in /proc/self/maps. */
int test_count_all_mappings(void);

/*
 * Runs fn(arg) in a forked child with stderr captured. Returns 1 when the
 * child died of SIGABRT, 0 otherwise; the child's stderr (up to cap - 1
 * bytes, NUL-terminated) is stored in buf.
 */
int test_run_expect_abort(void (*fn)(void *), void *arg, char *buf, size_t cap);

/*
 * Synthetic file trees (a sysfs, a /dev) for the sources' host tests:
 * test_tree_make creates a fresh directory in /tmp and returns its path
 * (static storage); put writes a file (creating directories), link makes
 * a symbolic link, both relative to it; remove deletes the tree.
 */
const char *test_tree_make(void);
void test_tree_put(const char *rel, const void *data, size_t n);
void test_tree_text(const char *rel, const char *text);
void test_tree_link(const char *rel, const char *target);
void test_tree_remove(void);

#endif
