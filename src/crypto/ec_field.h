/*
 * Constant-time arithmetic modulo an odd prime of 256 or 384 bits in
 * Montgomery form (R = 2^bits), shared by the P-256 and P-384 field primes p
 * and group orders n. Elements are little-endian limb arrays; loops run over
 * the modulus' limb count, never over secret data.
 */
#ifndef MAMORI_EC_FIELD_H
#define MAMORI_EC_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"
#include "mamori/ct.h"

/* 64-bit limbs where the compiler has a 128-bit product, else 32-bit limbs
 * (Cortex-M4: UMULL/UMAAL). Define MAMORI_EC_LIMB32 to force 32-bit. */
#if defined(__SIZEOF_INT128__) && !defined(MAMORI_EC_LIMB32)
typedef uint64_t ec_limb_t;
typedef unsigned __int128 ec_dlimb_t;
#define EC_LIMB_BITS 64
/* Constants are written as 64-bit chunks (hi, lo 32-bit halves). */
#define EC_W(hi, lo) (((ec_limb_t)(hi) << 32) | (ec_limb_t)(lo))
#else
typedef uint32_t ec_limb_t;
typedef uint64_t ec_dlimb_t;
#define EC_LIMB_BITS 32
#define EC_W(hi, lo) (lo), (hi)
#endif

#define EC_LIMBS(bits) ((bits) / EC_LIMB_BITS)
#if MAMORI_P384
#define EC_MAX_BITS 384
#else
#define EC_MAX_BITS 256
#endif
#define EC_MAX_LIMBS EC_LIMBS(EC_MAX_BITS)
#define EC_MAX_BYTES (EC_MAX_BITS / 8)

typedef ec_limb_t ec_fe_t[EC_MAX_LIMBS];

/* The P-256 field prime gets specialised code (src/crypto/p256_field.c) on
 * 64-bit hosts; 32-bit targets keep the smaller generic code. */
#if EC_LIMB_BITS == 64 && MAMORI_P256
#define EC_P256_FAST 1
#else
#define EC_P256_FAST 0
#endif

/* A modulus m with R = 2^(limbs * EC_LIMB_BITS) exactly covering its bits. */
typedef struct {
    unsigned n;          /* limb count */
    unsigned p256;       /* 1 for the P-256 field prime (specialised code) */
    ec_limb_t m0inv;     /* -m^-1 mod 2^EC_LIMB_BITS */
    ec_fe_t m;           /* the modulus */
    ec_fe_t rr;          /* R^2 mod m, for conversion into Montgomery form */
} ec_mod_t;

/* r = a*b/R mod m. Needs a < R and b < m; r may alias a or b. */
void ec_mont_mul(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b);
/* r = a^2/R mod m, for a < m. */
void ec_mont_sqr(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a);
/* r = a + b mod m and r = a - b mod m, for a, b < m. */
void ec_mod_add(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b);
void ec_mod_sub(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b);
/* r = a / 2 mod m, for a < m (m odd). */
void ec_mod_half(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a);
/* r = a mod m for any a < 2m (one conditional subtraction). */
void ec_mod_reduce_once(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a);
/* Into and out of Montgomery form (a < R). */
void ec_to_mont(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a);
void ec_from_mont(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a);
/* r = 1 in Montgomery form (R mod m). */
void ec_mont_one(const ec_mod_t *m, ec_limb_t *r);
/* r = a^-1, Montgomery in and out, constant time; 0 maps to 0. Divsteps
 * (src/crypto/ec_inv.c) on 64-bit hosts, Fermat's a^(m-2) with 32-bit
 * limbs. r may alias a. */
void ec_mont_inv(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a);
#if EC_LIMB_BITS == 64
void ec_inv_divsteps(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a);
#endif

/* 1 if a < m, else 0. */
uint32_t ec_lt_mod(const ec_mod_t *m, const ec_limb_t *a);
/* 1 if a is zero, else 0. */
uint32_t ec_is_zero(const ec_mod_t *m, const ec_limb_t *a);
/* 1 if a == b, else 0. */
uint32_t ec_equal(const ec_mod_t *m, const ec_limb_t *a, const ec_limb_t *b);
/* All ones when ctl is 1, zero when ctl is 0. The empty asm hides the mask
 * from the optimiser, which may otherwise see that it is all-zero or all-one
 * and turn a masked operation into a branch (clang -O2 did; tests/ct/ct_ecc.c
 * catches it). */
static inline ec_limb_t ec_ct_mask(uint32_t ctl)
{
    ec_limb_t mask = (ec_limb_t)0 - (ec_limb_t)ctl;
    MAMORI_CT_BARRIER(mask);
    return mask;
}

/* r = a when ctl is 1, unchanged when ctl is 0. */
void ec_cmov(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a, uint32_t ctl);

/* Big-endian bytes of exactly the modulus' width, to and from limbs. */
void ec_from_bytes(const ec_mod_t *m, ec_limb_t *r, const uint8_t *in);
void ec_to_bytes(const ec_mod_t *m, uint8_t *out, const ec_limb_t *a);
/* The byte width of elements mod m. */
static inline size_t ec_mod_bytes(const ec_mod_t *m) { return m->n * (EC_LIMB_BITS / 8); }

#endif
