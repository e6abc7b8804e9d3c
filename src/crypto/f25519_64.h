/*
 * The five-limb (radix 2^51) field arithmetic of f25519.h for hosts with a
 * 128-bit product, inline so the point and ladder formulas compile without
 * a call per operation. Included by f25519.h only.
 * Invariant between calls: every limb is below 2^52.
 */
#ifndef MAMORI_F25519_64_H
#define MAMORI_F25519_64_H

__extension__ typedef unsigned __int128 f25519_u128;
#define F25519_MASK51 ((uint64_t)0x7ffffffffffff)

/* Carries limb to limb and folds the top carry back as 19 times it: limbs
 * below 2^63 come out below 2^51 (limb 0 below 2^51 + 19 * 2^12). */
static inline void f25519_carry51(uint64_t v[5])
{
    for (int i = 0; i < 4; i++) {
        v[i + 1] += v[i] >> 51;
        v[i] &= F25519_MASK51;
    }
    v[0] += 19 * (v[4] >> 51);
    v[4] &= F25519_MASK51;
}

/* Carries five wide column sums into r (all limbs < 2^52 afterwards). */
static inline void f25519_reduce_wide(f25519_t *r, f25519_u128 t[5])
{
    for (int i = 0; i < 4; i++) {
        t[i + 1] += (uint64_t)(t[i] >> 51);
        t[i] = (uint64_t)t[i] & F25519_MASK51;
    }
    f25519_u128 low = (uint64_t)t[0] + (t[4] >> 51) * 19;
    r->v[0] = (uint64_t)low & F25519_MASK51;
    r->v[1] = (uint64_t)t[1] + (uint64_t)(low >> 51);
    r->v[2] = (uint64_t)t[2];
    r->v[3] = (uint64_t)t[3];
    r->v[4] = (uint64_t)t[4] & F25519_MASK51;
}

static inline void f25519_set_u32(f25519_t *r, uint32_t x)
{
    r->v[0] = x;
    for (int i = 1; i < 5; i++)
        r->v[i] = 0;
}

static inline void f25519_add(f25519_t *r, const f25519_t *a, const f25519_t *b)
{
    for (int i = 0; i < 5; i++)
        r->v[i] = a->v[i] + b->v[i];
    f25519_carry51(r->v);
}

static inline void f25519_sub(f25519_t *r, const f25519_t *a, const f25519_t *b)
{
    /* Adds 4p first so no limb goes negative (b's limbs are below 2^52). */
    r->v[0] = a->v[0] + ((F25519_MASK51 - 18) << 2) - b->v[0];
    for (int i = 1; i < 5; i++)
        r->v[i] = a->v[i] + (F25519_MASK51 << 2) - b->v[i];
    f25519_carry51(r->v);
}

static inline void f25519_mul(f25519_t *r, const f25519_t *a, const f25519_t *b)
{
    const uint64_t *x = a->v, *y = b->v;
    uint64_t y19[5];
    for (int i = 0; i < 5; i++)
        y19[i] = 19 * y[i];
    f25519_u128 t[5];
    t[0] = (f25519_u128)x[0] * y[0] + (f25519_u128)x[1] * y19[4] + (f25519_u128)x[2] * y19[3] +
           (f25519_u128)x[3] * y19[2] + (f25519_u128)x[4] * y19[1];
    t[1] = (f25519_u128)x[0] * y[1] + (f25519_u128)x[1] * y[0] + (f25519_u128)x[2] * y19[4] +
           (f25519_u128)x[3] * y19[3] + (f25519_u128)x[4] * y19[2];
    t[2] = (f25519_u128)x[0] * y[2] + (f25519_u128)x[1] * y[1] + (f25519_u128)x[2] * y[0] +
           (f25519_u128)x[3] * y19[4] + (f25519_u128)x[4] * y19[3];
    t[3] = (f25519_u128)x[0] * y[3] + (f25519_u128)x[1] * y[2] + (f25519_u128)x[2] * y[1] +
           (f25519_u128)x[3] * y[0] + (f25519_u128)x[4] * y19[4];
    t[4] = (f25519_u128)x[0] * y[4] + (f25519_u128)x[1] * y[3] + (f25519_u128)x[2] * y[2] +
           (f25519_u128)x[3] * y[1] + (f25519_u128)x[4] * y[0];
    f25519_reduce_wide(r, t);
}

static inline void f25519_sqr(f25519_t *r, const f25519_t *a)
{
    const uint64_t *x = a->v;
    uint64_t d0 = 2 * x[0], d1 = 2 * x[1];
    uint64_t x3_19 = 19 * x[3], x4_19 = 19 * x[4];
    f25519_u128 t[5];
    t[0] = (f25519_u128)x[0] * x[0] + (f25519_u128)(2 * x[1]) * x4_19 +
           (f25519_u128)(2 * x[2]) * x3_19;
    t[1] = (f25519_u128)d0 * x[1] + (f25519_u128)(2 * x[2]) * x4_19 + (f25519_u128)x[3] * x3_19;
    t[2] = (f25519_u128)d0 * x[2] + (f25519_u128)x[1] * x[1] + (f25519_u128)(2 * x[3]) * x4_19;
    t[3] = (f25519_u128)d0 * x[3] + (f25519_u128)d1 * x[2] + (f25519_u128)x[4] * x4_19;
    t[4] = (f25519_u128)d0 * x[4] + (f25519_u128)d1 * x[3] + (f25519_u128)x[2] * x[2];
    f25519_reduce_wide(r, t);
}

static inline void f25519_mul_small(f25519_t *r, const f25519_t *a, uint32_t k)
{
    f25519_u128 t[5];
    for (int i = 0; i < 5; i++)
        t[i] = (f25519_u128)a->v[i] * k;
    f25519_reduce_wide(r, t);
}

static inline void f25519_neg(f25519_t *r, const f25519_t *a)
{
    f25519_t zero;
    f25519_set_u32(&zero, 0);
    f25519_sub(r, &zero, a);
}

/* Hides a mask from the optimiser, which could otherwise turn a masked
 * select of inlined code into a branch on it. */
static inline uint64_t f25519_opaque(uint64_t x)
{
#if defined(__GNUC__)
    __asm__("" : "+r"(x));
#endif
    return x;
}

static inline void f25519_cswap(f25519_t *a, f25519_t *b, uint32_t swap)
{
    uint64_t mask = f25519_opaque((uint64_t)0 - swap);
    for (int i = 0; i < 5; i++) {
        uint64_t x = mask & (a->v[i] ^ b->v[i]);
        a->v[i] ^= x;
        b->v[i] ^= x;
    }
}

static inline void f25519_cmov(f25519_t *r, const f25519_t *a, uint32_t move)
{
    uint64_t mask = f25519_opaque((uint64_t)0 - move);
    for (int i = 0; i < 5; i++)
        r->v[i] ^= mask & (r->v[i] ^ a->v[i]);
}

#endif
