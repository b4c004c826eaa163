/*
 * A bump allocator for the many small, long-lived pieces of a register
 * description: one free for all of them, and no per-piece overhead.
 */
#include <stdlib.h>

#include "regs_internal.h"

#define MMIO__ARENA_BLOCK 65536u
#define MMIO__ARENA_ALIGN (sizeof(void *) > sizeof(uint64_t) ? sizeof(void *) : sizeof(uint64_t))

void *mmio__arena_alloc(struct mmio__arena *a, size_t n) {
  char *p;
  /* Round up so that what follows stays aligned for pointers and 64-bit
   * numbers. */
  if (n > SIZE_MAX - MMIO__ARENA_ALIGN) return NULL;
  n = (n + MMIO__ARENA_ALIGN - 1) / MMIO__ARENA_ALIGN * MMIO__ARENA_ALIGN;
  if (n > a->left) {
    const size_t size = n > MMIO__ARENA_BLOCK ? n : MMIO__ARENA_BLOCK;
    if (a->nblocks == a->capblocks) {
      size_t cap = a->capblocks != 0 ? a->capblocks * 2 : 16;
      char **grown = realloc(a->blocks, cap * sizeof(*grown));
      if (grown == NULL) return NULL;
      a->blocks = grown;
      a->capblocks = cap;
    }
    if ((p = malloc(size)) == NULL) return NULL;
    a->blocks[a->nblocks++] = p;
    a->cur = p;
    a->left = size;
  }
  p = a->cur;
  a->cur += n;
  a->left -= n;
  return p;
}

void mmio__arena_free(struct mmio__arena *a) {
  size_t i;
  for (i = 0; i < a->nblocks; i++)
    free(a->blocks[i]);
  free(a->blocks);
  a->blocks = NULL;
  a->nblocks = a->capblocks = a->left = 0;
  a->cur = NULL;
}
