/* HMAC (RFC 2104) over SHA-256/384/512, and HKDF (RFC 5869) with the TLS 1.3
 * HKDF-Expand-Label helper (RFC 8446 §7.1). */
#ifndef MAMORI_HMAC_H
#define MAMORI_HMAC_H

#include "mamori/sha2.h"

typedef struct {
    mamori_hash_t inner;
    mamori_hash_t outer;
} mamori_hmac_t;

/* Returns MAMORI_ERR_UNSUPPORTED for an unknown hash id. Keys longer than
 * the block size are hashed first, as RFC 2104 requires. */
int mamori_hmac_init(mamori_hmac_t *ctx, mamori_hash_id_t id, const void *key, size_t key_len);
void mamori_hmac_update(mamori_hmac_t *ctx, const void *data, size_t len);
/* Writes mamori_hash_len(id) bytes and wipes the context. */
void mamori_hmac_final(mamori_hmac_t *ctx, uint8_t *out);
int mamori_hmac(mamori_hash_id_t id, const void *key, size_t key_len, const void *data, size_t len,
                uint8_t *out);

/* PRK = HMAC(salt, IKM); prk receives mamori_hash_len(id) bytes. */
int mamori_hkdf_extract(mamori_hash_id_t id, const void *salt, size_t salt_len, const void *ikm,
                        size_t ikm_len, uint8_t *prk);
/* OKM of out_len bytes; MAMORI_ERR_INVAL if out_len > 255 * hash length or
 * prk_len < hash length (RFC 5869 §2.3). out may overlap prk. */
int mamori_hkdf_expand(mamori_hash_id_t id, const uint8_t *prk, size_t prk_len, const void *info,
                       size_t info_len, uint8_t *out, size_t out_len);
/* HKDF-Expand-Label(secret, label, context, length) of RFC 8446 §7.1; the
 * "tls13 " prefix is added here. label is a NUL-terminated string of 1 to 249
 * characters and context_len at most 255, else MAMORI_ERR_INVAL. out may
 * overlap secret (derive a secret in place). */
int mamori_hkdf_expand_label(mamori_hash_id_t id, const uint8_t *secret, size_t secret_len,
                             const char *label, const void *context, size_t context_len,
                             uint8_t *out, size_t out_len);

#endif
