/* SHA-256 (FIPS 180-4 §6.2).
 *
 * MAMORI_SHA256_SMALL selects the compression function: 1 is one rolled
 * loop (small: about 1 KB on a Cortex-M4), 0 is unrolled by 16 rounds with
 * no state shuffling (about 1.3x faster on x86-64, about 1.1 KB more code).
 * The default is 1 on ARMv6-M/v7-M/v7E-M and whenever the compiler optimises
 * for size (-Os, -Oz), 0 elsewhere; define it to override. */
#include "mamori/sha2.h"

#if MAMORI_SHA256

#ifndef MAMORI_SHA256_SMALL
#if defined(__ARM_ARCH_6M__) || defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__) || \
    defined(__OPTIMIZE_SIZE__)
#define MAMORI_SHA256_SMALL 1
#else
#define MAMORI_SHA256_SMALL 0
#endif
#endif

#include <string.h>

#include "core/cursor.h"
#include "mamori/crypto_backend.h"
#include "mamori/ct.h"

/* FIPS 180-4 §4.2.2: first 32 bits of the fractional parts of the cube roots
 * of the first 64 primes. */
static const uint32_t round_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* FIPS 180-4 §5.3.3 */
static const uint32_t initial_h[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static uint32_t rotr32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

#if MAMORI_SHA256_SMALL
/* `blocks` 64-byte blocks. The message schedule lives in a 16-word ring (W[t] only
 * needs W[t-2], W[t-7], W[t-15] and W[t-16]); s[0..7] are a..h. */
static void sha256_compress(uint32_t state[8], const uint8_t *block, size_t blocks)
{
    uint32_t w[16], s[8];
    for (; blocks > 0; blocks--, block += 64) {
        memcpy(s, state, sizeof s);
        for (unsigned t = 0; t < 64; t++) {
            uint32_t wt;
            if (t < 16) {
                wt = mamori_get_be32(block + 4 * t);
            } else {
                uint32_t w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
                uint32_t sig0 = rotr32(w15, 7) ^ rotr32(w15, 18) ^ (w15 >> 3);
                uint32_t sig1 = rotr32(w2, 17) ^ rotr32(w2, 19) ^ (w2 >> 10);
                wt = w[t & 15] + sig0 + w[(t - 7) & 15] + sig1;
            }
            w[t & 15] = wt;
            uint32_t e = s[4], a = s[0];
            uint32_t t1 = s[7] + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) +
                          ((e & s[5]) ^ (~e & s[6])) + round_k[t] + wt;
            uint32_t t2 = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) +
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
#define SHA256_BSIG0(x) (rotr32(x, 2) ^ rotr32(x, 13) ^ rotr32(x, 22))
#define SHA256_BSIG1(x) (rotr32(x, 6) ^ rotr32(x, 11) ^ rotr32(x, 25))
#define SHA256_SSIG0(x) (rotr32(x, 7) ^ rotr32(x, 18) ^ ((x) >> 3))
#define SHA256_SSIG1(x) (rotr32(x, 17) ^ rotr32(x, 19) ^ ((x) >> 10))
/* Round t + i of a 16-round group: the roles of a..h rotate through the
 * variables instead of moving the values. */
#define SHA256_ROUND(a, b, c, d, e, f, g, h, i)                                                    \
    do {                                                                                           \
        uint32_t t1_ = h + SHA256_BSIG1(e) + (g ^ (e & (f ^ g))) + round_k[t + (i)] + w[i];        \
        d += t1_;                                                                                  \
        ab = a ^ b;                                                                                \
        h = t1_ + SHA256_BSIG0(a) + (b ^ (ab & bc));                                               \
        bc = ab;                                                                                   \
    } while (0)
/* Schedule word t + i for t >= 16, in place in the 16-word ring. */
#define SHA256_SCHED(i)                                                                            \
    (w[i] += SHA256_SSIG1(w[((i) + 14) & 15]) + w[((i) + 9) & 15] + SHA256_SSIG0(w[((i) + 1) & 15]))
#define SHA256_SCHED4(i)                                                                           \
    do {                                                                                           \
        SHA256_SCHED(i);                                                                           \
        SHA256_SCHED((i) + 1);                                                                     \
        SHA256_SCHED((i) + 2);                                                                     \
        SHA256_SCHED((i) + 3);                                                                     \
    } while (0)
#define SHA256_ROUNDS8(i)                                                                          \
    do {                                                                                           \
        SHA256_ROUND(a, b, c, d, e, f, g, h, (i) + 0);                                             \
        SHA256_ROUND(h, a, b, c, d, e, f, g, (i) + 1);                                             \
        SHA256_ROUND(g, h, a, b, c, d, e, f, (i) + 2);                                             \
        SHA256_ROUND(f, g, h, a, b, c, d, e, (i) + 3);                                             \
        SHA256_ROUND(e, f, g, h, a, b, c, d, (i) + 4);                                             \
        SHA256_ROUND(d, e, f, g, h, a, b, c, (i) + 5);                                             \
        SHA256_ROUND(c, d, e, f, g, h, a, b, (i) + 6);                                             \
        SHA256_ROUND(b, c, d, e, f, g, h, a, (i) + 7);                                             \
    } while (0)

/* `blocks` 64-byte blocks, 16 rounds at a time; w[] holds the 16 schedule words
 * of the group, rewritten in place for the next one. */
static void sha256_compress(uint32_t state[8], const uint8_t *block, size_t blocks)
{
    uint32_t w[16];
    for (; blocks > 0; blocks--, block += 64) {
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        uint32_t ab, bc = b ^ c; /* Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)) */
        for (unsigned i = 0; i < 16; i++)
            w[i] = mamori_get_be32(block + 4 * i);
        for (unsigned t = 0; t < 64; t += 16) {
            if (t > 0) {
                SHA256_SCHED4(0);
                SHA256_SCHED4(4);
                SHA256_SCHED4(8);
                SHA256_SCHED4(12);
            }
            SHA256_ROUNDS8(0);
            SHA256_ROUNDS8(8);
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


void mamori_sha256_init(mamori_sha256_t *ctx)
{
    memcpy(ctx->state, initial_h, sizeof initial_h);
    ctx->count = 0;
}

void mamori_sha256_update(mamori_sha256_t *ctx, const void *data, size_t len)
{
    const uint8_t *in = data;
    size_t used = (size_t)(ctx->count & 63);
    ctx->count += len;
    while (len > 0) {
        size_t take = 64 - used;
        if (take > len)
            take = len;
        if (used == 0 && take == 64) {
            take = len - len % 64;
            sha256_compress(ctx->state, in, take / 64);
        } else {
            memcpy(ctx->block + used, in, take);
            if (used + take == 64)
                sha256_compress(ctx->state, ctx->block, 1);
        }
        in += take;
        len -= take;
        used = 0;
    }
}

/* Padding of FIPS 180-4 §5.1.1: 0x80, zeros, then the 64-bit bit length. */
void mamori_sha256_final(mamori_sha256_t *ctx, uint8_t out[MAMORI_SHA256_LEN])
{
    size_t used = (size_t)(ctx->count & 63);
    uint64_t bits = ctx->count << 3;
    ctx->block[used++] = 0x80;
    if (used > 56) {
        memset(ctx->block + used, 0, 64 - used);
        sha256_compress(ctx->state, ctx->block, 1);
        used = 0;
    }
    memset(ctx->block + used, 0, 56 - used);
    mamori_put_be32(ctx->block + 56, (uint32_t)(bits >> 32));
    mamori_put_be32(ctx->block + 60, (uint32_t)bits);
    sha256_compress(ctx->state, ctx->block, 1);
    for (unsigned i = 0; i < 8; i++)
        mamori_put_be32(out + 4 * i, ctx->state[i]);
    mamori_zeroize(ctx, sizeof *ctx);
}

/* A hardware engine that fails for any reason leaves the work to software. */
void mamori_sha256(const void *data, size_t len, uint8_t out[MAMORI_SHA256_LEN])
{
    const mamori_crypto_backend_t *hw = mamori_crypto_backend();
    if (hw && hw->hash && hw->hash(hw->ctx, MAMORI_HASH_SHA256, data, len, out) == 0)
        return;
    mamori_sha256_t ctx;
    mamori_sha256_init(&ctx);
    mamori_sha256_update(&ctx, data, len);
    mamori_sha256_final(&ctx, out);
}

#endif
