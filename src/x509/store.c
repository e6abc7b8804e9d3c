/* Trust store: a caller-owned array of anchors (RFC 5280 6.1.1 (d)). */
#include <string.h>

#include "mamori/error.h"
#include "mamori/pem.h"
#include "x509/x509_internal.h"

void mamori_x509_store_init(mamori_x509_store_t *s, mamori_x509_anchor_t *anchors, size_t cap)
{
    s->anchors = anchors;
    s->count = 0;
    s->cap = cap;
}

int mamori_x509_store_add_der(mamori_x509_store_t *s, const uint8_t *der, size_t len)
{
    mamori_x509_t c;
    int rc = mamori_x509_parse(&c, der, len);
    if (rc != MAMORI_OK)
        return rc;
    if (c.flags & MAMORI_X509_F_UNKNOWN_CRIT)
        return MAMORI_ERR_CERT_CONSTRAINT;
    if (!mamori_x509_key_ok(&c))
        return MAMORI_ERR_CERT_UNSUPPORTED_ALG;
    if (s->count >= s->cap)
        return MAMORI_ERR_NOMEM;
    /* May it issue? cA set, or (without basicConstraints) a v1 root or a
     * keyUsage extension; never without keyCertSign when keyUsage exists. */
    uint16_t f = c.flags;
    bool ca = (f & MAMORI_X509_F_BC) ? (f & MAMORI_X509_F_CA) != 0
                                     : c.version == 1 || (f & MAMORI_X509_F_KU);
    if (ca && (!(f & MAMORI_X509_F_KU) || (c.key_usage & MAMORI_X509_KU_KEY_CERT_SIGN)))
        c.flags |= MAMORI_X509_F_ANCHOR_CA;
    s->anchors[s->count++] = c;
    return MAMORI_OK;
}

int mamori_x509_store_add_pem(mamori_x509_store_t *s, const char *pem, size_t len, uint8_t *buf,
                              size_t cap, size_t *used)
{
    size_t pos = 0, n;
    int added = 0, rc;
    *used = 0;
    while ((rc = mamori_pem_decode(pem, len, &pos, "CERTIFICATE", buf + *used, cap - *used, &n)) ==
           MAMORI_OK) {
        rc = mamori_x509_store_add_der(s, buf + *used, n);
        if (rc != MAMORI_OK)
            return rc;
        *used += n;
        added++;
    }
    if (rc != MAMORI_ERR_NOTFOUND)
        return rc;
    return added > 0 ? added : MAMORI_ERR_NOTFOUND;
}
