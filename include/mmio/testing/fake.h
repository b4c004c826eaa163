/*
 * Fake register files: a device model built from a few lines of register
 * declarations, behind the same mmio_region API the driver uses on real
 * hardware.
 *
 *   static const struct mmio_fake_reg regs[] = {
 *     {.name = "ID",     .offset = 0x00, .width = 4, .reset = 0x010000ed,
 *      .ro = ~0ull},
 *     {.name = "CTRL",   .offset = 0x04, .width = 4},
 *     {.name = "STATUS", .offset = 0x08, .width = 4, .w1c = 0xff,
 *      .on_read = advance_time},
 *   };
 *   mmio_fake *fake;
 *   mmio_region r;
 *   mmio_fake_create(&fake, 0x100, MMIO_FAKE_STRICT);
 *   mmio_fake_add_regs(fake, regs, 3);
 *   mmio_fake_region(&r, fake);          // hand r to the driver under test
 *   ...
 *   assert(mmio_fake_peek32(fake, 0x04) == EXPECTED_CTRL);
 *   mmio_region_release(&r);
 *   mmio_fake_destroy(fake);
 *
 * Storage is little-endian bytes, like the devices it stands in for. Bytes
 * that no register covers behave as plain memory, or, with MMIO_FAKE_STRICT,
 * fail the test when touched.
 *
 * An access may span several registers and gaps; it is checked whole
 * before any part of it is applied, so an access the fake rejects (a width
 * a register does not accept, an uncovered byte of a strict fake) changes
 * nothing: no byte, count, hook call or clear-on-read bit. A hook that
 * fails stops the access where it is (earlier parts of a store stay
 * written), and a load that fails clears no clear-on-read bit.
 *
 * Threads: a fake serves one thread at a time unless it was created with
 * MMIO_FAKE_THREADSAFE, which serialises every access, peek and poke on a
 * recursive mutex (callbacks run under it and may peek and poke).
 */
#ifndef MMIO_TESTING_FAKE_H
#define MMIO_TESTING_FAKE_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/desc.h"
#include "mmio/region.h"
#include "mmio/testing/report.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmio_fake mmio_fake;

/* Access widths, as a set, for mmio_fake_reg.widths. */
#define MMIO_FAKE_W8 0x1u
#define MMIO_FAKE_W16 0x2u
#define MMIO_FAKE_W32 0x4u
#define MMIO_FAKE_W64 0x8u
#define MMIO_FAKE_WANY 0xfu

/* mmio_fake_create flags. */
/* Accesses to bytes no register covers fail instead of acting as memory. */
#define MMIO_FAKE_STRICT 0x1u
/* Serialise accesses from several threads (split regions of one fake). */
#define MMIO_FAKE_THREADSAFE 0x2u

/*
 * A register read hook. Runs on every device read that touches the
 * register, after the stored value is fetched into *value and before the
 * clear-on-read bits are cleared. It may change *value (what the driver
 * sees), and may change the fake's state with mmio_fake_poke* (to advance a
 * model's time, for example). Returning nonzero fails the access with that
 * code. reg_off is the register's offset.
 */
typedef int (*mmio_fake_read_fn)(mmio_fake *fake, size_t reg_off, uint64_t *value, void *arg);

/*
 * A register write hook. Runs after the write has been applied to the
 * stored value (read-only, write-1-to-clear and write-1-to-set rules
 * included). old is the register before the write; written is what the
 * driver wrote, in the register's bit positions (for a narrower access,
 * only the bytes it covered are meaningful). The hook may overwrite the
 * result with mmio_fake_poke* (a register that stores the inverse, a
 * command that starts work). Returning nonzero fails the access with that
 * code; the stored value keeps whatever it holds at that point.
 */
typedef int (*mmio_fake_write_fn)(mmio_fake *fake, size_t reg_off, uint64_t old, uint64_t written,
                                  void *arg);

/*
 * One register. Bit masks are in the register's own bit positions; bits
 * outside the width are ignored. A bit in none of ro, w1c and w1s is a plain
 * read/write bit.
 */
struct mmio_fake_reg {
  const char *name;            /* for failure messages; NULL shows the offset */
  size_t offset;               /* naturally aligned for width */
  unsigned width;              /* size in bytes: 1, 2, 4 or 8 */
  uint64_t reset;              /* value after creation and mmio_fake_reset */
  uint64_t ro;                 /* read-only: writes leave these bits alone */
  uint64_t w1c;                /* writing 1 clears the bit, writing 0 leaves it */
  uint64_t w1s;                /* writing 1 sets the bit, writing 0 leaves it */
  uint64_t rc;                 /* cleared by a read that covers the bit */
  unsigned widths;             /* accepted access widths (MMIO_FAKE_W*); 0 = width only */
  mmio_fake_read_fn on_read;   /* may be NULL */
  mmio_fake_write_fn on_write; /* may be NULL */
  void *arg;                   /* passed to both hooks */
};

/*
 * Creates a fake of len bytes, all zero, with no registers yet.
 * flags: 0, MMIO_FAKE_STRICT, MMIO_FAKE_THREADSAFE, or both.
 * Returns 0 and sets *out, which the caller owns (mmio_fake_destroy);
 * -EINVAL for a NULL out, unknown flags or len 0; MMIO_ERR_OUT_OF_RANGE when
 * len > PTRDIFF_MAX; -ENOMEM (or -EAGAIN when the lock of
 * MMIO_FAKE_THREADSAFE cannot be made).
 */
MMIO_API int mmio_fake_create(mmio_fake **out, size_t len, unsigned flags);

/*
 * Declares count registers and sets each to its reset value. reg is copied
 * (name must stay valid). All are validated before any is added.
 * Returns 0; -EINVAL for a bad width, an offset not aligned to the width,
 * a widths set naming other widths, or a register overlapping another;
 * MMIO_ERR_OUT_OF_RANGE for a register past the end; -ENOMEM.
 */
MMIO_API int mmio_fake_add_regs(mmio_fake *fake, const struct mmio_fake_reg *regs, size_t count);

/*
 * Declares the registers of peripheral p of a register description
 * (mmio/desc.h), at offset + their offsets in p: reset values (the defined
 * bits), read-only, write-1-to-clear, write-1-to-set and clear-on-read
 * bits come from the description. Bits of kinds a fake does not model
 * (toggles, write-0-to-X, clear-on-any-write) act as plain read-write
 * bits. Registers sharing an address (alternates, a read-only and a
 * write-only register) are one register of the fake: the first of them.
 * The description must outlive the fake (names are borrowed).
 * Returns as mmio_fake_add_regs, and -EINVAL for a NULL argument.
 */
MMIO_API int mmio_fake_add_periph(mmio_fake *fake, const struct mmio_periph *p, size_t offset);

/*
 * Makes *out a region over the whole fake. The region holds a reference:
 * the fake lives until it has been destroyed and every region over it
 * released. Returns 0, -EINVAL or -ENOMEM.
 */
MMIO_API int mmio_fake_region(mmio_region *out, mmio_fake *fake);

/* Drops the caller's reference. Accepts NULL. */
MMIO_API void mmio_fake_destroy(mmio_fake *fake);

/*
 * Sets the failure handler (NULL restores mmio_fail_abort). See
 * mmio/testing/report.h for what happens when a handler returns.
 */
MMIO_API void mmio_fake_on_failure(mmio_fake *fake, mmio_fail_fn fn, void *arg);

/* Restores every register's reset value and zeroes other bytes and counts. */
MMIO_API void mmio_fake_reset(mmio_fake *fake);

/*
 * Direct inspection, for assertions and for models: read or write the
 * stored bytes at off, little-endian, bypassing every rule and hook and
 * not counted as device accesses. An access outside the fake is a
 * failure (reported; peek then returns 0, poke does nothing).
 */
MMIO_API uint8_t mmio_fake_peek8(mmio_fake *fake, size_t off);
MMIO_API uint16_t mmio_fake_peek16(mmio_fake *fake, size_t off);
MMIO_API uint32_t mmio_fake_peek32(mmio_fake *fake, size_t off);
MMIO_API uint64_t mmio_fake_peek64(mmio_fake *fake, size_t off);
MMIO_API void mmio_fake_poke8(mmio_fake *fake, size_t off, uint8_t v);
MMIO_API void mmio_fake_poke16(mmio_fake *fake, size_t off, uint16_t v);
MMIO_API void mmio_fake_poke32(mmio_fake *fake, size_t off, uint32_t v);
MMIO_API void mmio_fake_poke64(mmio_fake *fake, size_t off, uint64_t v);

/*
 * How many device reads and writes have touched the register at reg_off
 * since creation or the last reset (0 when no register starts there).
 */
MMIO_API unsigned long mmio_fake_reads(mmio_fake *fake, size_t reg_off);
MMIO_API unsigned long mmio_fake_writes(mmio_fake *fake, size_t reg_off);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_TESTING_FAKE_H */
