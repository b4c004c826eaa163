/*
 * The synthetic sysfs and /dev of the fault tests: one PCI function
 * (0000:00:02.0, 1234:11e8) with memory BARs 0 and 2, bound to vfio-pci
 * in IOMMU group 7, with a UIO device uio0 ("edu-uio") over it, the VFIO
 * container, group and device files, and a /dev/mem.
 */
#ifndef MMIO_FAULTS_TREE_H
#define MMIO_FAULTS_TREE_H

#include "open_internal.h"

/* Builds the tree in a new temporary directory and turns the VFIO
 * emulation on for it; *env then points at it. */
void fault_tree_make(struct mmio__env *env);

/* Turns the emulation off and removes the tree. */
void fault_tree_remove(void);

#endif
