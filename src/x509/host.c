/* Reference identity checks (RFC 9525 6) and name constraints (RFC 5280
 * 4.2.1.10) over subjectAltName entries. */
#include <string.h>

#include "mamori/error.h"
#include "x509/x509_internal.h"

#define GN_DNS MAMORI_DER_CONTEXT_PRIM(2)
#define GN_IP MAMORI_DER_CONTEXT_PRIM(7)
#define GN_DIRECTORY MAMORI_DER_CONTEXT(4)
#define HOST_MAX 253

/* ASCII case-insensitive equality of a[ao..ao+n) and b[bo..bo+n). */
static bool ci_equal(const uint8_t *a, size_t ao, const uint8_t *b, size_t bo, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (mamori_x509_lower(a[ao + i]) != mamori_x509_lower(b[bo + i]))
            return false;
    return true;
}

/* RFC 9525 6.3: pat is a presented dNSName, host a validated reference. A
 * wildcard is "*" as the whole left-most label, with at least two labels
 * after it, and stands for exactly one non-empty label (6.3 rules 1-3). */
static bool dns_match(const uint8_t *pat, size_t plen, const uint8_t *host, size_t hlen)
{
    if (plen >= 2 && pat[0] == '*' && pat[1] == '.') {
        size_t dots = 0, first = 0;
        for (size_t i = 1; i < plen; i++)
            dots += pat[i] == '.';
        while (first < hlen && host[first] != '.')
            first++;
        return dots >= 2 && first > 0 && hlen - first == plen - 1 &&
               ci_equal(host, first, pat, 1, plen - 1);
    }
    return plen == hlen && ci_equal(pat, 0, host, 0, hlen);
}

/* A reference host name: LDH labels of 1..63 characters, at most 253 in
 * all (one trailing dot ignored), not all-numeric at the end (that is an
 * IP address: use mamori_x509_check_ip). Returns the length or 0. */
static size_t host_len(const char *name)
{
    size_t n = 0, label = 0;
    bool numeric = true;
    if (name == NULL)
        return 0;
    for (; name[n] != 0; n++) {
        uint8_t ch = (uint8_t)name[n];
        if (ch == '.') {
            if (label == 0)
                return 0;
            if (name[n + 1] == 0) /* the trailing dot, not counted */
                break;
            label = 0;
            numeric = true;
            continue;
        }
        bool digit = ch >= '0' && ch <= '9';
        if (!digit && ch != '-' && (uint8_t)((ch | 0x20) - 'a') > 'z' - 'a')
            return 0;
        numeric = numeric && digit;
        if (++label > 63)
            return 0;
    }
    return label == 0 || numeric || n > HOST_MAX ? 0 : n;
}

#if MAMORI_X509_CN_FALLBACK
/* The last commonName (2.5.4.3) of the subject, or false. */
static bool last_cn(const mamori_x509_t *c, const uint8_t **cn, size_t *cn_len)
{
    static const uint8_t oid_cn[] = {0x55, 0x04, 0x03};
    mamori_der_t d;
    size_t n;
    uint8_t tag;
    bool found = false;
    mamori_der_init(&d, mamori_x509_at(c, c->subject), c->subject.len);
    mamori_der_t name = mamori_der_enter(&d, MAMORI_DER_SEQUENCE);
    while (mamori_der_more(&name)) {
        mamori_der_t rdn = mamori_der_enter(&name, MAMORI_DER_SET);
        while (mamori_der_more(&rdn)) {
            mamori_der_t atv = mamori_der_enter(&rdn, MAMORI_DER_SEQUENCE);
            const uint8_t *oid = mamori_der_oid(&atv, &n);
            mamori_der_t v = mamori_der_any(&atv, &tag);
            if (mamori_der_oid_equal(oid, n, oid_cn, sizeof oid_cn) && mamori_der_ok(&atv)) {
                *cn_len = mamori_rd_left(&v.rd);
                *cn = mamori_rd_take(&v.rd, *cn_len);
                found = true;
            }
        }
    }
    return found && mamori_der_ok(&name);
}
#endif

/* The next GeneralName of d: its tag and value p[0..n). At the end the tag
 * is 0 (p NULL, n 0) and d fails: the caller stops using it. */
static uint8_t next_name(mamori_der_t *d, const uint8_t **p, size_t *n)
{
    uint8_t tag = mamori_der_peek(d);
    *p = mamori_der_tlv(d, tag, n);
    return tag;
}

int mamori_x509_san_match(const mamori_x509_t *c, uint8_t tag, const uint8_t *ref, size_t len)
{
    mamori_der_t d;
    const uint8_t *p;
    size_t n;
    uint8_t t;
    mamori_der_init(&d, mamori_x509_at(c, c->san), c->san.len);
    while ((t = next_name(&d, &p, &n)) != 0)
        if (t == tag && (tag == GN_DNS ? dns_match(p, n, ref, len)
                                       : n == len && memcmp(p, ref, len) == 0))
            return MAMORI_OK;
    return MAMORI_ERR_CERT_NAME_MISMATCH;
}

int mamori_x509_check_host(const mamori_x509_t *c, const char *name)
{
    size_t hlen = host_len(name);
    if (hlen == 0)
        return MAMORI_ERR_INVAL;
    const uint8_t *host = (const uint8_t *)name;
    int rc = mamori_x509_san_match(c, GN_DNS, host, hlen);
#if MAMORI_X509_CN_FALLBACK
    const uint8_t *cn;
    size_t cn_len;
    if (rc != MAMORI_OK && !(c->flags & MAMORI_X509_F_SAN) && last_cn(c, &cn, &cn_len) &&
        cn_len > 0 && dns_match(cn, cn_len, host, hlen))
        rc = MAMORI_OK;
#endif
    return rc;
}

int mamori_x509_check_ip(const mamori_x509_t *c, const uint8_t *ip, size_t len)
{
    if (ip == NULL || (len != 4 && len != 16))
        return MAMORI_ERR_INVAL;
    return mamori_x509_san_match(c, GN_IP, ip, len);
}

/* 4.2.1.10: a dNSName is within base when it equals it or extends it on
 * the left by whole labels (a base starting with "." needs a label more). */
static bool nc_dns(const uint8_t *base, size_t blen, const uint8_t *name, size_t nlen)
{
    if (blen == 0)
        return true;
    if (nlen < blen)
        return false;
    size_t off = nlen - blen;
    if (off > 0 && base[0] != '.' && name[off - 1] != '.')
        return false;
    return ci_equal(name, off, base, 0, blen);
}

/* 4.2.1.10: iPAddress base is address then mask (8 or 32 octets). */
static bool nc_ip(const uint8_t *base, size_t blen, const uint8_t *ip, size_t len)
{
    if (blen != 2 * len)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((ip[i] & base[len + i]) != (base[i] & base[len + i]))
            return false;
    return true;
}

/* Whether a subtree of list has the form tag (1), and also contains the
 * name v[0..vn) (3; only dNSName and iPAddress forms can), else 0. */
static unsigned scan_subtrees(const uint8_t *list, size_t list_len, uint8_t tag,
                              const uint8_t *v, size_t vn)
{
    mamori_der_t d;
    const uint8_t *base;
    size_t bn;
    unsigned found = 0;
    mamori_der_init(&d, list, list_len);
    while (mamori_der_more(&d)) {
        mamori_der_t st = mamori_der_enter(&d, MAMORI_DER_SEQUENCE);
        if (next_name(&st, &base, &bn) != tag || !mamori_der_ok(&st))
            continue;
        found |= 1;
        if ((tag == GN_DNS && nc_dns(base, bn, v, vn)) || (tag == GN_IP && nc_ip(base, bn, v, vn)))
            found = 3;
    }
    return found;
}

/* A name of form tag fails when an excluded subtree of that form contains
 * it, or permitted subtrees of that form exist and none contains it; forms
 * without matching rules here fail whenever constrained. */
static int check_name(uint8_t tag, const uint8_t *v, size_t vn, const mamori_x509_t *issuer)
{
    bool supported = tag == GN_DNS || tag == GN_IP;
    for (unsigned permitted = 0; permitted < 2; permitted++) {
        mamori_x509_span_t list = permitted ? issuer->nc_permitted : issuer->nc_excluded;
        unsigned found = scan_subtrees(mamori_x509_at(issuer, list), list.len, tag, v, vn);
        if (found && (!supported || (found == 3) != permitted))
            return MAMORI_ERR_CERT_CONSTRAINT;
    }
    return MAMORI_OK;
}

int mamori_x509_check_nc(const mamori_x509_t *c, const mamori_x509_t *issuer)
{
    mamori_der_t d;
    const uint8_t *p;
    size_t n;
    uint8_t tag;
    int rc = MAMORI_OK;
    /* The subject is a directoryName; directoryName constraints fail closed
     * (whatever the name: no value needed). */
    if (c->subject.len > 2)
        rc = check_name(GN_DIRECTORY, NULL, 0, issuer);
    mamori_der_init(&d, mamori_x509_at(c, c->san), c->san.len);
    while (rc == MAMORI_OK && (tag = next_name(&d, &p, &n)) != 0)
        rc = check_name(tag, p, n, issuer);
    return rc;
}
