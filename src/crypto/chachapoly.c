/*
 * AEAD_CHACHA20_POLY1305, RFC 8439 2.8: the Poly1305 key is the first 32
 * bytes of ChaCha20 block 0, the payload is encrypted from block 1, and the
 * tag covers aad | pad16 | ciphertext | pad16 | le64(aad_len) | le64(len).
 */
#include "mamori/chachapoly.h"

#include "mamori/config.h"

#if MAMORI_CHACHAPOLY

#include "chacha20.h"
#include "mamori/ct.h"
#include "mamori/error.h"

/* 2^32 - 1 blocks of 64 bytes after the key block (RFC 8439 2.8). Taken as
 * uint64_t so the check holds for any size_t. */
static int length_ok(uint64_t len) { return len <= ((uint64_t)1 << 38) - 64; }

static void compute_tag(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                        size_t aad_len, const uint8_t *ct, size_t len, uint8_t tag[16])
{
    static const uint8_t zeros[32];
    uint8_t otk[32], lens[16];
    mamori_poly1305_t mac;
    mamori_chacha20_xor(key, nonce, 0, zeros, otk, sizeof otk);
    mamori_poly1305_init(&mac, otk);
    mamori_zeroize(otk, sizeof otk);

    mamori_poly1305_update(&mac, aad, aad_len);
    mamori_poly1305_update(&mac, zeros, (16 - aad_len % 16) % 16);
    mamori_poly1305_update(&mac, ct, len);
    mamori_poly1305_update(&mac, zeros, (16 - len % 16) % 16);
    for (unsigned i = 0; i < 8; i++) {
        lens[i] = (uint8_t)((uint64_t)aad_len >> (8 * i));
        lens[8 + i] = (uint8_t)((uint64_t)len >> (8 * i));
    }
    mamori_poly1305_update(&mac, lens, sizeof lens);
    mamori_poly1305_finish(&mac, tag);
}

int mamori_chachapoly_seal(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                           size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                           uint8_t tag[16])
{
    if (!length_ok(len))
        return MAMORI_ERR_INVAL;
    mamori_chacha20_xor(key, nonce, 1, in, out, len);
    compute_tag(key, nonce, aad, aad_len, out, len, tag);
    return MAMORI_OK;
}

int mamori_chachapoly_open(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                           size_t aad_len, const uint8_t *in, size_t len, const uint8_t tag[16],
                           uint8_t *out)
{
    if (!length_ok(len))
        return MAMORI_ERR_INVAL;
    uint8_t expect[16];
    compute_tag(key, nonce, aad, aad_len, in, len, expect);
    uint32_t ok = (uint32_t)mamori_ct_equal(expect, tag, 16);
    mamori_zeroize(expect, sizeof expect);
    /* Decrypts only when ok is 1, without branching on it: the verdict
     * never steers control flow. */
    mamori_chacha20_xor_if(key, nonce, 1, (uint8_t)(0u - ok), in, out, len);
    return -(int)(1 - ok) & MAMORI_ERR_AUTH;
}

#endif
