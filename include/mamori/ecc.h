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

#if MAMORI_EC_PREPARED
/*
 * Prepared public keys, for a device that verifies signatures from, or runs
 * ECDH against, one public key many times: a firmware-signing key checked
 * at every boot, a pinned CA or server key, a fixed backend key for static
 * ECDH. mamori_ec_prepare validates the key once and precomputes multiples
 * of it (the fixed-base comb layout the library uses for the generator), so
 * each later operation needs almost no point doublings: on a 64-bit host
 * P-256 verification runs 2.7x and ECDH 2.9x as fast as unprepared. For a
 * key used once (a TLS key share, a certificate met once) the plain
 * functions stay the right choice: preparing costs about 3.6 unprepared
 * ECDH (docs/porting.md).
 *
 * The caller owns the storage (no heap). Its size is fixed at compile time:
 * the table for the largest curve in MAMORI_EC_PREPARED_MAX_BITS (256
 * by default; 384 to prepare P-384 keys too), per key
 *   32-bit limbs (Cortex-M, w = 4): P-256  8704 B, P-384 19200 B;
 *   64-bit limbs (hosts, w = 6):    P-256 22528 B, P-384 52224 B;
 * plus the encoded key and two ints. It may live in RAM or be copied once
 * to flash (the contents are position independent). It holds public data
 * only: there is nothing to wipe. Needs the generator table (the internal
 * MAMORI_EC_GTABLE, on by default); without it every function here returns
 * MAMORI_ERR_UNSUPPORTED. A crypto backend's ecdh and ecdsa_verify hooks
 * are consulted exactly as by the unprepared functions.
 */

/* The library's limb type and comb window w (src/crypto/ec_field.h and
 * ec_point.h choose them; src/crypto/ec_prepared.c checks that these
 * agree): 64-bit limbs and w = 6 where the compiler has a 128-bit product,
 * 32-bit limbs and w = 4 elsewhere or with MAMORI_EC_LIMB32 (which the
 * application must then see too: mamori_user_config.h). */
#if defined(__SIZEOF_INT128__) && !defined(MAMORI_EC_LIMB32)
typedef uint64_t mamori_ec_limb_t;
#define MAMORI_EC_COMB_WINDOW 6
#else
typedef uint32_t mamori_ec_limb_t;
#define MAMORI_EC_COMB_WINDOW 4
#endif

/* Table bytes for a curve of `bits`: ceil((ceil(bits / w) + 1) / 4) rows of
 * 2^(w-1) affine points of two coordinates. */
#define MAMORI_EC_PREPARED_TABLE_BYTES(bits)                                                       \
    ((((bits) + MAMORI_EC_COMB_WINDOW - 1) / MAMORI_EC_COMB_WINDOW + 4) / 4 *                      \
     (1 << (MAMORI_EC_COMB_WINDOW - 1)) * 2 * ((bits) / 8))

#if MAMORI_EC_PREPARED_MAX_BITS != 256 && MAMORI_EC_PREPARED_MAX_BITS != 384
#error "MAMORI_EC_PREPARED_MAX_BITS must be 256 or 384"
#endif

/* Contents are internal; fill it with mamori_ec_prepare only. */
typedef struct {
    int curve;
    int status; /* mamori_ec_prepare's result */
    uint8_t pub[1 + 2 * (MAMORI_EC_PREPARED_MAX_BITS / 8)];
    mamori_ec_limb_t table[MAMORI_EC_PREPARED_TABLE_BYTES(MAMORI_EC_PREPARED_MAX_BITS) /
                           sizeof(mamori_ec_limb_t)];
} mamori_ec_prepared_t;

/* Validates the uncompressed public key like mamori_ecdsa_verify and
 * mamori_ecdh do (length, 0x04 form, coordinates below p, on the curve:
 * MAMORI_ERR_BADPOINT) and builds its table. MAMORI_ERR_UNSUPPORTED for an
 * unknown or compiled-out curve or one above MAMORI_EC_PREPARED_MAX_BITS.
 * On failure pk is marked unusable: the functions below then return the
 * same error (as the unprepared ones would for that key). */
int mamori_ec_prepare(int curve, mamori_ec_prepared_t *pk, const uint8_t *pub, size_t pub_len);

/* mamori_ecdsa_verify with a prepared key: the same result for every input
 * (variable time, like it: all inputs are public). */
int mamori_ecdsa_verify_prepared(const mamori_ec_prepared_t *pk, const uint8_t *digest,
                                 size_t digest_len, const uint8_t *sig_rs);

/* mamori_ecdh with a prepared peer key: the same results, constant time in
 * the private scalar (every table entry is read for every digit). */
int mamori_ecdh_prepared(uint8_t *shared_x, const uint8_t *priv, const mamori_ec_prepared_t *peer);
#endif

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
