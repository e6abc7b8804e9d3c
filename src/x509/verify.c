/* Certification path building and validation (RFC 5280 6.1), depth-first
 * from the leaf through the peer's certificates to a trust anchor, with
 * backtracking over alternative issuers. At most two certificates are
 * parsed at a time; the others are re-parsed from their DER when needed. */
#include <string.h>

#include "mamori/error.h"
#include "x509/x509_internal.h"

typedef struct {
    const uint8_t *const *certs;
    const size_t *lens;
    const mamori_x509_verify_opts_t *o;
    uint8_t path[MAMORI_X509_MAX_DEPTH]; /* indices into certs; path[0] is the leaf */
    unsigned len;
    int err, rank; /* the best reason so far and how specific it is */
} vctx_t;

enum { RANK_NO_PATH, RANK_DEPTH, RANK_SIGNATURE, RANK_PATH };

/* Keeps the most specific reason: a failed complete path, then a failed
 * signature, then the depth or work limit. */
static void note(vctx_t *v, int err)
{
    int rank = err == MAMORI_ERR_CERT_CHAIN_TOO_LONG ? RANK_DEPTH
               : err == MAMORI_ERR_CERT_BAD_SIGNATURE || err == MAMORI_ERR_CERT_UNSUPPORTED_ALG
                   ? RANK_SIGNATURE
                   : RANK_PATH;
    if (rank > v->rank) {
        v->rank = rank;
        v->err = err;
    }
}

/* Whether certs[i] is already on the path (the leaf always is). */
static bool on_path(const vctx_t *v, size_t i)
{
    for (unsigned k = 0; k < v->len; k++)
        if (v->path[k] == i)
            return true;
    return false;
}

static mamori_x509_t *load(const vctx_t *v, mamori_x509_t *c, unsigned k)
{
    (void)mamori_x509_parse(c, v->certs[v->path[k]], v->lens[v->path[k]]);
    return c;
}

static bool self_issued(const mamori_x509_t *c)
{
    return mamori_x509_name_equal(mamori_x509_at(c, c->issuer), c->issuer.len,
                                  mamori_x509_at(c, c->subject), c->subject.len);
}

/* Whether issuer may have issued c: names, and the key identifiers when both
 * exist (RFC 5280 4.2.1.1). */
static bool may_issue(const mamori_x509_t *c, const mamori_x509_t *issuer)
{
    if ((c->flags & MAMORI_X509_F_AKI) && (issuer->flags & MAMORI_X509_F_SKI) &&
        (c->aki.len != issuer->ski.len ||
         memcmp(mamori_x509_at(c, c->aki), mamori_x509_at(issuer, issuer->ski), c->aki.len)))
        return false;
    return mamori_x509_name_equal(mamori_x509_at(c, c->issuer), c->issuer.len,
                                  mamori_x509_at(issuer, issuer->subject), issuer->subject.len);
}

/* The constraints issuer (at position top, or the anchor) places on the
 * certificates below it: 6.1.4 (l), (m) pathLenConstraint counts the
 * non-self-issued intermediates; 6.1.3 (b), (c) name constraints apply to
 * the names of every certificate except self-issued intermediates. */
static int check_below(const vctx_t *v, unsigned top, const mamori_x509_t *issuer,
                       mamori_x509_t *scratch)
{
    unsigned count = 0;
    for (unsigned k = 0; k < top; k++) {
        load(v, scratch, k);
        if (k > 0 && self_issued(scratch))
            continue;
        count += k > 0;
        if ((issuer->flags & MAMORI_X509_F_NC) && mamori_x509_check_nc(scratch, issuer))
            return MAMORI_ERR_CERT_CONSTRAINT;
    }
    return (issuer->flags & MAMORI_X509_F_PATHLEN) && count > issuer->path_len
               ? MAMORI_ERR_CERT_CONSTRAINT
               : MAMORI_OK;
}

/* The checks of 6.1.3 and 6.1.4 over path[0..len) and then the anchor (its
 * validity and purpose as OpenSSL checks them, and the constraints its
 * certificate carries, RFC 5937), plus the leaf's purpose and identity.
 * len 0: the leaf itself is the anchor ta. x and y are scratch views. */
static int validate(const vctx_t *v, const mamori_x509_t *ta, mamori_x509_t *x, mamori_x509_t *y)
{
    const mamori_x509_verify_opts_t *o = v->o;
    uint16_t want = o->purpose == MAMORI_X509_PURPOSE_SERVER   ? MAMORI_X509_F_EKU_SERVER
                    : o->purpose == MAMORI_X509_PURPOSE_CLIENT ? MAMORI_X509_F_EKU_CLIENT
                                                               : 0;
    int rc;
    for (unsigned i = 0; i <= v->len; i++) {
        const mamori_x509_t *c = i < v->len ? load(v, x, i) : ta;
        /* 6.1.3 (a)(2): validity at the caller's time. */
        if (o->now <= 0) {
            if (!o->allow_no_time)
                return MAMORI_ERR_CERT_NO_TIME;
        } else if (o->now < c->not_before) {
            return MAMORI_ERR_CERT_NOT_YET_VALID;
        } else if (o->now > c->not_after) {
            return MAMORI_ERR_CERT_EXPIRED;
        }
        /* 4.2.1.12: a certificate with extKeyUsage must list the purpose. */
        if (want && (c->flags & MAMORI_X509_F_EKU) && !(c->flags & want))
            return MAMORI_ERR_CERT_PURPOSE;
        if (c->flags & MAMORI_X509_F_UNKNOWN_CRIT) /* 6.1.4 (o) */
            return MAMORI_ERR_CERT_CONSTRAINT;
        if (i == 0) {
            if (!mamori_x509_key_ok(c))
                return MAMORI_ERR_CERT_UNSUPPORTED_ALG;
            /* TLS 1.3 uses the leaf key to sign (RFC 8446 4.4.2.2). */
            if (o->purpose != MAMORI_X509_PURPOSE_ANY && (c->flags & MAMORI_X509_F_KU) &&
                !(c->key_usage & MAMORI_X509_KU_DIGITAL_SIGNATURE))
                return MAMORI_ERR_CERT_PURPOSE;
            if (o->hostname != NULL && (rc = mamori_x509_check_host(c, o->hostname)) != MAMORI_OK)
                return rc;
            if (o->ip != NULL && (rc = mamori_x509_check_ip(c, o->ip, o->ip_len)) != MAMORI_OK)
                return rc;
            continue;
        }
        /* 6.1.4 (k) cA, (n) keyCertSign (decided when an anchor was added),
         * (m) pathLenConstraint, (g) name constraints. */
        if (i < v->len ? !(c->flags & MAMORI_X509_F_CA) ||
                             ((c->flags & MAMORI_X509_F_KU) &&
                              !(c->key_usage & MAMORI_X509_KU_KEY_CERT_SIGN))
                       : !(c->flags & MAMORI_X509_F_ANCHOR_CA))
            return MAMORI_ERR_CERT_CONSTRAINT;
        if ((c->flags & (MAMORI_X509_F_PATHLEN | MAMORI_X509_F_NC)) &&
            (rc = check_below(v, i, c, y)) != MAMORI_OK)
            return rc;
    }
    return MAMORI_OK;
}

int mamori_x509_verify_chain(const mamori_x509_store_t *store, const uint8_t *const *certs,
                             const size_t *lens, size_t n, const mamori_x509_verify_opts_t *opts)
{
    static const mamori_x509_verify_opts_t no_opts;
    mamori_x509_t cur, cand;
    /* Per level, the next issuer candidate: anchors first, then certs[]. */
    size_t next[MAMORI_X509_MAX_DEPTH];
    unsigned budget = MAMORI_X509_MAX_SIG_CHECKS, limit = MAMORI_X509_MAX_DEPTH;
    vctx_t v = {certs, lens, opts ? opts : &no_opts, {0}, 1, MAMORI_ERR_CERT_UNKNOWN_ISSUER,
                RANK_NO_PATH};
    if (store == NULL || certs == NULL || lens == NULL || n == 0)
        return MAMORI_ERR_INVAL;
    if (n > MAMORI_X509_MAX_CERTS || n > 32)
        return MAMORI_ERR_CERT_CHAIN_TOO_LONG;
    if (v.o->max_depth != 0 && v.o->max_depth < limit)
        limit = v.o->max_depth;
    if (mamori_x509_parse(&cur, certs[0], lens[0]) != MAMORI_OK)
        return MAMORI_ERR_CERT_MALFORMED;
    next[0] = 0;
    while (v.len > 0) {
        unsigned k = v.len - 1;
        size_t j = next[k];
        for (; j < store->count + n; j++) {
            const mamori_x509_t *issuer = &cand;
            size_t i = j - store->count; /* index into certs when not an anchor */
            bool anchor = j < store->count;
            if (anchor) {
                issuer = &store->anchors[j];
                /* A leaf that is itself trusted needs no path: the anchor is
                 * the leaf. (Earlier anchors tried as its issuer change no
                 * verdict: a path succeeds only if these checks do.) */
                if (v.len == 1 && issuer->der_len == lens[0] &&
                    memcmp(issuer->der, certs[0], lens[0]) == 0) {
                    v.len = 0;
                    return validate(&v, issuer, &cur, &cand);
                }
            } else if (on_path(&v, i) || mamori_x509_parse(&cand, certs[i], lens[i]) != MAMORI_OK)
                continue; /* unparseable extras are skipped, as unneeded ones may be anything */
            if (!may_issue(&cur, issuer))
                continue;
            int rc = MAMORI_ERR_CERT_CHAIN_TOO_LONG;
            if (budget != 0 && v.len < limit + anchor) { /* v.len <= limit: anchors always fit */
                budget--;
                rc = mamori_x509_check_sig(&cur, issuer);
            }
            if (rc == MAMORI_OK && anchor) {
                rc = validate(&v, issuer, &cur, &cand);
                if (rc == MAMORI_OK)
                    return MAMORI_OK;
                load(&v, &cur, k);
            }
            if (rc != MAMORI_OK) {
                note(&v, rc);
                continue;
            }
            next[k] = j + 1; /* descend: cand is the next certificate of the path */
            next[v.len] = 0;
            v.path[v.len++] = (uint8_t)i;
            cur = cand;
            break;
        }
        if (j == store->count + n) { /* every issuer of this certificate failed: backtrack */
            if (--v.len > 0)
                load(&v, &cur, v.len - 1);
        }
    }
    return v.err;
}
