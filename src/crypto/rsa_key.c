/* DER RSAPrivateKey (RFC 8017 §A.1.2), parsed in place with the bounded
 * reader: a SEQUENCE of nine INTEGERs, version 0 (two primes only). */
#include "mamori/rsa.h"

#if MAMORI_RSA

#include "core/cursor.h"
#include "mamori/error.h"

#define DER_INTEGER 0x02
#define DER_SEQUENCE 0x30

/* Reads a DER tag and definite, minimal length (X.690 §10.1); returns the
 * contents as a sub-reader (failed on any error). */
static mamori_rd_t der_element(mamori_rd_t *rd, uint8_t tag)
{
    uint8_t got = mamori_rd_u8(rd), first = mamori_rd_u8(rd);
    size_t len = first;
    if (first == 0x81) {
        len = mamori_rd_u8(rd);
        if (len < 0x80)
            mamori_rd_fail(rd);
    } else if (first == 0x82) {
        len = mamori_rd_be16(rd);
        if (len < 0x100)
            mamori_rd_fail(rd);
    } else if (first >= 0x80) {
        mamori_rd_fail(rd);
    }
    if (got != tag)
        mamori_rd_fail(rd);
    return mamori_rd_sub(rd, len);
}

/* A non-negative, minimally encoded INTEGER, returned without its sign byte. */
static const uint8_t *der_unsigned(mamori_rd_t *rd, size_t *len)
{
    mamori_rd_t in = der_element(rd, DER_INTEGER);
    size_t n = mamori_rd_left(&in);
    const uint8_t *p = mamori_rd_take(&in, n);
    if (!p || n == 0 || (p[0] & 0x80) || (n > 1 && p[0] == 0 && !(p[1] & 0x80))) {
        mamori_rd_fail(rd);
        *len = 0;
        return NULL;
    }
    if (n > 1 && p[0] == 0) {
        p++;
        n--;
    }
    *len = n;
    return p;
}

int mamori_rsa_private_parse(mamori_rsa_private_t *key, const uint8_t *der, size_t der_len)
{
    mamori_rd_t rd, seq;
    size_t version_len;
    if (!key || !der)
        return MAMORI_ERR_INVAL;
    mamori_rd_init(&rd, der, der_len);
    seq = der_element(&rd, DER_SEQUENCE);
    const uint8_t *version = der_unsigned(&seq, &version_len);
    if (!mamori_rd_done(&rd) || !version || version_len != 1)
        return MAMORI_ERR_MALFORMED;
    if (version[0] != 0) /* 1 = multi-prime (otherPrimeInfos) */
        return version[0] == 1 ? MAMORI_ERR_UNSUPPORTED : MAMORI_ERR_MALFORMED;
    key->n = der_unsigned(&seq, &key->n_len);
    key->e = der_unsigned(&seq, &key->e_len);
    key->d = der_unsigned(&seq, &key->d_len);
    key->p = der_unsigned(&seq, &key->p_len);
    key->q = der_unsigned(&seq, &key->q_len);
    key->dp = der_unsigned(&seq, &key->dp_len);
    key->dq = der_unsigned(&seq, &key->dq_len);
    key->qinv = der_unsigned(&seq, &key->qinv_len);
    return mamori_rd_done(&seq) ? MAMORI_OK : MAMORI_ERR_MALFORMED;
}

#endif
