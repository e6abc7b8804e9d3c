/*
 * RSA signatures (RFC 8017): verification of RSASSA-PKCS1-v1_5 and RSASSA-PSS
 * for X.509 and TLS 1.3, and RSASSA-PSS signing with CRT, blinding and a
 * verify-before-release fault check.
 *
 * Keys are borrowed big-endian byte strings (leading zero bytes allowed) and
 * are never copied or modified. Digests are computed by the caller; the
 * digest length is mamori_hash_len(hash).
 *
 * Limits: verification accepts moduli of 1024 to MAMORI_RSA_MAX_BITS bits
 * (1024 only for legacy certificates); signing needs 2048 bits or more.
 * The public exponent must be odd, at least 3 and at most 32 bits long
 * (larger exponents are rare and make verification slower): others give
 * MAMORI_ERR_BADKEY.
 */
#ifndef MAMORI_RSA_H
#define MAMORI_RSA_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/config.h"
#include "mamori/rng.h"
#include "mamori/sha2.h"

#define MAMORI_RSA_MAX_BYTES ((MAMORI_RSA_MAX_BITS + 7) / 8)

typedef struct {
    const uint8_t *n;
    size_t n_len;
    const uint8_t *e;
    size_t e_len;
} mamori_rsa_public_t;

/* RSAPrivateKey of RFC 8017 §A.1.2 (two primes). d is not used for signing
 * (the CRT values are) but is kept so a parsed key is complete. */
typedef struct {
    const uint8_t *n, *e, *d, *p, *q, *dp, *dq, *qinv;
    size_t n_len, e_len, d_len, p_len, q_len, dp_len, dq_len, qinv_len;
} mamori_rsa_private_t;

/* RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2). The expected encoded
 * message (DigestInfo with NULL parameters) is rebuilt and compared whole.
 * sig_len must equal the modulus length. Returns 0, MAMORI_ERR_BADSIG,
 * MAMORI_ERR_BADKEY or MAMORI_ERR_UNSUPPORTED (hash). */
int mamori_rsa_pkcs1_verify(const mamori_rsa_public_t *key, mamori_hash_id_t hash,
                            const uint8_t *digest, const uint8_t *sig, size_t sig_len);

/* RSASSA-PSS verification (RFC 8017 §8.1.2) with MGF1(mgf_hash) and an exact
 * salt length. Same return values as mamori_rsa_pkcs1_verify(). */
int mamori_rsa_pss_verify(const mamori_rsa_public_t *key, mamori_hash_id_t hash,
                          mamori_hash_id_t mgf_hash, size_t salt_len, const uint8_t *digest,
                          const uint8_t *sig, size_t sig_len);

/* Bytes of work buffer mamori_rsa_pss_sign() needs for a modulus of up to
 * `bits` bits (any alignment; about 3 times the modulus length). */
#define MAMORI_RSA_WORK_FULL_(bits) ((((size_t)(bits) + 63) / 64) * 8)
#define MAMORI_RSA_WORK_HALF_(bits) ((((size_t)(bits) + 63) / 64 / 2 + 1) * 8)
#define MAMORI_RSA_SIGN_WORK_SIZE(bits) \
    (10 * MAMORI_RSA_WORK_FULL_(bits) + 27 * MAMORI_RSA_WORK_HALF_(bits) + 8)

/* RSASSA-PSS signing (RFC 8017 §8.1.1), MGF1 with the same hash. Writes the
 * modulus length in bytes to sig (sig_cap must be at least that). rng provides
 * the salt and the blinding value. The big numbers live in the caller's
 * work buffer of work_len >= MAMORI_RSA_SIGN_WORK_SIZE(modulus bits) bytes
 * (MAMORI_ERR_BUFSIZE otherwise), so the function's own stack stays small;
 * it is wiped before return. On any failure sig holds no signature;
 * MAMORI_ERR_FAULT means the result did not verify (fault or bad CRT values). */
int mamori_rsa_pss_sign(const mamori_rsa_private_t *key, mamori_hash_id_t hash,
                        const uint8_t *digest, size_t salt_len, uint8_t *sig, size_t sig_cap,
                        mamori_rng_fn rng, void *rng_ctx, uint8_t *work, size_t work_len);

/* Parses a DER RSAPrivateKey (PKCS#1, RFC 8017 §A.1.2, version 0) and points
 * key's fields into der, without the sign byte of each INTEGER. Returns 0,
 * MAMORI_ERR_MALFORMED or MAMORI_ERR_UNSUPPORTED (multi-prime keys). */
int mamori_rsa_private_parse(mamori_rsa_private_t *key, const uint8_t *der, size_t der_len);

#endif
