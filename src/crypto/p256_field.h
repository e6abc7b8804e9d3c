/*
 * Arithmetic modulo the P-256 prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1 in
 * Montgomery form (R = 2^256) on four 64-bit limbs, for hosts with a 128-bit
 * product (EC_P256_FAST). Same contracts as the generic ec_* functions of
 * ec_field.h, which call these for the P-256 prime. Constant time: no branch
 * or memory index depends on the operands.
 */
#ifndef MAMORI_P256_FIELD_H
#define MAMORI_P256_FIELD_H

#include "crypto/ec_field.h"

#if EC_P256_FAST

typedef unsigned __int128 p256_u128;

/* p = (P256_P3, 0, P256_P1, P256_P0) in 64-bit limbs */
#define P256_P0 0xffffffffffffffffu
#define P256_P1 0x00000000ffffffffu
#define P256_P3 0xffffffff00000001u

/* Hides a mask from the optimiser, which could otherwise turn a masked
 * select into a branch on it (clang does for the generic code). */
static inline uint64_t p256_opaque(uint64_t x)
{
    MAMORI_CT_BARRIER(x);
    return x;
}

/* The carries below are compares (s < b) summed into the next limb, which
 * gcc 12 compiles to add/adc; a 128-bit sum of 64-bit addends costs it an
 * extra zeroed register and instruction per addend. */

/* lo + 2^64 hi = a b + c + d (cannot overflow) */
static inline uint64_t p256_mac(uint64_t *lo, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    p256_u128 p = (p256_u128)a * b;
    uint64_t l = (uint64_t)p, h = (uint64_t)(p >> 64);
    l += c;
    h += l < c;
    l += d;
    h += l < d;
    *lo = l;
    return h;
}

/* lo = a + b + c mod 2^64, returns the carry (a + b + c) >> 64 */
static inline uint64_t p256_adc(uint64_t *lo, uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t s = a + b, c1 = s < b;
    uint64_t s2 = s + c, c2 = s2 < c;
    *lo = s2;
    return c1 + c2;
}

/* lo = a - b - br mod 2^64, returns the borrow (0 or 1) */
static inline uint64_t p256_sbb(uint64_t *lo, uint64_t a, uint64_t b, uint64_t br)
{
    uint64_t d = a - b, b1 = a < b;
    uint64_t d2 = d - br, b2 = d < br;
    *lo = d2;
    return b1 + b2;
}

/* r = (top:t) - p if that is not negative, else t; for (top:t) < 2p. */
static inline void p256_sub_p_once(uint64_t *r, uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3,
                              uint64_t top)
{
    uint64_t s0, s1, s2, s3, br;
    br = p256_sbb(&s0, t0, P256_P0, 0);
    br = p256_sbb(&s1, t1, P256_P1, br);
    br = p256_sbb(&s2, t2, 0, br);
    br = p256_sbb(&s3, t3, P256_P3, br);
    /* keep t when the subtraction borrowed past the carry-out */
    uint64_t keep = p256_opaque((uint64_t)0 - (br & (top ^ 1)));
    r[0] = s0 ^ ((s0 ^ t0) & keep);
    r[1] = s1 ^ ((s1 ^ t1) & keep);
    r[2] = s2 ^ ((s2 ^ t2) & keep);
    r[3] = s3 ^ ((s3 ^ t3) & keep);
}

/* r = a + b mod p and r = a - b mod p for a, b < p (inline: the point
 * formulas use many). */
static inline void p256_add(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    uint64_t s0, s1, s2, s3, c;
    c = p256_adc(&s0, a[0], b[0], 0);
    c = p256_adc(&s1, a[1], b[1], c);
    c = p256_adc(&s2, a[2], b[2], c);
    c = p256_adc(&s3, a[3], b[3], c);
    p256_sub_p_once(r, s0, s1, s2, s3, c);
}

static inline void p256_sub(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    uint64_t d0, d1, d2, d3, br, c;
    br = p256_sbb(&d0, a[0], b[0], 0);
    br = p256_sbb(&d1, a[1], b[1], br);
    br = p256_sbb(&d2, a[2], b[2], br);
    br = p256_sbb(&d3, a[3], b[3], br);
    /* add p back when the difference went negative */
    uint64_t mask = p256_opaque((uint64_t)0 - br);
    c = p256_adc(&r[0], d0, P256_P0 & mask, 0);
    c = p256_adc(&r[1], d1, P256_P1 & mask, c);
    c = p256_adc(&r[2], d2, 0, c);
    r[3] = d3 + (P256_P3 & mask) + c;
}

/* r = a*b/R mod p for a < R, b < p; r = a^2/R mod p for a < p. */
void p256_mul(uint64_t *r, const uint64_t *a, const uint64_t *b);
void p256_sqr(uint64_t *r, const uint64_t *a);
/* ec_mont_mul for any modulus of four 64-bit limbs. */
void ec_mont_mul4(const ec_mod_t *m, uint64_t *r, const uint64_t *a, const uint64_t *b);
#endif

#endif
