/* Reference identity checks (RFC 9525 6) and name constraints (RFC 5280
 * 4.2.1.10) over subjectAltName entries. */
#include <string.h>

#include "mamori/error.h"
#include "x509/x509_internal.h"

#define GN_DNS MAMORI_DER_CONTEXT_PRIM(2)
#define GN_IP MAMORI_DER_CONTEXT_PRIM(7)
#define GN_DIRECTORY MAMORI_DER_CONTEXT(4)
#define HOST_MAX 253

static uint8_t fold(uint8_t ch) { return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch + 32) : ch; }

/* ASCII case-insensitive equality of a[ao..ao+n) and b[bo..bo+n). */
static bool ci_equal(const uint8_t *a, size_t ao, const uint8_t *b, size_t bo, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fold(a[ao + i]) != fold(b[bo + i]))
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
        if (n > HOST_MAX)
            return 0;
        if (ch == '.') {
            if (label == 0)
                return 0;
            if (name[n + 1] == 0)
                return numeric ? 0 : n;
            label = 0;
            numeric = true;
            continue;
        }
        bool digit = ch >= '0' && ch <= '9';
        if (!digit && ch != '-' && !(fold(ch) >= 'a' && fold(ch) <= 'z'))
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
    mamori_der_init(&d, c->subject, c->subject_len);
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

int mamori_x509_check_host(const mamori_x509_t *c, const char *name)
{
    size_t hlen = host_len(name);
    mamori_der_t d;
    uint8_t tag;
    if (hlen == 0)
        return MAMORI_ERR_INVAL;
    const uint8_t *host = (const uint8_t *)name;
    mamori_der_init(&d, c->san, c->san_len);
    while (mamori_der_more(&d)) {
        mamori_der_t v = mamori_der_any(&d, &tag);
        size_t n = mamori_rd_left(&v.rd);
        if (tag == GN_DNS && dns_match(mamori_rd_take(&v.rd, n), n, host, hlen))
            return MAMORI_OK;
    }
#if MAMORI_X509_CN_FALLBACK
    const uint8_t *cn;
    size_t cn_len;
    if (!(c->flags & MAMORI_X509_F_SAN) && last_cn(c, &cn, &cn_len) && cn_len > 0 &&
        dns_match(cn, cn_len, host, hlen))
        return MAMORI_OK;
#endif
    return MAMORI_ERR_CERT_NAME_MISMATCH;
}

int mamori_x509_check_ip(const mamori_x509_t *c, const uint8_t *ip, size_t len)
{
    mamori_der_t d;
    uint8_t tag;
    if (ip == NULL || (len != 4 && len != 16))
        return MAMORI_ERR_INVAL;
    mamori_der_init(&d, c->san, c->san_len);
    while (mamori_der_more(&d)) {
        mamori_der_t v = mamori_der_any(&d, &tag);
        if (tag == GN_IP && mamori_rd_left(&v.rd) == len &&
            memcmp(mamori_rd_take(&v.rd, len), ip, len) == 0)
            return MAMORI_OK;
    }
    return MAMORI_ERR_CERT_NAME_MISMATCH;
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

/* Whether any subtree in list has the form tag, and whether one contains
 * the name (only dNSName and iPAddress forms can contain one). */
static void scan_subtrees(const uint8_t *list, size_t list_len, uint8_t tag, const uint8_t *v,
                          size_t vn, bool *present, bool *match)
{
    mamori_der_t d;
    uint8_t bt;
    mamori_der_init(&d, list, list_len);
    *present = *match = false;
    while (mamori_der_more(&d)) {
        mamori_der_t st = mamori_der_enter(&d, MAMORI_DER_SEQUENCE);
        mamori_der_t b = mamori_der_any(&st, &bt);
        size_t bn = mamori_rd_left(&b.rd);
        const uint8_t *base = mamori_rd_take(&b.rd, bn);
        if (bt != tag || !mamori_der_ok(&st))
            continue;
        *present = true;
        if ((tag == GN_DNS && nc_dns(base, bn, v, vn)) || (tag == GN_IP && nc_ip(base, bn, v, vn)))
            *match = true;
    }
}

static int check_name(uint8_t tag, const uint8_t *v, size_t vn, const uint8_t *perm,
                      size_t perm_len, const uint8_t *excl, size_t excl_len)
{
    bool present, match;
    bool supported = tag == GN_DNS || tag == GN_IP;
    scan_subtrees(excl, excl_len, tag, v, vn, &present, &match);
    if (present && (match || !supported))
        return MAMORI_ERR_CERT_CONSTRAINT;
    scan_subtrees(perm, perm_len, tag, v, vn, &present, &match);
    if (present && (!match || !supported))
        return MAMORI_ERR_CERT_CONSTRAINT;
    return MAMORI_OK;
}

int mamori_x509_check_nc(const mamori_x509_t *c, const uint8_t *permitted, size_t permitted_len,
                         const uint8_t *excluded, size_t excluded_len)
{
    mamori_der_t d;
    uint8_t tag;
    int rc = MAMORI_OK;
    /* The subject is a directoryName; directoryName constraints fail closed. */
    if (c->subject_len > 2)
        rc = check_name(GN_DIRECTORY, c->subject, c->subject_len, permitted, permitted_len,
                        excluded, excluded_len);
    mamori_der_init(&d, c->san, c->san_len);
    while (rc == MAMORI_OK && mamori_der_more(&d)) {
        mamori_der_t v = mamori_der_any(&d, &tag);
        size_t n = mamori_rd_left(&v.rd);
        rc = check_name(tag, mamori_rd_take(&v.rd, n), n, permitted, permitted_len, excluded,
                        excluded_len);
    }
    return rc;
}
