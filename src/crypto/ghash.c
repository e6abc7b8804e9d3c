/*
 * GHASH with a constant-time carry-less multiply.
 *
 * Carry-less products come from ordinary integer multiplications of
 * operands masked to every fourth bit: a column of such a product sums at
 * most 8 one-bit terms, so carries stay inside the three zero bits that
 * separate columns and masking the result keeps the exact parity. This needs
 * only a constant-time 32x32->64 multiplier (true of x86-64, AArch64 and
 * Cortex-M4 UMULL; not of Cortex-M3) and no secret-indexed table.
 *
 * Blocks are read as big-endian integers, which holds the field element
 * bit-reflected (the first bit of the block is the x^0 coefficient). The
 * carry-less product of two reflected values is the reflected product
 * shifted right by one bit, fixed up below before reducing.
 */
#include "ghash.h"

#include "mamori/config.h"

#if MAMORI_GCM

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

/* 32x32 -> 64 carry-less multiply. */
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
static void clmul64(uint64_t x, uint64_t y, uint64_t *hi, uint64_t *lo)
{
    uint32_t x0 = (uint32_t)x, x1 = (uint32_t)(x >> 32);
    uint32_t y0 = (uint32_t)y, y1 = (uint32_t)(y >> 32);
    uint64_t a = clmul32(x0, y0), b = clmul32(x1, y1);
    uint64_t c = clmul32(x0 ^ x1, y0 ^ y1) ^ a ^ b;
    *lo = a ^ (c << 32);
    *hi = b ^ (c >> 32);
}

/* (y1:y0) = (y1:y0) * (h1:h0), all values bit-reflected. */
static void gf128_mul(uint64_t *y1, uint64_t *y0, uint64_t h1, uint64_t h0)
{
    uint64_t p0h, p0l, p1h, p1l, p2h, p2l;
    clmul64(*y0, h0, &p0h, &p0l);
    clmul64(*y1, h1, &p2h, &p2l);
    clmul64(*y0 ^ *y1, h0 ^ h1, &p1h, &p1l);
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

void mamori_ghash(uint8_t y[16], const uint8_t h[16], const uint8_t *data, size_t len)
{
    uint64_t h1 = get_be64(h), h0 = get_be64(h + 8);
    uint64_t y1 = get_be64(y), y0 = get_be64(y + 8);
    while (len > 0) {
        uint8_t block[16] = {0};
        size_t n = len < 16 ? len : 16;
        for (size_t i = 0; i < n; i++)
            block[i] = data[i];
        y1 ^= get_be64(block);
        y0 ^= get_be64(block + 8);
        gf128_mul(&y1, &y0, h1, h0);
        data += n;
        len -= n;
    }
    put_be64(y, y1);
    put_be64(y + 8, y0);
}

#endif
