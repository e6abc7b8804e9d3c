/* Limb helpers shared by the big-integer files: constant-time masks and
 * add/subtract with carry, and masked in-place add/subtract. */
#ifndef MAMORI_CRYPTO_BIGNUM_LIMB_H
#define MAMORI_CRYPTO_BIGNUM_LIMB_H

#include "crypto/bignum.h"
#include "mamori/ct.h"

#define LB MAMORI_BN_LIMB_BITS

/* All ones when bit is 1, zero when bit is 0. The empty asm hides the value
 * from the optimiser, which otherwise may turn "x & mask" into a branch on
 * the (secret) mask; clang -O2 did so in table_select(). */
static inline mamori_limb_t mask_of(mamori_limb_t bit)
{
    mamori_limb_t mask = (mamori_limb_t)0 - bit;
    MAMORI_CT_BARRIER(mask);
    return mask;
}

/* a - b - *borrow and a + b + *carry with the borrow or carry (0 or 1) in
 * and out: compilers turn these comparisons into flag arithmetic (sbb, adc,
 * setb), where double-limb arithmetic made gcc spill to memory. */
static inline mamori_limb_t sbb(mamori_limb_t a, mamori_limb_t b, mamori_limb_t *borrow)
{
    mamori_limb_t t = a - b, d = t - *borrow;
    *borrow = (mamori_limb_t)(a < b) | (mamori_limb_t)(t < *borrow);
    return d;
}

static inline mamori_limb_t adc(mamori_limb_t a, mamori_limb_t b, mamori_limb_t *carry)
{
    mamori_limb_t t = a + b, s = t + *carry;
    *carry = (mamori_limb_t)(t < a) | (mamori_limb_t)(s < t);
    return s;
}

/* r -= b & mask; returns the borrow. */
static inline mamori_limb_t sub_masked(mamori_limb_t *r, const mamori_limb_t *b,
                                       mamori_limb_t mask, size_t n)
{
    mamori_limb_t borrow = 0;
    for (size_t i = 0; i < n; i++)
        r[i] = sbb(r[i], b[i] & mask, &borrow);
    return borrow;
}

/* r += b & mask; returns the carry. */
static inline mamori_limb_t add_masked(mamori_limb_t *r, const mamori_limb_t *b,
                                       mamori_limb_t mask, size_t n)
{
    mamori_limb_t carry = 0;
    for (size_t i = 0; i < n; i++)
        r[i] = adc(r[i], b[i] & mask, &carry);
    return carry;
}

#endif
