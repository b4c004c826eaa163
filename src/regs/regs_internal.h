/*
 * The register layer's internal interface: the read-modify-write core that
 * field writes and register maps share, the description model's builder
 * that both file formats feed, and the arena they allocate from. Nothing
 * here is exported. The layer stands on the core's public API only.
 */
#ifndef MMIO_REGS_INTERNAL_H
#define MMIO_REGS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/block.h"
#include "mmio/clock.h"
#include "mmio/desc.h"
#include "mmio/error.h"
#include "mmio/poll.h"
#include "mmio/region.h"
#include "mmio/regs.h"

#if defined(__GNUC__) || defined(__clang__)
#define MMIO__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MMIO__PRINTF(f, a)
#endif

/* The mask of a register's width. */
static inline uint64_t mmio__width_mask(unsigned width) {
  return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
}

/* A field's effective access and read effect (MMIO_ACCESS_DEFAULT and
 * MMIO_RC resolved against its register). */
enum mmio_access mmio__field_access(const struct mmio_reg *reg, const struct mmio_field *f);
enum mmio_read_effect mmio__field_read_effect(const struct mmio_reg *reg,
                                              const struct mmio_field *f);

/* Fills reg's derived members from its fields (no validation). */
void mmio__reg_derive_one(struct mmio_reg *reg);

/*
 * The operations behind mmio_reg_read/write, mmio_field_read/write and the
 * register maps: reg at byte off of r (not reg->offset). shadow, when not
 * NULL, is a write-only register's remembered value: *shadow_valid says
 * whether it is known; a successful write updates both. idx ==
 * MMIO__WHOLE means the whole register.
 */
#define MMIO__WHOLE ((size_t)-1)
int mmio__regs_read(const mmio_region *r, size_t off, const struct mmio_reg *reg, size_t idx,
                    unsigned flags, const uint64_t *shadow, int shadow_valid, uint64_t *out);
int mmio__regs_write(mmio_region *r, size_t off, const struct mmio_reg *reg, size_t idx,
                     unsigned flags, uint64_t v, uint64_t *shadow, int *shadow_valid);
int mmio__regs_poll(const mmio_region *r, size_t off, const struct mmio_reg *reg, size_t idx,
                    uint64_t expected, uint64_t timeout_us, uint64_t sleep_us, unsigned flags,
                    uint64_t *last);

/* ---- memory (arena.c) ---- */

/* A bump allocator: everything allocated goes at once with the arena. */
struct mmio__arena {
  char **blocks;
  size_t nblocks, capblocks;
  char *cur;
  size_t left;
};
/* n bytes aligned for any object, or NULL when out of memory. */
void *mmio__arena_alloc(struct mmio__arena *a, size_t n);
/* Frees every allocation and leaves the arena empty. */
void mmio__arena_free(struct mmio__arena *a);

/* ---- building a description (desc.c), fed by the file formats ---- */

struct mmio__builder;

/* What each format's parser is given and returns. */
typedef int (*mmio__desc_parser)(struct mmio__builder *b, const char *data, size_t len);
int mmio__svd_parse(struct mmio__builder *b, const char *data, size_t len);
int mmio__text_parse(struct mmio__builder *b, const char *data, size_t len);

/* A copy of s (n bytes, or up to its NUL when n is (size_t)-1) that lives
 * as long as the description. NULL when out of memory. */
const char *mmio__b_string(struct mmio__builder *b, const char *s, size_t n);
/* The same, formatted. */
const char *mmio__b_printf(struct mmio__builder *b, const char *fmt, ...) MMIO__PRINTF(2, 3);

/*
 * Records a failure at line (0: no line) and returns
 * MMIO_ERR_BAD_DESCRIPTION, for the parser to return at once.
 */
int mmio__b_fail(struct mmio__builder *b, unsigned long line, const char *fmt, ...)
    MMIO__PRINTF(3, 4);
/* Records a warning at line, once per distinct text. Returns 0 or -ENOMEM. */
int mmio__b_warn(struct mmio__builder *b, unsigned long line, const char *fmt, ...)
    MMIO__PRINTF(3, 4);

/* The device's name (copied). */
int mmio__b_device(struct mmio__builder *b, const char *name, size_t n);

/*
 * Starts a peripheral; registers, fields and values added next belong to
 * it. Strings must come from mmio__b_string or live as long. Returns 0,
 * MMIO_ERR_BAD_DESCRIPTION (a duplicate name) or -ENOMEM.
 */
int mmio__b_periph(struct mmio__builder *b, unsigned long line, const char *name, uint64_t base,
                   const char *description);
/* A peripheral that shares the registers of the one named from (derivedFrom
 * with nothing added), resolved when the description is finished. */
int mmio__b_periph_alias(struct mmio__builder *b, unsigned long line, const char *name,
                         uint64_t base, const char *description, const char *from);
/* Adds a register to the current peripheral (a copy of *reg; its fields
 * come next). */
int mmio__b_reg(struct mmio__builder *b, unsigned long line, const struct mmio_reg *reg);
/* Adds a field to the current register (a copy; its values come next). */
int mmio__b_field(struct mmio__builder *b, unsigned long line, const struct mmio_field *f);
/* Adds an enumerated value to the current field. */
int mmio__b_enum(struct mmio__builder *b, unsigned long line, const struct mmio_enum *e);

#endif /* MMIO_REGS_INTERNAL_H */
