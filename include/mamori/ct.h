/*
 * Constant-time helpers for secret data. None of these branch on or index
 * memory by the values they are given.
 */
#ifndef MAMORI_CT_H
#define MAMORI_CT_H

#include <stddef.h>
#include <stdint.h>

/* Hides the value of x, an unsigned integer lvalue of at most 64 bits,
 * from the optimiser (an empty asm that may change it; elsewhere a trip
 * through a volatile), so that a mask made from a secret cannot be turned
 * back into a branch on that secret; clang -O2 did so in masked selects. */
#if defined(__GNUC__)
#define MAMORI_CT_BARRIER(x) __asm__("" : "+r"(x))
#else
#define MAMORI_CT_BARRIER(x)                                                                       \
    do {                                                                                           \
        volatile uint64_t barrier_ = (x);                                                          \
        (x) = barrier_;                                                                            \
    } while (0)
#endif

/* Marks n bytes at p as public data for the constant-time tests, which run
 * under valgrind memcheck with secrets marked undefined (tests/ct/, built
 * with -DMAMORI_CT_VALGRIND=ON): for output that is public by definition
 * although computed from secrets, such as ciphertext, so that code indexing
 * memory by it is not reported. Never for keys or intermediate state. A
 * no-op in every other build. */
#if defined(MAMORI_CT_VALGRIND)
#include <valgrind/memcheck.h>
#define MAMORI_CT_DECLASSIFY(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define MAMORI_CT_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

/* 1 if a and b hold the same n bytes, else 0; time depends only on n. */
int mamori_ct_equal(const void *a, const void *b, size_t n);
/* Overwrites n bytes with zeros in a way the compiler may not elide. */
void mamori_zeroize(void *p, size_t n);
/* Copies src over dst when ctl is 1; leaves dst unchanged when ctl is 0.
 * ctl must be 0 or 1. */
void mamori_ct_copy(uint32_t ctl, void *dst, const void *src, size_t n);
/* Returns a when ctl is 1, b when ctl is 0 (ctl must be 0 or 1). */
static inline uint32_t mamori_ct_select32(uint32_t ctl, uint32_t a, uint32_t b)
{
    return b ^ ((0u - ctl) & (a ^ b));
}
/* 1 if x is zero, else 0. */
static inline uint32_t mamori_ct_is_zero32(uint32_t x) { return 1u ^ ((x | (0u - x)) >> 31); }

#endif
