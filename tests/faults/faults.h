/*
 * Fault injection for the fault tests: every call of tests/faults/calls.txt
 * marked "fail" is wrapped at link time (-Wl,--wrap), so that the Nth such
 * call made while a case runs can be made to fail, and a sweep runs a case
 * once for every N it reaches. After each run nothing may be left: no
 * descriptor, mapping, shm object or allocation.
 */
#ifndef MMIO_FAULTS_H
#define MMIO_FAULTS_H

#include <stddef.h>

struct mmio_region;

/* A failure whose result is known: the failure's description ends with
 * tail ("ioctl VFIO_GROUP_GET_STATUS"), and the entry point returns err. */
struct fault_expect {
  const char *tail;
  int err;
};

/*
 * One case: an entry point (or a short sequence of them) and how to undo
 * what it made. prepare, when not NULL, runs before each run without
 * faults (its allocations are not counted); act runs with the Nth call
 * failing and returns the entry point's result (0 for success, or the
 * error); undo, when not NULL, runs after a successful act, without faults,
 * and releases what it made.
 */
struct fault_case {
  const char *entry; /* for messages and the table: "mmio_open(pci:)" */
  void (*prepare)(void *ctx);
  int (*act)(void *ctx);
  void (*undo)(void *ctx);
  void *ctx;
  /* Failures that may end in success because what they fetch is only
   * information (a device's identity, say): ends of the failure's
   * description ("/vendor" for "open64 /tmp/mmio-tree-x/.../vendor"),
   * NULL-terminated, or NULL for none. */
  const char *const *absorbed;
  /* Failures whose result must be a given error; ends with tail NULL. */
  const struct fault_expect *expect;
  /* Each run in a child process of its own, for entry points whose effect
   * lasts for the process (the guard's signal handlers). */
  int fork_each;
};

/*
 * Runs c once without faults (its baseline: the result every run is
 * judged against), then with the 1st, 2nd, ... call failing until a run
 * makes fewer calls, then the same with the read and write calls
 * transferring fewer bytes than asked. Every run must leave nothing
 * behind; a run whose injected failure the baseline did not have must
 * return an error (a known code), unless the failure is absorbed and the
 * baseline was a success. Fails the cmocka test otherwise. Returns the
 * number of runs with a failure injected.
 *
 * With MMIO_FAULT_TABLE set to a file name, one line per such run is
 * appended to it: entry, call, outcome, separated by tabs.
 */
int fault_sweep(const struct fault_case *c);

/* Whether r is empty, as a failed constructor must leave it: every byte
 * of the struct zero. */
int fault_region_empty(const struct mmio_region *r);

/* This process's descriptors, its mappings of the tests' objects, the
 * process's /dev/shm objects ("mmio-faults-PID-*"), and the blocks the wrapped
 * allocators have handed out and not had back. */
struct fault_counts {
  int fds, maps, shm;
  long blocks;
};
void fault_count(struct fault_counts *out);

/*
 * VFIO's ioctls, emulated for descriptors of files under dev/vfio of the
 * tree root (see vfio_emulation.c), or under no tree when root is NULL.
 */
void fault_vfio_emulate(const char *root);

/* The emulation's answer to an ioctl on fd: 1 with *ret set when it is a
 * descriptor it serves, else 0. Called by the ioctl wrapper. */
int fault_vfio_ioctl(int fd, unsigned long request, void *arg, int *ret);

/* The unwrapped calls, for the emulation and the tests' own setup. */
int fault_real_open(const char *path, int flags, int mode);
long fault_real_readlink(const char *path, char *buf, size_t cap);
long fault_real_write(int fd, const void *buf, size_t n);

#endif
