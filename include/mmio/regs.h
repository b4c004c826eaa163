/*
 * Registers and fields over checked regions: declared in C, or loaded from a
 * vendor's description (mmio/desc.h), with the rules that keep a
 * read-modify-write safe.
 *
 * A field write is a read-modify-write of its register that
 *   - never writes back a 1 it read from a write-1-to-clear (or -set, or
 *     -toggle) bit of another field: those bits are written as the value
 *     that has no effect (0, or 1 for write-0-to-X bits);
 *   - preserves reserved bits (bits no field covers) and every other
 *     ordinary field, as read;
 *   - never reads a register whose read has a side effect (read-to-clear)
 *     unless the caller allows it (MMIO_REGS_READ_EFFECTS);
 *   - never reads a write-only register: it refuses (MMIO_ERR_WRITE_ONLY)
 *     unless a register map remembers the last value written (mmio_regmap);
 *   - refuses a value wider than its field (-ERANGE) before any access.
 *
 * Declaring registers in C: list a register's fields with an X-macro and
 * declare it with MMIO_REG; the compiler then sees every mask as a
 * constant, and mmio_field_set on memory inlines to the load, the masking
 * and the store a hand-written driver would make.
 *
 *   #define UART_CR_FIELDS(F, R)             \
 *     F(R, UARTEN, 0, 0, MMIO_RW)            \
 *     F(R, TXE, 8, 8, MMIO_RW)               \
 *     F(R, RTSINT, 15, 12, MMIO_W1C)
 *   MMIO_REG(UART_CR, 0x30, 32, MMIO_RW, 0x300, UART_CR_FIELDS);
 *
 *   mmio_field_set(&regs, &UART_CR, UART_CR_TXE, 1);    // RTSINT written as 0
 *   mmio_field_get(&regs, &UART_CR, UART_CR_UARTEN, &v);
 *
 * MMIO_REG defines `static const struct mmio_reg UART_CR` and the field
 * indices UART_CR_UARTEN, UART_CR_TXE, ... It may be used in a header.
 */
#ifndef MMIO_REGS_H
#define MMIO_REGS_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/region.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * How a register or field is accessed. A field's MMIO_ACCESS_DEFAULT means
 * "as its register"; a register's means MMIO_RW.
 */
enum mmio_access {
  MMIO_ACCESS_DEFAULT = 0,
  MMIO_RW,         /* read and written normally */
  MMIO_RO,         /* read only: never written by a field write of another field */
  MMIO_WO,         /* write only: never read (reads return nothing meaningful) */
  MMIO_W1C,        /* writing 1 clears the bit, 0 leaves it (reads show the state) */
  MMIO_W1S,        /* writing 1 sets the bit */
  MMIO_W1T,        /* writing 1 toggles the bit */
  MMIO_W0C,        /* writing 0 clears the bit */
  MMIO_W0S,        /* writing 0 sets the bit */
  MMIO_W0T,        /* writing 0 toggles the bit */
  MMIO_WC,         /* any write clears the bits (read-write) */
  MMIO_WS,         /* any write sets the bits (read-write) */
  MMIO_RC,         /* read only, and a read clears it */
  MMIO_WRITE_ONCE, /* read-write; only the first write after reset takes effect */
  MMIO_WO_ONCE     /* write only, once */
};

/* The access's short name, as the text format writes it ("rw", "w1c",
 * "rc", "once", ...; "default" for MMIO_ACCESS_DEFAULT), or "invalid". */
MMIO_API const char *mmio_access_name(enum mmio_access a);

/* What a read does besides reading (SVD readAction). MMIO_RC implies CLEAR. */
enum mmio_read_effect {
  MMIO_READ_PLAIN = 0,
  MMIO_READ_CLEARS,  /* the read clears the bits it returns */
  MMIO_READ_SETS,    /* the read sets them */
  MMIO_READ_MODIFIES /* the read changes them some other way (e.g. pops a FIFO) */
};

/* A named value of a field. usage: MMIO_ENUM_READ, _WRITE or both (0: both). */
#define MMIO_ENUM_READ 0x1u
#define MMIO_ENUM_WRITE 0x2u
struct mmio_enum {
  const char *name;
  uint64_t value;
  unsigned usage;
  const char *description; /* may be NULL */
};

/* A field: bits lsb..msb (inclusive, 0..63) of its register. */
struct mmio_field {
  const char *name;
  unsigned lsb, msb;
  enum mmio_access access;
  enum mmio_read_effect read_effect;
  const struct mmio_enum *enums; /* may be NULL */
  size_t nenums;
  const char *description; /* may be NULL */
};

/*
 * A register. offset is from the start of its block (its peripheral in a
 * description; the region, for registers declared in C). The last three
 * members are derived from the fields (MMIO_REG and the description
 * loaders fill them; mmio_reg_derive() does for tables built by hand) and
 * let field writes inline; with derived == 0 they are worked out on each
 * call, out of line.
 */
struct mmio_reg {
  const char *name;
  uint64_t offset;
  unsigned width; /* bytes: 1, 2, 4 or 8 */
  enum mmio_access access;
  enum mmio_read_effect read_effect;
  uint64_t reset;
  uint64_t reset_mask; /* bits of reset that are defined */
  const struct mmio_field *fields;
  size_t nfields;
  const char *description; /* may be NULL */
  /* derived */
  unsigned derived; /* MMIO_REG_DERIVED, MMIO_REG_INLINE */
  uint64_t keep;    /* bits a field write writes back as read */
  uint64_t ones;    /* bits a field write writes as 1 (write-0-to-X fields) */
};
#define MMIO_REG_DERIVED 0x1u /* keep and ones are valid */
#define MMIO_REG_INLINE 0x2u  /* field writes need no reading rule: may inline */

/* Flags for the operations below. */
/* Allow reading a register whose read has a side effect (read-to-clear). */
#define MMIO_REGS_READ_EFFECTS 0x1u
/* Read a written register back and fail with MMIO_ERR_WRITE_DROPPED when
 * its normally writable bits do not hold what was written. */
#define MMIO_REGS_VERIFY 0x2u
/* Make every check and no access: the call returns what it would return
 * before touching the device (the access rules, the value's range, and the
 * region's write right, alignment and range for the register), so that a
 * tool can validate a whole script of accesses before it makes the first.
 * Reads leave *out untouched; register maps remember nothing. */
#define MMIO_REGS_CHECK_ONLY 0x4u

/*
 * Fills the derived members of regs[0..n) from their fields, for register
 * tables built at run time. Returns 0, -EINVAL for a NULL table, a width
 * other than 1, 2, 4 or 8, a field beyond its register or overlapping
 * another (then nothing is changed).
 */
MMIO_API int mmio_reg_derive(struct mmio_reg *regs, size_t n);

/*
 * The index of reg's field called name: exact, then case-insensitive when
 * that is unambiguous. Returns 0 and sets *idx; MMIO_ERR_UNKNOWN_NAME;
 * MMIO_ERR_AMBIGUOUS; -EINVAL.
 */
MMIO_API int mmio_field_index(const struct mmio_reg *reg, const char *name, size_t *idx);

/* The mask of field f within its register. */
static inline uint64_t mmio_field_mask(const struct mmio_field *f) {
  return (~0ull >> (63 - f->msb)) & (~0ull << f->lsb);
}

/*
 * Reads register reg of region r (at reg->offset). flags: 0 or
 * MMIO_REGS_READ_EFFECTS. Returns 0 and sets *out; MMIO_ERR_WRITE_ONLY for a
 * write-only register; MMIO_ERR_READ_EFFECT for a read-to-clear register
 * without MMIO_REGS_READ_EFFECTS; the region's errors; -EINVAL.
 */
MMIO_API int mmio_reg_read(const mmio_region *r, const struct mmio_reg *reg, unsigned flags,
                           uint64_t *out);

/*
 * Writes v to register reg of region r, whole. flags: 0 or
 * MMIO_REGS_VERIFY. Returns 0; MMIO_ERR_READ_ONLY for a read-only
 * register; -ERANGE when v is wider than the register; MMIO_ERR_WRITE_DROPPED
 * (verify); the region's errors; -EINVAL.
 */
MMIO_API int mmio_reg_write(mmio_region *r, const struct mmio_reg *reg, unsigned flags, uint64_t v);

/*
 * Reads field idx of register reg (one read of the register) into *out,
 * shifted down to bit 0. flags and returns as mmio_reg_read, and -EINVAL
 * for an index past the fields or a write-only field.
 */
MMIO_API int mmio_field_read(const mmio_region *r, const struct mmio_reg *reg, size_t idx,
                             unsigned flags, uint64_t *out);

/*
 * Writes v to field idx of register reg by the read-modify-write described
 * at the top of this header. flags: 0, MMIO_REGS_READ_EFFECTS,
 * MMIO_REGS_VERIFY. Returns 0; -ERANGE when v does not fit the field (no
 * access made); MMIO_ERR_READ_ONLY for a read-only field or register;
 * MMIO_ERR_WRITE_ONLY for a write-only register (there is nothing to
 * read; write it whole, or use a register map, which remembers it);
 * MMIO_ERR_READ_EFFECT; MMIO_ERR_WRITE_DROPPED (verify); -EINVAL (also for
 * a register with write-once fields, which a read-modify-write could lock:
 * write it whole); the region's errors.
 */
MMIO_API int mmio_field_write(mmio_region *r, const struct mmio_reg *reg, size_t idx,
                              unsigned flags, uint64_t v);

/*
 * The inline forms of mmio_field_read/mmio_field_write with flags 0: for
 * registers declared with MMIO_REG on memory-backed regions they compile
 * to the accesses and masking themselves; everything else goes out of line
 * to the functions above, with the same results.
 */
static inline int mmio_field_get(const mmio_region *r, const struct mmio_reg *reg, size_t idx,
                                 uint64_t *out);
static inline int mmio_field_set(mmio_region *r, const struct mmio_reg *reg, size_t idx,
                                 uint64_t v);

/*
 * Decodes value as register reg's fields, one line each in descending bit
 * order, the way Fuchsia's hwreg prints them:
 *
 *   NAME[hi:lo]: 0x<hex, padded to the field's digits> (<decimal>)[ ENUM]
 *
 * with the name of the enumerated value that matches (if any), then
 *
 *   unknown set bits: 0x<hex, padded to the register's digits>
 *
 * when bits no field covers are set. A register without fields is one
 * line of the same form, for all of its bits (FACTORIAL[31:0]: ...).
 * Lines end with '\n'. Writes at most
 * cap bytes (NUL-terminated) to buf; returns the length the full text has,
 * like snprintf, or -EINVAL.
 */
MMIO_API int mmio_reg_decode(char *buf, size_t cap, const struct mmio_reg *reg, uint64_t value);

/* ---- declaring registers in C ---- */

/*
 * MMIO_REG(NAME, OFFSET, BITS, ACCESS, RESET, FIELDS): see the top of this
 * header. FIELDS(F, R) must expand to F(R, FIELD, MSB, LSB, ACCESS) for
 * each field; MMIO_NO_FIELDS declares a register without fields.
 */
#define MMIO_NO_FIELDS(F, R)

#define MMIO__BITS(msb, lsb) ((~0ull >> (63 - (msb))) & (~0ull << (lsb)))
#define MMIO__WIDTH_MASK(bits) (~0ull >> (64 - (bits)))
/* Field accesses whose bits a read-modify-write must not write back as
 * read: writing them acts, or reading them means nothing. */
#define MMIO__NOKEEP(a)                                                                            \
  ((a) == MMIO_W1C || (a) == MMIO_W1S || (a) == MMIO_W1T || (a) == MMIO_W0C || (a) == MMIO_W0S ||  \
   (a) == MMIO_W0T || (a) == MMIO_WC || (a) == MMIO_WS || (a) == MMIO_WO || (a) == MMIO_WO_ONCE)
#define MMIO__ONES(a) ((a) == MMIO_W0C || (a) == MMIO_W0S || (a) == MMIO_W0T)
/* Field or register accesses that keep field writes out of line. These
 * three follow the rules table of src/regs/field.c; test_regs checks that
 * both give the same masks. */
#define MMIO__SLOW(a)                                                                              \
  ((a) == MMIO_WO || (a) == MMIO_RC || (a) == MMIO_WRITE_ONCE || (a) == MMIO_WO_ONCE)

#define MMIO__FIELD_INDEX(R, name, msb, lsb, access) R##_##name,
#define MMIO__FIELD_INIT(R, name, msb, lsb, access)                                                \
  {#name, (lsb), (msb), (access), MMIO_READ_PLAIN, NULL, 0, NULL},
#define MMIO__FIELD_NOKEEP(R, name, msb, lsb, access)                                              \
  | (MMIO__NOKEEP(access) ? MMIO__BITS(msb, lsb) : 0)
#define MMIO__FIELD_ONES(R, name, msb, lsb, access)                                                \
  | (MMIO__ONES(access) ? MMIO__BITS(msb, lsb) : 0)
#define MMIO__FIELD_SLOW(R, name, msb, lsb, access) || MMIO__SLOW(access)
/* Fields with an access of their own (the others follow the register). */
#define MMIO__FIELD_OWN(R, name, msb, lsb, access)                                                 \
  | ((access) != MMIO_ACCESS_DEFAULT ? MMIO__BITS(msb, lsb) : 0)

#if defined(__GNUC__) || defined(__clang__)
#define MMIO__MAYBE_UNUSED __attribute__((unused))
#else
#define MMIO__MAYBE_UNUSED
#endif

#define MMIO_REG(name, offset_, bits_, access_, reset_, FIELDS)                                    \
  enum { FIELDS(MMIO__FIELD_INDEX, name) name##__NFIELDS };                                        \
  static const struct mmio_field name##__fields[] MMIO__MAYBE_UNUSED = {FIELDS(                    \
      MMIO__FIELD_INIT, name){NULL, 0, 0, MMIO_ACCESS_DEFAULT, MMIO_READ_PLAIN, NULL, 0, NULL}};   \
  static const struct mmio_reg name MMIO__MAYBE_UNUSED = {                                         \
      #name,                                                                                       \
      (offset_),                                                                                   \
      (bits_) / 8,                                                                                 \
      (access_),                                                                                   \
      (access_) == MMIO_RC ? MMIO_READ_CLEARS : MMIO_READ_PLAIN,                                   \
      (reset_),                                                                                    \
      MMIO__WIDTH_MASK(bits_),                                                                     \
      name##__fields,                                                                              \
      name##__NFIELDS,                                                                             \
      NULL,                                                                                        \
      MMIO_REG_DERIVED |                                                                           \
          ((MMIO__SLOW(access_) FIELDS(MMIO__FIELD_SLOW, name)) ? 0 : MMIO_REG_INLINE),            \
      MMIO__WIDTH_MASK(bits_) & ~((MMIO__NOKEEP(access_) ? ~(0 FIELDS(MMIO__FIELD_OWN, name))      \
                                                         : 0)FIELDS(MMIO__FIELD_NOKEEP, name)),    \
      MMIO__WIDTH_MASK(bits_) & ((MMIO__ONES(access_) ? ~(0 FIELDS(MMIO__FIELD_OWN, name))         \
                                                      : 0)FIELDS(MMIO__FIELD_ONES, name))}

/* ---- the inline forms ---- */

MMIO_API MMIO__COLD int mmio__field_read_slow(const mmio_region *r, const struct mmio_reg *reg,
                                              size_t idx, uint64_t *out);
MMIO_API MMIO__COLD int mmio__field_write_slow(mmio_region *r, const struct mmio_reg *reg,
                                               size_t idx, uint64_t v);

/* A field of an MMIO_REG register on an inline path: readable, writable
 * and plain (no write-once, write-only or read effect of its own). */
#define MMIO__FIELD_PLAIN(f)                                                                       \
  ((f)->access == MMIO_ACCESS_DEFAULT || (f)->access == MMIO_RW || (f)->access == MMIO_W1C ||      \
   (f)->access == MMIO_W1S || (f)->access == MMIO_W1T || (f)->access == MMIO_W0C ||                \
   (f)->access == MMIO_W0S || (f)->access == MMIO_W0T)

MMIO__INLINE int mmio_field_set(mmio_region *r, const struct mmio_reg *reg, size_t idx,
                                uint64_t v) {
  const struct mmio_field *f = &reg->fields[idx < reg->nfields ? idx : 0];
  if ((reg->derived & MMIO_REG_INLINE) && idx < reg->nfields && reg->access != MMIO_RO &&
      MMIO__FIELD_PLAIN(f) && reg->width == 4 && v <= (mmio_field_mask(f) >> f->lsb) &&
      mmio__fast32(reg->offset, r->mmio__fast_wlim)) {
    const uint32_t m = (uint32_t)mmio_field_mask(f);
    volatile void *p = mmio__ptr(r, reg->offset);
    uint32_t old = mmio_raw_load32(p);
    mmio_raw_store32(p, (uint32_t)(((old & reg->keep) | reg->ones) & ~m) | ((uint32_t)v << f->lsb));
    return 0;
  }
  return mmio__field_write_slow(r, reg, idx, v);
}

MMIO__INLINE int mmio_field_get(const mmio_region *r, const struct mmio_reg *reg, size_t idx,
                                uint64_t *out) {
  const struct mmio_field *f = &reg->fields[idx < reg->nfields ? idx : 0];
  if ((reg->derived & MMIO_REG_INLINE) && idx < reg->nfields && reg->read_effect == 0 &&
      f->read_effect == 0 && f->access != MMIO_WO && f->access != MMIO_WO_ONCE && reg->width == 4 &&
      mmio__fast32(reg->offset, r->mmio__fast_lim)) {
    *out = (mmio_raw_load32(mmio__ptr(r, reg->offset)) & mmio_field_mask(f)) >> f->lsb;
    return 0;
  }
  return mmio__field_read_slow(r, reg, idx, out);
}

#ifdef __cplusplus
}
#endif

#endif /* MMIO_REGS_H */
