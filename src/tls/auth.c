/* Peer authentication for TLS 1.3: the certificate hook and
 * CertificateVerify signatures (RFC 8446 §4.4.2, §4.4.3). */
#include <string.h>

#include "mamori/ct.h"
#include "mamori/ecc.h"
#include "mamori/ed25519.h"
#include "mamori/error.h"
#include "mamori/rsa.h"
#include "tls/tls_internal.h"
#include "x509/der.h"
#include "x509/spki.h"

#if MAMORI_TLS_CERT

/* Schemes we offer in signature_algorithms, preferred first. */
static const uint16_t sig_schemes[] = {
#if MAMORI_ED25519
    MAMORI_TLS_SIG_ED25519,
#endif
#if MAMORI_P256
    MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256,
#endif
#if MAMORI_P384 && MAMORI_SHA512
    MAMORI_TLS_SIG_ECDSA_SECP384R1_SHA384,
#endif
#if MAMORI_RSA
    MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA256,
#if MAMORI_SHA512
    MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA384,
    MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA512,
#endif
#endif
};

bool tls_sig_scheme_ok(uint16_t scheme)
{
    for (size_t i = 0; i < sizeof sig_schemes / sizeof sig_schemes[0]; i++)
        if (sig_schemes[i] == scheme)
            return true;
    return false;
}

void tls_write_sig_algs(mamori_wr_t *wr)
{
    mamori_wr_be16(wr, (uint16_t)(2 * (sizeof sig_schemes / sizeof sig_schemes[0])));
    for (size_t i = 0; i < sizeof sig_schemes / sizeof sig_schemes[0]; i++)
        mamori_wr_be16(wr, sig_schemes[i]);
}

int tls_cert_alert(int err)
{
    switch (err) {
    case MAMORI_ERR_CERT_EXPIRED:
    case MAMORI_ERR_CERT_NOT_YET_VALID:
        return MAMORI_TLS_ALERT_CERTIFICATE_EXPIRED;
    case MAMORI_ERR_CERT_UNKNOWN_ISSUER:
    case MAMORI_ERR_CERT_CHAIN_TOO_LONG:
        return MAMORI_TLS_ALERT_UNKNOWN_CA;
    case MAMORI_ERR_CERT_UNSUPPORTED_ALG:
        return MAMORI_TLS_ALERT_UNSUPPORTED_CERTIFICATE;
    case MAMORI_ERR_CERT_NAME_MISMATCH:
    case MAMORI_ERR_CERT_PURPOSE:
    case MAMORI_ERR_CERT_NO_TIME:
        return MAMORI_TLS_ALERT_CERTIFICATE_UNKNOWN;
    default:
        return MAMORI_TLS_ALERT_BAD_CERTIFICATE;
    }
}

/* The SubjectPublicKeyInfo element of a certificate (RFC 5280 §4.1): the
 * seventh field of the TBSCertificate, after an optional [0] version. The
 * raw element is kept for CertificateVerify and pins. */
static int leaf_spki(const uint8_t *cert, size_t len, const uint8_t **spki, size_t *spki_len)
{
    mamori_der_t d, c, tbs;
    mamori_der_init(&d, cert, len);
    c = mamori_der_enter(&d, MAMORI_DER_SEQUENCE);
    tbs = mamori_der_enter(&c, MAMORI_DER_SEQUENCE);
    if (mamori_der_peek(&tbs) == MAMORI_DER_CONTEXT(0))
        mamori_der_skip(&tbs, MAMORI_DER_CONTEXT(0));
    mamori_der_skip(&tbs, MAMORI_DER_INTEGER);  /* serialNumber */
    mamori_der_skip(&tbs, MAMORI_DER_SEQUENCE); /* signature */
    mamori_der_skip(&tbs, MAMORI_DER_SEQUENCE); /* issuer */
    mamori_der_skip(&tbs, MAMORI_DER_SEQUENCE); /* validity */
    mamori_der_skip(&tbs, MAMORI_DER_SEQUENCE); /* subject */
    (void)mamori_der_enter_raw(&tbs, MAMORI_DER_SEQUENCE, spki, spki_len);
    return mamori_der_ok(&tbs) ? 0 : MAMORI_ERR_CERT_MALFORMED;
}

/* A dotted-quad IPv4 literal to 4 bytes; false for anything else. */
static bool parse_ip4(const char *s, uint8_t ip[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned v = 0, digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 4)
            v = v * 10 + (unsigned)(*s++ - '0'), digits++;
        if (digits == 0 || v > 255 || *s != (i < 3 ? '.' : '\0'))
            return false;
        ip[i] = (uint8_t)v;
        s++;
    }
    return true;
}

/* RFC 5280 path validation with the X.509 module, and the name check. */
static int x509_check(const mamori_tls_config_t *cfg, const tls_certificate_t *c)
{
    mamori_x509_verify_opts_t opts;
    uint8_t ip[4];
    memset(&opts, 0, sizeof opts);
    opts.now = cfg->unix_time ? cfg->unix_time() : 0;
    opts.allow_no_time = cfg->allow_no_time;
    if (cfg->is_server) {
        opts.purpose = MAMORI_X509_PURPOSE_CLIENT;
    } else {
        opts.purpose = MAMORI_X509_PURPOSE_SERVER;
        if (!cfg->server_name)
            return MAMORI_ERR_CERT_NAME_MISMATCH; /* fail closed */
        if (parse_ip4(cfg->server_name, ip)) {
            opts.ip = ip;
            opts.ip_len = 4;
        } else {
            opts.hostname = cfg->server_name;
        }
    }
    return mamori_x509_verify_chain(cfg->trust, c->certs, c->lens, c->count, &opts);
}

int tls_peer_certificate(mamori_tls_t *t, const tls_certificate_t *c)
{
    const mamori_tls_config_t *cfg = t->cfg;
    const uint8_t *spki = NULL;
    size_t spki_len = 0;
    int err;

    if (cfg->verify)
        err = cfg->verify(cfg->verify_ctx, c->certs, c->lens, c->count,
                          cfg->is_server ? NULL : cfg->server_name, &spki, &spki_len);
    else if (cfg->trust)
        err = x509_check(cfg, c);
    else if (cfg->spki_pin)
        err = 0;
    else
        err = MAMORI_ERR_CERT_UNKNOWN_ISSUER; /* fail closed: nothing to check against */
    if (err == 0 && !spki)
        err = leaf_spki(c->certs[0], c->lens[0], &spki, &spki_len);
    if (err == 0 && cfg->spki_pin) {
        uint8_t h[MAMORI_SHA256_LEN];
        mamori_sha256(spki, spki_len, h);
        if (!mamori_ct_equal(h, cfg->spki_pin, sizeof h))
            err = MAMORI_ERR_CERT_UNKNOWN_ISSUER;
    }
    if (err == 0 && spki_len > sizeof t->peer_spki)
        err = MAMORI_ERR_CERT_UNSUPPORTED_ALG;
    if (err)
        return tls_cert_alert(err);
    memcpy(t->peer_spki, spki, spki_len);
    t->peer_spki_len = (uint16_t)spki_len;
    return 0;
}

/* §4.4.3: 64 spaces, the context string, a zero byte, the transcript hash. */
static size_t cv_content(uint8_t *out, bool server, const uint8_t *th, size_t hl)
{
    static const char client_ctx[] = "TLS 1.3, client CertificateVerify";
    static const char server_ctx[] = "TLS 1.3, server CertificateVerify";
    memset(out, 0x20, 64);
    memcpy(out + 64, server ? server_ctx : client_ctx, sizeof server_ctx); /* with the NUL */
    memcpy(out + 64 + sizeof server_ctx, th, hl);
    return 64 + sizeof server_ctx + hl;
}

static mamori_hash_id_t scheme_hash(uint16_t scheme)
{
    switch (scheme) {
    case MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256:
    case MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA256:
        return MAMORI_HASH_SHA256;
    case MAMORI_TLS_SIG_ECDSA_SECP384R1_SHA384:
    case MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA384:
        return MAMORI_HASH_SHA384;
    case MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA512:
        return MAMORI_HASH_SHA512;
    default:
        return (mamori_hash_id_t)0;
    }
}

int tls_verify_cv(mamori_tls_t *t, bool server, uint16_t scheme, const tls_span_t *sig,
                  const uint8_t *th)
{
    uint8_t content[64 + 34 + MAMORI_HASH_MAX_LEN], digest[MAMORI_HASH_MAX_LEN];
    size_t n = cv_content(content, server, th, tls_hash_len(t));
    mamori_hash_id_t h = scheme_hash(scheme);
    mamori_spki_t key;
    int err;

    /* §4.4.3: a scheme we did not offer is illegal_parameter. */
    if (!tls_sig_scheme_ok(scheme))
        return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
    if (mamori_spki_parse(&key, t->peer_spki, t->peer_spki_len) != 0)
        return MAMORI_TLS_ALERT_UNSUPPORTED_CERTIFICATE;
    if (h)
        mamori_hash(h, content, n, digest);
    switch (scheme) {
#if MAMORI_ED25519
    case MAMORI_TLS_SIG_ED25519:
        if (key.alg != MAMORI_SPKI_ED25519 || key.key_len != 32)
            return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
        err =
            sig->len == 64 ? mamori_ed25519_verify(sig->p, content, n, key.key) : MAMORI_ERR_BADSIG;
        break;
#endif
    case MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256:
    case MAMORI_TLS_SIG_ECDSA_SECP384R1_SHA384: {
        int curve =
            scheme == MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256 ? MAMORI_EC_P256 : MAMORI_EC_P384;
        uint8_t rs[MAMORI_EC_SIG_LEN(MAMORI_EC_P384)];
        /* TLS 1.3 binds the curve to the scheme (§4.2.3). */
        if (key.alg != (curve == MAMORI_EC_P256 ? MAMORI_SPKI_EC_P256 : MAMORI_SPKI_EC_P384))
            return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
        err = mamori_ecdsa_sig_from_der(curve, rs, sig->p, sig->len);
        if (err == 0)
            err = mamori_ecdsa_verify(curve, key.key, key.key_len, digest, mamori_hash_len(h), rs);
        break;
    }
#if MAMORI_RSA
    default: { /* rsa_pss_rsae_*: salt as long as the hash (§4.2.3) */
        mamori_rsa_public_t pub = {key.rsa_n, key.rsa_n_len, key.rsa_e, key.rsa_e_len};
        if (key.alg != MAMORI_SPKI_RSA)
            return MAMORI_TLS_ALERT_ILLEGAL_PARAMETER;
        err = mamori_rsa_pss_verify(&pub, h, h, mamori_hash_len(h), digest, sig->p, sig->len);
        break;
    }
#else
    default:
        err = MAMORI_ERR_UNSUPPORTED;
        break;
#endif
    }
    if (err == 0 && server)
        t->sig_scheme = scheme;
    return err == 0 ? 0 : MAMORI_TLS_ALERT_DECRYPT_ERROR;
}

int tls_write_cv(mamori_tls_t *t, bool server, mamori_wr_t *wr, const uint8_t *th)
{
    const mamori_tls_identity_t *id = t->cfg->identity;
    uint8_t content[64 + 34 + MAMORI_HASH_MAX_LEN], digest[MAMORI_HASH_MAX_LEN];
    size_t n = cv_content(content, server, th, tls_hash_len(t));
    mamori_hash_id_t h = scheme_hash(id->sig_scheme);
    size_t at;
    int err;

    mamori_wr_be16(wr, id->sig_scheme);
    if (server)
        t->sig_scheme = id->sig_scheme;
    at = tls_wr_open(wr, 2);
    if (h)
        mamori_hash(h, content, n, digest);
    switch (id->sig_scheme) {
#if MAMORI_ED25519
    case MAMORI_TLS_SIG_ED25519: {
        uint8_t *sig = mamori_wr_reserve(wr, MAMORI_ED25519_SIG_LEN);
        err = sig && id->key_len == 32 ? mamori_ed25519_sign(sig, content, n, id->key, NULL)
                                       : MAMORI_ERR_BUFSIZE;
        break;
    }
#endif
    case MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256:
    case MAMORI_TLS_SIG_ECDSA_SECP384R1_SHA384: {
        int curve = id->sig_scheme == MAMORI_TLS_SIG_ECDSA_SECP256R1_SHA256 ? MAMORI_EC_P256
                                                                            : MAMORI_EC_P384;
        uint8_t rs[MAMORI_EC_SIG_LEN(MAMORI_EC_P384)],
            der[MAMORI_ECDSA_DER_MAX_LEN(MAMORI_EC_P384)];
        size_t der_len = 0;
        if (id->key_len != (size_t)MAMORI_EC_BYTES(curve)) {
            err = MAMORI_ERR_BADKEY;
            break;
        }
        err = mamori_ecdsa_sign(curve, rs, id->key, digest, mamori_hash_len(h), t->cfg->rng,
                                t->cfg->rng_ctx);
        if (err == 0)
            err = mamori_ecdsa_sig_to_der(curve, der, sizeof der, &der_len, rs);
        mamori_wr_bytes(wr, der, der_len);
        break;
    }
#if MAMORI_RSA
    case MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA256:
    case MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA384:
    case MAMORI_TLS_SIG_RSA_PSS_RSAE_SHA512: {
        mamori_rsa_private_t key;
        /* the signer's numbers (on this stack, as before the work argument) */
        uint8_t work[MAMORI_RSA_SIGN_WORK_SIZE(MAMORI_RSA_MAX_BITS)];
        err = mamori_rsa_private_parse(&key, id->key, id->key_len);
        if (err == 0) {
            uint8_t *sig = mamori_wr_reserve(wr, key.n_len);
            err = sig ? mamori_rsa_pss_sign(&key, h, digest, mamori_hash_len(h), sig, key.n_len,
                                            t->cfg->rng, t->cfg->rng_ctx, work, sizeof work)
                      : MAMORI_ERR_BUFSIZE;
        }
        break;
    }
#endif
    default:
        err = MAMORI_ERR_UNSUPPORTED;
        break;
    }
    tls_wr_close(wr, at, 2);
    mamori_zeroize(digest, sizeof digest);
    return err;
}

int tls_write_certificate(mamori_tls_t *t)
{
    /* A client that cannot sign sends an empty chain (§4.4.2). */
    const mamori_tls_identity_t *id =
        TLS_IS_SERVER(t) || MAMORI_TLS_CLIENT_CERT ? t->cfg->identity : NULL;
    mamori_wr_t wr;
    size_t list;
    tls_out_begin(t, &wr, TLS_HS_CERTIFICATE);
    mamori_wr_u8(&wr, 0); /* certificate_request_context: main handshake only */
    list = tls_wr_open(&wr, 3);
    for (size_t i = 0; id && i < id->chain_count; i++) {
        mamori_wr_be24(&wr, (uint32_t)id->chain_lens[i]);
        mamori_wr_bytes(&wr, id->chain[i], id->chain_lens[i]);
        mamori_wr_be16(&wr, 0);
    }
    tls_wr_close(&wr, list, 3);
    return tls_out_end(t, &wr, TLS_AFTER_NONE);
}

int tls_write_certificate_verify(mamori_tls_t *t, bool server)
{
    uint8_t hash[MAMORI_HASH_MAX_LEN];
    mamori_wr_t wr;
    int err;
    mamori_tls_th_hash(&t->th, hash);
    tls_out_begin(t, &wr, TLS_HS_CERTIFICATE_VERIFY);
    err = tls_write_cv(t, server, &wr, hash);
    if (err)
        return tls_fail(t, MAMORI_TLS_ALERT_INTERNAL_ERROR, err);
    return tls_out_end(t, &wr, TLS_AFTER_NONE);
}
#endif
