/*
 * Poly1305 (RFC 8439 2.5): h = (h + block) * r mod 2^130 - 5, tag = h + s.
 * The accumulator uses five 26-bit limbs so every product fits a 64-bit
 * sum; 2^130 = 5 mod p folds the high limbs back. No branch depends on data.
 */
#include "mamori/chachapoly.h"

#include "mamori/config.h"

#if MAMORI_CHACHAPOLY

#include "mamori/ct.h"

#include <string.h>

#define LIMB 0x3ffffffu

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

void mamori_poly1305_init(mamori_poly1305_t *st, const uint8_t key[32])
{
    /* r is clamped (2.5.1): the masks below merge the clamp into the limb
     * split. */
    st->r[0] = get_le32(key) & 0x3ffffff;
    st->r[1] = (get_le32(key + 3) >> 2) & 0x3ffff03;
    st->r[2] = (get_le32(key + 6) >> 4) & 0x3ffc0ff;
    st->r[3] = (get_le32(key + 9) >> 6) & 0x3f03fff;
    st->r[4] = (get_le32(key + 12) >> 8) & 0x00fffff;
    for (unsigned i = 0; i < 4; i++)
        st->pad[i] = get_le32(key + 16 + 4 * i);
    memset(st->h, 0, sizeof st->h);
    st->buf_len = 0;
}

/* Absorbs one 16-byte block; hibit is 2^24 in the top limb (the 0x01 byte
 * appended to full blocks), or 0 for a final block padded by the caller. */
static void poly1305_block(mamori_poly1305_t *st, const uint8_t m[16], uint32_t hibit)
{
    const uint32_t r0 = st->r[0], r1 = st->r[1], r2 = st->r[2], r3 = st->r[3], r4 = st->r[4];
    const uint32_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
    uint32_t h0 = st->h[0] + (get_le32(m) & LIMB);
    uint32_t h1 = st->h[1] + ((get_le32(m + 3) >> 2) & LIMB);
    uint32_t h2 = st->h[2] + ((get_le32(m + 6) >> 4) & LIMB);
    uint32_t h3 = st->h[3] + ((get_le32(m + 9) >> 6) & LIMB);
    uint32_t h4 = st->h[4] + ((get_le32(m + 12) >> 8) | hibit);

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
        poly1305_block(st, st->buf, 1u << 24);
        st->buf_len = 0;
    }
    while (len >= 16) {
        poly1305_block(st, data, 1u << 24);
        data += 16;
        len -= 16;
    }
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
        poly1305_block(st, st->buf, 0);
    }

    /* Fully carry h, then subtract p if h >= p (constant-time select). */
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

    /* tag = (h + s) mod 2^128 */
    uint32_t w[4] = {h0 | (h1 << 26), (h1 >> 6) | (h2 << 20), (h2 >> 12) | (h3 << 14),
                     (h3 >> 18) | (h4 << 8)};
    uint64_t acc = 0;
    for (unsigned i = 0; i < 4; i++) {
        acc += (uint64_t)w[i] + st->pad[i];
        tag[4 * i] = (uint8_t)acc;
        tag[4 * i + 1] = (uint8_t)(acc >> 8);
        tag[4 * i + 2] = (uint8_t)(acc >> 16);
        tag[4 * i + 3] = (uint8_t)(acc >> 24);
        acc >>= 32;
    }
    mamori_zeroize(st, sizeof *st);
}

#endif
