/*
 * Scalar multiplication. The constant-time ones use signed base-2^w digits
 * (each in [-2^(w-1), 2^(w-1)]) that select a multiple from a table by
 * scanning every entry with a mask, so neither the control flow nor the
 * memory addresses depend on the scalar.
 */
#include "crypto/ec_point.h"

#if MAMORI_P256 || MAMORI_P384

#include <string.h>

#include "mamori/ct.h"

/* Window width for variable-base multiplication: 5 bits (16 table points)
 * with 64-bit limbs on hosts, 3 bits (4 points) with 32-bit limbs so a P-384
 * multiplication stays under 2 KB of stack on a microcontroller. The
 * fixed-base comb uses EC_COMB_WINDOW-bit digits (ec_point.h). */
#ifndef EC_WINDOW
#define EC_WINDOW (EC_LIMB_BITS == 64 ? 5 : 3)
#endif
#define MAX_DIGITS (EC_MAX_BITS / 3 + 2)

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
static size_t recode(const ec_curve_t *c, int8_t *d, const uint8_t *k, unsigned w)
{
    const size_t len = ec_curve_bytes(c), nd = (8 * len + w - 1) / w;
    uint32_t carry = 0;
    for (size_t i = 0; i <= nd; i++) {
        uint32_t v = i < nd ? scalar_bits(k, len, i * w, w) + carry : carry; /* 0..2^w */
        carry = (v + (1u << (w - 1))) >> w; /* v >= 2^(w-1) */
        d[i] = (int8_t)(int32_t)(v - (carry << w));
    }
    return nd + 1;
}

/* |d| and its sign, without branches. */
static uint32_t digit_abs(int8_t d, uint32_t *neg)
{
    uint32_t v = (uint32_t)(int32_t)d;
    *neg = v >> 31;
    return (v ^ (0u - *neg)) + *neg;
}

static uint32_t ct_eq32(uint32_t a, uint32_t b) { return mamori_ct_is_zero32(a ^ b); }

static void cond_negate_y(const ec_curve_t *c, ec_limb_t *y, uint32_t neg)
{
    ec_fe_t zero = {0}, ny;
    ec_mod_sub(&c->p, ny, zero, y);
    ec_cmov(&c->p, y, ny, neg);
}

/* r ^= mask & (r ^ a) over n limbs */
static inline void masked_copy(ec_limb_t *r, const ec_limb_t *a, unsigned n, ec_limb_t mask)
{
    for (unsigned i = 0; i < n; i++)
        r[i] ^= mask & (r[i] ^ a[i]);
}

/* t = table[mag - 1] (the identity when mag is 0), reading every entry;
 * inlined so a constant limb count unrolls. */
static inline void scan_points(const ec_curve_t *c, ec_point_t *t, const ec_point_t *table,
                               size_t n, uint32_t mag, unsigned nl)
{
    ec_point_identity(c, t);
    for (size_t j = 0; j < n; j++) {
        ec_limb_t mask = ec_ct_mask(ct_eq32(mag, (uint32_t)j + 1));
        masked_copy(t->x, table[j].x, nl, mask);
        masked_copy(t->y, table[j].y, nl, mask);
        masked_copy(t->z, table[j].z, nl, mask);
    }
}

static void lookup(const ec_curve_t *c, ec_point_t *t, const ec_point_t *table, size_t n,
                   uint32_t mag)
{
    if (c->p.n == EC_LIMBS(256)) /* the curve is public */
        scan_points(c, t, table, n, mag, EC_LIMBS(256));
    else
        scan_points(c, t, table, n, mag, c->p.n);
}

/*
 * Fixed window over a table of a, 2a, ..., 2^(w-1) a, by Horner's rule:
 * q = 2^w q + d[i] a. The additions before the last cannot meet the case
 * the partial formulas miss (q == d[i] a): with K the value of the digits
 * above i, q = 2^w K a, where 0 <= 2^w K < n - 2^(w-1) for i >= 1 (k <
 * 2^bits, digits at most 2^(w-1) in size), so 2^w K = +-d[i] mod n would
 * need K = d[i] = 0, the identity cases the formulas handle. The last
 * addition selects the doubling when the case occurs (k = 2 d[0] mod n: a
 * few k near n, valid private keys among them for some w). The table's
 * additions j a + a (j even) never meet it (a has prime order or is the
 * identity).
 */
void ec_mul(const ec_curve_t *c, ec_point_t *r, const uint8_t *k, const ec_point_t *a)
{
    enum { TABLE = 1 << (EC_WINDOW - 1) };
    ec_point_t table[TABLE], q, t;
    int8_t d[MAX_DIGITS];
    const size_t nd = recode(c, d, k, EC_WINDOW);

    table[0] = *a;
    for (size_t j = 1; j < TABLE; j++) {
        if (j & 1) /* (j + 1) a = 2 ((j + 1) / 2) a: a doubling costs less */
            ec_point_double_n(c, &table[j], &table[j / 2], 1);
        else
            (void)ec_point_add_partial(c, &table[j], &table[j - 1], a);
    }

    ec_point_identity(c, &q);
    for (size_t i = nd; i-- > 0;) {
        if (i != nd - 1)
            ec_point_double_n(c, &q, &q, EC_WINDOW);
        uint32_t neg, mag = digit_abs(d[i], &neg);
        lookup(c, &t, table, TABLE, mag);
        cond_negate_y(c, t.y, neg);
        uint32_t same = ec_point_add_partial(c, &q, &q, &t);
        if (i == 0) { /* the doubling case, in constant time */
            ec_point_double_n(c, &t, &t, 1);
            ec_point_cmov(c, &q, &t, same);
        }
    }
    *r = q;
    mamori_zeroize(table, sizeof table);
    mamori_zeroize(&q, sizeof q);
    mamori_zeroize(&t, sizeof t);
    mamori_zeroize(d, sizeof d);
}

#if MAMORI_EC_GTABLE
/* xy = the affine (x, y) of entry mag - 1 of a table row (zeros when mag
 * is 0), reading every entry; inlined so a constant limb count unrolls. */
static inline void scan_row(ec_limb_t *xy, const ec_limb_t *row, unsigned len, uint32_t mag)
{
    memset(xy, 0, len * sizeof(ec_limb_t));
    for (size_t j = 0; j < EC_COMB_ENTRIES; j++, row += len)
        masked_copy(xy, row, len, ec_ct_mask(ct_eq32(mag, (uint32_t)j + 1)));
}

static void lookup_affine(ec_limb_t *xy, const ec_limb_t *row, unsigned nl, uint32_t mag)
{
    if (nl == EC_LIMBS(256)) /* the curve is public */
        scan_row(xy, row, 2 * EC_LIMBS(256), mag);
    else
        scan_row(xy, row, 2 * nl, mag);
}

/* Comb over a precomputed table: digit i = 4 row + col multiplies
 * 2^(w (4 row + col)) P, so k P = sum_col 2^(w col) sum_row d[4 row + col]
 * T[row] with T[row] = 2^(4 w row) P, evaluated by Horner's rule in col:
 * 3 w doublings and one mixed addition per digit. The partial sums can
 * equal the next term for some k (they wrap around n), so the additions
 * are complete: projective ones (ec_point.h), cheaper than the Jacobian
 * addition with its doubling case. */
EC_SHARED void comb(const ec_curve_t *c, ec_point_t *r, const uint8_t *k, const ec_limb_t *table)
{
    const unsigned nl = c->p.n;
    ec_point_t q, t;
    ec_limb_t xy[2 * EC_MAX_LIMBS];
    int8_t d[EC_COMB_DIGITS(EC_MAX_BITS)];
    const size_t nd = recode(c, d, k, EC_COMB_WINDOW);

    memset(&q, 0, sizeof q); /* the projective identity (0 : 1 : 0) */
    ec_mont_one(&c->p, q.y);
    for (size_t col = 4; col-- > 0;) {
        if (col != 3)
            ec_point_proj_double_n(c, &q, &q, EC_COMB_WINDOW);
        for (size_t row = 0; 4 * row + col < nd; row++) {
            uint32_t neg, mag = digit_abs(d[4 * row + col], &neg);
            lookup_affine(xy, table + row * EC_COMB_ENTRIES * 2 * nl, nl, mag);
            cond_negate_y(c, xy + nl, neg);
            ec_point_proj_add_affine(c, &t, &q, xy, xy + nl);
            ec_point_cmov(c, &q, &t, 1u ^ mamori_ct_is_zero32(mag));
        }
    }
    ec_point_proj_to_jacobian(c, r, &q);
    mamori_zeroize(&q, sizeof q);
    mamori_zeroize(&t, sizeof t);
    mamori_zeroize(xy, sizeof xy);
    mamori_zeroize(d, sizeof d);
}

void ec_mul_base(const ec_curve_t *c, ec_point_t *r, const uint8_t *k)
{
    comb(c, r, k, c->gtable);
}

void ec_mul_comb(const ec_curve_t *c, ec_point_t *r, const uint8_t *k, const ec_limb_t *table)
{
    comb(c, r, k, table);
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
 * multiples 1, 3, ..., 2^(w-1) - 1 of each base. With the fixed-base table,
 * G's come from its first row (j G for j = 1..EC_COMB_ENTRIES, affine), which
 * covers w = EC_COMB_WINDOW. The narrower windows with 32-bit limbs keep
 * the stack small on a microcontroller.
 */
#define VT_WINDOW (EC_LIMB_BITS == 64 ? 5 : 3)
#define VT_TABLE (1 << (VT_WINDOW - 2))
#if MAMORI_EC_GTABLE
#define VT_WINDOW_G EC_COMB_WINDOW
#else
#define VT_WINDOW_G VT_WINDOW
#endif
/* Both scalars' digits at a position share one element: two 4-bit two's
 * complement halves when both windows allow (microcontrollers: a small
 * stack), two 8-bit halves otherwise. */
#if VT_WINDOW <= 4 && VT_WINDOW_G <= 4
typedef uint8_t vt_digits_t;
#define VT_HALF 4
#else
typedef uint16_t vt_digits_t;
#define VT_HALF 8
#endif
#define VT_HALF_MASK ((1u << VT_HALF) - 1)

/* Writes the width-w NAF of the big-endian k (len bytes) into half `half`
 * of d[0..8 len] (pre-zeroed). A window starts where bit + carry is odd;
 * its w bits plus the carry give an odd value v, taken as v or v - 2^w
 * (carrying 1 into the next window). */
static void wnaf(vt_digits_t *d, const uint8_t *k, size_t len, unsigned w, unsigned half)
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
        for (unsigned j = 0; j < w && i + j < bits; j++)
            v += scalar_bits(k, len, i + j, 1) << j;
        carry = v >> (w - 1);
        uint32_t digit = v - (carry << w);
        d[i] |= (vt_digits_t)((digit & VT_HALF_MASK) << (VT_HALF * half));
        i += w;
    }
}

static int vt_digit(const vt_digits_t *d, size_t i, unsigned half)
{
    int v = (int)((d[i] >> (VT_HALF * half)) & VT_HALF_MASK);
    return v > (int)(VT_HALF_MASK >> 1) ? v - (int)(VT_HALF_MASK + 1) : v;
}

/* q += a, any a (public values) */
static void add_vartime(const ec_curve_t *c, ec_point_t *q, const ec_point_t *a)
{
    if (ec_point_add_partial(c, q, q, a))
        ec_point_double_n(c, q, a, 1);
}

/* t[j] = (2j + 1) a */
static void odd_multiples(const ec_curve_t *c, ec_point_t *t, const ec_point_t *a, size_t n)
{
    ec_point_t twice;
    ec_point_double_n(c, &twice, a, 1);
    t[0] = *a;
    for (size_t j = 1; j < n; j++) {
        t[j] = t[j - 1];
        add_vartime(c, &t[j], &twice);
    }
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
    add_vartime(c, q, m);
    if (digit < 0)
        negate(c, m->y);
}

#if MAMORI_EC_GTABLE
/* q += digit P from a comb table row (j P at j - 1), digit nonzero */
EC_SHARED void add_row_entry(const ec_curve_t *c, ec_point_t *q, const ec_limb_t *row, int digit)
{
    const unsigned nl = c->p.n;
    const ec_limb_t *e = row + (size_t)((digit < 0 ? -digit : digit) - 1) * 2 * nl;
    ec_fe_t y;
    memcpy(y, e + nl, nl * sizeof(ec_limb_t));
    if (digit < 0)
        negate(c, y);
    if (ec_point_add_affine_partial(c, q, q, e, y)) { /* q = 2 (x, y) */
        memcpy(q->x, e, nl * sizeof(ec_limb_t));
        memcpy(q->y, y, sizeof y);
        ec_mont_one(&c->p, q->z);
        ec_point_double_n(c, q, q, 1);
    }
}
#endif

void ec_mul2_vartime(const ec_curve_t *c, ec_point_t *r, const uint8_t *u1, const uint8_t *u2,
                     const ec_point_t *a)
{
    const size_t len = ec_curve_bytes(c), bits = 8 * len;
    ec_point_t ta[VT_TABLE], q;
    vt_digits_t d[EC_MAX_BITS + 1];
#if !MAMORI_EC_GTABLE
    ec_point_t tg[VT_TABLE];
    ec_point_generator(c, &q);
    odd_multiples(c, tg, &q, VT_TABLE);
#endif
    memset(d, 0, sizeof d);
    wnaf(d, u1, len, VT_WINDOW_G, 0);
    wnaf(d, u2, len, VT_WINDOW, 1);
    odd_multiples(c, ta, a, VT_TABLE);

    unsigned pending = 0; /* doublings owed to q, batched */
    int started = 0;
    ec_point_identity(c, &q);
    for (size_t i = bits + 1; i-- > 0;) {
        pending += started != 0;
        if (d[i] == 0)
            continue;
        ec_point_double_n(c, &q, &q, pending);
        pending = 0;
        int dg = vt_digit(d, i, 0), da = vt_digit(d, i, 1);
        if (dg != 0) {
#if MAMORI_EC_GTABLE
            add_row_entry(c, &q, c->gtable, dg);
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

#if MAMORI_EC_GTABLE
/* Both combs in ec_mul_comb's evaluation order, sharing one chain of 3 w
 * doublings; zero digits are skipped, and the Jacobian mixed additions
 * take the doubling in their one failing case. */
void ec_mul2_comb_vartime(const ec_curve_t *c, ec_point_t *r, const uint8_t *u1,
                          const uint8_t *u2, const ec_limb_t *table)
{
    const size_t row_len = (size_t)EC_COMB_ENTRIES * 2 * c->p.n;
    int8_t d1[EC_COMB_DIGITS(EC_MAX_BITS)], d2[EC_COMB_DIGITS(EC_MAX_BITS)];
    const size_t nd = recode(c, d1, u1, EC_COMB_WINDOW);
    (void)recode(c, d2, u2, EC_COMB_WINDOW);

    ec_point_identity(c, r);
    for (size_t col = 4; col-- > 0;) {
        if (col != 3)
            ec_point_double_n(c, r, r, EC_COMB_WINDOW);
        for (size_t row = 0; 4 * row + col < nd; row++) {
            if (d1[4 * row + col] != 0)
                add_row_entry(c, r, c->gtable + row * row_len, d1[4 * row + col]);
            if (d2[4 * row + col] != 0)
                add_row_entry(c, r, table + row * row_len, d2[4 * row + col]);
        }
    }
}
#endif

#endif
