/*
 * edwards25519 group operations: -x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255-19),
 * with the formulas of RFC 8032 §5.1.4 in extended coordinates.
 */
#include "mamori/config.h"

#if MAMORI_ED25519

#include "crypto/ed25519_point.h"

#include <string.h>

#include "mamori/ct.h"

/* A point prepared as an addend: (Y+X, Y-X, 2Z, 2dT). */
typedef struct {
    f25519_t ypx, ymx, z2, t2d;
} cached_t;

/* d = -121665/121666, sqrt(-1) = 2^((p-1)/4), and the base point B
 * (RFC 8032 §5.1), little-endian. */
static const uint8_t D_BYTES[32] = {
    0xa3, 0x78, 0x59, 0x13, 0xca, 0x4d, 0xeb, 0x75, 0xab, 0xd8, 0x41, 0x41, 0x4d, 0x0a, 0x70, 0x00,
    0x98, 0xe8, 0x79, 0x77, 0x79, 0x40, 0xc7, 0x8c, 0x73, 0xfe, 0x6f, 0x2b, 0xee, 0x6c, 0x03, 0x52};
static const uint8_t SQRTM1_BYTES[32] = {
    0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4, 0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
    0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b, 0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b};
#if !MAMORI_ED25519_TABLE
static const uint8_t BX_BYTES[32] = {
    0x1a, 0xd5, 0x25, 0x8f, 0x60, 0x2d, 0x56, 0xc9, 0xb2, 0xa7, 0x25, 0x95, 0x60, 0xc7, 0x2c, 0x69,
    0x5c, 0xdc, 0xd6, 0xfd, 0x31, 0xe2, 0xa4, 0xc0, 0xfe, 0x53, 0x6e, 0xcd, 0xd3, 0x36, 0x69, 0x21};
#define BY_LOW 0x58 /* y = 4/5 is 0x6666...6658 */
#define BY_REST 0x66
#endif

static void point_identity(ed25519_point_t *p)
{
    f25519_set_u32(&p->x, 0);
    f25519_set_u32(&p->y, 1);
    f25519_set_u32(&p->z, 1);
    f25519_set_u32(&p->t, 0);
}

#if !MAMORI_ED25519_TABLE
static void point_base(ed25519_point_t *p)
{
    uint8_t by[32];
    memset(by, BY_REST, sizeof by);
    by[0] = BY_LOW;
    f25519_frombytes(&p->x, BX_BYTES);
    f25519_frombytes(&p->y, by);
    f25519_set_u32(&p->z, 1);
    f25519_mul(&p->t, &p->x, &p->y);
}
#endif

static void to_cached(cached_t *c, const ed25519_point_t *p)
{
    f25519_t d;
    f25519_frombytes(&d, D_BYTES);
    f25519_add(&c->ypx, &p->y, &p->x);
    f25519_sub(&c->ymx, &p->y, &p->x);
    f25519_add(&c->z2, &p->z, &p->z);
    f25519_add(&d, &d, &d);
    f25519_mul(&c->t2d, &p->t, &d);
}

/* r = p + q (RFC 8032 §5.1.4 addition; complete for all inputs). */
static void point_add(ed25519_point_t *r, const ed25519_point_t *p, const cached_t *q)
{
    f25519_t a, b, c, d;
    f25519_sub(&a, &p->y, &p->x);
    f25519_mul(&a, &a, &q->ymx);
    f25519_add(&b, &p->y, &p->x);
    f25519_mul(&b, &b, &q->ypx);
    f25519_mul(&c, &p->t, &q->t2d);
    f25519_mul(&d, &p->z, &q->z2);
    f25519_sub(&r->x, &b, &a); /* E */
    f25519_sub(&r->z, &d, &c); /* F */
    f25519_add(&r->y, &d, &c); /* G */
    f25519_add(&b, &b, &a);    /* H */
    f25519_mul(&r->t, &r->x, &b);
    f25519_mul(&r->x, &r->x, &r->z);
    f25519_mul(&r->z, &r->z, &r->y);
    f25519_mul(&r->y, &r->y, &b);
}

/* r = 2p (RFC 8032 §5.1.4 doubling). T is skipped when with_t is 0 (a
 * public choice): doubling reads only X, Y, Z, so a chain of doublings needs
 * T only before an addition. */
static void point_dbl_t(ed25519_point_t *r, const ed25519_point_t *p, int with_t)
{
    f25519_t a, b, c, h;
    f25519_sqr(&a, &p->x);
    f25519_sqr(&b, &p->y);
    f25519_sqr(&c, &p->z);
    f25519_add(&c, &c, &c);
    f25519_add(&h, &a, &b);
    f25519_add(&r->x, &p->x, &p->y);
    f25519_sqr(&r->x, &r->x);
    f25519_sub(&r->x, &h, &r->x); /* E */
    f25519_sub(&r->y, &a, &b);    /* G */
    f25519_add(&r->z, &c, &r->y); /* F */
    if (with_t)
        f25519_mul(&r->t, &r->x, &h);
    f25519_mul(&r->x, &r->x, &r->z);
    f25519_mul(&r->z, &r->z, &r->y);
    f25519_mul(&r->y, &r->y, &h);
}

static void point_dbl(ed25519_point_t *r, const ed25519_point_t *p) { point_dbl_t(r, p, 1); }

/* Negates the cached point when neg is 1 (swap Y+X with Y-X, negate 2dT). */
static void cached_cneg(cached_t *c, uint32_t neg)
{
    f25519_t t;
    f25519_cswap(&c->ypx, &c->ymx, neg);
    f25519_neg(&t, &c->t2d);
    f25519_cmov(&c->t2d, &t, neg);
}

#if !MAMORI_ED25519_TABLE
static void cached_cmov(cached_t *r, const cached_t *a, uint32_t move)
{
    f25519_cmov(&r->ypx, &a->ypx, move);
    f25519_cmov(&r->ymx, &a->ymx, move);
    f25519_cmov(&r->z2, &a->z2, move);
    f25519_cmov(&r->t2d, &a->t2d, move);
}
#endif

int ed25519_point_y_canonical(const uint8_t in[32])
{
    f25519_t y;
    uint8_t round_trip[32];
    f25519_frombytes(&y, in);
    f25519_tobytes(round_trip, &y);
    round_trip[31] |= in[31] & 0x80;
    return memcmp(round_trip, in, 32) == 0;
}

int ed25519_point_decode(ed25519_point_t *p, const uint8_t in[32])
{
    f25519_t u, v, v3, t;
    uint32_t sign = in[31] >> 7;
    if (!ed25519_point_y_canonical(in))
        return -1;
    f25519_frombytes(&p->y, in);
    f25519_set_u32(&p->z, 1);

    /* x^2 = u / v with u = y^2 - 1, v = d y^2 + 1 (RFC 8032 §5.1.3). */
    f25519_sqr(&u, &p->y);
    f25519_frombytes(&v, D_BYTES);
    f25519_mul(&v, &v, &u);
    f25519_sub(&u, &u, &p->z);
    f25519_add(&v, &v, &p->z);

    /* Candidate root x = u v^3 (u v^7)^((p-5)/8). */
    f25519_sqr(&v3, &v);
    f25519_mul(&v3, &v3, &v);
    f25519_sqr(&t, &v3);
    f25519_mul(&t, &t, &v);
    f25519_mul(&t, &t, &u);
    f25519_pow22523(&t, &t);
    f25519_mul(&t, &t, &v3);
    f25519_mul(&p->x, &t, &u);

    /* v x^2 = u: x is a root; v x^2 = -u: x sqrt(-1) is; otherwise none. */
    f25519_sqr(&t, &p->x);
    f25519_mul(&t, &t, &v);
    f25519_sub(&v3, &t, &u);
    if (!f25519_is_zero(&v3)) {
        f25519_add(&v3, &t, &u);
        if (!f25519_is_zero(&v3))
            return -1;
        f25519_frombytes(&t, SQRTM1_BYTES);
        f25519_mul(&p->x, &p->x, &t);
    }
    if (f25519_is_zero(&p->x) && sign)
        return -1;
    if (f25519_is_negative(&p->x) != sign)
        f25519_neg(&p->x, &p->x);
    f25519_mul(&p->t, &p->x, &p->y);
    return 0;
}

/* Encodes p given 1/Z (RFC 8032 §5.1.2). */
static void encode_with_zinv(uint8_t out[32], const ed25519_point_t *p, const f25519_t *zi)
{
    f25519_t x, y;
    f25519_mul(&x, &p->x, zi);
    f25519_mul(&y, &p->y, zi);
    f25519_tobytes(out, &y);
    out[31] |= (uint8_t)(f25519_is_negative(&x) << 7);
    mamori_zeroize(&x, sizeof x);
    mamori_zeroize(&y, sizeof y);
}

void ed25519_point_encode(uint8_t out[32], const ed25519_point_t *p)
{
    f25519_t zi;
    f25519_invert(&zi, &p->z);
    encode_with_zinv(out, p, &zi);
    mamori_zeroize(&zi, sizeof zi);
}

void ed25519_point_encode2(uint8_t out_p[32], const ed25519_point_t *p, uint8_t out_q[32],
                           const ed25519_point_t *q)
{
    f25519_t inv, zi;
    /* One inversion for both: 1/Zp = Zq / (Zp Zq), 1/Zq = Zp / (Zp Zq). */
    f25519_mul(&inv, &p->z, &q->z);
    f25519_invert(&inv, &inv);
    f25519_mul(&zi, &inv, &q->z);
    encode_with_zinv(out_p, p, &zi);
    f25519_mul(&zi, &inv, &p->z);
    encode_with_zinv(out_q, q, &zi);
    mamori_zeroize(&inv, sizeof inv);
    mamori_zeroize(&zi, sizeof zi);
}

void ed25519_point_neg(ed25519_point_t *p)
{
    f25519_neg(&p->x, &p->x);
    f25519_neg(&p->t, &p->t);
}

/* Writes k as 64 signed radix-16 digits in [-8, 8], k = sum e[i] 16^i. */
static void recode_signed16(int8_t e[64], const uint8_t k[32])
{
    int carry = 0;
    for (int i = 0; i < 32; i++) {
        e[2 * i] = (int8_t)(k[i] & 15);
        e[2 * i + 1] = (int8_t)(k[i] >> 4);
    }
    for (int i = 0; i < 63; i++) {
        int v = e[i] + carry;
        carry = (v + 8) >> 4; /* v + 8 is never negative */
        e[i] = (int8_t)(v - (carry << 4));
    }
    e[63] = (int8_t)(e[63] + carry); /* at most 8, as k < 2^255 */
}

#if MAMORI_ED25519_TABLE
typedef ed25519_niels_t niels_t;

/* Negates the entry when neg is 1 (swap y + x with y - x, negate 2dxy). */
static void niels_cneg(niels_t *n, uint32_t neg)
{
    f25519_t t;
    f25519_cswap(&n->ypx, &n->ymx, neg);
    f25519_neg(&t, &n->xy2d);
    f25519_cmov(&n->xy2d, &t, neg);
}

/* r = p + q, or p - q when neg is 1 (public), for an affine q: the addition
 * of RFC 8032 §5.1.4 with Z2 = 1; -q swaps y + x with y - x and negates
 * 2dxy, which swaps F and G. */
static void point_madd_signed(ed25519_point_t *r, const ed25519_point_t *p, const niels_t *q,
                              int neg)
{
    f25519_t a, b, c, d;
    f25519_sub(&a, &p->y, &p->x);
    f25519_mul(&a, &a, neg ? &q->ypx : &q->ymx);
    f25519_add(&b, &p->y, &p->x);
    f25519_mul(&b, &b, neg ? &q->ymx : &q->ypx);
    f25519_mul(&c, &p->t, &q->xy2d);
    f25519_add(&d, &p->z, &p->z);
    f25519_sub(&r->x, &b, &a); /* E */
    if (neg) {
        f25519_add(&r->z, &d, &c); /* F */
        f25519_sub(&r->y, &d, &c); /* G */
    } else {
        f25519_sub(&r->z, &d, &c);
        f25519_add(&r->y, &d, &c);
    }
    f25519_add(&b, &b, &a); /* H */
    f25519_mul(&r->t, &r->x, &b);
    f25519_mul(&r->x, &r->x, &r->z);
    f25519_mul(&r->z, &r->z, &r->y);
    f25519_mul(&r->y, &r->y, &b);
}

/* For each c < n, sel[c] = e[c] 16^(2 row) B for a digit e[c] in [-8, 8].
 * Every entry of the row is read once and masked into each selection, so
 * the address pattern depends on neither digit. */
static void comb_select(niels_t *sel, const int8_t *e, size_t n, size_t row)
{
    uint32_t neg[2], abs[2];
    for (size_t c = 0; c < n; c++) {
        uint32_t digit = (uint32_t)(int32_t)e[c];
        neg[c] = digit >> 31;
        abs[c] = (digit ^ (0u - neg[c])) + neg[c];
        /* digit 0: the identity (1, 1, 0) */
        f25519_set_u32(&sel[c].ypx, mamori_ct_is_zero32(abs[c]));
        f25519_set_u32(&sel[c].ymx, mamori_ct_is_zero32(abs[c]));
        f25519_set_u32(&sel[c].xy2d, 0);
    }
    for (uint32_t j = 0; j < 8; j++) {
        const niels_t *t = &ed25519_btable[row][j];
        for (size_t c = 0; c < n; c++) {
            f25519_limb_t m = f25519_opaque(
                (f25519_limb_t)0 - (f25519_limb_t)mamori_ct_is_zero32(abs[c] ^ (j + 1)));
            for (int i = 0; i < F25519_LIMBS; i++) {
                sel[c].ypx.v[i] |= m & t->ypx.v[i];
                sel[c].ymx.v[i] |= m & t->ymx.v[i];
                sel[c].xy2d.v[i] |= m & t->xy2d.v[i];
            }
        }
    }
    for (size_t c = 0; c < n; c++)
        niels_cneg(&sel[c], neg[c]);
}

/* r[c] = [k[c]]B for c < n (n is 1 or 2). Comb: k = sum e[i] 16^i, split by
 * parity of i, so [k]B = 16 sum_odd e[i] 16^(i-1) B + sum_even e[i] 16^i B
 * with every 16^(2 row) B multiple in the table: 64 mixed additions and 4
 * doublings per scalar. Two scalars share each scan of a table row. */
static void comb(ed25519_point_t *r, const uint8_t *const *k, size_t n)
{
    int8_t e[2][64], d[2];
    niels_t sel[2];
    for (size_t c = 0; c < n; c++) {
        recode_signed16(e[c], k[c]);
        point_identity(&r[c]);
    }
    for (size_t pass = 0; pass < 2; pass++) {
        if (pass == 1)
            for (size_t c = 0; c < n; c++)
                for (int dbl = 0; dbl < 4; dbl++)
                    point_dbl_t(&r[c], &r[c], dbl == 3);
        for (size_t i = 1 - pass; i < 64; i += 2) {
            for (size_t c = 0; c < n; c++)
                d[c] = e[c][i];
            comb_select(sel, d, n, i / 2);
            for (size_t c = 0; c < n; c++)
                point_madd_signed(&r[c], &r[c], &sel[c], 0);
        }
    }
    mamori_zeroize(e, sizeof e);
    mamori_zeroize(d, sizeof d);
    mamori_zeroize(sel, sizeof sel);
}

void ed25519_scalarmult_base(ed25519_point_t *r, const uint8_t k[32])
{
    const uint8_t *ks[1] = {k};
    comb(r, ks, 1);
}

void ed25519_scalarmult_base2(ed25519_point_t r[2], const uint8_t k[32], const uint8_t j[32])
{
    const uint8_t *ks[2] = {k, j};
    comb(r, ks, 2);
}

/* Width-w NAF of k < 2^253 (Hankerson-Menezes-Vanstone, alg. 3.35): every
 * nonzero digit is odd, below 2^(w-1) in magnitude, and followed by at least
 * w - 1 zeros. */
static void wnaf(int8_t naf[256], const uint8_t k[32], int w)
{
    int carry = 0;
    memset(naf, 0, 256);
    for (int i = 0; i < 256;) {
        int bit = (k[i >> 3] >> (i & 7)) & 1;
        if (bit == carry) {
            i++;
            continue;
        }
        int window = carry;
        for (int b = 0; b < w && i + b < 256; b++)
            window += ((k[(i + b) >> 3] >> ((i + b) & 7)) & 1) << b;
        carry = window >> (w - 1); /* window is odd and below 2^w */
        naf[i] = (int8_t)(window - (carry << w));
        i += w;
    }
}

/* Width of the NAF of the variable point A: 8 precomputed multiples with
 * 64-bit limbs, 4 with 32-bit limbs (half the stack). B uses width 7 over
 * ed25519_bodd. */
#define A_WINDOW (F25519_LIMBS == 5 ? 5 : 4)
#define A_TABLE (1 << (A_WINDOW - 2))

void ed25519_double_scalarmult_vartime(ed25519_point_t *p, const uint8_t a[32],
                                       const uint8_t b[32])
{
    int8_t naf_a[256], naf_b[256];
    cached_t table_a[A_TABLE], twice;
    ed25519_point_t q;

    wnaf(naf_a, a, A_WINDOW);
    wnaf(naf_b, b, 7);
    /* table_a[j] = (2j + 1) A */
    to_cached(&table_a[0], p);
    point_dbl(&q, p);
    to_cached(&twice, &q);
    q = *p;
    for (int j = 1; j < A_TABLE; j++) {
        point_add(&q, &q, &twice);
        to_cached(&table_a[j], &q);
    }

    int top = 255;
    while (top >= 0 && (naf_a[top] | naf_b[top]) == 0)
        top--;
    point_identity(p);
    for (int i = top; i >= 0; i--) {
        point_dbl_t(p, p, (naf_a[i] | naf_b[i]) != 0);
        if (naf_a[i] != 0) {
            /* the entry is negated in place for a negative digit (no copy:
             * less stack) */
            int d = naf_a[i];
            cached_t *m = &table_a[(d < 0 ? -d : d) / 2];
            cached_cneg(m, d < 0);
            point_add(p, p, m);
            cached_cneg(m, d < 0);
        }
        if (naf_b[i] != 0) {
            int d = naf_b[i];
            point_madd_signed(p, p, &ed25519_bodd[(d < 0 ? -d : d) / 2], d < 0);
        }
    }
}
#else
void ed25519_scalarmult_base(ed25519_point_t *r, const uint8_t k[32])
{
    cached_t table[8], c; /* table[j] = (j + 1) B */
    int8_t e[64];

    point_base(r);
    to_cached(&table[0], r);
    for (int j = 1; j < 8; j++) {
        point_add(r, r, &table[0]);
        to_cached(&table[j], r);
    }
    recode_signed16(e, k);

    point_identity(r);
    for (int i = 63; i >= 0; i--) {
        for (int n = 0; n < 4; n++)
            point_dbl_t(r, r, n == 3);
        /* c = |e[i]| B by scanning every entry, then negated if e[i] < 0. */
        uint32_t digit = (uint32_t)(int32_t)e[i];
        uint32_t neg = digit >> 31;
        uint32_t abs = (digit ^ (0u - neg)) + neg;
        f25519_set_u32(&c.ypx, 1);
        f25519_set_u32(&c.ymx, 1);
        f25519_set_u32(&c.z2, 2);
        f25519_set_u32(&c.t2d, 0);
        for (uint32_t j = 0; j < 8; j++)
            cached_cmov(&c, &table[j], mamori_ct_is_zero32(abs ^ (j + 1)));
        cached_cneg(&c, neg);
        point_add(r, r, &c);
    }
    mamori_zeroize(e, sizeof e);
    mamori_zeroize(&c, sizeof c);
}

void ed25519_scalarmult_base2(ed25519_point_t r[2], const uint8_t k[32], const uint8_t j[32])
{
    ed25519_scalarmult_base(&r[0], k);
    ed25519_scalarmult_base(&r[1], j);
}

/* Width-4 NAF of k < 2^253: every nonzero digit is odd, in [-7, 7], and is
 * followed by at least three zeros (Hankerson-Menezes-Vanstone, alg. 3.35).
 * The digit for 2^i goes to the low or high nibble of naf[i] (shift 0 or 4),
 * so two scalars share one array. */
static void wnaf4(uint8_t naf[256], const uint8_t k[32], int shift)
{
    int carry = 0;
    for (int i = 0; i < 256;) {
        int bit = (k[i >> 3] >> (i & 7)) & 1;
        if (bit == carry) {
            i++;
            continue;
        }
        int window = carry;
        for (int b = 0; b < 4 && i + b < 256; b++)
            window += ((k[(i + b) >> 3] >> ((i + b) & 7)) & 1) << b;
        carry = window >> 3; /* window is odd and at most 15 */
        naf[i] |= (uint8_t)(((window - (carry << 4)) & 15) << shift);
        i += 4;
    }
}

/* Adds digit * P to r for a 4-bit two's complement digit, given
 * table[j] = (2j + 1) P. */
static void add_naf_digit(ed25519_point_t *r, const cached_t table[4], unsigned nibble)
{
    cached_t c;
    int digit = (int)(nibble & 7) - (int)(nibble & 8);
    if (digit == 0)
        return;
    c = table[(digit < 0 ? -digit : digit) / 2];
    cached_cneg(&c, digit < 0);
    point_add(r, r, &c);
}

/* table[j] = (2j + 1) p; p is used as scratch and left as 7p. */
static void odd_multiples(cached_t table[4], ed25519_point_t *p)
{
    cached_t twice;
    to_cached(&table[0], p);
    point_dbl(p, p);
    to_cached(&twice, p);
    point_add(p, p, &table[0]);
    for (int j = 1; j < 4; j++) {
        to_cached(&table[j], p);
        if (j < 3)
            point_add(p, p, &twice);
    }
}

void ed25519_double_scalarmult_vartime(ed25519_point_t *p, const uint8_t a[32],
                                       const uint8_t b[32])
{
    uint8_t naf[256] = {0}; /* digits of a in the low nibbles, of b in the high */
    cached_t table_a[4], table_b[4];

    wnaf4(naf, a, 0);
    wnaf4(naf, b, 4);
    odd_multiples(table_a, p);
    point_base(p);
    odd_multiples(table_b, p);

    int top = 255;
    while (top >= 0 && naf[top] == 0)
        top--;
    point_identity(p);
    for (int i = top; i >= 0; i--) {
        point_dbl_t(p, p, naf[i] != 0);
        add_naf_digit(p, table_a, naf[i] & 15u);
        add_naf_digit(p, table_b, naf[i] >> 4);
    }
}

#endif /* MAMORI_ED25519_TABLE */

#endif
