/*
 * Constant-time inversion modulo the P-256/P-384 primes and orders on 64-bit
 * hosts, by Bernstein-Yang divsteps ("Fast constant-time gcd computation and
 * modular inversion", TCHES 2019): for P-256, half the instructions of an
 * a^(p-2) addition chain and a third of a windowed a^(n-2). Numbers are
 * signed, in 62-bit limbs (the top limb carries the sign); divsteps go in
 * batches of 62 on the low limbs, each batch's 2x2 transition matrix then
 * applied to the whole numbers. Fixed iteration counts and masks only:
 * nothing branches on, or indexes by, the values.
 */
#include "crypto/ec_field.h"

#if (MAMORI_P256 || MAMORI_P384) && EC_LIMB_BITS == 64

#include <string.h>

#include "mamori/ct.h"

typedef __int128 s128;
typedef unsigned __int128 u128;

#define M62 (((uint64_t)1 << 62) - 1)
/* 62-bit limbs for a modulus of `bits` bits plus a sign and a spare bit */
#define S62_LIMBS(bits) ((bits) / 62 + 1)
#define S62_MAX S62_LIMBS(EC_MAX_BITS)

/* The transition matrix of 62 divsteps: 2^62 (f', g') = (u f + v g, q f + r g). */
typedef struct {
    int64_t u, v, q, r;
} trans_t;

/* Little-endian 64-bit limbs (n of them) to N 62-bit limbs; a < 2^(62 N). */
static void to_s62(int64_t *out, unsigned nout, const uint64_t *in, unsigned n)
{
    u128 acc = 0;
    unsigned have = 0, j = 0;
    for (unsigned i = 0; i < nout; i++) {
        if (have < 62 && j < n) {
            acc |= (u128)in[j++] << have;
            have += 64;
        }
        out[i] = (int64_t)((uint64_t)acc & M62);
        acc >>= 62;
        have = have >= 62 ? have - 62 : 0;
    }
}

/* N 62-bit limbs of a value in [0, 2^(64 n)) back to n 64-bit limbs. */
static void from_s62(uint64_t *out, unsigned n, const int64_t *in, unsigned nin)
{
    u128 acc = 0;
    unsigned have = 0, j = 0;
    for (unsigned i = 0; i < n; i++) {
        while (have < 64 && j < nin) {
            acc |= (u128)(uint64_t)in[j++] << have;
            have += 62;
        }
        out[i] = (uint64_t)acc;
        acc >>= 64;
        have = have >= 64 ? have - 64 : 0;
    }
}

/* 62 divsteps (delta, f, g) -> (1 - delta, g, (g - f) / 2) when delta > 0
 * and g is odd, else (1 + delta, f, (g + (g mod 2) f) / 2), on the low
 * bits of f (odd) and g, which decide them; returns the new delta. The
 * swapping case first maps (f, g) to (g, -f), then both cases share the
 * second step. Each row of the matrix keeps |u| + |v| <= 2^i after i steps. */
static int64_t divsteps62(int64_t delta, uint64_t f, uint64_t g, trans_t *t)
{
    uint64_t u = 1, v = 0, q = 0, r = 1;
    for (int i = 0; i < 62; i++) {
        const uint64_t c = ec_ct_mask((uint32_t)((((uint64_t)0 - (uint64_t)delta) >> 63) & g & 1));
        const uint64_t nf = (f ^ c) - c, nu = (u ^ c) - c, nv = (v ^ c) - c;
        f ^= c & (f ^ g);
        u ^= c & (u ^ q);
        v ^= c & (v ^ r);
        g ^= c & (g ^ nf);
        q ^= c & (q ^ nu);
        r ^= c & (r ^ nv);
        delta = (int64_t)(((uint64_t)delta ^ c) - c);
        const uint64_t odd = ec_ct_mask((uint32_t)(g & 1));
        g = (g + (f & odd)) >> 1;
        q += u & odd;
        r += v & odd;
        u <<= 1;
        v <<= 1;
        delta++;
    }
    t->u = (int64_t)u;
    t->v = (int64_t)v;
    t->q = (int64_t)q;
    t->r = (int64_t)r;
    return delta;
}

/* (f, g) = (u f + v g, q f + r g) / 2^62, exact by construction. */
static void update_fg(int64_t *f, int64_t *g, unsigned nl, const trans_t *t)
{
    s128 cf = (s128)t->u * f[0] + (s128)t->v * g[0];
    s128 cg = (s128)t->q * f[0] + (s128)t->r * g[0];
    cf >>= 62;
    cg >>= 62;
    for (unsigned i = 1; i < nl; i++) {
        cf += (s128)t->u * f[i] + (s128)t->v * g[i];
        cg += (s128)t->q * f[i] + (s128)t->r * g[i];
        f[i - 1] = (int64_t)((uint64_t)cf & M62);
        g[i - 1] = (int64_t)((uint64_t)cg & M62);
        cf >>= 62;
        cg >>= 62;
    }
    f[nl - 1] = (int64_t)cf;
    g[nl - 1] = (int64_t)cg;
}

/* x = x + m when x < 0, then x = x - m when x >= m: x in (-m, 2m) to
 * [0, m). */
static void normalize(int64_t *x, const int64_t *m, unsigned nl)
{
    int64_t t[S62_MAX];
    const uint64_t neg = ec_ct_mask((uint32_t)((uint64_t)x[nl - 1] >> 63));
    int64_t c = 0;
    for (unsigned i = 0; i < nl; i++) {
        c += x[i] + (int64_t)((uint64_t)m[i] & neg);
        x[i] = i + 1 < nl ? (int64_t)((uint64_t)c & M62) : c;
        c >>= 62;
    }
    c = 0;
    for (unsigned i = 0; i < nl; i++) {
        c += x[i] - m[i];
        t[i] = i + 1 < nl ? (int64_t)((uint64_t)c & M62) : c;
        c >>= 62;
    }
    const uint64_t keep = ec_ct_mask((uint32_t)((uint64_t)t[nl - 1] >> 63)); /* x - m < 0 */
    for (unsigned i = 0; i < nl; i++)
        x[i] = (int64_t)((uint64_t)t[i] ^ (((uint64_t)t[i] ^ (uint64_t)x[i]) & keep));
}

/* (d, e) = (u d + v e, q d + r e) / 2^62 mod m for d, e in [0, m): adds the
 * multiple k m (0 <= k < 2^62) that clears the low 62 bits, which leaves
 * the quotients in (-m, 2m), then normalizes them. minv = -m^-1 mod 2^62. */
static void update_de(int64_t *d, int64_t *e, const int64_t *m, uint64_t minv, unsigned nl,
                      const trans_t *t)
{
    s128 cd = (s128)t->u * d[0] + (s128)t->v * e[0];
    s128 ce = (s128)t->q * d[0] + (s128)t->r * e[0];
    const int64_t kd = (int64_t)(((uint64_t)cd * minv) & M62);
    const int64_t ke = (int64_t)(((uint64_t)ce * minv) & M62);
    cd = (cd + (s128)m[0] * kd) >> 62;
    ce = (ce + (s128)m[0] * ke) >> 62;
    for (unsigned i = 1; i < nl; i++) {
        cd += (s128)t->u * d[i] + (s128)t->v * e[i] + (s128)m[i] * kd;
        ce += (s128)t->q * d[i] + (s128)t->r * e[i] + (s128)m[i] * ke;
        d[i - 1] = (int64_t)((uint64_t)cd & M62);
        e[i - 1] = (int64_t)((uint64_t)ce & M62);
        cd >>= 62;
        ce >>= 62;
    }
    d[nl - 1] = (int64_t)cd;
    e[nl - 1] = (int64_t)ce;
    normalize(d, m, nl);
    normalize(e, m, nl);
}

/* With f = m and g = x (= a R), d = 0 and e = R^2 keep d x = R^2 f and
 * e x = R^2 g (mod m). After enough divsteps g = 0 and f = +-1 (m is
 * prime), so +-d = R^2 x^-1 = a^-1 R. Bernstein-Yang bound the divsteps
 * needed for b-bit inputs by (49 b + 57) / 17 (b >= 46); a = 0 ends with
 * f = m, d = 0. */
void ec_inv_divsteps(const ec_mod_t *m, ec_limb_t *r, const ec_limb_t *a)
{
    const unsigned n = m->n, bits = n * EC_LIMB_BITS, nl = S62_LIMBS(bits);
    const unsigned batches = ((49 * bits + 57 + 16) / 17 + 61) / 62;
    const uint64_t minv = m->m0inv & M62;
    int64_t m62[S62_MAX], f[S62_MAX], g[S62_MAX], d[S62_MAX], e[S62_MAX];
    int64_t delta = 1;
    trans_t t;

    to_s62(m62, nl, m->m, n);
    memcpy(f, m62, sizeof f);
    to_s62(g, nl, a, n);
    memset(d, 0, sizeof d);
    to_s62(e, nl, m->rr, n);
    for (unsigned b = 0; b < batches; b++) {
        delta = divsteps62(delta, (uint64_t)f[0], (uint64_t)g[0], &t);
        update_fg(f, g, nl, &t);
        update_de(d, e, m62, minv, nl, &t);
    }
    /* d = m - d when f = -1 (d is then nonzero) */
    const uint64_t neg = ec_ct_mask((uint32_t)((uint64_t)f[nl - 1] >> 63));
    int64_t c = 0;
    for (unsigned i = 0; i < nl; i++) {
        c += m62[i] - d[i];
        int64_t nd = i + 1 < nl ? (int64_t)((uint64_t)c & M62) : c;
        c >>= 62;
        d[i] = (int64_t)((uint64_t)d[i] ^ (((uint64_t)d[i] ^ (uint64_t)nd) & neg));
    }
    from_s62(r, n, d, nl);
    mamori_zeroize(f, sizeof f);
    mamori_zeroize(g, sizeof g);
    mamori_zeroize(d, sizeof d);
    mamori_zeroize(e, sizeof e);
    mamori_zeroize(&t, sizeof t);
}

#endif
