/*
 * GF(2^255 - 19) arithmetic for X25519 and Ed25519 (see f25519.h).
 *
 * Reduction uses 2^255 = 19 (mod p), hence 2^256 = 38. Nothing here branches
 * on or indexes memory by field values.
 */
#include "mamori/config.h"

#if MAMORI_X25519 || MAMORI_ED25519

#include "crypto/f25519.h"

#include "mamori/ct.h"

#if F25519_LIMBS == 5
/* ---- five 51-bit limbs, products in unsigned __int128 ------------------
 * Invariant between calls: every limb is below 2^52. */


static uint64_t load64_le(const uint8_t *p)
{
    uint64_t w = 0;
    for (int i = 7; i >= 0; i--)
        w = (w << 8) | p[i];
    return w;
}

static void store64_le(uint8_t *p, uint64_t w)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(w >> (8 * i));
}

void f25519_frombytes(f25519_t *r, const uint8_t in[32])
{
    uint64_t w0 = load64_le(in), w1 = load64_le(in + 8);
    uint64_t w2 = load64_le(in + 16), w3 = load64_le(in + 24);
    r->v[0] = w0 & F25519_MASK51;
    r->v[1] = ((w0 >> 51) | (w1 << 13)) & F25519_MASK51;
    r->v[2] = ((w1 >> 38) | (w2 << 26)) & F25519_MASK51;
    r->v[3] = ((w2 >> 25) | (w3 << 39)) & F25519_MASK51;
    r->v[4] = (w3 >> 12) & F25519_MASK51; /* drops bit 255 */
}

void f25519_tobytes(uint8_t out[32], const f25519_t *a)
{
    uint64_t v[5];
    for (int i = 0; i < 5; i++)
        v[i] = a->v[i];
    f25519_carry51(v);
    f25519_carry51(v); /* now the value is below 2^255 + 19 < 2p */
    /* q = floor((v + 19) / 2^255) is 1 exactly when v >= p. */
    uint64_t q = (v[0] + 19) >> 51;
    for (int i = 1; i < 5; i++)
        q = (v[i] + q) >> 51;
    v[0] += 19 * q;
    for (int i = 0; i < 4; i++) {
        v[i + 1] += v[i] >> 51;
        v[i] &= F25519_MASK51;
    }
    v[4] &= F25519_MASK51; /* subtracts q * 2^255 */
    store64_le(out, v[0] | (v[1] << 51));
    store64_le(out + 8, (v[1] >> 13) | (v[2] << 38));
    store64_le(out + 16, (v[2] >> 26) | (v[3] << 25));
    store64_le(out + 24, (v[3] >> 39) | (v[4] << 12));
}

#else
/* ---- eight 32-bit words, full radix ------------------------------------
 * Invariant between calls: the value is below 2^256 (not necessarily < p).
 * Loops rather than unrolled code keep this small on Cortex-M. */

/* r += x (x < 2^32); returns the carry out of bit 255. */
static uint32_t add_small(uint32_t r[8], uint32_t x)
{
    uint64_t c = x;
    for (int i = 0; i < 8; i++) {
        c += r[i];
        r[i] = (uint32_t)c;
        c >>= 32;
    }
    return (uint32_t)c;
}

/* r += 38 * c for a carry c < 2^26 out of bit 256 (2^256 = 38 mod p). A
 * second carry can only occur when r has become tiny, so the last add to
 * r[0] cannot overflow. */
static void fold_carry(uint32_t r[8], uint32_t c)
{
    c = add_small(r, 38 * c);
    r[0] += 38 * c;
}

void f25519_frombytes(f25519_t *r, const uint8_t in[32])
{
    for (int i = 0; i < 8; i++) {
        const uint8_t *p = in + 4 * i;
        r->v[i] = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
                  ((uint32_t)p[3] << 24);
    }
    r->v[7] &= 0x7fffffff; /* RFC 7748 §5: mask the top bit */
}

void f25519_tobytes(uint8_t out[32], const f25519_t *a)
{
    uint32_t t[8], u[8];
    for (int i = 0; i < 8; i++)
        t[i] = a->v[i];
    uint32_t top = t[7] >> 31;
    t[7] &= 0x7fffffff;
    add_small(t, 19 * top); /* now t < 2^255 + 19 */
    for (int i = 0; i < 8; i++)
        u[i] = t[i];
    add_small(u, 19);
    uint32_t q = u[7] >> 31; /* 1 exactly when t >= p */
    add_small(t, 19 * q);
    t[7] &= 0x7fffffff; /* subtracts q * 2^255 */
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(t[i / 4] >> (8 * (i % 4)));
}

void f25519_set_u32(f25519_t *r, uint32_t x)
{
    r->v[0] = x;
    for (int i = 1; i < 8; i++)
        r->v[i] = 0;
}

void f25519_add(f25519_t *r, const f25519_t *a, const f25519_t *b)
{
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a->v[i] + b->v[i];
        r->v[i] = (uint32_t)c;
        c >>= 32;
    }
    fold_carry(r->v, (uint32_t)c);
}

void f25519_sub(f25519_t *r, const f25519_t *a, const f25519_t *b)
{
    uint32_t borrow = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)a->v[i] - b->v[i] - borrow;
        r->v[i] = (uint32_t)d;
        borrow = (uint32_t)(d >> 63);
    }
    /* A borrow wrapped the value by 2^256 = 38: take 38 back. A second
     * borrow leaves r[0] >= 2^32 - 38, so the final subtraction is safe. */
    uint32_t x = 38 * borrow;
    for (int i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)r->v[i] - x;
        r->v[i] = (uint32_t)d;
        x = (uint32_t)(d >> 63);
    }
    r->v[0] -= 38 * x;
}

void f25519_mul(f25519_t *r, const f25519_t *a, const f25519_t *b)
{
    uint32_t t[16] = {0};
    for (int i = 0; i < 8; i++) {
        uint64_t c = 0;
        for (int j = 0; j < 8; j++) {
            c += (uint64_t)a->v[i] * b->v[j] + t[i + j];
            t[i + j] = (uint32_t)c;
            c >>= 32;
        }
        t[i + 8] = (uint32_t)c;
    }
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)t[i + 8] * 38 + t[i];
        r->v[i] = (uint32_t)c;
        c >>= 32;
    }
    fold_carry(r->v, (uint32_t)c);
}

void f25519_sqr(f25519_t *r, const f25519_t *a) { f25519_mul(r, a, a); }

void f25519_mul_small(f25519_t *r, const f25519_t *a, uint32_t k)
{
    uint64_t c = 0;
    for (int i = 0; i < 8; i++) {
        c += (uint64_t)a->v[i] * k;
        r->v[i] = (uint32_t)c;
        c >>= 32;
    }
    fold_carry(r->v, (uint32_t)c);
}

#endif

/* ---- representation-independent operations (neg, cswap and cmov are
 * inline in f25519_64.h for five limbs) ----------------------------------- */

#if F25519_LIMBS != 5
void f25519_neg(f25519_t *r, const f25519_t *a)
{
    f25519_t zero;
    f25519_set_u32(&zero, 0);
    f25519_sub(r, &zero, a);
}

void f25519_cswap(f25519_t *a, f25519_t *b, uint32_t swap)
{
    f25519_limb_t mask = (f25519_limb_t)0 - swap;
    for (int i = 0; i < F25519_LIMBS; i++) {
        f25519_limb_t x = mask & (a->v[i] ^ b->v[i]);
        a->v[i] ^= x;
        b->v[i] ^= x;
    }
}

void f25519_cmov(f25519_t *r, const f25519_t *a, uint32_t move)
{
    f25519_limb_t mask = (f25519_limb_t)0 - move;
    for (int i = 0; i < F25519_LIMBS; i++)
        r->v[i] ^= mask & (r->v[i] ^ a->v[i]);
}
#endif

static void sqr_n(f25519_t *r, const f25519_t *a, int n)
{
    f25519_sqr(r, a);
    while (--n > 0)
        f25519_sqr(r, r);
}

/* Sets r = a^(2^250 - 1) and a11 = a^11: the shared prefix of the fixed
 * addition chains for p - 2 = 2^255 - 21 and (p - 5)/8 = 2^252 - 3. */
static void pow_2_250_1(f25519_t *r, f25519_t *a11, const f25519_t *a)
{
    f25519_t a2, e5, e10, e50, t;
    f25519_sqr(&a2, a);
    sqr_n(&t, &a2, 2);
    f25519_mul(&t, &t, a);           /* a^9 */
    f25519_mul(a11, &t, &a2);        /* a^11 */
    f25519_sqr(&e5, a11);
    f25519_mul(&e5, &e5, &t);        /* a^(2^5 - 1) = a^(22 + 9) */
    sqr_n(&t, &e5, 5);
    f25519_mul(&e10, &t, &e5);       /* a^(2^10 - 1) */
    sqr_n(&t, &e10, 10);
    f25519_mul(&t, &t, &e10);        /* 2^20 - 1 */
    sqr_n(r, &t, 20);
    f25519_mul(&t, r, &t);           /* 2^40 - 1 */
    sqr_n(&t, &t, 10);
    f25519_mul(&e50, &t, &e10);      /* 2^50 - 1 */
    sqr_n(&t, &e50, 50);
    f25519_mul(&t, &t, &e50);        /* 2^100 - 1 */
    sqr_n(r, &t, 100);
    f25519_mul(&t, r, &t);           /* 2^200 - 1 */
    sqr_n(&t, &t, 50);
    f25519_mul(r, &t, &e50);         /* 2^250 - 1 */
    mamori_zeroize(&a2, sizeof a2);
    mamori_zeroize(&e5, sizeof e5);
    mamori_zeroize(&e10, sizeof e10);
    mamori_zeroize(&e50, sizeof e50);
    mamori_zeroize(&t, sizeof t);
}

void f25519_invert(f25519_t *r, const f25519_t *a)
{
    f25519_t t, a11;
    pow_2_250_1(&t, &a11, a);
    sqr_n(&t, &t, 5);
    f25519_mul(r, &t, &a11); /* (2^250 - 1) * 2^5 + 11 = 2^255 - 21 */
    mamori_zeroize(&t, sizeof t);
    mamori_zeroize(&a11, sizeof a11);
}

void f25519_pow22523(f25519_t *r, const f25519_t *a)
{
    f25519_t t, a11;
    pow_2_250_1(&t, &a11, a);
    sqr_n(&t, &t, 2);
    f25519_mul(r, &t, a); /* (2^250 - 1) * 4 + 1 = 2^252 - 3 */
    mamori_zeroize(&t, sizeof t);
    mamori_zeroize(&a11, sizeof a11);
}

uint32_t f25519_is_zero(const f25519_t *a)
{
    uint8_t b[32];
    uint32_t acc = 0;
    f25519_tobytes(b, a);
    for (int i = 0; i < 32; i++)
        acc |= b[i];
    mamori_zeroize(b, sizeof b);
    return mamori_ct_is_zero32(acc);
}

uint32_t f25519_is_negative(const f25519_t *a)
{
    uint8_t b[32];
    f25519_tobytes(b, a);
    uint32_t neg = b[0] & 1u;
    mamori_zeroize(b, sizeof b);
    return neg;
}

#endif
