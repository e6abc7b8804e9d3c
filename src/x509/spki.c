/* SubjectPublicKeyInfo parsing, in place. */
#include "x509/spki.h"

#include <string.h>

#include "mamori/error.h"
#include "x509/x509_internal.h"

#define OID(prefix, arc) MAMORI_OID(MAMORI_OID_##prefix, arc)

/* The algorithm from an AlgorithmIdentifier's content, or 0 if unknown
 * (the content is then skipped). */
static mamori_spki_alg_t read_algorithm(mamori_der_t *alg)
{
    unsigned id = mamori_x509_oid(alg);
    if (id == OID(EC_KEY, 1)) {
        if (mamori_der_peek(alg) != MAMORI_DER_OID) /* explicit parameters: unsupported */
            return 0;
        id = mamori_x509_oid(alg);
        return id == OID(PRIME, 7)      ? MAMORI_SPKI_EC_P256
               : id == OID(CERTICOM, 34) ? MAMORI_SPKI_EC_P384
                                         : 0;
    }
    if (id == OID(THAWTE, 112))
        return MAMORI_SPKI_ED25519; /* RFC 8410 3: parameters absent */
    if (id == OID(PKCS1, 1)) {
        mamori_der_null(alg); /* RFC 3279 2.3.1: parameters NULL */
        return MAMORI_SPKI_RSA;
    }
    return 0;
}

int mamori_spki_read(mamori_der_t *d, mamori_spki_t *out)
{
    memset(out, 0, sizeof *out);
    mamori_der_t outer = mamori_der_enter(d, MAMORI_DER_SEQUENCE);
    mamori_der_t inner = mamori_der_enter(&outer, MAMORI_DER_SEQUENCE);
    mamori_spki_alg_t which = read_algorithm(&inner);
    out->key = mamori_der_bit_octets(&outer, &out->key_len);
    if (!mamori_der_ok(&inner) || (which != 0 && !mamori_der_done(&inner)) ||
        !mamori_der_done(&outer))
        mamori_der_fail(d);
    if (which == MAMORI_SPKI_RSA) { /* after an error this fails d again */
        /* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
        mamori_der_t key;
        mamori_der_init(&key, out->key, out->key_len);
        key.depth = d->depth;
        mamori_der_t seq = mamori_der_enter(&key, MAMORI_DER_SEQUENCE);
        out->rsa_n = mamori_der_uint(&seq, &out->rsa_n_len);
        out->rsa_e = mamori_der_uint(&seq, &out->rsa_e_len);
        mamori_der_end(&key, &seq);
        mamori_der_end(d, &key);
    }
    if (which == MAMORI_SPKI_ED25519 && out->key_len != 32)
        mamori_der_fail(d);
    if (!mamori_der_ok(d) || which == 0) {
        memset(out, 0, sizeof *out);
        return mamori_der_ok(d) ? MAMORI_ERR_UNSUPPORTED : MAMORI_ERR_MALFORMED;
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
