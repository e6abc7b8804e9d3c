/*
 * X25519 Diffie-Hellman (RFC 7748). Keys and shared secrets are 32 bytes,
 * little-endian as the RFC encodes them. Runs in constant time.
 */
#ifndef MAMORI_X25519_H
#define MAMORI_X25519_H

#include <stdint.h>

#include "mamori/config.h"

#define MAMORI_X25519_LEN 32

/* out = X25519(scalar, u). The scalar is clamped and the top bit of u is
 * ignored (RFC 7748 §5); non-canonical u values are accepted. Returns
 * MAMORI_ERR_WEAKKEY when the result is all zero (u of small order, §6.1);
 * out then holds those zeros and must not be used as a key. */
int mamori_x25519(uint8_t out[MAMORI_X25519_LEN], const uint8_t scalar[MAMORI_X25519_LEN],
                  const uint8_t u[MAMORI_X25519_LEN]);

/* pub = X25519(priv, 9): the public key for a 32-byte random private key. */
int mamori_x25519_public(uint8_t pub[MAMORI_X25519_LEN], const uint8_t priv[MAMORI_X25519_LEN]);

#endif
