/* TLS 1.3 server handshake (RFC 8446 §2, §4): ClientHello (with
 * HelloRetryRequest and cookie when the client's key share does not fit),
 * ServerHello, EncryptedExtensions, CertificateRequest, Certificate,
 * CertificateVerify, Finished; then the client's authentication and
 * Finished. A PSK (one of our tickets or the external key) replaces the
 * certificates. */
#include <string.h>

#include "mamori/chachapoly.h"
#include "mamori/ct.h"
#include "mamori/error.h"
#include "tls/tls_internal.h"

enum {
    S_WAIT_CH = 0, /* engine.c relies on 0 meaning "no ClientHello yet" */
    S_WAIT_CH2,
    S_WAIT_CERT,
    S_WAIT_CV,
    S_WAIT_FIN,
    S_DONE,
};

#define S_F_RSL 0x01 /* client sent record_size_limit */
#define S_F_MFL 0x02 /* max_fragment_length accepted */

static int fail(mamori_tls_t *t, int alert) { return tls_fail(t, alert, MAMORI_ERR_TLS_HANDSHAKE); }

/* Session tickets: nonce | ChaCha20-Poly1305(ticket_key; suite, issue
 * time, PSK) | tag. Only this server can open them. */
#define TICKET_PLAIN (2 + 4 + MAMORI_HASH_MAX_LEN)
#define TICKET_LEN (12 + TICKET_PLAIN + 16)

#if MAMORI_TLS_CERT
static bool wants_client_cert(const mamori_tls_t *t)
{
    return t->cfg->verify != NULL || t->cfg->trust != NULL || t->cfg->spki_pin != NULL;
}
#endif

/* A server needs an identity (certificate and key) or an external PSK. */
int tls_server_start(mamori_tls_t *t)
{
    const mamori_tls_config_t *cfg = t->cfg;
    const mamori_tls_identity_t *id = cfg->identity;
    bool ok = false;
#if MAMORI_TLS_CERT
    if (id && (id->chain_count == 0 || !tls_sig_scheme_ok(id->sig_scheme)))
        return MAMORI_ERR_INVAL;
    ok = id != NULL;
#endif
#if MAMORI_TLS_PSK
    if (cfg->psk && (!cfg->psk->identity || cfg->psk->identity_len == 0 || !cfg->psk->key ||
                     cfg->psk->key_len < 16 || mamori_hash_len(cfg->psk->hash) == 0))
        return MAMORI_ERR_INVAL;
    ok = ok || cfg->psk != NULL;
#endif
    (void)id;
    if (!ok)
        return MAMORI_ERR_INVAL;
    t->hs_state = S_WAIT_CH;
    return 0;
}

/* The hash of our external PSK when the client's first identity is it
 * (to prefer a suite it can be used with), else 0. */
static mamori_hash_id_t external_psk_hash(const mamori_tls_t *t, const tls_client_hello_t *ch)
{
#if MAMORI_TLS_PSK
    const mamori_tls_psk_t *psk = t->cfg->psk;
    tls_span_t id, b;
    uint32_t age;
    size_t binders_len;
    if (psk && (ch->x.seen & TLS_XBIT(TLS_X_PRE_SHARED_KEY)) &&
        tls_ext_psk_ch(&ch->x.v[TLS_X_PRE_SHARED_KEY], &id, &age, &b, &binders_len) == 0 &&
        id.len == psk->identity_len && memcmp(id.p, psk->identity, id.len) == 0)
        return psk->hash;
#endif
    (void)t, (void)ch;
    return (mamori_hash_id_t)0;
}

static bool list_has(mamori_rd_t list, uint16_t v)
{
    while (mamori_rd_left(&list) > 0)
        if (mamori_rd_be16(&list) == v)
            return true;
    return false;
}

/* §9.2: certificate authentication needs signature_algorithms with the
 * scheme of our key. Returns 0 or the alert; without an identity, a client
 * that brought no PSK we accept fails here. */
static int cert_auth_ok(const mamori_tls_t *t, const tls_client_hello_t *ch)
{
#if MAMORI_TLS_CERT
    mamori_rd_t list;
    int a;
    if (t->cfg->identity) {
        if (!(ch->x.seen & TLS_XBIT(TLS_X_SIGNATURE_ALGORITHMS)))
            return MAMORI_TLS_ALERT_MISSING_EXTENSION;
        if ((a = tls_ext_u16_list(&ch->x.v[TLS_X_SIGNATURE_ALGORITHMS], 2, &list)) != 0)
            return a;
        return list_has(list, t->cfg->identity->sig_scheme) ? 0
                                                            : MAMORI_TLS_ALERT_HANDSHAKE_FAILURE;
    }
#endif
    (void)t;
    return (ch->x.seen & TLS_XBIT(TLS_X_PRE_SHARED_KEY)) ? MAMORI_TLS_ALERT_UNKNOWN_PSK_IDENTITY
                                                          : MAMORI_TLS_ALERT_HANDSHAKE_FAILURE;
}

/* Suite, group and key share: returns 0, an alert, or -1 when a
 * HelloRetryRequest for t->group is needed. */
static int negotiate(mamori_tls_t *t, const tls_client_hello_t *ch, tls_span_t *share)
{
    const uint16_t *ours = tls_suites(t);
    const uint16_t *groups = tls_groups(t);
    mamori_hash_id_t want = external_psk_hash(t, ch);
    mamori_rd_t list;
    bool tls13 = false;
    int a;

    /* §4.2.1: TLS 1.3 only. */
    if (!(ch->x.seen & TLS_XBIT(TLS_X_SUPPORTED_VERSIONS)))
        return MAMORI_TLS_ALERT_PROTOCOL_VERSION;
    if ((a = tls_ext_versions_ch(&ch->x.v[TLS_X_SUPPORTED_VERSIONS], &tls13)) != 0)
        return a;
    if (!tls13)
        return MAMORI_TLS_ALERT_PROTOCOL_VERSION;

    /* Our preference among the client's suites (§4.1.1); first among those
     * of the hash of the client's external PSK, if it offers ours. */
    uint16_t suite = 0;
    for (int any = want == 0; any < 2 && !suite; any++)
        for (const uint16_t *s = ours; *s && !suite; s++)
            if ((any || mamori_tls_suite_hash(*s) == want) && list_has(ch->suites, *s))
                suite = *s;
    if (!suite)
        return MAMORI_TLS_ALERT_HANDSHAKE_FAILURE;
    if (TLS_HRR_DONE(t) && suite != t->suite)
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    t->suite = suite;
    /* Without a PSK on offer, certificates must do. */
    if (!(ch->x.seen & TLS_XBIT(TLS_X_PRE_SHARED_KEY)) && (a = cert_auth_ok(t, ch)) != 0)
        return a;

    /* §4.2.7/§4.2.8: a share for a common group, else a retry. */
    if (!(ch->x.seen & TLS_XBIT(TLS_X_SUPPORTED_GROUPS)) ||
        !(ch->x.seen & TLS_XBIT(TLS_X_KEY_SHARE)))
        return MAMORI_TLS_ALERT_MISSING_EXTENSION;
    if ((a = tls_ext_u16_list(&ch->x.v[TLS_X_SUPPORTED_GROUPS], 2, &list)) != 0)
        return a;
    for (const uint16_t *g = groups; *g; g++) {
        if ((a = tls_ext_key_share_ch(&ch->x.v[TLS_X_KEY_SHARE], *g, share)) != 0)
            return a;
        if (share->p) {
            /* §4.2.8: a share must be for an advertised group. */
            if (!list_has(list, *g))
                return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
            t->group = *g;
            return 0;
        }
    }
    if (TLS_HRR_DONE(t)) /* §4.1.2: the second ClientHello must carry it */
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    for (const uint16_t *g = groups; *g; g++)
        if (list_has(list, *g)) {
            t->group = *g;
            return -1;
        }
    return MAMORI_TLS_ALERT_HANDSHAKE_FAILURE;
}

/* Extensions that shape EncryptedExtensions and our record sizes. */
static int client_options(mamori_tls_t *t, const tls_client_hello_t *ch)
{
    const tls_exts_t *x = &ch->x;
    int a;

    if (x->seen & TLS_XBIT(TLS_X_SERVER_NAME)) {
        tls_span_t host;
        if ((a = tls_ext_server_name(&x->v[TLS_X_SERVER_NAME], &host)) != 0)
            return a;
        if (host.p)
            t->flags |= TLS_F_SNI;
    }
#if MAMORI_TLS_ALPN
    t->alpn[0] = 0;
    if ((x->seen & TLS_XBIT(TLS_X_ALPN)) && t->cfg->alpn) {
        mamori_rd_t list;
        tls_span_t one;
        size_t want = tls_strlen(t->cfg->alpn);
        bool found = false;
        if ((a = tls_ext_alpn(&x->v[TLS_X_ALPN], &list, &one)) != 0)
            return a;
        while (mamori_rd_left(&list) > 0) {
            size_t n = mamori_rd_u8(&list);
            const uint8_t *p = mamori_rd_take(&list, n);
            if (p && n == want && memcmp(p, t->cfg->alpn, n) == 0)
                found = true;
        }
        /* RFC 7301 §3.2: no protocol in common. */
        if (!found || want > MAMORI_TLS_MAX_ALPN)
            return MAMORI_TLS_ALERT_NO_APPLICATION_PROTOCOL;
        memcpy(t->alpn, t->cfg->alpn, want + 1);
    }
#endif
    t->out_limit = MAMORI_TLS_MAX_PLAINTEXT;
    if (x->seen & TLS_XBIT(TLS_X_RECORD_SIZE_LIMIT)) {
        uint16_t limit;
        if ((a = tls_ext_record_size_limit(&x->v[TLS_X_RECORD_SIZE_LIMIT], &limit)) != 0)
            return a;
        if ((size_t)limit - 1 < t->out_limit)
            t->out_limit = (uint16_t)(limit - 1);
        t->peer_ext |= S_F_RSL;
    } else if (x->seen & TLS_XBIT(TLS_X_MAX_FRAGMENT_LENGTH)) {
        /* RFC 8449 §5: record_size_limit wins when both are present. */
        uint16_t limit;
        if ((a = tls_ext_max_fragment_length(&x->v[TLS_X_MAX_FRAGMENT_LENGTH], &limit)) != 0)
            return a;
        t->out_limit = limit;
        t->peer_ext |= S_F_MFL;
        t->mfl_code = x->v[TLS_X_MAX_FRAGMENT_LENGTH].p[0];
    }
    return 0;
}

#if MAMORI_TLS_RESUMPTION
/* Opens one of our tickets into its PSK (hash h); false if it is not ours,
 * of another hash or expired. */
static bool open_ticket(const mamori_tls_t *t, const tls_span_t *id, mamori_hash_id_t h,
                        uint8_t *psk)
{
    uint8_t plain[TICKET_PLAIN];
    bool ok;
    if (!t->cfg->ticket_key || id->len != TICKET_LEN ||
        mamori_chachapoly_open(t->cfg->ticket_key, id->p, NULL, 0, id->p + 12, TICKET_PLAIN,
                               id->p + 12 + TICKET_PLAIN, plain) != 0)
        return false;
    ok = mamori_tls_suite_hash(mamori_get_be16(plain)) == h &&
         !(t->clock_started && (uint32_t)(t->now_ms - mamori_get_be32(plain + 2)) >
                                   MAMORI_TLS_TICKET_LIFETIME_S * 1000u);
    if (ok)
        memcpy(psk, plain + 6, mamori_hash_len(h));
    mamori_zeroize(plain, sizeof plain);
    return ok;
}
#endif

/* §4.2.11: tries the client's first PSK identity as our external PSK or
 * one of our tickets (which goes into ticket_psk). Returns 0 (accepted,
 * *psk and *psk_len set), 1 (not usable: full handshake) or an alert (a
 * bad binder is decrypt_error). */
static int try_psk(mamori_tls_t *t, const tls_client_hello_t *ch, const uint8_t *msg, size_t len,
                   uint8_t *ticket_psk, const uint8_t **psk, size_t *psk_len)
{
    mamori_hash_id_t h = mamori_tls_suite_hash(t->suite);
    size_t hl = mamori_hash_len(h), binders_len;
    uint8_t hash[MAMORI_HASH_MAX_LEN], binder[MAMORI_HASH_MAX_LEN];
    tls_span_t id, b;
    uint32_t age;
    bool dhe = false, external = false;
    int a;

    if (!(ch->x.seen & TLS_XBIT(TLS_X_PRE_SHARED_KEY)) ||
        !((MAMORI_TLS_PSK && t->cfg->psk) || (MAMORI_TLS_RESUMPTION && t->cfg->ticket_key)))
        return 1;
    /* §4.2.9: pre_shared_key needs psk_key_exchange_modes. */
    if (!(ch->x.seen & TLS_XBIT(TLS_X_PSK_KEY_EXCHANGE_MODES)))
        return MAMORI_TLS_ALERT_MISSING_EXTENSION;
    if ((a = tls_ext_psk_modes(&ch->x.v[TLS_X_PSK_KEY_EXCHANGE_MODES], &dhe)) != 0)
        return a;
    if ((a = tls_ext_psk_ch(&ch->x.v[TLS_X_PRE_SHARED_KEY], &id, &age, &b, &binders_len)) != 0)
        return a;
    (void)age; /* no 0-RTT: the ticket's own issue time bounds its use */
    if (!dhe || binders_len > len)
        return 1;
    if (external_psk_hash(t, ch) == h) {
        *psk = t->cfg->psk->key;
        *psk_len = t->cfg->psk->key_len;
        external = true;
    }
#if MAMORI_TLS_RESUMPTION
    else if (open_ticket(t, &id, h, ticket_psk)) {
        *psk = ticket_psk;
        *psk_len = hl;
    }
#endif
    else {
        (void)ticket_psk;
        return 1;
    }
    /* §4.2.11.2: the binder over the ClientHello without the binders. */
    mamori_tls_th_hash_with(&t->th, h, msg, len - binders_len, hash);
    a = mamori_tls_binder(h, *psk, *psk_len, external, hash, binder);
    if (a != 0 || b.len != hl || !mamori_ct_equal(binder, b.p, hl))
        return MAMORI_TLS_ALERT_DECRYPT_ERROR;
    return 0;
}

static int handle_client_hello(mamori_tls_t *t, const uint8_t *msg, size_t len)
{
    const mamori_tls_config_t *cfg = t->cfg;
    tls_client_hello_t ch;
    tls_span_t share = {NULL, 0};
    uint8_t pub[TLS_MAX_SHARE], shared[32], ticket_psk[MAMORI_HASH_MAX_LEN];
    const uint8_t *psk = NULL;
    size_t psk_len = 0, pub_len;
    mamori_hash_id_t h;
    int a, retry, err;

    a = tls_parse_client_hello(msg + TLS_HS_HEADER, len - TLS_HS_HEADER, &ch);
    if (a)
        return fail(t, a);
#if MAMORI_TLS_HRR
    if (t->hrr_done) {
        /* §4.1.2: the same session id; our cookie echoed exactly. */
        tls_span_t c = {NULL, 0};
        if (ch.session_id.len != t->session_id_len ||
            memcmp(ch.session_id.p, t->session_id, t->session_id_len) != 0)
            return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
        if (!(ch.x.seen & TLS_XBIT(TLS_X_COOKIE)) ||
            (a = tls_ext_cookie(&ch.x.v[TLS_X_COOKIE], &c)) != 0 || c.len != t->cookie_len ||
            !mamori_ct_equal(c.p, t->cookie, c.len))
            return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
        if (ch.x.seen & TLS_XBIT(TLS_X_EARLY_DATA)) /* §4.2.10 */
            return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    }
#endif
    if (!TLS_HRR_DONE(t) && (ch.x.seen & TLS_XBIT(TLS_X_COOKIE)))
        return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER); /* a cookie we never sent */
    retry = negotiate(t, &ch, &share);
    if (retry > 0)
        return fail(t, retry);
    if ((a = client_options(t, &ch)) != 0)
        return fail(t, a);
    memcpy(t->session_id, ch.session_id.p, ch.session_id.len);
    t->session_id_len = (uint8_t)ch.session_id.len;
    h = mamori_tls_suite_hash(t->suite);
    mamori_tls_th_choose(&t->th, h);
    if (retry == 0) {
        a = try_psk(t, &ch, msg, len, ticket_psk, &psk, &psk_len);
        if (a > 1)
            return fail(t, a);
        t->psk_mode = a == 0;
    }
    /* A PSK on offer but not accepted: certificates must do. */
    if (retry == 0 && !t->psk_mode && (ch.x.seen & TLS_XBIT(TLS_X_PRE_SHARED_KEY)) &&
        (a = cert_auth_ok(t, &ch)) != 0)
        return fail(t, a);
    /* §4.2.10: 0-RTT is always declined; its records are skipped. */
    if (ch.x.seen & TLS_XBIT(TLS_X_EARLY_DATA))
        t->flags |= TLS_F_SKIP_EARLY;
    tls_th_add(t, msg, len);

    if (retry < 0) {
#if MAMORI_TLS_HRR
        /* §4.1.4: HelloRetryRequest with the group and a cookie. */
        t->hrr_done = 1;
        t->cookie_len = 32;
        if ((err = cfg->rng(cfg->rng_ctx, t->cookie, t->cookie_len)) != 0)
            return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
        mamori_tls_th_hrr(&t->th);
        t->hs_state = S_WAIT_CH2;
        t->out_steps = TLS_OUT_HELLO;
        if (t->session_id_len && !(t->flags & TLS_F_CCS_SENT))
            t->out_steps |= TLS_OUT_CCS;
        return 0;
#else
        return fail(t, MAMORI_TLS_ALERT_HANDSHAKE_FAILURE); /* §4.1.1 */
#endif
    }
    /* The keys change after the ClientHello: it must end its record (§5.1). */
    if (t->rx_left > 0)
        return fail(t, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);

    err = tls_group_keygen(cfg, t->group, t->eph_priv, pub, &pub_len);
    if (err == 0)
        err = tls_group_shared(t->group, t->eph_priv, &share, shared);
    if (err) {
        mamori_zeroize(shared, sizeof shared);
        return fail(t, err == MAMORI_ERR_ENTROPY ? MAMORI_TLS_ALERT_INTERNAL_ERROR
                                                 : MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    }
    err = mamori_tls_ks_early(h, psk, psk_len, t->secret);
    mamori_zeroize(ticket_psk, sizeof ticket_psk);
    if (err == 0)
        err = mamori_tls_ks_next(h, t->secret, shared, 32);
    mamori_zeroize(shared, sizeof shared);
    if (err == 0)
        err = cfg->rng(cfg->rng_ctx, t->random, 32);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    t->out_steps = TLS_OUT_HELLO | TLS_OUT_EE | TLS_OUT_FIN;
    if (t->session_id_len && !(t->flags & TLS_F_CCS_SENT))
        t->out_steps |= TLS_OUT_CCS; /* §D.4 */
    t->hs_state = S_WAIT_FIN;
#if MAMORI_TLS_CERT
    /* §2.2: certificates only without a PSK. */
    if (!t->psk_mode) {
        t->out_steps |= TLS_OUT_CERT | TLS_OUT_CV;
        if (wants_client_cert(t)) {
            t->out_steps |= TLS_OUT_CR;
            t->hs_state = S_WAIT_CERT;
        }
    }
#endif
    return 0;
}

#if MAMORI_TLS_CERT
static int handle_certificate(mamori_tls_t *t, const uint8_t *msg, size_t len)
{
    tls_certificate_t c;
    int a = tls_parse_certificate(msg + TLS_HS_HEADER, len - TLS_HS_HEADER, &c);
    if (a)
        return fail(t, a);
    if (c.context.len != 0)
        return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    /* §4.4.2.4: we require one. */
    if (c.count == 0)
        return tls_fail(t, MAMORI_TLS_ALERT_CERTIFICATE_REQUIRED, MAMORI_ERR_TLS_HANDSHAKE);
    if ((a = tls_peer_certificate(t, &c)) != 0)
        return tls_fail(t, a, MAMORI_ERR_CERT_UNKNOWN_ISSUER);
    tls_th_add(t, msg, len);
    t->hs_state = S_WAIT_CV;
    return 0;
}

static int handle_certificate_verify(mamori_tls_t *t, const uint8_t *msg, size_t len)
{
    uint8_t hash[MAMORI_HASH_MAX_LEN];
    uint16_t scheme;
    tls_span_t sig;
    int a = tls_parse_certificate_verify(msg + TLS_HS_HEADER, len - TLS_HS_HEADER, &scheme, &sig);
    if (a)
        return fail(t, a);
    mamori_tls_th_hash(&t->th, hash);
    if ((a = tls_verify_cv(t, false, scheme, &sig, hash)) != 0)
        return tls_fail(t, a, MAMORI_ERR_BADSIG);
    tls_th_add(t, msg, len);
    t->hs_state = S_WAIT_FIN;
    return 0;
}
#endif

static int handle_finished(mamori_tls_t *t, const uint8_t *msg, size_t len)
{
    mamori_hash_id_t h = mamori_tls_suite_hash(t->suite);
    size_t hl = mamori_hash_len(h);
    uint8_t hash[MAMORI_HASH_MAX_LEN], expect[MAMORI_HASH_MAX_LEN];
    int a = tls_parse_finished(msg + TLS_HS_HEADER, len - TLS_HS_HEADER, hl), err;
    if (a)
        return fail(t, a);
    mamori_tls_th_hash(&t->th, hash);
    err = mamori_tls_finished(h, t->c_secret, hash, expect);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    if (!mamori_ct_equal(expect, msg + TLS_HS_HEADER, hl)) /* §4.4.4 */
        return tls_fail(t, MAMORI_TLS_ALERT_DECRYPT_ERROR, MAMORI_ERR_AUTH);
    tls_th_add(t, msg, len);
    memcpy(t->c_secret, t->pending, hl);
    mamori_zeroize(t->pending, sizeof t->pending);
    if ((err = tls_set_read(t, t->c_secret)) != 0)
        return err;
#if MAMORI_TLS_RESUMPTION
    mamori_tls_th_hash(&t->th, hash);
    err = mamori_tls_derive_secret(h, t->secret, "res master", hash, t->secret);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    if (t->cfg->ticket_key)
        t->out_steps |= TLS_OUT_NST;
#else
    mamori_zeroize(t->secret, sizeof t->secret);
#endif
    t->hs_state = S_DONE;
    t->state = MAMORI_TLS_ST_OPEN;
    t->flags &= (uint8_t)~TLS_F_SKIP_EARLY;
    return 0;
}

int tls_server_handle(mamori_tls_t *t, uint8_t type, const uint8_t *msg, size_t len)
{
    switch (t->hs_state) {
    case S_WAIT_CH:
    case S_WAIT_CH2:
        if (type == TLS_HS_CLIENT_HELLO)
            return handle_client_hello(t, msg, len);
        break;
#if MAMORI_TLS_CERT
    case S_WAIT_CERT:
        if (type == TLS_HS_CERTIFICATE)
            return handle_certificate(t, msg, len);
        break;
    case S_WAIT_CV:
        if (type == TLS_HS_CERTIFICATE_VERIFY)
            return handle_certificate_verify(t, msg, len);
        break;
#endif
    case S_WAIT_FIN:
        if (type == TLS_HS_FINISHED)
            return handle_finished(t, msg, len);
        break;
    default:
        break;
    }
    return tls_fail(t, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE, MAMORI_ERR_TLS_PROTOCOL);
}

static int write_hello(mamori_tls_t *t)
{
    mamori_hash_id_t h = mamori_tls_suite_hash(t->suite);
    uint8_t hash[MAMORI_HASH_MAX_LEN], pub[TLS_MAX_SHARE];
    bool hrr = MAMORI_TLS_HRR && t->hs_state == S_WAIT_CH2;
    size_t exts, pub_len;
    mamori_wr_t wr;
    int err;

    tls_out_begin(t, &wr, TLS_HS_SERVER_HELLO);
    mamori_wr_be16(&wr, 0x0303);
    mamori_wr_bytes(&wr, hrr ? tls_hrr_random : t->random, 32);
    mamori_wr_u8(&wr, t->session_id_len);
    mamori_wr_bytes(&wr, t->session_id, t->session_id_len);
    mamori_wr_be16(&wr, t->suite);
    mamori_wr_u8(&wr, 0);
    exts = tls_wr_open(&wr, 2);
    mamori_wr_be16(&wr, TLS_EXT_SUPPORTED_VERSIONS);
    mamori_wr_bytes(&wr, "\x00\x02\x03\x04", 4);
    mamori_wr_be16(&wr, TLS_EXT_KEY_SHARE);
#if MAMORI_TLS_HRR
    if (hrr) {
        mamori_wr_be16(&wr, 2);
        mamori_wr_be16(&wr, t->group);
        mamori_wr_be16(&wr, TLS_EXT_COOKIE);
        mamori_wr_be16(&wr, (uint16_t)(t->cookie_len + 2));
        mamori_wr_be16(&wr, t->cookie_len);
        mamori_wr_bytes(&wr, t->cookie, t->cookie_len);
    } else
#endif
    {
        err = tls_group_public(t->group, t->eph_priv, pub, &pub_len);
        mamori_zeroize(t->eph_priv, sizeof t->eph_priv);
        if (err)
            return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
        mamori_wr_be16(&wr, (uint16_t)(4 + pub_len));
        mamori_wr_be16(&wr, t->group);
        mamori_wr_be16(&wr, (uint16_t)pub_len);
        mamori_wr_bytes(&wr, pub, pub_len);
        if (t->psk_mode) {
            mamori_wr_be16(&wr, TLS_EXT_PRE_SHARED_KEY);
            mamori_wr_bytes(&wr, "\x00\x02\x00\x00", 4); /* selected_identity 0 */
        }
    }
    tls_wr_close(&wr, exts, 2);
    if ((err = tls_out_end(t, &wr, hrr ? TLS_AFTER_NONE : TLS_AFTER_WR_HANDSHAKE)) != 0 || hrr)
        return err;
    /* §7.1: handshake traffic secrets over CH..SH; the client's flight is
     * read with its key from now on. */
    mamori_tls_th_hash(&t->th, hash);
    err = mamori_tls_derive_secret(h, t->secret, "c hs traffic", hash, t->c_secret);
    if (err == 0)
        err = mamori_tls_derive_secret(h, t->secret, "s hs traffic", hash, t->s_secret);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    return tls_set_read(t, t->c_secret);
}

static int write_encrypted_extensions(mamori_tls_t *t)
{
    mamori_wr_t wr;
    size_t exts;
    tls_out_begin(t, &wr, TLS_HS_ENCRYPTED_EXTENSIONS);
    exts = tls_wr_open(&wr, 2);
    if (t->flags & TLS_F_SNI) {
        mamori_wr_be16(&wr, TLS_EXT_SERVER_NAME);
        mamori_wr_be16(&wr, 0);
    }
#if MAMORI_TLS_ALPN
    if (t->alpn[0]) {
        size_t n = tls_strlen(t->alpn);
        mamori_wr_be16(&wr, TLS_EXT_ALPN);
        mamori_wr_be16(&wr, (uint16_t)(n + 3));
        mamori_wr_be16(&wr, (uint16_t)(n + 1));
        mamori_wr_u8(&wr, (uint8_t)n);
        mamori_wr_bytes(&wr, t->alpn, n);
    }
#endif
    if (t->peer_ext & S_F_RSL) {
        mamori_wr_be16(&wr, TLS_EXT_RECORD_SIZE_LIMIT);
        mamori_wr_be16(&wr, 2);
        mamori_wr_be16(&wr, (uint16_t)(t->in_limit + 1));
    } else if (t->peer_ext & S_F_MFL) {
        mamori_wr_be16(&wr, TLS_EXT_MAX_FRAGMENT_LENGTH);
        mamori_wr_be16(&wr, 1);
        mamori_wr_u8(&wr, t->mfl_code);
    }
    tls_wr_close(&wr, exts, 2);
    return tls_out_end(t, &wr, TLS_AFTER_NONE);
}

#if MAMORI_TLS_CERT
static int write_certificate_request(mamori_tls_t *t)
{
    mamori_wr_t wr;
    size_t exts, at;
    tls_out_begin(t, &wr, TLS_HS_CERTIFICATE_REQUEST);
    mamori_wr_u8(&wr, 0); /* certificate_request_context */
    exts = tls_wr_open(&wr, 2);
    mamori_wr_be16(&wr, TLS_EXT_SIGNATURE_ALGORITHMS);
    at = tls_wr_open(&wr, 2);
    tls_write_sig_algs(&wr);
    tls_wr_close(&wr, at, 2);
    tls_wr_close(&wr, exts, 2);
    return tls_out_end(t, &wr, TLS_AFTER_NONE);
}
#endif

static int write_server_finished(mamori_tls_t *t)
{
    mamori_hash_id_t h = mamori_tls_suite_hash(t->suite);
    size_t hl = mamori_hash_len(h);
    uint8_t hash[MAMORI_HASH_MAX_LEN];
    mamori_wr_t wr;
    uint8_t *vd;
    int err;

    mamori_tls_th_hash(&t->th, hash);
    tls_out_begin(t, &wr, TLS_HS_FINISHED);
    vd = mamori_wr_reserve(&wr, hl);
    err = vd ? mamori_tls_finished(h, t->s_secret, hash, vd) : MAMORI_ERR_BUFSIZE;
    if (err == 0)
        err = tls_out_end(t, &wr, TLS_AFTER_WR_APP);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    /* §7.1: master secret; application secrets over CH..server Finished.
     * Ours takes effect once Finished is in records; the client's once its
     * Finished is verified. */
    mamori_tls_th_hash(&t->th, hash);
    err = mamori_tls_ks_next(h, t->secret, NULL, 0);
    if (err == 0)
        err = mamori_tls_derive_secret(h, t->secret, "c ap traffic", hash, t->pending);
    if (err == 0)
        err = mamori_tls_derive_secret(h, t->secret, "s ap traffic", hash, t->s_secret);
    return err ? tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err) : 0;
}

#if MAMORI_TLS_RESUMPTION
/* §4.6.1: one ticket after the handshake, nonce 0, PSK from the
 * resumption master secret (kept in t->secret). */
static int write_ticket(mamori_tls_t *t)
{
    const mamori_tls_config_t *cfg = t->cfg;
    mamori_hash_id_t h = mamori_tls_suite_hash(t->suite);
    uint8_t plain[TICKET_PLAIN], age_add[4], *tk;
    static const uint8_t nonce = 0;
    mamori_wr_t wr;
    int err;

    memset(plain, 0, sizeof plain);
    mamori_put_be16(plain, t->suite);
    mamori_put_be32(plain + 2, t->now_ms);
    err = mamori_tls_resumption_psk(h, t->secret, &nonce, 1, plain + 6);
    if (err == 0)
        err = cfg->rng(cfg->rng_ctx, age_add, sizeof age_add);
    tls_out_begin(t, &wr, TLS_HS_NEW_SESSION_TICKET);
    mamori_wr_be32(&wr, MAMORI_TLS_TICKET_LIFETIME_S);
    mamori_wr_bytes(&wr, age_add, 4);
    mamori_wr_u8(&wr, 1);
    mamori_wr_u8(&wr, nonce);
    mamori_wr_be16(&wr, TICKET_LEN);
    tk = mamori_wr_reserve(&wr, TICKET_LEN);
    mamori_wr_be16(&wr, 0); /* no extensions: no early data */
    if (err == 0 && tk)
        err = cfg->rng(cfg->rng_ctx, tk, 12);
    if (err == 0 && tk)
        err = mamori_chachapoly_seal(cfg->ticket_key, tk, NULL, 0, plain, TICKET_PLAIN, tk + 12,
                                     tk + 12 + TICKET_PLAIN);
    mamori_zeroize(plain, sizeof plain);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    /* A NewSessionTicket is not part of the transcript (§4.4.1), but the
     * engine hashes every message it sends; the transcript is no longer
     * used after the handshake. */
    return tls_out_end(t, &wr, TLS_AFTER_NONE);
}
#endif

int tls_server_output(mamori_tls_t *t, uint16_t step)
{
    switch (step) {
    case TLS_OUT_HELLO:
        return write_hello(t);
    case TLS_OUT_EE:
        return write_encrypted_extensions(t);
#if MAMORI_TLS_CERT
    case TLS_OUT_CR:
        return write_certificate_request(t);
    case TLS_OUT_CERT:
        return tls_write_certificate(t);
    case TLS_OUT_CV:
        return tls_write_certificate_verify(t, true);
#endif
    case TLS_OUT_FIN:
        return write_server_finished(t);
#if MAMORI_TLS_RESUMPTION
    case TLS_OUT_NST:
        return write_ticket(t);
#endif
    default:
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, MAMORI_ERR_STATE);
    }
}
