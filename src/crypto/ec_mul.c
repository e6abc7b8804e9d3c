/*
 * Constant-time scalar multiplication: signed base-2^w digits (each in
 * [-2^(w-1), 2^(w-1)]) select a multiple from a table by scanning every entry with a
 * mask, and complete formulas absorb the identity, so neither the control
 * flow nor the memory addresses depend on the scalar.
 */
#include "crypto/ec_point.h"

#if MAMORI_P256 || MAMORI_P384

#include <string.h>

#include "mamori/ct.h"

/* Window width for variable-base multiplication: 4 bits (8 table points)
 * with 64-bit limbs on hosts, 3 bits (4 points) with 32-bit limbs so a P-384
 * multiplication stays under 2 KB of stack on a microcontroller. The
 * fixed-base comb uses EC_COMB_WINDOW-bit digits (ec_point.h). */
#ifndef EC_WINDOW
#define EC_WINDOW (EC_LIMB_BITS == 64 ? 4 : 3)
#endif
#define MAX_DIGITS (EC_MAX_BITS / 3 + 2)
/* Digits are kept two to a byte, as 4-bit two's complement. */
#define PACKED_DIGITS ((MAX_DIGITS + 1) / 2)

uint32_t ec_scalar_valid(const ec_curve_t *c, const uint8_t *k)
{
    ec_fe_t v;
    ec_from_bytes(&c->n, v, k);
    uint32_t ok = ec_lt_mod(&c->n, v) & (ec_is_zero(&c->n, v) ^ 1);
    mamori_zeroize(v, sizeof v);
    return ok;
}

/* Bits [pos, pos + w) of the big-endian scalar k of len bytes (public
 * positions, w <= 8). */
static uint32_t scalar_bits(const uint8_t *k, size_t len, size_t pos, unsigned w)
{
    size_t byte = pos / 8;
    uint32_t v = k[len - 1 - byte];
    if (byte + 1 < len)
        v |= (uint32_t)k[len - 2 - byte] << 8;
    return (v >> (pos % 8)) & ((1u << w) - 1);
}

/* k = sum d[i] 2^(w i) with d[i] in [-2^(w-1), 2^(w-1) - 1] and a top digit
 * of 0 or 1; returns the digit count. */
static size_t recode(const ec_curve_t *c, uint8_t *d, const uint8_t *k, unsigned w)
{
    const size_t len = ec_curve_bytes(c), nd = (8 * len + w - 1) / w;
    uint32_t carry = 0;
    memset(d, 0, PACKED_DIGITS);
    for (size_t i = 0; i <= nd; i++) {
        uint32_t v = i < nd ? scalar_bits(k, len, i * w, w) + carry : carry; /* 0..2^w */
        carry = (v + (1u << (w - 1))) >> w; /* v >= 2^(w-1) */
        uint32_t digit = (v - (carry << w)) & 0xf;
        d[i / 2] |= (uint8_t)(digit << (4 * (i & 1)));
    }
    return nd + 1;
}

/* |d[i]| and its sign, without branches. */
static uint32_t digit_abs(const uint8_t *d, size_t i, uint32_t *neg)
{
    uint32_t nib = (d[i / 2] >> (4 * (i & 1))) & 0xf;
    *neg = nib >> 3;
    return ((nib ^ (0u - *neg)) + *neg) & 0xf;
}

static uint32_t ct_eq32(uint32_t a, uint32_t b) { return mamori_ct_is_zero32(a ^ b); }

static void cond_negate_y(const ec_curve_t *c, ec_limb_t *y, uint32_t neg)
{
    ec_fe_t zero = {0}, ny;
    ec_mod_sub(&c->p, ny, zero, y);
    ec_cmov(&c->p, y, ny, neg);
}

void ec_mul(const ec_curve_t *c, ec_point_t *r, const uint8_t *k, const ec_point_t *a)
{
    enum { TABLE = 1 << (EC_WINDOW - 1) };
    ec_point_t table[TABLE], q, t;
    uint8_t d[PACKED_DIGITS];
    const size_t nd = recode(c, d, k, EC_WINDOW);

    table[0] = *a;
    ec_point_double_n(c, &table[1], a, 1);
    for (size_t j = 2; j < TABLE; j++)
        ec_point_add(c, &table[j], &table[j - 1], a);

    ec_point_identity(c, &q);
    for (size_t i = nd; i-- > 0;) {
        if (i != nd - 1)
            ec_point_double_n(c, &q, &q, EC_WINDOW);
        uint32_t neg, mag = digit_abs(d, i, &neg);
        ec_point_identity(c, &t);
        for (size_t j = 0; j < TABLE; j++)
            ec_point_cmov(c, &t, &table[j], ct_eq32(mag, (uint32_t)j + 1));
        cond_negate_y(c, t.y, neg);
        ec_point_add(c, &q, &q, &t);
    }
    *r = q;
    mamori_zeroize(table, sizeof table);
    mamori_zeroize(&q, sizeof q);
    mamori_zeroize(&t, sizeof t);
    mamori_zeroize(d, sizeof d);
}

#if MAMORI_EC_GTABLE
#if EC_COMB_WINDOW > 4
/* The comb's digits, too wide for a nibble, one per byte: k = sum d[i]
 * 2^(w i) with d[i] in [-2^(w-1), 2^(w-1) - 1] (as recode()). */
static size_t recode_comb(const ec_curve_t *c, int8_t *d, const uint8_t *k)
{
    const unsigned w = EC_COMB_WINDOW;
    const size_t len = ec_curve_bytes(c), nd = (8 * len + w - 1) / w;
    uint32_t carry = 0;
    for (size_t i = 0; i <= nd; i++) {
        uint32_t v = i < nd ? scalar_bits(k, len, i * w, w) + carry : carry; /* 0..2^w */
        carry = (v + (1u << (w - 1))) >> w;
        d[i] = (int8_t)(int32_t)(v - (carry << w));
    }
    return nd + 1;
}

static uint32_t comb_digit(const int8_t *d, size_t i, uint32_t *neg)
{
    uint32_t v = (uint32_t)(int32_t)d[i];
    *neg = v >> 31;
    return (v ^ (0u - *neg)) + *neg;
}
#define COMB_DIGIT_T int8_t
#define COMB_DIGIT_N EC_COMB_DIGITS(EC_MAX_BITS)
#define COMB_RECODE(c, d, k) recode_comb(c, d, k)
#define COMB_DIGIT(d, i, neg) comb_digit(d, i, neg)
#else
#define COMB_DIGIT_T uint8_t
#define COMB_DIGIT_N PACKED_DIGITS
#define COMB_RECODE(c, d, k) recode(c, d, k, EC_COMB_WINDOW)
#define COMB_DIGIT(d, i, neg) digit_abs(d, i, neg)
#endif

/* Comb over the precomputed table: digit i = 4 row + col multiplies
 * 2^(w (4 row + col)) G, so k G = sum_col 2^(w col) sum_row d[4 row + col]
 * T[row] with T[row] = 2^(4 w row) G, evaluated by Horner's rule in col:
 * 3 w doublings and one mixed addition per digit. */
void ec_mul_base(const ec_curve_t *c, ec_point_t *r, const uint8_t *k)
{
    const unsigned nl = c->p.n;
    ec_point_t q, t;
    ec_fe_t x, y;
    COMB_DIGIT_T d[COMB_DIGIT_N];
    const size_t nd = COMB_RECODE(c, d, k);

    ec_point_identity(c, &q);
    for (size_t col = 4; col-- > 0;) {
        if (col != 3)
            ec_point_double_n(c, &q, &q, EC_COMB_WINDOW);
        for (size_t row = 0; 4 * row + col < nd; row++) {
            const ec_limb_t *entry = c->gtable + row * EC_COMB_ENTRIES * 2 * nl;
            uint32_t neg, mag = COMB_DIGIT(d, 4 * row + col, &neg);
            memset(x, 0, sizeof x);
            memset(y, 0, sizeof y);
            for (size_t j = 0; j < EC_COMB_ENTRIES; j++, entry += 2 * nl) {
                uint32_t hit = ct_eq32(mag, (uint32_t)j + 1);
                ec_cmov(&c->p, x, entry, hit);
                ec_cmov(&c->p, y, entry + nl, hit);
            }
            cond_negate_y(c, y, neg);
            ec_point_add_affine(c, &t, &q, x, y);
            ec_point_cmov(c, &q, &t, 1u ^ mamori_ct_is_zero32(mag));
        }
    }
    *r = q;
    mamori_zeroize(&q, sizeof q);
    mamori_zeroize(&t, sizeof t);
    mamori_zeroize(x, sizeof x);
    mamori_zeroize(y, sizeof y);
    mamori_zeroize(d, sizeof d);
}
#else
void ec_mul_base(const ec_curve_t *c, ec_point_t *r, const uint8_t *k)
{
    ec_point_t g;
    ec_point_generator(c, &g);
    ec_mul(c, r, k, &g);
}
#endif

/*
 * Variable time, for public scalars and points only: interleaved width-w
 * NAF (Straus-Shamir), one shared doubling chain, zero digits skipped.
 * Digits are odd in [-(2^(w-1) - 1), 2^(w-1) - 1] and need the odd
 * multiples 1, 3, ..., 2^(w-1) - 1 of each base; with the fixed-base table,
 * G's come from its first row (j G for j = 1..8, affine), which covers w = 4.
 * w = 3 with 32-bit limbs keeps the stack small on a microcontroller.
 */
#define VT_WINDOW (EC_LIMB_BITS == 64 ? 4 : 3)
#define VT_TABLE (1 << (VT_WINDOW - 2))

/* Writes the wNAF of the big-endian k (len bytes) into nibble `half` of
 * d[0..8 len] (4-bit two's complement digits, d pre-zeroed). A window starts
 * where bit + carry is odd; its w bits plus the carry give an odd value v,
 * taken as v or v - 2^w (carrying 1 into the next window). */
static void wnaf(uint8_t *d, const uint8_t *k, size_t len, unsigned half)
{
    const size_t bits = 8 * len;
    uint32_t carry = 0;
    for (size_t i = 0; i <= bits;) {
        uint32_t bit = i < bits ? scalar_bits(k, len, i, 1) : 0;
        if (bit == carry) { /* bit + carry is 0 or 2: digit 0, carry unchanged */
            i++;
            continue;
        }
        uint32_t v = carry;
        for (unsigned j = 0; j < VT_WINDOW && i + j < bits; j++)
            v += scalar_bits(k, len, i + j, 1) << j;
        carry = v >> (VT_WINDOW - 1);
        uint32_t digit = v - (carry << VT_WINDOW);
        d[i] |= (uint8_t)((digit & 0xf) << (4 * half));
        i += VT_WINDOW;
    }
}

static int wnaf_digit(const uint8_t *d, size_t i, unsigned half)
{
    int v = (d[i] >> (4 * half)) & 0xf;
    return v >= 8 ? v - 16 : v;
}

/* t[j] = (2j + 1) a */
static void odd_multiples(const ec_curve_t *c, ec_point_t *t, const ec_point_t *a)
{
    ec_point_t twice;
    ec_point_double_n(c, &twice, a, 1);
    t[0] = *a;
    for (size_t j = 1; j < VT_TABLE; j++)
        ec_point_add(c, &t[j], &t[j - 1], &twice);
}

/* y = -y mod p */
static void negate(const ec_curve_t *c, ec_limb_t *y)
{
    const ec_fe_t zero = {0};
    ec_mod_sub(&c->p, y, zero, y);
}

/* q += digit * t[], digit odd and nonzero; a negative digit negates the
 * entry in place for the addition (no copy: less stack) */
static void add_multiple(const ec_curve_t *c, ec_point_t *q, ec_point_t *t, int digit)
{
    ec_point_t *m = &t[(digit < 0 ? -digit : digit) / 2];
    if (digit < 0)
        negate(c, m->y);
    ec_point_add(c, q, q, m);
    if (digit < 0)
        negate(c, m->y);
}

void ec_mul2_vartime(const ec_curve_t *c, ec_point_t *r, const uint8_t *u1, const uint8_t *u2,
                     const ec_point_t *a)
{
    const size_t len = ec_curve_bytes(c), bits = 8 * len;
    ec_point_t ta[VT_TABLE], q;
    uint8_t d[EC_MAX_BITS + 1];
#if !MAMORI_EC_GTABLE
    ec_point_t tg[VT_TABLE];
    ec_point_generator(c, &q);
    odd_multiples(c, tg, &q);
#endif
    memset(d, 0, bits + 1);
    wnaf(d, u1, len, 0);
    wnaf(d, u2, len, 1);
    odd_multiples(c, ta, a);

    unsigned pending = 0; /* doublings owed to q, batched */
    int started = 0;
    ec_point_identity(c, &q);
    for (size_t i = bits + 1; i-- > 0;) {
        pending += started != 0;
        int dg = wnaf_digit(d, i, 0), da = wnaf_digit(d, i, 1);
        if ((dg | da) == 0)
            continue;
        ec_point_double_n(c, &q, &q, pending);
        pending = 0;
        if (dg != 0) {
#if MAMORI_EC_GTABLE
            const unsigned nl = c->p.n;
            const ec_limb_t *e = c->gtable + (size_t)((dg < 0 ? -dg : dg) - 1) * 2 * nl;
            ec_fe_t y;
            memcpy(y, e + nl, nl * sizeof(ec_limb_t));
            if (dg < 0)
                negate(c, y);
            ec_point_add_affine(c, &q, &q, e, y);
#else
            add_multiple(c, &q, tg, dg);
#endif
        }
        if (da != 0)
            add_multiple(c, &q, ta, da);
        started = 1;
    }
    ec_point_double_n(c, r, &q, pending);
}

#endif
