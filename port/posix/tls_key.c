/* PEM private keys (PKCS#8, SEC1, PKCS#1) for hosted TLS use. */
#define _POSIX_C_SOURCE 200809L
#include "tls_key.h"

#include <stdio.h>
#include <string.h>

#include "mamori/ct.h"
#include "mamori/error.h"
#include "mamori/pem.h"
#include "mamori/tls.h"
#include "x509/der.h"

static const uint8_t oid_ec[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const uint8_t oid_p256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t oid_p384[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
static const uint8_t oid_ed25519[] = {0x2b, 0x65, 0x70};
static const uint8_t oid_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};

#define OID_IS(p, n, oid) mamori_der_oid_equal(p, n, oid, sizeof oid)

static int put(uint8_t *out, size_t cap, size_t *out_len, const uint8_t *p, size_t n)
{
    if (n > cap)
        return MAMORI_ERR_BUFSIZE;
    memcpy(out, p, n);
    *out_len = n;
    return 0;
}

/* The EC scalar, left-padded to the curve size. */
static int put_scalar(uint8_t *out, size_t cap, size_t *out_len, const uint8_t *d, size_t n,
                      size_t size)
{
    if (n > size || size > cap)
        return n > size ? MAMORI_ERR_MALFORMED : MAMORI_ERR_BUFSIZE;
    memset(out, 0, size - n);
    memcpy(out + size - n, d, n);
    *out_len = size;
    return 0;
}

/* SEC1 ECPrivateKey (RFC 5915); curve from its parameters or from PKCS#8. */
static int sec1(const uint8_t *der, size_t len, const uint8_t *curve, size_t curve_len,
                uint8_t *out, size_t cap, size_t *out_len, uint16_t *scheme)
{
    mamori_der_t top, k;
    const uint8_t *d;
    size_t d_len, size;
    mamori_der_init(&top, der, len);
    k = mamori_der_enter(&top, MAMORI_DER_SEQUENCE);
    if (mamori_der_uint32(&k) != 1)
        return MAMORI_ERR_MALFORMED;
    d = mamori_der_octets(&k, &d_len);
    if (mamori_der_peek(&k) == MAMORI_DER_CONTEXT(0)) {
        mamori_der_t params = mamori_der_enter(&k, MAMORI_DER_CONTEXT(0));
        curve = mamori_der_oid(&params, &curve_len);
    }
    if (!mamori_der_ok(&k) || !curve)
        return MAMORI_ERR_MALFORMED;
    if (OID_IS(curve, curve_len, oid_p256)) {
        *scheme = MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256;
        size = 32;
    } else if (OID_IS(curve, curve_len, oid_p384)) {
        *scheme = MAMORI_TLS_SIG_ECDSA_SECP384R1_SHA384;
        size = 48;
    } else {
        return MAMORI_ERR_UNSUPPORTED;
    }
    return put_scalar(out, cap, out_len, d, d_len, size);
}

static int pkcs8(const uint8_t *der, size_t len, uint8_t *out, size_t cap, size_t *out_len,
                 uint16_t *scheme)
{
    mamori_der_t top, k, alg;
    const uint8_t *oid, *curve = NULL, *inner;
    size_t oid_len, curve_len = 0, inner_len;
    mamori_der_init(&top, der, len);
    k = mamori_der_enter(&top, MAMORI_DER_SEQUENCE);
    if (mamori_der_uint32(&k) > 1)
        return MAMORI_ERR_MALFORMED;
    alg = mamori_der_enter(&k, MAMORI_DER_SEQUENCE);
    oid = mamori_der_oid(&alg, &oid_len);
    if (mamori_der_peek(&alg) == MAMORI_DER_OID)
        curve = mamori_der_oid(&alg, &curve_len);
    inner = mamori_der_octets(&k, &inner_len);
    if (!mamori_der_ok(&k) || !mamori_der_ok(&alg) || !oid || !inner)
        return MAMORI_ERR_MALFORMED;
    if (OID_IS(oid, oid_len, oid_ec))
        return sec1(inner, inner_len, curve, curve_len, out, cap, out_len, scheme);
    if (OID_IS(oid, oid_len, oid_ed25519)) {
        mamori_der_t seed;
        const uint8_t *p;
        size_t n;
        mamori_der_init(&seed, inner, inner_len);
        p = mamori_der_octets(&seed, &n);
        if (!mamori_der_done(&seed) || n != 32)
            return MAMORI_ERR_MALFORMED;
        *scheme = MAMORI_TLS_SIG_ED25519;
        return put(out, cap, out_len, p, n);
    }
    if (OID_IS(oid, oid_len, oid_rsa)) {
        *scheme = MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA256;
        return put(out, cap, out_len, inner, inner_len);
    }
    return MAMORI_ERR_UNSUPPORTED;
}

int mamori_tls_key_from_pem(const char *pem, size_t len, uint8_t *out, size_t cap,
                            size_t *out_len, uint16_t *scheme)
{
    static const char *const labels[] = {"PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"};
    uint8_t der[4096];
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        size_t pos = 0, n = 0;
        int err = mamori_pem_decode(pem, len, &pos, labels[i], der, sizeof der, &n);
        if (err == MAMORI_ERR_NOTFOUND)
            continue;
        if (err == 0) {
            if (i == 0)
                err = pkcs8(der, n, out, cap, out_len, scheme);
            else if (i == 1)
                err = sec1(der, n, NULL, 0, out, cap, out_len, scheme);
            else {
                *scheme = MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA256;
                err = put(out, cap, out_len, der, n);
            }
        }
        mamori_zeroize(der, sizeof der);
        return err;
    }
    return MAMORI_ERR_NOTFOUND;
}

long mamori_tls_read_file(const char *path, void *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f || cap == 0)
        return -1;
    n = fread(buf, 1, cap - 1, f);
    if (!feof(f)) {
        fclose(f);
        return -1;
    }
    fclose(f);
    ((char *)buf)[n] = 0;
    return (long)n;
}
