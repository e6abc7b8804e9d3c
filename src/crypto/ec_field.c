/* Montgomery arithmetic modulo the P-256/P-384 primes and group orders. */
#include "crypto/ec_field.h"

#if MAMORI_P256 || MAMORI_P384

#include <string.h>

#include "crypto/p256_field.h"
#include "mamori/ct.h"

#define LIMB_BYTES (EC_LIMB_BITS / 8)

static inline ec_limb_t lo_of(ec_dlimb_t x) { return (ec_limb_t)x; }
static inline ec_limb_t hi_of(ec_dlimb_t x) { return (ec_limb_t)(x >> EC_LIMB_BITS); }

/* r = a - b over n limbs; returns the borrow (0 or 1). */
static ec_limb_t sub_limbs(unsigned n, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b)
{
    ec_limb_t borrow = 0;
    for (unsigned i = 0; i < n; i++) {
        ec_dlimb_t d = (ec_dlimb_t)a[i] - b[i] - borrow;
        r[i] = lo_of(d);
        borrow = (ec_limb_t)(d >> (2 * EC_LIMB_BITS - 1));
    }
    return borrow;
}

/* r = a + b over n limbs; returns the carry (0 or 1). */
static ec_limb_t add_limbs(unsigned n, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b)
{
    ec_limb_t carry = 0;
    for (unsigned i = 0; i < n; i++) {
        ec_dlimb_t s = (ec_dlimb_t)a[i] + b[i] + carry;
        r[i] = lo_of(s);
        carry = hi_of(s);
    }
    return carry;
}

/* r = (hi:a) - m if that is non-negative, else a; for hi:a < 2m, over n
 * limbs. Two passes (compare, then masked subtract) so no temporary is
 * needed. */
static inline void reduce_once_n(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a,
                                 ec_limb_t hi, unsigned n)
{
    ec_limb_t borrow = 0;
    for (unsigned i = 0; i < n; i++)
        borrow = (ec_limb_t)(((ec_dlimb_t)a[i] - m->m[i] - borrow) >> (2 * EC_LIMB_BITS - 1));
    ec_limb_t sub = ~ec_ct_mask((uint32_t)(borrow & (hi ^ 1)));
    borrow = 0;
    for (unsigned i = 0; i < n; i++) {
        ec_dlimb_t d = (ec_dlimb_t)a[i] - (m->m[i] & sub) - borrow;
        r[i] = lo_of(d);
        borrow = (ec_limb_t)(d >> (2 * EC_LIMB_BITS - 1));
    }
}

static void reduce_once_carry(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a, ec_limb_t hi)
{
    reduce_once_n(m, r, a, hi, m->n);
}

/* Coarsely integrated operand scanning (Koc, Acar, Kaliski 1996) over n
 * limbs; inlined with a constant n on 64-bit hosts so the loops unroll. */
static inline void mont_mul_n(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a,
                              const ec_limb_t *b, unsigned n)
{
    ec_limb_t t[EC_MAX_LIMBS + 2];
    memset(t, 0, sizeof t);
    for (unsigned i = 0; i < n; i++) {
        ec_limb_t c = 0;
        ec_dlimb_t acc;
        for (unsigned j = 0; j < n; j++) {
            acc = (ec_dlimb_t)a[i] * b[j] + t[j] + c;
            t[j] = lo_of(acc);
            c = hi_of(acc);
        }
        acc = (ec_dlimb_t)t[n] + c;
        t[n] = lo_of(acc);
        t[n + 1] = hi_of(acc);

        ec_limb_t u = t[0] * m->m0inv;
        acc = (ec_dlimb_t)u * m->m[0] + t[0];
        c = hi_of(acc);
        for (unsigned j = 1; j < n; j++) {
            acc = (ec_dlimb_t)u * m->m[j] + t[j] + c;
            t[j - 1] = lo_of(acc);
            c = hi_of(acc);
        }
        acc = (ec_dlimb_t)t[n] + c;
        t[n - 1] = lo_of(acc);
        t[n] = t[n + 1] + hi_of(acc);
    }
    reduce_once_n(m, r, t, t[n], n);
}

void ec_mont_mul(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b)
{
#if EC_P256_FAST
    if (m->p256) {
        p256_mul(r, a, b);
        return;
    }
    if (m->n == EC_LIMBS(256)) {
        ec_mont_mul4(m, r, a, b);
        return;
    }
#endif
#if EC_LIMB_BITS == 64
    mont_mul_n(m, r, a, b, EC_MAX_LIMBS); /* the moduli left have the largest size */
#else
    mont_mul_n(m, r, a, b, m->n);
#endif
}

void ec_mont_sqr(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a)
{
#if EC_P256_FAST
    if (m->p256) {
        p256_sqr(r, a);
        return;
    }
#endif
    ec_mont_mul(m, r, a, a);
}

void ec_mod_add(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b)
{
#if EC_P256_FAST
    if (m->p256) {
        p256_add(r, a, b);
        return;
    }
#endif
    ec_fe_t s;
    ec_limb_t carry = add_limbs(m->n, s, a, b);
    reduce_once_carry(m, r, s, carry);
}

void ec_mod_sub(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a, const ec_limb_t *b)
{
#if EC_P256_FAST
    if (m->p256) {
        p256_sub(r, a, b);
        return;
    }
#endif
    ec_fe_t d, madd;
    ec_limb_t mask = ec_ct_mask((uint32_t)sub_limbs(m->n, d, a, b));
    for (unsigned i = 0; i < m->n; i++)
        madd[i] = m->m[i] & mask;
    (void)add_limbs(m->n, r, d, madd);
}

void ec_mod_half(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a)
{
    ec_fe_t madd;
    ec_limb_t mask = ec_ct_mask((uint32_t)(a[0] & 1));
    for (unsigned i = 0; i < m->n; i++)
        madd[i] = m->m[i] & mask;
    ec_limb_t top = add_limbs(m->n, r, a, madd); /* even, below 2m */
    for (unsigned i = 0; i + 1 < m->n; i++)
        r[i] = (r[i] >> 1) | (r[i + 1] << (EC_LIMB_BITS - 1));
    r[m->n - 1] = (r[m->n - 1] >> 1) | (top << (EC_LIMB_BITS - 1));
}

void ec_mod_reduce_once(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a)
{
    reduce_once_carry(m, r, a, 0);
}

void ec_to_mont(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a) { ec_mont_mul(m, r, a, m->rr); }

void ec_from_mont(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a)
{
    ec_fe_t one = {1};
    ec_mont_mul(m, r, a, one);
}

void ec_mont_one(const ec_mod_t *m, ec_limb_t *r)
{
    ec_fe_t zero = {0};
    /* R mod m = 0 - m mod 2^bits, as m > R/2 for every modulus used here. */
    (void)sub_limbs(m->n, r, zero, m->m);
}

void ec_mont_inv(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a)
{
#if EC_LIMB_BITS == 64
    ec_inv_divsteps(m, r, a);
#else
    /* Fermat, a^(m-2) (FIPS 186-4): square and multiply over the public
     * exponent, the smallest code for microcontrollers */
    ec_fe_t acc, exp, base;
    const ec_fe_t two = {2};
    (void)sub_limbs(m->n, exp, m->m, two);
    ec_mont_one(m, acc);
    memcpy(base, a, sizeof base);
    for (unsigned i = m->n * EC_LIMB_BITS; i-- > 0;) {
        ec_mont_sqr(m, acc, acc);
        if ((exp[i / EC_LIMB_BITS] >> (i % EC_LIMB_BITS)) & 1) /* public exponent bit */
            ec_mont_mul(m, acc, acc, base);
    }
    memcpy(r, acc, m->n * sizeof(ec_limb_t));
#endif
}

uint32_t ec_lt_mod(const ec_mod_t *m, const ec_limb_t *a)
{
    ec_fe_t d;
    return (uint32_t)sub_limbs(m->n, d, a, m->m);
}

uint32_t ec_is_zero(const ec_mod_t *m, const ec_limb_t *a)
{
    ec_limb_t acc = 0;
    for (unsigned i = 0; i < m->n; i++)
        acc |= a[i];
#if EC_LIMB_BITS == 64
    acc |= acc >> 32;
#endif
    return mamori_ct_is_zero32((uint32_t)acc);
}

uint32_t ec_equal(const ec_mod_t *m, const ec_limb_t *a, const ec_limb_t *b)
{
    ec_fe_t x;
    for (unsigned i = 0; i < m->n; i++)
        x[i] = a[i] ^ b[i];
    return ec_is_zero(m, x);
}

void ec_cmov(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a, uint32_t ctl)
{
    ec_limb_t mask = ec_ct_mask(ctl);
    for (unsigned i = 0; i < m->n; i++)
        r[i] ^= mask & (r[i] ^ a[i]);
}

void ec_from_bytes(const ec_mod_t *m, ec_limb_t *r, const uint8_t *in)
{
    size_t len = ec_mod_bytes(m);
    for (unsigned i = 0; i < m->n; i++) {
        ec_limb_t v = 0;
        for (unsigned k = 0; k < LIMB_BYTES; k++)
            v |= (ec_limb_t)in[len - 1 - (i * LIMB_BYTES + k)] << (8 * k);
        r[i] = v;
    }
}

void ec_to_bytes(const ec_mod_t *m, uint8_t *out, const ec_limb_t *a)
{
    size_t len = ec_mod_bytes(m);
    for (unsigned i = 0; i < m->n; i++)
        for (unsigned k = 0; k < LIMB_BYTES; k++)
            out[len - 1 - (i * LIMB_BYTES + k)] = (uint8_t)(a[i] >> (8 * k));
}

#endif
