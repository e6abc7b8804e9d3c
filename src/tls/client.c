/* TLS 1.3 client handshake (RFC 8446 §2, §4): ClientHello, HelloRetryRequest,
 * ServerHello, EncryptedExtensions, CertificateRequest, Certificate,
 * CertificateVerify, Finished; then NewSessionTicket and KeyUpdate. PSKs
 * (a resumption ticket or an external key) are offered with psk_dhe_ke. */
#include <string.h>

#include "mamori/ct.h"
#include "mamori/error.h"
#include "tls/tls_internal.h"

enum {
    C_WAIT_SH = 1,
    C_WAIT_EE,
    C_WAIT_CERT_CR,
    C_WAIT_CERT,
    C_WAIT_CV,
    C_WAIT_FIN,
    C_DONE,
};

static bool in_list(const uint16_t *list, uint16_t v)
{
    for (; *list; list++)
        if (*list == v)
            return true;
    return false;
}

static int fail(mamori_tls_t *t, int alert) { return tls_fail(t, alert, MAMORI_ERR_TLS_HANDSHAKE); }

/* True for a dotted IPv4 literal or anything with ':' (RFC 6066 §3: no
 * literal addresses in server_name). */
static bool is_ip_literal(const char *s)
{
    bool digits_dots = true;
    for (; *s; s++) {
        if (*s == ':')
            return true;
        if (!((*s >= '0' && *s <= '9') || *s == '.'))
            digits_dots = false;
    }
    return digits_dots;
}

int tls_client_start(mamori_tls_t *t)
{
    const mamori_tls_config_t *cfg = t->cfg;
    int err;

    /* §4.4.2.4 leaves the identity check to us: fail closed without a name
     * to check, a key to pin or an external PSK. */
    if (!(MAMORI_TLS_CERT && (cfg->server_name || cfg->spki_pin)) && !(MAMORI_TLS_PSK && cfg->psk))
        return MAMORI_ERR_INVAL;
    if (MAMORI_TLS_PSK && cfg->psk &&
        (!cfg->psk->identity || cfg->psk->identity_len == 0 || cfg->psk->identity_len > 0xffff ||
         !cfg->psk->key || cfg->psk->key_len < 16 || mamori_hash_len(cfg->psk->hash) == 0))
        return MAMORI_ERR_INVAL;
    if (cfg->server_name &&
        (tls_strlen(cfg->server_name) == 0 || tls_strlen(cfg->server_name) > 255))
        return MAMORI_ERR_INVAL;
    if (cfg->test_random)
        memcpy(t->random, cfg->test_random, 32);
    else if ((err = cfg->rng(cfg->rng_ctx, t->random, 32)) != 0)
        return err;
    /* §D.4: a non-empty legacy_session_id for middlebox compatibility. */
    if ((err = cfg->rng(cfg->rng_ctx, t->session_id, 32)) != 0)
        return err;
    t->session_id_len = 32;
    t->hs_state = C_WAIT_SH;
    t->group = tls_groups(t)[0];
    t->out_steps = TLS_OUT_HELLO;
    return 0;
}

#if MAMORI_TLS_RESUMPTION || MAMORI_TLS_PSK
/* One PSK identity: its bytes, obfuscated age, key and hash. */
typedef struct {
    const uint8_t *id, *key;
    size_t id_len, key_len;
    uint32_t age;
    mamori_hash_id_t h;
} psk_offer_t;

/* Fills o for a PSK kind (TLS_PSK_*); returns false when there is none
 * usable: a ticket or key whose hash fits a suite we offer (and, after
 * HelloRetryRequest, the chosen suite, §4.1.4). */
static bool psk_get(const mamori_tls_t *t, uint8_t kind, psk_offer_t *o)
{
    const mamori_tls_config_t *cfg = t->cfg;
    bool fits = false;
    o->key_len = 0;
#if MAMORI_TLS_RESUMPTION
    const mamori_tls_session_t *ss = cfg->session;
    if (kind == TLS_PSK_TICKET) {
        if (!ss || ss->ticket_len == 0 || ss->ticket_len > sizeof ss->ticket)
            return false;
        o->id = ss->ticket, o->id_len = ss->ticket_len;
        o->h = mamori_tls_suite_hash(ss->suite);
        o->key = ss->psk, o->key_len = mamori_hash_len(o->h);
        /* §4.2.11.1: obfuscated_ticket_age in milliseconds. */
        o->age = (uint32_t)(t->now_ms - ss->received_ms) + ss->age_add;
    }
#endif
#if MAMORI_TLS_PSK
    if (kind == TLS_PSK_EXTERNAL) {
        if (!cfg->psk)
            return false;
        o->id = cfg->psk->identity, o->id_len = cfg->psk->identity_len;
        o->key = cfg->psk->key, o->key_len = cfg->psk->key_len;
        o->h = cfg->psk->hash;
        o->age = 0; /* §4.2.11: external identities carry age 0 */
    }
#endif
    if (kind == 0 || o->key_len == 0)
        return false;
    for (const uint16_t *s = tls_suites(t); *s; s++)
        if (mamori_tls_suite_hash(*s) == o->h)
            fits = true;
    return fits && (!TLS_HRR_DONE(t) || mamori_tls_suite_hash(t->suite) == o->h);
}

/* psk_key_exchange_modes and pre_shared_key (last, §4.2.11) with the first
 * usable PSK (a ticket before an external key) and its binder over the
 * partial ClientHello; then the message is complete. */
static int write_psk(mamori_tls_t *t, mamori_wr_t *wr, size_t exts)
{
    psk_offer_t o;
    size_t hl, binders;
    uint8_t hash[MAMORI_HASH_MAX_LEN];
    int err;

    t->psk_offered = TLS_PSK_TICKET;
    if (!psk_get(t, t->psk_offered, &o)) {
        t->psk_offered = TLS_PSK_EXTERNAL;
        if (!psk_get(t, t->psk_offered, &o)) {
            t->psk_offered = 0;
            tls_wr_close(wr, exts, 2);
            return tls_out_end(t, wr, TLS_AFTER_NONE);
        }
    }
    hl = mamori_hash_len(o.h);
    mamori_wr_be16(wr, TLS_EXT_PSK_KEY_EXCHANGE_MODES);
    mamori_wr_bytes(wr, "\x00\x02\x01\x01", 4); /* psk_dhe_ke only */
    mamori_wr_be16(wr, TLS_EXT_PRE_SHARED_KEY);
    mamori_wr_be16(wr, (uint16_t)(2 + 2 + o.id_len + 4 + 2 + 1 + hl));
    mamori_wr_be16(wr, (uint16_t)(2 + o.id_len + 4));
    mamori_wr_be16(wr, (uint16_t)o.id_len);
    mamori_wr_bytes(wr, o.id, o.id_len);
    mamori_wr_be32(wr, o.age);
    binders = wr->pos;
    mamori_wr_be16(wr, (uint16_t)(1 + hl));
    mamori_wr_u8(wr, (uint8_t)hl);
    mamori_wr_zeros(wr, hl);
    tls_wr_close(wr, exts, 2);
    tls_wr_close(wr, 1, 3);
    if (!mamori_wr_ok(wr))
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, MAMORI_ERR_BUFSIZE);
    /* §4.2.11.2: the transcript up to and excluding the binders. */
    mamori_tls_th_hash_with(&t->th, o.h, t->hs, binders, hash);
    err = mamori_tls_binder(o.h, o.key, o.key_len, t->psk_offered == TLS_PSK_EXTERNAL, hash,
                            t->hs + binders + 3);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    return tls_out_end(t, wr, TLS_AFTER_NONE);
}
#endif

static int write_client_hello(mamori_tls_t *t)
{
    const mamori_tls_config_t *cfg = t->cfg;
    mamori_wr_t wr;
    size_t exts, at, at2;
    uint8_t pub[TLS_MAX_SHARE];
    size_t pub_len = 0;
    int err;

    tls_out_begin(t, &wr, TLS_HS_CLIENT_HELLO);
    mamori_wr_be16(&wr, 0x0303);
    mamori_wr_bytes(&wr, t->random, 32);
    mamori_wr_u8(&wr, t->session_id_len);
    mamori_wr_bytes(&wr, t->session_id, t->session_id_len);
    at = tls_wr_open(&wr, 2);
    for (const uint16_t *s = tls_suites(t); *s; s++)
        mamori_wr_be16(&wr, *s);
    tls_wr_close(&wr, at, 2);
    mamori_wr_u8(&wr, 1);
    mamori_wr_u8(&wr, 0);
    exts = tls_wr_open(&wr, 2);

    if (cfg->server_name && !is_ip_literal(cfg->server_name)) {
        size_t n = tls_strlen(cfg->server_name);
        mamori_wr_be16(&wr, TLS_EXT_SERVER_NAME);
        mamori_wr_be16(&wr, (uint16_t)(n + 5));
        mamori_wr_be16(&wr, (uint16_t)(n + 3));
        mamori_wr_u8(&wr, 0); /* host_name */
        mamori_wr_be16(&wr, (uint16_t)n);
        mamori_wr_bytes(&wr, cfg->server_name, n);
        t->flags |= TLS_F_SNI;
    }
    mamori_wr_be16(&wr, TLS_EXT_SUPPORTED_GROUPS);
    at = tls_wr_open(&wr, 2);
    at2 = tls_wr_open(&wr, 2);
    for (const uint16_t *g = tls_groups(t); *g; g++)
        mamori_wr_be16(&wr, *g);
    tls_wr_close(&wr, at2, 2);
    tls_wr_close(&wr, at, 2);

#if MAMORI_TLS_CERT
    /* §4.2.3: needed for certificate authentication only. */
    mamori_wr_be16(&wr, TLS_EXT_SIGNATURE_ALGORITHMS);
    at = tls_wr_open(&wr, 2);
    tls_write_sig_algs(&wr);
    tls_wr_close(&wr, at, 2);
#endif

    mamori_wr_be16(&wr, TLS_EXT_SUPPORTED_VERSIONS);
    mamori_wr_bytes(&wr, "\x00\x03\x02\x03\x04", 5);

    /* key_share: one share for the current group, or none to make the
     * server choose (and send HelloRetryRequest). */
    mamori_wr_be16(&wr, TLS_EXT_KEY_SHARE);
    at = tls_wr_open(&wr, 2);
    at2 = tls_wr_open(&wr, 2);
    if (!(MAMORI_TLS_HRR && cfg->client_no_initial_share && !t->hrr_done)) {
        /* After a HelloRetryRequest with a cookie only: the same share. */
        if (!TLS_HRR_DONE(t) || t->hrr_group)
            err = tls_group_keygen(cfg, t->group, t->eph_priv, pub, &pub_len);
        else
            err = tls_group_public(t->group, t->eph_priv, pub, &pub_len);
        if (err)
            return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
        mamori_wr_be16(&wr, t->group);
        mamori_wr_be16(&wr, (uint16_t)pub_len);
        mamori_wr_bytes(&wr, pub, pub_len);
    } else {
        t->group = 0;
    }
    tls_wr_close(&wr, at2, 2);
    tls_wr_close(&wr, at, 2);

    /* RFC 8449: the largest TLSInnerPlaintext we take (content + type). */
    mamori_wr_be16(&wr, TLS_EXT_RECORD_SIZE_LIMIT);
    mamori_wr_be16(&wr, 2);
    mamori_wr_be16(&wr, (uint16_t)(t->in_limit + 1));

    /* RFC 6066 §4 max_fragment_length too, for peers without RFC 8449;
     * one that knows both uses record_size_limit. */
    t->mfl_code = t->in_limit >= 4096   ? 4
                  : t->in_limit >= 2048 ? 3
                  : t->in_limit >= 1024 ? 2
                  : t->in_limit >= 512  ? 1
                                        : 0;
    if (t->in_limit < MAMORI_TLS_MAX_PLAINTEXT && t->mfl_code) {
        mamori_wr_be16(&wr, TLS_EXT_MAX_FRAGMENT_LENGTH);
        mamori_wr_be16(&wr, 1);
        mamori_wr_u8(&wr, t->mfl_code);
    } else {
        t->mfl_code = 0;
    }
#if MAMORI_TLS_ALPN
    if (cfg->alpn) {
        size_t n = tls_strlen(cfg->alpn);
        if (n == 0 || n > MAMORI_TLS_MAX_ALPN)
            return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, MAMORI_ERR_INVAL);
        mamori_wr_be16(&wr, TLS_EXT_ALPN);
        mamori_wr_be16(&wr, (uint16_t)(n + 3));
        mamori_wr_be16(&wr, (uint16_t)(n + 1));
        mamori_wr_u8(&wr, (uint8_t)n);
        mamori_wr_bytes(&wr, cfg->alpn, n);
        t->flags |= TLS_F_ALPN;
    }
#endif
#if MAMORI_TLS_HRR
    if (t->cookie_len) {
        mamori_wr_be16(&wr, TLS_EXT_COOKIE);
        mamori_wr_be16(&wr, (uint16_t)(t->cookie_len + 2));
        mamori_wr_be16(&wr, t->cookie_len);
        mamori_wr_bytes(&wr, t->cookie, t->cookie_len);
    }
#endif
#if MAMORI_TLS_RESUMPTION || MAMORI_TLS_PSK
    return write_psk(t, &wr, exts);
#else
    tls_wr_close(&wr, exts, 2);
    return tls_out_end(t, &wr, TLS_AFTER_NONE);
#endif
}

/* Checks fields common to ServerHello and HelloRetryRequest (§4.1.3). */
static int check_hello(mamori_tls_t *t, const tls_server_hello_t *sh)
{
    if (sh->session_id.len != t->session_id_len ||
        memcmp(sh->session_id.p, t->session_id, t->session_id_len) != 0)
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    if (!in_list(tls_suites(t), sh->suite) || mamori_tls_suite_hash(sh->suite) == 0)
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    /* After HelloRetryRequest the suite must not change (§4.1.4). */
    if (TLS_HRR_DONE(t) && t->suite && sh->suite != t->suite)
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    if ((sh->x.seen & TLS_XBIT(TLS_X_PRE_SHARED_KEY)) && !t->psk_offered)
        return MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION;
    return 0;
}

#if MAMORI_TLS_HRR
static int handle_hrr(mamori_tls_t *t, const tls_server_hello_t *sh, const uint8_t *msg, size_t len)
{
    uint16_t group = 0;
    int a;

    /* §4.1.4: one HelloRetryRequest at most. */
    if (t->hrr_done)
        return fail(t, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE);
    if ((a = check_hello(t, sh)) != 0)
        return fail(t, a);
    t->hrr_done = 1;
    t->suite = sh->suite;
    if (sh->x.seen & TLS_XBIT(TLS_X_KEY_SHARE)) {
        if ((a = tls_ext_key_share_hrr(&sh->x.v[TLS_X_KEY_SHARE], &group)) != 0)
            return fail(t, a);
        /* A group we support and did not already send a share for. */
        if (!in_list(tls_groups(t), group) || group == t->group)
            return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
        t->hrr_group = group;
        t->group = group;
    }
    if (sh->x.seen & TLS_XBIT(TLS_X_COOKIE)) {
        tls_span_t c;
        if ((a = tls_ext_cookie(&sh->x.v[TLS_X_COOKIE], &c)) != 0)
            return fail(t, a);
        if (c.len > sizeof t->cookie)
            return tls_fail(t, MAMORI_TLS_ALERT_HANDSHAKE_FAILURE, MAMORI_ERR_LIMIT);
        memcpy(t->cookie, c.p, c.len);
        t->cookie_len = (uint16_t)c.len;
    }
    /* An HRR that changes nothing is illegal_parameter (§4.1.4); so is one
     * that asks for no key share when we sent none. */
    if (!group && (!t->cookie_len || t->group == 0))
        return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    mamori_tls_th_choose(&t->th, mamori_tls_suite_hash(t->suite));
    mamori_tls_th_hrr(&t->th);
    tls_th_add(t, msg, len);
    t->out_steps |= TLS_OUT_HELLO;
    if (!(t->flags & TLS_F_CCS_SENT))
        t->out_steps |= TLS_OUT_CCS;
    return 0;
}
#endif

static int handle_server_hello(mamori_tls_t *t, const uint8_t *msg, size_t len)
{
    tls_server_hello_t sh;
    tls_span_t key;
    uint16_t group;
    uint8_t shared[32], hash[MAMORI_HASH_MAX_LEN];
    const uint8_t *psk = NULL;
    size_t psk_len = 0;
    mamori_hash_id_t h;
    int a, err;

    a = tls_parse_server_hello(msg + TLS_HS_HEADER, len - TLS_HS_HEADER, &sh);
    if (a)
        return fail(t, a);
    if (sh.is_hrr)
#if MAMORI_TLS_HRR
        return handle_hrr(t, &sh, msg, len);
#else
        return tls_fail(t, MAMORI_TLS_ALERT_HANDSHAKE_FAILURE, MAMORI_ERR_UNSUPPORTED);
#endif
    if ((a = check_hello(t, &sh)) != 0)
        return fail(t, a);
    if (!(sh.x.seen & TLS_XBIT(TLS_X_KEY_SHARE)))
        return fail(t, MAMORI_TLS_ALERT_MISSING_EXTENSION);
    if ((a = tls_ext_key_share_sh(&sh.x.v[TLS_X_KEY_SHARE], &group, &key)) != 0)
        return fail(t, a);
    /* §4.2.8: the group of the share we sent. */
    if (t->group == 0 || group != t->group)
        return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    t->suite = sh.suite;
    h = mamori_tls_suite_hash(t->suite);
#if MAMORI_TLS_RESUMPTION || MAMORI_TLS_PSK
    if (sh.x.seen & TLS_XBIT(TLS_X_PRE_SHARED_KEY)) {
        uint16_t selected;
        psk_offer_t o;
        /* §4.2.11: our one identity, with a suite of its hash. */
        if ((a = tls_ext_psk_sh(&sh.x.v[TLS_X_PRE_SHARED_KEY], &selected)) != 0)
            return fail(t, a);
        if (selected != 0 || !psk_get(t, t->psk_offered, &o) || h != o.h)
            return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
        t->psk_mode = 1;
        psk = o.key, psk_len = o.key_len;
    }
#endif
    /* Without certificate support only a PSK authenticates the server. */
    if (!MAMORI_TLS_CERT && !t->psk_mode)
        return fail(t, MAMORI_TLS_ALERT_HANDSHAKE_FAILURE);
    mamori_tls_th_choose(&t->th, h);
    tls_th_add(t, msg, len);

    err = tls_group_shared(group, t->eph_priv, &key, shared);
    mamori_zeroize(t->eph_priv, sizeof t->eph_priv);
    if (err) {
        mamori_zeroize(shared, sizeof shared);
        return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    }
    /* §7.1: early secret (the PSK or none), handshake secret, handshake
     * traffic secrets. */
    err = mamori_tls_ks_early(h, psk, psk_len, t->secret);
    if (err == 0)
        err = mamori_tls_ks_next(h, t->secret, shared, 32);
    mamori_zeroize(shared, sizeof shared);
    mamori_tls_th_hash(&t->th, hash);
    if (err == 0)
        err = mamori_tls_derive_secret(h, t->secret, "c hs traffic", hash, t->c_secret);
    if (err == 0)
        err = mamori_tls_derive_secret(h, t->secret, "s hs traffic", hash, t->s_secret);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    if ((err = tls_set_read(t, t->s_secret)) != 0 || (err = tls_set_write(t, t->c_secret)) != 0)
        return err;
    t->hs_state = C_WAIT_EE;
    return 0;
}

static int handle_encrypted_extensions(mamori_tls_t *t, const uint8_t *msg, size_t len)
{
    tls_exts_t x;
    int a = tls_parse_encrypted_extensions(msg + TLS_HS_HEADER, len - TLS_HS_HEADER, &x);
    if (a)
        return fail(t, a);
    /* §4.2: only answers to what we asked for. */
    if (x.seen & TLS_XBIT(TLS_X_EARLY_DATA))
        return fail(t, MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION);
    if (x.seen & TLS_XBIT(TLS_X_MAX_FRAGMENT_LENGTH)) {
        uint16_t limit;
        if (!t->mfl_code)
            return fail(t, MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION);
        if ((a = tls_ext_max_fragment_length(&x.v[TLS_X_MAX_FRAGMENT_LENGTH], &limit)) != 0)
            return fail(t, a);
        /* RFC 6066 §4: the value we asked for, echoed. */
        if (x.v[TLS_X_MAX_FRAGMENT_LENGTH].p[0] != t->mfl_code)
            return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
        if (limit < t->out_limit)
            t->out_limit = limit;
    }
    if (x.seen & TLS_XBIT(TLS_X_SERVER_NAME)) {
        if (!(t->flags & TLS_F_SNI))
            return fail(t, MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION);
        if (x.v[TLS_X_SERVER_NAME].len != 0) /* RFC 6066 §3: empty */
            return fail(t, MAMORI_TLS_ALERT_DECODE_ERROR);
    }
#if MAMORI_TLS_ALPN
    if (x.seen & TLS_XBIT(TLS_X_ALPN)) {
        mamori_rd_t list;
        tls_span_t one = {NULL, 0};
        if (!(t->flags & TLS_F_ALPN))
            return fail(t, MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION);
        if ((a = tls_ext_alpn(&x.v[TLS_X_ALPN], &list, &one)) != 0)
            return fail(t, a);
        /* RFC 7301 §3.1: exactly one protocol, one we offered. */
        if (!one.p || one.len != tls_strlen(t->cfg->alpn) || memcmp(one.p, t->cfg->alpn, one.len))
            return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
        memcpy(t->alpn, one.p, one.len);
        t->alpn[one.len] = 0;
    }
#else
    if (x.seen & TLS_XBIT(TLS_X_ALPN))
        return fail(t, MAMORI_TLS_ALERT_UNSUPPORTED_EXTENSION);
#endif
    if (x.seen & TLS_XBIT(TLS_X_RECORD_SIZE_LIMIT)) {
        uint16_t limit;
        if ((a = tls_ext_record_size_limit(&x.v[TLS_X_RECORD_SIZE_LIMIT], &limit)) != 0)
            return fail(t, a);
        /* RFC 8449 §4: the limit counts the inner content type. */
        if ((size_t)limit - 1 < t->out_limit)
            t->out_limit = (uint16_t)(limit - 1);
    }
    tls_th_add(t, msg, len);
    /* §2.2: a PSK handshake has no certificates. */
    t->hs_state = t->psk_mode ? C_WAIT_FIN : C_WAIT_CERT_CR;
    return 0;
}

#if MAMORI_TLS_CERT
static int handle_certificate_request(mamori_tls_t *t, const uint8_t *msg, size_t len)
{
    tls_exts_t x;
    tls_span_t ctx;
    int a = tls_parse_certificate_request(msg + TLS_HS_HEADER, len - TLS_HS_HEADER, &ctx, &x);
    if (a)
        return fail(t, a);
    /* §4.3.2: empty context in the main handshake. */
    if (ctx.len != 0)
        return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    t->flags |= TLS_F_CERT_REQ;
    tls_th_add(t, msg, len);
    t->hs_state = C_WAIT_CERT;
    return 0;
}

static int handle_certificate(mamori_tls_t *t, const uint8_t *msg, size_t len)
{
    tls_certificate_t c;
    int a = tls_parse_certificate(msg + TLS_HS_HEADER, len - TLS_HS_HEADER, &c);
    if (a)
        return fail(t, a);
    if (c.context.len != 0)
        return fail(t, MAMORI_TLS_ALERT_ILLEGAL_PARAMETER);
    /* §4.4.2.4: an empty server Certificate is a decode_error. */
    if (c.count == 0)
        return fail(t, MAMORI_TLS_ALERT_DECODE_ERROR);
    if ((a = tls_peer_certificate(t, &c)) != 0)
        return tls_fail(t, a, MAMORI_ERR_CERT_UNKNOWN_ISSUER);
    tls_th_add(t, msg, len);
    t->hs_state = C_WAIT_CV;
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
    if ((a = tls_verify_cv(t, true, scheme, &sig, hash)) != 0)
        return tls_fail(t, a, MAMORI_ERR_BADSIG);
    tls_th_add(t, msg, len);
    t->hs_state = C_WAIT_FIN;
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
    err = mamori_tls_finished(h, t->s_secret, hash, expect);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    /* §4.4.4: compared in constant time. */
    if (!mamori_ct_equal(expect, msg + TLS_HS_HEADER, hl))
        return tls_fail(t, MAMORI_TLS_ALERT_DECRYPT_ERROR, MAMORI_ERR_AUTH);
    tls_th_add(t, msg, len);
    /* §7.1: master secret; application secrets over CH..server Finished. */
    mamori_tls_th_hash(&t->th, hash);
    err = mamori_tls_ks_next(h, t->secret, NULL, 0);
    if (err == 0)
        err = mamori_tls_derive_secret(h, t->secret, "c ap traffic", hash, t->pending);
    if (err == 0)
        err = mamori_tls_derive_secret(h, t->secret, "s ap traffic", hash, t->s_secret);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    if ((err = tls_set_read(t, t->s_secret)) != 0)
        return err;
    t->hs_state = C_DONE;
    if (!(t->flags & TLS_F_CCS_SENT))
        t->out_steps |= TLS_OUT_CCS;
    if (t->flags & TLS_F_CERT_REQ) {
        t->out_steps |= TLS_OUT_CERT;
        if (MAMORI_TLS_CLIENT_CERT && t->cfg->identity)
            t->out_steps |= TLS_OUT_CV;
    }
    t->out_steps |= TLS_OUT_FIN;
    return 0;
}

#if MAMORI_TLS_RESUMPTION
/* §4.6.1: keeps the ticket and its PSK for the next connection. */
static int handle_ticket(mamori_tls_t *t, const uint8_t *msg, size_t len)
{
    mamori_tls_session_t *ss = t->cfg->session;
    mamori_hash_id_t h = mamori_tls_suite_hash(t->suite);
    tls_ticket_t nst;
    int a = tls_parse_new_session_ticket(msg + TLS_HS_HEADER, len - TLS_HS_HEADER, &nst), err;
    if (a)
        return fail(t, a);
    if (!ss || nst.lifetime == 0 || nst.ticket.len > sizeof ss->ticket)
        return 0;
    err = mamori_tls_resumption_psk(h, t->secret, nst.nonce.p, nst.nonce.len, ss->psk);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    ss->suite = t->suite;
    ss->age_add = nst.age_add;
    ss->lifetime_s = nst.lifetime;
    ss->received_ms = t->now_ms;
    ss->ticket_len = (uint16_t)nst.ticket.len;
    memcpy(ss->ticket, nst.ticket.p, nst.ticket.len);
    return 0;
}
#endif

int tls_client_handle(mamori_tls_t *t, uint8_t type, const uint8_t *msg, size_t len)
{
    switch (t->hs_state) {
    case C_WAIT_SH:
        if (type == TLS_HS_SERVER_HELLO)
            return handle_server_hello(t, msg, len);
        break;
    case C_WAIT_EE:
        if (type == TLS_HS_ENCRYPTED_EXTENSIONS)
            return handle_encrypted_extensions(t, msg, len);
        break;
#if MAMORI_TLS_CERT
    case C_WAIT_CERT_CR:
        if (type == TLS_HS_CERTIFICATE_REQUEST)
            return handle_certificate_request(t, msg, len);
        if (type == TLS_HS_CERTIFICATE)
            return handle_certificate(t, msg, len);
        break;
    case C_WAIT_CERT:
        if (type == TLS_HS_CERTIFICATE)
            return handle_certificate(t, msg, len);
        break;
    case C_WAIT_CV:
        if (type == TLS_HS_CERTIFICATE_VERIFY)
            return handle_certificate_verify(t, msg, len);
        break;
#endif
    case C_WAIT_FIN:
        if (type == TLS_HS_FINISHED)
            return handle_finished(t, msg, len);
        break;
    case C_DONE:
        if (type == TLS_HS_NEW_SESSION_TICKET && t->state == MAMORI_TLS_ST_OPEN)
#if MAMORI_TLS_RESUMPTION
            return handle_ticket(t, msg, len);
#else
            return 0; /* §4.6.1: read and dropped, nothing to resume with */
#endif
        break;
    default:
        break;
    }
    /* §4: anything else, in this state, is unexpected. */
    return tls_fail(t, MAMORI_TLS_ALERT_UNEXPECTED_MESSAGE, MAMORI_ERR_TLS_PROTOCOL);
}

static int write_client_finished(mamori_tls_t *t)
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
    err = vd ? mamori_tls_finished(h, t->c_secret, hash, vd) : MAMORI_ERR_BUFSIZE;
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    /* Our application secret replaces the handshake one once Finished is
     * in records; the resumption secret covers CH..client Finished. */
    memcpy(t->c_secret, t->pending, hl);
    mamori_zeroize(t->pending, sizeof t->pending);
    if ((err = tls_out_end(t, &wr, TLS_AFTER_WR_APP)) != 0)
        return err;
#if MAMORI_TLS_RESUMPTION
    mamori_tls_th_hash(&t->th, hash);
    err = mamori_tls_derive_secret(h, t->secret, "res master", hash, t->secret);
    return err ? tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err) : 0;
#else
    mamori_zeroize(t->secret, sizeof t->secret);
    return 0;
#endif
}

int tls_client_output(mamori_tls_t *t, uint16_t step)
{
    switch (step) {
    case TLS_OUT_HELLO:
        return write_client_hello(t);
#if MAMORI_TLS_CERT
    case TLS_OUT_CERT:
        return tls_write_certificate(t);
#endif
#if MAMORI_TLS_CLIENT_CERT
    case TLS_OUT_CV:
        return tls_write_certificate_verify(t, false);
#endif
    case TLS_OUT_FIN:
        return write_client_finished(t);
    default:
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, MAMORI_ERR_STATE);
    }
}
