/*
 * Fuzzes CMSIS-SVD descriptions (mmio_desc_parse through libexpat): every
 * input that reads as XML is parsed and, when it loads, exercised.
 */
#include <stddef.h>
#include <stdint.h>

#include "desc_exercise.h"

/* mmio_desc_parse's rule: SVD starts, after blanks, with '<'. */
static int looks_like_xml(const uint8_t *data, size_t size) {
  size_t i = 0;
  while (i < size && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
    i++;
  return i < size && data[i] == '<';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (looks_like_xml(data, size)) desc_exercise(data, size);
  return 0;
}
