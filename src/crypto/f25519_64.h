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

/* Sets r from limbs below 2^54 by carrying every limb at once (one step, no
 * chain) and folding the top carry back as 19 times it: the limbs of r come
 * out below 2^52.
 * This file keeps to straight-line code on scalars: a loop over limbs gets
 * vectorised at -O3, and vector loads of limbs just stored one by one stall
 * on store forwarding. */
static inline void f25519_carry_par(f25519_t *r, uint64_t v0, uint64_t v1, uint64_t v2,
                                    uint64_t v3, uint64_t v4)
{
    r->v[0] = (v0 & F25519_MASK51) + 19 * (v4 >> 51);
    r->v[1] = (v1 & F25519_MASK51) + (v0 >> 51);
    r->v[2] = (v2 & F25519_MASK51) + (v1 >> 51);
    r->v[3] = (v3 & F25519_MASK51) + (v2 >> 51);
    r->v[4] = (v4 & F25519_MASK51) + (v3 >> 51);
}

/* Carries five wide column sums (each below 2^111, as from limbs below
 * 2^52) into r, all limbs below 2^52 afterwards. Two carry chains run side
 * by side, 0-1-2-3 and 3-4-0-1, so the dependency path is short. */
static inline void f25519_reduce_wide(f25519_t *r, f25519_u128 t0, f25519_u128 t1, f25519_u128 t2,
                                      f25519_u128 t3, f25519_u128 t4)
{
    t1 += (uint64_t)(t0 >> 51);
    t4 += (uint64_t)(t3 >> 51);
    uint64_t r0 = (uint64_t)t0 & F25519_MASK51;
    uint64_t r3 = (uint64_t)t3 & F25519_MASK51;
    t2 += (uint64_t)(t1 >> 51);
    uint64_t r1 = (uint64_t)t1 & F25519_MASK51;
    r0 += 19 * (uint64_t)(t4 >> 51); /* t4 >> 51 < 2^59.3: no overflow */
    uint64_t r4 = (uint64_t)t4 & F25519_MASK51;
    r3 += (uint64_t)(t2 >> 51);
    r->v[0] = r0 & F25519_MASK51;
    r->v[1] = r1 + (r0 >> 51);
    r->v[2] = (uint64_t)t2 & F25519_MASK51;
    r->v[3] = r3 & F25519_MASK51;
    r->v[4] = r4 + (r3 >> 51);
}

static inline void f25519_set_u32(f25519_t *r, uint32_t x)
{
    r->v[0] = x;
    r->v[1] = 0;
    r->v[2] = 0;
    r->v[3] = 0;
    r->v[4] = 0;
}

static inline void f25519_add(f25519_t *r, const f25519_t *a, const f25519_t *b)
{
    f25519_carry_par(r, a->v[0] + b->v[0], a->v[1] + b->v[1], a->v[2] + b->v[2],
                     a->v[3] + b->v[3], a->v[4] + b->v[4]);
}

static inline void f25519_sub(f25519_t *r, const f25519_t *a, const f25519_t *b)
{
    /* Adds 4p first so no limb goes negative (b's limbs are below 2^52). */
    const uint64_t p4 = F25519_MASK51 << 2;
    f25519_carry_par(r, a->v[0] + (p4 - 4 * 18) - b->v[0], a->v[1] + p4 - b->v[1],
                     a->v[2] + p4 - b->v[2], a->v[3] + p4 - b->v[3], a->v[4] + p4 - b->v[4]);
}

static inline void f25519_mul(f25519_t *r, const f25519_t *a, const f25519_t *b)
{
    uint64_t x0 = a->v[0], x1 = a->v[1], x2 = a->v[2], x3 = a->v[3], x4 = a->v[4];
    uint64_t y0 = b->v[0], y1 = b->v[1], y2 = b->v[2], y3 = b->v[3], y4 = b->v[4];
    uint64_t y1_19 = 19 * y1, y2_19 = 19 * y2, y3_19 = 19 * y3, y4_19 = 19 * y4;
    f25519_reduce_wide(r,
                       (f25519_u128)x0 * y0 + (f25519_u128)x1 * y4_19 + (f25519_u128)x2 * y3_19 +
                           (f25519_u128)x3 * y2_19 + (f25519_u128)x4 * y1_19,
                       (f25519_u128)x0 * y1 + (f25519_u128)x1 * y0 + (f25519_u128)x2 * y4_19 +
                           (f25519_u128)x3 * y3_19 + (f25519_u128)x4 * y2_19,
                       (f25519_u128)x0 * y2 + (f25519_u128)x1 * y1 + (f25519_u128)x2 * y0 +
                           (f25519_u128)x3 * y4_19 + (f25519_u128)x4 * y3_19,
                       (f25519_u128)x0 * y3 + (f25519_u128)x1 * y2 + (f25519_u128)x2 * y1 +
                           (f25519_u128)x3 * y0 + (f25519_u128)x4 * y4_19,
                       (f25519_u128)x0 * y4 + (f25519_u128)x1 * y3 + (f25519_u128)x2 * y2 +
                           (f25519_u128)x3 * y1 + (f25519_u128)x4 * y0);
}

static inline void f25519_sqr(f25519_t *r, const f25519_t *a)
{
    uint64_t x0 = a->v[0], x1 = a->v[1], x2 = a->v[2], x3 = a->v[3], x4 = a->v[4];
    uint64_t d0 = 2 * x0, d1 = 2 * x1, d2 = 2 * x2, d3 = 2 * x3;
    uint64_t x3_19 = 19 * x3, x4_19 = 19 * x4;
    f25519_reduce_wide(
        r, (f25519_u128)x0 * x0 + (f25519_u128)d1 * x4_19 + (f25519_u128)d2 * x3_19,
        (f25519_u128)d0 * x1 + (f25519_u128)d2 * x4_19 + (f25519_u128)x3 * x3_19,
        (f25519_u128)d0 * x2 + (f25519_u128)x1 * x1 + (f25519_u128)d3 * x4_19,
        (f25519_u128)d0 * x3 + (f25519_u128)d1 * x2 + (f25519_u128)x4 * x4_19,
        (f25519_u128)d0 * x4 + (f25519_u128)d1 * x3 + (f25519_u128)x2 * x2);
}

static inline void f25519_mul_small(f25519_t *r, const f25519_t *a, uint32_t k)
{
    f25519_reduce_wide(r, (f25519_u128)a->v[0] * k, (f25519_u128)a->v[1] * k,
                       (f25519_u128)a->v[2] * k, (f25519_u128)a->v[3] * k,
                       (f25519_u128)a->v[4] * k);
}

static inline void f25519_neg(f25519_t *r, const f25519_t *a)
{
    f25519_t zero;
    f25519_set_u32(&zero, 0);
    f25519_sub(r, &zero, a);
}

static inline void f25519_cswap(f25519_t *a, f25519_t *b, uint32_t swap)
{
    uint64_t mask = f25519_opaque((f25519_limb_t)0 - swap);
    uint64_t x0 = mask & (a->v[0] ^ b->v[0]), x1 = mask & (a->v[1] ^ b->v[1]);
    uint64_t x2 = mask & (a->v[2] ^ b->v[2]), x3 = mask & (a->v[3] ^ b->v[3]);
    uint64_t x4 = mask & (a->v[4] ^ b->v[4]);
    a->v[0] ^= x0;
    a->v[1] ^= x1;
    a->v[2] ^= x2;
    a->v[3] ^= x3;
    a->v[4] ^= x4;
    b->v[0] ^= x0;
    b->v[1] ^= x1;
    b->v[2] ^= x2;
    b->v[3] ^= x3;
    b->v[4] ^= x4;
}

static inline void f25519_cmov(f25519_t *r, const f25519_t *a, uint32_t move)
{
    uint64_t mask = f25519_opaque((f25519_limb_t)0 - move);
    r->v[0] ^= mask & (r->v[0] ^ a->v[0]);
    r->v[1] ^= mask & (r->v[1] ^ a->v[1]);
    r->v[2] ^= mask & (r->v[2] ^ a->v[2]);
    r->v[3] ^= mask & (r->v[3] ^ a->v[3]);
    r->v[4] ^= mask & (r->v[4] ^ a->v[4]);
}

#endif
