/* Constant-time modular inversion for RSA blinding (see bignum.h). */
#include "crypto/bignum_limb.h"

#if MAMORI_RSA

#include <string.h>

/* Modular inversion by Bernstein and Yang's divsteps ("Fast constant-time
 * gcd computation and modular inversion", 2019), in batches: DIVSTEPS
 * divsteps run on the low 64 bits of f and g alone, giving a transition
 * matrix (scaled by 2^DIVSTEPS) that is then applied to the whole numbers.
 * f, g, d, e are two's complement numbers of n + 1 limbs. */
#define DIVSTEPS 62

/* mask_of() for the 64-bit divstep state. */
static inline uint64_t mask64(uint64_t bit)
{
    uint64_t mask = (uint64_t)0 - bit;
    MAMORI_CT_BARRIER(mask);
    return mask;
}

/* The low 64 bits of x (at least two limbs when limbs are 32 bits). */
static uint64_t low64(const mamori_limb_t *x)
{
#if MAMORI_BN_LIMB_BITS == 64
    return x[0];
#else
    return (uint64_t)x[0] | ((uint64_t)x[1] << 32);
#endif
}

/* DIVSTEPS divsteps from (delta, f, g), f odd, on their low bits:
 *   delta > 0 and g odd: (1 - delta, g, (g - f) / 2)
 *   g odd:               (1 + delta, f, (g + f) / 2)
 *   otherwise:           (1 + delta, f, g / 2)
 * t = (u, v, q, r) such that 2^DIVSTEPS * (f', g') = (u f + v g, q f + r g).
 * All values in two's complement; constant time. Returns delta. */
static uint64_t divsteps(uint64_t delta, uint64_t f, uint64_t g, uint64_t t[4])
{
    uint64_t u = 1, v = 0, q = 0, r = 1;
    for (int i = 0; i < DIVSTEPS; i++) {
        const uint64_t odd = mask64(g & 1);
        const uint64_t swap = odd & mask64(((uint64_t)0 - delta) >> 63);
        /* swap: (f, g) = (g, -f), (u, v, q, r) = (q, r, -u, -v), delta = -delta */
        uint64_t x = (f ^ g) & swap;
        f ^= x;
        g = ((g ^ x) ^ swap) - swap;
        x = (u ^ q) & swap;
        u ^= x;
        q = ((q ^ x) ^ swap) - swap;
        x = (v ^ r) & swap;
        v ^= x;
        r = ((r ^ x) ^ swap) - swap;
        delta = (delta ^ swap) - swap;
        /* g odd: g += f; then g /= 2, which scales the other row by 2. */
        g += f & odd;
        q += u & odd;
        r += v & odd;
        g >>= 1;
        u <<= 1;
        v <<= 1;
        delta++;
    }
    t[0] = u;
    t[1] = v;
    t[2] = q;
    t[3] = r;
    return delta;
}

#define COEF_LIMBS (64 / MAMORI_BN_LIMB_BITS)

/* acc (w + COEF_LIMBS limbs) += x * c, x of w limbs and c of 64 bits, both
 * two's complement, modulo 2^(LB * (w + COEF_LIMBS)). */
static void add_mul_signed(mamori_limb_t *acc, const mamori_limb_t *x, size_t w, uint64_t c)
{
    const size_t len = w + COEF_LIMBS;
    const mamori_limb_t xs = mask_of(x[w - 1] >> (LB - 1));
    for (size_t j = 0; j < COEF_LIMBS; j++) {
        const mamori_limb_t cj = (mamori_limb_t)(c >> (j * LB));
        mamori_limb_t carry = 0;
        for (size_t i = 0; i + j < len; i++) {
            mamori_dlimb_t z = (mamori_dlimb_t)(i < w ? x[i] : xs) * cj + acc[i + j] + carry;
            acc[i + j] = (mamori_limb_t)z;
            carry = (mamori_limb_t)(z >> LB);
        }
    }
    /* A negative c stands for c - 2^64: subtract x * 2^64. */
    const mamori_limb_t cs = mask_of((mamori_limb_t)(c >> 63));
    mamori_limb_t borrow = 0;
    for (size_t i = COEF_LIMBS; i < len; i++)
        acc[i] = sbb(acc[i], x[i - COEF_LIMBS] & cs, &borrow);
}

/* r (w limbs) = acc / 2^DIVSTEPS, acc of w + COEF_LIMBS limbs in two's
 * complement whose low DIVSTEPS bits are zero and whose quotient fits in w
 * limbs (so the limbs above are its sign extension). */
static void shift_divsteps(mamori_limb_t *r, const mamori_limb_t *acc, size_t w)
{
    const size_t limbs = DIVSTEPS / LB, bits = DIVSTEPS % LB;
    for (size_t i = 0; i < w; i++)
        r[i] = (acc[i + limbs] >> bits) | (acc[i + limbs + 1] << (LB - bits));
}

/* (f, g) = (u f + v g, q f + r g) / 2^DIVSTEPS: exact, as the divsteps
 * cleared the low bits; |f| and |g| stay below m, within w limbs. */
static void update_fg(mamori_limb_t *f, mamori_limb_t *g, const uint64_t t[4], size_t w,
                      mamori_limb_t *acc)
{
    mamori_limb_t *acc2 = acc + w + COEF_LIMBS;
    memset(acc, 0, 2 * (w + COEF_LIMBS) * sizeof *acc);
    add_mul_signed(acc, f, w, t[0]);
    add_mul_signed(acc, g, w, t[1]);
    add_mul_signed(acc2, f, w, t[2]);
    add_mul_signed(acc2, g, w, t[3]);
    shift_divsteps(f, acc, w);
    shift_divsteps(g, acc2, w);
}

/* x = (a d + b e + k m) / 2^DIVSTEPS with k making the division exact, then
 * brought into [0, m): d, e in [0, m) and |a| + |b| <= 2^DIVSTEPS give
 * (-m, 2m). mp: m in w limbs; minv = m^-1 mod 2^64. */
static void update_de_one(mamori_limb_t *x, const mamori_limb_t *d, const mamori_limb_t *e,
                          uint64_t a, uint64_t b, const mamori_limb_t *mp, uint64_t minv,
                          size_t w, mamori_limb_t *acc)
{
    memset(acc, 0, (w + COEF_LIMBS) * sizeof *acc);
    add_mul_signed(acc, d, w, a);
    add_mul_signed(acc, e, w, b);
    const uint64_t k = ((uint64_t)0 - low64(acc) * minv) & (((uint64_t)1 << DIVSTEPS) - 1);
    add_mul_signed(acc, mp, w, k);
    shift_divsteps(x, acc, w);
    add_masked(x, mp, mask_of(x[w - 1] >> (LB - 1)), w);
    mamori_limb_t ge = mamori_bn_lt(x, mp, w) ^ 1;
    sub_masked(x, mp, mask_of(ge), w);
}

/* r = x^-1 mod m for 0 < x < m with gcd(x, m) = 1 (else r is meaningless);
 * constant time. tmp: 8 * (n + 1) + 2 * COEF_LIMBS limbs. Invariants:
 * f = d*x and g = e*x (mod m), from f = m, g = x, d = 0, e = 1. The number
 * of divsteps is the bound of Bernstein and Yang's Theorem 11.2,
 * floor((49 b + 57) / 17) for f^2 + 4 g^2 <= 5 * 2^(2b) and b >= 46, here
 * b = n * LB: after it g = 0 and f = +-1 (further divsteps change nothing),
 * so x^-1 = +-d. */
void mamori_bn_mod_inv(mamori_limb_t *r, const mamori_limb_t *x, const mamori_bn_mont_t *mm,
                       mamori_limb_t *tmp)
{
    const size_t n = mm->n, w = n + 1, bits = n * LB;
    mamori_limb_t *f = tmp, *g = f + w, *d = g + w, *e = d + w, *mp = e + w, *nd = mp + w;
    mamori_limb_t *acc = nd + w; /* 2 * (w + COEF_LIMBS) */
    memset(tmp, 0, 5 * w * sizeof *tmp);
    memcpy(f, mm->m, n * sizeof *f);
    memcpy(g, x, n * sizeof *g);
    memcpy(mp, mm->m, n * sizeof *mp);
    e[0] = 1;
    uint64_t minv = low64(mm->m);
    for (int i = 0; i < 6; i++)
        minv *= 2 - low64(mm->m) * minv;
    const size_t steps = (49 * bits + 57) / 17;
    uint64_t delta = 1, t[4];
    for (size_t done = 0; done < steps; done += DIVSTEPS) {
        delta = divsteps(delta, low64(f), low64(g), t);
        update_fg(f, g, t, w, acc);
        update_de_one(nd, d, e, t[0], t[1], mp, minv, w, acc);
        update_de_one(e, d, e, t[2], t[3], mp, minv, w, acc);
        memcpy(d, nd, w * sizeof *d);
    }
    /* f = -1: negate d (nonzero, so m - d is in range). */
    const mamori_limb_t neg = mask_of(f[w - 1] >> (LB - 1));
    memset(nd, 0, w * sizeof *nd);
    sub_masked(nd, d, mask_of(1), w);
    add_masked(nd, mp, mask_of(1), w);
    for (size_t i = 0; i < n; i++)
        r[i] = d[i] ^ ((d[i] ^ nd[i]) & neg);
}

#endif
