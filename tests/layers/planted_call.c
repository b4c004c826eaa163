/*
 * A planted violation for the layer test: compiled as if it were part of
 * the core, it calls into the Linux layer, which the core may not use.
 * Never linked into anything.
 */
#include "core_internal.h"

int mmio__planted_call(void);
int mmio__pci_exists(const void *env, const char *bdf);

int mmio__planted_call(void) { return mmio__pci_exists(0, "0000:00:00.0"); }
