/*
 * Version and symbol-visibility macros shared by every public header.
 */
#ifndef MMIO_VERSION_H
#define MMIO_VERSION_H

#define MMIO_VERSION_MAJOR 0
#define MMIO_VERSION_MINOR 1
#define MMIO_VERSION_PATCH 0

/* MMIO_VERSION_NUMBER is 0xMMmmpp, so that versions compare as integers. */
#define MMIO_VERSION_NUMBER                                                                        \
  ((MMIO_VERSION_MAJOR << 16) | (MMIO_VERSION_MINOR << 8) | MMIO_VERSION_PATCH)

/*
 * The library is built with -fvisibility=hidden; only declarations marked
 * MMIO_API are exported from the shared object. Static-library users define
 * nothing: the attribute is harmless there.
 */
#ifndef MMIO_API
#if defined(__GNUC__) || defined(__clang__)
#define MMIO_API __attribute__((visibility("default")))
#else
#define MMIO_API
#endif
#endif

#endif /* MMIO_VERSION_H */
