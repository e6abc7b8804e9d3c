/*
 * SHA-256, SHA-384 and SHA-512 (FIPS 180-4): streaming and one-shot, plus a
 * small generic "hash by id" interface used by HMAC, HKDF, signatures and TLS.
 */
#ifndef MAMORI_SHA2_H
#define MAMORI_SHA2_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"

#define MAMORI_SHA256_LEN 32
#define MAMORI_SHA384_LEN 48
#define MAMORI_SHA512_LEN 64
#define MAMORI_HASH_MAX_LEN 64
#define MAMORI_HASH_MAX_BLOCK 128

typedef struct {
    uint32_t state[8];
    uint64_t count; /* bytes hashed so far */
    uint8_t block[64];
} mamori_sha256_t;

typedef struct {
    uint64_t state[8];
    uint64_t count; /* bytes hashed so far (2^64 bytes is ample) */
    uint8_t block[128];
} mamori_sha512_t; /* also the SHA-384 context */

/* The one-shot functions (and mamori_hash) use the crypto backend's hash
 * entry when installed, falling back to software if it fails. Final wipes
 * the context. */
void mamori_sha256_init(mamori_sha256_t *ctx);
void mamori_sha256_update(mamori_sha256_t *ctx, const void *data, size_t len);
void mamori_sha256_final(mamori_sha256_t *ctx, uint8_t out[MAMORI_SHA256_LEN]);
void mamori_sha256(const void *data, size_t len, uint8_t out[MAMORI_SHA256_LEN]);

void mamori_sha384_init(mamori_sha512_t *ctx);
void mamori_sha384_update(mamori_sha512_t *ctx, const void *data, size_t len);
void mamori_sha384_final(mamori_sha512_t *ctx, uint8_t out[MAMORI_SHA384_LEN]);
void mamori_sha384(const void *data, size_t len, uint8_t out[MAMORI_SHA384_LEN]);

void mamori_sha512_init(mamori_sha512_t *ctx);
void mamori_sha512_update(mamori_sha512_t *ctx, const void *data, size_t len);
void mamori_sha512_final(mamori_sha512_t *ctx, uint8_t out[MAMORI_SHA512_LEN]);
void mamori_sha512(const void *data, size_t len, uint8_t out[MAMORI_SHA512_LEN]);

/* Hash selection by id (only the ids whose algorithm is compiled in work). */
typedef enum {
    MAMORI_HASH_SHA256 = 1,
    MAMORI_HASH_SHA384 = 2,
    MAMORI_HASH_SHA512 = 3,
} mamori_hash_id_t;

typedef struct {
    mamori_hash_id_t id;
    union {
        mamori_sha256_t sha256;
        mamori_sha512_t sha512;
    } u;
} mamori_hash_t;

/* Digest length in bytes (0 for an unknown or compiled-out id). */
size_t mamori_hash_len(mamori_hash_id_t id);
/* Block length in bytes (64 or 128; 0 for an unknown id). */
size_t mamori_hash_block_len(mamori_hash_id_t id);
/* Returns MAMORI_ERR_UNSUPPORTED for an unknown or compiled-out id. */
int mamori_hash_init(mamori_hash_t *ctx, mamori_hash_id_t id);
void mamori_hash_update(mamori_hash_t *ctx, const void *data, size_t len);
void mamori_hash_final(mamori_hash_t *ctx, uint8_t *out);
int mamori_hash(mamori_hash_id_t id, const void *data, size_t len, uint8_t *out);

#endif
