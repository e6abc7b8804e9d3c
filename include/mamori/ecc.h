/*
 * NIST P-256 and P-384: ECDH (SEC 1 3.3.1, NIST SP 800-56A) and ECDSA
 * (FIPS 186-4 6) with RFC 6979 deterministic or hedged nonces.
 *
 * Scalars and coordinates are big-endian, MAMORI_EC_BYTES(curve) long.
 * Public keys are uncompressed points 0x04|X|Y; signatures are raw r|s
 * (IEEE P1363), with converters to and from the DER form of RFC 3279 2.2.3.
 * Operations on private keys run in constant time and wipe their
 * intermediates.
 */
#ifndef MAMORI_ECC_H
#define MAMORI_ECC_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"
#include "mamori/rng.h"

/* Curve ids: the TLS NamedGroup code points (RFC 8446 4.2.7). */
#define MAMORI_EC_P256 23
#define MAMORI_EC_P384 24

/* Field/scalar width in bytes (0 for an unknown curve). */
#define MAMORI_EC_BYTES(curve) ((curve) == MAMORI_EC_P256 ? 32 : (curve) == MAMORI_EC_P384 ? 48 : 0)
/* Uncompressed public key and raw signature sizes. */
#define MAMORI_EC_PUB_LEN(curve) (1 + 2 * MAMORI_EC_BYTES(curve))
#define MAMORI_EC_SIG_LEN(curve) (2 * MAMORI_EC_BYTES(curve))
/* Largest DER signature: SEQUENCE of two INTEGERs with a sign byte each. */
#define MAMORI_ECDSA_DER_MAX_LEN(curve) (2 + 2 * (2 + 1 + MAMORI_EC_BYTES(curve)))

/* shared_x = x(priv * peer). The peer key is validated fully: length, 0x04
 * form, coordinates below p, on the curve (MAMORI_ERR_BADPOINT); the private
 * scalar must be in [1, n-1] (MAMORI_ERR_BADKEY). MAMORI_ERR_UNSUPPORTED
 * for an unknown or compiled-out curve. */
int mamori_ecdh(int curve, uint8_t *shared_x, const uint8_t *priv, const uint8_t *peer_pub,
                size_t peer_pub_len);

/* A fresh key pair: priv uniform in [1, n-1] (FIPS 186-4 B.4.1 style, from
 * twice the scalar width of random bytes), pub = priv * G. */
int mamori_ec_keygen(int curve, uint8_t *priv, uint8_t *pub, mamori_rng_fn rng, void *rng_ctx);

/* pub = priv * G (MAMORI_ERR_BADKEY unless priv is in [1, n-1]). */
int mamori_ec_public(int curve, uint8_t *pub, const uint8_t *priv);

/* Signs a message digest of any length (truncated to the order's bit
 * length, FIPS 186-4 6.4). The nonce is RFC 6979 3.2 with HMAC-SHA-256 for
 * P-256 and HMAC-SHA-384 for P-384; with an rng it also absorbs fresh random
 * bytes (hedged, RFC 6979 3.6). sig_rs receives MAMORI_EC_SIG_LEN bytes. */
int mamori_ecdsa_sign(int curve, uint8_t *sig_rs, const uint8_t *priv, const uint8_t *digest,
                      size_t digest_len, mamori_rng_fn rng, void *rng_ctx);

/* 0 if sig_rs (r|s) is valid for the digest under the uncompressed public
 * key; MAMORI_ERR_BADSIG for a wrong signature (including r or s outside
 * [1, n-1]), MAMORI_ERR_BADPOINT for an invalid key. */
int mamori_ecdsa_verify(int curve, const uint8_t *pub, size_t pub_len, const uint8_t *digest,
                        size_t digest_len, const uint8_t *sig_rs);

/* Strict DER Ecdsa-Sig-Value (SEQUENCE { INTEGER r, INTEGER s }) to raw
 * r|s: minimal lengths, minimal positive integers that fit the curve width,
 * no trailing data; MAMORI_ERR_MALFORMED otherwise. Ranges are left to
 * mamori_ecdsa_verify. */
int mamori_ecdsa_sig_from_der(int curve, uint8_t *sig_rs, const uint8_t *der, size_t der_len);

/* Raw r|s to DER into der (capacity cap; MAMORI_ECDSA_DER_MAX_LEN is always
 * enough); *der_len receives the length. */
int mamori_ecdsa_sig_to_der(int curve, uint8_t *der, size_t cap, size_t *der_len,
                            const uint8_t *sig_rs);

#endif
