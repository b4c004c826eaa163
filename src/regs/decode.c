/*
 * Values for people: a register decoded into its fields, the way Fuchsia's
 * hwreg prints them, and enumerated values by name.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "regs_internal.h"

/* snprintf into buf at *len, counting past the end. */
static void mmio__append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    MMIO__PRINTF(4, 5);
static void mmio__append(char *buf, size_t cap, size_t *len, const char *fmt, ...) {
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(*len < cap ? buf + *len : NULL, *len < cap ? cap - *len : 0, fmt, ap);
  va_end(ap);
  if (n > 0) *len += (size_t)n;
}

const char *mmio_field_enum_name(const struct mmio_field *f, uint64_t value) {
  size_t i;
  if (f == NULL) return NULL;
  for (i = 0; i < f->nenums; i++)
    if (f->enums[i].value == value &&
        (f->enums[i].usage == 0 || (f->enums[i].usage & MMIO_ENUM_READ)))
      return f->enums[i].name;
  return NULL;
}

int mmio_field_enum_value(const struct mmio_field *f, const char *name, uint64_t *out, char *why,
                          size_t cap) {
  const struct mmio_enum *found = NULL;
  size_t i, folded = 0, len = 0;
  if (why != NULL && cap > 0) why[0] = '\0';
  if (f == NULL || name == NULL || out == NULL) return -EINVAL;
  for (i = 0; i < f->nenums; i++) {
    const struct mmio_enum *e = &f->enums[i];
    if (e->usage != 0 && !(e->usage & MMIO_ENUM_WRITE)) continue;
    if (strcmp(e->name, name) == 0) {
      *out = e->value;
      return 0;
    }
    if (strcasecmp(e->name, name) == 0) {
      found = e;
      folded++;
    }
  }
  if (folded == 1) {
    *out = found->value;
    return 0;
  }
  mmio__append(why, cap, &len, "field %s has no value named '%s'%s", f->name, name,
               f->nenums > 0 ? "; its values:" : " (it has no named values)");
  for (i = 0; i < f->nenums; i++)
    if (f->enums[i].usage == 0 || (f->enums[i].usage & MMIO_ENUM_WRITE))
      mmio__append(why, cap, &len, " %s=0x%" PRIx64, f->enums[i].name, f->enums[i].value);
  return folded > 1 ? MMIO_ERR_AMBIGUOUS : MMIO_ERR_UNKNOWN_NAME;
}

int mmio_reg_decode(char *buf, size_t cap, const struct mmio_reg *reg, uint64_t value) {
  uint64_t covered = 0;
  size_t len = 0, i;
  int bit;
  if ((buf == NULL && cap > 0) || reg == NULL) return -EINVAL;
  if (cap > 0) buf[0] = '\0';
  value &= mmio__width_mask(reg->width);
  /* A register without fields is one value: no bit of it is unknown. */
  if (reg->nfields == 0) {
    mmio__append(buf, cap, &len, "%s[%u:0]: 0x%0*" PRIx64 " (%" PRIu64 ")\n", reg->name,
                 8 * reg->width - 1, (int)(reg->width * 2), value, value);
    return len > INT32_MAX ? -EOVERFLOW : (int)len;
  }
  /* Highest field first, as registers are drawn. */
  for (bit = 63; bit >= 0; bit--) {
    for (i = 0; i < reg->nfields; i++) {
      const struct mmio_field *f = &reg->fields[i];
      uint64_t v;
      const char *e;
      if (f->msb != (unsigned)bit || f->lsb > f->msb) continue;
      v = (value & mmio_field_mask(f)) >> f->lsb;
      e = mmio_field_enum_name(f, v);
      covered |= mmio_field_mask(f);
      mmio__append(buf, cap, &len, "%s[%u:%u]: 0x%0*" PRIx64 " (%" PRIu64 ")%s%s\n", f->name,
                   f->msb, f->lsb, (int)((f->msb - f->lsb + 4) / 4), v, v, e != NULL ? " " : "",
                   e != NULL ? e : "");
    }
  }
  if (value & ~covered)
    mmio__append(buf, cap, &len, "unknown set bits: 0x%0*" PRIx64 "\n", (int)(reg->width * 2),
                 value & ~covered);
  return len > INT32_MAX ? -EOVERFLOW : (int)len;
}
