/*
 * Poly1305 (RFC 8439 2.5): h = (h + block) * r mod 2^130 - 5, tag = h + s.
 * With unsigned __int128 the accumulator is three limbs of 44, 44 and 42
 * bits (products summed in 128 bits); otherwise five 26-bit limbs (products
 * summed in 64 bits). 2^130 = 5 mod p folds the high limbs back. No branch
 * depends on data.
 */
#include "mamori/chachapoly.h"

#include "mamori/config.h"

#if MAMORI_CHACHAPOLY

#include "mamori/ct.h"

#include <string.h>

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 poly_u128;

#define M44 0xfffffffffffu
#define M42 0x3ffffffffffu

static uint64_t get_le64(const uint8_t *p)
{
    return (uint64_t)get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

/* d += a * x, as limb products; those at 2^132 and above wrap to
 * 2^132 = 4 * 2^130 = 4 * 5 mod p. Limbs of a and x stay below 2^45, so a
 * term is below 20 * 2^90 < 2^95 and a sum of six fits easily. */
static inline void mul_acc(poly_u128 d[3], const uint64_t a[3], const uint64_t x[3])
{
    const uint64_t s1 = x[1] * 20, s2 = x[2] * 20;
    d[0] += (poly_u128)a[0] * x[0] + (poly_u128)a[1] * s2 + (poly_u128)a[2] * s1;
    d[1] += (poly_u128)a[0] * x[1] + (poly_u128)a[1] * x[0] + (poly_u128)a[2] * s2;
    d[2] += (poly_u128)a[0] * x[2] + (poly_u128)a[1] * x[1] + (poly_u128)a[2] * x[0];
}

/* h = d, carried to limbs of 44, 44 (plus a few bits) and 42 bits. */
static inline void carry(uint64_t h[3], poly_u128 d[3])
{
    d[1] += (uint64_t)(d[0] >> 44);
    d[2] += (uint64_t)(d[1] >> 44);
    uint64_t h0 = ((uint64_t)d[0] & M44) + (uint64_t)(d[2] >> 42) * 5;
    h[1] = ((uint64_t)d[1] & M44) + (h0 >> 44);
    h[0] = h0 & M44;
    h[2] = (uint64_t)d[2] & M42;
}

/* A 16-byte block as limbs; hibit is 1 for the 0x01 byte appended to full
 * blocks (2^128, bit 40 of the top limb), 0 for a final block padded by the
 * caller. */
static inline void load_block(uint64_t b[3], const uint8_t m[16], uint64_t hibit)
{
    uint64_t t0 = get_le64(m), t1 = get_le64(m + 8);
    b[0] = t0 & M44;
    b[1] = ((t0 >> 44) | (t1 << 20)) & M44;
    b[2] = (t1 >> 24) | (hibit << 40);
}

/* r is clamped (2.5.1): the masks merge the clamp into the limb split. */
static void set_r(mamori_poly1305_t *st, const uint8_t key[16])
{
    uint64_t t0 = get_le64(key), t1 = get_le64(key + 8);
    poly_u128 d[3] = {0, 0, 0};
    st->r[0] = t0 & 0xffc0fffffffu;
    st->r[1] = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffffu;
    st->r[2] = (t1 >> 24) & 0xffffffc0fu;
    mul_acc(d, st->r, st->r);
    carry(st->r_sq, d);
}

/* Absorbs nblocks blocks (see load_block for hibit). Pairs of blocks go as
 * h = (h + m1) r^2 + m2 r: two independent products per carry chain. */
static void poly1305_blocks(mamori_poly1305_t *st, const uint8_t *m, size_t nblocks,
                            uint64_t hibit)
{
    uint64_t h[3] = {st->h[0], st->h[1], st->h[2]}, a[3], b[3];
    for (; nblocks >= 2; nblocks -= 2, m += 32) {
        poly_u128 d[3] = {0, 0, 0};
        load_block(a, m, hibit);
        load_block(b, m + 16, hibit);
        for (unsigned i = 0; i < 3; i++)
            a[i] += h[i];
        mul_acc(d, a, st->r_sq);
        mul_acc(d, b, st->r);
        carry(h, d);
    }
    if (nblocks > 0) {
        poly_u128 d[3] = {0, 0, 0};
        load_block(a, m, hibit);
        for (unsigned i = 0; i < 3; i++)
            a[i] += h[i];
        mul_acc(d, a, st->r);
        carry(h, d);
    }
    for (unsigned i = 0; i < 3; i++)
        st->h[i] = h[i];
}

/* h fully reduced mod p, as four little-endian 32-bit words. */
static void final_h(const mamori_poly1305_t *st, uint32_t w[4])
{
    uint64_t h0 = st->h[0], h1 = st->h[1], h2 = st->h[2];
    h2 += h1 >> 44;
    h1 &= M44;
    h0 += (h2 >> 42) * 5;
    h2 &= M42;
    h1 += h0 >> 44;
    h0 &= M44;
    h2 += h1 >> 44;
    h1 &= M44;

    /* Subtract p if h >= p (constant-time select). */
    uint64_t g0 = h0 + 5;
    uint64_t g1 = h1 + (g0 >> 44);
    uint64_t g2 = h2 + (g1 >> 44) - ((uint64_t)1 << 42);
    uint64_t use_g = (g2 >> 63) - 1; /* all ones when h + 5 - 2^130 >= 0 */
    h0 = (h0 & ~use_g) | (g0 & M44 & use_g);
    h1 = (h1 & ~use_g) | (g1 & M44 & use_g);
    h2 = (h2 & ~use_g) | (g2 & use_g);

    uint64_t lo = h0 | (h1 << 44), hi = (h1 >> 20) | (h2 << 24);
    w[0] = (uint32_t)lo;
    w[1] = (uint32_t)(lo >> 32);
    w[2] = (uint32_t)hi;
    w[3] = (uint32_t)(hi >> 32);
}
#else
#define LIMB 0x3ffffffu

/* r is clamped (2.5.1): the masks merge the clamp into the limb split. */
static void set_r(mamori_poly1305_t *st, const uint8_t key[16])
{
    st->r[0] = get_le32(key) & 0x3ffffff;
    st->r[1] = (get_le32(key + 3) >> 2) & 0x3ffff03;
    st->r[2] = (get_le32(key + 6) >> 4) & 0x3ffc0ff;
    st->r[3] = (get_le32(key + 9) >> 6) & 0x3f03fff;
    st->r[4] = (get_le32(key + 12) >> 8) & 0x00fffff;
}

/* Absorbs one 16-byte block; hibit is 1 for the 0x01 byte appended to full
 * blocks (2^128, bit 24 of the top limb), 0 for a final block padded by the
 * caller. */
static void poly1305_block(mamori_poly1305_t *st, const uint8_t m[16], uint32_t hibit)
{
    const uint32_t r0 = st->r[0], r1 = st->r[1], r2 = st->r[2], r3 = st->r[3], r4 = st->r[4];
    const uint32_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
    uint32_t h0 = st->h[0] + (get_le32(m) & LIMB);
    uint32_t h1 = st->h[1] + ((get_le32(m + 3) >> 2) & LIMB);
    uint32_t h2 = st->h[2] + ((get_le32(m + 6) >> 4) & LIMB);
    uint32_t h3 = st->h[3] + ((get_le32(m + 9) >> 6) & LIMB);
    uint32_t h4 = st->h[4] + ((get_le32(m + 12) >> 8) | (hibit << 24));

    uint64_t d0 = (uint64_t)h0 * r0 + (uint64_t)h1 * s4 + (uint64_t)h2 * s3 + (uint64_t)h3 * s2 +
                  (uint64_t)h4 * s1;
    uint64_t d1 = (uint64_t)h0 * r1 + (uint64_t)h1 * r0 + (uint64_t)h2 * s4 + (uint64_t)h3 * s3 +
                  (uint64_t)h4 * s2;
    uint64_t d2 = (uint64_t)h0 * r2 + (uint64_t)h1 * r1 + (uint64_t)h2 * r0 + (uint64_t)h3 * s4 +
                  (uint64_t)h4 * s3;
    uint64_t d3 = (uint64_t)h0 * r3 + (uint64_t)h1 * r2 + (uint64_t)h2 * r1 + (uint64_t)h3 * r0 +
                  (uint64_t)h4 * s4;
    uint64_t d4 = (uint64_t)h0 * r4 + (uint64_t)h1 * r3 + (uint64_t)h2 * r2 + (uint64_t)h3 * r1 +
                  (uint64_t)h4 * r0;

    d1 += d0 >> 26;
    d2 += d1 >> 26;
    d3 += d2 >> 26;
    d4 += d3 >> 26;
    h0 = ((uint32_t)d0 & LIMB) + (uint32_t)(d4 >> 26) * 5;
    st->h[1] = ((uint32_t)d1 & LIMB) + (h0 >> 26);
    st->h[0] = h0 & LIMB;
    st->h[2] = (uint32_t)d2 & LIMB;
    st->h[3] = (uint32_t)d3 & LIMB;
    st->h[4] = (uint32_t)d4 & LIMB;
}

static void poly1305_blocks(mamori_poly1305_t *st, const uint8_t *m, size_t nblocks,
                            uint32_t hibit)
{
    for (; nblocks > 0; nblocks--, m += 16)
        poly1305_block(st, m, hibit);
}

/* h fully reduced mod p, as four little-endian 32-bit words. */
static void final_h(const mamori_poly1305_t *st, uint32_t w[4])
{
    uint32_t h0 = st->h[0], h1 = st->h[1], h2 = st->h[2], h3 = st->h[3], h4 = st->h[4];
    h2 += h1 >> 26;
    h1 &= LIMB;
    h3 += h2 >> 26;
    h2 &= LIMB;
    h4 += h3 >> 26;
    h3 &= LIMB;
    h0 += (h4 >> 26) * 5;
    h4 &= LIMB;
    h1 += h0 >> 26;
    h0 &= LIMB;

    /* Subtract p if h >= p (constant-time select). */
    uint32_t g0 = h0 + 5;
    uint32_t g1 = h1 + (g0 >> 26);
    uint32_t g2 = h2 + (g1 >> 26);
    uint32_t g3 = h3 + (g2 >> 26);
    uint32_t g4 = h4 + (g3 >> 26) - (1u << 26);
    uint32_t use_g = (g4 >> 31) - 1; /* all ones when h + 5 - 2^130 >= 0 */
    h0 = (h0 & ~use_g) | (g0 & LIMB & use_g);
    h1 = (h1 & ~use_g) | (g1 & LIMB & use_g);
    h2 = (h2 & ~use_g) | (g2 & LIMB & use_g);
    h3 = (h3 & ~use_g) | (g3 & LIMB & use_g);
    h4 = (h4 & ~use_g) | (g4 & use_g);

    w[0] = h0 | (h1 << 26);
    w[1] = (h1 >> 6) | (h2 << 20);
    w[2] = (h2 >> 12) | (h3 << 14);
    w[3] = (h3 >> 18) | (h4 << 8);
}
#endif

void mamori_poly1305_init(mamori_poly1305_t *st, const uint8_t key[32])
{
    set_r(st, key);
    for (unsigned i = 0; i < 4; i++)
        st->pad[i] = get_le32(key + 16 + 4 * i);
    memset(st->h, 0, sizeof st->h);
    st->buf_len = 0;
}

void mamori_poly1305_update(mamori_poly1305_t *st, const uint8_t *data, size_t len)
{
    if (len == 0)
        return;
    if (st->buf_len > 0) {
        size_t n = 16 - st->buf_len < len ? 16 - st->buf_len : len;
        memcpy(st->buf + st->buf_len, data, n);
        st->buf_len += n;
        data += n;
        len -= n;
        if (st->buf_len < 16)
            return;
        poly1305_blocks(st, st->buf, 1, 1);
        st->buf_len = 0;
    }
    poly1305_blocks(st, data, len / 16, 1);
    data += len - len % 16;
    len %= 16;
    if (len > 0) {
        memcpy(st->buf, data, len);
        st->buf_len = len;
    }
}

void mamori_poly1305_finish(mamori_poly1305_t *st, uint8_t tag[16])
{
    if (st->buf_len > 0) {
        /* A short final block gets its 0x01 byte inline (2.5.1). */
        memset(st->buf + st->buf_len, 0, 16 - st->buf_len);
        st->buf[st->buf_len] = 1;
        poly1305_blocks(st, st->buf, 1, 0);
    }

    /* tag = (h + s) mod 2^128 */
    uint32_t w[4];
    final_h(st, w);
    uint64_t acc = 0;
    for (unsigned i = 0; i < 4; i++) {
        acc += (uint64_t)w[i] + st->pad[i];
        tag[4 * i] = (uint8_t)acc;
        tag[4 * i + 1] = (uint8_t)(acc >> 8);
        tag[4 * i + 2] = (uint8_t)(acc >> 16);
        tag[4 * i + 3] = (uint8_t)(acc >> 24);
        acc >>= 32;
    }
    mamori_zeroize(w, sizeof w);
    mamori_zeroize(st, sizeof *st);
}

#endif
