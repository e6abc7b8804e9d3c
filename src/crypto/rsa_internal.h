/* Pieces shared by the RSA files: key checks, the public-key primitive
 * (RSAVP1) and the PSS encoding used by signing. */
#ifndef MAMORI_CRYPTO_RSA_INTERNAL_H
#define MAMORI_CRYPTO_RSA_INTERNAL_H

#include "crypto/bignum.h"
#include "mamori/rsa.h"

/* A public key after validation. */
typedef struct {
    const uint8_t *n; /* modulus without leading zero bytes */
    size_t n_len;     /* k, the modulus length in bytes */
    size_t bits;      /* modulus length in bits */
    uint32_t e;
} mamori_rsa_pub_info_t;

/* Checks the modulus (odd, min_bits..MAMORI_RSA_MAX_BITS) and the exponent
 * (odd, 3..2^32-1). Returns 0 or MAMORI_ERR_BADKEY. */
int mamori_rsa_pub_info(mamori_rsa_pub_info_t *info, const uint8_t *n, size_t n_len,
                        const uint8_t *e, size_t e_len, size_t min_bits);

/* RSAVP1 (RFC 8017 §5.2.2): the first k bytes of em = sig^e mod n, after
 * checking that sig is k bytes and less than n. em (MAMORI_BN_MAX_LIMBS
 * limbs) is also the exponentiation's accumulator, so that a verifier holds
 * one modulus-size number while this holds two more (the modulus and a
 * product) and the encoded message is then checked in place. Returns 0,
 * MAMORI_ERR_BADSIG or MAMORI_ERR_BADKEY; fills info. */
int mamori_rsa_public_op(const mamori_rsa_public_t *key, const uint8_t *sig, size_t sig_len,
                         mamori_limb_t *em, mamori_rsa_pub_info_t *info);

/* EMSA-PSS-ENCODE (RFC 8017 §9.1.1) into em, which is ceil(em_bits/8)
 * bytes, with MGF1 over the same hash. The salt comes from rng. */
int mamori_rsa_pss_encode(uint8_t *em, size_t em_bits, mamori_hash_id_t hash,
                          const uint8_t *digest, size_t salt_len, mamori_rng_fn rng,
                          void *rng_ctx);

#endif
