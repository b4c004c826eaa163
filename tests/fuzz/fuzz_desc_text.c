/*
 * Fuzzes the text format of register descriptions
 * (docs/register-descriptions.md): every input that mmio_desc_parse reads
 * as text is parsed and, when it loads, exercised.
 */
#include <stddef.h>
#include <stdint.h>

#include "desc_exercise.h"

/* Not SVD: after blanks (and a UTF-8 byte order mark), anything but '<'. */
static int reads_as_text(const uint8_t *data, size_t size) {
  size_t i = size >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf ? 3 : 0;
  while (i < size && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
    i++;
  return i == size || data[i] != '<';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (reads_as_text(data, size)) desc_exercise(data, size);
  return 0;
}
