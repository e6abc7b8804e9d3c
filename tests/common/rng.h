/*
 * Reproducible test data: xorshift64 from a seed the test chooses, so that
 * a failure names inputs that can be produced again. Not for keys outside
 * tests.
 */
#ifndef MAMORI_TEST_RNG_H
#define MAMORI_TEST_RNG_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t test_rng_next(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (uint32_t)(*state >> 16);
}

static inline void test_rng_bytes(uint64_t *state, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)test_rng_next(state);
}

#endif
