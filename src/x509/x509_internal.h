/* Shared helpers of the X.509 modules (not part of the public API). */
#ifndef MAMORI_X509_INTERNAL_H
#define MAMORI_X509_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/x509.h"
#include "x509/der.h"

#define MAMORI_DER_BOOLEAN 0x01

/* The bytes a span of c covers. */
static inline const uint8_t *mamori_x509_at(const mamori_x509_t *c, mamori_x509_span_t s)
{
    return c->der + s.off;
}

/* OIDs are classified as one of these prefixes plus a last one-octet arc:
 * MAMORI_OID(prefix, arc). */
enum {
    MAMORI_OID_PKCS1 = 1, /* 1.2.840.113549.1.1: RSA algorithms, MGF1 */
    MAMORI_OID_ECDSA_SHA2, /* 1.2.840.10045.4.3: ecdsa-with-SHA2 */
    MAMORI_OID_SHA2,       /* 2.16.840.1.101.3.4.2: SHA-2 hashes */
    MAMORI_OID_KP,         /* 1.3.6.1.5.5.7.3: key purposes */
    MAMORI_OID_EKU,        /* 2.5.29.37: anyExtendedKeyUsage is arc 0 */
    MAMORI_OID_CE,         /* 2.5.29: certificate extensions */
    MAMORI_OID_THAWTE,     /* 1.3.101: Ed25519 is arc 112 */
    MAMORI_OID_EC_KEY,     /* 1.2.840.10045.2: id-ecPublicKey is arc 1 */
    MAMORI_OID_PRIME,      /* 1.2.840.10045.3.1: prime256v1 is arc 7 */
    MAMORI_OID_CERTICOM,   /* 1.3.132.0: secp384r1 is arc 34 */
};
#define MAMORI_OID(prefix, arc) ((unsigned)(prefix) << 8 | (arc))

/* MAMORI_OID(prefix, arc) for the content octets of an OID with a known
 * prefix, else 0 (also for oid NULL). */
unsigned mamori_x509_oid_id(const uint8_t *oid, size_t n);
/* Reads an OBJECT IDENTIFIER from d and classifies it. */
unsigned mamori_x509_oid(mamori_der_t *d);

/* RFC 5280 4.1.2.5: a UTCTime or GeneralizedTime as Unix seconds; fails d
 * on anything but YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ with valid fields. */
int64_t mamori_der_time(mamori_der_t *d);

/* ASCII lower case. */
uint8_t mamori_x509_lower(uint8_t ch);

/* Walks the attributes of a Name (4.1.2.4): name holds the content of the
 * Name SEQUENCE, rdn starts zeroed. Each step reads one AttributeTypeAndValue
 * into oid and tag/val, and returns 1 when it opens a new RDN, 2 when it is
 * another attribute of the same RDN, 0 at the end, -1 for bad DER (an
 * empty RDN included). */
typedef struct {
    mamori_der_t name, rdn;
    const uint8_t *oid, *val;
    size_t oid_len, val_len;
    uint8_t tag;
} mamori_x509_name_t;
int mamori_x509_name_next(mamori_x509_name_t *it);

/* RFC 5280 7.1: two Names (whole elements) are equal. */
bool mamori_x509_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* Whether c's key is usable here (supported type, RSA 2048..MAX bits). */
bool mamori_x509_key_ok(const mamori_x509_t *c);
/* Checks c's signature with the key of issuer: 0,
 * MAMORI_ERR_CERT_BAD_SIGNATURE or MAMORI_ERR_CERT_UNSUPPORTED_ALG. */
int mamori_x509_check_sig(const mamori_x509_t *c, const mamori_x509_t *issuer);

/* 0 if a subjectAltName entry of c with the GeneralName tag presents ref:
 * a validated host name for dNSName (RFC 9525 6.3), an address for
 * iPAddress (byte for byte); else MAMORI_ERR_CERT_NAME_MISMATCH. (One
 * out-of-line matcher for both: GCC would specialise a static one.) */
int mamori_x509_san_match(const mamori_x509_t *c, uint8_t tag, const uint8_t *ref, size_t len);

/* RFC 5280 4.2.1.10: 0 if the names of c (its subjectAltName, and its
 * subject for unsupported directoryName constraints) satisfy the permitted
 * and excluded subtrees of issuer, else MAMORI_ERR_CERT_CONSTRAINT. */
int mamori_x509_check_nc(const mamori_x509_t *c, const mamori_x509_t *issuer);

#endif
