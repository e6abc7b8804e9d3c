/* Object identifiers X.509 parsing recognises, by table: one lookup
 * classifies an OID as a known prefix and its last arc. */
#include <string.h>

#include "x509/x509_internal.h"

/* Content octets of each prefix, led by their count, in MAMORI_OID_* order. */
static const uint8_t prefixes[] = {
    8, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, /* PKCS1 */
    7, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03,       /* ECDSA_SHA2 */
    8, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, /* SHA2 */
    7, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03,       /* KP */
    3, 0x55, 0x1d, 0x25,                               /* EKU */
    2, 0x55, 0x1d,                                     /* CE */
    2, 0x2b, 0x65,                                     /* THAWTE */
    6, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,             /* EC_KEY */
    7, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01,       /* PRIME */
    4, 0x2b, 0x81, 0x04, 0x00,                         /* CERTICOM */
};

unsigned mamori_x509_oid_id(const uint8_t *oid, size_t n)
{
    unsigned id = 1;
    for (size_t i = 0; oid != NULL && i < sizeof prefixes; i += prefixes[i] + 1u, id++)
        if (n == prefixes[i] + 1u && memcmp(oid, prefixes + i + 1, prefixes[i]) == 0)
            return MAMORI_OID(id, oid[n - 1]);
    return 0;
}

unsigned mamori_x509_oid(mamori_der_t *d)
{
    size_t n;
    const uint8_t *oid = mamori_der_oid(d, &n);
    return mamori_x509_oid_id(oid, n);
}
