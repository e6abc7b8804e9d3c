/*
 * Hardware crypto hook. A port may install a table of functions that route
 * AES, GCM, SHA-2 and ECC to a crypto engine. Every entry is optional: a NULL
 * entry, or an entry that returns MAMORI_ERR_UNSUPPORTED for a given call,
 * makes mamori use its software implementation for that call. Software is the
 * default; see docs/porting.md.
 */
#ifndef MAMORI_CRYPTO_BACKEND_H
#define MAMORI_CRYPTO_BACKEND_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    void *ctx;
    /* One-shot digest; id is a mamori_hash_id_t. */
    int (*hash)(void *ctx, int id, const void *data, size_t len, uint8_t *out);
    /* Encrypts nblocks 16-byte blocks in ECB mode with a 16- or 32-byte key. */
    int (*aes_ecb_encrypt)(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *in,
                           uint8_t *out, size_t nblocks);
    /* AES-GCM seal/open; open must return MAMORI_ERR_AUTH on a bad tag and
     * then leave no plaintext in out. */
    int (*gcm_seal)(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv, size_t iv_len,
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                    uint8_t tag[16]);
    int (*gcm_open)(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv, size_t iv_len,
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                    const uint8_t tag[16], uint8_t *out);
    /* ECDH on curve_bits = 256 or 384: peer public key uncompressed (0x04|X|Y),
     * private scalar big-endian; writes the X coordinate. */
    int (*ecdh)(void *ctx, int curve_bits, const uint8_t *priv, const uint8_t *peer_pub,
                uint8_t *shared_x);
    /* ECDSA over a digest with raw r|s signatures. */
    int (*ecdsa_verify)(void *ctx, int curve_bits, const uint8_t *pub, const uint8_t *digest,
                        size_t digest_len, const uint8_t *sig_rs);
    int (*ecdsa_sign)(void *ctx, int curve_bits, const uint8_t *priv, const uint8_t *digest,
                      size_t digest_len, uint8_t *sig_rs);
} mamori_crypto_backend_t;

/* Installs (or with NULL removes) the backend table. The table must outlive
 * its use; call before any crypto runs. */
void mamori_crypto_set_backend(const mamori_crypto_backend_t *backend);
/* The installed table, or NULL. */
const mamori_crypto_backend_t *mamori_crypto_backend(void);

#endif
