/* Shared helpers of the X.509 modules (not part of the public API). */
#ifndef MAMORI_X509_INTERNAL_H
#define MAMORI_X509_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mamori/x509.h"
#include "x509/der.h"

#define MAMORI_DER_BOOLEAN 0x01

/* RFC 5280 4.1.2.5: a UTCTime or GeneralizedTime as Unix seconds; fails d
 * on anything but YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ with valid fields. */
int64_t mamori_der_time(mamori_der_t *d);

/* RFC 5280 7.1: two Names (whole elements) are equal. */
bool mamori_x509_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* Whether key is usable here (supported type, RSA 2048..MAX bits). */
bool mamori_x509_key_ok(const mamori_x509_key_t *key);
/* Checks c's signature with the issuer's key: 0, MAMORI_ERR_CERT_BAD_SIGNATURE
 * or MAMORI_ERR_CERT_UNSUPPORTED_ALG. */
int mamori_x509_check_sig(const mamori_x509_t *c, const mamori_x509_key_t *key);

/* RFC 5280 4.2.1.10: 0 if the names of c (its subjectAltName, and its
 * subject for unsupported directoryName constraints) satisfy the permitted
 * and excluded subtrees, else MAMORI_ERR_CERT_CONSTRAINT. */
int mamori_x509_check_nc(const mamori_x509_t *c, const uint8_t *permitted, size_t permitted_len,
                         const uint8_t *excluded, size_t excluded_len);

#endif
