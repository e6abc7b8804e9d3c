/* The 64-bit P-256 field code (src/crypto/p256_field.c) against a bit-serial
 * reference, on limbs chosen to stress its carry chains: 0, 1, 2^32 - 1,
 * 2^64 - 1, the limbs of p and their neighbours, and random limbs. */
#include "check.h"
#include "crypto/p256_field.h"

#include <stdio.h>
#include <string.h>

#if EC_P256_FAST

static const uint64_t p[4] = {P256_P0, P256_P1, 0, P256_P3};

static uint64_t seed = 0x7032353666696c64u;

/* A 64-bit linear congruential generator (Knuth's MMIX constants), its
 * weak low bits folded with high ones. */
static uint64_t next_random(void)
{
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return seed ^ (seed >> 29);
}

/* a < b over four limbs */
static int less(const uint64_t *a, const uint64_t *b)
{
    for (unsigned i = 4; i-- > 0;)
        if (a[i] != b[i])
            return a[i] < b[i];
    return 0;
}

/* t (five limbs) += x (four limbs) */
static void add5(uint64_t *t, const uint64_t *x)
{
    uint64_t carry = 0;
    for (unsigned i = 0; i < 5; i++) {
        uint64_t xi = i < 4 ? x[i] : 0;
        uint64_t s = t[i] + xi;
        uint64_t c = s < xi;
        t[i] = s + carry;
        carry = c + (t[i] < carry);
    }
}

/* t (five limbs) -= p when t >= p */
static void reduce5(uint64_t *t)
{
    if (t[4] == 0 && less(t, p))
        return;
    uint64_t borrow = 0;
    for (unsigned i = 0; i < 5; i++) {
        uint64_t pi = i < 4 ? p[i] : 0;
        uint64_t d = t[i] - pi - borrow;
        borrow = (t[i] < pi) || (t[i] - pi < borrow);
        t[i] = d;
    }
}

/* r = a b / 2^256 mod p one bit of a at a time: add b when the bit is set,
 * add p when the sum is odd, halve. */
static void ref_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    uint64_t t[5] = {0};
    for (unsigned bit = 0; bit < 256; bit++) {
        if ((a[bit / 64] >> (bit % 64)) & 1)
            add5(t, b);
        if (t[0] & 1)
            add5(t, p);
        for (unsigned i = 0; i < 4; i++)
            t[i] = (t[i] >> 1) | (t[i + 1] << 63);
        t[4] >>= 1;
    }
    reduce5(t);
    memcpy(r, t, 32);
}

static void ref_add(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    uint64_t t[5] = {a[0], a[1], a[2], a[3], 0};
    add5(t, b);
    reduce5(t);
    memcpy(r, t, 32);
}

/* a - b = a + (p - b) mod p */
static void ref_sub(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    uint64_t t[5] = {p[0], p[1], p[2], p[3], 0}, nb[4];
    uint64_t borrow = 0;
    for (unsigned i = 0; i < 4; i++) {
        nb[i] = t[i] - b[i] - borrow;
        borrow = (t[i] < b[i]) || (t[i] - b[i] < borrow);
    }
    memcpy(t, a, 32);
    t[4] = 0;
    add5(t, nb);
    reduce5(t);
    memcpy(r, t, 32);
}

static uint64_t edge_limb(unsigned i, unsigned k)
{
    switch (k % 10) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return 0xffffffffu;
    case 3:
        return ~(uint64_t)0;
    case 4:
        return (uint64_t)1 << 63;
    case 5:
        return p[i];
    case 6:
        return p[i] - 1;
    case 7:
        return p[i] + 1;
    default:
        return next_random();
    }
}

/* Element k: limbs from edge_limb (k picks the kinds), p - 1 - (k % 4) for
 * some k; halved until below p when below_p. */
static void element(uint64_t *a, unsigned k, int below_p)
{
    if (k % 7 == 6) {
        memcpy(a, p, 32);
        a[0] -= 1 + k % 4;
    } else {
        for (unsigned i = 0; i < 4; i++)
            a[i] = edge_limb(i, k / (i + 1) + i);
    }
    while (below_p && !less(a, p))
        a[3] >>= 1;
}

int main(void)
{
    unsigned bad = 0;
    for (unsigned i = 0; i < 300; i++) {
        for (unsigned j = 0; j < 300; j++) {
            uint64_t a[4], b[4], r[4], want[4];
            element(a, i, j % 2); /* p256_mul takes a < 2^256 */
            element(b, j, 1);
            p256_mul(r, a, b);
            ref_mont_mul(want, a, b);
            bad += memcmp(r, want, 32) != 0;
            element(a, i, 1);
            if (j == 0) {
                p256_sqr(r, a);
                ref_mont_mul(want, a, a);
                bad += memcmp(r, want, 32) != 0;
            }
            p256_add(r, a, b);
            ref_add(want, a, b);
            bad += memcmp(r, want, 32) != 0;
            p256_sub(r, a, b);
            ref_sub(want, a, b);
            bad += memcmp(r, want, 32) != 0;
        }
    }
    CHECK_EQ(bad, 0);
    /* known answer: R^2 mod p = 2^512 mod p (Montgomery 1 squared is 1) */
    const uint64_t rr[4] = {3, 0xfffffffbffffffffu, 0xfffffffffffffffeu, 0x00000004fffffffdu};
    const uint64_t one[4] = {1, 0xffffffff00000000u, 0xffffffffffffffffu, 0x00000000fffffffeu};
    uint64_t r[4];
    p256_mul(r, rr, (const uint64_t[4]){1, 0, 0, 0});
    CHECK_MEM(r, one, 32);
    p256_sqr(r, one);
    CHECK_MEM(r, one, 32);
    return check_summary("p256_field");
}

#else

int main(void)
{
    printf("p256_field: not built (32-bit limbs)\n");
    return 0;
}

#endif
