/* Keystream application shared by the stream ciphers (AES-CTR, ChaCha20).
 * Internal. */
#ifndef MAMORI_CRYPTO_STREAM_XOR_H
#define MAMORI_CRYPTO_STREAM_XOR_H

#include <stddef.h>
#include <stdint.h>

/* out = in ^ ks over n bytes. masked (a public choice): out takes the
 * result only where keep is 0xff and is left as it was where keep is 0,
 * with no branch on keep (AEAD open before the tag is known good). */
static inline void stream_xor(uint8_t *out, const uint8_t *in, const uint8_t *ks, size_t n, int masked,
                              uint8_t keep)
{
    if (masked) {
        for (size_t i = 0; i < n; i++)
            out[i] ^= keep & (out[i] ^ in[i] ^ ks[i]);
    } else {
        for (size_t i = 0; i < n; i++)
            out[i] = in[i] ^ ks[i];
    }
}

#endif
