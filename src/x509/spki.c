/* SubjectPublicKeyInfo parsing, in place. */
#include "x509/spki.h"

#include <string.h>

#include "mamori/error.h"

/* Content octets of the algorithm OIDs. */
static const uint8_t oid_ec_public_key[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t oid_prime256v1[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t oid_secp384r1[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t oid_ed25519[] = {0x2b, 0x65, 0x70};
static const uint8_t oid_rsa_encryption[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};

#define OID_IS(p, n, oid) mamori_der_oid_equal((p), (n), (oid), sizeof(oid))

/* The algorithm from an AlgorithmIdentifier's content, or 0 if unknown
 * (the content is then skipped). */
static mamori_spki_alg_t read_algorithm(mamori_der_t *alg)
{
    size_t n, pn;
    const uint8_t *oid = mamori_der_oid(alg, &n);
    if (OID_IS(oid, n, oid_ec_public_key)) {
        if (mamori_der_peek(alg) != MAMORI_DER_OID) /* explicit parameters: unsupported */
            return 0;
        const uint8_t *curve = mamori_der_oid(alg, &pn);
        if (OID_IS(curve, pn, oid_prime256v1))
            return MAMORI_SPKI_EC_P256;
        if (OID_IS(curve, pn, oid_secp384r1))
            return MAMORI_SPKI_EC_P384;
        return 0;
    }
    if (OID_IS(oid, n, oid_ed25519))
        return MAMORI_SPKI_ED25519; /* RFC 8410 3: parameters absent */
    if (OID_IS(oid, n, oid_rsa_encryption)) {
        mamori_der_null(alg); /* RFC 3279 2.3.1: parameters NULL */
        return MAMORI_SPKI_RSA;
    }
    return 0;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static void read_rsa_key(mamori_der_t *d, mamori_spki_t *out)
{
    mamori_der_t outer, seq;
    mamori_der_init(&outer, out->key, out->key_len);
    outer.depth = d->depth;
    seq = mamori_der_enter(&outer, MAMORI_DER_SEQUENCE);
    out->rsa_n = mamori_der_uint(&seq, &out->rsa_n_len);
    out->rsa_e = mamori_der_uint(&seq, &out->rsa_e_len);
    if (!mamori_der_done(&seq) || !mamori_der_done(&outer))
        mamori_der_fail(d);
}

int mamori_spki_read(mamori_der_t *d, mamori_spki_t *out)
{
    mamori_der_t spki, alg;
    memset(out, 0, sizeof *out);
    spki = mamori_der_enter(d, MAMORI_DER_SEQUENCE);
    alg = mamori_der_enter(&spki, MAMORI_DER_SEQUENCE);
    mamori_spki_alg_t which = read_algorithm(&alg);
    out->key = mamori_der_bit_octets(&spki, &out->key_len);
    if (which != 0 && !mamori_der_done(&alg))
        mamori_der_fail(d);
    if (!mamori_der_ok(&alg) || !mamori_der_done(&spki))
        mamori_der_fail(d);
    if (mamori_der_ok(d) && which == MAMORI_SPKI_RSA)
        read_rsa_key(d, out);
    if (mamori_der_ok(d) && which == MAMORI_SPKI_ED25519 && out->key_len != 32)
        mamori_der_fail(d);
    if (!mamori_der_ok(d)) {
        memset(out, 0, sizeof *out);
        return MAMORI_ERR_MALFORMED;
    }
    if (which == 0) {
        memset(out, 0, sizeof *out);
        return MAMORI_ERR_UNSUPPORTED;
    }
    out->alg = which;
    return MAMORI_OK;
}

int mamori_spki_parse(mamori_spki_t *out, const uint8_t *der, size_t len)
{
    mamori_der_t d;
    mamori_der_init(&d, der, len);
    int rc = mamori_spki_read(&d, out);
    if (rc == MAMORI_OK && !mamori_der_done(&d)) {
        memset(out, 0, sizeof *out);
        return MAMORI_ERR_MALFORMED;
    }
    return rc;
}
