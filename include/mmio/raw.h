/*
 * Raw device-memory accessors and barriers.
 *
 * Each mmio_raw_loadN/mmio_raw_storeN performs exactly one access of exactly
 * N bits at addr, emitted as a single instruction that a hypervisor can
 * decode and emulate when the access traps:
 *
 *   x86-64   mov between memory and a general-purpose register
 *   arm64    ldrb/ldrh/ldr and strb/strh/str with a plain [xN] address
 *   riscv64  lbu/lhu/lwu/ld and sb/sh/sw/sd with a zero displacement,
 *            always the 32-bit encodings (never the compressed c.lw, c.sd
 *            ...): KVM decodes compressed loads and stores, but a
 *            hypervisor need not, and the two bytes they save are nothing
 *            next to a device access
 *   armhf    ldrb/ldrh/ldr and strb/strh/str with a plain [rN] address
 *            (32-bit Arm, ARM or Thumb-2 encoding)
 *   other    a volatile access of the same width
 *
 * 64-bit accesses on armhf. 32-bit Arm has no single 64-bit load or store
 * that a hypervisor can emulate (ldrd/strd and ldm/stm give no usable
 * syndrome), so mmio_raw_load64 and mmio_raw_store64, and with them every
 * checked 64-bit access (mmio_try_load64, mmio_load64, mmio_masked_modify64
 * ...), are two 32-bit accesses in one asm statement: the low word at
 * addr, then the high word at addr + 4 (little-endian, like the device).
 * They are not single-copy atomic: a device that acts on one half sees two
 * accesses, and a value that changes between them is torn. Drivers for
 * such registers on armhf should use two explicit 32-bit accesses in the
 * order the device wants.
 *
 * Why not a plain volatile dereference: compilers are free to emit any
 * instruction that performs a volatile access, and for arm64 they do emit
 * pre/post-index writeback, register-pair and SIMD forms. When a guest's
 * access to emulated device memory traps, KVM on arm64 only gets a usable
 * syndrome for single loads and stores without writeback, and cannot emulate
 * the rest; the guest then dies with an external abort. Pinning the
 * instruction in inline assembly removes that dependence on the optimiser.
 *
 * addr must be naturally aligned for the width; these functions do not
 * check anything (the checked API is in mmio/region.h). On 32-bit targets a
 * 64-bit access is two 32-bit accesses (armhf, see above) or may be split
 * into two by the hardware (other).
 *
 * Ordering: the accessors promise no ordering against other memory
 * accesses, ordinary or device, beyond what the compiler gives volatile
 * operations (they are not reordered against each other by the compiler).
 * The CPU may reorder them where the memory type allows it (for example
 * write-combining mappings, or normal memory standing in for a device).
 * Use the explicit barriers below where order matters, e.g. between filling
 * a DMA descriptor in RAM and ringing a doorbell register.
 */
#ifndef MMIO_RAW_H
#define MMIO_RAW_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define MMIO__RAW_ASM_X86_64 1
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__aarch64__)
#define MMIO__RAW_ASM_ARM64 1
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__riscv) && defined(__riscv_xlen) &&    \
    __riscv_xlen == 64
#define MMIO__RAW_ASM_RISCV64 1
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__arm__) && defined(__ARMEL__)
#define MMIO__RAW_ASM_ARM32 1
#endif

#if !defined(MMIO__RAW_ASM_X86_64) && !defined(MMIO__RAW_ASM_ARM64) &&                             \
    !defined(MMIO__RAW_ASM_RISCV64) && !defined(MMIO__RAW_ASM_ARM32) && !defined(__cplusplus)
#include <stdatomic.h>
#endif

/*
 * MMIO__RAW_ACCESSORS(bits, type, load_insn, store_insn, reg) defines
 * mmio_raw_load<bits> and mmio_raw_store<bits>. The "m" operand names the
 * exact bytes touched, so the compiler knows what the instruction reads or
 * writes without a blanket memory clobber; that keeps ordinary code around
 * the access optimisable while the access itself is never merged, split or
 * dropped.
 */
#if defined(MMIO__RAW_ASM_X86_64)

/* Any addressing mode is fine on x86-64: the emulator decodes ModRM/SIB. */
#define MMIO__RAW_ACCESSORS(bits, type, sfx)                                                       \
  static inline type mmio_raw_load##bits(const volatile void *addr) {                              \
    type v;                                                                                        \
    __asm__ __volatile__("mov" sfx " %1, %0" : "=r"(v) : "m"(*(const volatile type *)addr));       \
    return v;                                                                                      \
  }                                                                                                \
  static inline void mmio_raw_store##bits(volatile void *addr, type v) {                           \
    __asm__ __volatile__("mov" sfx " %1, %0" : "=m"(*(volatile type *)addr) : "r"(v));             \
  }
MMIO__RAW_ACCESSORS(8, uint8_t, "b")
MMIO__RAW_ACCESSORS(16, uint16_t, "w")
MMIO__RAW_ACCESSORS(32, uint32_t, "l")
MMIO__RAW_ACCESSORS(64, uint64_t, "q")

#elif defined(MMIO__RAW_ASM_ARM64)

/* The address goes in a register operand so that the template, not the
 * compiler, chooses the addressing mode: always plain [xN]. */
#define MMIO__RAW_ACCESSORS(bits, type, ld, st, reg)                                               \
  static inline type mmio_raw_load##bits(const volatile void *addr) {                              \
    type v;                                                                                        \
    __asm__ __volatile__(ld " %" reg "0, [%1]"                                                     \
                         : "=r"(v)                                                                 \
                         : "r"(addr), "m"(*(const volatile type *)addr));                          \
    return v;                                                                                      \
  }                                                                                                \
  static inline void mmio_raw_store##bits(volatile void *addr, type v) {                           \
    __asm__ __volatile__(st " %" reg "1, [%2]"                                                     \
                         : "=m"(*(volatile type *)addr)                                            \
                         : "r"(v), "r"(addr));                                                     \
  }
MMIO__RAW_ACCESSORS(8, uint8_t, "ldrb", "strb", "w")
MMIO__RAW_ACCESSORS(16, uint16_t, "ldrh", "strh", "w")
MMIO__RAW_ACCESSORS(32, uint32_t, "ldr", "str", "w")
MMIO__RAW_ACCESSORS(64, uint64_t, "ldr", "str", "x")

#elif defined(MMIO__RAW_ASM_RISCV64)

/* .option norvc keeps the assembler from picking a compressed encoding;
 * push/pop restore whatever the surrounding code uses. */
#define MMIO__RAW_ACCESSORS(bits, type, ld, st)                                                    \
  static inline type mmio_raw_load##bits(const volatile void *addr) {                              \
    type v;                                                                                        \
    __asm__ __volatile__(".option push\n\t.option norvc\n\t" ld " %0, 0(%1)\n\t.option pop"        \
                         : "=r"(v)                                                                 \
                         : "r"(addr), "m"(*(const volatile type *)addr));                          \
    return v;                                                                                      \
  }                                                                                                \
  static inline void mmio_raw_store##bits(volatile void *addr, type v) {                           \
    __asm__ __volatile__(".option push\n\t.option norvc\n\t" st " %1, 0(%2)\n\t.option pop"        \
                         : "=m"(*(volatile type *)addr)                                            \
                         : "r"(v), "r"(addr));                                                     \
  }
MMIO__RAW_ACCESSORS(8, uint8_t, "lbu", "sb")
MMIO__RAW_ACCESSORS(16, uint16_t, "lhu", "sh")
MMIO__RAW_ACCESSORS(32, uint32_t, "lwu", "sw")
MMIO__RAW_ACCESSORS(64, uint64_t, "ld", "sd")

#elif defined(MMIO__RAW_ASM_ARM32)

/* As on arm64: the address in a register operand, so always plain [rN]. */
#define MMIO__RAW_ACCESSORS(bits, type, ld, st)                                                    \
  static inline type mmio_raw_load##bits(const volatile void *addr) {                              \
    type v;                                                                                        \
    __asm__ __volatile__(ld " %0, [%1]" : "=r"(v) : "r"(addr), "m"(*(const volatile type *)addr)); \
    return v;                                                                                      \
  }                                                                                                \
  static inline void mmio_raw_store##bits(volatile void *addr, type v) {                           \
    __asm__ __volatile__(st " %1, [%2]" : "=m"(*(volatile type *)addr) : "r"(v), "r"(addr));       \
  }
MMIO__RAW_ACCESSORS(8, uint8_t, "ldrb", "strb")
MMIO__RAW_ACCESSORS(16, uint16_t, "ldrh", "strh")
MMIO__RAW_ACCESSORS(32, uint32_t, "ldr", "str")

/* Two 32-bit accesses, low word first (see the top of this file). One asm
 * statement keeps them in that order and adjacent; the low word's register
 * is early-clobbered so that it cannot share one with the second address. */
static inline uint64_t mmio_raw_load64(const volatile void *addr) {
  uint32_t lo, hi;
  __asm__ __volatile__("ldr %0, [%2]\n\tldr %1, [%3]"
                       : "=&r"(lo), "=r"(hi)
                       : "r"(addr), "r"((const volatile char *)addr + 4),
                         "m"(*(const volatile uint64_t *)addr));
  return (uint64_t)hi << 32 | lo;
}
static inline void mmio_raw_store64(volatile void *addr, uint64_t v) {
  __asm__ __volatile__("str %1, [%3]\n\tstr %2, [%4]"
                       : "=m"(*(volatile uint64_t *)addr)
                       : "r"((uint32_t)v), "r"((uint32_t)(v >> 32)), "r"(addr),
                         "r"((volatile char *)addr + 4));
}

#else

#define MMIO__RAW_ACCESSORS(bits, type)                                                            \
  static inline type mmio_raw_load##bits(const volatile void *addr) {                              \
    return *(const volatile type *)addr;                                                           \
  }                                                                                                \
  static inline void mmio_raw_store##bits(volatile void *addr, type v) {                           \
    *(volatile type *)addr = v;                                                                    \
  }
MMIO__RAW_ACCESSORS(8, uint8_t)
MMIO__RAW_ACCESSORS(16, uint16_t)
MMIO__RAW_ACCESSORS(32, uint32_t)
MMIO__RAW_ACCESSORS(64, uint64_t)

#endif

#undef MMIO__RAW_ACCESSORS

/*
 * Barriers. Each is also a compiler barrier.
 *
 * mmio_barrier_read():  loads before it complete before loads after it.
 * mmio_barrier_write(): stores before it are visible (to devices too)
 *                       before stores after it.
 * mmio_barrier_full():  all loads and stores before it complete before any
 *                       after it.
 *
 * These are the mandatory barriers (Linux's rmb/wmb/mb): strong enough to
 * order device accesses against each other and against DMA memory, which is
 * what a driver needs between filling a descriptor and writing a doorbell,
 * or between reading a status register and reading the data it announced.
 */
#if defined(MMIO__RAW_ASM_X86_64)
static inline void mmio_barrier_read(void) { __asm__ __volatile__("lfence" ::: "memory"); }
static inline void mmio_barrier_write(void) { __asm__ __volatile__("sfence" ::: "memory"); }
static inline void mmio_barrier_full(void) { __asm__ __volatile__("mfence" ::: "memory"); }
#elif defined(MMIO__RAW_ASM_ARM64)
static inline void mmio_barrier_read(void) { __asm__ __volatile__("dsb ld" ::: "memory"); }
static inline void mmio_barrier_write(void) { __asm__ __volatile__("dsb st" ::: "memory"); }
static inline void mmio_barrier_full(void) { __asm__ __volatile__("dsb sy" ::: "memory"); }
#elif defined(MMIO__RAW_ASM_RISCV64)
static inline void mmio_barrier_read(void) { __asm__ __volatile__("fence ir, ir" ::: "memory"); }
static inline void mmio_barrier_write(void) { __asm__ __volatile__("fence ow, ow" ::: "memory"); }
static inline void mmio_barrier_full(void) {
  __asm__ __volatile__("fence iorw, iorw" ::: "memory");
}
#elif defined(MMIO__RAW_ASM_ARM32)
/* ARMv7 has no "dsb ld"; Linux's rmb() on 32-bit Arm is a full dsb too. */
static inline void mmio_barrier_read(void) { __asm__ __volatile__("dsb sy" ::: "memory"); }
static inline void mmio_barrier_write(void) { __asm__ __volatile__("dsb st" ::: "memory"); }
static inline void mmio_barrier_full(void) { __asm__ __volatile__("dsb sy" ::: "memory"); }
#elif !defined(__cplusplus)
static inline void mmio_barrier_read(void) { atomic_thread_fence(memory_order_seq_cst); }
static inline void mmio_barrier_write(void) { atomic_thread_fence(memory_order_seq_cst); }
static inline void mmio_barrier_full(void) { atomic_thread_fence(memory_order_seq_cst); }
#endif

#ifdef __cplusplus
}
#endif

#endif /* MMIO_RAW_H */
