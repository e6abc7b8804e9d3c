/*
 * GHASH with a constant-time carry-less multiply.
 *
 * Carry-less products come from ordinary integer multiplications of
 * operands masked to every k-th bit: a column of such a product sums few
 * enough one-bit terms that its carries stay inside the k - 1 zero bits that
 * separate columns, and masking the result keeps the exact parity. With
 * unsigned __int128 (64-bit hosts) k = 5 and operands are 64 bits; otherwise
 * k = 4 and operands are 32 bits, which needs only a constant-time
 * 32x32->64 multiplier (true of x86-64, AArch64 and Cortex-M4 UMULL; not of
 * Cortex-M3). No table is indexed by secret data.
 *
 * Blocks are read as big-endian integers, which holds the field element
 * bit-reflected (the first bit of the block is the x^0 coefficient). The
 * carry-less product of two reflected values is the reflected product
 * shifted right by one bit, fixed up below before reducing.
 */
#include "ghash.h"

#include "mamori/config.h"

#if MAMORI_GCM

#include "mamori/ct.h"

#include <string.h>

/* Table-aided hashing of long inputs: on 64-bit hosts unless optimising for
 * size (see ghash_aggregated). */
#ifndef MAMORI_GHASH_TABLES
#if defined(__SIZEOF_INT128__) && !defined(__OPTIMIZE_SIZE__)
#define MAMORI_GHASH_TABLES 1
#else
#define MAMORI_GHASH_TABLES 0
#endif
#endif

static uint64_t get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 ghash_u128;

/* Bits 5j + i of a word, i < 5. */
static const uint64_t class_mask[5] = {0x1084210842108421u, 0x2108421084210842u,
                                       0x4210842108421084u, 0x8421084210842108u,
                                       0x0842108421084210u};

/* An operand split into its five bit classes, prepared once per call for
 * the hash key. */
typedef struct {
    uint64_t m[5];
} clmul_operand_t;

static inline void split(clmul_operand_t *o, uint64_t x)
{
    for (unsigned i = 0; i < 5; i++)
        o->m[i] = x & class_mask[i];
}

/* 64x64 -> 128 carry-less multiply: a column of the integer product of two
 * class-masked words sums at most 13 one-bit terms, below 2^5. */
static inline void clmul64(uint64_t x, const clmul_operand_t *y, uint64_t *hi, uint64_t *lo)
{
    clmul_operand_t xm;
    uint64_t h = 0, l = 0;
    split(&xm, x);
    for (unsigned c = 0; c < 5; c++) {
        ghash_u128 z = 0;
        for (unsigned i = 0; i < 5; i++)
            z ^= (ghash_u128)xm.m[i] * y->m[(c + 5 - i) % 5];
        /* Bit 64 + j is in class c when j is in class c + 1 (64 = 4 mod 5). */
        l |= (uint64_t)z & class_mask[c];
        h |= (uint64_t)(z >> 64) & class_mask[(c + 1) % 5];
    }
    *hi = h;
    *lo = l;
}
#else
typedef struct {
    uint64_t v;
} clmul_operand_t;

static inline void split(clmul_operand_t *o, uint64_t x) { o->v = x; }

/* 32x32 -> 64 carry-less multiply: columns of at most 8 terms, below 2^4. */
static uint64_t clmul32(uint32_t x, uint32_t y)
{
    const uint32_t m0 = 0x11111111u, m1 = 0x22222222u, m2 = 0x44444444u, m3 = 0x88888888u;
    uint64_t x0 = x & m0, x1 = x & m1, x2 = x & m2, x3 = x & m3;
    uint64_t y0 = y & m0, y1 = y & m1, y2 = y & m2, y3 = y & m3;
    uint64_t z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
    uint64_t z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
    uint64_t z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
    uint64_t z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
    return (z0 & 0x1111111111111111u) | (z1 & 0x2222222222222222u) |
           (z2 & 0x4444444444444444u) | (z3 & 0x8888888888888888u);
}

/* 64x64 -> 128 carry-less multiply (Karatsuba on 32-bit halves). */
static void clmul64(uint64_t x, const clmul_operand_t *yo, uint64_t *hi, uint64_t *lo)
{
    uint64_t y = yo->v;
    uint32_t x0 = (uint32_t)x, x1 = (uint32_t)(x >> 32);
    uint32_t y0 = (uint32_t)y, y1 = (uint32_t)(y >> 32);
    uint64_t a = clmul32(x0, y0), b = clmul32(x1, y1);
    uint64_t c = clmul32(x0 ^ x1, y0 ^ y1) ^ a ^ b;
    *lo = a ^ (c << 32);
    *hi = b ^ (c >> 32);
}
#endif

/* The hash key's halves h1:h0 and h0 ^ h1, for Karatsuba. */
typedef struct {
    clmul_operand_t h0, h1, hx;
} ghash_key_t;

/* (y1:y0) = (y1:y0) * (h1:h0), all values bit-reflected. */
static inline void gf128_mul(uint64_t *y1, uint64_t *y0, const ghash_key_t *k)
{
    uint64_t p0h, p0l, p1h, p1l, p2h, p2l;
    clmul64(*y0, &k->h0, &p0h, &p0l);
    clmul64(*y1, &k->h1, &p2h, &p2l);
    clmul64(*y0 ^ *y1, &k->hx, &p1h, &p1l);
    p1h ^= p0h ^ p2h;
    p1l ^= p0l ^ p2l;

    /* 256-bit product z3:z2:z1:z0, shifted left one bit to undo the
     * reflection offset. */
    uint64_t z3 = p2h, z2 = p2l ^ p1h, z1 = p0h ^ p1l, z0 = p0l;
    z3 = (z3 << 1) | (z2 >> 63);
    z2 = (z2 << 1) | (z1 >> 63);
    z1 = (z1 << 1) | (z0 >> 63);
    z0 <<= 1;

    /* z1:z0 holds the coefficients of x^128..x^255 (reflected). Fold them
     * with x^128 = x^7 + x^2 + x + 1: first the few bits that would land at
     * x^128 and above again, then the whole half. Multiplying by x^k is a
     * right shift by k in the reflected order. */
    z1 ^= (z0 << 63) ^ (z0 << 62) ^ (z0 << 57);
    z3 ^= z1 ^ (z1 >> 1) ^ (z1 >> 2) ^ (z1 >> 7);
    z2 ^= z0 ^ (z0 >> 1) ^ (z0 >> 2) ^ (z0 >> 7) ^ (z1 << 63) ^ (z1 << 62) ^ (z1 << 57);
    *y1 = z3;
    *y0 = z2;
}

#if MAMORI_GHASH_TABLES
/*
 * Aggregated GHASH for long inputs (64-bit hosts). Unrolling y = (y ^ X) * H
 * over GHASH_AGG blocks X1..Xa gives
 *     y' = (y ^ X1) * H^a ^ X2 * H^(a-1) ^ ... ^ Xa * H:
 * the term holding the secret y takes the constant-time multiply above, once
 * per a blocks. The others multiply blocks of public data (AAD and
 * ciphertext, see ghash.h) by secret powers of H through tables of n * H^k
 * for every 4-bit polynomial n, indexed by the blocks' nibbles, Horner-style
 * over the 32 nibble positions: an address depends only on public data, never
 * on H or y, and the shift by x^4 is shared by the a - 1 blocks.
 */
#define GHASH_AGG 8
/* The tables cost a - 1 multiplies (the powers of H): with 2 groups of
 * blocks that is more than they save, with 3 less (measured on x86-64). */
#define GHASH_TABLE_MIN (3 * 16 * GHASH_AGG)

typedef struct {
    uint64_t hi, lo; /* as y1, y0 */
} gf128_t;

typedef struct {
    /* n * H^k in hi[k - 1][n] and lo[k - 1][n] (as y1, y0; two arrays of
     * words index with a single scaled load). n's bit 3 is its x^0
     * coefficient, as the high bit of a nibble of a block is. */
    uint64_t hi[GHASH_AGG - 1][16], lo[GHASH_AGG - 1][16];
    ghash_key_t top; /* H^a */
} ghash_tables_t;

/* v * x (reflected: a right shift), reduced by x^128 = x^7 + x^2 + x + 1. */
static gf128_t mul_x(gf128_t v)
{
    uint64_t carry = 0u - (v.lo & 1);
    gf128_t r = {(v.hi >> 1) ^ (carry & 0xe100000000000000u), (v.lo >> 1) | (v.hi << 63)};
    return r;
}

static void build_tables(ghash_tables_t *t, const ghash_key_t *k, uint64_t h1, uint64_t h0)
{
    gf128_t p = {h1, h0};
    for (unsigned i = 0; i < GHASH_AGG - 1; i++) {
        uint64_t *hi = t->hi[i], *lo = t->lo[i];
        gf128_t c = p;
        hi[0] = lo[0] = 0;
        for (unsigned n = 8; n > 0; n >>= 1) {
            hi[n] = c.hi;
            lo[n] = c.lo;
            c = mul_x(c);
        }
        for (unsigned n = 3; n < 16; n++) {
            unsigned low = n & (0u - n);
            if (n != low) {
                hi[n] = hi[n ^ low] ^ hi[low];
                lo[n] = lo[n ^ low] ^ lo[low];
            }
        }
        gf128_mul(&p.hi, &p.lo, k);
    }
    split(&t->top.h0, p.lo);
    split(&t->top.h1, p.hi);
    split(&t->top.hx, p.lo ^ p.hi);
}

/* (a1:a0) *= x^4; the four bits shifted out (x^128..x^131) fold back with
 * x^128 = x^7 + x^2 + x + 1, below x^11, so once is enough. */
static inline void mul_x4(uint64_t *a1, uint64_t *a0)
{
    uint64_t out = *a0 & 15;
    *a0 = (*a0 >> 4) | (*a1 << 60);
    *a1 = (*a1 >> 4) ^ (out << 60) ^ (out << 59) ^ (out << 58) ^ (out << 53);
}

/* gf128_mul by H^a, kept out of line: inlined into the loop below it
 * costs gcc registers the nibble sums need (measured 10% slower). */
static void __attribute__((noinline)) mul_top(uint64_t *y1, uint64_t *y0, const ghash_tables_t *t)
{
    gf128_mul(y1, y0, &t->top);
}

/* Hashes the whole groups of GHASH_AGG blocks at the start of data. */
static size_t ghash_aggregated(uint64_t *y1, uint64_t *y0, const ghash_key_t *k, uint64_t h1,
                               uint64_t h0, const uint8_t *data, size_t len)
{
    ghash_tables_t t;
    size_t done = 0;
    build_tables(&t, k, h1, h0);
    for (; len - done >= 16 * GHASH_AGG; done += 16 * GHASH_AGG) {
        const uint8_t *p = data + done;
        uint64_t a1 = 0, a0 = 0;
        /* The highest powers of x sit in the last byte, low nibble. */
        for (unsigned i = 16; i-- > 0;) {
            uint64_t lo1 = 0, lo0 = 0, hi1 = 0, hi0 = 0;
            for (unsigned b = 1; b < GHASH_AGG; b++) {
                unsigned byte = p[16 * b + i], pw = GHASH_AGG - 1 - b;
                lo1 ^= t.hi[pw][byte & 15];
                lo0 ^= t.lo[pw][byte & 15];
                hi1 ^= t.hi[pw][byte >> 4];
                hi0 ^= t.lo[pw][byte >> 4];
            }
            mul_x4(&a1, &a0);
            a1 ^= lo1;
            a0 ^= lo0;
            mul_x4(&a1, &a0);
            a1 ^= hi1;
            a0 ^= hi0;
        }
        *y1 ^= get_be64(p);
        *y0 ^= get_be64(p + 8);
        mul_top(y1, y0, &t);
        *y1 ^= a1;
        *y0 ^= a0;
    }
    mamori_zeroize(&t, sizeof t);
    return done;
}
#endif

void mamori_ghash(uint8_t y[16], const uint8_t h[16], const uint8_t *data, size_t len)
{
    ghash_key_t k;
    uint8_t block[16] = {0};
    uint64_t h1 = get_be64(h), h0 = get_be64(h + 8);
    uint64_t y1 = get_be64(y), y0 = get_be64(y + 8);
    split(&k.h0, h0);
    split(&k.h1, h1);
    split(&k.hx, h0 ^ h1);
#if MAMORI_GHASH_TABLES
    if (len >= GHASH_TABLE_MIN) {
        size_t done = ghash_aggregated(&y1, &y0, &k, h1, h0, data, len);
        data += done;
        len -= done;
    }
#endif
    while (len > 0) {
        /* Only the last block may be short: it is zero-padded (6.4). */
        const uint8_t *p = data;
        size_t n = len < 16 ? len : 16;
        if (n < 16) {
            memcpy(block, data, n);
            p = block;
        }
        y1 ^= get_be64(p);
        y0 ^= get_be64(p + 8);
        gf128_mul(&y1, &y0, &k);
        data += n;
        len -= n;
    }
    put_be64(y, y1);
    put_be64(y + 8, y0);
    mamori_zeroize(&k, sizeof k);
}

#endif
