/* SHA-512 and SHA-384 (FIPS 180-4 §6.4, §6.5): one compression function, two
 * initial values; SHA-384 is SHA-512 truncated to 48 bytes.
 *
 * MAMORI_SHA512_SMALL selects the compression function like
 * MAMORI_SHA256_SMALL in sha256.c: 1 is one rolled loop, 0 is unrolled by
 * 16 rounds; the default is 1 on ARMv6-M/v7-M/v7E-M and when optimising for
 * size, 0 elsewhere. */
#include "mamori/sha2.h"

#if MAMORI_SHA512

#ifndef MAMORI_SHA512_SMALL
#if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__) || \
    defined(__OPTIMIZE_SIZE__)
#define MAMORI_SHA512_SMALL 1
#else
#define MAMORI_SHA512_SMALL 0
#endif
#endif

#include <string.h>

#include "core/cursor.h"
#include "mamori/crypto_backend.h"
#include "mamori/ct.h"

/* FIPS 180-4 §4.2.3: first 64 bits of the fractional parts of the cube roots
 * of the first 80 primes. */
static const uint64_t round_k[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
    0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
    0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
    0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
    0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
    0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
    0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
    0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};

/* FIPS 180-4 §5.3.5 (SHA-512) and §5.3.4 (SHA-384). */
static const uint64_t initial_h512[8] = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
};
static const uint64_t initial_h384[8] = {
    0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
    0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
};

static uint64_t rotr64(uint64_t x, unsigned n) { return (x >> n) | (x << (64 - n)); }

static uint64_t get_be64(const uint8_t *p)
{
    return ((uint64_t)mamori_get_be32(p) << 32) | mamori_get_be32(p + 4);
}

static void put_be64(uint8_t *p, uint64_t v)
{
    mamori_put_be32(p, (uint32_t)(v >> 32));
    mamori_put_be32(p + 4, (uint32_t)v);
}

#if MAMORI_SHA512_SMALL
/* `blocks` 128-byte blocks; same structure as SHA-256 (16-word schedule ring,
 * s[0..7] = a..h) with the §4.1.3 functions. */
static void sha512_compress(uint64_t state[8], const uint8_t *block, size_t blocks)
{
    uint64_t w[16], s[8];
    for (; blocks > 0; blocks--, block += 128) {
        memcpy(s, state, sizeof s);
        for (unsigned t = 0; t < 80; t++) {
            uint64_t wt;
            if (t < 16) {
                wt = get_be64(block + 8 * t);
            } else {
                uint64_t w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
                uint64_t sig0 = rotr64(w15, 1) ^ rotr64(w15, 8) ^ (w15 >> 7);
                uint64_t sig1 = rotr64(w2, 19) ^ rotr64(w2, 61) ^ (w2 >> 6);
                wt = w[t & 15] + sig0 + w[(t - 7) & 15] + sig1;
            }
            w[t & 15] = wt;
            uint64_t e = s[4], a = s[0];
            uint64_t t1 = s[7] + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) +
                          ((e & s[5]) ^ (~e & s[6])) + round_k[t] + wt;
            uint64_t t2 = (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) +
                          ((a & s[1]) ^ (a & s[2]) ^ (s[1] & s[2]));
            for (unsigned i = 7; i > 0; i--)
                s[i] = s[i - 1];
            s[4] += t1;
            s[0] = t1 + t2;
        }
        for (unsigned i = 0; i < 8; i++)
            state[i] += s[i];
    }
    mamori_zeroize(w, sizeof w);
    mamori_zeroize(s, sizeof s);
}
#else
#define SHA512_BSIG0(x) (rotr64(x, 28) ^ rotr64(x, 34) ^ rotr64(x, 39))
#define SHA512_BSIG1(x) (rotr64(x, 14) ^ rotr64(x, 18) ^ rotr64(x, 41))
#define SHA512_SSIG0(x) (rotr64(x, 1) ^ rotr64(x, 8) ^ ((x) >> 7))
#define SHA512_SSIG1(x) (rotr64(x, 19) ^ rotr64(x, 61) ^ ((x) >> 6))
/* Schedule word t + i for t >= 16, in place in the 16-word ring. */
#define SHA512_SCHED(i)                                                                            \
    (w[i] += SHA512_SSIG1(w[((i) + 14) & 15]) + w[((i) + 9) & 15] + SHA512_SSIG0(w[((i) + 1) & 15]))
/* Round t + i of a 16-round group, as in sha256.c. */
#define SHA512_ROUND(a, b, c, d, e, f, g, h, i)                                                    \
    do {                                                                                           \
        uint64_t t1_ = h + SHA512_BSIG1(e) + (g ^ (e & (f ^ g))) + round_k[t + (i)] + w[i];        \
        d += t1_;                                                                                  \
        ab = a ^ b;                                                                                \
        h = t1_ + SHA512_BSIG0(a) + (b ^ (ab & bc));                                               \
        bc = ab;                                                                                   \
    } while (0)
#define SHA512_SCHED4(i)                                                                           \
    do {                                                                                           \
        SHA512_SCHED(i);                                                                           \
        SHA512_SCHED((i) + 1);                                                                     \
        SHA512_SCHED((i) + 2);                                                                     \
        SHA512_SCHED((i) + 3);                                                                     \
    } while (0)
#define SHA512_ROUNDS8(i)                                                                          \
    do {                                                                                           \
        SHA512_ROUND(a, b, c, d, e, f, g, h, (i) + 0);                                             \
        SHA512_ROUND(h, a, b, c, d, e, f, g, (i) + 1);                                             \
        SHA512_ROUND(g, h, a, b, c, d, e, f, (i) + 2);                                             \
        SHA512_ROUND(f, g, h, a, b, c, d, e, (i) + 3);                                             \
        SHA512_ROUND(e, f, g, h, a, b, c, d, (i) + 4);                                             \
        SHA512_ROUND(d, e, f, g, h, a, b, c, (i) + 5);                                             \
        SHA512_ROUND(c, d, e, f, g, h, a, b, (i) + 6);                                             \
        SHA512_ROUND(b, c, d, e, f, g, h, a, (i) + 7);                                             \
    } while (0)

/* `blocks` 128-byte blocks, 16 rounds at a time with the schedule rewritten in
 * place between groups. */
static void sha512_compress(uint64_t state[8], const uint8_t *block, size_t blocks)
{
    uint64_t w[16];
    for (; blocks > 0; blocks--, block += 128) {
        uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
        uint64_t ab, bc = b ^ c; /* Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)) */
        for (unsigned i = 0; i < 16; i++)
            w[i] = get_be64(block + 8 * i);
        for (unsigned t = 0;; t += 16) {
            SHA512_ROUNDS8(0);
            SHA512_ROUNDS8(8);
            if (t == 64)
                break;
            for (unsigned i = 0; i < 16; i++)
                SHA512_SCHED(i);
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
    mamori_zeroize(w, sizeof w);
}
#endif


void mamori_sha512_init(mamori_sha512_t *ctx)
{
    memcpy(ctx->state, initial_h512, sizeof initial_h512);
    ctx->count = 0;
}

void mamori_sha384_init(mamori_sha512_t *ctx)
{
    memcpy(ctx->state, initial_h384, sizeof initial_h384);
    ctx->count = 0;
}

void mamori_sha512_update(mamori_sha512_t *ctx, const void *data, size_t len)
{
    const uint8_t *in = data;
    size_t used = (size_t)(ctx->count & 127);
    ctx->count += len;
    while (len > 0) {
        size_t take = 128 - used;
        if (take > len)
            take = len;
        if (used == 0 && take == 128) {
            take = len - len % 128;
            sha512_compress(ctx->state, in, take / 128);
        } else {
            memcpy(ctx->block + used, in, take);
            if (used + take == 128)
                sha512_compress(ctx->state, ctx->block, 1);
        }
        in += take;
        len -= take;
        used = 0;
    }
}

void mamori_sha384_update(mamori_sha512_t *ctx, const void *data, size_t len)
{
    mamori_sha512_update(ctx, data, len);
}

/* Padding of FIPS 180-4 §5.1.2: 0x80, zeros, then the 128-bit bit length. */
static void sha512_finish(mamori_sha512_t *ctx, uint8_t *out, size_t out_len)
{
    size_t used = (size_t)(ctx->count & 127);
    ctx->block[used++] = 0x80;
    if (used > 112) {
        memset(ctx->block + used, 0, 128 - used);
        sha512_compress(ctx->state, ctx->block, 1);
        used = 0;
    }
    memset(ctx->block + used, 0, 112 - used);
    put_be64(ctx->block + 112, ctx->count >> 61);
    put_be64(ctx->block + 120, ctx->count << 3);
    sha512_compress(ctx->state, ctx->block, 1);
    for (unsigned i = 0; i < out_len / 8; i++)
        put_be64(out + 8 * i, ctx->state[i]);
    mamori_zeroize(ctx, sizeof *ctx);
}

void mamori_sha512_final(mamori_sha512_t *ctx, uint8_t out[MAMORI_SHA512_LEN])
{
    sha512_finish(ctx, out, MAMORI_SHA512_LEN);
}

void mamori_sha384_final(mamori_sha512_t *ctx, uint8_t out[MAMORI_SHA384_LEN])
{
    sha512_finish(ctx, out, MAMORI_SHA384_LEN);
}

/* A hardware engine that fails for any reason leaves the work to software. */
static int hash_in_hardware(mamori_hash_id_t id, const void *data, size_t len, uint8_t *out)
{
    const mamori_crypto_backend_t *hw = mamori_crypto_backend();
    return hw && hw->hash && hw->hash(hw->ctx, (int)id, data, len, out) == 0;
}

void mamori_sha512(const void *data, size_t len, uint8_t out[MAMORI_SHA512_LEN])
{
    if (hash_in_hardware(MAMORI_HASH_SHA512, data, len, out))
        return;
    mamori_sha512_t ctx;
    mamori_sha512_init(&ctx);
    mamori_sha512_update(&ctx, data, len);
    mamori_sha512_final(&ctx, out);
}

void mamori_sha384(const void *data, size_t len, uint8_t out[MAMORI_SHA384_LEN])
{
    if (hash_in_hardware(MAMORI_HASH_SHA384, data, len, out))
        return;
    mamori_sha512_t ctx;
    mamori_sha384_init(&ctx);
    mamori_sha512_update(&ctx, data, len);
    mamori_sha384_final(&ctx, out);
}

#endif
