/*
 * What the register-description harnesses do with an input: parse it,
 * check what a parsed description promises (mmio/desc.h, mmio/regs.h),
 * find every name it declares, and drive a register map bound to a fake
 * register file built from each peripheral.
 */
#ifndef MMIO_FUZZ_DESC_EXERCISE_H
#define MMIO_FUZZ_DESC_EXERCISE_H

#include <stddef.h>
#include <stdint.h>

/* Parses the size bytes at data with mmio_desc_parse and exercises the
 * result; aborts with a message when a promise is broken. */
void desc_exercise(const uint8_t *data, size_t size);

#endif
