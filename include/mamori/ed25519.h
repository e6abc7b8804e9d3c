/*
 * Ed25519 signatures (RFC 8032 §5.1, pure Ed25519, no context or prehash).
 * A private key is a 32-byte random seed; public keys are 32 bytes and
 * signatures 64. Key generation and signing run in constant time.
 */
#ifndef MAMORI_ED25519_H
#define MAMORI_ED25519_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"

#define MAMORI_ED25519_SEED_LEN 32
#define MAMORI_ED25519_PUB_LEN 32
#define MAMORI_ED25519_SIG_LEN 64

/* Derives the public key of a seed (RFC 8032 §5.1.5). */
int mamori_ed25519_public(uint8_t pub[MAMORI_ED25519_PUB_LEN],
                          const uint8_t seed[MAMORI_ED25519_SEED_LEN]);

/* Signs msg (RFC 8032 §5.1.6). The public key is always re-derived from the
 * seed: when pub is not NULL it must match, or MAMORI_ERR_BADKEY is returned
 * and sig is all zeros, since a signature made with a mismatched public key
 * would leak the private key. Constant time in the seed. */
int mamori_ed25519_sign(uint8_t sig[MAMORI_ED25519_SIG_LEN], const void *msg, size_t len,
                        const uint8_t seed[MAMORI_ED25519_SEED_LEN],
                        const uint8_t pub[MAMORI_ED25519_PUB_LEN]);

/* A signing key expanded from its seed once (RFC 8032 §5.1.5): the clamped
 * secret scalar, the nonce prefix and the public key. Only
 * mamori_ed25519_key_init() fills it, so the public key always belongs to
 * the scalar, and each signature then needs one scalar multiplication
 * instead of the two of mamori_ed25519_sign(). Secret: wipe it with
 * mamori_ed25519_key_wipe() when done. */
typedef struct {
    uint8_t scalar[32], prefix[32], pub[MAMORI_ED25519_PUB_LEN];
} mamori_ed25519_key_t;

int mamori_ed25519_key_init(mamori_ed25519_key_t *key, const uint8_t seed[MAMORI_ED25519_SEED_LEN]);
void mamori_ed25519_key_wipe(mamori_ed25519_key_t *key);
/* Signs msg with an expanded key; the same signature as
 * mamori_ed25519_sign() with its seed. Constant time in the key. */
int mamori_ed25519_sign_key(uint8_t sig[MAMORI_ED25519_SIG_LEN], const void *msg, size_t len,
                            const mamori_ed25519_key_t *key);

/* Verifies sig over msg (RFC 8032 §5.1.7, strict): returns MAMORI_OK, or
 * MAMORI_ERR_BADKEY when pub does not decode to a point (non-canonical y
 * included), or MAMORI_ERR_BADSIG for any other failure: S >= L, a
 * non-canonical or undecodable R, or [S]B != R + [k]A. The check is the
 * cofactorless one, done by recomputing R and comparing encodings. */
int mamori_ed25519_verify(const uint8_t sig[MAMORI_ED25519_SIG_LEN], const void *msg, size_t len,
                          const uint8_t pub[MAMORI_ED25519_PUB_LEN]);

#endif
