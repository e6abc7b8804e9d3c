/*
 * Scalars mod L for Ed25519. Reduction works a byte at a time from the most
 * significant end: with r < L, r' = 256 r + byte < 2^261 is split as
 * q 2^252 + low, and since 2^252 = -c (mod L) with c = L - 2^252 < 2^125,
 * r' = low - q c (mod L), a value in (-2^134, 2^252) that one conditional
 * addition of L brings into [0, L). No step branches on the data.
 */
#include "mamori/config.h"

#if MAMORI_ED25519

#include "crypto/scalar25519.h"

#include "mamori/ct.h"

static const uint32_t L_WORDS[8] = {0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de,
                                    0,          0,          0,          0x10000000};

static void load_words(uint32_t *w, const uint8_t *in, int nwords)
{
    for (int i = 0; i < nwords; i++)
        w[i] = (uint32_t)in[4 * i] | ((uint32_t)in[4 * i + 1] << 8) |
               ((uint32_t)in[4 * i + 2] << 16) | ((uint32_t)in[4 * i + 3] << 24);
}

static void store_words(uint8_t out[32], const uint32_t w[8])
{
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
}

/* r = x mod L for an x of nwords 32-bit words. */
static void reduce_words(uint32_t r[8], const uint32_t *x, int nwords)
{
    for (int i = 0; i < 8; i++)
        r[i] = 0;
    for (int byte = 4 * nwords - 1; byte >= 0; byte--) {
        /* r = 256 r + next byte; the top 9 bits of the 261-bit result form q. */
        uint32_t q = r[7] >> 24;
        for (int i = 7; i > 0; i--)
            r[i] = (r[i] << 8) | (r[i - 1] >> 24);
        r[0] = (r[0] << 8) | ((x[byte / 4] >> (8 * (byte % 4))) & 0xff);
        q = (q << 4) | (r[7] >> 28);
        r[7] &= 0x0fffffff;

        /* r -= q * c; q c < 2^134 so the borrow runs through all words. */
        uint64_t mul = 0;
        uint32_t borrow = 0;
        for (int i = 0; i < 8; i++) {
            mul += (uint64_t)q * (i < 4 ? L_WORDS[i] : 0);
            uint64_t d = (uint64_t)r[i] - (uint32_t)mul - borrow;
            r[i] = (uint32_t)d;
            borrow = (uint32_t)(d >> 63);
            mul >>= 32;
        }
        /* A negative result (borrow out) gets L added back. */
        uint32_t mask = 0u - borrow;
        uint64_t carry = 0;
        for (int i = 0; i < 8; i++) {
            carry += (uint64_t)r[i] + (L_WORDS[i] & mask);
            r[i] = (uint32_t)carry;
            carry >>= 32;
        }
    }
}

void sc25519_reduce(uint8_t out[32], const uint8_t in[64])
{
    uint32_t x[16], r[8];
    load_words(x, in, 16);
    reduce_words(r, x, 16);
    store_words(out, r);
    mamori_zeroize(x, sizeof x);
    mamori_zeroize(r, sizeof r);
}

void sc25519_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32])
{
    uint32_t x[8], y[8], t[16] = {0}, r[8];
    load_words(x, a, 8);
    load_words(y, b, 8);
    load_words(t, c, 8);
    /* t = c + a * b < 2^253 * 2^256 + 2^253 fits in 512 bits. */
    for (int i = 0; i < 8; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 8; j++) {
            carry += (uint64_t)x[i] * y[j] + t[i + j];
            t[i + j] = (uint32_t)carry;
            carry >>= 32;
        }
        for (int k = i + 8; k < 16; k++) {
            carry += t[k];
            t[k] = (uint32_t)carry;
            carry >>= 32;
        }
    }
    reduce_words(r, t, 16);
    store_words(out, r);
    mamori_zeroize(x, sizeof x);
    mamori_zeroize(y, sizeof y);
    mamori_zeroize(t, sizeof t);
    mamori_zeroize(r, sizeof r);
}

uint32_t sc25519_is_canonical(const uint8_t s[32])
{
    uint32_t w[8], borrow = 0;
    load_words(w, s, 8);
    for (int i = 0; i < 8; i++) {
        uint64_t d = (uint64_t)w[i] - L_WORDS[i] - borrow;
        borrow = (uint32_t)(d >> 63);
    }
    return borrow; /* s - L borrowed exactly when s < L */
}

#endif
