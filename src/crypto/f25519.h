/*
 * Arithmetic in GF(p), p = 2^255 - 19, shared by X25519 and Ed25519.
 *
 * Two representations, chosen at compile time:
 *  - with a 128-bit integer type (64-bit hosts): five 51-bit limbs;
 *  - otherwise (Cortex-M and other 32-bit targets): eight 32-bit words, a
 *    full-radix value below 2^256 that is reduced mod p lazily.
 * Defining MAMORI_F25519_RADIX32 forces the 32-bit form (used to test it on a
 * 64-bit host). Either way, an element is only partly reduced between
 * operations; f25519_tobytes() returns the canonical encoding.
 *
 * Every function runs in time independent of the values it is given, and all
 * outputs may alias inputs.
 */
#ifndef MAMORI_F25519_H
#define MAMORI_F25519_H

#include <stdint.h>

#include "mamori/ct.h"

#if defined(__SIZEOF_INT128__) && !defined(MAMORI_F25519_RADIX32)
#define F25519_LIMBS 5
typedef uint64_t f25519_limb_t;
#else
#define F25519_LIMBS 8
typedef uint32_t f25519_limb_t;
#endif

typedef struct {
    f25519_limb_t v[F25519_LIMBS];
} f25519_t;

/* Hides a mask from the optimiser, which could otherwise turn a masked
 * select of inlined code into a branch on it. */
static inline f25519_limb_t f25519_opaque(f25519_limb_t x)
{
    MAMORI_CT_BARRIER(x);
    return x;
}

/* Loads a little-endian value, ignoring bit 255 (RFC 7748 §5). Values in
 * [p, 2^255) are accepted and behave as their residue. */
void f25519_frombytes(f25519_t *r, const uint8_t in[32]);
/* Stores the canonical (fully reduced) little-endian encoding. */
void f25519_tobytes(uint8_t out[32], const f25519_t *a);

#if F25519_LIMBS == 5
/* Inline definitions of the functions declared in the #else branch (same
 * contracts), so the point and ladder formulas need no call per operation. */
#include "crypto/f25519_64.h"
#else
void f25519_set_u32(f25519_t *r, uint32_t x);
void f25519_add(f25519_t *r, const f25519_t *a, const f25519_t *b);
void f25519_sub(f25519_t *r, const f25519_t *a, const f25519_t *b);
void f25519_mul(f25519_t *r, const f25519_t *a, const f25519_t *b);
void f25519_sqr(f25519_t *r, const f25519_t *a);
/* r = a * k for a small constant k < 2^17. */
void f25519_mul_small(f25519_t *r, const f25519_t *a, uint32_t k);
void f25519_neg(f25519_t *r, const f25519_t *a);
/* Swaps a and b when swap is 1; swap must be 0 or 1. */
void f25519_cswap(f25519_t *a, f25519_t *b, uint32_t swap);
/* r = a when move is 1; move must be 0 or 1. */
void f25519_cmov(f25519_t *r, const f25519_t *a, uint32_t move);
#endif

/* r = a^(p-2), i.e. 1/a (and 0 for a = 0). */
void f25519_invert(f25519_t *r, const f25519_t *a);
/* r = a^((p-5)/8), the core of the square root in RFC 8032 §5.1.3. */
void f25519_pow22523(f25519_t *r, const f25519_t *a);

/* 1 if a is 0 mod p, else 0. */
uint32_t f25519_is_zero(const f25519_t *a);
/* The low bit of the canonical encoding ("negative" in RFC 8032 §5.1.2). */
uint32_t f25519_is_negative(const f25519_t *a);

#endif
