/*
 * AES-GCM authenticated encryption (NIST SP 800-38D) with 16-byte tags.
 *
 * Any IV length from 1 byte up is accepted; 12 bytes is the fast and
 * recommended case (other lengths are hashed into the initial counter).
 * Shorter tags are not offered: truncated GCM tags weaken authentication
 * far more than their length suggests.
 */
#ifndef MAMORI_GCM_H
#define MAMORI_GCM_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/aes.h"

typedef struct {
    mamori_aes_ctx_t aes;
    uint8_t h[16]; /* hash subkey E(K, 0^128) */
} mamori_gcm_ctx_t;

/* Sets up a key of 16, 24 or 32 bytes; MAMORI_ERR_INVAL for another length. */
int mamori_gcm_init(mamori_gcm_ctx_t *ctx, const uint8_t *key, size_t key_len);

/* Encrypts len bytes of in to out (out == in is fine) and writes the tag.
 * MAMORI_ERR_INVAL if iv_len is 0 or a length exceeds the limits of
 * SP 800-38D (plaintext up to 2^36 - 32 bytes). */
int mamori_gcm_seal(const mamori_gcm_ctx_t *ctx, const uint8_t *iv, size_t iv_len,
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                    uint8_t *out, uint8_t tag[16]);

/* Checks the tag over aad and in, then decrypts to out (out == in is fine).
 * On a bad tag returns MAMORI_ERR_AUTH and out is left as it was: the tag
 * is verified before any plaintext reaches out, and the decryption that
 * follows is masked by the verdict rather than skipped, so no branch
 * depends on it (out is read as well as written). */
int mamori_gcm_open(const mamori_gcm_ctx_t *ctx, const uint8_t *iv, size_t iv_len,
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                    const uint8_t tag[16], uint8_t *out);

/* Erases the key material. */
void mamori_gcm_wipe(mamori_gcm_ctx_t *ctx);

#endif
