/*
 * A planted violation for the layer test: compiled as if it were part of
 * the core, it includes the Linux layer's internal header. Never linked
 * into anything.
 */
#include "linux_internal.h"

size_t mmio__planted_include(void);
size_t mmio__planted_include(void) { return mmio__page_size(); }
