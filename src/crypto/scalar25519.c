/*
 * Scalars mod L for Ed25519, as 32-bit words: 512-bit values are reduced by
 * Barrett's method. No step branches on or indexes memory by the data.
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

/* floor(2^512 / L), the Barrett constant. */
static const uint32_t MU_WORDS[9] = {0x0a2c131b, 0xed9ce5a3, 0x086329a7, 0x2106215d, 0xffffffeb,
                                     0xffffffff, 0xffffffff, 0xffffffff, 0x0000000f};

/* out = a * b mod 2^(32 nout), accumulated into out (zero on entry). The
 * loop bounds depend only on the word counts. */
static void mul_words(uint32_t *out, int nout, const uint32_t *a, int na, const uint32_t *b,
                      int nb)
{
    for (int i = 0; i < na && i < nout; i++) {
        uint64_t carry = 0;
        int j = 0;
        for (; j < nb && i + j < nout; j++) {
            carry += (uint64_t)a[i] * b[j] + out[i + j];
            out[i + j] = (uint32_t)carry;
            carry >>= 32;
        }
        if (i + j < nout)
            out[i + j] = (uint32_t)carry;
    }
}

/* r = r - L when r >= L, for r < 2^288 (nine words). */
static void sub_l_if_ge(uint32_t r[9])
{
    uint32_t d[9], borrow = 0;
    for (int i = 0; i < 9; i++) {
        uint64_t t = (uint64_t)r[i] - (i < 8 ? L_WORDS[i] : 0) - borrow;
        d[i] = (uint32_t)t;
        borrow = (uint32_t)(t >> 63);
    }
    uint32_t keep = 0u - borrow; /* all ones when r < L */
    for (int i = 0; i < 9; i++)
        r[i] = (r[i] & keep) | (d[i] & ~keep);
}

/* out = x mod L for a 16-word x: Barrett reduction with base 2^32 and
 * k = 8 words (Handbook of Applied Cryptography, alg. 14.42). The quotient
 * estimate q3 = floor(floor(x / 2^224) mu / 2^288) is at most 1 below the
 * true quotient: with mu = 2^512 / L - c, c < 0.23, the product before the
 * last floor exceeds x / L - c - 2^-27. So x - q3 L, taken mod 2^288, lies
 * in [0, 2L) and one conditional subtraction finishes (HAC allows for two
 * with a general modulus). */
static void reduce_words(uint32_t out[8], const uint32_t x[16])
{
    uint32_t q[18] = {0}, r[9] = {0};
    mul_words(q, 18, x + 7, 9, MU_WORDS, 9);
    mul_words(r, 9, q + 9, 9, L_WORDS, 8);
    uint32_t borrow = 0;
    for (int i = 0; i < 9; i++) {
        uint64_t t = (uint64_t)x[i] - r[i] - borrow;
        r[i] = (uint32_t)t;
        borrow = (uint32_t)(t >> 63);
    }
    sub_l_if_ge(r);
    for (int i = 0; i < 8; i++)
        out[i] = r[i];
    mamori_zeroize(q, sizeof q);
    mamori_zeroize(r, sizeof r);
}

void sc25519_reduce(uint8_t out[32], const uint8_t in[64])
{
    uint32_t x[16], r[8];
    load_words(x, in, 16);
    reduce_words(r, x);
    store_words(out, r);
    mamori_zeroize(x, sizeof x);
    mamori_zeroize(r, sizeof r);
}

void sc25519_muladd(uint8_t out[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32])
{
    uint32_t x[8], y[8], t[16] = {0}, r[8];
    load_words(x, a, 8);
    load_words(y, b, 8);
    load_words(r, c, 8);
    /* t = a * b + c < 2^253 * 2^256 + 2^253 fits in 512 bits. */
    mul_words(t, 16, x, 8, y, 8);
    uint64_t carry = 0;
    for (int i = 0; i < 16; i++) {
        carry += (uint64_t)t[i] + (i < 8 ? r[i] : 0);
        t[i] = (uint32_t)carry;
        carry >>= 32;
    }
    reduce_words(r, t);
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
