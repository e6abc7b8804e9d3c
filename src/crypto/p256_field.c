/*
 * P-256 field arithmetic on 64-bit limbs. Montgomery reduction is cheap for
 * this prime: its low limb is 2^64 - 1, so -p^-1 mod 2^64 = 1 and each
 * reduction step's multiplier is the lowest limb itself; the middle limbs of
 * p are 2^32 - 1 and 0, so a step costs one 64x64 product and two shifts.
 */
#include "crypto/p256_field.h"

#if EC_P256_FAST

/* One Montgomery step on t0..t4 and the deferred carry top: adds u p with
 * u = t0. t0 + u (2^64 - 1) = u 2^64 clears t0 and carries u; p's limbs
 * 1..3 are 2^32 - 1, 0 and 2^64 - 2^32 + 1, so t1..t2 get u + u (2^32 - 1)
 * = u 2^32 (two shifted halves). The carry out of t4 goes to top, for the
 * next step's t4 (or the result's top bit). */
#define MONT_STEP(t0, t1, t2, t3, t4)                                                              \
    do {                                                                                           \
        uint64_t u_ = (t0), l_ = u_ << 32, h_ = u_ >> 32, c_;                                      \
        (t1) += l_;                                                                                \
        h_ += (t1) < l_;                                                                           \
        c_ = p256_adc(&(t2), (t2), h_, 0);                                                         \
        c_ = p256_mac(&(t3), u_, P256_P3, (t3), c_);                                               \
        top = p256_adc(&(t4), (t4), top, c_);                                                      \
    } while (0)

/* r = t/R mod p for the eight-limb t < pR. */
static inline void mont_reduce(uint64_t *r, uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3,
                               uint64_t t4, uint64_t t5, uint64_t t6, uint64_t t7)
{
    uint64_t top = 0;
    MONT_STEP(t0, t1, t2, t3, t4);
    MONT_STEP(t1, t2, t3, t4, t5);
    MONT_STEP(t2, t3, t4, t5, t6);
    MONT_STEP(t3, t4, t5, t6, t7);
    p256_sub_p_once(r, t4, t5, t6, t7, top);
}

/* Rows of the schoolbook product interleaved with the reduction steps
 * (coarsely integrated operand scanning), which keeps few limbs live. */
void p256_mul(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    const uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
    uint64_t t0, t1, t2, t3, t4, t5, t6, t7, c, ai, top = 0;
    ai = a[0];
    c = p256_mac(&t0, ai, b0, 0, 0);
    c = p256_mac(&t1, ai, b1, c, 0);
    c = p256_mac(&t2, ai, b2, c, 0);
    t4 = p256_mac(&t3, ai, b3, c, 0);
    MONT_STEP(t0, t1, t2, t3, t4);
    ai = a[1];
    c = p256_mac(&t1, ai, b0, t1, 0);
    c = p256_mac(&t2, ai, b1, t2, c);
    c = p256_mac(&t3, ai, b2, t3, c);
    t5 = p256_mac(&t4, ai, b3, t4, c);
    MONT_STEP(t1, t2, t3, t4, t5);
    ai = a[2];
    c = p256_mac(&t2, ai, b0, t2, 0);
    c = p256_mac(&t3, ai, b1, t3, c);
    c = p256_mac(&t4, ai, b2, t4, c);
    t6 = p256_mac(&t5, ai, b3, t5, c);
    MONT_STEP(t2, t3, t4, t5, t6);
    ai = a[3];
    c = p256_mac(&t3, ai, b0, t3, 0);
    c = p256_mac(&t4, ai, b1, t4, c);
    c = p256_mac(&t5, ai, b2, t5, c);
    t7 = p256_mac(&t6, ai, b3, t6, c);
    MONT_STEP(t3, t4, t5, t6, t7);
    p256_sub_p_once(r, t4, t5, t6, t7, top);
}

void p256_sqr(uint64_t *r, const uint64_t *a)
{
    const uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
    uint64_t t0, t1, t2, t3, t4, t5, t6, t7, c;
    /* the products a[i] a[j], i < j, once */
    c = p256_mac(&t1, a0, a1, 0, 0);
    c = p256_mac(&t2, a0, a2, c, 0);
    t4 = p256_mac(&t3, a0, a3, c, 0);
    c = p256_mac(&t3, a1, a2, t3, 0);
    t5 = p256_mac(&t4, a1, a3, t4, c);
    t6 = p256_mac(&t5, a2, a3, t5, 0);
    /* doubled */
    t7 = t6 >> 63;
    t6 = (t6 << 1) | (t5 >> 63);
    t5 = (t5 << 1) | (t4 >> 63);
    t4 = (t4 << 1) | (t3 >> 63);
    t3 = (t3 << 1) | (t2 >> 63);
    t2 = (t2 << 1) | (t1 >> 63);
    t1 <<= 1;
    /* plus the squares a[i]^2 at limb 2i */
    c = p256_mac(&t0, a0, a0, 0, 0);
    c = p256_adc(&t1, t1, c, 0);
    c = p256_mac(&t2, a1, a1, t2, c);
    c = p256_adc(&t3, t3, c, 0);
    c = p256_mac(&t4, a2, a2, t4, c);
    c = p256_adc(&t5, t5, c, 0);
    c = p256_mac(&t6, a3, a3, t6, c);
    t7 += c;
    mont_reduce(r, t0, t1, t2, t3, t4, t5, t6, t7);
}

/* Generic Montgomery multiplication for any 4-limb modulus (the P-256
 * group order), the same interleaved row-then-step order as p256_mul. */
#define GEN_STEP(t0, t1, t2, t3, t4)                                                               \
    do {                                                                                           \
        uint64_t u_ = (t0) * m0inv, c_;                                                            \
        c_ = p256_mac(&(t0), u_, m0, (t0), 0);                                                     \
        c_ = p256_mac(&(t1), u_, m1, (t1), c_);                                                    \
        c_ = p256_mac(&(t2), u_, m2, (t2), c_);                                                    \
        c_ = p256_mac(&(t3), u_, m3, (t3), c_);                                                    \
        top = p256_adc(&(t4), (t4), top, c_);                                                      \
    } while (0)

void ec_mont_mul4(const ec_mod_t *m, uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    const uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], m0inv = m->m0inv;
    const uint64_t m0 = m->m[0], m1 = m->m[1], m2 = m->m[2], m3 = m->m[3];
    uint64_t t0, t1, t2, t3, t4, t5, t6, t7, c, ai, top = 0;
    ai = a[0];
    c = p256_mac(&t0, ai, b0, 0, 0);
    c = p256_mac(&t1, ai, b1, c, 0);
    c = p256_mac(&t2, ai, b2, c, 0);
    t4 = p256_mac(&t3, ai, b3, c, 0);
    GEN_STEP(t0, t1, t2, t3, t4);
    ai = a[1];
    c = p256_mac(&t1, ai, b0, t1, 0);
    c = p256_mac(&t2, ai, b1, t2, c);
    c = p256_mac(&t3, ai, b2, t3, c);
    t5 = p256_mac(&t4, ai, b3, t4, c);
    GEN_STEP(t1, t2, t3, t4, t5);
    ai = a[2];
    c = p256_mac(&t2, ai, b0, t2, 0);
    c = p256_mac(&t3, ai, b1, t3, c);
    c = p256_mac(&t4, ai, b2, t4, c);
    t6 = p256_mac(&t5, ai, b3, t5, c);
    GEN_STEP(t2, t3, t4, t5, t6);
    ai = a[3];
    c = p256_mac(&t3, ai, b0, t3, 0);
    c = p256_mac(&t4, ai, b1, t4, c);
    c = p256_mac(&t5, ai, b2, t5, c);
    t7 = p256_mac(&t6, ai, b3, t6, c);
    GEN_STEP(t3, t4, t5, t6, t7);
    uint64_t s0, s1, s2, s3, br;
    br = p256_sbb(&s0, t4, m0, 0);
    br = p256_sbb(&s1, t5, m1, br);
    br = p256_sbb(&s2, t6, m2, br);
    br = p256_sbb(&s3, t7, m3, br);
    uint64_t keep = p256_opaque((uint64_t)0 - (br & (top ^ 1)));
    r[0] = s0 ^ ((s0 ^ t4) & keep);
    r[1] = s1 ^ ((s1 ^ t5) & keep);
    r[2] = s2 ^ ((s2 ^ t6) & keep);
    r[3] = s3 ^ ((s3 ^ t7) & keep);
}

#endif
