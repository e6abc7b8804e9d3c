/* Certification path building and validation (RFC 5280 6.1), depth-first
 * from the leaf through the peer's certificates to a trust anchor, with
 * backtracking over alternative issuers. At most two certificates are
 * parsed at a time; the others are re-parsed from their DER when needed. */
#include <string.h>

#include "mamori/error.h"
#include "x509/x509_internal.h"

typedef struct {
    const mamori_x509_store_t *store;
    const uint8_t *const *certs;
    const size_t *lens;
    const mamori_x509_verify_opts_t *o;
    uint8_t path[MAMORI_X509_MAX_DEPTH]; /* indices into certs; path[0] is the leaf */
    unsigned len;
    int err, rank; /* the best reason so far and how specific it is */
} vctx_t;

enum { RANK_NO_PATH, RANK_DEPTH, RANK_SIGNATURE, RANK_PATH };

static void note(vctx_t *v, int err, int rank)
{
    if (rank > v->rank) {
        v->rank = rank;
        v->err = err;
    }
}

static void load(const vctx_t *v, mamori_x509_t *c, unsigned k)
{
    (void)mamori_x509_parse(c, v->certs[v->path[k]], v->lens[v->path[k]]);
}

static bool self_issued(const mamori_x509_t *c)
{
    return mamori_x509_name_equal(c->issuer, c->issuer_len, c->subject, c->subject_len);
}

/* Whether an issuer with this subject and key identifier may have issued
 * c (RFC 5280 4.2.1.1: the identifiers, when both exist, must agree). */
static bool may_issue(const mamori_x509_t *c, const uint8_t *subject, size_t subject_len,
                      const uint8_t *ski, size_t ski_len)
{
    if (c->aki != NULL && ski != NULL && (c->aki_len != ski_len || memcmp(c->aki, ski, ski_len)))
        return false;
    return mamori_x509_name_equal(c->issuer, c->issuer_len, subject, subject_len);
}

/* 6.1.3 (a)(2): validity at the caller's time. */
static int check_time(const vctx_t *v, int64_t not_before, int64_t not_after)
{
    if (v->o->now <= 0)
        return v->o->allow_no_time ? MAMORI_OK : MAMORI_ERR_CERT_NO_TIME;
    if (v->o->now < not_before)
        return MAMORI_ERR_CERT_NOT_YET_VALID;
    return v->o->now > not_after ? MAMORI_ERR_CERT_EXPIRED : MAMORI_OK;
}

/* 4.2.1.12: a certificate with extKeyUsage must list the purpose. */
static int check_eku(const vctx_t *v, uint32_t flags)
{
    uint32_t want = v->o->purpose == MAMORI_X509_PURPOSE_SERVER   ? MAMORI_X509_F_EKU_SERVER
                    : v->o->purpose == MAMORI_X509_PURPOSE_CLIENT ? MAMORI_X509_F_EKU_CLIENT
                                                                  : 0;
    return want && (flags & MAMORI_X509_F_EKU) && !(flags & want) ? MAMORI_ERR_CERT_PURPOSE
                                                                  : MAMORI_OK;
}

/* 6.1.4 (l), (m): non-self-issued intermediates below position top. */
static unsigned intermediates_below(const vctx_t *v, unsigned top, mamori_x509_t *scratch)
{
    unsigned count = 0;
    for (unsigned k = 1; k < top; k++) {
        load(v, scratch, k);
        count += !self_issued(scratch);
    }
    return count;
}

/* 6.1.3 (b), (c): the names of every certificate below position top, except
 * self-issued intermediates, must satisfy the issuer's constraints. */
static int constraints_below(const vctx_t *v, unsigned top, const uint8_t *perm, size_t perm_len,
                             const uint8_t *excl, size_t excl_len, mamori_x509_t *scratch)
{
    for (unsigned k = 0; k < top; k++) {
        load(v, scratch, k);
        if (k > 0 && self_issued(scratch))
            continue;
        int rc = mamori_x509_check_nc(scratch, perm, perm_len, excl, excl_len);
        if (rc != MAMORI_OK)
            return rc;
    }
    return MAMORI_OK;
}

/* The checks of 6.1.3 and 6.1.4 over path[0..len) and the anchor, plus the
 * leaf's purpose and identity. direct: the leaf itself is the anchor. */
static int validate(const vctx_t *v, const mamori_x509_anchor_t *ta, bool direct,
                    mamori_x509_t *x, mamori_x509_t *y)
{
    const mamori_x509_verify_opts_t *o = v->o;
    int rc;
    for (unsigned i = 0; i < v->len; i++) {
        load(v, x, i);
        if ((rc = check_time(v, x->not_before, x->not_after)) != MAMORI_OK ||
            (rc = check_eku(v, x->flags)) != MAMORI_OK)
            return rc;
        if (x->flags & MAMORI_X509_F_UNKNOWN_CRIT) /* 6.1.4 (o) */
            return MAMORI_ERR_CERT_CONSTRAINT;
        if (i == 0) {
            if (!mamori_x509_key_ok(&x->key))
                return MAMORI_ERR_CERT_UNSUPPORTED_ALG;
            /* TLS 1.3 uses the leaf key to sign (RFC 8446 4.4.2.2). */
            if (o->purpose != MAMORI_X509_PURPOSE_ANY && (x->flags & MAMORI_X509_F_KU) &&
                !(x->key_usage & MAMORI_X509_KU_DIGITAL_SIGNATURE))
                return MAMORI_ERR_CERT_PURPOSE;
            if (o->hostname != NULL && (rc = mamori_x509_check_host(x, o->hostname)) != MAMORI_OK)
                return rc;
            if (o->ip != NULL && (rc = mamori_x509_check_ip(x, o->ip, o->ip_len)) != MAMORI_OK)
                return rc;
            continue;
        }
        /* 6.1.4 (k) cA, (n) keyCertSign, (m) pathLenConstraint. */
        if (!(x->flags & MAMORI_X509_F_CA) ||
            ((x->flags & MAMORI_X509_F_KU) && !(x->key_usage & MAMORI_X509_KU_KEY_CERT_SIGN)))
            return MAMORI_ERR_CERT_CONSTRAINT;
        if ((x->flags & MAMORI_X509_F_PATHLEN) && intermediates_below(v, i, y) > x->path_len)
            return MAMORI_ERR_CERT_CONSTRAINT;
        if ((x->flags & MAMORI_X509_F_NC) &&
            (rc = constraints_below(v, i, x->nc_permitted, x->nc_permitted_len, x->nc_excluded,
                                    x->nc_excluded_len, y)) != MAMORI_OK)
            return rc;
    }
    if (direct)
        return MAMORI_OK;
    /* The anchor: its validity and purpose as OpenSSL checks them, and the
     * constraints its certificate carries (RFC 5937). */
    if ((rc = check_time(v, ta->not_before, ta->not_after)) != MAMORI_OK ||
        (rc = check_eku(v, ta->flags)) != MAMORI_OK)
        return rc;
    if (!(ta->flags & MAMORI_X509_F_ANCHOR_CA) ||
        ((ta->flags & MAMORI_X509_F_PATHLEN) && intermediates_below(v, v->len, y) > ta->path_len))
        return MAMORI_ERR_CERT_CONSTRAINT;
    if (ta->flags & MAMORI_X509_F_NC)
        return constraints_below(v, v->len, ta->nc_permitted, ta->nc_permitted_len,
                                 ta->nc_excluded, ta->nc_excluded_len, y);
    return MAMORI_OK;
}

int mamori_x509_verify_chain(const mamori_x509_store_t *store, const uint8_t *const *certs,
                             const size_t *lens, size_t n, const mamori_x509_verify_opts_t *opts)
{
    static const mamori_x509_verify_opts_t no_opts;
    mamori_x509_t cur, cand;
    uint8_t next[MAMORI_X509_MAX_DEPTH]; /* per level: next candidate to try (0: anchors) */
    uint32_t used = 1;
    unsigned budget = MAMORI_X509_MAX_SIG_CHECKS, limit = MAMORI_X509_MAX_DEPTH;
    vctx_t v = {store, certs, lens, opts ? opts : &no_opts, {0}, 1, MAMORI_ERR_CERT_UNKNOWN_ISSUER,
                RANK_NO_PATH};
    if (store == NULL || certs == NULL || lens == NULL || n == 0)
        return MAMORI_ERR_INVAL;
    if (n > MAMORI_X509_MAX_CERTS || n > 32)
        return MAMORI_ERR_CERT_CHAIN_TOO_LONG;
    if (v.o->max_depth != 0 && v.o->max_depth < limit)
        limit = v.o->max_depth;
    if (mamori_x509_parse(&cur, certs[0], lens[0]) != MAMORI_OK)
        return MAMORI_ERR_CERT_MALFORMED;
    /* A leaf that is itself trusted needs no path. */
    for (size_t a = 0; a < store->count; a++)
        if (store->anchors[a].der_len == lens[0] &&
            memcmp(store->anchors[a].der, certs[0], lens[0]) == 0)
            return validate(&v, &store->anchors[a], true, &cur, &cand);
    next[0] = 0;
    while (v.len > 0) {
        unsigned k = v.len - 1;
        bool pushed = false;
        if (next[k] == 0) { /* first visit: is an anchor the issuer? */
            next[k] = 1;
            for (size_t a = 0; a < store->count; a++) {
                const mamori_x509_anchor_t *ta = &store->anchors[a];
                if (!may_issue(&cur, ta->subject, ta->subject_len, ta->ski, ta->ski_len))
                    continue;
                if (budget == 0) {
                    note(&v, MAMORI_ERR_CERT_CHAIN_TOO_LONG, RANK_DEPTH);
                    continue;
                }
                budget--;
                int rc = mamori_x509_check_sig(&cur, &ta->key);
                if (rc == MAMORI_OK) {
                    rc = validate(&v, ta, false, &cur, &cand);
                    if (rc == MAMORI_OK)
                        return MAMORI_OK;
                    load(&v, &cur, k);
                }
                note(&v, rc, rc == MAMORI_ERR_CERT_BAD_SIGNATURE ||
                                     rc == MAMORI_ERR_CERT_UNSUPPORTED_ALG
                                 ? RANK_SIGNATURE
                                 : RANK_PATH);
            }
        }
        for (unsigned j = next[k]; j < n && !pushed; j++) {
            if (used & (1u << j))
                continue;
            /* Unparseable extras are skipped, as unneeded ones may be anything. */
            if (mamori_x509_parse(&cand, certs[j], lens[j]) != MAMORI_OK ||
                !may_issue(&cur, cand.subject, cand.subject_len, cand.ski, cand.ski_len))
                continue;
            if (v.len >= limit || budget == 0) {
                note(&v, MAMORI_ERR_CERT_CHAIN_TOO_LONG, RANK_DEPTH);
                continue;
            }
            budget--;
            int rc = mamori_x509_check_sig(&cur, &cand.key);
            if (rc != MAMORI_OK) {
                note(&v, rc, RANK_SIGNATURE);
                continue;
            }
            next[k] = (uint8_t)(j + 1);
            next[v.len] = 0;
            v.path[v.len++] = (uint8_t)j;
            used |= 1u << j;
            cur = cand;
            pushed = true;
        }
        if (!pushed) { /* every issuer of this certificate failed: backtrack */
            used &= ~(1u << v.path[k]);
            if (--v.len > 0)
                load(&v, &cur, v.len - 1);
        }
    }
    return v.err;
}
