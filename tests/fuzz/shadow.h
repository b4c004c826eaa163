/*
 * The sequence fuzzer's shadow model: what the region rules of
 * mmio/region.h, mmio/backend.h, mmio/trace.h, mmio/testing/checker.h,
 * mmio/guard.h and mmio/testing/fake.h say each operation must do, worked
 * out from those headers alone and kept apart from the library, so that
 * the fuzzer can compare every answer the library gives with it.
 *
 * Regions live in slots; each slot's region is a window of a backing.
 * Backings are plain memory (or an inaccessible page), a mapped memfd, a
 * function-table backend, a fake register file, or a wrapper (a trace or
 * a checker) over a region that it consumed.
 */
#ifndef MMIO_FUZZ_SHADOW_H
#define MMIO_FUZZ_SHADOW_H

#include <stddef.h>
#include <stdint.h>

#include "shadow_fake.h"

#define SH_SLOTS 8
#define SH_BACKS 24
#define SH_LOG 16

enum sh_kind { SH_MEMORY, SH_TRAP, SH_MEMFD, SH_OPS, SH_FAKE, SH_TRACE, SH_CHECKER };

/* What an access is. */
enum sh_op { SH_LOAD, SH_STORE, SH_MODIFY };

/* A call a backend's function gets, or a record a trace writes. */
struct sh_event {
  int back;
  int store;
  unsigned width;
  uint64_t off; /* the backend offset, or the offset in the traced region */
  uint64_t value;
  int err;      /* records only */
  uint64_t seq; /* records only */
};

struct sh_back {
  enum sh_kind kind;
  int refs; /* regions over it, and the wrapper holding it */
  /* The address (memory), the backend offset (backends, wrappers) or the
   * address modulo a page (memfd, align_page) of byte 0, on which
   * alignment is judged. */
  uint64_t align;
  int align_page;
  size_t len;
  uint8_t *bytes; /* memory, memfd: what the bytes must hold */
  int counted;    /* a release function that must run once */
  int released;   /* the number of times it must have run */
  /* SH_OPS: accesses at backend offsets whose 8-byte block number
   * modulo fail_mod is fail_sel fail with fail_err (fail_mod 0: none). */
  unsigned fail_mod, fail_sel;
  int fail_err;
  struct sh_fake fake; /* SH_FAKE */
  /* Wrappers: the region they consumed. */
  int inner;
  size_t inner_start;
  int inner_ro, inner_guarded;
  uint64_t seq; /* SH_TRACE: records so far */
};

struct sh_slot {
  int back; /* -1: empty (an empty region still has its rights) */
  size_t start, len;
  int ro, guarded;
};

struct shadow {
  struct sh_slot slot[SH_SLOTS];
  struct sh_back back[SH_BACKS];
  int nback;
  /* What the last operation must have made the backends and traces see. */
  struct sh_event calls[SH_LOG], records[SH_LOG];
  int ncalls, nrecords;
  int overflow; /* more events than the logs hold: not compared */
};

void sh_init(struct shadow *sh);

/* A new backing; returns its index or -1 when full. The caller fills in
 * what its kind needs. */
int sh_new_back(struct shadow *sh, enum sh_kind kind, uint64_t align, size_t len);

/* A new region over the whole of back in slot s (empty before). */
void sh_place(struct shadow *sh, int s, int back);

/* The ops-backend load value at backend offset off. */
uint64_t sh_ops_value(int back, uint64_t off, unsigned width);

/*
 * The answer of an access of width bytes at off of slot s: the checks in
 * their documented order, then the backing's behaviour (effects applied,
 * calls and records logged). *value is the value loaded (SH_LOAD) or
 * stored; mask is for SH_MODIFY. Sets *touches_trap when the access would
 * reach inaccessible memory in a region that is not guarded (the caller
 * must then not make it; nothing is changed).
 */
int sh_access(struct shadow *sh, int s, enum sh_op op, uint64_t off, unsigned width,
              uint64_t *value, uint64_t mask, int *touches_trap);

/* mmio_check_aligned, mmio_check_capacity, mmio_align_offset of slot s. */
int sh_check_aligned(const struct shadow *sh, int s, uint64_t off, uint64_t width);
int sh_check_capacity(const struct shadow *sh, int s, uint64_t off, uint64_t width);
uint64_t sh_align_offset(const struct shadow *sh, int s, uint64_t align, int *known);

/* mmio_try_split_off(slot s, mid, slot lhs): the answer, applied. */
int sh_split(struct shadow *sh, int s, uint64_t mid, int lhs);

/* mmio_region_move, mmio_region_make_read_only, mmio_region_guard. */
void sh_move(struct shadow *sh, int dst, int src);
void sh_read_only(struct shadow *sh, int s);
void sh_guard(struct shadow *sh, int s);

/* mmio_region_release of slot s, and of every backing that goes with it. */
void sh_release(struct shadow *sh, int s);

/* Takes slot s's region into a new wrapper backing (the slot is left
 * empty); returns its index, or -1 when full. */
int sh_wrap(struct shadow *sh, int s, enum sh_kind kind);

#endif
