/*
 * SubjectPublicKeyInfo (RFC 5280 4.1.2.7) for the key types mamori uses:
 * EC on P-256/P-384 (RFC 5480: id-ecPublicKey with a namedCurve), Ed25519
 * (RFC 8410) and RSA (RFC 3279 2.3.1). Key fields point into the input.
 */
#ifndef MAMORI_SPKI_H
#define MAMORI_SPKI_H

#include <stddef.h>
#include <stdint.h>

#include "x509/der.h"

typedef enum {
    MAMORI_SPKI_EC_P256 = 1,
    MAMORI_SPKI_EC_P384,
    MAMORI_SPKI_ED25519,
    MAMORI_SPKI_RSA,
} mamori_spki_alg_t;

typedef struct {
    mamori_spki_alg_t alg;
    /* EC: the ECPoint as encoded (validated later by the ECC code);
     * Ed25519: the 32-byte key; RSA: the RSAPublicKey DER. */
    const uint8_t *key;
    size_t key_len;
    /* RSA only: modulus and exponent magnitudes, no sign octet. */
    const uint8_t *rsa_n;
    size_t rsa_n_len;
    const uint8_t *rsa_e;
    size_t rsa_e_len;
} mamori_spki_t;

/* Parses one SubjectPublicKeyInfo element from d (e.g. inside a
 * certificate). MAMORI_ERR_MALFORMED for bad DER, MAMORI_ERR_UNSUPPORTED for
 * another algorithm or curve; d fails on bad DER only. */
int mamori_spki_read(mamori_der_t *d, mamori_spki_t *out);
/* Parses a buffer that holds exactly one SubjectPublicKeyInfo. */
int mamori_spki_parse(mamori_spki_t *out, const uint8_t *der, size_t len);

#endif
