/*
 * Fixed-size big integers for RSA: little-endian arrays of limbs, constant
 * time in their values (loops and memory accesses depend only on lengths).
 *
 * Limbs are 32 bits with 64-bit products (what a Cortex-M4 multiplies in one
 * UMLAL), or 64 bits where the compiler offers unsigned __int128.
 *
 * Montgomery form: for an odd modulus m of n limbs and R = 2^(n*LIMB_BITS),
 * x is held as x*R mod m. mamori_bn_mont_mul(a, b) = a*b/R mod m.
 */
#ifndef MAMORI_CRYPTO_BIGNUM_H
#define MAMORI_CRYPTO_BIGNUM_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"

#if defined(__SIZEOF_INT128__) && !defined(MAMORI_BN_LIMB32)
typedef uint64_t mamori_limb_t;
__extension__ typedef unsigned __int128 mamori_dlimb_t;
#define MAMORI_BN_LIMB_BITS 64
#else
typedef uint32_t mamori_limb_t;
typedef uint64_t mamori_dlimb_t;
#define MAMORI_BN_LIMB_BITS 32
#endif

#define MAMORI_BN_LIMB_BYTES (MAMORI_BN_LIMB_BITS / 8)
#define MAMORI_BN_LIMBS(bits) (((bits) + MAMORI_BN_LIMB_BITS - 1) / MAMORI_BN_LIMB_BITS)
#define MAMORI_BN_MAX_LIMBS MAMORI_BN_LIMBS(MAMORI_RSA_MAX_BITS)
/* Fixed exponent window: 2^4 table entries. */
#define MAMORI_BN_WINDOW 4
#define MAMORI_BN_TABLE_SIZE (1u << MAMORI_BN_WINDOW)

typedef struct {
    const mamori_limb_t *m; /* odd modulus, n limbs */
    const mamori_limb_t *r2; /* R^2 mod m */
    size_t n;
    mamori_limb_t m0inv; /* -m^-1 mod 2^LIMB_BITS */
} mamori_bn_mont_t;

/* x (n limbs) = big-endian in[0..len); the caller ensures len <= n * LIMB_BYTES. */
void mamori_bn_from_bytes(mamori_limb_t *x, size_t n, const uint8_t *in, size_t len);
/* out[0..len) = big-endian x, truncated to (or zero-padded at the top to) len bytes. */
void mamori_bn_to_bytes(uint8_t *out, size_t len, const mamori_limb_t *x, size_t n);
/* r = a - b; returns the borrow (0 or 1). r may alias a or b. */
mamori_limb_t mamori_bn_sub(mamori_limb_t *r, const mamori_limb_t *a, const mamori_limb_t *b,
                            size_t n);
/* 1 if a < b, else 0. */
mamori_limb_t mamori_bn_lt(const mamori_limb_t *a, const mamori_limb_t *b, size_t n);
/* r (an + bn limbs) = a * b; r must not alias a or b. */
void mamori_bn_mul(mamori_limb_t *r, const mamori_limb_t *a, size_t an, const mamori_limb_t *b,
                   size_t bn);
/* r (n limbs) += a (an <= n limbs); returns the carry out of the top. */
mamori_limb_t mamori_bn_add_to(mamori_limb_t *r, size_t n, const mamori_limb_t *a, size_t an);

/* Prepares Montgomery arithmetic modulo m (odd, n limbs) and writes R^2 mod m
 * into r2, in time that depends on n only (for a secret modulus).
 * tmp: 2n limbs of scratch. */
void mamori_bn_mont_init(mamori_bn_mont_t *mm, const mamori_limb_t *m, size_t n,
                         mamori_limb_t *r2, mamori_limb_t *tmp);
/* The same for a public modulus of exactly `bits` bits, n >= 2 limbs, in
 * variable time (a few divisions, about one multiplication's work); with
 * r2 NULL only mamori_bn_to_mont_public() may be used instead of R^2.
 * tmp: n limbs. */
void mamori_bn_mont_init_public(mamori_bn_mont_t *mm, const mamori_limb_t *m, size_t n,
                                size_t bits, mamori_limb_t *r2, mamori_limb_t *tmp);
/* The same as mamori_bn_mont_init() for a secret m that divides the public
 * modulus N of big (`bits` bits, as given to mamori_bn_mont_init_public())
 * with N < m * R, e.g. a prime of N whose cofactor is below R: R^2 mod m is
 * the Montgomery reduction of R^3 mod N, about n * big->n multiplications
 * instead of n * LIMB_BITS modular doublings; constant time in m.
 * x: max(big->n, 2n) + 1 limbs; tmp: big->n limbs. */
void mamori_bn_mont_init_factor(mamori_bn_mont_t *mm, const mamori_limb_t *m, size_t n,
                                mamori_limb_t *r2, const mamori_bn_mont_t *big, size_t bits,
                                mamori_limb_t *x, mamori_limb_t *tmp);
/* r = x * R mod m for x < m, a public value modulo a public m of `bits`
 * bits (as given to mamori_bn_mont_init_public()); variable time, about half
 * a multiplication's work. r may alias x. tmp: n limbs. */
void mamori_bn_to_mont_public(mamori_limb_t *r, const mamori_limb_t *x,
                              const mamori_bn_mont_t *mm, size_t bits, mamori_limb_t *tmp);
/* r = a * b / R mod m, for a < R and b < m. r must not alias a or b. */
void mamori_bn_mont_mul(mamori_limb_t *restrict r, const mamori_limb_t *restrict a,
                        const mamori_limb_t *restrict b, const mamori_bn_mont_t *mm);
/* a = a * a / R mod m in place, for a < m. tmp: n limbs. */
void mamori_bn_mont_sqr(mamori_limb_t *a, const mamori_bn_mont_t *mm, mamori_limb_t *tmp);
/* r = a / R mod m (leaves Montgomery form); r may alias a. */
void mamori_bn_from_mont(mamori_limb_t *r, const mamori_limb_t *a, const mamori_bn_mont_t *mm);
/* r = a + b mod m and r = a - b mod m, for a, b < m; r may alias either. */
void mamori_bn_mod_add(mamori_limb_t *r, const mamori_limb_t *a, const mamori_limb_t *b,
                       const mamori_bn_mont_t *mm);
void mamori_bn_mod_sub(mamori_limb_t *r, const mamori_limb_t *a, const mamori_limb_t *b,
                       const mamori_bn_mont_t *mm);
/* r = x * R mod m, the Montgomery form of x mod m, for any x of xn limbs.
 * tmp: 2n limbs of scratch. */
void mamori_bn_reduce_to_mont(mamori_limb_t *r, const mamori_limb_t *x, size_t xn,
                              const mamori_bn_mont_t *mm, mamori_limb_t *tmp);
/* r = base^exp (all in Montgomery form), exp secret: exp_bits (a multiple of
 * MAMORI_BN_WINDOW) bits read from exp, fixed window, masked table reads.
 * table: MAMORI_BN_TABLE_SIZE * n limbs; tmp: 2n limbs. */
void mamori_bn_mod_exp(mamori_limb_t *r, const mamori_limb_t *base, const mamori_limb_t *exp,
                       size_t exp_bits, const mamori_bn_mont_t *mm, mamori_limb_t *table,
                       mamori_limb_t *tmp);
/* r = x^e mod m, in plain form, for a public odd e >= 3 and x < m given
 * as big-endian bytes (x_len <= n * LIMB_BYTES) and, in acc, in Montgomery
 * form. Time depends on e, and on x too when mm has no R^2 and e has a set
 * bit between its top and bottom ones (not so for 3 and 65537). acc is
 * clobbered, r must not alias it; the only buffers are these two (with m,
 * three numbers in all). bits: as given to mamori_bn_mont_init_public(). */
void mamori_bn_mod_exp_public(mamori_limb_t *r, mamori_limb_t *acc, const uint8_t *x,
                              size_t x_len, uint32_t e, size_t bits, const mamori_bn_mont_t *mm);
/* r = x^-1 mod m for 0 < x < m with gcd(x, m) = 1 (else r is meaningless);
 * constant time. tmp: 8n + 12 limbs. */
void mamori_bn_mod_inv(mamori_limb_t *r, const mamori_limb_t *x, const mamori_bn_mont_t *mm,
                       mamori_limb_t *tmp);

#endif
