/* Certificate signature verification (RFC 5280 6.1.3 (a)(1)). */
#include <string.h>

#include "mamori/ecc.h"
#include "mamori/ed25519.h"
#include "mamori/error.h"
#include "mamori/rsa.h"
#include "mamori/sha2.h"
#include "x509/spki.h"
#include "x509/x509_internal.h"

#define RSA_MIN_BITS 2048

#if MAMORI_RSA
static size_t rsa_bits(const mamori_x509_t *c)
{
    size_t bits = 8u * c->key.rsa_n.len;
    for (uint8_t top = bits ? *mamori_x509_at(c, c->key.rsa_n) : 0x80; bits && !(top & 0x80);
         top <<= 1) /* bits: a zero modulus (one 00 octet) must end too */
        bits--;
    return bits;
}
#endif

bool mamori_x509_key_ok(const mamori_x509_t *c)
{
    switch (c->key.alg) {
#if MAMORI_P256
    case MAMORI_SPKI_EC_P256:
        return true;
#endif
#if MAMORI_P384
    case MAMORI_SPKI_EC_P384:
        return true;
#endif
#if MAMORI_ED25519
    case MAMORI_SPKI_ED25519:
        return true;
#endif
#if MAMORI_RSA
    case MAMORI_SPKI_RSA:
        return rsa_bits(c) >= RSA_MIN_BITS && rsa_bits(c) <= MAMORI_RSA_MAX_BITS;
#endif
    default:
        return false;
    }
}

int mamori_x509_check_sig(const mamori_x509_t *c, const mamori_x509_t *issuer)
{
    uint8_t digest[MAMORI_HASH_MAX_LEN];
    int rc = MAMORI_ERR_CERT_UNSUPPORTED_ALG;
    const mamori_x509_key_t *key = &issuer->key;
    const uint8_t *tbs = mamori_x509_at(c, c->tbs), *sig = mamori_x509_at(c, c->sig);
    if (!mamori_x509_key_ok(issuer))
        return MAMORI_ERR_CERT_UNSUPPORTED_ALG;
    if (c->sig_type != MAMORI_X509_SIG_ED25519 && c->sig_type != 0 &&
        mamori_hash(c->sig_hash, tbs, c->tbs.len, digest) != MAMORI_OK)
        return MAMORI_ERR_CERT_UNSUPPORTED_ALG;
    switch (c->sig_type) {
#if MAMORI_RSA
    case MAMORI_X509_SIG_RSA_PKCS1:
    case MAMORI_X509_SIG_RSA_PSS: {
        if (key->alg != MAMORI_SPKI_RSA)
            return MAMORI_ERR_CERT_BAD_SIGNATURE;
        mamori_rsa_public_t rsa = {mamori_x509_at(issuer, key->rsa_n), key->rsa_n.len,
                                   mamori_x509_at(issuer, key->rsa_e), key->rsa_e.len};
        if (c->sig_type == MAMORI_X509_SIG_RSA_PKCS1)
            rc = mamori_rsa_pkcs1_verify(&rsa, c->sig_hash, digest, sig, c->sig.len);
        else
            rc = mamori_rsa_pss_verify(&rsa, c->sig_hash, c->sig_hash, c->pss_salt, digest, sig,
                                       c->sig.len);
        break;
    }
#endif
#if MAMORI_P256 || MAMORI_P384
    case MAMORI_X509_SIG_ECDSA: {
        uint8_t rs[2 * 48];
        int curve = key->alg == MAMORI_SPKI_EC_P256   ? MAMORI_EC_P256
                    : key->alg == MAMORI_SPKI_EC_P384 ? MAMORI_EC_P384
                                                      : 0;
        if (curve == 0 || mamori_ecdsa_sig_from_der(curve, rs, sig, c->sig.len) != MAMORI_OK)
            return MAMORI_ERR_CERT_BAD_SIGNATURE;
        rc = mamori_ecdsa_verify(curve, mamori_x509_at(issuer, key->key), key->key.len, digest,
                                 mamori_hash_len(c->sig_hash), rs);
        break;
    }
#endif
#if MAMORI_ED25519
    case MAMORI_X509_SIG_ED25519:
        if (key->alg != MAMORI_SPKI_ED25519 || c->sig.len != MAMORI_ED25519_SIG_LEN)
            return MAMORI_ERR_CERT_BAD_SIGNATURE;
        rc = mamori_ed25519_verify(sig, tbs, c->tbs.len, mamori_x509_at(issuer, key->key));
        break;
#endif
    default:
        return MAMORI_ERR_CERT_UNSUPPORTED_ALG;
    }
    if (rc == MAMORI_ERR_UNSUPPORTED)
        return MAMORI_ERR_CERT_UNSUPPORTED_ALG;
    return rc == MAMORI_OK ? MAMORI_OK : MAMORI_ERR_CERT_BAD_SIGNATURE;
}
