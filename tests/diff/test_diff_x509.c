/* X.509 path validation against OpenSSL's X509_verify_cert (what `openssl
 * verify -attime -purpose -verify_hostname -verify_ip` runs), over the
 * corpus of tests/vectors/x509/: every case of cases.txt under several
 * times, purposes and reference names, plus seeded byte mutations of the
 * chains. The verdicts (valid or not) must be equal; cases marked
 * "diverge" in cases.txt are intended differences and are only counted.
 * Peer certificates OpenSSL cannot decode are left out of its untrusted
 * list, as mamori ignores unparseable extras. Reasons are compared too and reported (not required: with several
 * defects the two libraries may name a different one first). */
#define _POSIX_C_SOURCE 200809L

#include "check.h"
#include "kv.h"
#include "mamori/error.h"
#include "mamori/x509.h"

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define DIR MAMORI_SOURCE_DIR "/tests/vectors/x509/"
#define MAX_CERTS 8

typedef struct {
    const char *host, *ip;
    int64_t now;
    int purpose, allow_no_time;
    unsigned max_depth;
} params_t;

typedef struct {
    uint8_t *der[MAX_CERTS];
    size_t len[MAX_CERTS], n;
    uint8_t *anchor[MAX_CERTS];
    size_t anchor_len[MAX_CERTS], na;
} chain_t;

static unsigned runs, agree, reason_agree, diverged, mutations;

static uint8_t *read_file(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, DIR "%s.der", name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    uint8_t *p = malloc(1 << 16);
    *len = fread(p, 1, 1 << 16, f);
    fclose(f);
    return p;
}

static size_t load_list(const char *list, uint8_t **der, size_t *len)
{
    char tmp[512], *save = NULL;
    size_t n = 0;
    snprintf(tmp, sizeof tmp, "%s", list);
    for (char *t = strtok_r(tmp, " ", &save); t && n < MAX_CERTS; t = strtok_r(NULL, " ", &save)) {
        der[n] = read_file(t, &len[n]);
        n++;
    }
    return n;
}

static int mamori_run(const chain_t *ch, const params_t *p)
{
    mamori_x509_anchor_t anchors[MAX_CERTS];
    mamori_x509_store_t store;
    uint8_t ip[16];
    mamori_x509_verify_opts_t o = {.now = p->now, .allow_no_time = p->allow_no_time,
                                   .purpose = p->purpose, .max_depth = p->max_depth,
                                   .hostname = p->host};
    mamori_x509_store_init(&store, anchors, MAX_CERTS);
    for (size_t i = 0; i < ch->na; i++)
        if (mamori_x509_store_add_der(&store, ch->anchor[i], ch->anchor_len[i]) != MAMORI_OK)
            return MAMORI_ERR_CERT_MALFORMED;
    if (p->ip) {
        o.ip_len = strchr(p->ip, ':') ? 16 : 4;
        o.ip = ip;
        (void)inet_pton(o.ip_len == 16 ? AF_INET6 : AF_INET, p->ip, ip);
    }
    return mamori_x509_verify_chain(&store, (const uint8_t *const *)ch->der, ch->len, ch->n, &o);
}

static X509 *to_x509(const uint8_t *der, size_t len)
{
    const unsigned char *q = der;
    return d2i_X509(NULL, &q, (long)len);
}

/* OpenSSL's verdict as a mamori code (approximate reason mapping). */
static int openssl_run(const chain_t *ch, const params_t *p)
{
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    X509 *leaf = NULL;
    int rc = MAMORI_ERR_CERT_MALFORMED;
    for (size_t i = 0; i < ch->na; i++) {
        X509 *x = to_x509(ch->anchor[i], ch->anchor_len[i]);
        if (x == NULL)
            goto out;
        X509_STORE_add_cert(store, x);
        X509_free(x);
    }
    if ((leaf = to_x509(ch->der[0], ch->len[0])) == NULL)
        goto out;
    for (size_t i = 1; i < ch->n; i++) {
        X509 *x = to_x509(ch->der[i], ch->len[i]);
        if (x != NULL) /* like mamori, leave out what does not decode */
            sk_X509_push(untrusted, x);
    }
    X509_STORE_CTX_init(ctx, store, leaf, untrusted);
    X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(ctx);
    if (p->now > 0)
        X509_VERIFY_PARAM_set_time(vp, (time_t)p->now);
    else
        X509_VERIFY_PARAM_set_flags(vp, X509_V_FLAG_NO_CHECK_TIME);
    if (p->purpose != MAMORI_X509_PURPOSE_ANY)
        X509_STORE_CTX_set_purpose(ctx, p->purpose == MAMORI_X509_PURPOSE_SERVER
                                            ? X509_PURPOSE_SSL_SERVER
                                            : X509_PURPOSE_SSL_CLIENT);
    if (p->max_depth)
        X509_VERIFY_PARAM_set_depth(vp, (int)p->max_depth - 1);
    if (p->host)
        X509_VERIFY_PARAM_set1_host(vp, p->host, 0);
    if (p->ip)
        X509_VERIFY_PARAM_set1_ip_asc(vp, p->ip);
    if (X509_verify_cert(ctx) == 1) {
        rc = MAMORI_OK;
        goto out;
    }
    switch (X509_STORE_CTX_get_error(ctx)) {
    case X509_V_ERR_CERT_HAS_EXPIRED: rc = MAMORI_ERR_CERT_EXPIRED; break;
    case X509_V_ERR_CERT_NOT_YET_VALID: rc = MAMORI_ERR_CERT_NOT_YET_VALID; break;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: rc = MAMORI_ERR_CERT_UNKNOWN_ISSUER; break;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE: rc = MAMORI_ERR_CERT_BAD_SIGNATURE; break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: rc = MAMORI_ERR_CERT_NAME_MISMATCH; break;
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_PERMITTED_VIOLATION:
    case X509_V_ERR_EXCLUDED_VIOLATION:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION: rc = MAMORI_ERR_CERT_CONSTRAINT; break;
    case X509_V_ERR_INVALID_PURPOSE: rc = MAMORI_ERR_CERT_PURPOSE; break;
    case X509_V_ERR_CERT_CHAIN_TOO_LONG: rc = MAMORI_ERR_CERT_CHAIN_TOO_LONG; break;
    default: rc = MAMORI_ERR_CERT_MALFORMED; break;
    }
out:
    X509_free(leaf);
    sk_X509_pop_free(untrusted, X509_free);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return rc;
}

static void compare(const char *name, const chain_t *ch, const params_t *p, int expect_agree)
{
    int ours = mamori_run(ch, p), theirs = openssl_run(ch, p);
    runs++;
    if ((ours == MAMORI_OK) == (theirs == MAMORI_OK)) {
        agree++;
        reason_agree += ours == theirs;
    } else if (!expect_agree) {
        diverged++;
    } else {
        fprintf(stderr, "%s now=%lld purpose=%d host=%s ip=%s: mamori %d (%s), openssl %d (%s)\n",
                name, (long long)p->now, p->purpose, p->host ? p->host : "-", p->ip ? p->ip : "-",
                ours, mamori_strerror(ours), theirs, mamori_strerror(theirs));
        CHECK(0);
    }
}

static uint32_t rng = 0x9e3779b9;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

int main(void)
{
    static const int64_t times[] = {0, 2400000000};
    static const int purposes[] = {MAMORI_X509_PURPOSE_SERVER, MAMORI_X509_PURPOSE_CLIENT,
                                   MAMORI_X509_PURPOSE_ANY};
    static const char *hosts[] = {NULL, "other.example.net"};
    kv_file_t kv;
    kv_open(&kv, DIR "cases.txt");
    while (kv_next(&kv)) {
        const char *name = kv_get(&kv, "case"), *v;
        chain_t ch;
        if (name == NULL)
            continue;
        ch.n = load_list(kv_get(&kv, "certs"), ch.der, ch.len);
        ch.na = load_list(kv_get(&kv, "anchors"), ch.anchor, ch.anchor_len);
        params_t base = {.host = kv_get(&kv, "host"), .ip = kv_get(&kv, "ip"), .now = 1893456000};
        if ((v = kv_get(&kv, "now")) != NULL)
            base.now = atoll(v);
        if ((v = kv_get(&kv, "allow_no_time")) != NULL)
            base.allow_no_time = atoi(v);
        if ((v = kv_get(&kv, "maxdepth")) != NULL)
            base.max_depth = (unsigned)atoi(v);
        v = kv_get(&kv, "purpose");
        base.purpose = !v || !strcmp(v, "server") ? MAMORI_X509_PURPOSE_SERVER
                       : !strcmp(v, "client")     ? MAMORI_X509_PURPOSE_CLIENT
                                                  : MAMORI_X509_PURPOSE_ANY;
        int same = kv_get(&kv, "diverge") == NULL;
        /* OpenSSL has no "no trusted time" verdict: without allow_no_time
         * mamori fails closed, which is tested in the unit test. */
        if (base.now > 0 || base.allow_no_time)
            compare(name, &ch, &base, same);
        for (size_t t = 0; t < sizeof times / sizeof times[0]; t++)
            for (size_t u = 0; u < sizeof purposes / sizeof purposes[0]; u++)
                for (size_t h = 0; h < sizeof hosts / sizeof hosts[0]; h++) {
                    params_t p = base;
                    p.now = times[t] ? times[t] : base.now;
                    p.purpose = purposes[u];
                    p.host = hosts[h] ? hosts[h] : base.host;
                    if (p.now <= 0)
                        continue;
                    compare(name, &ch, &p, same);
                }
        /* Mutations: one random byte of one certificate changed. */
        for (int m = 0; m < 6 && same; m++) {
            size_t which = next_rand() % ch.n, at = next_rand() % ch.len[which];
            uint8_t old = ch.der[which][at];
            ch.der[which][at] ^= (uint8_t)(1 + next_rand() % 255);
            char label[160];
            snprintf(label, sizeof label, "%s (cert %zu byte %zu: %02x -> %02x)", name, which, at,
                     old, ch.der[which][at]);
            if (base.now > 0)
                compare(label, &ch, &base, 1);
            mutations++;
            ch.der[which][at] = old;
        }
        for (size_t i = 0; i < ch.n; i++)
            free(ch.der[i]);
        for (size_t i = 0; i < ch.na; i++)
            free(ch.anchor[i]);
    }
    kv_close(&kv);
    printf("x509 vs OpenSSL: %u runs (%u mutated chains), verdicts agree in %u, intended "
           "divergences %u; same reason in %u\n",
           runs, mutations, agree, diverged, reason_agree);
    CHECK(runs > 1000);
    return check_summary("diff_x509");
}
