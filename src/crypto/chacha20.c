/* ChaCha20 stream cipher, RFC 8439 2.1-2.4. */
#include "mamori/chachapoly.h"

#include "mamori/config.h"

#if MAMORI_CHACHAPOLY

#include "chacha20.h"
#include "stream_xor.h"
#include "mamori/ct.h"

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint32_t rotl32(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }

#define QUARTER_ROUND(a, b, c, d)                                                                  \
    do {                                                                                           \
        a += b;                                                                                    \
        d = rotl32(d ^ a, 16);                                                                     \
        c += d;                                                                                    \
        b = rotl32(b ^ c, 12);                                                                     \
        a += b;                                                                                    \
        d = rotl32(d ^ a, 8);                                                                      \
        c += d;                                                                                    \
        b = rotl32(b ^ c, 7);                                                                      \
    } while (0)

/* One 64-byte keystream block from the 16-word input state (2.3); x is
 * scratch, wiped by the caller once per call. */
static inline __attribute__((always_inline)) void
chacha20_block(const uint32_t in[16], uint32_t x[16], uint8_t out[64])
{
    for (unsigned i = 0; i < 16; i++)
        x[i] = in[i];
    for (unsigned i = 0; i < 10; i++) {
        QUARTER_ROUND(x[0], x[4], x[8], x[12]);
        QUARTER_ROUND(x[1], x[5], x[9], x[13]);
        QUARTER_ROUND(x[2], x[6], x[10], x[14]);
        QUARTER_ROUND(x[3], x[7], x[11], x[15]);
        QUARTER_ROUND(x[0], x[5], x[10], x[15]);
        QUARTER_ROUND(x[1], x[6], x[11], x[12]);
        QUARTER_ROUND(x[2], x[7], x[8], x[13]);
        QUARTER_ROUND(x[3], x[4], x[9], x[14]);
    }
    for (unsigned i = 0; i < 16; i++) {
        uint32_t v = x[i] + in[i];
        out[4 * i] = (uint8_t)v;
        out[4 * i + 1] = (uint8_t)(v >> 8);
        out[4 * i + 2] = (uint8_t)(v >> 16);
        out[4 * i + 3] = (uint8_t)(v >> 24);
    }
}

/* The keystream from block counter into in, to out; masked, out takes the
 * result only where keep is 0xff and is left as it was where keep is 0.
 * One out-of-line body with the block function forced inline: left to
 * itself, gcc 12 -O3 inlines this into both callers and calls the block
 * function instead, 11% slower on x86-64. */
static __attribute__((noinline)) void chacha20_stream(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter,
                            const uint8_t *in, uint8_t *out, size_t len, int masked, uint8_t keep)
{
    /* "expand 32-byte k" */
    uint32_t state[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
    uint32_t x[16];
    uint8_t ks[64];
    for (unsigned i = 0; i < 8; i++)
        state[4 + i] = get_le32(key + 4 * i);
    state[12] = counter;
    for (unsigned i = 0; i < 3; i++)
        state[13 + i] = get_le32(nonce + 4 * i);
    while (len > 0) {
        size_t n = len < 64 ? len : 64;
        chacha20_block(state, x, ks);
        state[12]++;
        stream_xor(out, in, ks, n, masked, keep);
        in += n;
        out += n;
        len -= n;
    }
    mamori_zeroize(state, sizeof state);
    mamori_zeroize(x, sizeof x);
    mamori_zeroize(ks, sizeof ks);
}

void mamori_chacha20_xor(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter,
                         const uint8_t *in, uint8_t *out, size_t len)
{
    chacha20_stream(key, nonce, counter, in, out, len, 0, 0);
}

void mamori_chacha20_xor_if(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter,
                            uint8_t keep, const uint8_t *in, uint8_t *out, size_t len)
{
    chacha20_stream(key, nonce, counter, in, out, len, 1, keep);
}

#endif
