/*
 * Register descriptions from files, and register maps that bind them to a
 * region.
 *
 * Two formats load into the structures of mmio/regs.h:
 *   - CMSIS-SVD, the XML that silicon vendors publish (parsed with
 *     libexpat), with what real files use: derivedFrom, dim arrays and
 *     lists, nested clusters, inherited size/access/reset, the three forms
 *     of bit positions, enumerated values, modifiedWriteValues and
 *     readAction (which give the W1C/RC rules), alternate registers;
 *   - the project's own text format for devices without an SVD (FPGA IP,
 *     PCI devices): docs/register-descriptions.md has its grammar.
 *
 * Names: a register is PERIPHERAL.REGISTER, inside clusters
 * PERIPHERAL.CLUSTER.REGISTER, a field ...REGISTER.FIELD; array elements
 * take their index: RAM[%s] gives RAM[0], RAM[1], ...; CC%s with dimIndex
 * 0-3 gives CC0 ... CC3. Lookup is exact first, then case-insensitive when
 * that is unambiguous, in O(log n); an unknown name gets the closest
 * candidates in its message.
 *
 *   mmio_desc *d;
 *   char why[256];
 *   if (mmio_desc_load(&d, "RP2040.svd", why, sizeof(why)) != 0) puts(why);
 *   mmio_regmap *m;
 *   mmio_regmap_create(&m, &uart0_region, d, "UART0", 0, 0);
 *   struct mmio_name n;
 *   mmio_regmap_find(&n, m, "UARTCR.UARTEN", why, sizeof(why));
 *   mmio_regmap_write(m, &n, 0, 1);
 */
#ifndef MMIO_DESC_H
#define MMIO_DESC_H

#include <stddef.h>
#include <stdint.h>

#include "mmio/region.h"
#include "mmio/regs.h"
#include "mmio/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmio_desc mmio_desc;

/* A peripheral: a block of registers at an address. */
struct mmio_periph {
  const char *name;
  uint64_t base;               /* its address (SVD baseAddress) */
  uint64_t size;               /* bytes from base to the end of its last register */
  const struct mmio_reg *regs; /* ascending offsets, from base; arrays expanded */
  size_t nregs;
  const char *description;  /* may be NULL */
  const char *derived_from; /* the peripheral it copies, or NULL */
};

/*
 * Loads the description in the file at path: CMSIS-SVD when it starts
 * (after blanks) with '<', the text format otherwise. *out is the caller's
 * (mmio_desc_free); everything it points to lives as long as it does.
 * Returns 0; -errno when the file cannot be read; MMIO_ERR_BAD_DESCRIPTION
 * with "FILE:LINE: reason" in why (cap bytes; why may be NULL) for
 * malformed input: truncated XML, a required element missing, derivedFrom
 * naming nothing, a field beyond its register, overlapping fields, an
 * array whose index list does not match dim, and so on; -ENOTSUP for an
 * SVD file when the library was built without libexpat; -ENOMEM.
 * Contradictions a real vendor file has and a device forgives (a W1C bit
 * with a read-only access, say) load, with one warning each
 * (mmio_desc_warning).
 */
MMIO_API int mmio_desc_load(mmio_desc **out, const char *path, char *why, size_t cap);

/* As mmio_desc_load, from len bytes at data; name is used in messages. */
MMIO_API int mmio_desc_parse(mmio_desc **out, const char *data, size_t len, const char *name,
                             char *why, size_t cap);

/* Frees a description. Accepts NULL. Register maps over it must go first. */
MMIO_API void mmio_desc_free(mmio_desc *d);

/* The device's name ("RP2040"), "" when the description has none. */
MMIO_API const char *mmio_desc_name(const mmio_desc *d);

/* The peripherals, in address order: i from 0 to mmio_desc_nperiphs(d). */
MMIO_API size_t mmio_desc_nperiphs(const mmio_desc *d);
MMIO_API const struct mmio_periph *mmio_desc_periph(const mmio_desc *d, size_t i);

/* The i-th warning about the input ("FILE:LINE: what"), or NULL past the
 * last. Each kind of contradiction is reported once per element. */
MMIO_API const char *mmio_desc_warning(const mmio_desc *d, size_t i);

/* A name resolved: a register, or a field of it. */
struct mmio_name {
  const struct mmio_periph *periph;
  const struct mmio_reg *reg;
  const struct mmio_field *field; /* NULL for the whole register */
  size_t field_index;
};

/*
 * Resolves name: "PERIPHERAL", "PERIPHERAL.REGISTER" or
 * "PERIPHERAL.REGISTER.FIELD"; within scope (a peripheral name, or NULL
 * for the whole device) without the peripheral part. A bare peripheral
 * name sets only out->periph. Returns 0; MMIO_ERR_UNKNOWN_NAME with the
 * closest candidates in why; MMIO_ERR_AMBIGUOUS when names differ only in
 * case and none matches exactly, listing them; -EINVAL.
 */
MMIO_API int mmio_desc_find(struct mmio_name *out, const mmio_desc *d, const char *scope,
                            const char *name, char *why, size_t cap);

/*
 * The value of field f's enumerated value called name (exact, then
 * case-insensitive when unambiguous), usable for writes. Returns 0;
 * MMIO_ERR_UNKNOWN_NAME with the field's values in why; -EINVAL.
 */
MMIO_API int mmio_field_enum_value(const struct mmio_field *f, const char *name, uint64_t *out,
                                   char *why, size_t cap);

/* The name of field f's enumerated value equal to value and readable (or
 * NULL). */
MMIO_API const char *mmio_field_enum_name(const struct mmio_field *f, uint64_t value);

/* ---- register maps ---- */

typedef struct mmio_regmap mmio_regmap;

/*
 * Binds description d to region r. With scope a peripheral's name, register
 * names are relative to it ("UARTCR.UARTEN") and so are offsets: byte 0 of
 * r is the peripheral's base. With scope NULL, names are whole
 * ("UART0.UARTCR") and byte 0 of r is the address region_address (a phys:
 * window's start, say). r and d are borrowed: both must outlive the map,
 * and stores through it need r as a store through r does.
 * flags: 0, MMIO_REGS_READ_EFFECTS, MMIO_REGS_VERIFY: defaults for every
 * access through the map. The map remembers each write-only register's
 * last written value (its reset value until then, when known), so fields
 * of write-only registers can be written.
 * *out is the caller's (mmio_regmap_free). Returns 0; MMIO_ERR_UNKNOWN_NAME
 * for an unknown scope; -EINVAL; -ENOMEM.
 */
MMIO_API int mmio_regmap_create(mmio_regmap **out, mmio_region *r, const mmio_desc *d,
                                const char *scope, uint64_t region_address, unsigned flags);

/* Frees the map (not the region or the description). Accepts NULL. */
MMIO_API void mmio_regmap_free(mmio_regmap *m);

/* Resolves name within the map's scope, as mmio_desc_find. */
MMIO_API int mmio_regmap_find(struct mmio_name *out, const mmio_regmap *m, const char *name,
                              char *why, size_t cap);

/*
 * The byte offset in the region of n's register. Returns 0;
 * MMIO_ERR_OUT_OF_RANGE when the register lies outside the region (the
 * map's scope and region_address do not cover it); -EINVAL.
 */
MMIO_API int mmio_regmap_offset(const mmio_regmap *m, const struct mmio_name *n, size_t *off);

/*
 * Reads n (a register, or a field shifted to bit 0) through the map;
 * flags are added to the map's. Returns as mmio_reg_read / mmio_field_read,
 * and MMIO_ERR_OUT_OF_RANGE for a register outside the region.
 */
MMIO_API int mmio_regmap_read(mmio_regmap *m, const struct mmio_name *n, unsigned flags,
                              uint64_t *out);

/*
 * Writes n: a register whole, or a field by the read-modify-write rules of
 * mmio/regs.h (a write-only register's remembered value stands in for the
 * read). flags are added to the map's. Returns as mmio_reg_write /
 * mmio_field_write.
 */
MMIO_API int mmio_regmap_write(mmio_regmap *m, const struct mmio_name *n, unsigned flags,
                               uint64_t v);

/* mmio_field_poll (or, for a register, mmio_poll of its width with an
 * all-ones mask) on n through the map. */
MMIO_API int mmio_regmap_poll(mmio_regmap *m, const struct mmio_name *n, uint64_t expected,
                              uint64_t timeout_us, uint64_t sleep_us, unsigned flags,
                              uint64_t *last);

#ifdef __cplusplus
}
#endif

#endif /* MMIO_DESC_H */
